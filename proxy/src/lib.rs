//! cloudlink-proxy: the security boundary between the browser console and the
//! clouds. It checks the caller's token, validates every call with
//! `cloudlink-core`, signs it with credentials the browser never sees, forwards
//! it only to the provider's own endpoint, and serves the console.
//!
//! [`app`] builds the whole HTTP surface as a `Router`, so tests drive it with
//! `oneshot` and no socket.

pub mod auth;
pub mod client;
pub mod config;
pub mod console;
pub mod credentials;
pub mod errors;
pub mod forward;
pub mod logfields;
pub mod login;
pub mod logwriter;
pub mod metrics;
pub mod policy;
pub mod route;
#[cfg(feature = "sandbox")]
pub mod sandbox;
pub mod server;
pub mod upstream;

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, get_service, post};
use cloudlink_core::contract::{self, Profiles, ProviderProfiles};
use cloudlink_core::{Provider, Service};
use tower::Layer;
use tower_http::services::ServeDir;

use crate::auth::Auth;
use crate::config::Settings;
use crate::credentials::CredentialStore;
use crate::errors::{ErrorKind, ProxyError};
use crate::login::Authenticated;

/// Largest request body accepted (413 above), on every route that reads one.
pub const BODY_LIMIT: usize = 64 * 1024;
/// How much longer than the upstream timeout a whole inbound API request may
/// take (reading its body, validating, signing, answering).
pub const REQUEST_MARGIN: std::time::Duration = std::time::Duration::from_secs(5);

/// The `user-agent` of every upstream request: the SDKs name themselves, so does cloudlink.
pub const USER_AGENT: &str = concat!("cloudlink/", env!("CARGO_PKG_VERSION"));

/// Everything a request handler needs, shared by all of them.
#[derive(Debug)]
pub struct AppState {
    pub settings: Settings,
    pub auth: Auth,
    pub credentials: CredentialStore,
    /// The upstream clients, one per serving thread ([`client::Clients`]).
    pub clients: client::Clients,
    /// What `GET /api/sandbox` lists, when the sandbox runs.
    pub sandbox_seeds: Option<contract::SandboxSeeds>,
    pub metrics: Arc<metrics::Metrics>,
    /// One permit per API call in flight (`max-concurrent-calls`).
    pub calls: Arc<tokio::sync::Semaphore>,
    pub upstreams: upstream::Upstreams,
}

impl AppState {
    pub fn new(settings: Settings, token: String, credentials: CredentialStore) -> Self {
        let clients = client::Clients::build(&settings, 1);
        let calls = Arc::new(tokio::sync::Semaphore::new(
            settings.limits.max_concurrent_calls,
        ));
        let upstreams = upstream::Upstreams::new(settings.limits.upstream_connections_per_host);
        Self {
            settings,
            auth: Auth::new(token),
            credentials,
            clients,
            sandbox_seeds: None,
            metrics: Arc::new(metrics::Metrics::new()),
            calls,
            upstreams,
        }
    }
}

/// The whole HTTP surface.
pub fn app(state: Arc<AppState>) -> Router {
    let web_dir = state.settings.web_dir.clone();
    let base_path = state.settings.base_path.clone();
    // The page itself always goes through `console_html`; other files as they are.
    let served = std::fs::read_to_string(web_dir.join("index.html"))
        .ok()
        .map(|raw| console::console_html(&raw, &base_path));
    // The policy allows the inline loader of the page as served (after
    // `console_html` rewrote its URLs for the base path), by hash.
    let csp = HeaderValue::from_str(&policy::console_csp(served.as_deref().unwrap_or_default()))
        .expect("the policy is ASCII: fixed text and base64 hashes");
    let page = console_page(served);
    // The `.br` / `.gz` copies written at build time are sent when accepted.
    let statics = axum::middleware::from_fn(console::static_headers).layer(
        ServeDir::new(&web_dir)
            .append_index_html_on_directories(false)
            .precompressed_br()
            .precompressed_gzip()
            .fallback(page.clone()),
    );
    let inner = Router::new()
        .route("/", get_service(page.clone()))
        .route("/index.html", get_service(page))
        .route(contract::HEALTHZ_PATH, get(|| async { "ok" }))
        .route(contract::READYZ_PATH, get(readyz))
        .route(contract::METRICS_PATH, get(metrics_text))
        .route("/login", get(login::login_link))
        .route(contract::LOGIN_PATH, post(login::login_post))
        .route(contract::LOGOUT_PATH, post(login::logout))
        .route(contract::SESSION_PATH, get(login::session))
        .route(contract::PROFILES_PATH, get(profiles))
        .route(contract::SANDBOX_PATH, get(sandbox_seeds))
        .route("/api/{*rest}", any(api))
        .fallback_service(statics)
        // Every route that reads a body reads at most this much, counted while reading.
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        // Session renewal, no-store on the API, the console's policy and the other
        // browser headers: one middleware for all of them.
        .layer(axum::middleware::from_fn_with_state(
            policy::Edge {
                state: state.clone(),
                csp,
            },
            policy::edge,
        ))
        .with_state(state);
    console::under_base_path(inner, &base_path)
}

/// The console's page, read once from the web dir and made ready for the base
/// path by [`console::console_html`] (`served`), in the coding the browser
/// prefers; 404 when the console is not built.
fn console_page(served: Option<String>) -> axum::routing::MethodRouter {
    let page = served.map(|html| Arc::new(console::Page::new(html)));
    get(move |headers: axum::http::HeaderMap| {
        let page = page.clone();
        async move {
            match page {
                Some(page) => page.response(&headers),
                None => ProxyError::new(None, ErrorKind::NotFound, "the console is not built")
                    .into_response(),
            }
        }
    })
}

/// `GET /api/profiles`: per provider its profile names, default region and
/// problems found at start; whether sandbox and read-only are on. No secrets.
async fn profiles(_: Authenticated, State(state): State<Arc<AppState>>) -> Response {
    let c = &state.credentials;
    let provider = |p: &credentials::ProviderProfiles, service: Service| ProviderProfiles {
        configured: !p.profiles.is_empty(),
        profiles: p.profiles.iter().map(|p| p.name.clone()).collect(),
        default_region: p
            .pick(None)
            .and_then(|p| p.region.clone())
            .unwrap_or_else(|| service.default_region().to_owned()),
        problems: p.problems.clone(),
    };
    axum::Json(Profiles {
        sandbox: state.settings.sandbox,
        read_only: state.settings.read_only,
        providers: [
            (Provider::Aws, provider(&c.aws, Service::DirectConnect)),
            (
                Provider::Outscale,
                provider(&c.outscale, Service::DirectLink),
            ),
            (Provider::Oci, provider(&c.oci, Service::OciCore)),
        ]
        .into(),
    })
    .into_response()
}

async fn sandbox_seeds(_: Authenticated, State(state): State<Arc<AppState>>) -> Response {
    match &state.sandbox_seeds {
        Some(seeds) => axum::Json(seeds.clone()).into_response(),
        None => {
            ProxyError::new(None, ErrorKind::NotFound, "the sandbox is not running").into_response()
        }
    }
}

/// Every forwarding route: `/api/<provider>/<service>/<region>/...`.
async fn api(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let start = Instant::now();
    let (parts, body) = request.into_parts();
    let raw_path = parts.uri.path().to_owned();
    let route = route::parse(&raw_path);
    let service = match &route {
        Ok(r) => Some(r.service),
        Err(route::RouteError::BadRegion(s) | route::RouteError::BadPath(s, _)) => Some(*s),
        Err(route::RouteError::UnknownService) => None,
    };
    if let Err(e) = login::authenticate(&state, &parts, service).await {
        return refuse(&state, e);
    }
    let route = match route {
        Ok(r) => r,
        Err(e) => return refuse(&state, route_error(e)),
    };
    // Beyond the cap, answer at once: queueing would only make every call late.
    let Ok(_permit) = state.calls.clone().try_acquire_owned() else {
        let limit = state.settings.limits.max_concurrent_calls;
        return refuse(
            &state,
            ProxyError::new(
                Some(route.service),
                ErrorKind::Overloaded,
                format!("too many calls in flight (max-concurrent-calls = {limit}); retry shortly"),
            ),
        );
    };
    let _in_flight = state.metrics.in_flight();
    let mut record = forward::CallRecord::default();
    // The call's one timer: first the whole call's deadline, brought forward to the
    // upstream's when forwarding starts (`forward`).
    let deadline = tokio::time::sleep(state.settings.timeout + REQUEST_MARGIN);
    tokio::pin!(deadline);
    let response = match handle_api(&state, &route, parts, body, &mut record, deadline).await {
        Ok(response) => response,
        Err(e) => refuse(&state, e),
    };
    state.metrics.call(
        route.service.id(),
        record.operation.unwrap_or("-"),
        response.status().as_u16(),
    );
    log_call(&route, &record, response.status(), start);
    response
}

/// Why a path is not a forwarding route, as the caller's error.
fn route_error(e: route::RouteError) -> ProxyError {
    match e {
        route::RouteError::UnknownService => {
            ProxyError::new(None, ErrorKind::NotFound, "no such API route")
        }
        route::RouteError::BadRegion(s) => ProxyError::new(
            Some(s),
            ErrorKind::BadRequest,
            cloudlink_core::catalogue::InvalidRegion(String::new()).to_string(),
        ),
        route::RouteError::BadPath(s, why) => ProxyError::new(Some(s), ErrorKind::BadRequest, why),
    }
}

/// Counts a refusal and shapes it.
fn refuse(state: &AppState, error: ProxyError) -> Response {
    if let Some(reason) = error.kind.refusal_reason() {
        state.metrics.refused(reason);
    }
    error.into_response()
}

/// The part of a call that runs under its `deadline`: reading the body (a
/// client that trickles it is cut off), validating, signing, forwarding.
async fn handle_api(
    state: &AppState,
    route: &route::ApiRoute,
    parts: axum::http::request::Parts,
    body: axum::body::Body,
    record: &mut forward::CallRecord,
    mut deadline: std::pin::Pin<&mut tokio::time::Sleep>,
) -> Result<Response, ProxyError> {
    let read = tokio::select! {
        biased;
        read = axum::body::to_bytes(body, BODY_LIMIT) => read,
        () = deadline.as_mut() => {
            return Err(ProxyError::new(
                Some(route.service),
                ErrorKind::GatewayTimeout,
                "the call did not finish in time",
            ));
        }
    };
    let body = read.map_err(|_| {
        ProxyError::new(
            Some(route.service),
            ErrorKind::TooLarge,
            "request body is larger than 64 KiB",
        )
    })?;
    let method = match parts.method {
        Method::GET => cloudlink_core::catalogue::Method::Get,
        Method::POST => cloudlink_core::catalogue::Method::Post,
        Method::DELETE => cloudlink_core::catalogue::Method::Delete,
        _ => {
            return Err(ProxyError::new(
                Some(route.service),
                ErrorKind::Forbidden,
                "method not forwarded",
            ));
        }
    };
    forward::forward(state, route, method, &parts, &body, record, deadline).await
}

/// `GET /readyz`: 200 once the proxy can sign for someone, 503 naming what is
/// missing. Unauthenticated (load balancers probe it), so it names providers
/// and never a path, profile detail or secret.
async fn readyz(State(state): State<Arc<AppState>>) -> Response {
    let missing = not_ready(&state).await;
    if missing.is_empty() {
        (StatusCode::OK, "ready\n").into_response()
    } else {
        let mut text = String::from("not ready:\n");
        for line in &missing {
            text.push_str("- ");
            text.push_str(line);
            text.push('\n');
        }
        (StatusCode::SERVICE_UNAVAILABLE, text).into_response()
    }
}

/// What keeps the proxy from being ready, one line each.
pub async fn not_ready(state: &AppState) -> Vec<String> {
    let mut missing = Vec::new();
    if state.settings.sandbox {
        let up = match state.settings.sandbox_addr {
            Some(addr) => tokio::time::timeout(
                std::time::Duration::from_secs(1),
                tokio::net::TcpStream::connect(addr),
            )
            .await
            .is_ok_and(|c| c.is_ok()),
            None => true, // an in-memory sandbox (tests) is always up
        };
        if !up {
            missing.push("the sandbox is not answering".to_owned());
        }
        return missing;
    }
    let c = &state.credentials;
    let providers = [("aws", &c.aws), ("outscale", &c.outscale), ("oci", &c.oci)];
    if providers.iter().all(|(_, p)| p.profiles.is_empty()) {
        missing.push("no credentials for any provider (aws, outscale, oci)".to_owned());
    }
    for (name, p) in providers {
        if !p.profiles.is_empty() && !p.problems.is_empty() {
            missing.push(format!(
                "{name} credentials were found with problems: see the proxy log"
            ));
        }
    }
    missing
}

/// `GET /metrics`: Prometheus text format. Needs the token (also as
/// `Authorization: Bearer`, what Prometheus sends) unless `metrics-public`.
async fn metrics_text(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let (parts, _) = request.into_parts();
    let headers = &parts.headers;
    if !state.settings.metrics_public {
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|t| state.auth.token_matches(t.trim()));
        if !bearer && let Err(e) = login::authenticate(&state, &parts, None).await {
            return refuse(&state, e);
        }
    }
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.render(),
    )
        .into_response()
}

fn log_call(
    route: &route::ApiRoute,
    record: &forward::CallRecord,
    status: StatusCode,
    start: Instant,
) {
    let operation = record.operation.unwrap_or("-");
    let profile = record.profile.as_deref().unwrap_or("-");
    let request_id = record.upstream_request_id.as_deref().unwrap_or("-");
    let latency_ms = forward::elapsed_ms(start);
    tracing::info!(
        target: "cloudlink::call",
        service = route.service.id(),
        operation,
        profile,
        region = route.region.as_str(),
        status = status.as_u16(),
        upstream_request_id = request_id,
        attempts = record.attempts,
        latency_ms,
    );
    if record.writes {
        tracing::info!(
            target: "cloudlink::audit",
            event = "change",
            service = route.service.id(),
            operation,
            profile,
            region = route.region.as_str(),
            status = status.as_u16(),
            upstream_request_id = request_id,
        );
    }
}
