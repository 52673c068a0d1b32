//! The forwarding path: validate with `core`, sign, send, pass the answer on.
//!
//! Only the request `core` re-serialized is sent; the client's own
//! signature headers never travel. Retries happen only where repeating cannot
//! create a second resource (the catalogue's `idempotent`), with exponential
//! backoff and full jitter.

use std::time::{Duration, Instant, SystemTime};

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use cloudlink_core::catalogue::Access;
use cloudlink_core::{ApiRequest, HttpRequest, IncomingCall, Provider, Service};
use ring::rand::SecureRandom;

use crate::AppState;
use crate::credentials::{Profile, ProfileSigner};
use crate::errors::{ErrorKind, ProxyError};
use crate::route::ApiRoute;
use crate::signing::{RequestToSign, sign_sigv4};

/// Header a client uses to pick a credential profile.
pub const PROFILE_HEADER: &str = "x-cloudlink-profile";
/// Most attempts for an idempotent call.
const MAX_ATTEMPTS: u32 = 3;

/// Answer headers passed through to the client; everything else (hop-by-hop
/// headers among them) stays behind.
const PASSED_HEADERS: [&str; 9] = [
    "content-type",
    "x-amzn-requestid",
    "x-amz-request-id",
    "x-amzn-errortype",
    "opc-request-id",
    "opc-next-page",
    "opc-prev-page",
    "etag",
    "retry-after",
];

/// What the log line of a call records.
#[derive(Debug, Default)]
pub struct CallRecord {
    pub operation: Option<&'static str>,
    pub profile: Option<String>,
    pub upstream_request_id: Option<String>,
    pub attempts: u32,
}

/// Headers as name/value pairs (axum and reqwest share `http`'s `HeaderMap`).
fn header_pairs(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .filter_map(|(k, v)| {
            v.to_str()
                .ok()
                .map(|v| (k.as_str().to_owned(), v.to_owned()))
        })
        .collect()
}

/// Validates and forwards one call. `record` is filled for the log line.
pub async fn forward(
    state: &AppState,
    route: &ApiRoute,
    method: cloudlink_core::catalogue::Method,
    query: Option<&str>,
    headers: &HeaderMap,
    body: &Bytes,
    record: &mut CallRecord,
) -> Result<Response, ProxyError> {
    let service = route.service;
    let pairs = header_pairs(headers);
    let call = IncomingCall {
        service,
        method,
        path: &route.rest,
        query,
        headers: &pairs,
        body,
    };
    let mut request = ApiRequest::parse(&call).map_err(|e| ProxyError::from_call(service, e))?;
    let info = request.info();
    record.operation = Some(info.name);
    if state.settings.read_only && info.access == Access::Write {
        return Err(ProxyError::new(
            Some(service),
            ErrorKind::Forbidden,
            format!(
                "{} is not allowed: this cloudlink runs read-only",
                info.name
            ),
        ));
    }
    let profiles = state.credentials.for_service(service);
    let wanted = headers.get(PROFILE_HEADER).and_then(|v| v.to_str().ok());
    let profile = profiles.pick(wanted).ok_or_else(|| {
        let message = match wanted {
            Some(name) => format!(
                "no {} credential profile named {name:?}",
                service.provider().display_name()
            ),
            None => format!(
                "no {} credentials configured",
                service.provider().display_name()
            ),
        };
        ProxyError::new(Some(service), ErrorKind::NotConfigured, message)
    })?;
    record.profile = Some(profile.name.clone());
    if let ApiRequest::Oci(oci) = &mut request {
        oci.ensure_retry_token(|| crate::auth::random_hex(16));
    }
    let http = request.to_http();
    let base = state
        .settings
        .upstreams
        .get(&service)
        .cloned()
        .unwrap_or_else(|| service.endpoint(&route.region));
    let url = format!("{base}{}", http.path_and_query);
    check_host(service, &base, &url)?;
    let idempotent = info.idempotent;
    let send = send_with_retries(
        state, service, route, profile, &url, &http, idempotent, record,
    );
    match tokio::time::timeout(state.settings.timeout, send).await {
        Ok(result) => result,
        Err(_) => Err(ProxyError::new(
            Some(service),
            ErrorKind::GatewayTimeout,
            "upstream did not answer in time",
        )),
    }
}

/// Defence in depth: the URL built must still point at the base's host.
fn check_host(service: Service, base: &str, url: &str) -> Result<(), ProxyError> {
    let parsed_base = reqwest::Url::parse(base);
    let parsed = reqwest::Url::parse(url);
    match (parsed_base, parsed) {
        (Ok(b), Ok(u))
            if b.host_str() == u.host_str()
                && b.port_or_known_default() == u.port_or_known_default() =>
        {
            Ok(())
        }
        _ => Err(ProxyError::new(
            Some(service),
            ErrorKind::BadRequest,
            "request would leave the provider's endpoint",
        )),
    }
}

#[allow(clippy::too_many_arguments)]
async fn send_with_retries(
    state: &AppState,
    service: Service,
    route: &ApiRoute,
    profile: &Profile,
    url: &str,
    http: &HttpRequest,
    idempotent: bool,
    record: &mut CallRecord,
) -> Result<Response, ProxyError> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        record.attempts = attempt;
        let signed = sign(service, route, profile, url, http).await?;
        let mut builder = state.client.request(
            reqwest::Method::from_bytes(http.method.as_str().as_bytes())
                .expect("catalogue methods are valid"),
            url,
        );
        builder = builder.headers(upstream_headers(&http.headers, &signed));
        let result = builder.body(http.body.clone()).send().await;
        let last = attempt >= MAX_ATTEMPTS || !idempotent;
        match result {
            Ok(response) => {
                let status = response.status();
                let headers = response.headers().clone();
                let body = match response.bytes().await {
                    Ok(b) => b,
                    Err(_) if !last => {
                        backoff(attempt).await;
                        continue;
                    }
                    Err(e) => return Err(upstream_error(service, &e)),
                };
                if !last && retryable(service.provider(), status, &headers, &body) {
                    backoff(attempt).await;
                    continue;
                }
                return Ok(pass_through(service, status, &headers, body, record));
            }
            Err(e) if !last && (e.is_connect() || e.is_timeout()) => backoff(attempt).await,
            Err(e) => return Err(upstream_error(service, &e)),
        }
    }
}

/// One header map for an upstream request: core's headers, then the signer's,
/// which replace any of the same name. No header is ever sent twice.
pub fn upstream_headers(
    core: &[(String, String)],
    signed: &[(String, String)],
) -> reqwest::header::HeaderMap {
    let mut map = reqwest::header::HeaderMap::with_capacity(core.len() + signed.len());
    for (name, value) in core.iter().chain(signed) {
        if let (Ok(n), Ok(v)) = (
            reqwest::header::HeaderName::from_bytes(name.as_bytes()),
            reqwest::header::HeaderValue::from_str(value),
        ) {
            map.insert(n, v);
        }
    }
    map
}

fn upstream_error(service: Service, e: &reqwest::Error) -> ProxyError {
    if e.is_timeout() {
        ProxyError::new(
            Some(service),
            ErrorKind::GatewayTimeout,
            "upstream did not answer in time",
        )
    } else {
        // reqwest's Display names the URL (no secrets in it: they are in headers).
        ProxyError::new(
            Some(service),
            ErrorKind::BadGateway,
            format!("upstream unreachable: {}", without_query(e)),
        )
    }
}

fn without_query(e: &reqwest::Error) -> String {
    let mut text = String::from(if e.is_connect() {
        "connection failed"
    } else {
        "request failed"
    });
    if let Some(url) = e.url() {
        text.push_str(" to ");
        text.push_str(url.host_str().unwrap_or("?"));
    }
    text
}

/// Throttling and server errors are worth another try; nothing else is.
fn retryable(
    provider: Provider,
    status: reqwest::StatusCode,
    headers: &reqwest::header::HeaderMap,
    body: &[u8],
) -> bool {
    if matches!(status.as_u16(), 429 | 500 | 502 | 503 | 504) {
        return true;
    }
    if status.as_u16() == 400 && provider != Provider::Oci {
        let pairs = header_pairs(headers);
        let err = cloudlink_core::wire::parse_error(provider, 400, &pairs, body);
        return matches!(
            err.code.as_str(),
            "ThrottlingException" | "Throttling" | "TooManyRequestsException"
        );
    }
    false
}

/// Exponential backoff with full jitter: a random wait in `0..=min(2 s, 100 ms * 2^n)`.
pub fn backoff_delay(attempt: u32, random: u32) -> Duration {
    let cap_ms: u64 = (100u64 << attempt.min(5)).min(2000);
    Duration::from_millis(u64::from(random) % (cap_ms + 1))
}

async fn backoff(attempt: u32) {
    let mut bytes = [0u8; 4];
    let _ = ring::rand::SystemRandom::new().fill(&mut bytes);
    tokio::time::sleep(backoff_delay(attempt, u32::from_le_bytes(bytes))).await;
}

async fn sign(
    service: Service,
    route: &ApiRoute,
    profile: &Profile,
    url: &str,
    http: &HttpRequest,
) -> Result<Vec<(String, String)>, ProxyError> {
    let req = RequestToSign {
        method: http.method.as_str(),
        url,
        headers: &http.headers,
        body: &http.body,
    };
    let now = SystemTime::now();
    // Credential and signing errors can name files, role ARNs or SSO URLs:
    // the proxy log gets them in full, the caller only which profile failed.
    let failed = |what: String| {
        tracing::warn!(
            service = service.id(),
            profile = profile.name.as_str(),
            "profile cannot sign: {what}"
        );
        ProxyError::new(
            Some(service),
            ErrorKind::NotConfigured,
            format!("profile {} cannot sign: see the proxy log", profile.name),
        )
    };
    match (&profile.signer, service.sigv4_name()) {
        (ProfileSigner::Aws(aws), Some(name)) => {
            let creds = aws
                .credentials()
                .await
                .map_err(|e| failed(format!("aws profile {}: {e}", profile.name)))?;
            sign_sigv4(&creds, name, route.region.as_str(), now, &req)
                .map_err(|e| failed(format!("signing failed: {e}")))
        }
        (ProfileSigner::Static(creds), Some(name)) => {
            sign_sigv4(creds, name, route.region.as_str(), now, &req)
                .map_err(|e| failed(format!("signing failed: {e}")))
        }
        (ProfileSigner::Oci(signer), None) => signer
            .sign(now, &req)
            .map_err(|e| failed(format!("signing failed: {e}"))),
        _ => Err(ProxyError::new(
            Some(service),
            ErrorKind::NotConfigured,
            format!("profile {} cannot sign for {}", profile.name, service.id()),
        )),
    }
}

fn pass_through(
    service: Service,
    status: reqwest::StatusCode,
    headers: &reqwest::header::HeaderMap,
    body: Bytes,
    record: &mut CallRecord,
) -> Response {
    let status = StatusCode::from_u16(status.as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
    let mut response = (status, body).into_response();
    let out = response.headers_mut();
    out.remove(axum::http::header::CONTENT_TYPE);
    for name in PASSED_HEADERS {
        for value in headers.get_all(name) {
            if let (Ok(n), Ok(v)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_bytes(value.as_bytes()),
            ) {
                out.append(n, v);
            }
        }
    }
    let pairs = header_pairs(headers);
    record.upstream_request_id = cloudlink_core::wire::request_id(service.provider(), &pairs);
    response
}

/// Time since `start` in milliseconds, for the log line.
pub fn elapsed_ms(start: Instant) -> u64 {
    u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signer_headers_replace_core_headers() {
        let core = vec![
            ("content-type".to_owned(), "application/json".to_owned()),
            ("opc-retry-token".to_owned(), "abc".to_owned()),
        ];
        let signed = vec![
            ("Content-Type".to_owned(), "application/json".to_owned()),
            ("authorization".to_owned(), "Signature x".to_owned()),
        ];
        let map = upstream_headers(&core, &signed);
        assert_eq!(map.get_all("content-type").iter().count(), 1);
        assert_eq!(map.len(), 3);
        assert_eq!(map["opc-retry-token"], "abc");
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        assert!(backoff_delay(1, u32::MAX) <= Duration::from_millis(200));
        assert!(backoff_delay(2, u32::MAX) <= Duration::from_millis(400));
        assert!(backoff_delay(30, u32::MAX) <= Duration::from_millis(2000));
        assert_eq!(backoff_delay(1, 0), Duration::ZERO);
        // Jitter: different random draws give different waits.
        assert_ne!(backoff_delay(3, 123), backoff_delay(3, 456));
    }
}
