//! AWS Signature Version 4 on the service side: rebuild the canonical request from the
//! headers the `Authorization` header says were signed, and compare signatures.
//!
//! This is what the `--sandbox` fake cloud runs, so a request it accepts is one AWS would
//! accept. The stages (canonical request, string to sign, signature) are public so tests can
//! hold each one against botocore's.

use std::fmt;
use std::time::{Duration, SystemTime};

use subtle::ConstantTimeEq;

use super::sigv4_keys::{derive_signing_key, hmac_sha256};
use super::{AwsCredentials, ReceivedRequest, VerifyClock, header_value, sha256};

const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The caller a valid SigV4 signature proves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedSigV4 {
    pub access_key_id: String,
}

/// Why a SigV4-signed request is refused, as AWS's JSON-protocol services say it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SigV4Rejection {
    /// No `Authorization` header at all.
    MissingAuthentication,
    /// The `Authorization` header or a header it needs is missing or malformed.
    IncompleteSignature { reason: String },
    /// The access key id (or its session token) is not known.
    InvalidClientTokenId { access_key_id: String },
    /// The signature is not the one the secret gives, or the scope is not this service's.
    SignatureDoesNotMatch { reason: String },
    /// `x-amz-date` is further from now than the allowed skew.
    RequestExpired {
        request_time: String,
        now: String,
        too_old: bool,
    },
}

impl SigV4Rejection {
    /// The error code AWS's JSON-protocol services (Direct Connect, Outposts) send back.
    pub fn code(&self) -> &'static str {
        match self {
            Self::MissingAuthentication => "MissingAuthenticationTokenException",
            Self::IncompleteSignature { .. } => "IncompleteSignatureException",
            Self::InvalidClientTokenId { .. } => "UnrecognizedClientException",
            Self::SignatureDoesNotMatch { .. } | Self::RequestExpired { .. } => {
                "InvalidSignatureException"
            }
        }
    }

    /// The error code AWS's Query and XML services use for the same refusal.
    pub fn query_code(&self) -> &'static str {
        match self {
            Self::MissingAuthentication => "MissingAuthenticationToken",
            Self::IncompleteSignature { .. } => "IncompleteSignature",
            Self::InvalidClientTokenId { .. } => "InvalidClientTokenId",
            Self::SignatureDoesNotMatch { .. } => "SignatureDoesNotMatch",
            Self::RequestExpired { .. } => "RequestExpired",
        }
    }

    /// The HTTP status AWS answers with.
    pub fn http_status(&self) -> u16 {
        match self {
            Self::IncompleteSignature { .. } => 400,
            _ => 403,
        }
    }
}

impl fmt::Display for SigV4Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingAuthentication => f.write_str("Missing Authentication Token"),
            Self::IncompleteSignature { reason } => f.write_str(reason),
            Self::InvalidClientTokenId { .. } => {
                f.write_str("The security token included in the request is invalid.")
            }
            Self::SignatureDoesNotMatch { reason } => f.write_str(reason),
            Self::RequestExpired {
                request_time,
                now,
                too_old: true,
            } => write!(
                f,
                "Signature expired: {request_time} is now earlier than the allowed skew from {now}."
            ),
            Self::RequestExpired {
                request_time, now, ..
            } => write!(
                f,
                "Signature not yet current: {request_time} is still later than the allowed skew from {now}."
            ),
        }
    }
}

impl std::error::Error for SigV4Rejection {}

const MISMATCH: &str = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

fn incomplete(reason: impl Into<String>) -> SigV4Rejection {
    SigV4Rejection::IncompleteSignature {
        reason: reason.into(),
    }
}

fn mismatch(reason: impl Into<String>) -> SigV4Rejection {
    SigV4Rejection::SignatureDoesNotMatch {
        reason: reason.into(),
    }
}

/// The parts of `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`.
struct AuthorizationHeader<'a> {
    access_key_id: &'a str,
    scope_date: &'a str,
    scope_region: &'a str,
    scope_service: &'a str,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
}

fn parse_authorization(value: &str) -> Result<AuthorizationHeader<'_>, SigV4Rejection> {
    let Some(params) = value.strip_prefix(ALGORITHM) else {
        let algorithm = value.split_whitespace().next().unwrap_or_default();
        return Err(incomplete(format!(
            "Unsupported AWS 'algorithm': '{algorithm}'"
        )));
    };
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in params.split(',') {
        let Some((key, val)) = part.trim().split_once('=') else {
            continue;
        };
        match key.trim() {
            "Credential" => credential = Some(val.trim()),
            "SignedHeaders" => signed = Some(val.trim()),
            "Signature" => signature = Some(val.trim()),
            _ => {}
        }
    }
    let mut missing = Vec::new();
    for (name, found) in [
        ("Credential", credential.is_some()),
        ("Signature", signature.is_some()),
        ("SignedHeaders", signed.is_some()),
    ] {
        if !found {
            missing.push(format!("Authorization header requires '{name}' parameter."));
        }
    }
    if !missing.is_empty() {
        return Err(incomplete(missing.join(" ")));
    }
    let (credential, signed, signature) = (
        credential.unwrap_or_default(),
        signed.unwrap_or_default(),
        signature.unwrap_or_default(),
    );
    let scope: Vec<&str> = credential.split('/').collect();
    let [
        access_key_id,
        scope_date,
        scope_region,
        scope_service,
        terminator,
    ] = scope[..]
    else {
        return Err(incomplete(format!(
            "Credential should have 5 parts separated by '/', got {:?}",
            credential
        )));
    };
    if terminator != "aws4_request" {
        return Err(mismatch(format!(
            "Credential should be scoped with a valid terminator: 'aws4_request', not '{terminator}'."
        )));
    }
    Ok(AuthorizationHeader {
        access_key_id,
        scope_date,
        scope_region,
        scope_service,
        signed_headers: signed.split(';').filter(|h| !h.is_empty()).collect(),
        signature,
    })
}

/// Checks a SigV4-signed request as AWS would. `secret_lookup` answers the credentials of an
/// access key id (None: unknown key); the request's `path_and_query` is the target as received.
/// The checks run in AWS's order, so the first refusal is the one AWS would give.
pub fn verify_sigv4(
    secret_lookup: impl Fn(&str) -> Option<AwsCredentials>,
    expected_service: &str,
    expected_region: &str,
    clock: VerifyClock,
    request: &ReceivedRequest<'_>,
) -> Result<VerifiedSigV4, SigV4Rejection> {
    let headers = request.headers;
    let Some(authorization) = header_value(headers, "authorization") else {
        return Err(SigV4Rejection::MissingAuthentication);
    };
    let auth = parse_authorization(authorization)?;
    let (amz_date, request_time) = signed_date(headers)?;
    check_signed_headers(&auth, headers)?;
    check_scope(&auth, amz_date, expected_service, expected_region)?;
    check_freshness(amz_date, request_time, clock)?;
    let creds = credentials_of(&auth, headers, secret_lookup)?;
    let body_hash = hex::encode(sha256(request.body));
    if let Some(claimed) = header_value(headers, "x-amz-content-sha256")
        && claimed != body_hash
        && claimed != "UNSIGNED-PAYLOAD"
    {
        return Err(mismatch(
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
        ));
    }
    let canonical = sigv4_canonical_request(
        request.method,
        request.path_and_query,
        headers,
        &auth.signed_headers,
        &body_hash,
    );
    let scope = format!(
        "{}/{}/{}/aws4_request",
        auth.scope_date, auth.scope_region, auth.scope_service
    );
    let string_to_sign = sigv4_string_to_sign(amz_date, &scope, &canonical);
    let expected = sigv4_signature(
        &creds.secret_access_key,
        auth.scope_date,
        auth.scope_region,
        auth.scope_service,
        &string_to_sign,
    );
    if !bool::from(expected.as_bytes().ct_eq(auth.signature.as_bytes())) {
        return Err(mismatch(MISMATCH));
    }
    Ok(VerifiedSigV4 {
        access_key_id: auth.access_key_id.to_owned(),
    })
}

/// `X-Amz-Date`, as sent and as a time.
fn signed_date(headers: &[(String, String)]) -> Result<(&str, SystemTime), SigV4Rejection> {
    let Some(amz_date) = header_value(headers, "x-amz-date") else {
        return Err(incomplete(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
        ));
    };
    let Some(request_time) = parse_amz_date(amz_date) else {
        return Err(incomplete(format!(
            "X-Amz-Date must be in the ISO8601 Long Format (yyyyMMdd'T'HHmmss'Z'), got {amz_date:?}"
        )));
    };
    Ok((amz_date, request_time))
}

/// `host` and `x-amz-date` are signed, and every signed header was sent.
fn check_signed_headers(
    auth: &AuthorizationHeader<'_>,
    headers: &[(String, String)],
) -> Result<(), SigV4Rejection> {
    if !auth.signed_headers.contains(&"host") {
        return Err(incomplete(
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
        ));
    }
    if !auth.signed_headers.contains(&"x-amz-date") {
        return Err(incomplete(
            "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.",
        ));
    }
    for name in &auth.signed_headers {
        if header_value(headers, name).is_none() {
            return Err(incomplete(format!(
                "Signed header '{name}' is missing from the request."
            )));
        }
    }
    Ok(())
}

/// The credential scope names the request's day, the expected region and service.
fn check_scope(
    auth: &AuthorizationHeader<'_>,
    amz_date: &str,
    expected_service: &str,
    expected_region: &str,
) -> Result<(), SigV4Rejection> {
    if auth.scope_date != &amz_date[..8] {
        return Err(mismatch(format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{}', from '{amz_date}'.",
            auth.scope_date,
            &amz_date[..8]
        )));
    }
    if auth.scope_region != expected_region {
        return Err(mismatch(format!(
            "Credential should be scoped to a valid region, not '{}'.",
            auth.scope_region
        )));
    }
    if auth.scope_service != expected_service {
        return Err(mismatch(format!(
            "Credential should be scoped to correct service: '{expected_service}'."
        )));
    }
    Ok(())
}

/// The request's date is within `max_skew` of the verifier's clock, either way.
fn check_freshness(
    amz_date: &str,
    request_time: SystemTime,
    clock: VerifyClock,
) -> Result<(), SigV4Rejection> {
    let too_old = clock
        .now
        .duration_since(request_time)
        .is_ok_and(|age| age > clock.max_skew);
    let too_new = request_time
        .duration_since(clock.now)
        .is_ok_and(|ahead| ahead > clock.max_skew);
    if too_old || too_new {
        return Err(SigV4Rejection::RequestExpired {
            request_time: amz_date.to_owned(),
            now: format_amz_date(clock.now),
            too_old,
        });
    }
    Ok(())
}

/// The credentials of the signing key; a session token must match the key's (both or neither).
fn credentials_of(
    auth: &AuthorizationHeader<'_>,
    headers: &[(String, String)],
    secret_lookup: impl Fn(&str) -> Option<AwsCredentials>,
) -> Result<AwsCredentials, SigV4Rejection> {
    let unknown = || SigV4Rejection::InvalidClientTokenId {
        access_key_id: auth.access_key_id.to_owned(),
    };
    let creds = secret_lookup(auth.access_key_id).ok_or_else(unknown)?;
    let sent_token = header_value(headers, "x-amz-security-token");
    match (&creds.session_token, sent_token) {
        (None, None) => {}
        (Some(expected), Some(sent)) if bool::from(expected.as_bytes().ct_eq(sent.as_bytes())) => {}
        _ => return Err(unknown()),
    }
    Ok(creds)
}

/// The SigV4 canonical request: method, canonical URI (normalized, then encoded again),
/// canonical query, the `signed_headers` with their values, the list, and the payload hash.
pub fn sigv4_canonical_request(
    method: &str,
    path_and_query: &str,
    headers: &[(String, String)],
    signed_headers: &[&str],
    payload_hash: &str,
) -> String {
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    let mut out = String::new();
    out.push_str(method);
    out.push('\n');
    out.push_str(&encode(&normalize_path(path), true));
    out.push('\n');
    out.push_str(&canonical_query(query));
    out.push('\n');
    for name in signed_headers {
        let values: Vec<String> = headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        out.push_str(&name.to_ascii_lowercase());
        out.push(':');
        out.push_str(&values.join(","));
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&signed_headers.join(";"));
    out.push('\n');
    out.push_str(payload_hash);
    out
}

/// The SigV4 string to sign for a canonical request.
pub fn sigv4_string_to_sign(amz_date: &str, scope: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{amz_date}\n{scope}\n{}",
        hex::encode(sha256(canonical_request.as_bytes()))
    )
}

/// The hex SigV4 signature of `string_to_sign` with the key derived from `secret`.
pub fn sigv4_signature(
    secret: &str,
    date: &str,
    region: &str,
    service: &str,
    string_to_sign: &str,
) -> String {
    let key = derive_signing_key(secret, date, region, service);
    hex::encode(hmac_sha256(&*key, string_to_sign.as_bytes()))
}

/// RFC 3986 dot-segment removal and empty-segment collapse, keeping a trailing slash.
fn normalize_path(path: &str) -> String {
    if path.is_empty() {
        return "/".to_owned();
    }
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut out = format!("/{}", segments.join("/"));
    if path.ends_with('/') && out != "/" {
        out.push('/');
    }
    out
}

/// Percent-encodes everything but RFC 3986 unreserved characters (and `/` if `keep_slash`).
fn encode(text: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        let unreserved = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~');
        if unreserved || (keep_slash && byte == b'/') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn canonical_query(query: &str) -> String {
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (encode(&decode(k), false), encode(&decode(v), false))
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// `YYYYMMDDTHHMMSSZ` to a time.
fn parse_amz_date(text: &str) -> Option<SystemTime> {
    let b = text.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let s = text.get(range)?;
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    let (year, month, day) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (hour, minute, second) = (num(9..11)?, num(11..13)?, num(13..15)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let secs = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
    let secs = u64::try_from(secs).ok()?;
    Some(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
}

/// A time as `YYYYMMDDTHHMMSSZ`.
fn format_amz_date(time: SystemTime) -> String {
    let secs = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    super::sigv4::format_amz_date(secs)
}

// Howard Hinnant's days-from-civil algorithms (proleptic Gregorian calendar).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amz_dates_round_trip() {
        for text in ["19700101T000000Z", "20260303T100000Z", "20240229T235959Z"] {
            let time = parse_amz_date(text).unwrap();
            assert_eq!(format_amz_date(time), text);
        }
        assert_eq!(
            parse_amz_date("20260303T100000Z"),
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_772_532_000))
        );
    }

    #[test]
    fn malformed_amz_dates_are_refused() {
        for text in [
            "",
            "20260303100000Z",
            "2026-03-03T10:00:00Z",
            "20261303T100000Z",
            "2026030xT100000Z",
        ] {
            assert_eq!(parse_amz_date(text), None, "{text}");
        }
    }

    #[test]
    fn paths_are_normalized_then_encoded() {
        let cases = [
            ("", "/"),
            ("/", "/"),
            ("/a/./b/../c", "/a/c"),
            ("//a//b/", "/a/b/"),
            ("/connections/conn%2F1", "/connections/conn%252F1"),
        ];
        for (path, expected) in cases {
            assert_eq!(encode(&normalize_path(path), true), expected, "{path}");
        }
    }

    #[test]
    fn queries_are_sorted_and_encoded_strictly() {
        assert_eq!(canonical_query("b=2&a=1&a=0"), "a=0&a=1&b=2");
        assert_eq!(canonical_query("k=a%20b&z"), "k=a%20b&z=");
        assert_eq!(canonical_query("k=a b*"), "k=a%20b%2A");
    }
}
