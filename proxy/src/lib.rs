//! cloudlink-proxy: the security boundary between the browser console and the
//! clouds. It checks the caller's token, validates every call with
//! `cloudlink-core`, signs it with credentials the browser never sees, forwards
//! it only to the provider's own endpoint, and serves the console.
//!
//! [`app`] builds the whole HTTP surface as a `Router`, so tests drive it with
//! `oneshot` and no socket.

pub mod auth;
pub mod config;
pub mod console;
pub mod credentials;
pub mod errors;
pub mod forward;
pub mod route;
pub mod sandbox;
pub mod server;
pub mod signing;

use std::sync::Arc;
use std::time::{Instant, SystemTime};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, Request, State};
use axum::http::HeaderValue;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{any, get, get_service, post};
use cloudlink_core::Service;
use serde_json::json;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::auth::{Auth, Refusal};
use crate::config::Settings;
use crate::credentials::CredentialStore;
use crate::errors::{ErrorKind, ProxyError};

/// Largest request body accepted (413 above).
pub const BODY_LIMIT: usize = 64 * 1024;

/// Everything a request handler needs, shared by all of them.
#[derive(Debug)]
pub struct AppState {
    pub settings: Settings,
    pub auth: Auth,
    pub credentials: CredentialStore,
    pub client: reqwest::Client,
    /// What `GET /api/sandbox` lists, when the sandbox runs.
    pub sandbox_seeds: Option<serde_json::Value>,
}

impl AppState {
    pub fn new(settings: Settings, token: String, credentials: CredentialStore) -> Self {
        let client = upstream_client(&settings)
            .build()
            .expect("the HTTP client builds with rustls");
        Self {
            settings,
            auth: Auth::new(token),
            credentials,
            client,
            sandbox_seeds: None,
        }
    }
}

/// The client for upstream calls. Environment proxies (`HTTPS_PROXY`, ...) are
/// never read: signed calls go where the settings say, through the
/// configured `upstream-proxy` only (loopback upstreams, like the sandbox,
/// bypass it).
pub fn upstream_client(settings: &Settings) -> reqwest::ClientBuilder {
    let builder = reqwest::Client::builder()
        .connect_timeout(settings.connect_timeout)
        .timeout(settings.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .pool_idle_timeout(std::time::Duration::from_secs(60))
        .no_proxy();
    match &settings.upstream_proxy {
        Some(url) => {
            let proxy = reqwest::Proxy::all(url)
                .expect("upstream-proxy is checked by Settings::from_cli")
                .no_proxy(reqwest::NoProxy::from_string("127.0.0.0/8,::1,localhost"));
            builder.proxy(proxy)
        }
        None => builder,
    }
}

/// The whole HTTP surface.
pub fn app(state: Arc<AppState>) -> Router {
    let web_dir = state.settings.web_dir.clone();
    let base_path = state.settings.base_path.clone();
    // The page itself always goes through `console_html`; other files as they are.
    let page = console_page(&state);
    let statics = ServeDir::new(&web_dir)
        .append_index_html_on_directories(false)
        .fallback(page.clone());
    let inner = Router::new()
        .route("/", get_service(page.clone()))
        .route("/index.html", get_service(page))
        .route("/healthz", get(|| async { "ok" }))
        .route("/login", get(login_link))
        .route("/api/login", post(login_post))
        .route("/api/logout", post(logout))
        .route("/api/session", get(session))
        .route("/api/profiles", get(profiles))
        .route("/api/sandbox", get(sandbox_seeds))
        .route("/api/{*rest}", any(api))
        .fallback_service(statics)
        // On every answer: no framing (a console that deletes things must not
        // be clickjacked), no MIME sniffing, no referrer (the login URL carries
        // the token).
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("frame-ancestors 'none'"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .with_state(state);
    console::under_base_path(inner, &base_path)
}

/// The console's page, read once from the web dir and made ready for the base
/// path by [`console::console_html`]; 404 when the console is not built.
fn console_page(state: &AppState) -> axum::routing::MethodRouter {
    let index = state.settings.web_dir.join("index.html");
    let html = std::fs::read_to_string(index)
        .ok()
        .map(|raw| console::console_html(&raw, &state.settings.base_path));
    get(move || {
        let html = html.clone();
        async move {
            match html {
                Some(html) => axum::response::Html(html).into_response(),
                None => ProxyError::new(None, ErrorKind::NotFound, "the console is not built")
                    .into_response(),
            }
        }
    })
}

fn secure_request(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        == Some("https")
}

#[derive(serde::Deserialize)]
struct LoginQuery {
    token: Option<String>,
}

/// `GET /login?token=...`: the URL printed at start. Sets the session and
/// redirects to the console, taking the token out of the address bar.
async fn login_link(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> Response {
    match q.token {
        Some(t) if state.auth.token_matches(&t) => {
            let cookie = auth::session_cookie_header(
                &state.auth.issue_session(SystemTime::now()),
                secure_request(&headers),
            );
            tracing::info!(target: "cloudlink::audit", event = "login", via = "link");
            let console = format!("{}/", state.settings.base_path);
            ([(header::SET_COOKIE, cookie)], Redirect::to(&console)).into_response()
        }
        _ => {
            tracing::warn!(target: "cloudlink::audit", event = "login_refused", via = "link");
            let failed = format!("{}/#/login?failed=1", state.settings.base_path);
            Redirect::to(&failed).into_response()
        }
    }
}

#[derive(serde::Deserialize)]
struct LoginBody {
    token: String,
}

/// `POST /api/login` `{"token": "..."}`: the console's login form. Needs a
/// same-origin `Origin` like every other cookie-setting call.
async fn login_post(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !auth::same_origin(&headers, &state.settings.allowed_origins)
        || headers.get(auth::CSRF_HEADER).is_none()
    {
        return ProxyError::new(
            None,
            ErrorKind::Forbidden,
            "login must come from the console's own origin",
        )
        .into_response();
    }
    let token = serde_json::from_slice::<LoginBody>(&body)
        .map(|b| b.token)
        .unwrap_or_default();
    if !state.auth.token_matches(&token) {
        tracing::warn!(target: "cloudlink::audit", event = "login_refused", via = "form");
        return ProxyError::new(None, ErrorKind::Unauthenticated, "wrong token").into_response();
    }
    tracing::info!(target: "cloudlink::audit", event = "login", via = "form");
    let cookie = auth::session_cookie_header(
        &state.auth.issue_session(SystemTime::now()),
        secure_request(&headers),
    );
    (
        [(header::SET_COOKIE, cookie)],
        axum::Json(json!({"ok": true})),
    )
        .into_response()
}

async fn logout() -> Response {
    (
        [(header::SET_COOKIE, auth::clear_cookie_header())],
        axum::Json(json!({"ok": true})),
    )
        .into_response()
}

fn authenticate(
    state: &AppState,
    method: &Method,
    headers: &HeaderMap,
    service: Option<Service>,
) -> Result<(), ProxyError> {
    let safe = method == Method::GET || method == Method::HEAD;
    match state.auth.check(
        headers,
        safe,
        &state.settings.allowed_origins,
        SystemTime::now(),
    ) {
        Ok(_) => Ok(()),
        Err(Refusal::Unauthenticated) => Err(ProxyError::new(
            service,
            ErrorKind::Unauthenticated,
            "missing or invalid cloudlink token or session",
        )),
        Err(Refusal::CrossSite) => Err(ProxyError::new(
            service,
            ErrorKind::Forbidden,
            "a browser session may only change things from the console's own origin",
        )),
    }
}

/// A request that passed [`authenticate`]; as an extractor, it answers 401
/// or 403 in the generic (OCI-like) error shape for routes of no service.
#[derive(Debug, Clone, Copy)]
pub struct Authenticated;

impl axum::extract::FromRequestParts<Arc<AppState>> for Authenticated {
    type Rejection = ProxyError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        authenticate(state, &parts.method, &parts.headers, None).map(|()| Authenticated)
    }
}

async fn session(_: Authenticated) -> Response {
    axum::Json(json!({"authenticated": true})).into_response()
}

/// `GET /api/profiles`: per provider its profile names, default region and
/// problems found at start; whether sandbox and read-only are on. No secrets.
async fn profiles(_: Authenticated, State(state): State<Arc<AppState>>) -> Response {
    let c = &state.credentials;
    let provider = |p: &credentials::ProviderProfiles, default_region: &str| {
        let names: Vec<&str> = p.profiles.iter().map(|p| p.name.as_str()).collect();
        let region = p
            .pick(None)
            .and_then(|p| p.region.clone())
            .unwrap_or_else(|| default_region.to_owned());
        json!({
            "configured": !p.profiles.is_empty(),
            "profiles": names,
            "defaultRegion": region,
            "problems": p.problems,
        })
    };
    axum::Json(json!({
        "sandbox": state.settings.sandbox,
        "readOnly": state.settings.read_only,
        "providers": {
            "aws": provider(&c.aws, Service::DirectConnect.default_region()),
            "outscale": provider(&c.outscale, Service::DirectLink.default_region()),
            "oci": provider(&c.oci, Service::OciCore.default_region()),
        }
    }))
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
    if let Err(e) = authenticate(&state, &parts.method, &parts.headers, service) {
        return e.into_response();
    }
    let route = match route {
        Ok(r) => r,
        Err(route::RouteError::UnknownService) => {
            return ProxyError::new(None, ErrorKind::NotFound, "no such API route").into_response();
        }
        Err(route::RouteError::BadRegion(s)) => {
            return ProxyError::new(
                Some(s),
                ErrorKind::BadRequest,
                cloudlink_core::catalogue::InvalidRegion(String::new()).to_string(),
            )
            .into_response();
        }
        Err(route::RouteError::BadPath(s, why)) => {
            return ProxyError::new(Some(s), ErrorKind::BadRequest, why).into_response();
        }
    };
    let body = match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => {
            return ProxyError::new(
                Some(route.service),
                ErrorKind::TooLarge,
                "request body is larger than 64 KiB",
            )
            .into_response();
        }
    };
    let method = match parts.method {
        Method::GET => cloudlink_core::catalogue::Method::Get,
        Method::POST => cloudlink_core::catalogue::Method::Post,
        Method::DELETE => cloudlink_core::catalogue::Method::Delete,
        _ => {
            return ProxyError::new(
                Some(route.service),
                ErrorKind::Forbidden,
                "method not forwarded",
            )
            .into_response();
        }
    };
    let mut record = forward::CallRecord::default();
    let result = forward::forward(
        &state,
        &route,
        method,
        parts.uri.query(),
        &parts.headers,
        &body,
        &mut record,
    )
    .await;
    let response = match result {
        Ok(r) => r,
        Err(e) => e.into_response(),
    };
    log_call(&route, &record, response.status(), start);
    response
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
    let writes = record.operation.is_some_and(|op| {
        cloudlink_core::catalogue::catalogue().iter().any(|i| {
            i.service == route.service
                && i.name == op
                && i.access == cloudlink_core::catalogue::Access::Write
        })
    });
    if writes {
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
