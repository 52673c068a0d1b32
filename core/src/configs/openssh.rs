//! An OCI instance console connection as a ready OpenSSH command and a
//! `~/.ssh/config` block, with the service host key fingerprint to pin.
//!
//! OCI answers `connectionString` as a shell command:
//! `ssh -o ProxyCommand='ssh -W %h:%p -p 443 CONNECTION@instance-console.REGION.oci.oraclecloud.com' INSTANCE`.
//! The user pastes what we show into a shell, so the string is not passed
//! through: it is parsed into its three parts, each checked against the
//! characters an OCID or a host name can hold, and anything of another
//! shape is refused. The command and the block are then written from the
//! parts alone.

use std::fmt::Write;

use super::ConfigError;
use crate::oci::InstanceConsoleConnection;

const FIELD: &str = "connectionString";
const PROXY_PREFIX: &str = "ssh -o ProxyCommand='ssh -W %h:%p -p 443 ";
const CONNECTION_PREFIX: &str = "ocid1.instanceconsoleconnection.";
const INSTANCE_PREFIX: &str = "ocid1.instance.";
const CONSOLE_HOST_PREFIX: &str = "instance-console.";
const OCID_MAX: usize = 255;
const HOST_MAX: usize = 253;
const IDENTITY_MAX: usize = 255;
const FINGERPRINT_MAX: usize = 128;
/// How many characters of the instance OCID's last part name the host alias.
const ALIAS_SUFFIX: usize = 12;
const STRING_EXPECTED: &str = "an OCI console connection string: \
     ssh -o ProxyCommand='ssh -W %h:%p -p 443 CONNECTION-OCID@instance-console.HOST' INSTANCE-OCID";
const IDENTITY_EXPECTED: &str = "a path of letters, digits and ~/._+@- not starting with -";
const FINGERPRINT_EXPECTED: &str = "an SSH key fingerprint like SHA256:base64 or aa:bb:...";

/// How to reach an instance's serial console with OpenSSH.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SshAccess {
    /// The `Host` name the config block defines (`ssh oci-console-...`).
    pub host_alias: String,
    /// A command to paste into a shell, with `-i` when an identity file was given.
    pub command: String,
    /// A `~/.ssh/config` block: the alias, the instance as `HostName`, the
    /// console service as `ProxyCommand`.
    pub config_block: String,
    /// `serviceHostKeyFingerprint`: what ssh should show for the console
    /// service's host key on the first connection.
    pub host_key_fingerprint: Option<String>,
}

/// The parts of a connection string.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ConsoleString<'a> {
    connection: &'a str,
    proxy_host: &'a str,
    instance: &'a str,
}

/// The command and config block for `c`, authenticating with
/// `identity_file` (the private key matching the connection's public key)
/// when given, with OpenSSH's default keys otherwise.
pub fn ssh_access(
    c: &InstanceConsoleConnection,
    identity_file: Option<&str>,
) -> Result<SshAccess, ConfigError> {
    let text = c
        .connection_string
        .as_deref()
        .ok_or_else(|| ConfigError::missing(FIELD))?;
    let parts = parse(text).ok_or_else(|| ConfigError::invalid(FIELD, STRING_EXPECTED))?;
    let identity = identity_file.map(identity).transpose()?;
    let fingerprint = c
        .service_host_key_fingerprint
        .as_deref()
        .map(fingerprint)
        .transpose()?;
    let host_alias = alias(parts.instance);
    let i = identity.map(|p| format!("-i {p} ")).unwrap_or_default();
    let proxy = format!(
        "ssh {i}-W %h:%p -p 443 {}@{}",
        parts.connection, parts.proxy_host
    );
    let command = format!("ssh {i}-o ProxyCommand='{proxy}' {}", parts.instance);
    let mut block = String::new();
    let _ = writeln!(
        block,
        "# OCI instance console connection to {}.\n\
         # Generated locally by cloudlink from its connection string; not by OCI.",
        parts.instance
    );
    if let Some(f) = fingerprint {
        let _ = writeln!(
            block,
            "# The console service's host key fingerprint must be {f}"
        );
    }
    let _ = writeln!(block, "Host {host_alias}");
    let _ = writeln!(block, "    HostName {}", parts.instance);
    let _ = writeln!(block, "    ProxyCommand {proxy}");
    if let Some(p) = identity {
        let _ = writeln!(block, "    IdentityFile {p}");
    }
    Ok(SshAccess {
        host_alias,
        command,
        config_block: block,
        host_key_fingerprint: fingerprint.map(str::to_owned),
    })
}

/// `ssh -o ProxyCommand='ssh -W %h:%p -p 443 USER@HOST' INSTANCE`, spaces
/// and quotes exactly so, surrounding whitespace aside.
fn parse(text: &str) -> Option<ConsoleString<'_>> {
    let rest = text.trim().strip_prefix(PROXY_PREFIX)?;
    let (proxy, instance) = rest.split_once("' ")?;
    let (connection, proxy_host) = proxy.split_once('@')?;
    let parts = ConsoleString {
        connection,
        proxy_host,
        instance,
    };
    let ok = ocid(connection, CONNECTION_PREFIX)
        && ocid(instance, INSTANCE_PREFIX)
        && console_host(proxy_host);
    ok.then_some(parts)
}

/// An OCID of the given type: lowercase letters, digits, `.`, `_` and `-`.
fn ocid(text: &str, prefix: &str) -> bool {
    text.len() <= OCID_MAX
        && text.strip_prefix(prefix).is_some_and(|rest| {
            !rest.is_empty()
                && rest.chars().all(|c| {
                    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')
                })
        })
}

/// `instance-console.` then at least two DNS labels (the region and the
/// realm's domain), lowercase.
fn console_host(text: &str) -> bool {
    let label_ok = |l: &str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    text.len() <= HOST_MAX
        && text.strip_prefix(CONSOLE_HOST_PREFIX).is_some_and(|rest| {
            let labels: Vec<&str> = rest.split('.').collect();
            labels.len() >= 2 && labels.into_iter().all(label_ok)
        })
}

fn identity(path: &str) -> Result<&str, ConfigError> {
    let ok = !path.is_empty()
        && path.len() <= IDENTITY_MAX
        && !path.starts_with('-')
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "~/._+@-".contains(c));
    if ok {
        Ok(path)
    } else {
        Err(ConfigError::invalid("identityFile", IDENTITY_EXPECTED))
    }
}

fn fingerprint(text: &str) -> Result<&str, ConfigError> {
    let ok = !text.is_empty()
        && text.len() <= FINGERPRINT_MAX
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | ':'));
    if ok {
        Ok(text)
    } else {
        Err(ConfigError::invalid(
            "serviceHostKeyFingerprint",
            FINGERPRINT_EXPECTED,
        ))
    }
}

/// `oci-console-` and the end of the instance OCID's unique part.
fn alias(instance: &str) -> String {
    let unique = instance.rsplit('.').next().unwrap_or(instance);
    let start = unique.len().saturating_sub(ALIAS_SUFFIX);
    format!("oci-console-{}", &unique[start..])
}
