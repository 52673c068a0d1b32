//! Live cross-check with the reference signers (botocore, the `oci` SDK) from the repository's
//! `.venv`: Rust signs and Python checks, Python signs and Rust's verifiers accept, and a
//! tampered request is refused. Fails (never skips) when `.venv` is missing.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use cloudlink_signing::{
    AwsCredentials, OciSigner, ReceivedRequest, RequestToSign, VerifyClock,
    rsa_public_key_der_from_pem, sign_sigv4, verify_oci, verify_sigv4,
};
use serde_json::{Value, json};

const SKEW: Duration = Duration::from_secs(300);
const T0: u64 = 1_772_532_000; // 2026-03-03T10:00:00Z

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

fn python(command: &Value) -> Value {
    let python = repo().join(".venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: this test needs the reference signers. Create it from the repository \
         root with `python3 -m venv .venv && .venv/bin/pip install -r tests/python/requirements.txt`",
        python.display()
    );
    let mut child = Command::new(&python)
        .arg(repo().join("tests/python/live_check.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(command.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "live_check.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn t0() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(T0)
}

fn creds(token: Option<&str>) -> AwsCredentials {
    AwsCredentials {
        access_key_id: "AKIDLIVECHECK".into(),
        secret_access_key: "c2VjcmV0LWZvci1saXZlLWNoZWNrLW9ubHk".into(),
        session_token: token.map(String::from),
    }
}

struct AwsCase {
    service: &'static str,
    region: &'static str,
    method: &'static str,
    url: &'static str,
    headers: Vec<(String, String)>,
    body: &'static str,
    token: Option<&'static str>,
}

fn aws_cases() -> Vec<AwsCase> {
    let json11 = |target: &str| {
        vec![
            (
                "content-type".to_owned(),
                "application/x-amz-json-1.1".to_owned(),
            ),
            (
                "x-amz-target".to_owned(),
                format!("OvertureService.{target}"),
            ),
        ]
    };
    vec![
        AwsCase {
            service: "directconnect",
            region: "us-east-1",
            method: "POST",
            url: "https://directconnect.us-east-1.amazonaws.com/",
            headers: json11("CreateConnection"),
            body: r#"{"location":"EqDC2","bandwidth":"1Gbps","connectionName":"live"}"#,
            token: None,
        },
        AwsCase {
            service: "directlink",
            region: "eu-west-2",
            method: "POST",
            url: "https://directlink.eu-west-2.outscale.com/",
            headers: json11("DescribeConnections"),
            body: "{}",
            token: Some("session-token-live"),
        },
        AwsCase {
            service: "outposts",
            region: "us-west-2",
            method: "POST",
            url: "https://outposts.us-west-2.amazonaws.com/connections",
            headers: vec![("content-type".to_owned(), "application/json".to_owned())],
            body: r#"{"DeviceSerialNumber":"GFQ2VBX1234","AssetId":"1234567890abc","ClientPublicKey":"xTbJ8sbBDsbcS0NPqYTpH3+Sye5Jy8y9DPJIvrhfMV4=","NetworkInterfaceDeviceIndex":0}"#,
            token: None,
        },
        AwsCase {
            service: "outposts",
            region: "us-west-2",
            method: "GET",
            url: "https://outposts.us-west-2.amazonaws.com/connections/conn-0a1b2c3d4e5f6a7b8",
            headers: vec![],
            body: "",
            token: Some("session-token-live"),
        },
    ]
}

fn aws_command(op: &str, case: &AwsCase, headers: &[(String, String)]) -> Value {
    let c = creds(case.token);
    json!({
        "op": op,
        "service": case.service,
        "region": case.region,
        "time_unix": T0,
        "credentials": {
            "access_key_id": c.access_key_id,
            "secret_access_key": c.secret_access_key,
            "session_token": c.session_token,
        },
        "method": case.method,
        "url": case.url,
        "headers": headers,
        "body": case.body,
    })
}

fn path_and_query(url: &str) -> String {
    let uri: http::Uri = url.parse().unwrap();
    uri.path_and_query().unwrap().as_str().to_owned()
}

fn host(url: &str) -> String {
    let uri: http::Uri = url.parse().unwrap();
    uri.host().unwrap().to_owned()
}

#[test]
fn botocore_agrees_with_rust_sigv4_both_ways() {
    for case in aws_cases() {
        // Rust signs, botocore checks.
        let req = RequestToSign {
            method: case.method,
            url: case.url,
            headers: &case.headers,
            body: case.body.as_bytes(),
        };
        let added = sign_sigv4(&creds(case.token), case.service, case.region, t0(), &req).unwrap();
        let mut signed = case.headers.clone();
        signed.extend(added.iter().cloned());
        let answer = python(&aws_command("sigv4-check", &case, &signed));
        assert_eq!(
            answer["same"], true,
            "{} {}: rust {added:?}, botocore {}",
            case.service, case.url, answer["botocore"]
        );

        // botocore signs, Rust verifies.
        let answer = python(&aws_command("sigv4-sign", &case, &case.headers));
        let mut received = case.headers.clone();
        received.push(("host".to_owned(), host(case.url)));
        for (name, value) in answer.as_object().unwrap() {
            received.push((name.clone(), value.as_str().unwrap().to_owned()));
        }
        let known = creds(case.token);
        let verify = |headers: &[(String, String)], body: &str| {
            verify_sigv4(
                |id| (id == known.access_key_id).then(|| known.clone()),
                case.service,
                case.region,
                VerifyClock {
                    now: t0() + Duration::from_secs(60),
                    max_skew: SKEW,
                },
                &ReceivedRequest {
                    method: case.method,
                    path_and_query: &path_and_query(case.url),
                    headers,
                    body: body.as_bytes(),
                },
            )
        };
        let verified = verify(&received, case.body)
            .unwrap_or_else(|e| panic!("{} {}: {e}", case.service, case.url));
        assert_eq!(verified.access_key_id, "AKIDLIVECHECK");
        let tampered = format!("{} ", case.body);
        let err = verify(&received, &tampered).unwrap_err();
        assert_eq!(err.code(), "InvalidSignatureException", "{}", case.url);
    }
}

fn oci_signer() -> (OciSigner, String, String) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let key_pem = std::fs::read_to_string(dir.join("oci-test-key.pem")).unwrap();
    let public_pem = std::fs::read_to_string(dir.join("oci-test-key.pub.pem")).unwrap();
    let signer = OciSigner::from_pem(
        "ocid1.tenancy.oc1..aaaaaaaalive",
        "ocid1.user.oc1..aaaaaaaalive",
        "aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99",
        key_pem.as_bytes(),
    )
    .unwrap();
    (signer, key_pem, public_pem)
}

#[test]
fn oci_sdk_agrees_with_rust_oci_signatures_both_ways() {
    let (signer, key_pem, public_pem) = oci_signer();
    let base = "https://iaas.us-ashburn-1.oraclecloud.com/20160918/instanceConsoleConnections";
    let list = format!("{base}?compartmentId=ocid1.compartment.oc1..aaaaaaaalive&limit=5");
    let one = format!("{base}/ocid1.instanceconsoleconnection.oc1.iad.live");
    let cases: [(&str, &str, &str); 4] = [
        (
            "POST",
            base,
            r#"{"instanceId":"ocid1.instance.oc1.iad.live","publicKey":"ssh-ed25519 AAAAC3 live"}"#,
        ),
        ("GET", &list, ""),
        ("GET", &one, ""),
        ("DELETE", &one, ""),
    ];
    let date = httpdate::fmt_http_date(t0());
    for (method, url, body) in cases {
        let command = |op: &str, extra: Value| {
            let mut c = json!({
                "op": op,
                "tenancy": "ocid1.tenancy.oc1..aaaaaaaalive",
                "user": "ocid1.user.oc1..aaaaaaaalive",
                "fingerprint": "aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99",
                "key_pem": key_pem,
                "public_key_pem": public_pem,
                "method": method,
                "url": url,
                "body": body,
                "date": date,
                "content_type": if body.is_empty() { Value::Null } else { json!("application/json") },
            });
            c.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            c
        };

        // Rust signs, Python verifies and compares with the SDK's signature.
        let req = RequestToSign {
            method,
            url,
            headers: &[],
            body: body.as_bytes(),
        };
        let mut sent = signer.sign(t0(), &req).unwrap();
        sent.push(("host".to_owned(), host(url)));
        let authorization = sent
            .iter()
            .find(|(n, _)| n == "authorization")
            .unwrap()
            .1
            .clone();
        let answer = python(&command(
            "oci-check",
            json!({"authorization": authorization, "headers": sent}),
        ));
        assert_eq!(answer["verified"], true, "{method} {url}: {answer}");
        assert_eq!(answer["same_as_sdk"], true, "{method} {url}: {answer}");

        // The SDK signs, Rust verifies; a tampered copy is refused.
        let answer = python(&command("oci-sign", json!({})));
        let received: Vec<(String, String)> = answer
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .collect();
        let public_key = rsa_public_key_der_from_pem(public_pem.as_bytes()).unwrap();
        let verify = |headers: &[(String, String)], path: &str| {
            verify_oci(
                |id| (id == signer.key_id()).then(|| public_key.clone()),
                VerifyClock {
                    now: t0() + Duration::from_secs(5),
                    max_skew: SKEW,
                },
                &ReceivedRequest {
                    method,
                    path_and_query: path,
                    headers,
                    body: body.as_bytes(),
                },
            )
        };
        assert_eq!(
            verify(&received, &path_and_query(url)).as_deref(),
            Ok(signer.key_id()),
            "{method} {url}"
        );
        let err = verify(&received, "/20160918/instanceConsoleConnections/other").unwrap_err();
        assert_eq!(err.code(), "NotAuthenticated");
    }
}
