//! AWS Outposts server connections: `StartConnection` and `GetConnection`
//! (restJson1, PascalCase members, API version 2019-12-03).
//!
//! These two calls set up the WireGuard tunnel an Outpost server uses during
//! installation. Limits and patterns follow botocore's model of the service
//! (`outposts-2019-12-03`), which is newer than the API reference page where
//! the two differ.

use serde::{Deserialize, Serialize};

use crate::base::{CallError, IncomingCall, json_body, path_with_id};
use crate::catalogue::{self, APPLICATION_JSON, Operation, OperationInfo, Service};
use crate::contract::CONTENT_TYPE;
use crate::rules;
use crate::validate::{Errors, Rule, ValidationErrors};
use crate::wire::HttpRequest;

/// `AssetId` and `DeviceSerialNumber`: 1 to 100 characters of `\w`.
pub const WORD_ID_MAX: usize = 100;
/// `WireGuardPublicKey`: exactly 44 characters.
pub const WIREGUARD_KEY_LENGTH: usize = 44;
/// `NetworkInterfaceDeviceIndex`: the model's range, 0 to 1.
pub const INTERFACE_INDEX_MIN: i64 = 0;
pub const INTERFACE_INDEX_MAX: i64 = 1;
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
        if let Some(v) = errors.present("AssetId", self.asset_id.as_deref()) {
            check_word_id(&mut errors, "AssetId", v);
        }
        // The API reference page marks DeviceSerialNumber required; botocore's
        // newer model (`required: [AssetId, ClientPublicKey,
        // NetworkInterfaceDeviceIndex]`) does not, and boto3 sends calls
        // without it. We follow the model. When present it must be valid.
        if let Some(v) = self.device_serial_number.as_deref() {
            check_word_id(&mut errors, "DeviceSerialNumber", v);
        }
        errors.required(
            "ClientPublicKey",
            self.client_public_key.as_deref(),
            wireguard_key,
        );
        match self.network_interface_device_index {
            None => errors.add("NetworkInterfaceDeviceIndex", Rule::Required),
            Some(v) => errors.check(
                "NetworkInterfaceDeviceIndex",
                rules::range(v, INTERFACE_INDEX_MIN, INTERFACE_INDEX_MAX),
            ),
        }
        errors.into_result()
    }
}

/// `GET /connections/{ConnectionId}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GetConnectionRequest {
    #[serde(rename = "ConnectionId")]
    pub connection_id: String,
}

impl GetConnectionRequest {
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = Errors::new();
        errors.required("ConnectionId", Some(&self.connection_id), connection_id);
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

impl OutpostsRequest {
    /// `POST /connections` with a JSON body, or `GET /connections/{id}`,
    /// routed by the catalogue.
    ///
    /// The path is already percent-decoded, and a `ConnectionId` may hold a
    /// `/`, so everything after `/connections/` is the id.
    pub fn from_call(call: &IncomingCall<'_>) -> Result<Self, CallError> {
        let (info, id) = catalogue::by_route(Service::Outposts, call.method, call.path)
            .ok_or_else(|| call.not_forwarded())?;
        let request = match (info.operation, id) {
            (Operation::StartConnection, None) => {
                OutpostsRequest::StartConnection(json_body(call.body)?)
            }
            (Operation::GetConnection, Some(connection_id)) => {
                call.expect_no_body(info.operation)?;
                OutpostsRequest::GetConnection(GetConnectionRequest { connection_id })
            }
            _ => return Err(call.not_forwarded()),
        };
        call.expect_no_query(info.operation)?;
        Ok(request)
    }

    pub fn operation(&self) -> Operation {
        self.info().operation
    }

    /// This request's catalogue row.
    pub fn info(&self) -> OperationInfo {
        match self {
            OutpostsRequest::StartConnection(_) => catalogue::START_CONNECTION,
            OutpostsRequest::GetConnection(_) => catalogue::GET_CONNECTION,
        }
    }

    pub fn validate(&self) -> Result<(), ValidationErrors> {
        match self {
            OutpostsRequest::StartConnection(r) => r.validate(),
            OutpostsRequest::GetConnection(r) => r.validate(),
        }
    }

    /// The request to send, re-serialized from the typed model, with method
    /// and path from the catalogue row.
    pub fn to_http(&self) -> HttpRequest {
        let info = self.info();
        let (path_and_query, headers, body) = match self {
            OutpostsRequest::StartConnection(r) => (
                info.path.to_owned(),
                vec![(CONTENT_TYPE.to_owned(), APPLICATION_JSON.to_owned())],
                serde_json::to_vec(r).unwrap_or_default(),
            ),
            OutpostsRequest::GetConnection(r) => (
                path_with_id(&info, &r.connection_id),
                Vec::new(),
                Vec::new(),
            ),
        };
        HttpRequest {
            method: info.method,
            path_and_query,
            headers,
            body,
        }
    }
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
