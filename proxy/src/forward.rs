//! The forwarding path: validate with `core`, sign, send, pass the answer on.
//!
//! Only the request `core` re-serialized is sent; the client's own
//! signature headers never travel. Retries happen only where repeating cannot
//! create a second resource (the catalogue's `idempotent`), with exponential
//! backoff and full jitter.

use std::time::{Duration, Instant, SystemTime};

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, Uri, header};
use axum::response::Response;
use cloudlink_core::catalogue::Access;
use cloudlink_core::{ApiRequest, HttpRequest, IncomingCall, Provider, Service};
use http_body_util::BodyExt;
use ring::rand::SecureRandom;

use crate::AppState;
use crate::credentials::{Profile, ProfileSigner};
use crate::errors::{ErrorKind, ProxyError};
use crate::route::ApiRoute;
use crate::upstream::{RETRY_COST, TIMEOUT_RETRY_COST};
use cloudlink_signing::{RequestToSign, sign_sigv4};

pub use cloudlink_core::contract::PROFILE_HEADER;
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
    /// Whether the operation changes things (the catalogue's `Access::Write`): audited.
    pub writes: bool,
    pub profile: Option<String>,
    pub upstream_request_id: Option<String>,
    pub attempts: u32,
}

/// Headers on every upstream request unless core or the signer set them, unsigned:
/// `accept-encoding: identity`, as botocore sends it (answers are passed to the caller as
/// they come, never decoded, so none may be compressed), the proxy's `user-agent` and
/// `accept: */*`.
fn default_headers(map: &mut HeaderMap) {
    for (name, value) in [
        (header::ACCEPT, "*/*"),
        (header::USER_AGENT, crate::USER_AGENT),
        (header::ACCEPT_ENCODING, "identity"),
    ] {
        map.entry(name)
            .or_insert_with(|| HeaderValue::from_static(value));
    }
}

/// Headers as name/value pairs.
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

/// Validates and forwards one call (`parts`' query and headers, `method` as the catalogue
/// names it, `body`), holding it to `deadline`. `record` is filled for the log line.
pub async fn forward(
    state: &AppState,
    route: &ApiRoute,
    method: cloudlink_core::catalogue::Method,
    parts: &axum::http::request::Parts,
    body: &Bytes,
    record: &mut CallRecord,
    deadline: std::pin::Pin<&mut tokio::time::Sleep>,
) -> Result<Response, ProxyError> {
    let service = route.service;
    let (query, headers) = (parts.uri.query(), &parts.headers);
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
    let info = request
        .info()
        .map_err(|e| ProxyError::from_call(service, e.into()))?;
    record.operation = Some(info.name);
    record.writes = info.access == Access::Write;
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
    let profile = pick_profile(state, service, headers)?;
    record.profile = Some(profile.name.clone());
    if let ApiRequest::Oci(oci) = &mut request {
        oci.ensure_retry_token(|| crate::auth::random_hex(16));
    }
    let mut http = request
        .to_http()
        .map_err(|e| ProxyError::from_call(service, e.into()))?;
    let endpoint;
    let base = match state.settings.upstreams.get(&service) {
        Some(base) => base.as_str(),
        None => {
            endpoint = service.endpoint(&route.region);
            endpoint.as_str()
        }
    };
    let url = format!("{base}{}", http.path_and_query);
    let uri = check_host(service, base, &url)?;
    let host = uri.host().unwrap_or_default().to_owned();
    let outbound = Outbound {
        service,
        route,
        profile,
        url: &url,
        uri,
        host,
        method: axum::http::Method::from_bytes(http.method.as_str().as_bytes())
            .expect("catalogue methods are valid"),
        body: Bytes::from(std::mem::take(&mut http.body)),
        http: &http,
        idempotent: info.idempotent,
    };
    send_by(state, &outbound, record, deadline).await
}

/// Sends `out` with its retries, every attempt, wait and retry together within `timeout`
/// (and the call's own `deadline`): the call's timer is moved, not a second one started.
async fn send_by(
    state: &AppState,
    out: &Outbound<'_>,
    record: &mut CallRecord,
    mut deadline: std::pin::Pin<&mut tokio::time::Sleep>,
) -> Result<Response, ProxyError> {
    let upstream_by = deadline
        .deadline()
        .min(tokio::time::Instant::now() + state.settings.timeout);
    deadline.as_mut().reset(upstream_by);
    tokio::select! {
        biased;
        result = send_with_retries(state, out, record, upstream_by.into_std()) => result,
        () = deadline => Err(ProxyError::new(
            Some(out.service),
            ErrorKind::GatewayTimeout,
            "upstream did not answer in time",
        )),
    }
}

/// The profile `x-cloudlink-profile` names, else the provider's first.
fn pick_profile<'s>(
    state: &'s AppState,
    service: Service,
    headers: &HeaderMap,
) -> Result<&'s Profile, ProxyError> {
    let profiles = state.credentials.for_service(service);
    let wanted = headers.get(PROFILE_HEADER).and_then(|v| v.to_str().ok());
    profiles.pick(wanted).ok_or_else(|| {
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
    })
}

/// Defence in depth: the URL built must still point at the base's scheme, host and port
/// (its authority unchanged). The value is the URI every attempt connects to and sends, parsed
/// once: the very value checked is the one used.
pub fn check_host(service: Service, base: &str, url: &str) -> Result<Uri, ProxyError> {
    let parsed_base = base.parse::<Uri>();
    let parsed = url.parse::<Uri>();
    match (parsed_base, parsed) {
        (Ok(b), Ok(u))
            if b.scheme().is_some()
                && b.scheme() == u.scheme()
                && b.authority().is_some()
                && b.authority() == u.authority() =>
        {
            Ok(u)
        }
        _ => Err(ProxyError::new(
            Some(service),
            ErrorKind::BadRequest,
            "request would leave the provider's endpoint",
        )),
    }
}

/// One call on its way upstream: what every attempt signs and sends, and where.
struct Outbound<'a> {
    service: Service,
    route: &'a ApiRoute,
    profile: &'a Profile,
    /// What is signed...
    url: &'a str,
    /// ...and the same URL as sent, with its host (the key of the per-host call slots).
    uri: Uri,
    host: String,
    method: axum::http::Method,
    /// `http`'s body (taken out of it), shared by every attempt.
    body: Bytes,
    http: &'a HttpRequest,
    /// Whether repeating it cannot create a second resource (the catalogue's `idempotent`).
    idempotent: bool,
}

/// An upstream answer, read whole.
struct UpstreamAnswer {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

/// Why one attempt brought no answer.
enum AttemptError {
    Sign(ProxyError),
    Send(crate::client::Error),
    Answer(AnswerError),
}

async fn send_with_retries(
    state: &AppState,
    out: &Outbound<'_>,
    record: &mut CallRecord,
    deadline: Instant,
) -> Result<Response, ProxyError> {
    let service = out.service;
    // `deadline` is the one `forward` holds this to: a wait that would end after it is not
    // worth starting.
    let budget = state.upstreams.budget(service);
    let mut attempt = 0;
    let mut corrected_clock = false;
    loop {
        attempt += 1;
        record.attempts = attempt;
        let last = attempt >= MAX_ATTEMPTS || !out.idempotent;
        let signed_at = state.upstreams.now(service);
        let answer = match attempt_once(state, out, signed_at).await {
            Ok(answer) => answer,
            Err(AttemptError::Send(e)) if !last && e.is_connect() => {
                let cost = if crate::client::is_connect_timeout(&e) {
                    TIMEOUT_RETRY_COST
                } else {
                    RETRY_COST
                };
                if !budget.withdraw(cost) {
                    return Err(send_error(service, &out.host, &e));
                }
                state.metrics.retried(service.id());
                backoff(attempt).await;
                continue;
            }
            Err(AttemptError::Answer(AnswerError::Read))
                if !last && budget.withdraw(RETRY_COST) =>
            {
                state.metrics.retried(service.id());
                backoff(attempt).await;
                continue;
            }
            Err(e) => return Err(attempt_error(state, out, e)),
        };
        // A request refused for its date never ran: send it once more, signed
        // with the provider's time, whatever the operation (as the AWS SDKs do).
        if !corrected_clock && correct_clock(state, service, &answer, signed_at) {
            corrected_clock = true;
            attempt -= 1;
            continue;
        }
        if !last
            && retryable(
                service.provider(),
                answer.status,
                &answer.headers,
                &answer.body,
            )
        {
            let wait = retry_after(&answer.headers, SystemTime::now())
                .unwrap_or_else(|| backoff_delay(attempt, random_u32()));
            let in_time = Instant::now() + wait < deadline;
            if in_time && budget.withdraw(RETRY_COST) {
                state.metrics.retried(service.id());
                tokio::time::sleep(wait).await;
                continue;
            }
        }
        if attempt == 1 && answer.status.is_success() {
            budget.refund();
        }
        let UpstreamAnswer {
            status,
            headers,
            body,
        } = answer;
        return Ok(pass_through(service, status, &headers, body, record));
    }
}

/// One attempt: sign with the time `signed_at`, send within the host's call slots, and read
/// the answer under the size cap. The slot is free again when this returns.
async fn attempt_once(
    state: &AppState,
    out: &Outbound<'_>,
    signed_at: SystemTime,
) -> Result<UpstreamAnswer, AttemptError> {
    let limit = state.settings.limits.max_answer_bytes;
    let signed = sign(out, signed_at).await.map_err(AttemptError::Sign)?;
    let mut request = axum::http::Request::new(crate::client::Body::new(out.body.clone()));
    *request.method_mut() = out.method.clone();
    *request.uri_mut() = out.uri.clone();
    let headers = request.headers_mut();
    *headers = upstream_headers(&out.http.headers, &signed);
    default_headers(headers);
    let slot = state.upstreams.slot(&out.host).await;
    let sent = Instant::now();
    let response = state
        .clients
        .here()
        .request(request)
        .await
        .map_err(AttemptError::Send)?;
    let (parts, incoming) = response.into_parts();
    let status = parts.status;
    let headers = parts.headers;
    let body = read_capped(incoming, limit).await;
    drop(slot);
    let service = out.service.id();
    match body {
        Ok(body) => {
            let seconds = sent.elapsed().as_secs_f64();
            state.metrics.upstream(service, seconds, body.len());
            Ok(UpstreamAnswer {
                status,
                headers,
                body,
            })
        }
        Err(AnswerError::TooLarge) => {
            let seconds = sent.elapsed().as_secs_f64();
            state.metrics.upstream(service, seconds, limit);
            Err(AttemptError::Answer(AnswerError::TooLarge))
        }
        Err(e) => Err(AttemptError::Answer(e)),
    }
}

/// The caller's error for an attempt that brought no answer and is not retried.
fn attempt_error(state: &AppState, out: &Outbound<'_>, e: AttemptError) -> ProxyError {
    let service = out.service;
    match e {
        AttemptError::Sign(e) => e,
        AttemptError::Send(e) => send_error(service, &out.host, &e),
        AttemptError::Answer(AnswerError::Read) => {
            unreachable(service, "request failed", &out.host)
        }
        AttemptError::Answer(AnswerError::TooLarge) => ProxyError::new(
            Some(service),
            ErrorKind::BadGateway,
            format!(
                "upstream answer is larger than the {} limit (max-answer-bytes)",
                human_bytes(state.settings.limits.max_answer_bytes)
            ),
        ),
    }
}

/// When `answer` refuses the request for its date, remembers the provider's clock offset
/// (later calls sign with its time) and says so: the request is worth one more try.
fn correct_clock(
    state: &AppState,
    service: Service,
    answer: &UpstreamAnswer,
    signed_at: SystemTime,
) -> bool {
    let Some(offset) = clock_skew(
        service.provider(),
        answer.status,
        &answer.headers,
        &answer.body,
        signed_at,
    ) else {
        return false;
    };
    let total = state.upstreams.offset_ms(service) + offset;
    state.upstreams.set_offset_ms(service, total);
    tracing::warn!(
        service = service.id(),
        offset_ms = total,
        "the provider's clock differs from ours; signing with its time"
    );
    state.metrics.retried(service.id());
    true
}

/// Why an upstream answer could not be read whole.
#[derive(Debug)]
enum AnswerError {
    /// Over the size cap: the connection is dropped, not drained.
    TooLarge,
    Read,
}

/// Reads an answer as a stream, never holding more than `limit` bytes. An answer that comes
/// in one piece (the usual case) is passed on without a copy.
async fn read_capped(mut body: hyper::body::Incoming, limit: usize) -> Result<Bytes, AnswerError> {
    use hyper::body::Body as _;
    if body
        .size_hint()
        .exact()
        .is_some_and(|n| n > u64::try_from(limit).unwrap_or(u64::MAX))
    {
        return Err(AnswerError::TooLarge);
    }
    let mut first: Option<Bytes> = None;
    let mut rest: Vec<u8> = Vec::new();
    let mut len = 0usize;
    while let Some(frame) = body.frame().await {
        let Ok(chunk) = frame.map_err(|_| AnswerError::Read)?.into_data() else {
            continue; // trailers
        };
        len += chunk.len();
        if len > limit {
            return Err(AnswerError::TooLarge);
        }
        match &first {
            None if rest.is_empty() => first = Some(chunk),
            _ => {
                if let Some(first) = first.take() {
                    rest.extend_from_slice(&first);
                }
                rest.extend_from_slice(&chunk);
            }
        }
    }
    Ok(first.unwrap_or_else(|| Bytes::from(rest)))
}

fn human_bytes(n: usize) -> String {
    if n >= 1024 * 1024 && n.is_multiple_of(1024 * 1024) {
        format!("{} MiB", n / (1024 * 1024))
    } else if n >= 1024 && n.is_multiple_of(1024) {
        format!("{} KiB", n / 1024)
    } else {
        format!("{n} bytes")
    }
}

/// The wait an answer's `Retry-After` asks for (seconds or an HTTP date).
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get("retry-after")?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Error codes with which AWS-style services refuse a request's date.
const SKEW_CODES: [&str; 3] = [
    "RequestTimeTooSkewed",
    "RequestExpired",
    "InvalidSignatureException",
];

/// When the answer refuses the request for its date, how far the provider's
/// clock (its `Date` header) is ahead of the time the request was signed with.
pub fn clock_skew(
    provider: Provider,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    signed_at: SystemTime,
) -> Option<i64> {
    let server = headers
        .get(header::DATE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok())?;
    let offset = crate::upstream::offset_between(server, signed_at);
    let refused_for_date = match provider {
        // OCI says only "not authenticated"; a Date far from ours is the tell.
        Provider::Oci => status.as_u16() == 401 && offset.unsigned_abs() >= OCI_SKEW_TELL_MS,
        Provider::Aws | Provider::Outscale => {
            if !matches!(status.as_u16(), 400 | 401 | 403) {
                return None;
            }
            let pairs = header_pairs(headers);
            let err = cloudlink_core::wire::parse_error(provider, status.as_u16(), &pairs, body);
            SKEW_CODES.contains(&err.code.as_str())
                && (err.code != "InvalidSignatureException"
                    || err.message.contains("Signature expired")
                    || err.message.contains("Signature not yet current"))
        }
    };
    refused_for_date.then_some(offset)
}

/// OCI accepts dates within five minutes; four is clearly skew, not latency.
const OCI_SKEW_TELL_MS: u64 = 4 * 60 * 1000;

/// One header map for an upstream request: core's headers, then the signer's,
/// which replace any of the same name. No header is ever sent twice.
pub fn upstream_headers(core: &[(String, String)], signed: &[(String, String)]) -> HeaderMap {
    let mut map = HeaderMap::with_capacity(core.len() + signed.len() + 3);
    for (name, value) in core.iter().chain(signed) {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            map.insert(n, v);
        }
    }
    map
}

/// The caller's error for a call that could not be sent or answered. It names the
/// upstream's host only (no path or query; no secret is in either, they are in headers).
fn send_error(service: Service, host: &str, e: &crate::client::Error) -> ProxyError {
    if crate::client::is_connect_timeout(e) {
        ProxyError::new(
            Some(service),
            ErrorKind::GatewayTimeout,
            "upstream did not answer in time",
        )
    } else if e.is_connect() {
        unreachable(service, "connection failed", host)
    } else {
        unreachable(service, "request failed", host)
    }
}

fn unreachable(service: Service, what: &str, host: &str) -> ProxyError {
    ProxyError::new(
        Some(service),
        ErrorKind::BadGateway,
        format!("upstream unreachable: {what} to {host}"),
    )
}

/// How AWS and OUTSCALE say "slow down" (OCI and Outposts use 429).
const THROTTLING_CODES: [&str; 6] = [
    "ThrottlingException",
    "Throttling",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "RequestThrottled",
    "SlowDown",
];

/// Throttling and server errors are worth another try; nothing else is.
fn retryable(provider: Provider, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> bool {
    if cloudlink_core::contract::is_retryable_status(status.as_u16()) {
        return true;
    }
    if matches!(status.as_u16(), 400 | 403) && provider != Provider::Oci {
        let pairs = header_pairs(headers);
        let err = cloudlink_core::wire::parse_error(provider, status.as_u16(), &pairs, body);
        return THROTTLING_CODES.contains(&err.code.as_str());
    }
    false
}

/// Exponential backoff with full jitter: a random wait in `0..=min(2 s, 100 ms * 2^n)`.
pub fn backoff_delay(attempt: u32, random: u32) -> Duration {
    let cap_ms: u64 = (100u64 << attempt.min(5)).min(2000);
    Duration::from_millis(u64::from(random) % (cap_ms + 1))
}

fn random_u32() -> u32 {
    let mut bytes = [0u8; 4];
    let _ = ring::rand::SystemRandom::new().fill(&mut bytes);
    u32::from_le_bytes(bytes)
}

async fn backoff(attempt: u32) {
    tokio::time::sleep(backoff_delay(attempt, random_u32())).await;
}

/// The signature headers of `out`, signed by its profile at `now`.
async fn sign(out: &Outbound<'_>, now: SystemTime) -> Result<Vec<(String, String)>, ProxyError> {
    let Outbound {
        service,
        route,
        profile,
        url,
        http,
        ..
    } = *out;
    let req = RequestToSign {
        method: http.method.as_str(),
        url,
        headers: &http.headers,
        body: &out.body,
    };
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
    status: StatusCode,
    headers: &HeaderMap,
    body: Bytes,
    record: &mut CallRecord,
) -> Response {
    let mut response = Response::new(axum::body::Body::from(body));
    *response.status_mut() = status;
    let out = response.headers_mut();
    // One pass over the answer's few headers, not a lookup per passed name.
    for (name, value) in headers {
        if PASSED_HEADERS.contains(&name.as_str()) {
            out.append(name.clone(), value.clone());
        }
    }
    record.upstream_request_id = cloudlink_core::wire::request_id_headers(service.provider())
        .iter()
        .find_map(|name| headers.get(*name).and_then(|v| v.to_str().ok()))
        .map(str::to_owned);
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
    fn answers_pass_only_the_listed_headers_and_their_request_id() {
        let mut headers = HeaderMap::new();
        for (name, value) in [
            ("x-amz-request-id", "second-choice"),
            ("x-amzn-requestid", "req-1"),
            ("set-cookie", "upstream=1"),
            ("connection", "keep-alive"),
            ("etag", "\"a\""),
            ("etag", "\"b\""),
        ] {
            headers.append(
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            );
        }
        let mut record = CallRecord::default();
        let response = pass_through(
            Service::DirectConnect,
            StatusCode::ACCEPTED,
            &headers,
            Bytes::from_static(b"{}"),
            &mut record,
        );
        assert_eq!(response.status(), StatusCode::ACCEPTED);
        let out = response.headers();
        assert_eq!(out.get_all("etag").iter().count(), 2);
        assert_eq!(out["x-amzn-requestid"], "req-1");
        assert!(out.get("set-cookie").is_none() && out.get("connection").is_none());
        // No content type is made up when the upstream sent none.
        assert!(out.get("content-type").is_none());
        assert_eq!(record.upstream_request_id.as_deref(), Some("req-1"));

        let mut oci = HeaderMap::new();
        oci.insert("opc-request-id", HeaderValue::from_static("oci-7"));
        oci.insert("x-amzn-requestid", HeaderValue::from_static("not-oci"));
        pass_through(
            Service::OciCore,
            StatusCode::OK,
            &oci,
            Bytes::new(),
            &mut record,
        );
        assert_eq!(record.upstream_request_id.as_deref(), Some("oci-7"));
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
