//! Errors the proxy answers itself, in the shape each provider's SDKs parse.
//!
//! Handlers return [`ProxyError`]; it becomes a response only here, at the
//! edge. Messages never carry a secret: they are built from field paths, rule
//! descriptions and fixed text, never from request values.

use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use cloudlink_core::validate::ReportedFieldError;
use cloudlink_core::{CallError, Service};
use serde_json::json;

/// What went wrong, before it is shaped for a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// Bad body, path or query, or failed validation (400).
    BadRequest,
    /// No or bad token or session (401).
    Unauthenticated,
    /// Operation not forwarded, read-only mode, or a failed same-origin check (403).
    Forbidden,
    /// Nothing at this route (404).
    NotFound,
    /// Body over 64 KiB (413).
    TooLarge,
    /// No credentials for the provider or profile (400 with a clear message).
    NotConfigured,
    /// Upstream unreachable or answered garbage (502).
    BadGateway,
    /// Upstream too slow (504).
    GatewayTimeout,
    /// Too many calls in flight (503 with `Retry-After`).
    Overloaded,
}

impl ErrorKind {
    pub fn status(&self) -> StatusCode {
        match self {
            ErrorKind::BadRequest | ErrorKind::NotConfigured => StatusCode::BAD_REQUEST,
            ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
            ErrorKind::Forbidden => StatusCode::FORBIDDEN,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::BadGateway => StatusCode::BAD_GATEWAY,
            ErrorKind::GatewayTimeout => StatusCode::GATEWAY_TIMEOUT,
            ErrorKind::Overloaded => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The `reason` label of `cloudlink_refusals_total`, for what the proxy
    /// refused itself; `None` for upstream failures.
    pub fn refusal_reason(&self) -> Option<&'static str> {
        match self {
            ErrorKind::BadRequest => Some("validation"),
            ErrorKind::Unauthenticated => Some("auth"),
            ErrorKind::Forbidden => Some("forbidden"),
            ErrorKind::NotFound => Some("not_found"),
            ErrorKind::TooLarge | ErrorKind::Overloaded => Some("limits"),
            ErrorKind::NotConfigured => Some("not_configured"),
            ErrorKind::BadGateway | ErrorKind::GatewayTimeout => None,
        }
    }
}

/// Seconds a client is asked to wait after a 503 for too many calls.
pub const OVERLOAD_RETRY_AFTER: &str = "1";

/// An error of the proxy itself, for one service (or none, for routes that
/// belong to no service).
#[derive(Debug, Clone)]
pub struct ProxyError {
    pub service: Option<Service>,
    pub kind: ErrorKind,
    pub message: String,
    pub field_errors: Vec<ReportedFieldError>,
}

impl ProxyError {
    pub fn new(service: Option<Service>, kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            service,
            kind,
            message: message.into(),
            field_errors: Vec::new(),
        }
    }

    pub fn from_call(service: Service, error: CallError) -> Self {
        match error {
            CallError::NotForwarded(what) => ProxyError::new(
                Some(service),
                ErrorKind::Forbidden,
                format!("operation not forwarded by cloudlink: {what}"),
            ),
            CallError::Malformed(why) => ProxyError::new(Some(service), ErrorKind::BadRequest, why),
            CallError::Invalid(errors) => ProxyError {
                service: Some(service),
                kind: ErrorKind::BadRequest,
                message: errors.summary(),
                field_errors: errors
                    .errors()
                    .iter()
                    .map(ReportedFieldError::from)
                    .collect(),
            },
        }
    }

    /// The error code the provider's SDK will see.
    pub fn code(&self) -> &'static str {
        match self.service {
            Some(Service::DirectConnect | Service::DirectLink) => match self.kind {
                ErrorKind::Overloaded => "DirectConnectServerException",
                _ => "DirectConnectClientException",
            },
            Some(Service::Outposts) => match self.kind {
                ErrorKind::Unauthenticated | ErrorKind::Forbidden => "AccessDeniedException",
                ErrorKind::NotFound => "NotFoundException",
                ErrorKind::BadGateway | ErrorKind::GatewayTimeout => "InternalServerException",
                ErrorKind::Overloaded => "ServiceUnavailableException",
                _ => "ValidationException",
            },
            Some(Service::OciCore) | None => match self.kind {
                ErrorKind::BadRequest | ErrorKind::NotConfigured => "InvalidParameter",
                ErrorKind::Unauthenticated => "NotAuthenticated",
                ErrorKind::Forbidden => "NotAllowed",
                ErrorKind::NotFound => "NotAuthorizedOrNotFound",
                ErrorKind::TooLarge => "RequestEntityTooLarge",
                ErrorKind::BadGateway => "BadGateway",
                ErrorKind::GatewayTimeout => "GatewayTimeout",
                ErrorKind::Overloaded => "ServiceUnavailable",
            },
        }
    }
}

impl std::fmt::Display for ProxyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code(), self.message)
    }
}

impl IntoResponse for ProxyError {
    fn into_response(self) -> Response {
        let code = self.code();
        let status = self.kind.status();
        let request_id = crate::auth::random_hex(16);
        let (body, aws) = match self.service {
            Some(Service::DirectConnect | Service::DirectLink) => (
                json!({"__type": code, "message": self.message, "fieldErrors": self.field_errors}),
                true,
            ),
            Some(Service::Outposts) => (
                json!({"message": self.message, "fieldErrors": self.field_errors}),
                true,
            ),
            Some(Service::OciCore) | None => (
                json!({"code": code, "message": self.message, "fieldErrors": self.field_errors}),
                false,
            ),
        };
        let mut response = (status, axum::Json(body)).into_response();
        let headers = response.headers_mut();
        if self.kind == ErrorKind::Overloaded {
            headers.insert(
                axum::http::header::RETRY_AFTER,
                HeaderValue::from_static(OVERLOAD_RETRY_AFTER),
            );
        }
        if aws {
            headers.insert(
                HeaderName::from_static("x-amzn-errortype"),
                HeaderValue::from_static(code),
            );
            if let Ok(v) = HeaderValue::from_str(&request_id) {
                headers.insert(HeaderName::from_static("x-amzn-requestid"), v);
            }
        } else if let Ok(v) = HeaderValue::from_str(&request_id) {
            headers.insert(HeaderName::from_static("opc-request-id"), v);
        }
        response
    }
}
