//! A `wg-quick` configuration for an Outposts server connection, from the
//! details GetConnection returns and the private key the user kept.
//!
//! The private key never leaves the browser: it is written into the file
//! only when the caller passes it, and otherwise the file carries a comment
//! where it goes. Every field from the answer is checked (keys are 32 bytes
//! of base64, the endpoint is `address:port`, addresses are CIDRs), because
//! `wg-quick` runs as root and passes some of them to `ip`.

use std::fmt::Write;
use std::net::SocketAddr;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::{Cidr, ConfigError};
use crate::outposts::{ConnectionDetails, WIREGUARD_KEY_LENGTH};

/// wg(8): "a sensible interval that works with a wide variety of firewalls".
pub const PERSISTENT_KEEPALIVE_SECONDS: u32 = 25;
/// A Curve25519 key.
const KEY_BYTES: usize = 32;
const KEY_EXPECTED: &str = "a WireGuard key: 32 bytes in base64 (44 characters ending in =)";
const ENDPOINT_EXPECTED: &str = "an address and port like 192.0.2.1:51820";
const CIDR_EXPECTED: &str = "an address with a prefix length like 10.0.0.2/30";

/// Whether `b64` is a WireGuard key as `wg` writes one: 44 characters of
/// standard base64 (with its `=`) decoding to exactly 32 bytes.
pub fn wireguard_key_ok(b64: &str) -> bool {
    b64.len() == WIREGUARD_KEY_LENGTH
        && STANDARD
            .decode(b64)
            .is_ok_and(|bytes| bytes.len() == KEY_BYTES)
}

/// The `wg-quick` file (save it as `/etc/wireguard/wg0.conf`, mode 600).
///
/// `private_key` is the base64 private key matching `ClientPublicKey`;
/// `None` writes a comment in its place for the user to fill in.
pub fn wg_quick(
    details: &ConnectionDetails,
    private_key: Option<&str>,
) -> Result<String, ConfigError> {
    let server_key = key("ServerPublicKey", details.server_public_key.as_deref())?;
    let endpoint = endpoint(details.server_endpoint.as_deref())?;
    let address = cidr(
        "ClientTunnelAddress",
        details.client_tunnel_address.as_deref(),
    )?;
    let allowed = allowed_ips(details.allowed_ips.as_deref())?;
    let private_key = private_key
        .map(|k| key("PrivateKey", Some(k)))
        .transpose()?;
    let client_key = details
        .client_public_key
        .as_deref()
        .map(|k| key("ClientPublicKey", Some(k)))
        .transpose()?;

    let mut o = String::new();
    let _ = writeln!(
        o,
        "# WireGuard (wg-quick) configuration for an AWS Outposts server connection.\n\
         # Generated locally by cloudlink from GetConnection's details; not by AWS.\n\
         # Save as /etc/wireguard/wg0.conf (chmod 600), then run: wg-quick up wg0"
    );
    let _ = writeln!(o, "[Interface]");
    match (private_key, client_key) {
        (Some(k), _) => {
            let _ = writeln!(o, "PrivateKey = {k}");
        }
        (None, Some(public)) => {
            let _ = writeln!(
                o,
                "# PrivateKey = <the private key whose public key is {public}>"
            );
        }
        (None, None) => {
            let _ = writeln!(o, "# PrivateKey = <the private key of this connection>");
        }
    }
    let _ = writeln!(o, "Address = {address}\n");
    let _ = writeln!(o, "[Peer]");
    let _ = writeln!(o, "PublicKey = {server_key}");
    let _ = writeln!(o, "Endpoint = {endpoint}");
    let _ = writeln!(o, "AllowedIPs = {}", allowed.join(", "));
    let _ = writeln!(o, "PersistentKeepalive = {PERSISTENT_KEEPALIVE_SECONDS}");
    Ok(o)
}

fn key<'a>(field: &str, value: Option<&'a str>) -> Result<&'a str, ConfigError> {
    let value = value.ok_or_else(|| ConfigError::missing(field))?;
    if wireguard_key_ok(value) {
        Ok(value)
    } else {
        Err(ConfigError::invalid(field, KEY_EXPECTED))
    }
}

fn endpoint(value: Option<&str>) -> Result<SocketAddr, ConfigError> {
    let field = "ServerEndpoint";
    let value = value.ok_or_else(|| ConfigError::missing(field))?;
    value
        .parse::<SocketAddr>()
        .ok()
        .filter(|a| a.port() != 0)
        .ok_or_else(|| ConfigError::invalid(field, ENDPOINT_EXPECTED))
}

fn cidr(field: &str, value: Option<&str>) -> Result<Cidr, ConfigError> {
    let value = value.ok_or_else(|| ConfigError::missing(field))?;
    Cidr::parse(value).ok_or_else(|| ConfigError::invalid(field, CIDR_EXPECTED))
}

fn allowed_ips(values: Option<&[String]>) -> Result<Vec<String>, ConfigError> {
    let values = values
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ConfigError::missing("AllowedIps"))?;
    values
        .iter()
        .enumerate()
        .map(|(i, v)| cidr(&format!("AllowedIps[{i}]"), Some(v)).map(|c| c.to_string()))
        .collect()
}
