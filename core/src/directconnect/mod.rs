//! AWS Direct Connect and OUTSCALE DirectLink: typed requests and responses
//! for the operations cloudlink forwards (ten on both, and AWS's three tagging calls), in AWS JSON 1.1 with the APIs'
//! camelCase names, and their validation per provider.
//!
//! OUTSCALE's DirectLink copies Direct Connect's wire format but accepts a
//! different subset of fields with different limits, so both providers share
//! one set of structs holding the union of their fields, and
//! [`DxRequest::validate`] applies one provider's rules: a field only the other
//! provider knows is reported as [`crate::Rule::NotSupported`].
//!
//! Requests are strict (unknown fields are refused, so nothing unvalidated is
//! forwarded) but never fail to parse for a missing required field or an
//! out-of-range number: those are validation errors, reported together with
//! every other invalid field. Responses are tolerant: every field optional,
//! `null` accepted, unknown fields ignored, unknown states kept.

mod checks;
mod health;
mod requests;
mod responses;
mod tagging;

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::base::{CallError, json_body as parse};
use crate::catalogue::{Operation, Provider};
use crate::validate::ValidationErrors;

pub use checks::{
    AWS_ASN_MAX, AWS_ASN_MIN, AWS_AUTH_KEY_MAX, AWS_AUTH_KEY_MIN, AWS_DEDICATED_BANDWIDTHS,
    AWS_LONG_ASN_MAX, AWS_MAX_TAGS, AWS_MTU_NAMES, AWS_MTUS, AWS_TAG_KEY_MAX, AWS_TAG_KEY_MIN,
    AWS_TAG_VALUE_MAX, AWS_TAG_VALUE_MIN, AWS_VIF_NAME_CHARS, AWS_VIF_NAME_MAX, AWS_VLAN_MAX,
    AWS_VLAN_MIN, OUTSCALE_BANDWIDTHS, OUTSCALE_PRIVATE_ASN_MAX, OUTSCALE_PRIVATE_ASN_MIN,
    OUTSCALE_VLAN_MAX, OUTSCALE_VLAN_MIN, is_tag_char,
};
pub use health::{
    BgpHealth, BgpMismatch, RedundancyHint, bgp_health, bgp_mismatch, is_deleted, redundancy_hints,
};
pub use requests::{
    AddressFamily, AllocatePrivateVirtualInterfaceRequest, BillingMode,
    ConfirmPrivateVirtualInterfaceRequest, CreateConnectionRequest,
    CreatePrivateVirtualInterfaceRequest, DeleteConnectionRequest, DeleteVirtualInterfaceRequest,
    DescribeConnectionsRequest, DescribeLocationsRequest, DescribeVirtualGatewaysRequest,
    DescribeVirtualInterfacesRequest, NewPrivateVirtualInterface,
    NewPrivateVirtualInterfaceAllocation,
};
pub use responses::{
    AvailableBillingMode, BgpPeer, BgpPeerState, BgpStatus, ConfirmPrivateVirtualInterfaceResponse,
    Connection, ConnectionState, Connections, DeleteVirtualInterfaceResponse, HasLogicalRedundancy,
    Location, Locations, MacSecKey, RateLimiterStatus, RouteFilterPrefix, Timestamp,
    VirtualGateway, VirtualGatewayState, VirtualGateways, VirtualInterface, VirtualInterfaceState,
    VirtualInterfaces,
};

pub use tagging::{
    ArnKind, DescribeTagsRequest, DescribeTagsResponse, ResourceArn, ResourceTag,
    TagResourceRequest, UntagResourceRequest, check_arn, partition, resource_arn,
};

/// A tag on a connection or virtual interface; requests and responses alike.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    /// Required; a missing key is a validation error, not a parse error.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// A secret string (a BGP `authKey`, a MACsec CKN): sent and received as a
/// plain JSON string, but never shown by `Debug` or `Display`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A typed Direct Connect / DirectLink request.
#[derive(Debug, Clone, PartialEq)]
pub enum DxRequest {
    CreateConnection(CreateConnectionRequest),
    DeleteConnection(DeleteConnectionRequest),
    DescribeConnections(DescribeConnectionsRequest),
    DescribeLocations(DescribeLocationsRequest),
    AllocatePrivateVirtualInterface(AllocatePrivateVirtualInterfaceRequest),
    ConfirmPrivateVirtualInterface(ConfirmPrivateVirtualInterfaceRequest),
    CreatePrivateVirtualInterface(CreatePrivateVirtualInterfaceRequest),
    DeleteVirtualInterface(DeleteVirtualInterfaceRequest),
    DescribeVirtualGateways(DescribeVirtualGatewaysRequest),
    DescribeVirtualInterfaces(DescribeVirtualInterfacesRequest),
    TagResource(TagResourceRequest),
    UntagResource(UntagResourceRequest),
    DescribeTags(DescribeTagsRequest),
}

impl DxRequest {
    /// Reads the JSON body of `operation`. An empty body is `{}`; unknown
    /// fields are refused; an operation of another service is not forwarded.
    pub fn from_json(operation: Operation, body: &[u8]) -> Result<DxRequest, CallError> {
        Ok(match operation {
            Operation::CreateConnection => DxRequest::CreateConnection(parse(body)?),
            Operation::DeleteConnection => DxRequest::DeleteConnection(parse(body)?),
            Operation::DescribeConnections => DxRequest::DescribeConnections(parse(body)?),
            Operation::DescribeLocations => DxRequest::DescribeLocations(parse(body)?),
            Operation::AllocatePrivateVirtualInterface => {
                DxRequest::AllocatePrivateVirtualInterface(parse(body)?)
            }
            Operation::ConfirmPrivateVirtualInterface => {
                DxRequest::ConfirmPrivateVirtualInterface(parse(body)?)
            }
            Operation::CreatePrivateVirtualInterface => {
                DxRequest::CreatePrivateVirtualInterface(parse(body)?)
            }
            Operation::DeleteVirtualInterface => DxRequest::DeleteVirtualInterface(parse(body)?),
            Operation::DescribeVirtualGateways => DxRequest::DescribeVirtualGateways(parse(body)?),
            Operation::DescribeVirtualInterfaces => {
                DxRequest::DescribeVirtualInterfaces(parse(body)?)
            }
            Operation::TagResource => DxRequest::TagResource(parse(body)?),
            Operation::UntagResource => DxRequest::UntagResource(parse(body)?),
            Operation::DescribeTags => DxRequest::DescribeTags(parse(body)?),
            Operation::StartConnection
            | Operation::GetConnection
            | Operation::CreateInstanceConsoleConnection
            | Operation::ListInstanceConsoleConnections
            | Operation::GetInstanceConsoleConnection
            | Operation::DeleteInstanceConsoleConnection => {
                return Err(CallError::NotForwarded(format!(
                    "{operation} is not a direct connect operation"
                )));
            }
        })
    }

    pub fn operation(&self) -> Operation {
        match self {
            DxRequest::CreateConnection(_) => Operation::CreateConnection,
            DxRequest::DeleteConnection(_) => Operation::DeleteConnection,
            DxRequest::DescribeConnections(_) => Operation::DescribeConnections,
            DxRequest::DescribeLocations(_) => Operation::DescribeLocations,
            DxRequest::AllocatePrivateVirtualInterface(_) => {
                Operation::AllocatePrivateVirtualInterface
            }
            DxRequest::ConfirmPrivateVirtualInterface(_) => {
                Operation::ConfirmPrivateVirtualInterface
            }
            DxRequest::CreatePrivateVirtualInterface(_) => Operation::CreatePrivateVirtualInterface,
            DxRequest::DeleteVirtualInterface(_) => Operation::DeleteVirtualInterface,
            DxRequest::DescribeVirtualGateways(_) => Operation::DescribeVirtualGateways,
            DxRequest::DescribeVirtualInterfaces(_) => Operation::DescribeVirtualInterfaces,
            DxRequest::TagResource(_) => Operation::TagResource,
            DxRequest::UntagResource(_) => Operation::UntagResource,
            DxRequest::DescribeTags(_) => Operation::DescribeTags,
        }
    }

    /// Checks every field against `provider`'s rules and reports every
    /// broken one. [`Provider::Oci`] has no Direct Connect API: every request
    /// is refused for it.
    pub fn validate(&self, provider: Provider) -> Result<(), ValidationErrors> {
        match self {
            DxRequest::CreateConnection(r) => r.validate(provider),
            DxRequest::DeleteConnection(r) => r.validate(provider),
            DxRequest::DescribeConnections(r) => r.validate(provider),
            DxRequest::DescribeLocations(r) => r.validate(provider),
            DxRequest::AllocatePrivateVirtualInterface(r) => r.validate(provider),
            DxRequest::ConfirmPrivateVirtualInterface(r) => r.validate(provider),
            DxRequest::CreatePrivateVirtualInterface(r) => r.validate(provider),
            DxRequest::DeleteVirtualInterface(r) => r.validate(provider),
            DxRequest::DescribeVirtualGateways(r) => r.validate(provider),
            DxRequest::DescribeVirtualInterfaces(r) => r.validate(provider),
            DxRequest::TagResource(r) => r.validate(provider),
            DxRequest::UntagResource(r) => r.validate(provider),
            DxRequest::DescribeTags(r) => r.validate(provider),
        }
    }

    /// The JSON body to send, re-serialized from the typed request.
    pub fn to_json(&self) -> Vec<u8> {
        let result = match self {
            DxRequest::CreateConnection(r) => serde_json::to_vec(r),
            DxRequest::DeleteConnection(r) => serde_json::to_vec(r),
            DxRequest::DescribeConnections(r) => serde_json::to_vec(r),
            DxRequest::DescribeLocations(r) => serde_json::to_vec(r),
            DxRequest::AllocatePrivateVirtualInterface(r) => serde_json::to_vec(r),
            DxRequest::ConfirmPrivateVirtualInterface(r) => serde_json::to_vec(r),
            DxRequest::CreatePrivateVirtualInterface(r) => serde_json::to_vec(r),
            DxRequest::DeleteVirtualInterface(r) => serde_json::to_vec(r),
            DxRequest::DescribeVirtualGateways(r) => serde_json::to_vec(r),
            DxRequest::DescribeVirtualInterfaces(r) => serde_json::to_vec(r),
            DxRequest::TagResource(r) => serde_json::to_vec(r),
            DxRequest::UntagResource(r) => serde_json::to_vec(r),
            DxRequest::DescribeTags(r) => serde_json::to_vec(r),
        };
        // Plain structs of strings, numbers and booleans always serialize.
        result.expect("a direct connect request serializes to JSON")
    }
}

/// `null` read as an empty string, so a required field sent as `null` is
/// reported as required instead of failing the whole parse.
pub(crate) fn null_as_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

/// Any JSON integer, even one outside `i64`: a number too large is kept as
/// `i64::MAX` (too small: `i64::MIN`) so that validation reports it out of
/// range. Numbers with a fraction are refused.
struct WideInt(i64);

impl<'de> Deserialize<'de> for WideInt {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = WideInt;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer")
            }

            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<WideInt, E> {
                Ok(WideInt(v))
            }

            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<WideInt, E> {
                Ok(WideInt(i64::try_from(v).unwrap_or(i64::MAX)))
            }

            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<WideInt, E> {
                if v.is_finite() && v.fract() == 0.0 {
                    // `as` saturates at the bounds of i64.
                    Ok(WideInt(v as i64))
                } else {
                    Err(E::invalid_type(serde::de::Unexpected::Float(v), &self))
                }
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// For `Option<i64>` fields: see [`WideInt`].
pub(crate) fn wide_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(Option::<WideInt>::deserialize(d)?.map(|w| w.0))
}
