//! Per-call cost of the two signers the proxy runs on every forwarded call: SigV4 for a
//! Direct Connect `DescribeConnections` (the proxy's typical request) and OCI's RSA-2048
//! request signature, in wall time.
//!
//! The OCI figures compare with `openssl speed -elapsed -seconds 3 rsa2048` run just before or
//! after, on the same machine: without `-elapsed` openssl divides by its *user CPU time*, and
//! on a busy machine (CI alongside) wall time can be twice CPU time, which is no comparison.
//! The SigV4 figure compares with botocore's `SigV4Auth.add_auth` on the same request.
//!
//! `cargo bench -p cloudlink-signing --bench signing`

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, SystemTime};

use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use cloudlink_signing::{AwsCredentials, OciSigner, RequestToSign, sign_sigv4};
use criterion::{Criterion, criterion_group, criterion_main};

/// 2026-03-03T10:00:00Z: a fixed day, as the proxy signs many calls on one day.
fn t0() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_772_532_000)
}

fn sigv4(c: &mut Criterion) {
    let creds = AwsCredentials {
        access_key_id: "AKIDEXAMPLE".into(),
        secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
        session_token: None,
    };
    let headers = vec![
        (
            "content-type".to_owned(),
            "application/x-amz-json-1.1".to_owned(),
        ),
        (
            "x-amz-target".to_owned(),
            "OvertureService.DescribeConnections".to_owned(),
        ),
    ];
    let req = RequestToSign {
        method: "POST",
        url: "https://directconnect.us-east-1.amazonaws.com/",
        headers: &headers,
        body: br#"{"connectionId":"dxcon-fgabc123"}"#,
    };
    let mut second = 0;
    c.bench_function("sigv4: sign DescribeConnections", |b| {
        b.iter(|| {
            // A new second each call (as in the proxy), the same day.
            second = (second + 1) % 3600;
            let time = t0() + Duration::from_secs(second);
            black_box(
                sign_sigv4(&creds, "directconnect", "us-east-1", time, black_box(&req)).unwrap(),
            )
        })
    });
    // The same request through the `aws-sigv4` crate (what `sign_sigv4` used before it was
    // written out), to see in one run what the written-out signer buys.
    let identity = aws_credential_types::Credentials::new(
        &creds.access_key_id,
        &creds.secret_access_key,
        None,
        None,
        "bench",
    )
    .into();
    c.bench_function("sigv4: the aws-sigv4 crate on the same request", |b| {
        b.iter(|| {
            second = (second + 1) % 3600;
            let mut settings = SigningSettings::default();
            settings.excluded_headers = Some(vec!["authorization".into(), "user-agent".into()]);
            let params = v4::SigningParams::builder()
                .identity(&identity)
                .region("us-east-1")
                .name("directconnect")
                .time(t0() + Duration::from_secs(second))
                .settings(settings)
                .build()
                .unwrap()
                .into();
            let headers = req.headers.iter().map(|(n, v)| (n.as_str(), v.as_str()));
            let signable =
                SignableRequest::new(req.method, req.url, headers, SignableBody::Bytes(req.body))
                    .unwrap();
            black_box(sign(signable, &params).unwrap().into_parts())
        })
    });
}

fn oci(c: &mut Criterion) {
    let pem =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/oci-test-key.pem"))
            .unwrap();
    let signer = OciSigner::from_pem(
        "ocid1.tenancy.oc1..bench",
        "ocid1.user.oc1..bench",
        "20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34",
        &pem,
    )
    .unwrap();
    let headers = vec![("content-type".to_owned(), "application/json".to_owned())];
    let body = br#"{"instanceId":"ocid1.instance.oc1.phx.bench","publicKey":"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBench bench"}"#;
    let req = RequestToSign {
        method: "POST",
        url: "https://iaas.us-phoenix-1.oraclecloud.com/20160918/instanceConsoleConnections",
        headers: &headers,
        body,
    };
    c.bench_function("oci: sign CreateInstanceConsoleConnection", |b| {
        b.iter(|| black_box(signer.sign(t0(), black_box(&req)).unwrap()))
    });
    // The same key with `ring` (what `OciSigner` used before `aws-lc-rs`), in the same run.
    let der = match rustls_pemfile::read_one(&mut pem.as_slice()) {
        Ok(Some(rustls_pemfile::Item::Pkcs1Key(der))) => der.secret_pkcs1_der().to_vec(),
        _ => panic!("oci-test-key.pem is a PKCS#1 key"),
    };
    let ring_key = ring::signature::RsaKeyPair::from_der(&der).unwrap();
    let rng = ring::rand::SystemRandom::new();
    c.bench_function("oci: rsa-2048 signature only, ring", |b| {
        let mut signature = vec![0; 256];
        b.iter(|| {
            ring_key
                .sign(
                    &ring::signature::RSA_PKCS1_SHA256,
                    &rng,
                    black_box(b"date: Tue, 03 Mar 2026 10:00:00 GMT"),
                    &mut signature,
                )
                .unwrap();
            black_box(&signature);
        })
    });
    c.bench_function("oci: rsa-2048 pkcs1 sha-256 signature only", |b| {
        b.iter(|| {
            black_box(
                signer
                    .sign_string(black_box("date: Tue, 03 Mar 2026 10:00:00 GMT"))
                    .unwrap(),
            )
        })
    });
}

criterion_group!(benches, sigv4, oci);
criterion_main!(benches);
