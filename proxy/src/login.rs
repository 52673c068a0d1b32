//! Logging in and out: the login link, the login form, sign-out, and the
//! check every `/api` route runs first. It lives apart from the routing in
//! `lib.rs` so the rules about who may do what sit in one place, next to
//! [`crate::auth`], which holds the token and the session cookie format.

use std::sync::Arc;
use std::time::SystemTime;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Method, header};
use axum::response::{IntoResponse, Redirect, Response};
use cloudlink_core::Service;
use serde_json::json;

use crate::AppState;
use crate::auth::{self, Refusal};
use crate::errors::{ErrorKind, ProxyError};

fn secure_request(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        == Some("https")
}

#[derive(serde::Deserialize)]
pub(crate) struct LoginQuery {
    token: Option<String>,
}

/// `GET /login?token=...`: the URL printed at start. Sets the session and
/// redirects to the console, taking the token out of the address bar.
pub(crate) async fn login_link(
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
            ([(header::SET_COOKIE, cookie)], Redirect::to("/")).into_response()
        }
        _ => {
            tracing::warn!(target: "cloudlink::audit", event = "login_refused", via = "link");
            Redirect::to("/#/login?failed=1").into_response()
        }
    }
}

#[derive(serde::Deserialize)]
pub(crate) struct LoginBody {
    token: String,
}

/// `POST /api/login` `{"token": "..."}`: the console's login form. Needs a
/// same-origin `Origin` like every other cookie-setting call.
pub(crate) async fn login_post(
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

pub async fn logout() -> Response {
    (
        [(header::SET_COOKIE, auth::clear_cookie_header())],
        axum::Json(json!({"ok": true})),
    )
        .into_response()
}

pub fn authenticate(
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

pub async fn session(_: Authenticated) -> Response {
    axum::Json(json!({"authenticated": true})).into_response()
}
