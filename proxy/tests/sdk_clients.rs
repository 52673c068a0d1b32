//! Real SDK clients through the proxy against the sandbox: boto3 for Direct
//! Connect and Outposts, the `oci` SDK for console connections, botocore's
//! plain SigV4 signer for OUTSCALE DirectLink. The script is
//! `tests/python/sdk_clients.py`; the venv comes from `cargo xtask setup`.

mod process_support;

use std::path::PathBuf;
use std::process::Command;

use process_support::start_proxy;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn python() -> PathBuf {
    let python = std::env::var_os("CLOUDLINK_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join(".venv/bin/python"));
    assert!(
        python.exists(),
        "{} is missing: run `cargo xtask setup` (it creates the venv from tests/python/requirements.txt)",
        python.display()
    );
    python
}

#[test]
fn boto3_oci_sdk_and_a_plain_sigv4_client_work_through_the_proxy() {
    let python = python();
    let token = "sdk-clients-token-0123456789-0123456789";
    let (proxy, url) = start_proxy(
        &[
            "--sandbox",
            "--listen",
            "127.0.0.1:0",
            "--web-dir",
            "/nonexistent",
        ],
        &[("CLOUDLINK_TOKEN", Some(token))],
    );
    let base = url.trim_end_matches('/').to_owned();

    let out = Command::new(python)
        .arg(repo().join("tests/python/sdk_clients.py"))
        .args([&base, token])
        .output()
        .unwrap();
    drop(proxy);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "sdk_clients.py failed:\n{stdout}\n{stderr}"
    );
    let report: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();

    // Every forwarded operation was called at least once by a real client.
    for info in cloudlink_core::catalogue::catalogue() {
        let called = report["called"][info.service.id()].as_array().unwrap();
        assert!(
            called.iter().any(|c| c == info.name),
            "{} {} was not called: {report}",
            info.service.id(),
            info.name
        );
    }
    // boto3 with `endpoint_url` lacking the trailing slash posts to `.../us-east-1`.
    let no_slash = &report["noSlash"];
    assert_eq!(
        no_slash["urls"],
        serde_json::json!([format!("{base}/api/aws/directconnect/us-east-1")]),
        "{report}"
    );
    assert!(
        no_slash["created"]
            .as_str()
            .is_some_and(|id| id.starts_with("dxcon-")),
        "{report}"
    );
    assert_eq!(no_slash["deletedState"], "deleting", "{report}");
    let errors = &report["errors"];
    assert_eq!(
        errors["directconnect.validation"],
        "DirectConnectClientException"
    );
    assert_eq!(
        errors["directconnect.vlanInUse"],
        "DirectConnectClientException"
    );
    assert_eq!(
        errors["directconnect.hasInterfaces"],
        "DirectConnectClientException"
    );
    assert_eq!(
        errors["directconnect.unknownId"],
        "DirectConnectClientException"
    );
    assert_eq!(
        errors["directlink.validation"],
        "DirectConnectClientException"
    );
    assert_eq!(errors["directconnect.tooManyTags"], "TooManyTagsException");
    assert_eq!(errors["outposts.validation"], "ValidationException");
    assert_eq!(errors["oci.limit"], "409 Conflict");
    assert_eq!(errors["oci.unknownId"], "404 NotAuthorizedOrNotFound");
    assert_eq!(errors["oci.validation"], "400 InvalidParameter");
}
