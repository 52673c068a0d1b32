//! From an incoming call (service, method, path, query, headers, body) to a
//! typed, validated [`ApiRequest`], and from that back to the exact request to
//! send. This is the one path both the proxy and the console take.

use std::fmt;

use crate::base::{header, json_body};
use crate::catalogue::{self, Method, Operation, OperationInfo, Service};
use crate::contract::{CONTENT_TYPE, X_AMZ_TARGET};
use crate::directconnect::DxRequest;
use crate::oci::{CreateInstanceConsoleConnectionRequest, OciRequest};
use crate::outposts::OutpostsRequest;
use crate::validate::ValidationErrors;
use crate::wire::HttpRequest;

pub use crate::base::{CallError, IncomingCall, json_error};

/// A typed request for an operation its service does not have (DirectLink
/// has no tagging calls): it cannot be sent, and nothing is built for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotInCatalogue {
    pub service: Service,
    pub operation: Operation,
}

impl fmt::Display for NotInCatalogue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} has no {} operation", self.service, self.operation)
    }
}

impl std::error::Error for NotInCatalogue {}

impl From<NotInCatalogue> for CallError {
    fn from(e: NotInCatalogue) -> Self {
        CallError::NotForwarded(e.to_string())
    }
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
                    return Err(call.not_forwarded());
                }
                let target = header(call.headers, X_AMZ_TARGET).unwrap_or("");
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

    /// Reads an operation's input as one JSON object, its members named as
    /// the API's SDKs name them: a Direct Connect body as it is, Outposts'
    /// `ConnectionId`, OCI's `compartmentId`, `limit`, `instanceConsoleConnectionId`
    /// or `ifMatch` beside the create details. For tools that check requests
    /// without an HTTP call; nothing is validated yet (see [`ApiRequest::validate`]).
    pub fn from_input_json(
        service: Service,
        operation: Operation,
        json: &[u8],
    ) -> Result<ApiRequest, CallError> {
        let info =
            catalogue::lookup(service, operation).ok_or(NotInCatalogue { service, operation })?;
        Ok(match info.service {
            Service::DirectConnect => {
                ApiRequest::DirectConnect(DxRequest::from_json(operation, json)?)
            }
            Service::DirectLink => ApiRequest::DirectLink(DxRequest::from_json(operation, json)?),
            Service::Outposts => ApiRequest::Outposts(match operation {
                Operation::GetConnection => OutpostsRequest::GetConnection(json_body(json)?),
                _ => OutpostsRequest::StartConnection(json_body(json)?),
            }),
            Service::OciCore => ApiRequest::Oci(match operation {
                Operation::ListInstanceConsoleConnections => OciRequest::List(json_body(json)?),
                Operation::GetInstanceConsoleConnection => OciRequest::Get(json_body(json)?),
                Operation::DeleteInstanceConsoleConnection => OciRequest::Delete(json_body(json)?),
                _ => OciRequest::Create(CreateInstanceConsoleConnectionRequest {
                    details: json_body(json)?,
                    retry_token: None,
                }),
            }),
        })
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

    /// The catalogue row of this request's operation; an error for an
    /// operation its service does not have.
    pub fn info(&self) -> Result<OperationInfo, NotInCatalogue> {
        let (service, operation) = (self.service(), self.operation());
        catalogue::lookup(service, operation).ok_or(NotInCatalogue { service, operation })
    }

    pub fn validate(&self) -> Result<(), ValidationErrors> {
        match self {
            ApiRequest::DirectConnect(r) => r.validate(crate::catalogue::Provider::Aws),
            ApiRequest::DirectLink(r) => r.validate(crate::catalogue::Provider::Outscale),
            ApiRequest::Outposts(r) => r.validate(),
            ApiRequest::Oci(r) => r.validate(),
        }
    }

    /// The exact request to send, re-serialized from the typed model, with
    /// method and path from the catalogue row. An operation its service does
    /// not have builds nothing.
    pub fn to_http(&self) -> Result<HttpRequest, NotInCatalogue> {
        let info = self.info()?;
        Ok(match self {
            ApiRequest::DirectConnect(r) | ApiRequest::DirectLink(r) => HttpRequest {
                method: info.method,
                path_and_query: info.path.to_owned(),
                headers: vec![
                    (CONTENT_TYPE.to_owned(), catalogue::AWS_JSON_1_1.to_owned()),
                    (
                        X_AMZ_TARGET.to_owned(),
                        info.target.unwrap_or_default().to_owned(),
                    ),
                ],
                body: r.to_json(),
            },
            ApiRequest::Outposts(r) => r.to_http(),
            ApiRequest::Oci(r) => r.to_http(),
        })
    }
}
