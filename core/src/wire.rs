//! The wire layer, without I/O: what to send for a request, and how to read
//! what came back, for every service.
//!
//! Callers (the proxy with reqwest, the console with gloo-net, a test with a
//! plain `Vec<u8>`) do the I/O; this module only builds and parses bytes.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::catalogue::{Method, Provider};
use crate::validate::ReportedFieldError;

/// An HTTP request to send to a service's endpoint, unsigned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: Method,
    /// Path and query relative to the endpoint, starting with `/`, already
    /// percent-encoded.
    pub path_and_query: String,
    /// Headers the protocol needs (`content-type`, `x-amz-target`,
    /// `opc-retry-token`); lowercase names.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

pub use crate::base::header;

/// An error answered by a provider, or by the proxy in the provider's shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderError {
    pub status: u16,
    /// `DirectConnectClientException`, `ValidationException`, `NotAuthorizedOrNotFound`...
    pub code: String,
    pub message: String,
    pub request_id: Option<String>,
    /// Field errors when the proxy refused the request itself.
    pub field_errors: Vec<ReportedFieldError>,
}

impl std::fmt::Display for ProviderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.status, self.message)?;
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for ProviderError {}

/// The first string member present among `names`, read from a JSON object;
/// providers spell the same member several ways (`__type`/`code`,
/// `message`/`Message`), sometimes twice in one body.
fn member(body: &serde_json::Value, names: &[&str]) -> Option<String> {
    names
        .iter()
        .find_map(|n| body.get(n).and_then(|v| v.as_str()).map(str::to_owned))
}

fn reported_field_errors(body: &serde_json::Value) -> Vec<ReportedFieldError> {
    body.get("fieldErrors")
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default()
}

/// The bare error name from any of AWS's spellings:
/// `DirectConnectClientException`,
/// `com.amazonaws.directconnect#DirectConnectClientException`,
/// `ValidationException:http://internal.amazon.com/coral/...`.
pub fn aws_error_code(raw: &str) -> &str {
    let after_hash = raw.rsplit('#').next().unwrap_or(raw);
    after_hash.split(':').next().unwrap_or(after_hash).trim()
}

/// The headers, lowercase and in the order looked at, that carry a provider's request id.
pub fn request_id_headers(provider: Provider) -> &'static [&'static str] {
    match provider {
        Provider::Oci => &["opc-request-id"],
        Provider::Aws | Provider::Outscale => &["x-amzn-requestid", "x-amz-request-id"],
    }
}

/// The request id a provider's answer carries.
pub fn request_id(provider: Provider, headers: &[(String, String)]) -> Option<String> {
    request_id_headers(provider)
        .iter()
        .find_map(|n| header(headers, n))
        .map(str::to_owned)
}

/// Reads an error answer (any status >= 300) into a [`ProviderError`].
pub fn parse_error(
    provider: Provider,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> ProviderError {
    let request_id = request_id(provider, headers);
    match provider {
        Provider::Oci => {
            let parsed: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
            ProviderError {
                status,
                code: member(&parsed, &["code"]).unwrap_or_else(|| fallback_code(status)),
                message: member(&parsed, &["message"]).unwrap_or_else(|| fallback_message(body)),
                request_id,
                field_errors: reported_field_errors(&parsed),
            }
        }
        Provider::Aws | Provider::Outscale => {
            let parsed: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
            let code = header(headers, "x-amzn-errortype")
                .map(aws_error_code)
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .or_else(|| {
                    member(&parsed, &["__type", "code", "Code"])
                        .map(|t| aws_error_code(&t).to_owned())
                })
                .unwrap_or_else(|| fallback_code(status));
            ProviderError {
                status,
                code,
                message: member(&parsed, &["message", "Message", "errorMessage"])
                    .unwrap_or_else(|| fallback_message(body)),
                request_id,
                field_errors: reported_field_errors(&parsed),
            }
        }
    }
}

fn fallback_code(status: u16) -> String {
    format!("Http{status}")
}

fn fallback_message(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text: String = text.chars().take(200).collect();
    if text.trim().is_empty() {
        "no error message in the response".to_owned()
    } else {
        text
    }
}

/// Reads an answer: the typed result for a 2xx status, else the provider's error.
pub fn parse_response<T: DeserializeOwned>(
    provider: Provider,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<T, ProviderError> {
    if !(200..300).contains(&status) {
        return Err(parse_error(provider, status, headers, body));
    }
    // An empty body (OCI's DELETE answers 204) reads as `null`.
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        body
    };
    serde_json::from_slice(body).map_err(|e| ProviderError {
        status,
        code: "InvalidResponse".to_owned(),
        message: format!("could not read the response: {e}"),
        request_id: request_id(provider, headers),
        field_errors: Vec::new(),
    })
}
