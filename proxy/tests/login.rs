//! Logging in and staying logged in, through the router as a browser or a
//! script reaches it: login codes, the failed-login backoff per address,
//! session expiry and renewal, the `__Host-` cookie, CSRF on sign-out, and the
//! headers every answer carries (no-store, the console's CSP).

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use aws_credential_types::provider::{
    ProvideCredentials, SharedCredentialsProvider, error::CredentialsError, future,
};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode};
use base64::Engine;
use cloudlink_core::Service;
use cloudlink_proxy::auth::{self, Auth, Throttle};
use cloudlink_proxy::config::{Cli, Settings};
use cloudlink_proxy::credentials::{
    AwsProfile, CredentialStore, Profile, ProfileSigner, ProviderProfiles,
};
use cloudlink_proxy::{AppState, app};
use sha2::Digest;
use tower::ServiceExt;

const TOKEN: &str = "login-test-token-0123456789abcdef-xyz";
const HOST: &str = "console.example:8080";
const ORIGIN: &str = "http://console.example:8080";

fn settings(web_dir: Option<PathBuf>) -> Settings {
    let mut s = Settings::from_cli(Cli::default()).unwrap();
    if let Some(d) = web_dir {
        s.web_dir = d;
    }
    // Nothing here may reach a cloud.
    for service in Service::ALL {
        s.upstreams
            .insert(service, "http://127.0.0.1:9/".to_owned());
    }
    s
}

fn state_with(credentials: CredentialStore) -> Arc<AppState> {
    Arc::new(AppState::new(settings(None), TOKEN.into(), credentials))
}

fn state() -> Arc<AppState> {
    state_with(CredentialStore::default())
}

fn from(req: Request<Body>, ip: [u8; 4]) -> Request<Body> {
    let mut req = req;
    req.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((ip, 40000))));
    req
}

async fn send(state: &Arc<AppState>, req: Request<Body>) -> (StatusCode, HeaderMap, String) {
    let resp = app(state.clone()).oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20)
        .await
        .unwrap();
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

fn with_cookie(uri: &str, cookie: &str) -> Request<Body> {
    Request::get(uri)
        .header("cookie", cookie)
        .header("host", HOST)
        .body(Body::empty())
        .unwrap()
}

fn form_login(token: &str) -> Request<Body> {
    Request::post("/api/login")
        .header("host", HOST)
        .header("origin", ORIGIN)
        .header("x-cloudlink-request", "1")
        .header("content-type", "application/json")
        .body(Body::from(
            serde_json::json!({ "token": token }).to_string(),
        ))
        .unwrap()
}

fn set_cookies(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

/// `name=value` of the first `Set-Cookie`.
fn cookie_pair(headers: &HeaderMap) -> String {
    set_cookies(headers)[0]
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn the_printed_code_logs_in_once_and_the_token_link_still_works() {
    let state = state();
    let code = state.auth.issue_login_code(SystemTime::now());
    let (status, headers, _) = send(&state, get(&format!("/login?code={code}"))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers["location"], "/");
    let cookie = cookie_pair(&headers);
    assert!(cookie.starts_with("cloudlink_session="), "{cookie}");
    assert_eq!(
        send(&state, with_cookie("/api/session", &cookie)).await.0,
        StatusCode::OK
    );

    // Reused: refused, no cookie, the console's login page says so.
    let (status, headers, _) = send(&state, get(&format!("/login?code={code}"))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(headers.get("set-cookie").is_none());
    assert_eq!(headers["location"], "/#/login?failed=1");

    // A code from another token, an expired one, junk: refused.
    let other =
        Auth::new("another-token-0123456789abcdef-0123".into()).issue_login_code(SystemTime::now());
    let expired = state
        .auth
        .issue_login_code(SystemTime::now() - auth::LOGIN_CODE_LIFETIME - Duration::from_secs(1));
    for bad in [other.as_str(), expired.as_str(), "junk", TOKEN] {
        let (_, headers, _) = send(&state, get(&format!("/login?code={bad}"))).await;
        assert!(headers.get("set-cookie").is_none(), "{bad}");
    }
    // A code minted by another replica with the same token works here.
    let replica = Auth::new(TOKEN.into()).issue_login_code(SystemTime::now());
    let (_, headers, _) = send(&state, get(&format!("/login?code={replica}"))).await;
    assert!(headers.get("set-cookie").is_some());
    // Scripts keep /login?token=.
    let (_, headers, _) = send(&state, get(&format!("/login?token={TOKEN}"))).await;
    assert!(headers.get("set-cookie").is_some());
}

/// The audit lines of refused logins: (client, failures, delay_ms).
fn refusals(logs: &str) -> Vec<(String, u32, u64)> {
    let field = |line: &str, name: &str| {
        let start = line.find(&format!(" {name}="))? + name.len() + 2;
        let rest = &line[start..];
        let end = rest.find(' ').unwrap_or(rest.len());
        Some(rest[..end].trim_matches('"').to_owned())
    };
    logs.lines()
        .filter(|l| l.contains("login_refused"))
        .map(|l| {
            (
                field(l, "client").unwrap(),
                field(l, "failures").unwrap().parse().unwrap(),
                field(l, "delay_ms").unwrap().parse().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn failed_logins_back_off_per_address_without_locking_anyone_out() {
    logs();
    // The server's rule (doubling from 100 ms, at most 5 s) scaled down a
    // hundredfold so the test does not wait: 1 ms doubling, at most 50 ms.
    let mut st = AppState::new(settings(None), TOKEN.into(), CredentialStore::default());
    st.auth.throttle = Throttle::with_delays(Duration::from_millis(1), Duration::from_millis(50));
    let state = Arc::new(st);
    let a = [10, 0, 0, 1];
    let b = [10, 0, 0, 2];
    let header = |token: &str| {
        Request::get("/api/profiles")
            .header("x-cloudlink-token", token)
            .body(Body::empty())
            .unwrap()
    };
    // Address A fails through each door: form, link, code, header.
    for req in [
        form_login("wrong"),
        get("/login?token=wrong"),
        get("/login?code=wrong"),
        header("wrong-token-wrong-token-wrong-token"),
        form_login("wrong again"),
    ] {
        let status = send(&state, from(req, a)).await.0;
        assert!(
            status.is_client_error() || status.is_redirection(),
            "{status}"
        );
    }
    // Address B is not slowed by A's failures.
    assert_eq!(
        send(&state, from(form_login("wrong"), b)).await.0,
        StatusCode::UNAUTHORIZED
    );
    // The right token succeeds from B and from A, in spite of A's failures.
    assert_eq!(send(&state, from(header(TOKEN), b)).await.0, StatusCode::OK);
    assert_eq!(
        send(&state, from(form_login(TOKEN), a)).await.0,
        StatusCode::OK
    );
    // A's success cleared its count; then the delay grows to its cap.
    for _ in 0..8 {
        send(&state, from(form_login("wrong"), a)).await;
    }
    // Without a recorded peer (no socket), failures count under "unknown".
    send(&state, form_login("wrong")).await;
    assert_eq!(
        state
            .auth
            .throttle
            .failure("unknown", std::time::Instant::now())
            .1,
        2
    );
    let logs = log_text();
    let seen: Vec<_> = refusals(&logs)
        .into_iter()
        .filter(|(c, _, _)| c.starts_with("10.0.0."))
        .collect();
    let expect = |c: &str, n: u32, ms: u64| (c.to_owned(), n, ms);
    assert_eq!(
        seen,
        vec![
            expect("10.0.0.1", 1, 1),
            expect("10.0.0.1", 2, 2),
            expect("10.0.0.1", 3, 4),
            expect("10.0.0.1", 4, 8),
            expect("10.0.0.1", 5, 16),
            expect("10.0.0.2", 1, 1),
            expect("10.0.0.1", 1, 1),
            expect("10.0.0.1", 2, 2),
            expect("10.0.0.1", 3, 4),
            expect("10.0.0.1", 4, 8),
            expect("10.0.0.1", 5, 16),
            expect("10.0.0.1", 6, 32),
            expect("10.0.0.1", 7, 50),
            expect("10.0.0.1", 8, 50),
        ]
    );
}

/// A `MakeWriter` that appends every log line to a shared buffer.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

/// The log of this test binary. One global subscriber for all tests: a
/// per-test `set_default` races with tests running at the same time on
/// tracing's per-callsite interest cache, and loses lines. Tests tell their
/// lines apart by the client addresses or names only they use.
fn logs() -> &'static Capture {
    static CAPTURE: std::sync::OnceLock<Capture> = std::sync::OnceLock::new();
    CAPTURE.get_or_init(|| {
        let capture = Capture::default();
        tracing_subscriber::fmt()
            .with_writer(capture.clone())
            .with_ansi(false)
            .init();
        capture
    })
}

fn log_text() -> String {
    String::from_utf8(logs().0.lock().unwrap().clone()).unwrap()
}

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

#[tokio::test]
async fn failed_logins_are_audit_logged_with_the_address_never_the_value() {
    logs();
    let state = state();
    let tried = [
        "form-guess-0123456789",
        "link-guess-0123456789",
        "code-guess-0123456789",
        "header-guess-0123456789",
    ];
    send(&state, from(form_login(tried[0]), [192, 0, 2, 7])).await;
    send(
        &state,
        from(get(&format!("/login?token={}", tried[1])), [192, 0, 2, 7]),
    )
    .await;
    send(
        &state,
        from(get(&format!("/login?code={}", tried[2])), [192, 0, 2, 7]),
    )
    .await;
    let req = Request::get("/api/profiles")
        .header("x-cloudlink-token", tried[3])
        .body(Body::empty())
        .unwrap();
    send(&state, from(req, [192, 0, 2, 7])).await;
    let logs = log_text();
    let refused: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains("login_refused") && l.contains("192.0.2.7"))
        .collect();
    assert_eq!(refused.len(), 4, "{logs}");
    for (line, via) in refused.iter().zip(["form", "link", "code", "header"]) {
        assert!(line.contains("cloudlink::audit"), "{line}");
        assert!(line.contains(&format!("via=\"{via}\"")), "{line}");
        assert!(line.contains("client=\"192.0.2.7\""), "{line}");
    }
    for t in tried {
        assert!(!logs.contains(t), "{t} in the log:\n{logs}");
    }
}

#[tokio::test]
async fn sessions_renew_while_used_and_end_idle_or_after_twelve_hours() {
    let state = state();
    let now = SystemTime::now();
    let min = |m: u64| Duration::from_secs(m * 60);
    let cookie = |value: &str| format!("cloudlink_session={value}");

    // Fresh: accepted, not renewed.
    let fresh = state.auth.issue_session(now - min(1));
    let (status, headers, _) = send(&state, with_cookie("/api/session", &cookie(&fresh))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers.get("set-cookie").is_none());

    // Ten minutes old: accepted and replaced by a cookie carrying the same login time.
    let older = state.auth.issue_session(now - min(10));
    let (status, headers, _) = send(&state, with_cookie("/api/session", &cookie(&older))).await;
    assert_eq!(status, StatusCode::OK);
    let renewed = cookie_pair(&headers);
    let value = renewed.strip_prefix("cloudlink_session=").unwrap();
    let s = state.auth.session(value, SystemTime::now()).unwrap();
    assert_eq!(s.login, state.auth.session(&older, now).unwrap().login);
    assert!(s.issued + 5 > state.auth.session(&older, now).unwrap().issued + 600);
    assert!(set_cookies(&headers)[0].contains("Max-Age=3600"));
    // Static files renew too (the console's own page load).
    let (_, headers, _) = send(&state, with_cookie("/", &cookie(&older))).await;
    assert!(headers.get("set-cookie").is_some());

    // Unused for an hour: refused, and not renewed.
    let idle = state.auth.issue_session(now - min(61));
    let (status, headers, body) = send(&state, with_cookie("/api/session", &cookie(&idle))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert!(headers.get("set-cookie").is_none());

    // Used all along, but logged in more than twelve hours ago: refused.
    let start = now - Duration::from_secs(12 * 3600) - min(2);
    let mut value = state.auth.issue_session(start);
    let mut t = start;
    while t + min(50) < now {
        t += min(50);
        value = state.auth.renewal(&value, t).unwrap();
    }
    assert!(state.auth.session(&value, now).is_none());
    assert_eq!(
        send(&state, with_cookie("/api/session", &cookie(&value)))
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn over_https_the_cookie_is_host_prefixed_and_secure() {
    let state = state();
    let mut req = form_login(TOKEN);
    req.headers_mut()
        .insert("x-forwarded-proto", "https".parse().unwrap());
    let (status, headers, _) = send(&state, req).await;
    assert_eq!(status, StatusCode::OK);
    let set = &set_cookies(&headers)[0];
    assert!(set.starts_with("__Host-cloudlink_session="), "{set}");
    assert!(
        set.contains("; Secure") && set.contains("Path=/") && !set.contains("Domain"),
        "{set}"
    );
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    let cookie = cookie_pair(&headers);
    assert_eq!(
        send(&state, with_cookie("/api/profiles", &cookie)).await.0,
        StatusCode::OK
    );
    // Over plain HTTP: the plain name, no Secure.
    let (_, headers, _) = send(&state, form_login(TOKEN)).await;
    let set = &set_cookies(&headers)[0];
    assert!(
        set.starts_with("cloudlink_session=") && !set.contains("Secure"),
        "{set}"
    );
}

#[tokio::test]
async fn sign_out_needs_the_console_origin_and_clears_both_cookies() {
    let state = state();
    let logout = |origin: Option<&str>, custom: bool, https: bool| {
        let mut r = Request::post("/api/logout").header("host", HOST);
        if let Some(o) = origin {
            r = r.header("origin", o);
        }
        if custom {
            r = r.header("x-cloudlink-request", "1");
        }
        if https {
            r = r.header("x-forwarded-proto", "https");
        }
        r.body(Body::from("{}")).unwrap()
    };
    for (origin, custom) in [
        (None, true),
        (Some(ORIGIN), false),
        (Some("https://evil.example"), true),
    ] {
        let (status, headers, _) = send(&state, logout(origin, custom, false)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{origin:?} {custom}");
        assert!(headers.get("set-cookie").is_none());
    }
    let (status, headers, _) = send(&state, logout(Some(ORIGIN), true, false)).await;
    assert_eq!(status, StatusCode::OK);
    let cleared = set_cookies(&headers);
    assert_eq!(cleared.len(), 1);
    assert!(cleared[0].starts_with("cloudlink_session=;") && cleared[0].contains("Max-Age=0"));
    let (_, headers, _) = send(
        &state,
        logout(Some("https://console.example:8080"), true, true),
    )
    .await;
    let cleared = set_cookies(&headers);
    assert_eq!(cleared.len(), 2, "{cleared:?}");
    assert!(
        cleared
            .iter()
            .any(|c| c.starts_with("__Host-cloudlink_session=;") && c.contains("Secure"))
    );
}

#[tokio::test]
async fn every_api_answer_is_no_store_and_static_files_are_not() {
    let state = state();
    let token = |r: Request<Body>| {
        let mut r = r;
        r.headers_mut()
            .insert("x-cloudlink-token", TOKEN.parse().unwrap());
        r
    };
    for (req, expected) in [
        (get("/api/profiles"), StatusCode::UNAUTHORIZED),
        (token(get("/api/profiles")), StatusCode::OK),
        (token(get("/api/sandbox")), StatusCode::NOT_FOUND),
        (
            token(get("/api/nope/nothing/us-east-1/")),
            StatusCode::NOT_FOUND,
        ),
        (
            token(get("/api/aws/directconnect/bad..region/")),
            StatusCode::BAD_REQUEST,
        ),
        (form_login("wrong"), StatusCode::UNAUTHORIZED),
        (
            Request::post("/api/logout").body(Body::empty()).unwrap(),
            StatusCode::FORBIDDEN,
        ),
        (get("/login?token=wrong"), StatusCode::SEE_OTHER),
    ] {
        let uri = req.uri().to_string();
        let (status, headers, _) = send(&state, req).await;
        assert_eq!(status, expected, "{uri}");
        assert_eq!(headers["cache-control"], "no-store", "{uri}");
    }
    let (_, headers, _) = send(&state, get("/healthz")).await;
    assert!(headers.get("cache-control").is_none());
}

#[tokio::test]
async fn the_console_policy_carries_the_hash_of_its_inline_loader() {
    let dir = std::env::temp_dir().join(format!("cloudlink-csp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let loader = "\nimport init from '/cloudlink-web-0123.js';\nawait init({ module_or_path: '/cloudlink-web-0123_bg.wasm' });\n";
    std::fs::write(
        dir.join("index.html"),
        format!("<!doctype html><html><head><link rel=\"stylesheet\" href=\"/style.css\"><script type=\"module\">{loader}</script></head><body></body></html>"),
    )
    .unwrap();
    let state = Arc::new(AppState::new(
        settings(Some(dir.clone())),
        TOKEN.into(),
        CredentialStore::default(),
    ));
    let expected = format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(loader.as_bytes()))
    );
    for uri in ["/", "/index.html", "/api/profiles"] {
        let (status, headers, _) = send(&state, get(uri)).await;
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert_eq!(
            csp,
            format!(
                "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {expected}; style-src 'self'; \
                 connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; \
                 frame-ancestors 'none'"
            ),
            "{uri} ({status})"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// A credential source that fails the way a broken profile does, naming a file.
#[derive(Debug)]
struct Broken;

impl ProvideCredentials for Broken {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::ready(Err(CredentialsError::provider_error(
            "cannot read /home/alice/.aws/sso/cache/secret-cache.json for role arn:aws:iam::123456789012:role/Admin",
        )))
    }
}

#[tokio::test]
async fn credential_errors_reach_the_log_but_not_the_caller() {
    logs();
    let profiles = ProviderProfiles {
        profiles: vec![Profile {
            name: "work".into(),
            region: Some("us-east-1".into()),
            signer: ProfileSigner::Aws(Arc::new(AwsProfile::new(SharedCredentialsProvider::new(
                Broken,
            )))),
        }],
        problems: vec![],
    };
    let state = state_with(CredentialStore {
        aws: profiles,
        ..CredentialStore::default()
    });
    let req = Request::post("/api/aws/directconnect/us-east-1/")
        .header("x-cloudlink-token", TOKEN)
        .header("x-amz-target", "OvertureService.DescribeConnections")
        .header("content-type", "application/x-amz-json-1.1")
        .body(Body::from("{}"))
        .unwrap();
    let (status, _, body) = send(&state, req).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        body["message"],
        "profile work cannot sign: see the proxy log"
    );
    let logs = log_text();
    assert!(
        logs.contains("secret-cache.json")
            && logs.contains("role/Admin")
            && logs.contains("profile=\"work\""),
        "{logs}"
    );
}
