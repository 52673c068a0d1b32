//! AWS Outposts server connections: `StartConnection` and `GetConnection`
//! (restJson1, PascalCase members, API version 2019-12-03).
//!
//! These two calls set up the WireGuard tunnel an Outpost server uses during
//! installation. Limits and patterns follow botocore's model of the service
//! (`outposts-2019-12-03`), which is newer than the API reference page where
//! the two differ.

use serde::{Deserialize, Serialize};

use crate::call::{CallError, IncomingCall, json_error};
use crate::catalogue::{APPLICATION_JSON, Method, Operation};
use crate::oci::percent_encode;
use crate::rules;
use crate::validate::{Errors, Rule, ValidationErrors};
use crate::wire::HttpRequest;

/// `AssetId` and `DeviceSerialNumber`: 1 to 100 characters of `\w`.
pub const WORD_ID_MAX: usize = 100;
/// `WireGuardPublicKey`: exactly 44 characters.
pub const WIREGUARD_KEY_LENGTH: usize = 44;
/// `ConnectionId`: 1 to 1024 characters.
pub const CONNECTION_ID_MAX: usize = 1024;

const WORD_CHARS: &str = "letters, digits and underscores";
const CONNECTION_ID_CHARS: &str = "letters, digits, +, / and =";
const WIREGUARD_KEY_FORMAT: &str =
    "a WireGuard public key: 43 base64 characters (letters, digits, / or +) then =";

/// The body of `POST /connections`.
///
/// Every member is optional here so that a missing required member is
/// reported by [`StartConnectionRequest::validate`] as `is required`, with
/// the other broken fields, rather than as a parse error.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct StartConnectionRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_serial_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asset_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_public_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_interface_device_index: Option<i64>,
}

impl StartConnectionRequest {
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = Errors::new();
        match self.asset_id.as_deref() {
            None | Some("") => errors.add("AssetId", Rule::Required),
            Some(v) => check_word_id(&mut errors, "AssetId", v),
        }
        // The API reference page marks DeviceSerialNumber required; botocore's
        // newer model (`required: [AssetId, ClientPublicKey,
        // NetworkInterfaceDeviceIndex]`) does not, and boto3 sends calls
        // without it. We follow the model. When present it must be valid.
        if let Some(v) = self.device_serial_number.as_deref() {
            check_word_id(&mut errors, "DeviceSerialNumber", v);
        }
        match self.client_public_key.as_deref() {
            None | Some("") => errors.add("ClientPublicKey", Rule::Required),
            Some(v) => errors.check("ClientPublicKey", wireguard_key(v)),
        }
        match self.network_interface_device_index {
            None => errors.add("NetworkInterfaceDeviceIndex", Rule::Required),
            Some(v) => errors.check("NetworkInterfaceDeviceIndex", rules::range(v, 0, 1)),
        }
        errors.into_result()
    }
}

/// `GET /connections/{ConnectionId}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct GetConnectionRequest {
    #[serde(rename = "ConnectionId")]
    pub connection_id: String,
}

impl GetConnectionRequest {
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = Errors::new();
        if self.connection_id.is_empty() {
            errors.add("ConnectionId", Rule::Required);
        } else {
            errors.check("ConnectionId", connection_id(&self.connection_id));
        }
        errors.into_result()
    }
}

/// The answer to `StartConnection`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StartConnectionResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub underlay_ip_address: Option<String>,
}

/// The answer to `GetConnection`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetConnectionResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_details: Option<ConnectionDetails>,
}

/// The WireGuard tunnel of a connection.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConnectionDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_public_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_public_key: Option<String>,
    /// `a.b.c.d:port`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_endpoint: Option<String>,
    /// A CIDR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_tunnel_address: Option<String>,
    /// A CIDR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_tunnel_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_ips: Option<Vec<String>>,
}

/// A typed Outposts request.
#[derive(Debug, Clone, PartialEq)]
pub enum OutpostsRequest {
    StartConnection(StartConnectionRequest),
    GetConnection(GetConnectionRequest),
}

const CONNECTIONS: &str = "/connections";

impl OutpostsRequest {
    /// `POST /connections` with a JSON body, or `GET /connections/{id}`.
    ///
    /// The path is already percent-decoded, and a `ConnectionId` may hold a
    /// `/`, so everything after `/connections/` is the id.
    pub fn from_call(call: &IncomingCall<'_>) -> Result<Self, CallError> {
        let not_forwarded =
            || CallError::NotForwarded(format!("{} {}", call.method.as_str(), cut(call.path)));
        let request = match call.method {
            Method::Post if call.path == CONNECTIONS => {
                let body: StartConnectionRequest =
                    serde_json::from_slice(call.body).map_err(|e| json_error(&e))?;
                OutpostsRequest::StartConnection(body)
            }
            Method::Get => {
                let id = call
                    .path
                    .strip_prefix(CONNECTIONS)
                    .and_then(|rest| rest.strip_prefix('/'))
                    .ok_or_else(not_forwarded)?;
                if !call.body.iter().all(u8::is_ascii_whitespace) {
                    return Err(CallError::Malformed(
                        "GetConnection takes no body".to_owned(),
                    ));
                }
                OutpostsRequest::GetConnection(GetConnectionRequest {
                    connection_id: id.to_owned(),
                })
            }
            _ => return Err(not_forwarded()),
        };
        if call.query.is_some_and(|q| !q.is_empty()) {
            return Err(CallError::Malformed(format!(
                "{} takes no query parameters",
                request.operation()
            )));
        }
        Ok(request)
    }

    pub fn operation(&self) -> Operation {
        match self {
            OutpostsRequest::StartConnection(_) => Operation::StartConnection,
            OutpostsRequest::GetConnection(_) => Operation::GetConnection,
        }
    }

    pub fn validate(&self) -> Result<(), ValidationErrors> {
        match self {
            OutpostsRequest::StartConnection(r) => r.validate(),
            OutpostsRequest::GetConnection(r) => r.validate(),
        }
    }

    /// The request to send, re-serialized from the typed model.
    pub fn to_http(&self) -> HttpRequest {
        match self {
            OutpostsRequest::StartConnection(r) => HttpRequest {
                method: Method::Post,
                path_and_query: CONNECTIONS.to_owned(),
                headers: vec![("content-type".to_owned(), APPLICATION_JSON.to_owned())],
                body: serde_json::to_vec(r).unwrap_or_default(),
            },
            OutpostsRequest::GetConnection(r) => HttpRequest {
                method: Method::Get,
                path_and_query: format!("{CONNECTIONS}/{}", percent_encode(&r.connection_id)),
                headers: Vec::new(),
                body: Vec::new(),
            },
        }
    }
}

fn cut(s: &str) -> String {
    s.chars().take(100).collect()
}

fn check_word_id(errors: &mut Errors, field: &str, value: &str) {
    errors.check(field, rules::length(value, 1, WORD_ID_MAX));
    errors.check(field, rules::charset(value, WORD_CHARS, rules::is_word));
}

/// The model's `WireGuardPublicKey`: `^[a-zA-Z0-9/+]{43}=$`, length 44.
pub fn wireguard_key(value: &str) -> Result<(), Rule> {
    let actual = value.chars().count();
    if actual != WIREGUARD_KEY_LENGTH {
        return Err(Rule::ExactLength {
            expected: WIREGUARD_KEY_LENGTH,
            actual,
        });
    }
    let body_ok = |body: &str| {
        body.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '/' || c == '+')
    };
    match value.strip_suffix('=') {
        Some(body) if body_ok(body) => Ok(()),
        _ => Err(Rule::Format {
            expected: WIREGUARD_KEY_FORMAT,
        }),
    }
}

/// The model's `ConnectionId`: `^[a-zA-Z0-9+/=]{1,1024}$`.
pub fn connection_id(value: &str) -> Result<(), Rule> {
    rules::length(value, 1, CONNECTION_ID_MAX)?;
    rules::charset(value, CONNECTION_ID_CHARS, |c| {
        c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=')
    })
}
