//! The WireGuard key pair an Outposts server connection needs, made in the
//! browser, and the `wg-quick` file of a looked-up connection.
//!
//! The browser's WebCrypto makes the X25519 pair and exports the public key
//! `raw` and the private key as PKCS#8; this module turns those bytes into
//! the base64 keys `wg` reads. The private key is never sent: the page keeps
//! it in memory, offers it for download once, and writes it into the
//! `wg-quick` file only of a connection whose client public key is its own.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cloudlink_core::configs::{ConfigError, wg_quick};
use cloudlink_core::directconnect::Secret;
use cloudlink_core::outposts::ConnectionDetails;

/// The name the private key is offered under.
pub const PRIVATE_KEY_FILE: &str = "wireguard-private.key";
/// A Curve25519 key.
const KEY_BYTES: usize = 32;
/// RFC 8410's X25519 PKCS#8 from the version to the key: INTEGER version
/// (its value checked apart, v1 or v2), AlgorithmIdentifier id-X25519
/// (1.3.101.110), then the OCTET STRING holding the OCTET STRING of the key.
const PKCS8_VERSION: [u8; 2] = [0x02, 0x01];
const PKCS8_ALGORITHM_AND_KEY: [u8; 11] = [
    0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
];

/// A key pair made in this page, both halves in `wg`'s base64.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPair {
    pub public: String,
    private: Secret,
}

impl KeyPair {
    /// The pair from WebCrypto's exports: the public key `raw` (32 bytes)
    /// and the private key `pkcs8`.
    pub fn from_exports(raw_public: &[u8], pkcs8_private: &[u8]) -> Result<Self, &'static str> {
        if raw_public.len() != KEY_BYTES {
            return Err("the browser's public key is not 32 bytes");
        }
        let scalar = pkcs8_scalar(pkcs8_private)
            .ok_or("the browser's private key is not an X25519 PKCS#8 key")?;
        Ok(KeyPair {
            public: STANDARD.encode(raw_public),
            private: Secret::new(STANDARD.encode(scalar)),
        })
    }

    /// The private key, for the download and the `wg-quick` file only.
    pub fn private_key(&self) -> &str {
        self.private.expose()
    }
}

/// The 32-byte private key inside an X25519 PKCS#8 `PrivateKeyInfo` (v1) or
/// `OneAsymmetricKey` (v2, the public key after it), short-form lengths.
pub fn pkcs8_scalar(der: &[u8]) -> Option<&[u8]> {
    let (&tag, rest) = der.split_first()?;
    let (&len, body) = rest.split_first()?;
    if tag != 0x30 || usize::from(len) != body.len() {
        return None;
    }
    let body = body.strip_prefix(&PKCS8_VERSION[..])?;
    let (&version, body) = body.split_first()?;
    if version > 1 {
        return None;
    }
    let key = body.strip_prefix(&PKCS8_ALGORITHM_AND_KEY[..])?;
    let (scalar, after) = key.split_at_checked(KEY_BYTES)?;
    // v1 ends with the key; v2 may carry [1] publicKey after it.
    (after.is_empty() || (version == 1 && after.first() == Some(&0x81))).then_some(scalar)
}

/// Where the page stands with its key pair.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum KeyState {
    /// No pair made yet.
    #[default]
    None,
    /// Waiting for the browser.
    Generating,
    /// A pair whose private key can still be downloaded, or already was.
    Ready { pair: KeyPair, downloaded: bool },
    /// The browser could not make or export a pair.
    Failed(String),
}

impl KeyState {
    /// The private key while its download is still on offer.
    pub fn offered(&self) -> Option<&str> {
        match self {
            KeyState::Ready {
                pair,
                downloaded: false,
            } => Some(pair.private_key()),
            _ => None,
        }
    }

    /// The download happened: it is not offered again.
    pub fn mark_downloaded(&mut self) {
        if let KeyState::Ready { downloaded, .. } = self {
            *downloaded = true;
        }
    }

    /// The private key whose public key is `client_public_key`, if this page made it.
    pub fn private_key_for(&self, client_public_key: Option<&str>) -> Option<&str> {
        match self {
            KeyState::Ready { pair, .. } if client_public_key == Some(pair.public.as_str()) => {
                Some(pair.private_key())
            }
            _ => None,
        }
    }

    /// What the page says about the pair.
    pub fn message(&self) -> Option<String> {
        match self {
            KeyState::None => None,
            KeyState::Generating => Some("Generating a key pair…".to_owned()),
            KeyState::Ready {
                downloaded: false, ..
            } => Some(format!(
                "Key pair generated in this browser; the public key is filled in above. \
                 The private key is never sent: download it now ({PRIVATE_KEY_FILE}), \
                 it is offered once."
            )),
            KeyState::Ready {
                downloaded: true, ..
            } => Some(format!(
                "Private key downloaded as {PRIVATE_KEY_FILE}; it is not offered again. \
                 This page keeps it in memory only, for the wg-quick configuration, \
                 until you leave the page."
            )),
            KeyState::Failed(why) => Some(format!("This browser could not make a key pair: {why}")),
        }
    }
}

/// What stands on the screen for a private key that is in the file.
pub const PRIVATE_KEY_SHOWN: &str = "(made in this browser: in Copy and Download, not shown)";

/// A connection's `wg-quick` file and what the page shows of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WgQuickFile {
    /// For Copy and Download: the private key in, when this page made it.
    pub file: String,
    /// On the screen: the same, the private key replaced by [`PRIVATE_KEY_SHOWN`].
    pub shown: String,
}

/// The `wg-quick` file of a connection, with the private key when this page made it.
pub fn wg_quick_file(
    details: &ConnectionDetails,
    keys: &KeyState,
) -> Result<WgQuickFile, ConfigError> {
    let private = keys.private_key_for(details.client_public_key.as_deref());
    let file = wg_quick(details, private)?;
    let shown = match private {
        Some(k) => file.replace(k, PRIVATE_KEY_SHOWN),
        None => file.clone(),
    };
    Ok(WgQuickFile { file, shown })
}

/// `<connection-id>.conf`, the id's characters outside `[A-Za-z0-9._-]`
/// (an Outposts id may hold `+`, `/` and `=`) written as `_`.
pub fn conf_file_name(connection_id: &str) -> String {
    let safe: String = connection_id
        .chars()
        .take(200)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let stem = if safe.is_empty() || safe.starts_with('.') {
        format!("outposts-{safe}")
    } else {
        safe
    };
    format!("{stem}.conf")
}

#[cfg(test)]
mod tests {
    use super::*;
    use cloudlink_core::configs::wireguard_key_ok;

    /// RFC 7748 section 6.1: Alice's private key and the public key it gives.
    const ALICE_PRIVATE: &str = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
    const ALICE_PUBLIC: &str = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// A v1 PKCS#8 as Chromium exports it: 16 bytes of header, then the key.
    fn pkcs8_v1(scalar: &[u8]) -> Vec<u8> {
        let mut der = hex("302e020100300506032b656e04220420");
        der.extend_from_slice(scalar);
        der
    }

    fn pair() -> KeyPair {
        KeyPair::from_exports(&hex(ALICE_PUBLIC), &pkcs8_v1(&hex(ALICE_PRIVATE))).unwrap()
    }

    fn details(client: Option<&str>) -> ConnectionDetails {
        ConnectionDetails {
            client_public_key: client.map(str::to_owned),
            server_public_key: Some("xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=".to_owned()),
            server_endpoint: Some("203.0.113.7:51820".to_owned()),
            client_tunnel_address: Some("169.254.9.2/30".to_owned()),
            server_tunnel_address: Some("169.254.9.1/30".to_owned()),
            allowed_ips: Some(vec!["169.254.9.1/32".to_owned()]),
        }
    }

    #[test]
    fn pkcs8_v1_gives_the_last_32_bytes() {
        let scalar = hex(ALICE_PRIVATE);
        assert_eq!(pkcs8_scalar(&pkcs8_v1(&scalar)), Some(&scalar[..]));
    }

    #[test]
    fn pkcs8_v2_with_the_public_key_gives_the_private_one_not_the_last_32_bytes() {
        let (scalar, public) = (hex(ALICE_PRIVATE), hex(ALICE_PUBLIC));
        let mut der = hex("3051020101300506032b656e04220420");
        der.extend_from_slice(&scalar);
        der.extend_from_slice(&hex("812100"));
        der.extend_from_slice(&public);
        assert_eq!(der.len(), 0x53);
        assert_eq!(pkcs8_scalar(&der), Some(&scalar[..]));
    }

    #[test]
    fn pkcs8_of_another_shape_is_refused() {
        let scalar = hex(ALICE_PRIVATE);
        let good = pkcs8_v1(&scalar);
        assert_eq!(pkcs8_scalar(&[]), None);
        assert_eq!(pkcs8_scalar(&good[..47]), None, "cut short");
        let mut ed25519 = good.clone();
        ed25519[11] = 0x70; // 1.3.101.112
        assert_eq!(pkcs8_scalar(&ed25519), None);
        let mut v3 = good.clone();
        v3[4] = 2;
        assert_eq!(pkcs8_scalar(&v3), None);
        let mut trailing = good.clone();
        trailing.push(0);
        trailing[1] += 1;
        assert_eq!(pkcs8_scalar(&trailing), None, "v1 with bytes after the key");
        let mut wrong_length = good;
        wrong_length[1] = 0x2f;
        assert_eq!(pkcs8_scalar(&wrong_length), None);
    }

    #[test]
    fn a_pair_is_wg_base64_and_hides_its_private_key_from_debug() {
        let p = pair();
        assert_eq!(p.public, "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=");
        assert_eq!(
            p.private_key(),
            "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo="
        );
        assert!(wireguard_key_ok(&p.public) && wireguard_key_ok(p.private_key()));
        assert!(!format!("{p:?}").contains(p.private_key()));
        assert_eq!(
            KeyPair::from_exports(&[0; 31], &pkcs8_v1(&hex(ALICE_PRIVATE))),
            Err("the browser's public key is not 32 bytes")
        );
        assert!(KeyPair::from_exports(&[0; 32], &[0; 48]).is_err());
    }

    #[test]
    fn the_private_key_is_offered_until_downloaded_then_kept_for_its_connection() {
        let mut state = KeyState::Ready {
            pair: pair(),
            downloaded: false,
        };
        let private = pair().private_key().to_owned();
        assert_eq!(state.offered(), Some(private.as_str()));
        assert!(state.message().unwrap().contains("offered once"));
        state.mark_downloaded();
        assert_eq!(state.offered(), None);
        assert!(state.message().unwrap().contains("not offered again"));
        let public = pair().public;
        assert_eq!(state.private_key_for(Some(&public)), Some(private.as_str()));
        assert_eq!(
            state.private_key_for(Some("xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=")),
            None
        );
        assert_eq!(state.private_key_for(None), None);

        let mut none = KeyState::None;
        none.mark_downloaded();
        assert_eq!(none, KeyState::None);
        assert_eq!(none.message(), None);
        assert_eq!(KeyState::Generating.offered(), None);
        let failed = KeyState::Failed("X25519 is not supported".to_owned());
        assert!(
            failed
                .message()
                .unwrap()
                .ends_with("X25519 is not supported")
        );
    }

    #[test]
    fn the_conf_carries_the_private_key_only_of_its_own_connection() {
        let state = KeyState::Ready {
            pair: pair(),
            downloaded: true,
        };
        let public = pair().public;
        let own = wg_quick_file(&details(Some(&public)), &state).unwrap();
        assert!(
            own.file
                .contains(&format!("PrivateKey = {}\n", pair().private_key()))
        );
        assert!(own.file.contains("Endpoint = 203.0.113.7:51820\n"));
        assert!(!own.shown.contains(pair().private_key()));
        assert_eq!(
            own.shown,
            own.file.replace(pair().private_key(), PRIVATE_KEY_SHOWN)
        );

        let other = wg_quick_file(
            &details(Some("xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=")),
            &state,
        )
        .unwrap();
        assert!(!other.file.contains(pair().private_key()));
        assert!(
            other
                .file
                .contains("# PrivateKey = <the private key whose public key is xTIBA5")
        );
        assert_eq!(other.shown, other.file);
        let none = wg_quick_file(&details(Some(&public)), &KeyState::None).unwrap();
        assert!(
            none.file
                .contains("# PrivateKey = <the private key whose public key is hSDw")
        );

        let mut broken = details(Some(&public));
        broken.server_endpoint = None;
        let err = wg_quick_file(&broken, &state).unwrap_err();
        assert_eq!(err.to_string(), "ServerEndpoint is required");
    }

    #[test]
    fn conf_file_names_are_safe() {
        assert_eq!(conf_file_name("abcDEF123"), "abcDEF123.conf");
        assert_eq!(conf_file_name("a+b/c=="), "a_b_c__.conf");
        assert_eq!(
            conf_file_name("../etc/passwd"),
            "outposts-.._etc_passwd.conf"
        );
        assert_eq!(conf_file_name(""), "outposts-.conf");
        assert_eq!(conf_file_name("$(rm -rf ~)\n"), "__rm_-rf____.conf");
        assert_eq!(conf_file_name(&"x".repeat(1024)).len(), 205);
    }
}
