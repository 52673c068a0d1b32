//! OpenSSH public key parsing and fingerprints, against keys and fingerprints
//! made by `ssh-keygen` (core/tests/data/ssh/).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cloudlink_core::ssh::{KeyError, KeyType, MAX_LINE, MAX_RSA_BITS, PublicKey};
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixtures {
    keys: Vec<Fixture>,
}

#[derive(Deserialize)]
struct Fixture {
    file: String,
    bits: u32,
    sha256: String,
    md5: String,
}

fn data(file: &str) -> String {
    let path = format!("{}/tests/data/ssh/{file}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn fixtures() -> Vec<Fixture> {
    let fixtures: Fixtures = serde_json::from_str(&data("fingerprints.json")).unwrap();
    fixtures.keys
}

#[test]
fn every_ssh_keygen_key_parses_with_its_fingerprints() {
    let fixtures = fixtures();
    assert_eq!(fixtures.len(), 7);
    for f in fixtures {
        let line = data(&f.file);
        let key = PublicKey::parse(&line).unwrap_or_else(|e| panic!("{}: {e}", f.file));
        assert_eq!(key.bits(), f.bits, "{}", f.file);
        assert_eq!(key.fingerprint_sha256(), f.sha256, "{}", f.file);
        let md5 = f.md5.strip_prefix("MD5:").unwrap();
        assert_eq!(key.fingerprint_md5(), md5, "{}", f.file);
        assert_eq!(key.to_line(), line.trim_end(), "{}", f.file);
        assert!(
            key.comment().is_some_and(|c| c.starts_with("cloudlink")),
            "{}",
            f.file
        );
    }
}

#[test]
fn key_types_are_read_from_the_prefix() {
    let cases = [
        ("rsa2048.pub", KeyType::Rsa),
        ("rsa3072.pub", KeyType::Rsa),
        ("ed25519.pub", KeyType::Ed25519),
        ("ecdsa256.pub", KeyType::EcdsaP256),
        ("ecdsa384.pub", KeyType::EcdsaP384),
        ("ecdsa521.pub", KeyType::EcdsaP521),
    ];
    for (file, key_type) in cases {
        assert_eq!(
            PublicKey::parse(&data(file)).unwrap().key_type(),
            key_type,
            "{file}"
        );
    }
}

#[test]
fn comment_may_hold_spaces_and_may_be_absent() {
    let line = data("ed25519.pub");
    let key = PublicKey::parse(&line).unwrap();
    assert_eq!(key.comment(), Some("cloudlink test ed25519"));

    let bare: String = line.split(' ').take(2).collect::<Vec<_>>().join(" ");
    let key = PublicKey::parse(&bare).unwrap();
    assert_eq!(key.comment(), None);
    assert_eq!(key.to_line(), bare);

    let spaced = bare.replacen(' ', " \t  ", 1) + "\t  c  \r\n";
    let key = PublicKey::parse(&spaced).unwrap();
    assert_eq!(key.comment(), Some("c"));
    assert_eq!(key.to_line(), format!("{bare} c"));
}

/// An RFC 4251 `string`.
fn string(bytes: &[u8]) -> Vec<u8> {
    let mut out = (bytes.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(bytes);
    out
}

fn line(prefix: &str, fields: &[&[u8]]) -> String {
    let blob: Vec<u8> = fields.iter().flat_map(|f| string(f)).collect();
    format!("{prefix} {}", STANDARD.encode(blob))
}

/// An RSA key line with exponent 65537 and a modulus of exactly `bits` bits.
fn rsa_line(bits: usize) -> String {
    let bytes = bits.div_ceil(8);
    let mut n = vec![0xa5u8; bytes];
    let top = bits - (bytes - 1) * 8;
    n[0] = 1 << (top - 1);
    if n[0] & 0x80 != 0 {
        n.insert(0, 0);
    }
    line("ssh-rsa", &[b"ssh-rsa", &[1, 0, 1], &n])
}

fn ecdsa_point(len: usize) -> Vec<u8> {
    let mut p = vec![7u8; len];
    p[0] = 4;
    p
}

#[test]
fn rsa_bits_at_the_bounds() {
    for bits in [1024, 2047, 2048, 2049, 4096, MAX_RSA_BITS as usize] {
        let key = PublicKey::parse(&rsa_line(bits)).unwrap();
        assert_eq!(key.bits() as usize, bits);
    }
    let too_large = MAX_RSA_BITS as usize + 1;
    assert_eq!(
        PublicKey::parse(&rsa_line(too_large)),
        Err(KeyError::RsaTooLarge {
            bits: MAX_RSA_BITS + 1
        })
    );
}

#[test]
fn ecdsa_point_lengths_at_the_bounds() {
    let cases = [
        ("ecdsa-sha2-nistp256", "nistp256", 65),
        ("ecdsa-sha2-nistp384", "nistp384", 97),
        ("ecdsa-sha2-nistp521", "nistp521", 133),
    ];
    for (name, curve, len) in cases {
        let ok = line(
            name,
            &[name.as_bytes(), curve.as_bytes(), &ecdsa_point(len)],
        );
        assert!(PublicKey::parse(&ok).is_ok(), "{name}");
        for bad in [len - 1, len + 1] {
            let l = line(
                name,
                &[name.as_bytes(), curve.as_bytes(), &ecdsa_point(bad)],
            );
            assert_eq!(
                PublicKey::parse(&l),
                Err(KeyError::InvalidPoint),
                "{name} {bad}"
            );
        }
        let mut compressed = ecdsa_point(len);
        compressed[0] = 2;
        let l = line(name, &[name.as_bytes(), curve.as_bytes(), &compressed]);
        assert_eq!(PublicKey::parse(&l), Err(KeyError::InvalidPoint), "{name}");
    }
}

#[test]
fn malformed_keys_are_refused_with_the_reason() {
    let ed = b"ssh-ed25519".as_slice();
    let p256 = b"ecdsa-sha2-nistp256".as_slice();
    let cases: Vec<(String, KeyError)> = vec![
        (String::new(), KeyError::Empty),
        (" \t\n".to_owned(), KeyError::Empty),
        (
            "ssh-dss AAAA".to_owned(),
            KeyError::UnsupportedType("ssh-dss".to_owned()),
        ),
        (
            "command=\"x\" ssh-ed25519 AAAA".to_owned(),
            KeyError::UnsupportedType("command=\"x\"".to_owned()),
        ),
        ("ssh-ed25519".to_owned(), KeyError::MissingBlob),
        ("ssh-ed25519 !!!!".to_owned(), KeyError::InvalidBase64),
        (
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI".to_owned(),
            KeyError::InvalidBase64,
        ),
        (
            line("ssh-ed25519", &[ed, &[9; 31]]),
            KeyError::InvalidEd25519Length(31),
        ),
        (
            line("ssh-ed25519", &[ed, &[9; 33]]),
            KeyError::InvalidEd25519Length(33),
        ),
        (
            line("ssh-ed25519", &[ed, &[9; 32], b""]),
            KeyError::TrailingBytes,
        ),
        (line("ssh-ed25519", &[ed]), KeyError::Truncated),
        (
            line("ssh-rsa", &[ed, &[9; 32]]),
            KeyError::TypeMismatch {
                prefix: KeyType::Rsa,
                inner: "ssh-ed25519".to_owned(),
            },
        ),
        (
            line(
                "ecdsa-sha2-nistp256",
                &[p256, b"nistp384", &ecdsa_point(65)],
            ),
            KeyError::CurveMismatch {
                expected: "nistp256",
                inner: "nistp384".to_owned(),
            },
        ),
        (
            line("ssh-rsa", &[b"ssh-rsa", &[1, 0, 1], &[0x80, 1]]),
            KeyError::InvalidRsa,
        ),
        (
            line("ssh-rsa", &[b"ssh-rsa", &[1, 0, 1], &[0, 0]]),
            KeyError::InvalidRsa,
        ),
        (
            line("ssh-rsa", &[b"ssh-rsa", &[], &[1, 2]]),
            KeyError::InvalidRsa,
        ),
        (
            format!(
                "{}\n{}",
                data("ed25519.pub").trim(),
                data("ed25519.pub").trim()
            ),
            KeyError::MultipleLines,
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(PublicKey::parse(&input), Err(expected), "{input:?}");
    }
}

#[test]
fn a_blob_cut_anywhere_is_refused() {
    let key = PublicKey::parse(&data("ecdsa256.pub")).unwrap();
    let blob = key.blob();
    for cut in 0..blob.len() {
        let l = format!("ecdsa-sha2-nistp256 {}", STANDARD.encode(&blob[..cut]));
        let result = PublicKey::parse(&l);
        assert!(result.is_err(), "cut at {cut}");
    }
}

#[test]
fn line_length_at_the_bound() {
    let base = data("ed25519.pub").trim().to_owned();
    let at_max = format!("{base} {}", "c".repeat(MAX_LINE - base.len() - 1));
    assert_eq!(at_max.chars().count(), MAX_LINE);
    assert!(PublicKey::parse(&at_max).is_ok());
    let over = format!("{at_max}c");
    assert_eq!(
        PublicKey::parse(&over),
        Err(KeyError::TooLong {
            max: MAX_LINE,
            actual: MAX_LINE + 1
        })
    );
}

#[test]
fn error_messages_are_short_and_lowercase() {
    let e = PublicKey::parse("ssh-dss AAAA").unwrap_err();
    assert_eq!(
        e.to_string(),
        "must start with one of ssh-rsa, ssh-ed25519, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521"
    );
    assert_eq!(KeyError::Truncated.to_string(), "has a truncated key");
}

proptest::proptest! {
    #[test]
    fn parse_never_panics(s in "\\PC{0,300}") {
        let _ = PublicKey::parse(&s);
    }

    #[test]
    fn parse_never_panics_on_any_blob(prefix in 0usize..5, blob in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
        let l = format!("{} {}", KeyType::ALL[prefix].name(), STANDARD.encode(&blob));
        let _ = PublicKey::parse(&l);
    }
}
