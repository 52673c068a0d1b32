//! The per-call work of the proxy, stage by stage: reading and validating a
//! request with `core`, SigV4 and OCI signing, and the whole `app()` path for
//! a request refused by validation (no upstream involved).
//!
//! `cargo bench -p cloudlink-proxy --bench pipeline`

use std::hint::black_box;
use std::sync::Arc;
use std::time::SystemTime;

use axum::body::Body;
use axum::http::Request;
use cloudlink_core::catalogue::Method;
use cloudlink_core::{ApiRequest, IncomingCall, Service};
use cloudlink_proxy::config::{Cli, Settings};
use cloudlink_proxy::sandbox::{Sandbox, credential_store};
use cloudlink_proxy::{AppState, app};
use cloudlink_signing::{AwsCredentials, RequestToSign, sign_sigv4};
use criterion::{Criterion, criterion_group, criterion_main};
use tower::ServiceExt;

const VIF: &str = r#"{"connectionId":"dxcon-abcd1234","newPrivateVirtualInterface":{"virtualInterfaceName":"vif-1","vlan":100,"asn":65000,"authKey":"bgp-key-123","amazonAddress":"169.254.0.1/30","customerAddress":"169.254.0.2/30","addressFamily":"ipv4","virtualGatewayId":"vgw-12345678","tags":[{"key":"team","value":"net"}]}}"#;

fn parse_and_validate(c: &mut Criterion) {
    let headers = vec![(
        "x-amz-target".to_owned(),
        "OvertureService.CreatePrivateVirtualInterface".to_owned(),
    )];
    c.bench_function(
        "core: parse + validate CreatePrivateVirtualInterface",
        |b| {
            b.iter(|| {
                let call = IncomingCall {
                    service: Service::DirectConnect,
                    method: Method::Post,
                    path: "/",
                    query: None,
                    headers: &headers,
                    body: VIF.as_bytes(),
                };
                black_box(ApiRequest::parse(black_box(&call)).unwrap())
            })
        },
    );
}

fn signing(c: &mut Criterion) {
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
            "OvertureService.CreatePrivateVirtualInterface".to_owned(),
        ),
    ];
    let req = RequestToSign {
        method: "POST",
        url: "https://directconnect.us-east-1.amazonaws.com/",
        headers: &headers,
        body: VIF.as_bytes(),
    };
    c.bench_function("sigv4: sign a Direct Connect call", |b| {
        b.iter(|| {
            black_box(
                sign_sigv4(
                    &creds,
                    "directconnect",
                    "us-east-1",
                    SystemTime::now(),
                    &req,
                )
                .unwrap(),
            )
        })
    });
    let signer = Sandbox::new().credentials().oci;
    let oci_headers = vec![("content-type".to_owned(), "application/json".to_owned())];
    let body = br#"{"instanceId":"ocid1.instance.oc1.iad.abc","publicKey":"ssh-ed25519 AAAA"}"#;
    let oci_req = RequestToSign {
        method: "POST",
        url: "https://iaas.us-ashburn-1.oraclecloud.com/20160918/instanceConsoleConnections",
        headers: &oci_headers,
        body,
    };
    c.bench_function("oci: sign a console connection create (RSA-2048)", |b| {
        b.iter(|| black_box(signer.sign(SystemTime::now(), &oci_req).unwrap()))
    });
}

fn refused_by_validation(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let settings = Settings::from_cli(Cli::default()).unwrap();
    let state = Arc::new(AppState::new(
        settings,
        "bench-token-0123456789-0123456789abc".into(),
        credential_store(&Sandbox::new().credentials()),
    ));
    let router = app(state);
    let bad = VIF.replace("\"vlan\":100", "\"vlan\":5000");
    c.bench_function("app: token + route + validate, refused (400)", |b| {
        b.iter(|| {
            let req = Request::post("/api/aws/directconnect/us-east-1/")
                .header("x-cloudlink-token", "bench-token-0123456789-0123456789abc")
                .header(
                    "x-amz-target",
                    "OvertureService.CreatePrivateVirtualInterface",
                )
                .body(Body::from(bad.clone()))
                .unwrap();
            let resp = runtime.block_on(router.clone().oneshot(req)).unwrap();
            assert_eq!(resp.status(), 400);
        })
    });
}

criterion_group!(benches, parse_and_validate, signing, refused_by_validation);
criterion_main!(benches);
