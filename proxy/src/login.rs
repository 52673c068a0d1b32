//! Logging in and out: the login link, the login form, sign-out, the session
//! renewal, and the check every `/api` route runs first. It lives apart from
//! the routing in `lib.rs` so the rules about who may do what sit in one
//! place, next to [`crate::auth`], which holds the token, the login codes and
//! the session cookie format.
//!
//! Every failed login (a wrong link token or code, a wrong token in the form
//! or in `X-Cloudlink-Token`) is written to the `cloudlink::audit` log with
//! the client's address, never with the value tried, and answered only after
//! that address's backoff delay (see [`crate::auth::Throttle`]). The address
//! is the TCP peer (`ConnectInfo`); behind a reverse proxy that is the proxy
//! itself, so all its clients share one count. `X-Forwarded-For` is not used:
//! any client can write it, and since a right token is never delayed a shared
//! count slows only failures.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap, HeaderValue, Method, header};
use axum::response::{IntoResponse, Redirect, Response};
use cloudlink_core::Service;
use cloudlink_core::contract::{LoginRequest, Session};
use serde_json::json;

use crate::AppState;
use crate::auth::{self, Refusal};
use crate::errors::{ErrorKind, ProxyError};

/// The client's address for the backoff and the audit log: the TCP peer when
/// the server records it, else `unknown` (requests driven without a socket).
pub fn client_addr(extensions: &Extensions) -> String {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |ConnectInfo(a)| a.ip().to_string())
}

/// Whether the browser reached the console over HTTPS (a reverse proxy says
/// so with `X-Forwarded-Proto`).
pub fn secure_request(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// Audit-logs a failed login and waits this client's backoff delay.
async fn failed_login(state: &AppState, client: &str, via: &'static str, reason: &'static str) {
    let (delay, failures) = state.auth.throttle.failure(client, Instant::now());
    tracing::warn!(
        target: "cloudlink::audit",
        event = "login_refused",
        via,
        reason,
        client,
        failures,
        delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
    );
    tokio::time::sleep(delay).await;
}

fn logged_in(state: &AppState, client: &str, via: &'static str) {
    state.auth.throttle.success(client);
    tracing::info!(target: "cloudlink::audit", event = "login", via, client);
}

fn session_cookie(state: &AppState, headers: &HeaderMap) -> String {
    let now = SystemTime::now();
    state
        .auth
        .cookie_header(&state.auth.issue_session(now), secure_request(headers), now)
}

#[derive(serde::Deserialize)]
pub(crate) struct LoginQuery {
    code: Option<String>,
    token: Option<String>,
}

/// `GET /login?code=...`: the link printed at start, with a login code that
/// works once for five minutes. `GET /login?token=...` is the same for
/// scripts that hold the token. Either sets the session and redirects to the
/// console, taking the code or token out of the address bar.
pub(crate) async fn login_link(
    State(state): State<Arc<AppState>>,
    ConnectInfoOpt(client): ConnectInfoOpt,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> Response {
    let (via, refused) = match (&q.code, &q.token) {
        (Some(code), _) => (
            "code",
            state
                .auth
                .take_login_code(code, SystemTime::now())
                .err()
                .map(auth::CodeRefusal::as_str),
        ),
        (None, Some(t)) => (
            "link",
            (!state.auth.token_matches(t)).then_some("wrong token"),
        ),
        (None, None) => ("link", Some("no code or token")),
    };
    if let Some(reason) = refused {
        failed_login(&state, &client, via, reason).await;
        let failed = format!("{}/#/login?failed=1", state.settings.base_path);
        return Redirect::to(&failed).into_response();
    }
    logged_in(&state, &client, via);
    let console = format!("{}/", state.settings.base_path);
    (
        [(header::SET_COOKIE, session_cookie(&state, &headers))],
        Redirect::to(&console),
    )
        .into_response()
}

/// `POST /api/login` `{"token": "..."}`: the console's login form. Needs a
/// same-origin `Origin` like every other cookie-setting call.
pub(crate) async fn login_post(
    State(state): State<Arc<AppState>>,
    ConnectInfoOpt(client): ConnectInfoOpt,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !auth::csrf_proof(&headers, &state.settings.allowed_origins) {
        return ProxyError::new(
            None,
            ErrorKind::Forbidden,
            "login must come from the console's own origin",
        )
        .into_response();
    }
    let token = serde_json::from_slice::<LoginRequest>(&body)
        .map(|b| b.token)
        .unwrap_or_default();
    if !state.auth.token_matches(&token) {
        failed_login(&state, &client, "form", "wrong token").await;
        return ProxyError::new(None, ErrorKind::Unauthenticated, "wrong token").into_response();
    }
    logged_in(&state, &client, "form");
    (
        [(header::SET_COOKIE, session_cookie(&state, &headers))],
        axum::Json(json!({"ok": true})),
    )
        .into_response()
}

/// `POST /api/logout`: clears the session cookie (both names over HTTPS).
/// Like every state change, only from the console's own origin with
/// `X-Cloudlink-Request`, so another site cannot sign the user out.
pub async fn logout(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    if !auth::csrf_proof(&headers, &state.settings.allowed_origins) {
        return ProxyError::new(
            None,
            ErrorKind::Forbidden,
            "sign-out must come from the console's own origin",
        )
        .into_response();
    }
    let mut response = axum::Json(json!({"ok": true})).into_response();
    for c in auth::clear_cookie_headers(secure_request(&headers)) {
        if let Ok(v) = HeaderValue::from_str(&c) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    tracing::info!(target: "cloudlink::audit", event = "logout");
    response
}

/// The check of every `/api` route: the token header, or a session cookie
/// (with the same-origin proof for anything but GET and HEAD). A wrong token
/// header is a failed login.
pub async fn authenticate(
    state: &AppState,
    parts: &Parts,
    service: Option<Service>,
) -> Result<(), ProxyError> {
    let safe = parts.method == Method::GET || parts.method == Method::HEAD;
    match state.auth.check(
        &parts.headers,
        safe,
        &state.settings.allowed_origins,
        SystemTime::now(),
    ) {
        Ok(auth::Credential::Token) => {
            state
                .auth
                .throttle
                .success_of(|| client_addr(&parts.extensions));
            Ok(())
        }
        Ok(auth::Credential::Session) => Ok(()),
        Err(Refusal::WrongToken) => {
            failed_login(
                state,
                &client_addr(&parts.extensions),
                "header",
                "wrong token",
            )
            .await;
            Err(unauthenticated(service))
        }
        Err(Refusal::Unauthenticated) => Err(unauthenticated(service)),
        Err(Refusal::CrossSite) => Err(ProxyError::new(
            service,
            ErrorKind::Forbidden,
            "a browser session may only change things from the console's own origin",
        )),
    }
}

fn unauthenticated(service: Option<Service>) -> ProxyError {
    ProxyError::new(
        service,
        ErrorKind::Unauthenticated,
        "missing or invalid cloudlink token or session",
    )
}

/// A request that passed [`authenticate`]; as an extractor, it answers 401
/// or 403 in the generic (OCI-like) error shape for routes of no service.
#[derive(Debug, Clone, Copy)]
pub struct Authenticated;

impl axum::extract::FromRequestParts<Arc<AppState>> for Authenticated {
    type Rejection = ProxyError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        authenticate(state, parts, None)
            .await
            .map(|()| Authenticated)
    }
}

/// The client address as an extractor that never fails.
#[derive(Debug, Clone)]
pub struct ConnectInfoOpt(pub String);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ConnectInfoOpt {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ConnectInfoOpt(client_addr(&parts.extensions)))
    }
}

pub async fn session(_: Authenticated) -> Response {
    axum::Json(Session {
        authenticated: true,
    })
    .into_response()
}

/// Whether the answer says any cache may keep it.
fn publicly_cached(response: &Response) -> bool {
    response
        .headers()
        .get_all(header::CACHE_CONTROL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|directive| directive.trim().eq_ignore_ascii_case("public"))
}

/// A request with a valid session cookie issued more than
/// [`auth::SESSION_RENEW_AFTER`] ago gets a fresh cookie with the same login
/// time, so a session in use does not end after an idle hour (it still ends
/// twelve hours after the login). This is the fresh session value, if due, with
/// whether the request came over TLS; [`renew_session`] puts it on the answer.
pub fn session_renewal(
    state: &AppState,
    headers: &HeaderMap,
    now: SystemTime,
) -> Option<(String, bool)> {
    let value = state
        .auth
        .request_session(headers, now)
        .and_then(|(value, _)| state.auth.renewal(value, now))?;
    Some((value, secure_request(headers)))
}

/// Sets the cookie of a [`session_renewal`] on `response`. Answers that set a
/// cookie themselves (login, logout) are left alone, and so are answers any
/// cache may keep (`Cache-Control: public`, the console's hashed files): a
/// shared cache must never hold one user's cookie.
pub fn renew_session(
    state: &AppState,
    renewal: Option<(String, bool)>,
    response: &mut Response,
    now: SystemTime,
) {
    if let Some((value, secure)) = renewal
        && !response.headers().contains_key(header::SET_COOKIE)
        && !publicly_cached(response)
        && let Ok(v) = HeaderValue::from_str(&state.auth.cookie_header(&value, secure, now))
    {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
}
