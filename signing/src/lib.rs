//! cloudlink-signing: request signing and signature checking, as pure functions.
//!
//! The proxy signs every call it forwards with credentials the browser never sees: AWS SigV4
//! for Direct Connect, OUTSCALE DirectLink and Outposts, and OCI's HTTP request signature for
//! OCI. The `--sandbox` fake cloud (`cloudlink-sandbox`) checks those signatures the way the
//! real services would. Credentials and time are arguments, never read from the environment or
//! the clock, so every stage can be checked against vectors made by other implementations
//! (botocore, the `oci` SDK, OCI's published vectors: see `signing/tests/vectors/`).
//!
//! It is its own crate because two crates need it and neither should carry the other: the
//! proxy signs, the sandbox verifies, and a proxy built without the sandbox still signs. It
//! knows nothing of HTTP servers, credentials files or cloudlink's API.

mod oci;
mod oci_verify;
mod sigv4;
mod sigv4_keys;
mod sigv4_verify;

pub use oci::{OciSigner, oci_authorization, oci_signed_header_names, oci_signing_string};
pub use oci_verify::{OciRejection, rsa_public_key_der_from_pem, verify_oci, verify_oci_with};
pub use sigv4::{AwsCredentials, UNSIGNED_HEADERS, service_signs_payload_header, sign_sigv4};
pub use sigv4_verify::{
    SigV4Rejection, VerifiedSigV4, sigv4_canonical_request, sigv4_signature, sigv4_string_to_sign,
    verify_sigv4,
};

/// `time` moved by `offset_ms` (negative: back): the clock to sign with when a provider's clock
/// differs from ours, or the skewed clock a fake provider checks signatures against.
pub fn shifted(time: std::time::SystemTime, offset_ms: i64) -> std::time::SystemTime {
    let by = std::time::Duration::from_millis(offset_ms.unsigned_abs());
    if offset_ms >= 0 {
        time + by
    } else {
        time.checked_sub(by).unwrap_or(time)
    }
}

/// One HTTP request to sign: what the proxy is about to send.
#[derive(Debug, Clone, Copy)]
pub struct RequestToSign<'a> {
    /// The HTTP method, upper case (`GET`, `POST`).
    pub method: &'a str,
    /// The full URL, `https://host/path?query`, already percent-encoded.
    pub url: &'a str,
    /// Headers the request will carry (names in any case).
    pub headers: &'a [(String, String)],
    /// The exact body bytes.
    pub body: &'a [u8],
}

/// A signed request as a verifier received it.
#[derive(Debug, Clone, Copy)]
pub struct ReceivedRequest<'a> {
    /// The HTTP method, upper case.
    pub method: &'a str,
    /// The request target as received, `path?query`, still percent-encoded.
    pub path_and_query: &'a str,
    /// Every header received (names in any case).
    pub headers: &'a [(String, String)],
    /// The exact body bytes.
    pub body: &'a [u8],
}

/// The verifier's clock: a signature's date may be at most `max_skew` from `now`, either way.
#[derive(Debug, Clone, Copy)]
pub struct VerifyClock {
    pub now: std::time::SystemTime,
    pub max_skew: std::time::Duration,
}

/// Why a request could not be signed. No variant carries a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SigningError {
    #[error("invalid url to sign: {0:?}")]
    InvalidUrl(String),
    #[error("invalid header to sign: {0:?}")]
    InvalidHeader(String),
    #[error("sigv4 signing failed: {0}")]
    SigV4(String),
    #[error("time before 1970 cannot be signed")]
    TimeBeforeEpoch,
    #[error("no private key in pem (expected \"RSA PRIVATE KEY\" or \"PRIVATE KEY\")")]
    NoPrivateKeyInPem,
    #[error("private key rejected: {0}")]
    KeyRejected(String),
    #[error("rsa signing failed")]
    RsaSigning,
}

/// The value of the first header named `name` (case-insensitive).
pub(crate) fn header_value<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// SHA-256 of `data`.
pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(data).into()
}

/// Host and `path?query` of an absolute URL; the host keeps a non-default port.
pub(crate) fn split_url(url: &str) -> Result<(String, String), SigningError> {
    let uri: http::Uri = url
        .parse()
        .map_err(|_| SigningError::InvalidUrl(url.to_owned()))?;
    let authority = uri
        .authority()
        .ok_or_else(|| SigningError::InvalidUrl(url.to_owned()))?;
    let default_port = match uri.scheme_str() {
        Some("https") => Some(443),
        Some("http") => Some(80),
        _ => None,
    };
    let host = match authority.port_u16() {
        Some(port) if Some(port) != default_port => format!("{}:{port}", authority.host()),
        _ => authority.host().to_owned(),
    };
    let path_and_query = uri
        .path_and_query()
        .map(|pq| pq.as_str().to_owned())
        .unwrap_or_else(|| "/".to_owned());
    let path_and_query = if path_and_query.is_empty() {
        "/".to_owned()
    } else {
        path_and_query
    };
    Ok((host, path_and_query))
}
