//! Forwarding behaviour against a scripted upstream: retries only where
//! repeating cannot create a second resource, OCI retry tokens, pass-through of
//! status, body and request id, and no secret in any log line or response.

use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use cloudlink_core::Service;
use cloudlink_proxy::config::{Cli, Settings};
use cloudlink_proxy::credentials::{CredentialStore, Profile, ProfileSigner, ProviderProfiles};
use cloudlink_proxy::sandbox::{Sandbox, credential_store};
use cloudlink_proxy::{AppState, app};
use cloudlink_signing::AwsCredentials;
use tower::ServiceExt;

const TOKEN: &str = "canary-token-5f1d2c3b4a-0123456789abcdef";
const SECRET: &str = "canarySecretKey/AbCdEf0123456789xyz";
const ACCESS_KEY: &str = "AKIACANARY0123456789";
const AUTH_KEY: &str = "canaryBgpAuthKey42";

/// What the scripted upstream saw.
#[derive(Debug, Default, Clone)]
struct Seen {
    requests: Vec<(String, HeaderMap, Vec<u8>)>,
}

/// An upstream answering from a script: the n-th request gets `script[n]`
/// (the last entry repeats).
async fn scripted(
    script: Vec<(u16, &'static str, &'static str)>,
) -> (SocketAddr, Arc<Mutex<Seen>>) {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let seen2 = seen.clone();
    let script = Arc::new(script);
    let router = axum::Router::new().fallback(move |req: Request<Body>| {
        let seen = seen2.clone();
        let script = script.clone();
        async move {
            let (parts, body) = req.into_parts();
            let body = axum::body::to_bytes(body, 1 << 20).await.unwrap().to_vec();
            let n = {
                let mut s = seen.lock().unwrap();
                s.requests
                    .push((parts.uri.to_string(), parts.headers, body));
                s.requests.len() - 1
            };
            let (status, error_type, body) = script[n.min(script.len() - 1)];
            let mut resp = axum::response::Response::new(Body::from(body));
            *resp.status_mut() = StatusCode::from_u16(status).unwrap();
            let h = resp.headers_mut();
            h.insert(
                "content-type",
                "application/x-amz-json-1.1".parse().unwrap(),
            );
            h.insert("x-amzn-requestid", format!("req-{n}").parse().unwrap());
            h.insert("opc-request-id", format!("opc-{n}").parse().unwrap());
            h.insert("connection", "close".parse().unwrap());
            h.insert("x-internal-secret-header", "must-not-pass".parse().unwrap());
            if !error_type.is_empty() {
                h.insert("x-amzn-errortype", error_type.parse().unwrap());
            }
            resp
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (addr, seen)
}

fn store() -> CredentialStore {
    let creds = AwsCredentials {
        access_key_id: ACCESS_KEY.into(),
        secret_access_key: SECRET.into(),
        session_token: Some("canarySessionToken".into()),
    };
    let aws = ProviderProfiles {
        profiles: vec![Profile {
            name: "default".into(),
            region: None,
            signer: ProfileSigner::Static(creds),
        }],
        problems: vec![],
    };
    // A real 2048-bit OCI signer, from the sandbox's generated credentials.
    let oci = credential_store(&Sandbox::new().credentials()).oci;
    CredentialStore {
        aws: aws.clone(),
        outscale: aws,
        oci,
    }
}

async fn state_for(addr: SocketAddr) -> Arc<AppState> {
    let mut settings = Settings::from_cli(Cli::default()).unwrap();
    for service in Service::ALL {
        settings
            .upstreams
            .insert(service, format!("http://{addr}/{}", service.id()));
    }
    Arc::new(AppState::new(settings, TOKEN.into(), store()))
}

fn dx(target: &str, body: &str) -> Request<Body> {
    Request::post("/api/aws/directconnect/us-east-1/")
        .header("x-cloudlink-token", TOKEN)
        .header("x-amz-target", format!("OvertureService.{target}"))
        .header("content-type", "application/x-amz-json-1.1")
        .header("authorization", "AWS4-HMAC-SHA256 Credential=CLIENTKEY/20200101/us-east-1/directconnect/aws4_request, SignedHeaders=host, Signature=deadbeef")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

async fn call(state: &Arc<AppState>, req: Request<Body>) -> (StatusCode, HeaderMap, String) {
    let resp = app(state.clone()).oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = axum::body::to_bytes(resp.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn reads_are_retried_on_throttling_and_5xx_but_creates_never() {
    let (addr, seen) = scripted(vec![
        (503, "", "{}"),
        (
            400,
            "ThrottlingException",
            r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#,
        ),
        (200, "", r#"{"connections":[]}"#),
    ])
    .await;
    let state = state_for(addr).await;
    let (status, headers, body) = call(&state, dx("DescribeConnections", "{}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, r#"{"connections":[]}"#);
    assert_eq!(headers["x-amzn-requestid"], "req-2");
    assert!(headers.get("x-internal-secret-header").is_none());
    assert!(headers.get("connection").is_none_or(|v| v != "close"));
    assert_eq!(seen.lock().unwrap().requests.len(), 3);

    let (addr, seen) = scripted(vec![
        (503, "", r#"{"message":"unavailable"}"#),
        (200, "", "{}"),
    ])
    .await;
    let state = state_for(addr).await;
    let create = r#"{"location":"EqDC2","bandwidth":"1Gbps","connectionName":"office"}"#;
    let (status, headers, body) = call(&state, dx("CreateConnection", create)).await;
    assert_eq!(
        status,
        StatusCode::SERVICE_UNAVAILABLE,
        "the upstream status passes through"
    );
    assert_eq!(body, r#"{"message":"unavailable"}"#);
    assert_eq!(headers["x-amzn-requestid"], "req-0");
    assert_eq!(
        seen.lock().unwrap().requests.len(),
        1,
        "a create is never repeated"
    );
}

#[tokio::test]
async fn the_proxy_signs_and_drops_the_clients_own_signature() {
    let (addr, seen) = scripted(vec![(200, "", "{}")]).await;
    let state = state_for(addr).await;
    let (status, _, _) = call(&state, dx("DescribeLocations", "{}")).await;
    assert_eq!(status, StatusCode::OK);
    let seen = seen.lock().unwrap();
    let (uri, headers, body) = &seen.requests[0];
    assert_eq!(uri, "/directconnect/");
    assert_eq!(body, b"{}");
    let auth = headers["authorization"].to_str().unwrap();
    assert!(
        auth.starts_with(&format!("AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/")),
        "{auth}"
    );
    assert!(
        auth.contains("/us-east-1/directconnect/aws4_request"),
        "{auth}"
    );
    assert!(!auth.contains("deadbeef"));
    assert_eq!(headers["x-amz-target"], "OvertureService.DescribeLocations");
    assert_eq!(headers["user-agent"], cloudlink_proxy::USER_AGENT);
    assert_eq!(
        headers["accept-encoding"], "identity",
        "answers pass through undecoded, so none may be compressed"
    );
    assert!(
        headers.get("x-cloudlink-token").is_none(),
        "the token never leaves the proxy"
    );
}

#[tokio::test]
async fn oci_creates_get_a_retry_token_and_are_retried() {
    let (addr, seen) = scripted(vec![
        (500, "", r#"{"code":"InternalServerError","message":"x"}"#),
        (200, "", "{}"),
    ])
    .await;
    let state = state_for(addr).await;
    // Seeds are not needed: any well-formed OCIDs validate.
    let key = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../core/tests/data/ssh/ed25519.pub"
    ))
    .unwrap_or_else(|_| {
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGb3b3b3b3b3b3b3b3b3b3b3b3b3b3b3b3b3b3b3b3b3 test"
            .to_owned()
    });
    let body = serde_json::json!({
        "instanceId": "ocid1.instance.oc1.us-ashburn-1.anuwcljrexampleinstance",
        "publicKey": key.trim(),
    })
    .to_string();
    let req = Request::post("/api/oci/core/us-ashburn-1/20160918/instanceConsoleConnections")
        .header("x-cloudlink-token", TOKEN)
        .header("content-type", "application/json")
        .body(Body::from(body))
        .unwrap();
    let (status, headers, text) = call(&state, req).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(headers["opc-request-id"], "opc-1");
    let seen = seen.lock().unwrap();
    assert_eq!(
        seen.requests.len(),
        2,
        "an OCI create with a retry token is retried"
    );
    let t0 = seen.requests[0].1["opc-retry-token"].to_str().unwrap();
    let t1 = seen.requests[1].1["opc-retry-token"].to_str().unwrap();
    assert!(!t0.is_empty() && t0.len() <= 64);
    assert_eq!(t0, t1, "both attempts carry the same retry token");
    assert!(
        seen.requests[0].1["authorization"]
            .to_str()
            .unwrap()
            .starts_with("Signature version=\"1\"")
    );
}

/// A `MakeWriter` that appends every log line to a shared buffer.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Capture {
        self.clone()
    }
}

/// The log of this whole test binary, at TRACE. One global subscriber: a
/// per-test `set_default` races with tests running at the same time on
/// tracing's per-callsite interest cache and loses lines. Every test here
/// uses the same canaries, so none of their lines may carry one.
fn global_capture() -> &'static Capture {
    static CAPTURE: std::sync::OnceLock<Capture> = std::sync::OnceLock::new();
    CAPTURE.get_or_init(|| {
        let capture = Capture::default();
        tracing_subscriber::fmt()
            .with_writer(capture.clone())
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .init();
        capture
    })
}

#[tokio::test]
async fn no_secret_appears_in_logs_or_responses() {
    let capture = global_capture();

    let (addr, _) = scripted(vec![(200, "", "{}")]).await;
    let state = state_for(addr).await;
    let mut responses = String::new();
    // A valid create carrying a BGP auth key, an invalid one (the key must not be
    // echoed in the field errors), a login, and a refused token.
    let vif = |vlan: u32| {
        serde_json::json!({
            "connectionId": "dxcon-abcd1234",
            "newPrivateVirtualInterface": {
                "virtualInterfaceName": "vif-1", "vlan": vlan, "asn": 65000,
                "authKey": AUTH_KEY, "virtualGatewayId": "vgw-12345678"
            }
        })
        .to_string()
    };
    for body in [vif(100), vif(99999)] {
        let (_, headers, text) = call(&state, dx("CreatePrivateVirtualInterface", &body)).await;
        responses.push_str(&format!("{headers:?}{text}"));
    }
    let (_, headers, text) = call(
        &state,
        Request::get(format!("/login?token={TOKEN}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    responses.push_str(&format!("{headers:?}{text}"));
    let mut bad = dx("DescribeConnections", "{}");
    bad.headers_mut()
        .insert("x-cloudlink-token", format!("{TOKEN}x").parse().unwrap());
    let (_, headers, text) = call(&state, bad).await;
    responses.push_str(&format!("{headers:?}{text}"));

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("CreatePrivateVirtualInterface"),
        "the call was logged: {logs}"
    );
    assert!(logs.contains("audit"), "changes get an audit line: {logs}");
    let cookie = headers
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    for canary in [TOKEN, SECRET, AUTH_KEY, "canarySessionToken", "Signature="] {
        assert!(!logs.contains(canary), "{canary} in logs:\n{logs}");
        assert!(
            !responses.contains(canary),
            "{canary} in a response:\n{responses}"
        );
    }
    let _ = cookie;
}

#[tokio::test]
async fn the_profile_header_picks_the_credentials_and_an_unknown_profile_is_refused() {
    let (addr, seen) = scripted(vec![(200, "", "{}")]).await;
    let mut settings = Settings::from_cli(Cli::default()).unwrap();
    settings.upstreams.insert(
        Service::DirectConnect,
        format!("http://{addr}/directconnect"),
    );
    let mut credentials = store();
    credentials.aws.profiles.push(Profile {
        name: "prod".into(),
        region: Some("eu-west-1".into()),
        signer: ProfileSigner::Static(AwsCredentials {
            access_key_id: "AKIAPRODPROFILE".into(),
            secret_access_key: "prod-secret".into(),
            session_token: None,
        }),
    });
    let state = Arc::new(AppState::new(settings, TOKEN.into(), credentials));
    let mut req = dx("DescribeConnections", "{}");
    req.headers_mut()
        .insert("x-cloudlink-profile", "prod".parse().unwrap());
    assert_eq!(call(&state, req).await.0, StatusCode::OK);
    let auth = seen.lock().unwrap().requests[0].1["authorization"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(auth.contains("Credential=AKIAPRODPROFILE/"), "{auth}");

    let mut req = dx("DescribeConnections", "{}");
    req.headers_mut()
        .insert("x-cloudlink-profile", "staging".parse().unwrap());
    let (status, _, body) = call(&state, req).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("staging"), "{body}");
    assert_eq!(seen.lock().unwrap().requests.len(), 1);
}
