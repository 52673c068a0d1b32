//! The `wg-quick` configuration: golden files, wireguard-tools' own parser,
//! and `wg pubkey` to prove what a WireGuard key is.

use std::io::Write;
use std::process::Stdio;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cloudlink_core::configs::{wg_quick, wireguard_key_ok};
use cloudlink_core::outposts::ConnectionDetails;

use super::support::{assert_golden, running_as_root, scratch_file, stderr, stdout, tool};

// RFC 7748, section 6.1: Alice's X25519 key pair.
const ALICE_PRIVATE_HEX: &str = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
const ALICE_PUBLIC_HEX: &str = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
// The same section: Bob's public key, standing for the Outpost server's.
const BOB_PUBLIC_HEX: &str = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
// RFC 7748, section 5.2, first test: a scalar and an input u-coordinate.
// The u-coordinate is not the scalar's public key (that is the scalar times
// the base point 9), which the test below shows.
const SCALAR_HEX: &str = "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4";
const U_COORDINATE_HEX: &str = "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c";

/// An interface name `wg setconf` is pointed at; it never exists.
const ABSENT_INTERFACE: &str = "clk-wg-check";

fn b64(hex: &str) -> String {
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    STANDARD.encode(bytes)
}

fn wg_pubkey(private: &str) -> Result<String, String> {
    let mut child = tool("/usr/bin/wg", "wireguard-tools")
        .arg("pubkey")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("wg runs");
    writeln!(child.stdin.take().unwrap(), "{private}").unwrap();
    let output = child.wait_with_output().unwrap();
    if output.status.success() {
        Ok(stdout(&output).trim().to_owned())
    } else {
        Err(stderr(&output))
    }
}

fn details() -> ConnectionDetails {
    serde_json::from_value(serde_json::json!({
        "ClientPublicKey": b64(ALICE_PUBLIC_HEX),
        "ServerPublicKey": b64(BOB_PUBLIC_HEX),
        "ServerEndpoint": "198.51.100.7:51820",
        "ClientTunnelAddress": "100.64.0.2/30",
        "ServerTunnelAddress": "100.64.0.1/30",
        "AllowedIps": ["100.64.0.0/30", "10.20.0.0/16"]
    }))
    .unwrap()
}

#[test]
fn wg_pubkey_agrees_with_rfc_7748_and_our_key_encoding() {
    let private = b64(ALICE_PRIVATE_HEX);
    let public = b64(ALICE_PUBLIC_HEX);
    assert!(wireguard_key_ok(&private) && wireguard_key_ok(&public));
    assert_eq!(wg_pubkey(&private).unwrap(), public);
    let not_a_pair = wg_pubkey(&b64(SCALAR_HEX)).unwrap();
    assert_ne!(not_a_pair, b64(U_COORDINATE_HEX));
    assert!(wireguard_key_ok(&not_a_pair));
}

#[test]
fn key_check_matches_wg_on_edge_cases() {
    let good = b64(ALICE_PRIVATE_HEX);
    let mut non_canonical = good.clone();
    non_canonical.replace_range(42..43, "p"); // sets a padding bit
    let cases = [
        good.clone(),
        non_canonical,
        good[..43].to_owned(),
        format!("{good}A"),
        good.replace('=', "A"),
        format!("{}==", &good[..42]),
        STANDARD.encode([7u8; 31]),
        STANDARD.encode([7u8; 33]),
        "!".repeat(43) + "=",
    ];
    for case in cases {
        assert_eq!(
            wireguard_key_ok(&case),
            wg_pubkey(&case).is_ok(),
            "{case:?}"
        );
    }
}

/// `wg-quick strip` reads the file as wg-quick does (and drops its own
/// keys such as Address); `wg setconf` then parses every line before it
/// talks to the kernel, so on an interface that does not exist a valid file
/// fails only at "Unable to modify interface" and a broken one at
/// "Configuration parsing error".
///
/// wg-quick re-runs itself with sudo unless it runs as root, for every
/// command, `strip` included; these tests run as root (as `cargo xtask
/// test` does on this project's machines).
fn wireguard_parse(config: &str) -> Result<String, String> {
    assert!(
        running_as_root(),
        "wg-quick strip needs root (it re-runs itself with sudo otherwise): run the tests as root"
    );
    let path = scratch_file("wg0.conf", config);
    let strip = tool("/usr/bin/wg-quick", "wireguard-tools")
        .arg("strip")
        .arg(&path)
        .output()
        .expect("wg-quick runs");
    if !strip.status.success() {
        return Err(format!("wg-quick strip: {}", stderr(&strip)));
    }
    let stripped = scratch_file("stripped.conf", &stdout(&strip));
    let set = tool("/usr/bin/wg", "wireguard-tools")
        .args(["setconf", ABSENT_INTERFACE])
        .arg(&stripped)
        .output()
        .expect("wg runs");
    let err = stderr(&set);
    if err.contains("Configuration parsing error") || !err.contains("Unable to modify interface") {
        return Err(format!("wg setconf: {err}"));
    }
    Ok(stdout(&strip))
}

#[test]
fn wireguard_tools_parse_the_configuration() {
    let private = b64(ALICE_PRIVATE_HEX);
    let text = wg_quick(&details(), Some(&private)).unwrap();
    let stripped = wireguard_parse(&text).unwrap();
    assert!(
        stripped.contains(&format!("PrivateKey = {private}")),
        "{stripped}"
    );
    assert!(
        !stripped.contains("Address ="),
        "wg-quick took Address: {stripped}"
    );
    assert!(
        stripped.contains("Endpoint = 198.51.100.7:51820"),
        "{stripped}"
    );
    assert!(
        stripped.contains(&format!("PublicKey = {}", b64(BOB_PUBLIC_HEX))),
        "{stripped}"
    );
    let without_key = wg_quick(&details(), None).unwrap();
    wireguard_parse(&without_key).unwrap();
}

#[test]
fn wireguard_tools_refuse_a_broken_line_so_the_check_means_something() {
    let text = wg_quick(&details(), None).unwrap();
    for (from, to) in [
        ("PersistentKeepalive = 25", "PersistentKeepalive = soon"),
        ("Endpoint = ", "Endpiont = "),
        ("AllowedIPs = 100.64.0.0/30", "AllowedIPs = 100.64.0.0/33"),
    ] {
        assert!(text.contains(from), "{from}");
        let err = wireguard_parse(&text.replacen(from, to, 1)).unwrap_err();
        assert!(err.contains("Configuration parsing error"), "{to}: {err}");
    }
}

#[test]
fn golden_files() {
    let private = b64(ALICE_PRIVATE_HEX);
    assert_golden(
        "wg-quick-with-key.conf",
        &wg_quick(&details(), Some(&private)).unwrap(),
    );
    assert_golden(
        "wg-quick-without-key.conf",
        &wg_quick(&details(), None).unwrap(),
    );
}

#[test]
fn without_the_private_key_a_comment_says_where_it_goes() {
    let text = wg_quick(&details(), None).unwrap();
    let line = text.lines().find(|l| l.contains("PrivateKey")).unwrap();
    assert!(line.starts_with("# PrivateKey = "), "{line}");
    assert!(line.contains(&b64(ALICE_PUBLIC_HEX)), "{line}");
}

#[test]
fn broken_fields_are_named() {
    type Change = fn(&mut ConnectionDetails);
    let cases: [(&str, Change, &str); 9] = [
        (
            "ServerPublicKey is required",
            |d| d.server_public_key = None,
            "",
        ),
        (
            "",
            |d| d.server_public_key = Some("short=".into()),
            "ServerPublicKey",
        ),
        (
            "ServerEndpoint is required",
            |d| d.server_endpoint = None,
            "",
        ),
        (
            "",
            |d| d.server_endpoint = Some("198.51.100.7".into()),
            "ServerEndpoint",
        ),
        (
            "",
            |d| d.server_endpoint = Some("vpn.example:51820".into()),
            "ServerEndpoint",
        ),
        (
            "",
            |d| d.server_endpoint = Some("198.51.100.7:51820\nPostUp = id".into()),
            "ServerEndpoint",
        ),
        (
            "",
            |d| d.client_tunnel_address = Some("100.64.0.2".into()),
            "ClientTunnelAddress",
        ),
        (
            "AllowedIps is required",
            |d| d.allowed_ips = Some(vec![]),
            "",
        ),
        (
            "",
            |d| d.allowed_ips = Some(vec!["10.0.0.0/8".into(), "10.0.0.0/8; id".into()]),
            "AllowedIps[1]",
        ),
    ];
    for (message, change, field) in cases {
        let mut d = details();
        change(&mut d);
        let err = wg_quick(&d, None).unwrap_err();
        if message.is_empty() {
            assert_eq!(err.field(), field);
        } else {
            assert_eq!(err.to_string(), message);
        }
    }
    let err = wg_quick(&details(), Some("not a key")).unwrap_err();
    assert_eq!(err.field(), "PrivateKey");
    assert!(!err.to_string().contains("not a key"));
}
