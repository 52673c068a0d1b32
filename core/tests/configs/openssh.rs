//! OpenSSH access to an OCI instance console: golden files, `ssh -G` on the
//! generated block, a shell's reading of the command, and refusal of any
//! connection string of another shape.

use cloudlink_core::configs::{ConfigError, ssh_access};
use cloudlink_core::oci::InstanceConsoleConnection;

use super::support::{assert_golden, scratch_file, stderr, stdout, tool};

const CONNECTION: &str = "ocid1.instanceconsoleconnection.oc1.iad.anuwcljtc2rhlsqcqv6rpnsfv7q5kqvbeunbfzxu2e3ha4qmvbwqgxeqgzba";
const INSTANCE: &str =
    "ocid1.instance.oc1.iad.anuwcljtc2rhlsqc6yjcw5gqv4qnxbm3ftzgdojaw7ixkzzmiyhwbxdqxjda";
const HOST: &str = "instance-console.us-ashburn-1.oci.oraclecloud.com";
const FINGERPRINT: &str = "SHA256:u9cM2iE7PqE3n6Ew0Jm0mCqB9V3p8l5pT1y7mZK2f4Q";

fn connection_string() -> String {
    format!("ssh -o ProxyCommand='ssh -W %h:%p -p 443 {CONNECTION}@{HOST}' {INSTANCE}")
}

fn connection(text: &str) -> InstanceConsoleConnection {
    InstanceConsoleConnection {
        id: Some(CONNECTION.to_owned()),
        instance_id: Some(INSTANCE.to_owned()),
        connection_string: Some(text.to_owned()),
        service_host_key_fingerprint: Some(FINGERPRINT.to_owned()),
        ..InstanceConsoleConnection::default()
    }
}

#[test]
fn golden_files() {
    let with = ssh_access(
        &connection(&connection_string()),
        Some("~/.ssh/oci_console"),
    )
    .unwrap();
    assert_golden("ssh-config-with-identity.txt", &with.config_block);
    assert_golden(
        "ssh-command-with-identity.txt",
        &format!("{}\n", with.command),
    );
    let without = ssh_access(&connection(&connection_string()), None).unwrap();
    assert_golden("ssh-config-without-identity.txt", &without.config_block);
    assert_eq!(
        without.command,
        connection_string(),
        "rebuilt exactly as OCI wrote it"
    );
    assert_eq!(with.host_key_fingerprint.as_deref(), Some(FINGERPRINT));
    assert_eq!(with.host_alias, "oci-console-iyhwbxdqxjda");
}

/// `ssh -G` prints the configuration OpenSSH would use for a host, without
/// connecting.
fn ssh_g(config: &str, host: &str) -> Vec<(String, String)> {
    let path = scratch_file("ssh_config", config);
    let output = tool("/usr/bin/ssh", "openssh-client")
        .arg("-G")
        .arg("-F")
        .arg(&path)
        .arg(host)
        .output()
        .expect("ssh runs");
    assert!(output.status.success(), "ssh -G: {}", stderr(&output));
    stdout(&output)
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn setting<'a>(settings: &'a [(String, String)], key: &str) -> Vec<&'a str> {
    settings
        .iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .collect()
}

#[test]
fn openssh_reads_the_config_block() {
    let access = ssh_access(&connection(&connection_string()), Some("/home/me/.ssh/oci")).unwrap();
    let settings = ssh_g(&access.config_block, &access.host_alias);
    assert_eq!(setting(&settings, "hostname"), [INSTANCE]);
    assert_eq!(setting(&settings, "port"), ["22"]);
    assert_eq!(
        setting(&settings, "proxycommand"),
        [format!("ssh -i /home/me/.ssh/oci -W %h:%p -p 443 {CONNECTION}@{HOST}").as_str()]
    );
    assert_eq!(setting(&settings, "identityfile"), ["/home/me/.ssh/oci"]);
    // Another host is untouched by the block.
    let other = ssh_g(&access.config_block, "example.org");
    assert_eq!(setting(&other, "hostname"), ["example.org"]);
    assert!(setting(&other, "proxycommand").is_empty());
}

#[test]
fn a_shell_splits_the_command_into_the_expected_arguments() {
    let access = ssh_access(&connection(&connection_string()), Some("~/.ssh/oci")).unwrap();
    let args = access.command.strip_prefix("ssh ").unwrap();
    let output = tool("/bin/sh", "dash")
        .arg("-c")
        .arg(format!("printf '%s\\n' {args}"))
        .env("HOME", "/home/me")
        .output()
        .unwrap();
    let words: Vec<String> = stdout(&output).lines().map(str::to_owned).collect();
    assert_eq!(
        words,
        [
            "-i".to_owned(),
            "/home/me/.ssh/oci".to_owned(),
            "-o".to_owned(),
            format!("ProxyCommand=ssh -i ~/.ssh/oci -W %h:%p -p 443 {CONNECTION}@{HOST}"),
            INSTANCE.to_owned(),
        ]
    );
}

fn refused(text: &str) -> ConfigError {
    ssh_access(&connection(text), None).unwrap_err()
}

#[test]
fn only_the_documented_shape_is_accepted() {
    let good = connection_string();
    let hostile = [
        good.replace("' ocid1", "'; id; ocid1"),
        good.replace("-p 443", "-p 22"),
        good.replace(INSTANCE, &format!("{INSTANCE} $(id)")),
        good.replace(INSTANCE, &format!("{INSTANCE}`id`")),
        good.replace(INSTANCE, &format!("{INSTANCE}\nid")),
        good.replace(
            CONNECTION,
            "ocid1.instanceconsoleconnection.oc1.iad.x'$(id)'",
        ),
        good.replace(HOST, "evil.example.com"),
        good.replace(
            HOST,
            "instance-console.us-ashburn-1.oci.oraclecloud.com -oProxyCommand=id",
        ),
        good.replace("ssh -o", "ssh -oLocalCommand=id -o"),
        good.replace(INSTANCE, "ocid1.volume.oc1.iad.abc"),
        good.replace("ocid1.instance.oc1", "ocid1.instance.OC1"),
        good.replace("@", "@@"),
        format!("{good} -N"),
        String::new(),
    ];
    for text in hostile {
        assert_eq!(refused(&text).field(), "connectionString", "{text:?}");
    }
    let old_domain = good.replace(".oci.oraclecloud.com", ".oraclecloud.com");
    assert!(ssh_access(&connection(&old_domain), None).is_ok());
    assert!(ssh_access(&connection(&format!("  {good}\n")), None).is_ok());
}

#[test]
fn other_fields_are_checked_too() {
    let mut c = connection(&connection_string());
    c.connection_string = None;
    assert_eq!(
        ssh_access(&c, None).unwrap_err().to_string(),
        "connectionString is required"
    );
    for path in ["my key", "$(id)", "-oProxyCommand=id", "a'b", "", "k\n"] {
        let err = ssh_access(&connection(&connection_string()), Some(path)).unwrap_err();
        assert_eq!(err.field(), "identityFile", "{path:?}");
    }
    let mut c = connection(&connection_string());
    c.service_host_key_fingerprint = Some("SHA256:abc\nHost *".into());
    assert_eq!(
        ssh_access(&c, None).unwrap_err().field(),
        "serviceHostKeyFingerprint"
    );
    c.service_host_key_fingerprint = None;
    let access = ssh_access(&c, None).unwrap();
    assert_eq!(access.host_key_fingerprint, None);
    assert!(!access.config_block.contains("fingerprint"));
}
