//! Answers in each provider's own wire shape: AWS JSON 1.1 (`__type`),
//! restJson1 (`x-amzn-ErrorType` and `message`), OCI (`code` and `message`),
//! each with the provider's request id header.

use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use cloudlink_core::{Provider, Service};

use super::ids;

/// A refusal, turned into the provider's error shape by [`Failure::into_response`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub status: u16,
    pub code: String,
    pub message: String,
}

impl Failure {
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        Failure {
            status,
            code: code.to_owned(),
            message: message.into(),
        }
    }

    /// Direct Connect / DirectLink's client error (400).
    pub fn dx(message: impl Into<String>) -> Self {
        Failure::new(400, "DirectConnectClientException", message)
    }

    /// OCI's 404 for anything missing or not allowed.
    pub fn oci_not_found() -> Self {
        Failure::new(
            404,
            "NotAuthorizedOrNotFound",
            "Authorization failed or requested resource not found.",
        )
    }

    pub fn into_response(self, service: Service) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        match service {
            Service::DirectConnect | Service::DirectLink => {
                let body = serde_json::json!({"__type": self.code, "message": self.message});
                with_headers(
                    service,
                    status,
                    body.to_string(),
                    &[("x-amzn-errortype", self.code.as_str())],
                )
            }
            Service::Outposts => {
                let body = serde_json::json!({"message": self.message});
                with_headers(
                    service,
                    status,
                    body.to_string(),
                    &[("x-amzn-errortype", self.code.as_str())],
                )
            }
            Service::OciCore => {
                let body = serde_json::json!({"code": self.code, "message": self.message});
                with_headers(service, status, body.to_string(), &[])
            }
        }
    }
}

/// A successful answer: status, JSON body (none for OCI's 204), OCI `etag`.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub status: u16,
    pub body: Option<serde_json::Value>,
    pub headers: Vec<(&'static str, String)>,
}

impl Answer {
    pub fn ok(body: serde_json::Value) -> Self {
        Answer {
            status: 200,
            body: Some(body),
            headers: Vec::new(),
        }
    }

    pub fn with_header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }

    pub fn into_response(self, service: Service) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::OK);
        let body = self.body.map(|b| b.to_string()).unwrap_or_default();
        let extra: Vec<(&str, &str)> = self.headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        with_headers(service, status, body, &extra)
    }
}

fn content_type(service: Service) -> &'static str {
    match service {
        Service::DirectConnect | Service::DirectLink => cloudlink_core::catalogue::AWS_JSON_1_1,
        Service::Outposts | Service::OciCore => cloudlink_core::catalogue::APPLICATION_JSON,
    }
}

fn with_headers(
    service: Service,
    status: StatusCode,
    body: String,
    extra: &[(&str, &str)],
) -> Response {
    let empty = body.is_empty();
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    if empty {
        headers.remove(axum::http::header::CONTENT_TYPE);
    } else {
        headers.insert(
            axum::http::header::CONTENT_TYPE,
            HeaderValue::from_static(content_type(service)),
        );
    }
    let (name, id) = match service.provider() {
        Provider::Oci => ("opc-request-id", ids::oci_request_id()),
        Provider::Aws | Provider::Outscale => ("x-amzn-requestid", ids::aws_request_id()),
    };
    if let Ok(v) = HeaderValue::from_str(&id) {
        headers.insert(HeaderName::from_static(name), v);
    }
    for (k, v) in extra {
        if let (Ok(k), Ok(v)) = (
            HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_str(v),
        ) {
            headers.insert(k, v);
        }
    }
    response
}
