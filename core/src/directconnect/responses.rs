//! What the ten operations answer. Every field is optional and `null` is
//! accepted (OUTSCALE answers `null` for the AWS fields it does not support);
//! unknown fields are ignored and unknown states kept, so a console keeps
//! working when a provider adds something.

use serde::{Deserialize, Deserializer, Serialize};

use super::{AddressFamily, Secret, Tag};

crate::open_enum! {
    /// The state of a connection (model `ConnectionState`).
    pub enum ConnectionState {
        Ordering => "ordering",
        Requested => "requested",
        Pending => "pending",
        Available => "available",
        Down => "down",
        Deleting => "deleting",
        Deleted => "deleted",
        Rejected => "rejected",
        ReportedUnknown => "unknown",
    }
}

impl ConnectionState {
    /// Whether the connection is moving to another state on its own, so the
    /// console should poll. `ordering` waits for the owner's decision, so it
    /// is not transitional.
    pub fn is_transitional(&self) -> bool {
        matches!(
            self,
            ConnectionState::Requested | ConnectionState::Pending | ConnectionState::Deleting
        )
    }
}

crate::open_enum! {
    /// The state of a virtual interface (model `VirtualInterfaceState`, plus
    /// `expired`, which OUTSCALE documents for allocations not confirmed
    /// within 7 days).
    pub enum VirtualInterfaceState {
        Confirming => "confirming",
        Verifying => "verifying",
        Pending => "pending",
        Available => "available",
        Down => "down",
        Testing => "testing",
        Deleting => "deleting",
        Deleted => "deleted",
        Rejected => "rejected",
        ReportedUnknown => "unknown",
        Expired => "expired",
    }
}

impl VirtualInterfaceState {
    /// Whether the interface is moving to another state on its own.
    /// `confirming` waits for the other account, `testing` for the user.
    pub fn is_transitional(&self) -> bool {
        matches!(
            self,
            VirtualInterfaceState::Verifying
                | VirtualInterfaceState::Pending
                | VirtualInterfaceState::Deleting
        )
    }
}

crate::open_enum! {
    /// The state of a virtual private gateway (as both providers document it;
    /// the model leaves it a plain string).
    pub enum VirtualGatewayState {
        Pending => "pending",
        Available => "available",
        Deleting => "deleting",
        Deleted => "deleted",
    }
}

impl VirtualGatewayState {
    pub fn is_transitional(&self) -> bool {
        matches!(
            self,
            VirtualGatewayState::Pending | VirtualGatewayState::Deleting
        )
    }
}

crate::open_enum! {
    /// Whether a connection supports a second BGP peer of one address family.
    pub enum HasLogicalRedundancy { ReportedUnknown => "unknown", Yes => "yes", No => "no" }
}

crate::open_enum! {
    /// Model `BGPPeerState`.
    pub enum BgpPeerState {
        Verifying => "verifying",
        Pending => "pending",
        Available => "available",
        Deleting => "deleting",
        Deleted => "deleted",
    }
}

crate::open_enum! {
    /// Model `BGPStatus`.
    pub enum BgpStatus { Up => "up", Down => "down", ReportedUnknown => "unknown" }
}

/// A point in time as each provider writes it: AWS JSON 1.1 sends epoch
/// seconds as a number, OUTSCALE a string. Kept as sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Timestamp {
    EpochSeconds(serde_json::Number),
    Text(String),
}

/// A list that may be sent as `null`: read as empty.
fn null_as_empty_list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// A MACsec key of a connection. `ckn` is kept as a [`Secret`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MacSecKey {
    #[serde(rename = "secretARN", default, skip_serializing_if = "Option::is_none")]
    pub secret_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ckn: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_on: Option<String>,
}

/// Model `RateLimiterStatus`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RateLimiterStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_use: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_allowed: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remaining: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_bandwidth: Option<String>,
}

/// A connection: the answer of CreateConnection and DeleteConnection, and an
/// item of DescribeConnections.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Connection {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_state: Option<ConnectionState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bandwidth: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vlan: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loa_issue_time: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lag_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_device: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jumbo_frame_capable: Option<bool>,
    #[serde(
        rename = "awsDeviceV2",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub aws_device_v2: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_logical_device_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_logical_redundancy: Option<HasLogicalRedundancy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac_sec_capable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port_encryption_status: Option<String>,
    /// `no_encrypt`, `should_encrypt` or `must_encrypt`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac_sec_keys: Option<Vec<MacSecKey>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_interconnect_mac_sec_capable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix_pool_size_ipv4: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix_pool_size_ipv6: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix_pool_unallocated_count_ipv4: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix_pool_unallocated_count_ipv6: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limiter_status: Option<RateLimiterStatus>,
    /// OUTSCALE only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// DescribeConnections' answer.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Connections {
    #[serde(default, deserialize_with = "null_as_empty_list")]
    pub connections: Vec<Connection>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    /// OUTSCALE only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// Model `AvailableBillingMode`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AvailableBillingMode {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_port_speeds: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub included_regions: Option<Vec<String>>,
}

/// A place where a connection can be made.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    /// The value for CreateConnection's `location`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_port_speeds: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_providers: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_mac_sec_port_speeds: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_billing_modes: Option<Vec<AvailableBillingMode>>,
}

/// DescribeLocations' answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Locations {
    #[serde(default, deserialize_with = "null_as_empty_list")]
    pub locations: Vec<Location>,
    /// OUTSCALE only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// A BGP peer of a virtual interface.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BgpPeer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bgp_peer_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asn: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asn_long: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_key: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_family: Option<AddressFamily>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amazon_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bgp_peer_state: Option<BgpPeerState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bgp_status: Option<BgpStatus>,
    #[serde(
        rename = "awsDeviceV2",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub aws_device_v2: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_logical_device_id: Option<String>,
}

/// Model `RouteFilterPrefix`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteFilterPrefix {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr: Option<String>,
}

/// A virtual interface: the answer of Allocate- and
/// CreatePrivateVirtualInterface, and an item of DescribeVirtualInterfaces.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VirtualInterface {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub virtual_interface_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub virtual_interface_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub virtual_interface_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vlan: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asn: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asn_long: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amazon_side_asn: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_key: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amazon_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_family: Option<AddressFamily>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub virtual_interface_state: Option<VirtualInterfaceState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_router_config: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mtu: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jumbo_frame_capable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub virtual_gateway_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct_connect_gateway_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route_filter_prefixes: Option<Vec<RouteFilterPrefix>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bgp_peers: Option<Vec<BgpPeer>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(
        rename = "awsDeviceV2",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub aws_device_v2: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_logical_device_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_link_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix_pool_allocated_count_ipv4: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix_pool_allocated_count_ipv6: Option<i64>,
    /// OUTSCALE only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// DescribeVirtualInterfaces' answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VirtualInterfaces {
    #[serde(default, deserialize_with = "null_as_empty_list")]
    pub virtual_interfaces: Vec<VirtualInterface>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    /// OUTSCALE only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// A virtual private gateway a private virtual interface can attach to.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VirtualGateway {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub virtual_gateway_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub virtual_gateway_state: Option<VirtualGatewayState>,
}

/// DescribeVirtualGateways' answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VirtualGateways {
    #[serde(default, deserialize_with = "null_as_empty_list")]
    pub virtual_gateways: Vec<VirtualGateway>,
    /// OUTSCALE only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// ConfirmPrivateVirtualInterface's answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfirmPrivateVirtualInterfaceResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub virtual_interface_state: Option<VirtualInterfaceState>,
    /// OUTSCALE only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// DeleteVirtualInterface's answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteVirtualInterfaceResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub virtual_interface_state: Option<VirtualInterfaceState>,
    /// OUTSCALE only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}
