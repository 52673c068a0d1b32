//! Access control and routing, tried the way an attacker would: every request
//! here must be refused, and a local listener standing in for every upstream
//! proves that none of them made an outbound call.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use cloudlink_core::Service;
use cloudlink_proxy::config::{Cli, Settings};
use cloudlink_proxy::credentials::{CredentialStore, Profile, ProfileSigner, ProviderProfiles};
use cloudlink_proxy::{AppState, app};
use cloudlink_signing::AwsCredentials;
use tower::ServiceExt;

const TOKEN: &str = "test-token-0123456789abcdef-0123456789";

/// A listener that counts every request it receives and answers 200 `{}`.
async fn counting_upstream() -> (SocketAddr, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let router = axum::Router::new().fallback(move || {
        let counter = counter.clone();
        async move {
            counter.fetch_add(1, Ordering::SeqCst);
            (
                [
                    ("content-type", "application/json"),
                    ("x-amzn-requestid", "upstream-req-1"),
                ],
                "{}",
            )
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (addr, hits)
}

fn aws_store() -> CredentialStore {
    let creds = AwsCredentials {
        access_key_id: "AKIDEXAMPLECANARY".into(),
        secret_access_key: "SECRETCANARY/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
        session_token: None,
    };
    let profiles = ProviderProfiles {
        profiles: vec![Profile {
            name: "default".into(),
            region: Some("us-east-1".into()),
            signer: ProfileSigner::Static(creds),
        }],
        problems: vec![],
    };
    CredentialStore {
        aws: profiles.clone(),
        outscale: profiles,
        oci: ProviderProfiles::default(),
    }
}

async fn state(read_only: bool) -> (Arc<AppState>, Arc<AtomicUsize>) {
    let (addr, hits) = counting_upstream().await;
    let mut settings = Settings::from_cli(Cli {
        read_only,
        ..Cli::default()
    })
    .unwrap();
    for service in Service::ALL {
        settings
            .upstreams
            .insert(service, format!("http://{addr}/{}", service.id()));
    }
    (
        Arc::new(AppState::new(settings, TOKEN.into(), aws_store())),
        hits,
    )
}

fn describe(uri: &str) -> Request<Body> {
    Request::post(uri)
        .header("x-cloudlink-token", TOKEN)
        .header("x-amz-target", "OvertureService.DescribeConnections")
        .header("content-type", "application/x-amz-json-1.1")
        .body(Body::from("{}"))
        .unwrap()
}

async fn send(
    state: &Arc<AppState>,
    req: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, serde_json::Value) {
    let resp = app(state.clone()).oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20)
        .await
        .unwrap();
    let json = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
    (status, headers, json)
}

#[tokio::test]
async fn healthz_is_open_and_api_needs_the_token() {
    let (state, hits) = state(false).await;
    let (status, _, _) = send(
        &state,
        Request::get("/healthz").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    let mut no_token = describe("/api/aws/directconnect/us-east-1/");
    no_token.headers_mut().remove("x-cloudlink-token");
    let (status, headers, body) = send(&state, no_token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(headers["x-amzn-errortype"], "DirectConnectClientException");
    assert_eq!(body["__type"], "DirectConnectClientException");

    let mut wrong = describe("/api/aws/directconnect/us-east-1/");
    wrong.headers_mut().insert(
        "x-cloudlink-token",
        "test-token-0123456789abcdef-012345678X".parse().unwrap(),
    );
    assert_eq!(send(&state, wrong).await.0, StatusCode::UNAUTHORIZED);

    let (status, _, _) = send(
        &state,
        Request::get("/api/profiles").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(hits.load(Ordering::SeqCst), 0);

    // The right token goes through, and the upstream sees exactly one call.
    let (status, headers, _) = send(&state, describe("/api/aws/directconnect/us-east-1/")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["x-amzn-requestid"], "upstream-req-1");
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn browser_session_cannot_be_used_cross_site() {
    let (state, hits) = state(false).await;
    let login = Request::get(format!("/login?token={TOKEN}"))
        .body(Body::empty())
        .unwrap();
    let resp = app(state.clone()).oneshot(login).await.unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let set_cookie = resp.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Strict"),
        "{set_cookie}"
    );
    let cookie = set_cookie.split(';').next().unwrap().to_owned();

    let with_cookie = |origin: Option<&str>, custom: bool| {
        let mut r = describe("/api/aws/directconnect/us-east-1/");
        r.headers_mut().remove("x-cloudlink-token");
        r.headers_mut().insert("cookie", cookie.parse().unwrap());
        r.headers_mut()
            .insert("host", "127.0.0.1:8080".parse().unwrap());
        if let Some(o) = origin {
            r.headers_mut().insert("origin", o.parse().unwrap());
        }
        if custom {
            r.headers_mut()
                .insert("x-cloudlink-request", "1".parse().unwrap());
        }
        r
    };
    assert_eq!(
        send(&state, with_cookie(None, true)).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send(&state, with_cookie(Some("http://127.0.0.1:8080"), false))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send(&state, with_cookie(Some("https://evil.example"), true))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send(
            &state,
            with_cookie(Some("http://127.0.0.1:8080.evil.example"), true)
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(hits.load(Ordering::SeqCst), 0);
    assert_eq!(
        send(&state, with_cookie(Some("http://127.0.0.1:8080"), true))
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(hits.load(Ordering::SeqCst), 1);

    // A wrong login token sets no cookie.
    let resp = app(state.clone())
        .oneshot(
            Request::get("/login?token=nope")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert!(resp.headers().get("set-cookie").is_none());
}

#[tokio::test]
async fn hostile_routes_are_refused_without_any_outbound_call() {
    let (state, hits) = state(false).await;
    let regions = [
        "us-east-1.evil.example",
        "us-east-1%2eevil.example",
        "..",
        "%2e%2e",
        "us-east-1@evil.example",
        "us-east-1%40evil.example",
        "us-east-1%23",
        "us-%C3%A9ast-1",
        "%20",
        "us-east-1%2F..",
    ];
    for region in regions {
        let (status, _, body) = send(
            &state,
            describe(&format!("/api/aws/directconnect/{region}/")),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "region {region}");
        assert_eq!(body["__type"], "DirectConnectClientException");
    }
    // An empty region segment.
    let (status, _, _) = send(&state, describe("/api/aws/directconnect//")).await;
    assert!(status.is_client_error());
    for path in [
        "/api/aws/outposts/us-east-1/connections/..",
        "/api/aws/outposts/us-east-1/connections/%2e%2e",
        "/api/aws/outposts/us-east-1/connections/%2e%2e%2f%2e%2e%2fadmin",
        "/api/oci/core/us-ashburn-1/20160918/instanceConsoleConnections/..%2f..%2fevil",
        "/api/aws/outposts/us-east-1/../../admin",
    ] {
        let req = Request::get(path)
            .header("x-cloudlink-token", TOKEN)
            .body(Body::empty())
            .unwrap();
        let (status, _, _) = send(&state, req).await;
        assert!(status.is_client_error(), "{path}: {status}");
    }
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "no hostile request may reach an upstream"
    );
}

#[tokio::test]
async fn unknown_operations_and_read_only_get_403_in_the_provider_shape() {
    let (state, hits) = state(false).await;
    let mut req = describe("/api/aws/directconnect/us-east-1/");
    req.headers_mut()
        .insert("x-amz-target", "OvertureService.DeleteLag".parse().unwrap());
    let (status, headers, body) = send(&state, req).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(headers["x-amzn-errortype"], "DirectConnectClientException");
    assert!(body["message"].as_str().unwrap().contains("not forwarded"));

    let (ro, ro_hits) = state_read_only().await;
    let mut create = describe("/api/aws/directconnect/us-east-1/");
    create.headers_mut().insert(
        "x-amz-target",
        "OvertureService.DeleteConnection".parse().unwrap(),
    );
    *create.body_mut() = Body::from(r#"{"connectionId":"dxcon-abcd1234"}"#);
    let (status, _, body) = send(&ro, create).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body["message"].as_str().unwrap().contains("read-only"));
    // Reads still work in read-only mode.
    assert_eq!(
        send(&ro, describe("/api/aws/directconnect/us-east-1/"))
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(ro_hits.load(Ordering::SeqCst), 1);
    assert_eq!(hits.load(Ordering::SeqCst), 0);
}

async fn state_read_only() -> (Arc<AppState>, Arc<AtomicUsize>) {
    state(true).await
}

#[tokio::test]
async fn oversized_and_invalid_bodies_are_refused_with_every_field_error() {
    let (state, hits) = state(false).await;
    let mut big = describe("/api/aws/directconnect/us-east-1/");
    *big.body_mut() = Body::from(vec![b' '; 64 * 1024 + 1]);
    let (status, headers, _) = send(&state, big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(headers["x-amzn-errortype"], "DirectConnectClientException");

    let mut bad = describe("/api/aws/directconnect/us-east-1/");
    bad.headers_mut().insert(
        "x-amz-target",
        "OvertureService.CreateConnection".parse().unwrap(),
    );
    *bad.body_mut() = Body::from(r#"{"location":"","bandwidth":"3Gbps","connectionName":""}"#);
    let (status, _, body) = send(&state, bad).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let fields: Vec<&str> = body["fieldErrors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for f in ["location", "bandwidth", "connectionName"] {
        assert!(fields.contains(&f), "{f} missing from {fields:?}");
    }

    let mut smuggled = describe("/api/aws/directconnect/us-east-1/");
    *smuggled.body_mut() = Body::from(r#"{"connectionId":"dxcon-abcd1234","evil":"x"}"#);
    let (status, _, body) = send(&state, smuggled).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["message"].as_str().unwrap().contains("unknown field"),
        "{body}"
    );
    assert_eq!(hits.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn profiles_lists_names_and_never_a_secret() {
    let (state, _) = state(false).await;
    let req = Request::get("/api/profiles")
        .header("x-cloudlink-token", TOKEN)
        .body(Body::empty())
        .unwrap();
    let (status, _, body) = send(&state, req).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["providers"]["aws"]["profiles"][0], "default");
    assert_eq!(body["providers"]["oci"]["configured"], false);
    let text = body.to_string();
    assert!(
        !text.contains("SECRETCANARY")
            && !text.contains("AKIDEXAMPLECANARY")
            && !text.contains(TOKEN)
    );
}

#[tokio::test]
async fn every_answer_forbids_framing_sniffing_and_referrers() {
    let (state, _) = state(false).await;
    for req in [
        Request::get("/healthz").body(Body::empty()).unwrap(),
        Request::get("/").body(Body::empty()).unwrap(),
        describe("/api/aws/directconnect/us-east-1/"),
        Request::get(format!("/login?token={TOKEN}"))
            .body(Body::empty())
            .unwrap(),
    ] {
        let (_, headers, _) = send(&state, req).await;
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.starts_with("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'")
                && csp.ends_with("frame-ancestors 'none'"),
            "{csp}"
        );
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["referrer-policy"], "no-referrer");
    }
}
