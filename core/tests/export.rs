//! The Terraform and CLI exports of a fixed estate covering every kind of
//! item: compared with golden files (`UPDATE_GOLDEN=1` rewrites them), the
//! Terraform parsed with an HCL parser, the script checked by bash and run
//! with the three CLIs replaced by stubs that record their arguments.

#[path = "support/golden.rs"]
mod golden;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use cloudlink_core::Service;
use cloudlink_core::directconnect::{Connection, VirtualInterface};
use cloudlink_core::export::{Estate, Origin, cli_script, terraform};
use cloudlink_core::oci::InstanceConsoleConnection;
use serde_json::{Value, json};

/// A name a user could give: quotes, a command substitution, HCL templates,
/// a newline.
const HOSTILE: &str = "core\"'$(touch PWNED) `id` ${var.x} %{if 1}y%{endif}\n\\next";

/// The BGP auth keys of the fixture; none may appear in an export.
const SECRETS: [&str; 4] = [
    "private-key-1",
    "hosted-key-22",
    "osc-key-333",
    "public-key-4444",
];

struct Fixture {
    connections: Vec<(Origin<'static>, Connection)>,
    interfaces: Vec<(Origin<'static>, VirtualInterface)>,
    consoles: Vec<(Origin<'static>, InstanceConsoleConnection)>,
}

fn origin(service: Service, profile: &'static str, region: &'static str) -> Origin<'static> {
    Origin {
        service,
        profile,
        region,
    }
}

fn from(value: Value) -> Connection {
    serde_json::from_value(value).unwrap()
}

fn vif(value: Value) -> VirtualInterface {
    serde_json::from_value(value).unwrap()
}

fn connections() -> Vec<(Origin<'static>, Connection)> {
    let dx = origin(Service::DirectConnect, "", "us-east-1");
    let prod = origin(Service::DirectConnect, "prod", "eu-west-1");
    let osc = origin(Service::DirectLink, "osc", "eu-west-2");
    vec![
        (
            dx,
            from(
                json!({"connectionId": "dxcon-aaaa1111", "connectionName": HOSTILE,
            "ownerAccount": "111111111111", "connectionState": "available", "bandwidth": "10Gbps",
            "location": "EqDC2", "providerName": "Equinix",
            "tags": [{"key": "team", "value": HOSTILE}, {"key": "env"}]}),
            ),
        ),
        (
            dx,
            from(
                json!({"connectionId": "dxcon-gone0000", "connectionName": "old",
            "connectionState": "deleted", "bandwidth": "1Gbps", "location": "EqDC2"}),
            ),
        ),
        (
            prod,
            from(
                json!({"connectionId": "dxcon-bbbb2222", "connectionName": "prod-link",
            "ownerAccount": "222222222222", "connectionState": "available",
            "bandwidth": "1Gbps", "location": "EqLD5"}),
            ),
        ),
        // The same connection read through a second profile of the same account.
        (
            origin(Service::DirectConnect, "prod-ro", "eu-west-1"),
            from(
                json!({"connectionId": "dxcon-bbbb2222", "connectionName": "prod-link",
            "ownerAccount": "222222222222", "bandwidth": "1Gbps", "location": "EqLD5"}),
            ),
        ),
        (
            osc,
            from(
                json!({"connectionId": "dxcon-cccc3333", "connectionName": "osc-link",
            "ownerAccount": "333333333333", "connectionState": "available",
            "bandwidth": "1Gbps", "location": "PAR1"}),
            ),
        ),
    ]
}

fn interfaces() -> Vec<(Origin<'static>, VirtualInterface)> {
    let dx = origin(Service::DirectConnect, "", "us-east-1");
    let prod = origin(Service::DirectConnect, "prod", "eu-west-1");
    let osc = origin(Service::DirectLink, "osc", "eu-west-2");
    vec![
        (
            dx,
            vif(
                json!({"virtualInterfaceId": "dxvif-private1", "connectionId": "dxcon-aaaa1111",
            "ownerAccount": "111111111111", "virtualInterfaceType": "private",
            "virtualInterfaceName": HOSTILE, "vlan": 101, "asn": 65000, "addressFamily": "ipv4",
            "amazonAddress": "169.254.10.1/30", "customerAddress": "169.254.10.2/30",
            "authKey": SECRETS[0], "mtu": 9001, "siteLinkEnabled": false,
            "virtualGatewayId": "vgw-1234", "virtualInterfaceState": "available",
            "tags": [{"key": HOSTILE, "value": "v"}]}),
            ),
        ),
        (
            dx,
            vif(
                json!({"virtualInterfaceId": "dxvif-hosted22", "connectionId": "dxcon-aaaa1111",
            "ownerAccount": "999999999999", "virtualInterfaceType": "private",
            "virtualInterfaceName": "for-partner", "vlan": 102, "asn": 65001,
            "addressFamily": "ipv4", "authKey": SECRETS[1], "mtu": 1500,
            "virtualInterfaceState": "confirming"}),
            ),
        ),
        (
            dx,
            vif(
                json!({"virtualInterfaceId": "dxvif-public33", "connectionId": "dxcon-aaaa1111",
            "ownerAccount": "111111111111", "virtualInterfaceType": "public",
            "virtualInterfaceName": "public", "vlan": 103, "asn": 65002, "addressFamily": "ipv4",
            "amazonAddress": "203.0.113.1/30", "customerAddress": "203.0.113.2/30",
            "authKey": SECRETS[3],
            "routeFilterPrefixes": [{"cidr": "203.0.113.0/24"}, {"cidr": "198.51.100.0/24"}],
            "virtualInterfaceState": "verifying"}),
            ),
        ),
        (
            dx,
            vif(
                json!({"virtualInterfaceId": "dxvif-deleted", "connectionId": "dxcon-aaaa1111",
            "virtualInterfaceType": "private", "virtualInterfaceName": "gone", "vlan": 104,
            "virtualInterfaceState": "deleted"}),
            ),
        ),
        (
            prod,
            vif(
                json!({"virtualInterfaceId": "dxvif-transit4", "connectionId": "dxcon-bbbb2222",
            "ownerAccount": "222222222222", "virtualInterfaceType": "transit",
            "virtualInterfaceName": "to-tgw", "vlan": 200, "asnLong": 4_200_000_000_i64,
            "addressFamily": "ipv6", "mtu": 8500, "siteLinkEnabled": true,
            "directConnectGatewayId": "5f2a-dxgw", "virtualInterfaceState": "available"}),
            ),
        ),
        // Allocated by another account on its connection, accepted by this profile.
        (
            prod,
            vif(
                json!({"virtualInterfaceId": "dxvif-accept55", "connectionId": "dxcon-partner9",
            "ownerAccount": "222222222222", "virtualInterfaceType": "private",
            "virtualInterfaceName": "from-partner", "vlan": 300, "asn": 65100,
            "addressFamily": "ipv4", "directConnectGatewayId": "5f2a-dxgw",
            "virtualInterfaceState": "available", "tags": [{"key": "side", "value": "accepter"}]}),
            ),
        ),
        (
            prod,
            vif(
                json!({"virtualInterfaceId": "dxvif-strange6", "connectionId": "dxcon-bbbb2222",
            "virtualInterfaceType": "mystery", "virtualInterfaceName": "odd", "vlan": 301}),
            ),
        ),
        (
            osc,
            vif(
                json!({"virtualInterfaceId": "dxvif-osc00007", "connectionId": "dxcon-cccc3333",
            "ownerAccount": "333333333333", "virtualInterfaceType": "private",
            "virtualInterfaceName": "osc-vif", "vlan": 400, "asn": 65200,
            "amazonAddress": "172.16.0.1/30", "customerAddress": "172.16.0.2/30",
            "authKey": SECRETS[2], "virtualGatewayId": "vgw-osc1",
            "virtualInterfaceState": "available"}),
            ),
        ),
    ]
}

fn consoles() -> Vec<(Origin<'static>, InstanceConsoleConnection)> {
    let console = |value: Value| serde_json::from_value(value).unwrap();
    vec![
        (
            origin(Service::OciCore, "", "us-phoenix-1"),
            console(json!({
            "id": "ocid1.instanceconsoleconnection.oc1.phx.aaaa1", "lifecycleState": "ACTIVE",
            "instanceId": "ocid1.instance.oc1.phx.bbbb1",
            "freeformTags": {"owner": HOSTILE},
            "definedTags": {"Operations": {"CostCenter": "42"}}})),
        ),
        (
            origin(Service::OciCore, "oci-prod", "eu-frankfurt-1"),
            console(json!({
            "id": "ocid1.instanceconsoleconnection.oc1.eu-frankfurt-1.cccc2",
            "lifecycleState": "ACTIVE", "instanceId": "ocid1.instance.oc1.eu-frankfurt-1.dddd2"})),
        ),
        (
            origin(Service::OciCore, "", "us-phoenix-1"),
            console(json!({
            "id": "ocid1.instanceconsoleconnection.oc1.phx.eeee3", "lifecycleState": "DELETED",
            "instanceId": "ocid1.instance.oc1.phx.bbbb1"})),
        ),
    ]
}

fn fixture() -> Fixture {
    Fixture {
        connections: connections(),
        interfaces: interfaces(),
        consoles: consoles(),
    }
}

fn estate(f: &Fixture) -> Estate<'_> {
    Estate {
        connections: f.connections.iter().map(|(o, c)| (*o, c)).collect(),
        interfaces: f.interfaces.iter().map(|(o, v)| (*o, v)).collect(),
        console_connections: f.consoles.iter().map(|(o, c)| (*o, c)).collect(),
    }
}

fn golden(name: &str, actual: &str) {
    golden::assert_golden("export", name, actual);
}

#[test]
fn terraform_matches_its_golden_file() {
    let f = fixture();
    golden("export.tf", &terraform(&estate(&f)));
}

#[test]
fn cli_script_matches_its_golden_file() {
    let f = fixture();
    golden("export.sh", &cli_script(&estate(&f)));
}

#[test]
fn exports_are_deterministic() {
    let f = fixture();
    assert_eq!(terraform(&estate(&f)), terraform(&estate(&f)));
    assert_eq!(cli_script(&estate(&f)), cli_script(&estate(&f)));
}

#[test]
fn no_secret_is_written() {
    let f = fixture();
    for text in [terraform(&estate(&f)), cli_script(&estate(&f))] {
        for secret in SECRETS {
            assert!(!text.contains(secret), "{secret} written in:\n{text}");
        }
    }
}

#[test]
fn an_empty_estate_exports_valid_empty_files() {
    let empty = Estate::default();
    let tf = terraform(&empty);
    let body = hcl::parse(&tf).unwrap();
    assert_eq!(body.blocks().count(), 1, "only the terraform block:\n{tf}");
    let script = cli_script(&empty);
    assert!(script.starts_with("#!/usr/bin/env bash\n"));
    assert!(!script.contains("\naws ") && !script.contains("SSH_PUBLIC_KEY_FILE"));
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cloudlink-export-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn bash() -> Command {
    Command::new("bash")
}

/// The traversals (`var.x`, `aws.y`, `type.name.id`) among the attributes of
/// the resources.
fn traversals(resources: &[hcl::Body]) -> BTreeSet<String> {
    let attrs = resources.iter().flat_map(|b| b.attributes());
    attrs
        .filter(|a| matches!(a.expr(), hcl::Expression::Traversal(_)))
        .map(|a| a.expr().to_string())
        .collect()
}

fn string_attr(body: &hcl::Body, key: &str) -> Option<String> {
    body.attributes()
        .find(|a| a.key() == key)
        .map(|a| match a.expr() {
            hcl::Expression::String(s) => s.clone(),
            other => panic!("{key} is not a plain string: {other:?}"),
        })
}

fn expr_attr(body: &hcl::Body, key: &str) -> String {
    let attr = body.attributes().find(|a| a.key() == key);
    attr.unwrap_or_else(|| panic!("no {key}"))
        .expr()
        .to_string()
}

#[test]
fn terraform_parses_and_every_reference_resolves() {
    let f = fixture();
    let tf = terraform(&estate(&f));
    let body = hcl::parse(&tf).unwrap_or_else(|e| panic!("{e}\n{tf}"));
    let (mut resources, mut imports) = (BTreeSet::new(), BTreeSet::new());
    let (mut variables, mut providers, mut uses) = (BTreeSet::new(), BTreeSet::new(), Vec::new());
    for block in body.blocks() {
        let labels: Vec<&str> = block.labels().iter().map(|l| l.as_str()).collect();
        match block.identifier() {
            "resource" => {
                resources.insert(format!("{}.{}", labels[0], labels[1]));
                uses.push(block.body().clone());
            }
            "import" => {
                let id = string_attr(block.body(), "id").unwrap();
                imports.insert((expr_attr(block.body(), "to"), id));
            }
            "variable" => {
                variables.insert(labels[0].to_owned());
            }
            "provider" => {
                let alias = string_attr(block.body(), "alias").unwrap();
                providers.insert(format!("{}.{alias}", labels[0]));
            }
            "terraform" => {}
            other => panic!("unexpected block {other}"),
        }
    }
    let expected = [
        "aws_dx_connection.dxcon_aaaa1111",
        "aws_dx_connection.dxcon_bbbb2222",
        "aws_dx_private_virtual_interface.dxvif_private1",
        "aws_dx_hosted_private_virtual_interface.dxvif_hosted22",
        "aws_dx_public_virtual_interface.dxvif_public33",
        "aws_dx_transit_virtual_interface.dxvif_transit4",
        "aws_dx_hosted_private_virtual_interface_accepter.dxvif_accept55",
        "oci_core_instance_console_connection.console_aaaa1",
        "oci_core_instance_console_connection.console_cccc2",
    ];
    assert_eq!(resources, expected.iter().map(|s| s.to_string()).collect());
    // One import per resource, with the id the resource was named from.
    let imported: BTreeSet<String> = imports.iter().map(|(to, _)| to.clone()).collect();
    assert_eq!(imported, resources);
    assert!(imports.contains(&(
        "aws_dx_connection.dxcon_aaaa1111".to_owned(),
        "dxcon-aaaa1111".to_owned()
    )));
    assert!(imports.contains(&(
        "oci_core_instance_console_connection.console_cccc2".to_owned(),
        "ocid1.instanceconsoleconnection.oc1.eu-frankfurt-1.cccc2".to_owned()
    )));
    let refs = traversals(&uses);
    let of = |prefix: &str| -> BTreeSet<String> {
        refs.iter()
            .filter(|r| r.starts_with(prefix))
            .cloned()
            .collect()
    };
    let declared: BTreeSet<String> = variables.iter().map(|v| format!("var.{v}")).collect();
    assert_eq!(
        of("var."),
        declared,
        "every variable used, every use declared"
    );
    assert_eq!(declared.len(), 4, "three BGP keys and the public key");
    let used_providers: BTreeSet<String> = of("aws.").union(&of("oci.")).cloned().collect();
    assert_eq!(
        used_providers, providers,
        "every provider used, every use declared"
    );
    assert_eq!(providers.len(), 4, "{providers:?}");
    let connections = of("aws_dx_connection.");
    assert_eq!(connections.len(), 2, "{connections:?}");
    for reference in connections {
        assert!(
            resources.contains(reference.trim_end_matches(".id")),
            "{reference}"
        );
    }
    assert_eq!(refs.len(), 4 + 4 + 2, "{refs:?}");
}

#[test]
fn terraform_keeps_a_hostile_name_as_text() {
    let f = fixture();
    let tf = terraform(&estate(&f));
    let body = hcl::parse(&tf).unwrap();
    let connection = body
        .blocks()
        .find(|b| b.labels().iter().any(|l| l.as_str() == "dxcon_aaaa1111"))
        .unwrap();
    assert_eq!(
        string_attr(connection.body(), "name").as_deref(),
        Some(HOSTILE)
    );
    let tags = connection
        .body()
        .attributes()
        .find(|a| a.key() == "tags")
        .unwrap();
    let hcl::Expression::Object(tags) = tags.expr() else {
        panic!("tags is not an object")
    };
    let team = tags
        .iter()
        .find(|(k, _)| k.to_string().contains("team"))
        .map(|(_, v)| v.clone());
    assert_eq!(team, Some(hcl::Expression::String(HOSTILE.to_owned())));
    // Nothing became a template: no interpolation anywhere in the file.
    assert!(!tf.contains("\"${var.x}") && tf.contains("$${var.x}") && tf.contains("%%{if 1}"));
}

/// Prints its name and arguments, NUL-separated, to `$STUB_LOG`, and answers
/// a new connection id as the CLIs do (JSON).
const STUB: &str = r#"#!/usr/bin/env bash
{ printf '%s\0' "${0##*/}" "$@"; printf '\036\0'; } >> "$STUB_LOG"
n=$(( $(cat "$STUB_COUNT" 2>/dev/null || echo 0) + 1 ))
echo "$n" > "$STUB_COUNT"
printf '{\n  "connectionId": "dxcon-new%s"\n}\n' "$n"
"#;

/// A BGP key with everything a shell or JSON could trip on.
const AWKWARD_KEY: &str = "k\"e\\y'$(touch PWNED)";

/// Runs `script` with the three CLIs stubbed; the calls made, each as argv.
fn run_stubbed(name: &str, script: &str, env: &[(&str, &str)]) -> (bool, String, Vec<Vec<String>>) {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir(name);
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    for cli in ["aws", "osc-cli", "oci"] {
        let path = bin.join(cli);
        std::fs::write(&path, STUB).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    std::fs::write(dir.join("export.sh"), script).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = bash()
        .arg("export.sh")
        .current_dir(&dir)
        .env_clear()
        .env("PATH", path)
        .env("STUB_LOG", dir.join("calls"))
        .env("STUB_COUNT", dir.join("count"))
        .envs(env.iter().copied())
        .output()
        .expect("bash runs");
    assert!(!dir.join("PWNED").exists(), "a name was run as a command");
    let log = std::fs::read(dir.join("calls")).unwrap_or_default();
    let log = log.strip_suffix(&[0]).unwrap_or(&log);
    let words: Vec<String> = log
        .split(|b| *b == 0)
        .map(|w| String::from_utf8(w.to_vec()).unwrap())
        .collect();
    let calls = words
        .split(|w| w == "\u{1e}")
        .filter(|c| c.iter().any(|w| !w.is_empty()))
        .map(<[String]>::to_vec)
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        calls,
    )
}

/// The value after `--name` in `call`.
fn option<'c>(call: &'c [String], name: &str) -> &'c str {
    let at = call.iter().position(|w| w == name);
    let at = at.unwrap_or_else(|| panic!("no {name} in {call:?}"));
    &call[at + 1]
}

fn secrets_env() -> Vec<(&'static str, &'static str)> {
    vec![
        ("BGP_AUTH_KEY_DXVIF_PRIVATE1", AWKWARD_KEY),
        ("BGP_AUTH_KEY_DXVIF_HOSTED22", "hosted"),
        ("BGP_AUTH_KEY_DXVIF_PUBLIC33", "public"),
        ("BGP_AUTH_KEY_DXVIF_OSC00007", "osc-key"),
        ("SSH_PUBLIC_KEY_FILE", "/keys/console.pub"),
    ]
}

#[test]
fn cli_script_is_valid_bash() {
    let f = fixture();
    let dir = temp_dir("syntax");
    let path = dir.join("export.sh");
    std::fs::write(&path, cli_script(&estate(&f))).unwrap();
    let out = bash().arg("-n").arg(&path).output().expect("bash runs");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn cli_script_passes_names_and_secrets_as_single_arguments() {
    let f = fixture();
    let (ok, stderr, calls) = run_stubbed("run", &cli_script(&estate(&f)), &secrets_env());
    assert!(ok, "{stderr}");
    let programs: Vec<String> = calls.iter().map(|c| format!("{} {}", c[0], c[2])).collect();
    assert_eq!(
        programs,
        [
            "aws create-connection",
            "aws create-connection",
            "osc-cli CreateConnection",
            "aws create-private-virtual-interface",
            "aws allocate-private-virtual-interface",
            "aws create-public-virtual-interface",
            "aws create-transit-virtual-interface",
            "aws confirm-private-virtual-interface",
            "osc-cli CreatePrivateVirtualInterface",
            "oci instance-console-connection",
            "oci instance-console-connection",
        ]
    );
    assert_eq!(option(&calls[0], "--connection-name"), HOSTILE);
    assert_eq!(option(&calls[0], "--region"), "us-east-1");
    assert!(
        !calls[0].contains(&"--profile".to_owned()),
        "default profile"
    );
    assert_eq!(option(&calls[1], "--profile"), "prod");
    // osc-cli reads a Python literal: the name arrives quoted.
    assert_eq!(option(&calls[2], "--connectionName"), "\"osc-link\"");
    // Interfaces use the new connection's id, read from the CLI's answer.
    assert_eq!(option(&calls[3], "--connection-id"), "dxcon-new1");
    assert_eq!(option(&calls[6], "--connection-id"), "dxcon-new2");
    assert_eq!(option(&calls[8], "--connectionId"), "\"dxcon-new3\"");
    let private: Value =
        serde_json::from_str(option(&calls[3], "--new-private-virtual-interface")).unwrap();
    assert_eq!(private["virtualInterfaceName"], HOSTILE);
    assert_eq!(private["authKey"], AWKWARD_KEY);
    assert_eq!(private["tags"][0]["key"], HOSTILE);
    let osc: Value =
        serde_json::from_str(option(&calls[8], "--newPrivateVirtualInterface")).unwrap();
    assert_eq!(osc["authKey"], "osc-key");
    assert_eq!(osc["vlan"], 400);
    let tags: Value = serde_json::from_str(option(&calls[9], "--freeform-tags")).unwrap();
    assert_eq!(tags["owner"], HOSTILE);
    assert_eq!(
        option(&calls[9], "--ssh-public-key-file"),
        "/keys/console.pub"
    );
}

#[test]
fn cli_script_stops_before_any_call_without_its_secrets() {
    let f = fixture();
    let mut env = secrets_env();
    env.retain(|(k, _)| *k != "BGP_AUTH_KEY_DXVIF_HOSTED22");
    let (ok, stderr, calls) = run_stubbed("missing", &cli_script(&estate(&f)), &env);
    assert!(!ok);
    assert!(
        stderr.contains("set BGP_AUTH_KEY_DXVIF_HOSTED22"),
        "{stderr}"
    );
    assert!(calls.is_empty(), "{calls:?}");
}
