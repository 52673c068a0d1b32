//! From an incoming call (service, method, path, query, headers, body) to a
//! typed, validated [`ApiRequest`], and from that back to the exact request to
//! send. This is the one path both the proxy and the console take.

use std::fmt;

use crate::catalogue::{self, Method, Operation, OperationInfo, Service};
use crate::directconnect::DxRequest;
use crate::oci::OciRequest;
use crate::outposts::OutpostsRequest;
use crate::validate::ValidationErrors;
use crate::wire::HttpRequest;

/// A call as received, relative to the service root of a region:
/// for `POST /api/aws/outposts/us-east-1/connections`, `path` is `/connections`.
#[derive(Debug, Clone, Copy)]
pub struct IncomingCall<'a> {
    pub service: Service,
    pub method: Method,
    /// Path after the region, starting with `/`, percent-decoded.
    pub path: &'a str,
    /// Raw query string without `?`.
    pub query: Option<&'a str>,
    /// Request headers; lowercase names are not required.
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

/// Why a call was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallError {
    /// Not an operation cloudlink forwards for that service (answered with 403).
    NotForwarded(String),
    /// The body, path or query could not be read (400).
    Malformed(String),
    /// Read, but some fields break the rules (400 with every field error).
    Invalid(ValidationErrors),
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallError::NotForwarded(what) => write!(f, "operation not forwarded: {what}"),
            CallError::Malformed(why) => write!(f, "malformed request: {why}"),
            CallError::Invalid(errors) => fmt::Display::fmt(errors, f),
        }
    }
}

impl std::error::Error for CallError {}

impl From<ValidationErrors> for CallError {
    fn from(e: ValidationErrors) -> Self {
        CallError::Invalid(e)
    }
}

/// Turns a JSON error into a message that never repeats a value from the
/// body (which may hold a secret such as a BGP `authKey`).
pub fn json_error(e: &serde_json::Error) -> CallError {
    let text = e.to_string();
    let keep = [
        "unknown field",
        "missing field",
        "duplicate field",
        "unknown variant",
    ];
    if keep.iter().any(|k| text.starts_with(k)) {
        let short = text.split(", expected").next().unwrap_or(&text);
        let short = short.split(" at line").next().unwrap_or(short);
        return CallError::Malformed(short.to_owned());
    }
    let what = match e.classify() {
        serde_json::error::Category::Syntax => "invalid JSON",
        serde_json::error::Category::Eof => "truncated JSON",
        serde_json::error::Category::Data => "a value of the wrong type",
        serde_json::error::Category::Io => "unreadable body",
    };
    CallError::Malformed(format!("{what} at line {} column {}", e.line(), e.column()))
}

/// A typed request to one of the four APIs.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiRequest {
    DirectConnect(DxRequest),
    DirectLink(DxRequest),
    Outposts(OutpostsRequest),
    Oci(OciRequest),
}

impl ApiRequest {
    /// Reads and validates a call. Only what this returns may be forwarded.
    pub fn parse(call: &IncomingCall<'_>) -> Result<ApiRequest, CallError> {
        let request = match call.service {
            Service::DirectConnect | Service::DirectLink => {
                if call.method != Method::Post || call.path != "/" {
                    return Err(CallError::NotForwarded(format!(
                        "{} {}",
                        call.method.as_str(),
                        call.path
                    )));
                }
                let target = crate::wire::header(call.headers, "x-amz-target").unwrap_or("");
                let info = catalogue::by_target(call.service, target).ok_or_else(|| {
                    CallError::NotForwarded(target.chars().take(100).collect::<String>())
                })?;
                let dx = DxRequest::from_json(info.operation, call.body)?;
                if call.service == Service::DirectConnect {
                    ApiRequest::DirectConnect(dx)
                } else {
                    ApiRequest::DirectLink(dx)
                }
            }
            Service::Outposts => ApiRequest::Outposts(OutpostsRequest::from_call(call)?),
            Service::OciCore => ApiRequest::Oci(OciRequest::from_call(call)?),
        };
        request.validate()?;
        Ok(request)
    }

    pub fn service(&self) -> Service {
        match self {
            ApiRequest::DirectConnect(_) => Service::DirectConnect,
            ApiRequest::DirectLink(_) => Service::DirectLink,
            ApiRequest::Outposts(_) => Service::Outposts,
            ApiRequest::Oci(_) => Service::OciCore,
        }
    }

    pub fn operation(&self) -> Operation {
        match self {
            ApiRequest::DirectConnect(r) | ApiRequest::DirectLink(r) => r.operation(),
            ApiRequest::Outposts(r) => r.operation(),
            ApiRequest::Oci(r) => r.operation(),
        }
    }

    /// The catalogue entry of this request's operation.
    pub fn info(&self) -> OperationInfo {
        catalogue::lookup(self.service(), self.operation())
            .expect("every typed request has a catalogue entry")
    }

    pub fn validate(&self) -> Result<(), ValidationErrors> {
        match self {
            ApiRequest::DirectConnect(r) => r.validate(crate::catalogue::Provider::Aws),
            ApiRequest::DirectLink(r) => r.validate(crate::catalogue::Provider::Outscale),
            ApiRequest::Outposts(r) => r.validate(),
            ApiRequest::Oci(r) => r.validate(),
        }
    }

    /// The exact request to send, re-serialized from the typed model.
    pub fn to_http(&self) -> HttpRequest {
        match self {
            ApiRequest::DirectConnect(r) | ApiRequest::DirectLink(r) => {
                let info = self.info();
                HttpRequest {
                    method: Method::Post,
                    path_and_query: "/".to_owned(),
                    headers: vec![
                        (
                            "content-type".to_owned(),
                            catalogue::AWS_JSON_1_1.to_owned(),
                        ),
                        (
                            "x-amz-target".to_owned(),
                            info.target.unwrap_or_default().to_owned(),
                        ),
                    ],
                    body: r.to_json(),
                }
            }
            ApiRequest::Outposts(r) => r.to_http(),
            ApiRequest::Oci(r) => r.to_http(),
        }
    }
}
