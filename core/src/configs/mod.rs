//! Configuration files generated locally from what a provider answered: a
//! router configuration for a Direct Connect virtual interface, a `wg-quick`
//! file for an Outposts server connection, and OpenSSH settings for an OCI
//! instance console connection.
//!
//! Users otherwise copy these values by hand from a console into a router or
//! a terminal. Every value that came from the cloud is checked before it is
//! written (names and tags are user-controlled, and a connection string is
//! run by a shell), so what these functions return can be pasted as is.
//! A missing or malformed field is a [`ConfigError`] that names the field
//! and never repeats its value (it may be a secret).
//!
//! ```
//! use cloudlink_core::configs::{KeyShown, RouterKind, router_config};
//! use cloudlink_core::directconnect::VirtualInterface;
//!
//! let vif: VirtualInterface = serde_json::from_str(
//!     r#"{"virtualInterfaceId": "dxvif-ffhhk74f", "vlan": 101, "asn": 65000,
//!         "amazonSideAsn": 64512, "authKey": "0xSecret",
//!         "amazonAddress": "169.254.255.1/30", "customerAddress": "169.254.255.2/30",
//!         "addressFamily": "ipv4"}"#,
//! )?;
//! let frr = router_config(&vif, RouterKind::Frr, KeyShown::Masked)?;
//! assert!(frr.contains(" neighbor 169.254.255.1 remote-as 64512\n"));
//! assert!(frr.contains(" neighbor 169.254.255.1 password REPLACE-WITH-BGP-AUTH-KEY\n"));
//! assert!(!frr.contains("0xSecret"));
//!
//! let mut no_vlan = vif.clone();
//! no_vlan.vlan = None;
//! let err = router_config(&no_vlan, RouterKind::Junos, KeyShown::Masked).unwrap_err();
//! assert_eq!(err.to_string(), "vlan is required");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::net::IpAddr;

pub mod openssh;
pub mod router;
pub mod wireguard;

pub use openssh::{SshAccess, ssh_access};
pub use router::{KeyShown, MASKED_BGP_KEY, RouterKind, router_config, router_config_on};
pub use wireguard::{wg_quick, wireguard_key_ok};

/// Why a configuration could not be generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// The field is absent from the provider's answer.
    Missing { field: String },
    /// The field is present but not what the configuration needs.
    Invalid {
        field: String,
        expected: &'static str,
    },
}

impl ConfigError {
    pub(crate) fn missing(field: impl Into<String>) -> Self {
        ConfigError::Missing {
            field: field.into(),
        }
    }

    pub(crate) fn invalid(field: impl Into<String>, expected: &'static str) -> Self {
        ConfigError::Invalid {
            field: field.into(),
            expected,
        }
    }

    /// The wire name of the field at fault (`amazonAddress`,
    /// `bgpPeers[1].customerAddress`, `ServerEndpoint`...).
    pub fn field(&self) -> &str {
        match self {
            ConfigError::Missing { field } | ConfigError::Invalid { field, .. } => field,
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Missing { field } => write!(f, "{field} is required"),
            ConfigError::Invalid { field, expected } => write!(f, "{field} must be {expected}"),
        }
    }
}

impl std::error::Error for ConfigError {}

/// An address with its prefix length, host bits kept (`169.254.0.2/30`,
/// `2001:db8::2/125`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cidr {
    pub address: IpAddr,
    pub prefix_len: u8,
}

impl Cidr {
    /// Strict: the standard library's address syntax, then `/` and a decimal
    /// length without leading zeros that fits the family.
    pub fn parse(text: &str) -> Option<Cidr> {
        let (address, len) = text.split_once('/')?;
        let address: IpAddr = address.parse().ok()?;
        let digits_only = !len.is_empty() && len.bytes().all(|b| b.is_ascii_digit());
        if !digits_only || len.len() > 3 || (len.len() > 1 && len.starts_with('0')) {
            return None;
        }
        let prefix_len: u8 = len.parse().ok()?;
        let max = if address.is_ipv4() { 32 } else { 128 };
        (prefix_len <= max).then_some(Cidr {
            address,
            prefix_len,
        })
    }

    /// The subnet the address sits in, host bits cleared.
    pub fn network(&self) -> IpAddr {
        match self.address {
            IpAddr::V4(a) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix_len))
                    .unwrap_or(0);
                IpAddr::V4((u32::from(a) & mask).into())
            }
            IpAddr::V6(a) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix_len))
                    .unwrap_or(0);
                IpAddr::V6((u128::from(a) & mask).into())
            }
        }
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.address, self.prefix_len)
    }
}

/// A name or description from the cloud, made safe for one line of any of
/// the generated files: letters, digits and `-_.,:/()@+=` kept, spaces
/// kept, everything else (quotes, `$`, `{`, `?`, `!`, `#`, newlines,
/// non-ASCII) replaced by `_`, at most 64 characters.
pub(crate) fn safe_text(text: &str) -> String {
    text.chars()
        .take(64)
        .map(|c| {
            let kept = c.is_ascii_alphanumeric() || c == ' ' || "-_.,:/()@+=".contains(c);
            if kept { c } else { '_' }
        })
        .collect()
}
