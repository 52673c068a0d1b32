//! What Direct Connect and DirectLink answers say about a link's health, beyond its state.
//!
//! An interface reads `available` as soon as its VLAN is up, whatever its BGP sessions do, so a
//! link whose fibre is up while BGP is down looks healthy in a plain state column. And links
//! meant to back each other up often share a site or a device without anyone noticing until
//! both fail at once. These functions read the answers the console already has (nothing here
//! calls a provider) and say what a network engineer would want flagged, with the reason and
//! the ids of the rows concerned. They follow AWS's resiliency recommendations: separate
//! connections, on separate devices, in more than one location, for every gateway.

use std::collections::BTreeMap;

use super::responses::{
    BgpPeerState, BgpStatus, Connection, ConnectionState, HasLogicalRedundancy, VirtualInterface,
    VirtualInterfaceState,
};

/// The BGP sessions of one interface, taken together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BgpHealth {
    /// Every session is up.
    Up,
    /// Some sessions are up, some down (one address family or one peer lost).
    Partial { up: usize, down: usize },
    /// Every session is down.
    Down,
    /// No peer, or no peer reports a status.
    Unknown,
}

/// The BGP sessions of `vif`. Peers being deleted are not counted.
pub fn bgp_health(vif: &VirtualInterface) -> BgpHealth {
    let (mut up, mut down) = (0, 0);
    for peer in vif.bgp_peers.iter().flatten() {
        if matches!(
            peer.bgp_peer_state,
            Some(BgpPeerState::Deleting | BgpPeerState::Deleted)
        ) {
            continue;
        }
        match peer.bgp_status {
            Some(BgpStatus::Up) => up += 1,
            Some(BgpStatus::Down) => down += 1,
            _ => {}
        }
    }
    match (up, down) {
        (0, 0) => BgpHealth::Unknown,
        (_, 0) => BgpHealth::Up,
        (0, _) => BgpHealth::Down,
        (up, down) => BgpHealth::Partial { up, down },
    }
}

/// An interface whose state and BGP sessions disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BgpMismatch {
    /// `available`, but every BGP session is down: no route crosses the link.
    LinkUpBgpDown,
    /// `available`, but some BGP sessions are down: redundancy inside the link is lost.
    LinkUpBgpPartial,
    /// `down`, yet a BGP session reports up: the answer is stale or the state lags.
    LinkDownBgpUp,
}

impl BgpMismatch {
    /// Why it is flagged, in a short sentence.
    pub fn why(self) -> &'static str {
        match self {
            BgpMismatch::LinkUpBgpDown => "link up, BGP down: no routes cross this interface",
            BgpMismatch::LinkUpBgpPartial => "link up, some BGP sessions down",
            BgpMismatch::LinkDownBgpUp => "link down while BGP reports up",
        }
    }
}

/// The mismatch `vif` shows, if any.
pub fn bgp_mismatch(vif: &VirtualInterface) -> Option<BgpMismatch> {
    let health = bgp_health(vif);
    match (vif.virtual_interface_state.as_ref()?, health) {
        (VirtualInterfaceState::Available, BgpHealth::Down) => Some(BgpMismatch::LinkUpBgpDown),
        (VirtualInterfaceState::Available, BgpHealth::Partial { .. }) => {
            Some(BgpMismatch::LinkUpBgpPartial)
        }
        (VirtualInterfaceState::Down, BgpHealth::Up | BgpHealth::Partial { .. }) => {
            Some(BgpMismatch::LinkDownBgpUp)
        }
        _ => None,
    }
}

/// Whether `vif` is gone: `DescribeVirtualInterfaces` still lists interfaces deleted in the
/// last minutes, which the console labels and hides by default.
pub fn is_deleted(vif: &VirtualInterface) -> bool {
    matches!(
        vif.virtual_interface_state,
        Some(VirtualInterfaceState::Deleted)
    )
}

/// A reason to doubt that links meant to back each other up really do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedundancyHint {
    /// Several connections end on one AWS device: one device failure or maintenance takes
    /// them all down.
    SharedDevice {
        device: String,
        connections: Vec<String>,
    },
    /// Every connection serving a gateway ends at one location: one site outage cuts the
    /// gateway off.
    SharedLocation {
        gateway: String,
        location: String,
        connections: Vec<String>,
    },
    /// A gateway is reached through a single connection.
    SingleConnection { gateway: String, connection: String },
    /// The provider says the connection has no logical redundancy (no second BGP peer in the
    /// same address family is possible on it).
    NoLogicalRedundancy { connection: String },
}

impl RedundancyHint {
    /// The hint as a sentence.
    pub fn why(&self) -> String {
        match self {
            RedundancyHint::SharedDevice {
                device,
                connections,
            } => format!(
                "{} share AWS device {device}: one device failure takes them all down",
                connections.join(", ")
            ),
            RedundancyHint::SharedLocation {
                gateway,
                location,
                connections,
            } => format!(
                "every connection to {gateway} ({}) ends at {location}: one site outage cuts it off",
                connections.join(", ")
            ),
            RedundancyHint::SingleConnection {
                gateway,
                connection,
            } => format!("{gateway} is reached through {connection} only"),
            RedundancyHint::NoLogicalRedundancy { connection } => {
                format!("{connection} has no logical redundancy")
            }
        }
    }

    /// The ids of the rows the hint is about (connections first, then the gateway).
    pub fn ids(&self) -> Vec<&str> {
        match self {
            RedundancyHint::SharedDevice { connections, .. } => {
                connections.iter().map(String::as_str).collect()
            }
            RedundancyHint::SharedLocation {
                gateway,
                connections,
                ..
            } => connections
                .iter()
                .map(String::as_str)
                .chain([gateway.as_str()])
                .collect(),
            RedundancyHint::SingleConnection {
                gateway,
                connection,
            } => vec![connection, gateway],
            RedundancyHint::NoLogicalRedundancy { connection } => vec![connection],
        }
    }
}

/// Whether a connection still carries (or will carry) traffic.
fn in_service(c: &Connection) -> bool {
    !matches!(
        c.connection_state,
        Some(ConnectionState::Deleting | ConnectionState::Deleted | ConnectionState::Rejected)
    )
}

/// The device a connection ends on, scoped by region: `awsDeviceV2`, else the logical device,
/// else the older `awsDevice`.
fn device_of(c: &Connection) -> Option<String> {
    let device = c
        .aws_device_v2
        .as_ref()
        .or(c.aws_logical_device_id.as_ref())
        .or(c.aws_device.as_ref())
        .filter(|d| !d.is_empty())?;
    Some(match &c.region {
        Some(region) => format!("{device} ({region})"),
        None => device.clone(),
    })
}

/// Every redundancy hint for these connections and interfaces, which may come from several
/// regions and profiles (a Direct Connect gateway spans regions). Deleted connections and
/// interfaces do not count. The order is stable: by kind, then by name.
pub fn redundancy_hints(
    connections: &[Connection],
    interfaces: &[VirtualInterface],
) -> Vec<RedundancyHint> {
    let live: Vec<&Connection> = connections.iter().filter(|c| in_service(c)).collect();
    let mut hints = shared_devices(&live);
    hints.extend(gateway_hints(&live, interfaces));
    let without_logical_redundancy = live
        .iter()
        .filter(|c| matches!(c.has_logical_redundancy, Some(HasLogicalRedundancy::No)));
    hints.extend(
        without_logical_redundancy.map(|c| RedundancyHint::NoLogicalRedundancy {
            connection: c.connection_id.clone().unwrap_or_default(),
        }),
    );
    hints
}

fn shared_devices(live: &[&Connection]) -> Vec<RedundancyHint> {
    let mut by_device: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in live {
        if let (Some(device), Some(id)) = (device_of(c), &c.connection_id) {
            by_device.entry(device).or_default().push(id.clone());
        }
    }
    by_device
        .into_iter()
        .filter(|(_, ids)| ids.len() > 1)
        .map(|(device, mut connections)| {
            connections.sort();
            RedundancyHint::SharedDevice {
                device,
                connections,
            }
        })
        .collect()
}

/// Hints per gateway (virtual private gateway or Direct Connect gateway): reached through
/// one connection, or through several that all end at one location.
fn gateway_hints(live: &[&Connection], interfaces: &[VirtualInterface]) -> Vec<RedundancyHint> {
    let location_of = |id: &str| {
        live.iter()
            .find(|c| c.connection_id.as_deref() == Some(id))
            .map(|c| c.location.clone().unwrap_or_default())
    };
    let mut by_gateway: BTreeMap<&str, BTreeMap<&str, String>> = BTreeMap::new();
    for vif in interfaces.iter().filter(|v| !is_deleted(v)) {
        let gateway = vif
            .direct_connect_gateway_id
            .as_deref()
            .or(vif.virtual_gateway_id.as_deref())
            .filter(|g| !g.is_empty());
        let connection = vif.connection_id.as_deref();
        if let (Some(gateway), Some(connection)) = (gateway, connection)
            && let Some(location) = location_of(connection)
        {
            by_gateway
                .entry(gateway)
                .or_default()
                .insert(connection, location);
        }
    }
    by_gateway
        .into_iter()
        .filter_map(|(gateway, links)| gateway_hint(gateway, &links))
        .collect()
}

fn gateway_hint(gateway: &str, links: &BTreeMap<&str, String>) -> Option<RedundancyHint> {
    let mut ids = links.keys();
    let first = ids.next()?;
    if links.len() == 1 {
        return Some(RedundancyHint::SingleConnection {
            gateway: gateway.to_owned(),
            connection: (*first).to_owned(),
        });
    }
    let mut locations = links.values();
    let location = locations.next()?;
    (!location.is_empty() && locations.all(|l| l == location)).then(|| {
        RedundancyHint::SharedLocation {
            gateway: gateway.to_owned(),
            location: location.clone(),
            connections: links.keys().map(|k| (*k).to_owned()).collect(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn connection(id: &str, location: &str, device: &str) -> Connection {
        serde_json::from_value(json!({
            "connectionId": id, "location": location, "awsDeviceV2": device,
            "region": "us-east-1", "connectionState": "available"
        }))
        .unwrap()
    }

    fn vif(
        id: &str,
        connection: &str,
        gateway: &str,
        state: &str,
        peers: Value,
    ) -> VirtualInterface {
        serde_json::from_value(json!({
            "virtualInterfaceId": id, "connectionId": connection, "virtualGatewayId": gateway,
            "virtualInterfaceState": state, "bgpPeers": peers
        }))
        .unwrap()
    }

    fn peers(statuses: &[&str]) -> Value {
        statuses
            .iter()
            .map(|s| json!({"bgpStatus": s, "bgpPeerState": "available"}))
            .collect()
    }

    #[test]
    fn bgp_health_counts_live_sessions() {
        let up = vif("v", "c", "g", "available", peers(&["up", "up"]));
        assert_eq!(bgp_health(&up), BgpHealth::Up);
        assert_eq!(bgp_mismatch(&up), None);
        let down = vif("v", "c", "g", "available", peers(&["down"]));
        assert_eq!(bgp_health(&down), BgpHealth::Down);
        assert_eq!(bgp_mismatch(&down), Some(BgpMismatch::LinkUpBgpDown));
        let half = vif("v", "c", "g", "available", peers(&["up", "down"]));
        assert_eq!(bgp_health(&half), BgpHealth::Partial { up: 1, down: 1 });
        assert_eq!(bgp_mismatch(&half), Some(BgpMismatch::LinkUpBgpPartial));
        let stale = vif("v", "c", "g", "down", peers(&["up"]));
        assert_eq!(bgp_mismatch(&stale), Some(BgpMismatch::LinkDownBgpUp));
        let none = vif("v", "c", "g", "available", json!([]));
        assert_eq!(bgp_health(&none), BgpHealth::Unknown);
        assert_eq!(bgp_mismatch(&none), None, "no peer is not a mismatch");
        let going = vif(
            "v",
            "c",
            "g",
            "available",
            json!([{"bgpStatus": "down", "bgpPeerState": "deleting"}, {"bgpStatus": "up"}]),
        );
        assert_eq!(
            bgp_health(&going),
            BgpHealth::Up,
            "a peer being deleted is not counted"
        );
        assert!(BgpMismatch::LinkUpBgpDown.why().contains("BGP down"));
    }

    #[test]
    fn deleted_interfaces_are_told_apart() {
        assert!(is_deleted(&vif("v", "c", "g", "deleted", json!([]))));
        assert!(!is_deleted(&vif("v", "c", "g", "deleting", json!([]))));
    }

    #[test]
    fn two_connections_on_one_device_are_flagged() {
        let conns = [
            connection("dxcon-a", "EqDC2", "EqDC2-abc"),
            connection("dxcon-b", "EqDC2", "EqDC2-abc"),
            connection("dxcon-c", "EqDC2", "EqDC2-xyz"),
        ];
        let hints = redundancy_hints(&conns, &[]);
        assert_eq!(
            hints,
            [RedundancyHint::SharedDevice {
                device: "EqDC2-abc (us-east-1)".into(),
                connections: vec!["dxcon-a".into(), "dxcon-b".into()],
            }]
        );
        assert_eq!(hints[0].ids(), ["dxcon-a", "dxcon-b"]);
        assert!(hints[0].why().contains("dxcon-a, dxcon-b share AWS device"));
    }

    #[test]
    fn a_gateway_behind_one_location_or_one_connection_is_flagged() {
        let conns = [
            connection("dxcon-a", "EqDC2", "d1"),
            connection("dxcon-b", "EqDC2", "d2"),
            connection("dxcon-c", "CSVA1", "d3"),
        ];
        let vifs = [
            vif("v1", "dxcon-a", "vgw-1", "available", json!([])),
            vif("v2", "dxcon-b", "vgw-1", "available", json!([])),
            vif("v3", "dxcon-c", "vgw-2", "available", json!([])),
            vif("v4", "dxcon-a", "vgw-3", "available", json!([])),
            vif("v5", "dxcon-c", "vgw-3", "available", json!([])),
            // Gone: does not make vgw-2 redundant.
            vif("v6", "dxcon-a", "vgw-2", "deleted", json!([])),
        ];
        let hints = redundancy_hints(&conns, &vifs);
        assert_eq!(
            hints,
            [
                RedundancyHint::SharedLocation {
                    gateway: "vgw-1".into(),
                    location: "EqDC2".into(),
                    connections: vec!["dxcon-a".into(), "dxcon-b".into()],
                },
                RedundancyHint::SingleConnection {
                    gateway: "vgw-2".into(),
                    connection: "dxcon-c".into(),
                },
            ],
            "vgw-3 spans two locations: no hint"
        );
        assert_eq!(hints[1].ids(), ["dxcon-c", "vgw-2"]);
    }

    #[test]
    fn deleted_connections_and_logical_redundancy() {
        let mut gone = connection("dxcon-b", "EqDC2", "d1");
        gone.connection_state = Some(ConnectionState::Deleted);
        let mut lonely = connection("dxcon-a", "EqDC2", "d1");
        lonely.has_logical_redundancy = Some(HasLogicalRedundancy::No);
        let hints = redundancy_hints(&[lonely, gone], &[]);
        assert_eq!(
            hints,
            [RedundancyHint::NoLogicalRedundancy {
                connection: "dxcon-a".into()
            }],
            "a deleted connection shares no device"
        );
    }
}
