//! OpenSSH public keys, as pasted into the OCI console connection form.
//!
//! OCI takes the key as one `authorized_keys`-style line and answers with its
//! MD5 fingerprint; `ssh-keygen -l` prints the SHA-256 one. The console shows
//! both so the user can tell which key a connection uses, and checks the key
//! before sending it so a truncated paste is caught here and not by the
//! service. Only the wire format is read: no key is ever used for crypto.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use md5::Md5;
use sha2::{Digest, Sha256};

/// The longest line accepted. A 16384-bit RSA key (OpenSSH's largest) is
/// about 2,800 characters of base64; the rest leaves room for a comment.
pub const MAX_LINE: usize = 8192;

/// OpenSSH refuses RSA moduli above 16384 bits (`SSH_RSA_MAXIMUM_MODULUS_SIZE`).
pub const MAX_RSA_BITS: u32 = 16384;

/// The key algorithms cloudlink accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyType {
    Rsa,
    Ed25519,
    EcdsaP256,
    EcdsaP384,
    EcdsaP521,
}

impl KeyType {
    pub const ALL: [KeyType; 5] = [
        KeyType::Rsa,
        KeyType::Ed25519,
        KeyType::EcdsaP256,
        KeyType::EcdsaP384,
        KeyType::EcdsaP521,
    ];

    /// The name at the start of the line and inside the blob.
    pub fn name(self) -> &'static str {
        match self {
            KeyType::Rsa => "ssh-rsa",
            KeyType::Ed25519 => "ssh-ed25519",
            KeyType::EcdsaP256 => "ecdsa-sha2-nistp256",
            KeyType::EcdsaP384 => "ecdsa-sha2-nistp384",
            KeyType::EcdsaP521 => "ecdsa-sha2-nistp521",
        }
    }

    pub fn from_name(name: &str) -> Option<KeyType> {
        KeyType::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The curve name an ECDSA blob repeats, and its uncompressed point length.
    fn curve(self) -> Option<(&'static str, usize)> {
        match self {
            KeyType::EcdsaP256 => Some(("nistp256", 65)),
            KeyType::EcdsaP384 => Some(("nistp384", 97)),
            KeyType::EcdsaP521 => Some(("nistp521", 133)),
            KeyType::Rsa | KeyType::Ed25519 => None,
        }
    }
}

impl fmt::Display for KeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a line is not an OpenSSH public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    Empty,
    TooLong {
        max: usize,
        actual: usize,
    },
    /// More than one line.
    MultipleLines,
    /// The first word is not a supported key type (kept, cut to 64 characters).
    UnsupportedType(String),
    /// No base64 after the type.
    MissingBlob,
    InvalidBase64,
    /// The blob ends inside a field.
    Truncated,
    /// Bytes after the last field of the blob.
    TrailingBytes,
    /// The blob names another algorithm than the line's prefix.
    TypeMismatch {
        prefix: KeyType,
        inner: String,
    },
    /// An ECDSA blob names another curve than its key type.
    CurveMismatch {
        expected: &'static str,
        inner: String,
    },
    /// An ECDSA point that is not an uncompressed point of the curve's size.
    InvalidPoint,
    /// An Ed25519 key that is not 32 bytes.
    InvalidEd25519Length(usize),
    /// An RSA key whose exponent or modulus is zero or negative.
    InvalidRsa,
    RsaTooLarge {
        bits: u32,
    },
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::Empty => f.write_str("is empty"),
            KeyError::TooLong { max, actual } => {
                write!(f, "is {actual} characters long, more than {max}")
            }
            KeyError::MultipleLines => f.write_str("must be a single line"),
            KeyError::UnsupportedType(_) => write!(
                f,
                "must start with one of {}",
                KeyType::ALL.map(KeyType::name).join(", ")
            ),
            KeyError::MissingBlob => f.write_str("has no base64 key after its type"),
            KeyError::InvalidBase64 => f.write_str("has a key that is not valid base64"),
            KeyError::Truncated => f.write_str("has a truncated key"),
            KeyError::TrailingBytes => f.write_str("has extra bytes after the key"),
            KeyError::TypeMismatch { prefix, inner } => {
                write!(
                    f,
                    "says {prefix} but holds a {} key",
                    truncate(inner, QUOTED_MAX)
                )
            }
            KeyError::CurveMismatch { expected, inner } => {
                write!(
                    f,
                    "must use curve {expected}, not {}",
                    truncate(inner, QUOTED_MAX)
                )
            }
            KeyError::InvalidPoint => f.write_str("has an invalid elliptic curve point"),
            KeyError::InvalidEd25519Length(n) => {
                write!(f, "has an ed25519 key of {n} bytes, not 32")
            }
            KeyError::InvalidRsa => f.write_str("has an invalid rsa key"),
            KeyError::RsaTooLarge { bits } => {
                write!(f, "has a {bits}-bit rsa key, more than {MAX_RSA_BITS}")
            }
        }
    }
}

impl std::error::Error for KeyError {}

/// Characters of a bad key type quoted in a message.
const QUOTED_MAX: usize = 64;

/// The first characters of `s`, to quote it in a message. This module
/// depends on no other of the crate (`validate` carries its `KeyError`).
fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// A parsed public key line: `type base64-blob [comment]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    key_type: KeyType,
    blob: Vec<u8>,
    comment: Option<String>,
    bits: u32,
}

impl PublicKey {
    /// Parses one line as `ssh-keygen` writes it in a `.pub` file. Leading and
    /// trailing whitespace (including a final newline) is ignored;
    /// `authorized_keys` options before the type are not accepted.
    pub fn parse(line: &str) -> Result<PublicKey, KeyError> {
        let actual = line.chars().count();
        if actual > MAX_LINE {
            return Err(KeyError::TooLong {
                max: MAX_LINE,
                actual,
            });
        }
        let line = line.trim();
        if line.is_empty() {
            return Err(KeyError::Empty);
        }
        if line.contains(['\n', '\r']) {
            return Err(KeyError::MultipleLines);
        }
        let mut parts = line.splitn(2, [' ', '\t']);
        let prefix = parts.next().unwrap_or_default();
        let key_type = KeyType::from_name(prefix)
            .ok_or_else(|| KeyError::UnsupportedType(truncate(prefix, QUOTED_MAX)))?;
        let rest = parts
            .next()
            .unwrap_or_default()
            .trim_start_matches([' ', '\t']);
        let mut rest = rest.splitn(2, [' ', '\t']);
        let encoded = rest.next().unwrap_or_default();
        if encoded.is_empty() {
            return Err(KeyError::MissingBlob);
        }
        let comment = rest
            .next()
            .map(|c| c.trim_matches([' ', '\t']))
            .filter(|c| !c.is_empty())
            .map(str::to_owned);
        let blob = STANDARD
            .decode(encoded)
            .map_err(|_| KeyError::InvalidBase64)?;
        let bits = check_blob(key_type, &blob)?;
        Ok(PublicKey {
            key_type,
            blob,
            comment,
            bits,
        })
    }

    pub fn key_type(&self) -> KeyType {
        self.key_type
    }

    /// The decoded wire blob, as fingerprints hash it.
    pub fn blob(&self) -> &[u8] {
        &self.blob
    }

    pub fn comment(&self) -> Option<&str> {
        self.comment.as_deref()
    }

    /// Key size as `ssh-keygen -l` prints it: the modulus size for RSA, 256
    /// for Ed25519, the curve size for ECDSA.
    pub fn bits(&self) -> u32 {
        self.bits
    }

    /// `SHA256:` and the unpadded base64 of the blob's SHA-256, as OpenSSH prints it.
    pub fn fingerprint_sha256(&self) -> String {
        format!(
            "SHA256:{}",
            STANDARD_NO_PAD.encode(Sha256::digest(&self.blob))
        )
    }

    /// The blob's MD5 as lowercase hex pairs joined by `:`, as OCI shows it
    /// (`ssh-keygen -E md5` prints the same after `MD5:`).
    pub fn fingerprint_md5(&self) -> String {
        let digest = Md5::digest(&self.blob);
        let pairs: Vec<String> = digest.iter().map(|b| format!("{b:02x}")).collect();
        pairs.join(":")
    }

    /// The line again, normalised: single spaces, no trailing newline.
    pub fn to_line(&self) -> String {
        let mut line = format!("{} {}", self.key_type.name(), STANDARD.encode(&self.blob));
        if let Some(c) = &self.comment {
            line.push(' ');
            line.push_str(c);
        }
        line
    }
}

impl fmt::Display for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_line())
    }
}

/// Reads RFC 4251 `string` and `mpint` fields.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn string(&mut self) -> Result<&'a [u8], KeyError> {
        let (len, rest) = self.0.split_first_chunk::<4>().ok_or(KeyError::Truncated)?;
        let len = u32::from_be_bytes(*len) as usize;
        if rest.len() < len {
            return Err(KeyError::Truncated);
        }
        let (value, rest) = rest.split_at(len);
        self.0 = rest;
        Ok(value)
    }

    fn finish(&self) -> Result<(), KeyError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(KeyError::TrailingBytes)
        }
    }
}

/// Checks a blob's structure against its type; returns the key size in bits.
fn check_blob(key_type: KeyType, blob: &[u8]) -> Result<u32, KeyError> {
    let mut r = Reader(blob);
    let inner = r.string()?;
    if inner != key_type.name().as_bytes() {
        return Err(KeyError::TypeMismatch {
            prefix: key_type,
            inner: String::from_utf8_lossy(inner).into_owned(),
        });
    }
    let bits = match key_type {
        KeyType::Rsa => {
            let e = r.string()?;
            let n = r.string()?;
            let e_bits = mpint_bits(e)?;
            let n_bits = mpint_bits(n)?;
            if e_bits == 0 || n_bits == 0 {
                return Err(KeyError::InvalidRsa);
            }
            if n_bits > MAX_RSA_BITS {
                return Err(KeyError::RsaTooLarge { bits: n_bits });
            }
            n_bits
        }
        KeyType::Ed25519 => {
            let key = r.string()?;
            if key.len() != 32 {
                return Err(KeyError::InvalidEd25519Length(key.len()));
            }
            256
        }
        KeyType::EcdsaP256 | KeyType::EcdsaP384 | KeyType::EcdsaP521 => {
            let (curve, point_len) = key_type.curve().unwrap_or(("", 0));
            let named = r.string()?;
            if named != curve.as_bytes() {
                return Err(KeyError::CurveMismatch {
                    expected: curve,
                    inner: String::from_utf8_lossy(named).into_owned(),
                });
            }
            let point = r.string()?;
            // OpenSSH writes uncompressed points: 0x04, then X and Y.
            if point.len() != point_len || point.first() != Some(&0x04) {
                return Err(KeyError::InvalidPoint);
            }
            match key_type {
                KeyType::EcdsaP256 => 256,
                KeyType::EcdsaP384 => 384,
                _ => 521,
            }
        }
    };
    r.finish()?;
    Ok(bits)
}

/// Bit length of a non-negative `mpint`; negative values are refused.
fn mpint_bits(bytes: &[u8]) -> Result<u32, KeyError> {
    if bytes.first().is_some_and(|b| b & 0x80 != 0) {
        return Err(KeyError::InvalidRsa);
    }
    let Some(start) = bytes.iter().position(|&b| b != 0) else {
        return Ok(0);
    };
    let significant = &bytes[start..];
    let top = 8 - significant[0].leading_zeros();
    let bits = (significant.len() - 1) * 8 + top as usize;
    u32::try_from(bits).map_err(|_| KeyError::InvalidRsa)
}
