//! What an operator relies on: clock-skew correction against a sandbox whose
//! clock is off, `/metrics` and its access rule, `/readyz`, the body limit on
//! every route that reads a body, and the log formats of the binary.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use cloudlink_core::Service;
use cloudlink_proxy::config::{Cli, Settings};
use cloudlink_proxy::credentials::{CredentialStore, Profile, ProfileSigner, ProviderProfiles};
use cloudlink_proxy::sandbox::Sandbox;
use cloudlink_proxy::sandbox::{credential_store, sandbox_upstreams, start_sandbox};
use cloudlink_proxy::{AppState, app};
use cloudlink_signing::AwsCredentials;
use tower::ServiceExt;

const TOKEN: &str = "operations-token-0123456789abcdef0123456789";

async fn sandboxed(skew_secs: i64) -> (Arc<AppState>, Sandbox) {
    let sandbox = Sandbox::new_fast().with_clock_skew(skew_secs);
    let addr = start_sandbox(&sandbox, SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    let mut settings = Settings::from_cli(Cli::default()).unwrap();
    sandbox_upstreams(&mut settings, addr);
    settings.sandbox = true;
    let state = AppState::new(
        settings,
        TOKEN.into(),
        credential_store(&sandbox.credentials()),
    );
    (Arc::new(state), sandbox)
}

async fn call(state: &Arc<AppState>, request: Request<Body>) -> (u16, String) {
    let response = app(state.clone()).oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn dx(target: &str, body: &str) -> Request<Body> {
    Request::post("/api/aws/directconnect/us-east-1/")
        .header("x-cloudlink-token", TOKEN)
        .header("x-amz-target", format!("OvertureService.{target}"))
        .header("content-type", "application/x-amz-json-1.1")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

fn metric(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0.0)
}

async fn metrics_of(state: &Arc<AppState>) -> String {
    let request = Request::get("/metrics")
        .header("authorization", format!("Bearer {TOKEN}"))
        .body(Body::empty())
        .unwrap();
    let (status, text) = call(state, request).await;
    assert_eq!(status, 200, "{text}");
    text
}

#[tokio::test]
async fn a_provider_clock_ten_minutes_ahead_is_corrected_once_and_remembered() {
    let (state, _sandbox) = sandboxed(600).await;
    let (status, body) = call(&state, dx("DescribeConnections", "{}")).await;
    assert_eq!(status, 200, "{body}");
    let offset = state.upstreams.offset_ms(Service::DirectConnect);
    assert!(
        (595_000..=605_000).contains(&offset),
        "offset learnt from the answer's Date: {offset}"
    );
    let retries = r#"cloudlink_retries_total{service="directconnect"}"#;
    assert_eq!(metric(&metrics_of(&state).await, retries), 1.0);
    // A write after the correction goes through at once, exactly once.
    let create = r#"{"location":"EqDC2","bandwidth":"1Gbps","connectionName":"skewed"}"#;
    let (status, body) = call(&state, dx("CreateConnection", create)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(metric(&metrics_of(&state).await, retries), 1.0);
    let (_, listed) = call(&state, dx("DescribeConnections", "{}")).await;
    assert_eq!(listed.matches("\"skewed\"").count(), 1, "{listed}");
}

#[tokio::test]
async fn a_write_refused_for_its_date_is_sent_again_signed_with_the_providers_time() {
    let (state, _sandbox) = sandboxed(-900).await;
    let create = r#"{"location":"EqDC2","bandwidth":"1Gbps","connectionName":"behind"}"#;
    let (status, body) = call(&state, dx("CreateConnection", create)).await;
    assert_eq!(status, 200, "{body}");
    assert!(state.upstreams.offset_ms(Service::DirectConnect) < -890_000);
    let (_, listed) = call(&state, dx("DescribeConnections", "{}")).await;
    assert_eq!(
        listed.matches("\"behind\"").count(),
        1,
        "created once: {listed}"
    );
}

#[tokio::test]
async fn oci_skew_is_recognised_from_a_401_and_the_date() {
    let (state, sandbox) = sandboxed(-600).await;
    let compartment = sandbox.seeds().oci_core.compartment_id;
    assert!(!compartment.is_empty(), "the sandbox seeds a compartment");
    let request = Request::get(format!(
        "/api/oci/core/us-ashburn-1/20160918/instanceConsoleConnections?compartmentId={compartment}"
    ))
    .header("x-cloudlink-token", TOKEN)
    .body(Body::empty())
    .unwrap();
    let (status, body) = call(&state, request).await;
    assert_eq!(status, 200, "{body}");
    assert!(state.upstreams.offset_ms(Service::OciCore) < -590_000);
    assert_eq!(
        state.upstreams.offset_ms(Service::DirectConnect),
        0,
        "offsets are per service"
    );
}

#[tokio::test]
async fn metrics_need_the_token_or_a_bearer_unless_public() {
    let (state, _sandbox) = sandboxed(0).await;
    let (status, _) = call(&state, dx("DescribeConnections", "{}")).await;
    assert_eq!(status, 200);
    let anonymous = Request::get("/metrics").body(Body::empty()).unwrap();
    assert_eq!(call(&state, anonymous).await.0, 401);
    let wrong = Request::get("/metrics")
        .header("authorization", "Bearer not-the-token")
        .body(Body::empty())
        .unwrap();
    assert_eq!(call(&state, wrong).await.0, 401);
    let text = metrics_of(&state).await;
    for series in [
        r#"cloudlink_calls_total{service="directconnect",operation="DescribeConnections",status="200"} 1"#,
        "cloudlink_in_flight_calls 0",
        r#"cloudlink_refusals_total{reason="auth"} 2"#,
        r#"cloudlink_upstream_latency_seconds_count{service="directconnect"} 1"#,
    ] {
        assert!(text.contains(series), "{series} in\n{text}");
    }
    assert!(!text.contains(TOKEN));
    let with_header = Request::get("/metrics")
        .header("x-cloudlink-token", TOKEN)
        .body(Body::empty())
        .unwrap();
    assert_eq!(call(&state, with_header).await.0, 200);

    let mut settings = Settings::from_cli(Cli::default()).unwrap();
    settings.metrics_public = true;
    let public = Arc::new(AppState::new(
        settings,
        TOKEN.into(),
        CredentialStore::default(),
    ));
    let anonymous = Request::get("/metrics").body(Body::empty()).unwrap();
    assert_eq!(call(&public, anonymous).await.0, 200);
}

fn readyz() -> Request<Body> {
    Request::get("/readyz").body(Body::empty()).unwrap()
}

#[tokio::test]
async fn readyz_names_what_is_missing_and_never_a_detail() {
    let (state, _sandbox) = sandboxed(0).await;
    assert_eq!(call(&state, readyz()).await.0, 200);

    let settings = Settings::from_cli(Cli::default()).unwrap();
    let empty = Arc::new(AppState::new(
        settings.clone(),
        TOKEN.into(),
        CredentialStore::default(),
    ));
    let (status, text) = call(&empty, readyz()).await;
    assert_eq!(status, 503);
    assert!(text.contains("no credentials for any provider"), "{text}");

    let aws = ProviderProfiles {
        profiles: vec![Profile {
            name: "default".into(),
            region: None,
            signer: ProfileSigner::Static(AwsCredentials {
                access_key_id: "AKIAREADY0123456789".into(),
                secret_access_key: "readySecret/0123456789abcdef".into(),
                session_token: None,
            }),
        }],
        problems: vec![],
    };
    let mut store = CredentialStore {
        aws,
        ..CredentialStore::default()
    };
    let ready = Arc::new(AppState::new(settings.clone(), TOKEN.into(), store.clone()));
    assert_eq!(call(&ready, readyz()).await.0, 200);

    store
        .aws
        .problems
        .push("profile sso in /home/someone/.aws/config: cannot refresh".into());
    let troubled = Arc::new(AppState::new(settings, TOKEN.into(), store));
    let (status, text) = call(&troubled, readyz()).await;
    assert_eq!(status, 503);
    assert!(
        text.contains("aws credentials were found with problems"),
        "{text}"
    );
    assert!(!text.contains("/home/someone"), "no detail leaks: {text}");
}

#[tokio::test]
async fn every_route_that_reads_a_body_stops_at_64_kib() {
    let (state, _sandbox) = sandboxed(0).await;
    let big = format!(r#"{{"token":"{}"}}"#, "x".repeat(100 * 1024));
    let login = Request::post("/api/login")
        .header("content-type", "application/json")
        .header("origin", "http://localhost")
        .header("host", "localhost")
        .header("x-cloudlink-request", "1")
        .body(Body::from(big.clone()))
        .unwrap();
    assert_eq!(call(&state, login).await.0, 413);
    let (status, body) = call(&state, dx("DescribeConnections", &big)).await;
    assert_eq!(status, 413, "{body}");
}

/// Starts the binary on the sandbox with `args`; its stdout lines until the
/// start-up line, then stops it with SIGTERM and returns the exit code.
fn log_lines_of(args: &[&str]) -> (Vec<String>, Option<i32>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cloudlink-proxy"))
        .args([
            "--sandbox",
            "--listen",
            "127.0.0.1:0",
            "--web-dir",
            "/nonexistent",
        ])
        .args(args)
        .env("CLOUDLINK_TOKEN", TOKEN)
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        let started = line.contains("cloudlink-proxy started");
        lines.push(line);
        if started || lines.len() > 50 {
            break;
        }
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let code = (0..100).find_map(|_| {
        std::thread::sleep(Duration::from_millis(100));
        child.try_wait().unwrap().map(|s| s.code())
    });
    if code.is_none() {
        let _ = child.kill();
    }
    (lines, code.flatten())
}

#[test]
fn log_lines_have_no_colour_off_a_terminal_and_json_is_one_object_per_line() {
    let (text, code) = log_lines_of(&[]);
    assert!(
        text.iter().any(|l| l.contains("cloudlink-proxy started")),
        "{text:?}"
    );
    assert!(
        text.iter().all(|l| !l.contains('\u{1b}')),
        "no ANSI escapes: {text:?}"
    );
    assert_eq!(code, Some(0), "SIGTERM exits 0");

    let (json, code) = log_lines_of(&["--log-format", "json"]);
    let logs: Vec<serde_json::Value> = json
        .iter()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    let started = logs
        .iter()
        .find(|v| v["message"] == "cloudlink-proxy started")
        .unwrap_or_else(|| panic!("{json:?}"));
    assert_eq!(started["level"], "INFO");
    assert_eq!(started["sandbox"], true, "fields are kept: {started}");
    assert!(
        json.iter().all(|l| !l.contains(TOKEN)),
        "the token is never logged"
    );
    assert_eq!(code, Some(0));
}

fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name: utime and stime are the 12th and 13th.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let field = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    field(11) + field(12)
}

/// Out of file descriptors, the accept loop pauses instead of spinning, and
/// serves again once descriptors are free.
#[test]
fn running_out_of_descriptors_pauses_accepting_without_spinning() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let command = format!(
        "ulimit -n 64 && exec {} --sandbox --listen 127.0.0.1:{port} --web-dir /nonexistent",
        env!("CARGO_BIN_EXE_cloudlink-proxy")
    );
    let mut child = Command::new("sh")
        .args(["-c", &command])
        .env("CLOUDLINK_TOKEN", TOKEN)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    let stdout = child.stdout.take().unwrap();
    let warnings = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = warnings.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.contains("accept failed") {
                counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
        }
    });
    let healthy = || {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
        s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
        use std::io::{Read, Write};
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .ok()?;
        let mut answer = String::new();
        s.read_to_string(&mut answer).ok()?;
        answer.starts_with("HTTP/1.1 200").then_some(())
    };
    let up = (0..100).any(|_| {
        std::thread::sleep(Duration::from_millis(100));
        healthy().is_some()
    });
    assert!(up, "the proxy started");
    // More connections than descriptors: accept fails with EMFILE.
    let held: Vec<_> = (0..100)
        .filter_map(|_| std::net::TcpStream::connect(("127.0.0.1", port)).ok())
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let before = cpu_ticks(pid);
    std::thread::sleep(Duration::from_secs(2));
    let spent = cpu_ticks(pid) - before;
    let warned = warnings.load(std::sync::atomic::Ordering::SeqCst);
    assert!(warned >= 1, "the accept errors were logged");
    assert!(
        warned <= 20,
        "paused between failing accepts, not one line per spin: {warned}"
    );
    // A busy loop would burn ~200 ticks (2 s) here.
    assert!(
        spent < 60,
        "no busy loop while out of descriptors: {spent} ticks"
    );
    drop(held);
    let back = (0..150).any(|_| {
        std::thread::sleep(Duration::from_millis(100));
        healthy().is_some()
    });
    let _ = child.kill();
    let _ = child.wait();
    assert!(back, "serves again once descriptors are free");
}
