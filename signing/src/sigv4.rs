//! AWS Signature Version 4 on the client side, done by the `aws-sigv4` crate.
//!
//! Signing is not hand-rolled: this module only turns our request into the crate's
//! `SignableRequest`, picks the settings botocore uses for our services, and returns the
//! headers to add.

use std::fmt;
use std::time::SystemTime;

use aws_sigv4::http_request::{
    PayloadChecksumKind, SignableBody, SignableRequest, SigningSettings, sign,
};
use aws_sigv4::sign::v4;

use super::{RequestToSign, SigningError};

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
const UNSIGNED_HEADERS: &[&str] = &[
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
    if time < SystemTime::UNIX_EPOCH {
        return Err(SigningError::TimeBeforeEpoch);
    }
    let identity = aws_credential_types::Credentials::new(
        &creds.access_key_id,
        &creds.secret_access_key,
        creds.session_token.clone(),
        None,
        "cloudlink",
    )
    .into();
    let mut settings = SigningSettings::default();
    settings.excluded_headers = Some(UNSIGNED_HEADERS.iter().map(|h| (*h).into()).collect());
    if service_signs_payload_header(service) {
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    }
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(time)
        .settings(settings)
        .build()
        .map_err(|e| SigningError::SigV4(e.to_string()))?
        .into();
    let replaced = ["x-amz-date", "x-amz-security-token", "x-amz-content-sha256"];
    let headers = req
        .headers
        .iter()
        .filter(|(name, _)| !replaced.iter().any(|r| name.eq_ignore_ascii_case(r)))
        .map(|(name, value)| (name.as_str(), value.as_str()));
    let signable =
        SignableRequest::new(req.method, req.url, headers, SignableBody::Bytes(req.body))
            .map_err(|e| SigningError::InvalidUrl(format!("{}: {e}", req.url)))?;
    let (instructions, _signature) = sign(signable, &params)
        .map_err(|e| SigningError::SigV4(e.to_string()))?
        .into_parts();
    let mut out: Vec<(String, String)> = instructions
        .headers()
        .map(|(name, value)| (name.to_ascii_lowercase(), value.to_owned()))
        .collect();
    out.sort();
    Ok(out)
}
