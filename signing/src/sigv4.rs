//! AWS Signature Version 4 on the client side.
//!
//! Written out here rather than calling `aws-sigv4` because that crate derives the signing key
//! and builds several maps and strings on every call; the proxy signs every call it forwards,
//! and a cached key (see `sigv4_keys`) with one pass over the headers is several times cheaper.
//! The output is the crate's, byte for byte, with botocore's settings for our services: the
//! tests hold this signer to `aws-sigv4` on generated requests and to botocore's vectors.
//!
//! What it signs, as `aws-sigv4` does: every header but [`UNSIGNED_HEADERS`] (names lower
//! case, values trimmed of spaces with runs of spaces collapsed, repeated names joined by
//! `,`), `host` (from the URL unless the request carries one), `x-amz-date`,
//! `x-amz-security-token` with a session token, `x-amz-content-sha256` for S3-style services.
//! The path is normalized (dot segments, empty segments) and percent-encoded again; the query
//! is decoded (`+` is a space) and re-encoded strictly, pairs sorted.

use std::borrow::Cow;
use std::fmt;
use std::time::SystemTime;

use super::{RequestToSign, SigningError, sha256, sigv4_keys, sigv4_verify};

/// An AWS (or AWS-compatible) access key. `Debug` never shows the secret or the token.
#[derive(Clone, PartialEq, Eq)]
pub struct AwsCredentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
}

impl fmt::Debug for AwsCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "** redacted **"),
            )
            .finish()
    }
}

/// Headers that never take part in a signature: hop-by-hop headers and those proxies change.
/// The same list as botocore's `SIGNED_HEADERS_BLACKLIST`, plus `authorization`.
pub const UNSIGNED_HEADERS: &[&str] = &[
    "authorization",
    "baggage",
    "connection",
    "expect",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "traceparent",
    "tracestate",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
    "x-amzn-trace-id",
];

/// Whether a service wants the body hash sent as `x-amz-content-sha256` (botocore adds it only
/// for S3-style signers; Direct Connect, DirectLink and Outposts do not get it).
pub fn service_signs_payload_header(service: &str) -> bool {
    matches!(service, "s3" | "s3-outposts" | "s3-object-lambda")
}

/// Headers the caller replaces with the signer's own: never signed from `req.headers`.
const REPLACED_HEADERS: &[&str] = &["x-amz-date", "x-amz-security-token", "x-amz-content-sha256"];

/// Signs `req` for `service` in `region` at `time`; returns the headers to add, lower case:
/// `authorization`, `x-amz-date`, `x-amz-security-token` (with a session token) and
/// `x-amz-content-sha256` (only for services that sign it). Headers in `req.headers` named
/// like the returned ones are replaced by the caller, not signed twice.
pub fn sign_sigv4(
    creds: &AwsCredentials,
    service: &str,
    region: &str,
    time: SystemTime,
    req: &RequestToSign,
) -> Result<Vec<(String, String)>, SigningError> {
    let secs = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_err(|_| SigningError::TimeBeforeEpoch)?
        .as_secs();
    let amz_date = format_amz_date(secs);
    let date = &amz_date[..8];
    let uri: http::Uri = req
        .url
        .parse()
        .map_err(|_| SigningError::InvalidUrl(req.url.to_owned()))?;
    let payload_hash = HexDigest::of(&sha256(req.body));
    let signs_payload = service_signs_payload_header(service);
    let added = AddedHeaders {
        amz_date: &amz_date,
        session_token: creds.session_token.as_deref(),
        payload_hash: signs_payload.then_some(payload_hash.as_str()),
    };
    let headers = headers_to_sign(req, &uri, &added)?;
    let (canonical, signed_headers) =
        canonical_request(req.method, &uri, &headers, payload_hash.as_str());
    let (string_to_sign, scope) = string_to_sign(&amz_date, region, service, canonical.as_bytes());

    let day = i64::try_from(secs / 86_400).map_err(|_| SigningError::TimeBeforeEpoch)?;
    let key = sigv4_keys::signing_key(&creds.secret_access_key, date, day, region, service);
    let signature = HexDigest::of(&sigv4_keys::hmac_sha256(&*key, string_to_sign.as_bytes()));
    drop(key);

    let parts = [
        ALGORITHM,
        " Credential=",
        &creds.access_key_id,
        "/",
        &string_to_sign[scope],
        ", SignedHeaders=",
        &signed_headers,
        ", Signature=",
        signature.as_str(),
    ];
    let mut authorization = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        authorization.push_str(part);
    }
    let mut out = Vec::with_capacity(4);
    out.push(("authorization".to_owned(), authorization));
    if let Some(hash) = added.payload_hash {
        out.push(("x-amz-content-sha256".to_owned(), hash.to_owned()));
    }
    out.push(("x-amz-date".to_owned(), amz_date.clone()));
    if let Some(token) = &creds.session_token {
        out.push(("x-amz-security-token".to_owned(), token.clone()));
    }
    Ok(out)
}

/// A signed header: lower-case name and normalized value.
type SignedHeader<'a> = (Cow<'a, str>, Cow<'a, str>);

/// The headers the signer adds and signs itself.
struct AddedHeaders<'a> {
    amz_date: &'a str,
    session_token: Option<&'a str>,
    /// `x-amz-content-sha256`, for the services that sign it.
    payload_hash: Option<&'a str>,
}

/// (lower-case name, normalized value) of every signed header, sorted by name; a stable
/// sort keeps repeated names in the request's order.
fn headers_to_sign<'a>(
    req: &'a RequestToSign,
    uri: &'a http::Uri,
    added: &AddedHeaders<'a>,
) -> Result<Vec<SignedHeader<'a>>, SigningError> {
    let mut headers: Vec<SignedHeader<'_>> = Vec::with_capacity(req.headers.len() + 4);
    let mut has_host = false;
    for (name, value) in req.headers {
        if REPLACED_HEADERS
            .iter()
            .any(|r| name.eq_ignore_ascii_case(r))
        {
            continue;
        }
        let name = header_name(name)?;
        let value = header_value(&name, value)?;
        has_host |= name == "host";
        if !UNSIGNED_HEADERS.contains(&&*name) {
            headers.push((name, value));
        }
    }
    if !has_host {
        headers.push(("host".into(), host_of(uri, req.url)?.into()));
    }
    headers.push(("x-amz-date".into(), added.amz_date.into()));
    if let Some(token) = added.session_token {
        // Signed as given, not trimmed (as `aws-sigv4` does).
        header_value("x-amz-security-token", token)?;
        headers.push(("x-amz-security-token".into(), token.into()));
    }
    if let Some(hash) = added.payload_hash {
        headers.push(("x-amz-content-sha256".into(), hash.into()));
    }
    headers.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(headers)
}

/// The canonical request and its signed-headers list; repeated names are joined with `,`.
fn canonical_request(
    method: &str,
    uri: &http::Uri,
    headers: &[SignedHeader<'_>],
    payload_hash: &str,
) -> (String, String) {
    let mut signed_headers = String::with_capacity(16 * headers.len());
    let mut canonical = String::with_capacity(256 + 64 * headers.len());
    canonical.push_str(method);
    canonical.push('\n');
    canonical_path(uri.path(), &mut canonical);
    canonical.push('\n');
    canonical_query(uri.query().unwrap_or_default(), &mut canonical);
    canonical.push('\n');
    let mut previous: Option<&str> = None;
    for (name, value) in headers {
        if previous == Some(name) {
            canonical.push(',');
        } else {
            if previous.is_some() {
                canonical.push('\n');
                signed_headers.push(';');
            }
            canonical.push_str(name);
            canonical.push(':');
            signed_headers.push_str(name);
        }
        canonical.push_str(value);
        previous = Some(name);
    }
    canonical.push_str("\n\n");
    canonical.push_str(&signed_headers);
    canonical.push('\n');
    canonical.push_str(payload_hash);
    (canonical, signed_headers)
}

/// The string to sign, and where the credential scope (`date/region/service/aws4_request`)
/// stands in it.
fn string_to_sign(
    amz_date: &str,
    region: &str,
    service: &str,
    canonical: &[u8],
) -> (String, std::ops::Range<usize>) {
    let date = &amz_date[..8];
    let scope_len = date.len() + region.len() + service.len() + 15;
    let mut out = String::with_capacity(ALGORITHM.len() + 18 + scope_len + 65);
    out.push_str(ALGORITHM);
    out.push('\n');
    out.push_str(amz_date);
    out.push('\n');
    let scope_at = out.len();
    for part in [date, "/", region, "/", service, "/aws4_request"] {
        out.push_str(part);
    }
    let scope_end = out.len();
    out.push('\n');
    out.push_str(HexDigest::of(&sha256(canonical)).as_str());
    (out, scope_at..scope_end)
}

const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// `YYYYMMDDTHHMMSSZ` for seconds since 1970.
pub(crate) fn format_amz_date(secs: u64) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or(i64::MAX / 2);
    let (year, month, day) = sigv4_verify::civil_from_days(days);
    let rem = secs % 86_400;
    if !(0..=9999).contains(&year) {
        return format!(
            "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
            rem / 3600,
            rem % 3600 / 60,
            rem % 60
        );
    }
    // Digit by digit: this runs on every signed call.
    let mut text = String::with_capacity(16);
    let digits = |text: &mut String, value: u64, width: u32| {
        for place in (0..width).rev() {
            let digit = (value / 10u64.pow(place) % 10) as u8;
            text.push(char::from(b'0' + digit));
        }
    };
    digits(&mut text, year.unsigned_abs(), 4);
    digits(&mut text, month.unsigned_abs(), 2);
    digits(&mut text, day.unsigned_abs(), 2);
    text.push('T');
    digits(&mut text, rem / 3600, 2);
    digits(&mut text, rem % 3600 / 60, 2);
    digits(&mut text, rem % 60, 2);
    text.push('Z');
    text
}

/// Lower-case hex of a SHA-256 digest, on the stack.
struct HexDigest([u8; 64]);

impl HexDigest {
    fn of(digest: &[u8; 32]) -> Self {
        let mut out = [0; 64];
        // 64 bytes for 32: cannot fail.
        let _ = hex::encode_to_slice(digest, &mut out);
        Self(out)
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// A header name, lower case; refused unless it is an HTTP token.
fn header_name(name: &str) -> Result<Cow<'_, str>, SigningError> {
    let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if name.is_empty() || !name.bytes().all(token) {
        return Err(SigningError::InvalidHeader(name.to_owned()));
    }
    Ok(if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    })
}

/// A header value trimmed of spaces, runs of spaces made one (only spaces, as `aws-sigv4`
/// and S3 do); refused if it holds a control character (tab aside).
fn header_value<'v>(name: &str, value: &'v str) -> Result<Cow<'v, str>, SigningError> {
    if value.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f) {
        return Err(SigningError::InvalidHeader(name.to_owned()));
    }
    let value = value.trim_matches(' ');
    if !value.contains("  ") {
        return Ok(Cow::Borrowed(value));
    }
    let mut out = String::with_capacity(value.len());
    let mut last_space = false;
    for c in value.chars() {
        if !(c == ' ' && last_space) {
            out.push(c);
        }
        last_space = c == ' ';
    }
    Ok(Cow::Owned(out))
}

/// The `host` to sign: the URL's host, with its port unless it is the scheme's default.
fn host_of<'u>(uri: &'u http::Uri, url: &str) -> Result<&'u str, SigningError> {
    let authority = uri
        .authority()
        .ok_or_else(|| SigningError::InvalidUrl(url.to_owned()))?;
    let port = authority.port();
    let default_port = matches!(
        (uri.scheme_str(), port.as_ref().map(|p| p.as_str())),
        (Some("https"), Some("443")) | (Some("http"), Some("80"))
    );
    Ok(if default_port {
        authority.host()
    } else {
        authority.as_str()
    })
}

/// Whether `byte` is an RFC 3986 unreserved character (never percent-encoded).
fn unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~')
}

/// Appends `text` percent-encoded: all but unreserved bytes (and `/` if `keep_slash`).
fn push_encoded(text: &str, keep_slash: bool, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in text.bytes() {
        if unreserved(byte) || (keep_slash && byte == b'/') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
        }
    }
}

/// The canonical URI: `path` (as sent, percent-encoded) with dot and empty segments removed,
/// then percent-encoded again.
fn canonical_path(path: &str, out: &mut String) {
    if path.is_empty() {
        out.push('/');
        return;
    }
    let relative = !path.starts_with('/');
    if !(path.contains('.') || path.contains("//")) {
        if relative {
            out.push('/');
        }
        push_encoded(path, true, out);
        return;
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
    let start = out.len();
    out.push('/');
    push_encoded(&segments.join("/"), true, out);
    let ends_in_slash = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    if ends_in_slash && !out[start..].ends_with('/') {
        out.push('/');
    }
}

/// The canonical query: each `name=value` pair decoded as a form (`+` is a space) and
/// percent-encoded strictly, pairs sorted by encoded name then value.
fn canonical_query(query: &str, out: &mut String) {
    if query.is_empty() {
        return;
    }
    let decode = |s: &str| -> String {
        let plus_as_space = s.replace('+', " ");
        percent_encoding::percent_decode_str(&plus_as_space)
            .decode_utf8_lossy()
            .into_owned()
    };
    let encode = |s: &str| {
        let mut out = String::with_capacity(s.len());
        push_encoded(s, false, &mut out);
        out
    };
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (encode(&decode(k)), encode(&decode(v)))
        })
        .collect();
    pairs.sort();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
}
