//! `core/examples/check.rs` is how other tools call core's rules without
//! linking it: its output and exit status are a contract.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use cloudlink_core::{ApiRequest, CallError, Operation, Service};

/// Builds the example once per test run and returns its path.
fn example() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .args([
            "build",
            "--offline",
            "--quiet",
            "-p",
            "cloudlink-core",
            "--example",
            "check",
        ])
        .args(["--message-format", "short"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("debug/examples/check")
}

fn check(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(example())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the example runs");
    // A usage error exits before reading its input: a closed pipe is no failure here.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

#[test]
fn check_prints_each_broken_field_and_exits_by_verdict() {
    let bad =
        br#"{"location": "EqDC2", "bandwidth": "3Gbps", "connectionName": "x", "dryRun": true}"#;
    let out = check(&["directconnect", "CreateConnection", "-"], bad);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout,
        "bandwidth: must be one of 1Gbps, 10Gbps, 100Gbps, 400Gbps\n\
         dryRun: is not supported by aws direct connect\n"
    );

    // The same body is valid for OUTSCALE once the bandwidth is.
    let good =
        br#"{"location": "PAR1", "bandwidth": "1Gbps", "connectionName": "x", "dryRun": true}"#;
    let out = check(&["directlink", "CreateConnection", "-"], good);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    let out = check(&["oci-core", "GetInstanceConsoleConnection", "-"], b"[1]");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("must be a JSON object"));

    let out = check(&["directlink", "TagResource", "-"], b"{}");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("directlink has no operation"));
    let out = check(&["s3"], b"");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn input_json_names_members_as_the_sdks_do() {
    let read = |service, operation, json: &str| {
        ApiRequest::from_input_json(service, operation, json.as_bytes())
            .and_then(|r| r.validate().map_err(CallError::from).map(|()| r))
    };
    let id = "ocid1.instanceconsoleconnection.oc1.iad.aaaaaaaa";
    let get = read(
        Service::OciCore,
        Operation::GetInstanceConsoleConnection,
        &format!(r#"{{"instanceConsoleConnectionId": "{id}"}}"#),
    )
    .unwrap();
    assert_eq!(
        get.to_http().unwrap().path_and_query,
        format!("/20160918/instanceConsoleConnections/{id}")
    );
    let list = read(
        Service::OciCore,
        Operation::ListInstanceConsoleConnections,
        r#"{"compartmentId": "ocid1.compartment.oc1..aaaa", "limit": 5000}"#,
    );
    match list {
        Err(CallError::Invalid(e)) => assert_eq!(e.errors()[0].field, "limit"),
        other => panic!("{other:?}"),
    }
    let outposts = read(
        Service::Outposts,
        Operation::GetConnection,
        r#"{"ConnectionId": "a/b="}"#,
    );
    assert_eq!(
        outposts.unwrap().to_http().unwrap().path_and_query,
        "/connections/a%2Fb%3D"
    );
    assert!(matches!(
        read(Service::DirectLink, Operation::DescribeTags, "{}"),
        Err(CallError::NotForwarded(_))
    ));
}
