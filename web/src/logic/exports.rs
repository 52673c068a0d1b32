//! What the console takes away: the inventory's Terraform and CLI exports of the rows the
//! table shows, and a private interface's router configuration as the panel shows it. The
//! generators are core's ([`cloudlink_core::export`], [`cloudlink_core::configs`]); this
//! module picks their input from what the pages hold.

use cloudlink_core::configs::{KeyShown, RouterKind, router_config_on};
use cloudlink_core::directconnect::{Connection, VirtualInterface};
use cloudlink_core::export::{Estate, Origin};
use cloudlink_core::oci::InstanceConsoleConnection;

use super::inventory::{Row, Scope, ShownIds, Swept};

fn origin(scope: &Scope) -> Origin<'_> {
    Origin {
        service: scope.service,
        profile: scope.profile.as_deref().unwrap_or_default(),
        region: &scope.region,
    }
}

/// The estate of the rows `shown`: a row and an item match by profile, region and id, so
/// filtering the table filters the exports.
pub fn shown_estate<'a>(
    connections: &'a [(Scope, Connection)],
    interfaces: &'a [(Scope, VirtualInterface)],
    consoles: &'a [(Scope, InstanceConsoleConnection)],
    shown: &[Row],
) -> Estate<'a> {
    let shown = ShownIds::of(shown);
    let has = |scope: &Scope, id: &Option<String>| shown.has(scope, id);
    Estate {
        connections: connections
            .iter()
            .filter(|(s, c)| has(s, &c.connection_id))
            .map(|(s, c)| (origin(s), c))
            .collect(),
        interfaces: interfaces
            .iter()
            .filter(|(s, v)| has(s, &v.virtual_interface_id))
            .map(|(s, v)| (origin(s), v))
            .collect(),
        console_connections: consoles
            .iter()
            .filter(|(s, c)| has(s, &c.id))
            .map(|(s, c)| (origin(s), c))
            .collect(),
    }
}

/// Keeps the OCI console connections of one listed scope: a new list of a region replaces
/// what was kept for it.
pub fn remember_consoles(
    kept: &mut Swept<InstanceConsoleConnection>,
    scope: &Scope,
    listed: &[InstanceConsoleConnection],
) {
    kept.retain(|(s, _)| s != scope);
    kept.extend(listed.iter().map(|c| (scope.clone(), c.clone())));
}

/// Whether the router panel offers itself for an interface: private ones only.
pub fn has_router_config(v: &VirtualInterface) -> bool {
    v.virtual_interface_type.as_deref() == Some("private")
}

/// Whether the interface lacks the provider side's ASN (OUTSCALE answers `amazonSideAsn` as
/// null or 0): the panel then asks for it.
pub fn lacks_remote_asn(v: &VirtualInterface) -> bool {
    v.amazon_side_asn.is_none_or(|n| n == 0)
}

/// What the router panel's user picked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouterChoice {
    pub kind: RouterKind,
    /// The physical interface; empty: the kind's placeholder.
    pub port: String,
    pub reveal: bool,
    /// The provider side's ASN when the interface does not say it; empty: not given.
    pub remote_asn: String,
}

/// The router panel's text: the configuration for the choice, the BGP key masked unless
/// revealed; or the field's error.
pub fn router_text(v: &VirtualInterface, choice: &RouterChoice) -> Result<String, String> {
    let key = if choice.reveal {
        KeyShown::Revealed
    } else {
        KeyShown::Masked
    };
    let port = choice.port.trim();
    let port = if port.is_empty() {
        choice.kind.default_interface()
    } else {
        port
    };
    let remote = choice.remote_asn.trim();
    if lacks_remote_asn(v) && !remote.is_empty() {
        let asn = remote
            .parse::<u32>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or("remote ASN must be a number from 1 to 4294967295")?;
        let mut v = v.clone();
        v.amazon_side_asn = Some(i64::from(asn));
        return router_config_on(&v, choice.kind, key, port).map_err(|e| e.to_string());
    }
    router_config_on(v, choice.kind, key, port).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use cloudlink_core::Service;
    use cloudlink_core::configs::MASKED_BGP_KEY;
    use cloudlink_core::export::{cli_script, terraform};
    use serde_json::json;

    fn scope(profile: Option<&str>, region: &str, service: Service) -> Scope {
        Scope {
            service,
            profile: profile.map(str::to_owned),
            region: region.to_owned(),
        }
    }

    fn private_vif() -> VirtualInterface {
        serde_json::from_value(json!({
            "virtualInterfaceId": "dxvif-abc12345", "connectionId": "dxcon-abc12345",
            "virtualInterfaceType": "private", "virtualInterfaceName": "prod", "vlan": 101,
            "asn": 65000, "amazonSideAsn": 64512, "authKey": "s3cr3t-bgp-key",
            "amazonAddress": "169.254.10.1/30", "customerAddress": "169.254.10.2/30",
            "addressFamily": "ipv4", "virtualGatewayId": "vgw-0123abcd",
            "virtualInterfaceState": "available",
        }))
        .unwrap()
    }

    #[test]
    fn exports_hold_what_the_table_shows_and_never_a_key() {
        let eu = scope(None, "eu-west-1", Service::DirectConnect);
        let lab = scope(Some("lab"), "eu-west-1", Service::DirectConnect);
        let oci = scope(None, "us-ashburn-1", Service::OciCore);
        let connection: Connection = serde_json::from_value(json!({
            "connectionId": "dxcon-abc12345", "connectionName": "dublin", "bandwidth": "1Gbps",
            "location": "EqDC2", "connectionState": "available", "ownerAccount": "111122223333",
        }))
        .unwrap();
        let console: InstanceConsoleConnection = serde_json::from_value(json!({
            "id": "ocid1.instanceconsoleconnection.oc1.iad.aaaa", "instanceId": "ocid1.instance.oc1.iad.bbbb",
            "lifecycleState": "ACTIVE",
        }))
        .unwrap();
        let connections = vec![(eu.clone(), connection.clone()), (lab.clone(), connection)];
        let interfaces = vec![(eu.clone(), private_vif())];
        let consoles = vec![(oci.clone(), console.clone())];
        let rows = vec![
            super::super::inventory::connection_row(&eu, &connections[0].1),
            super::super::inventory::interface_row(&eu, &interfaces[0].1),
            super::super::inventory::oci_row("us-ashburn-1", None, &console),
        ];
        let estate = shown_estate(&connections, &interfaces, &consoles, &rows);
        assert_eq!(
            estate.connections.len(),
            1,
            "the lab profile's copy is not shown"
        );
        assert_eq!(estate.connections[0].0.profile, "");
        assert_eq!(estate.interfaces.len(), 1);
        assert_eq!(estate.console_connections.len(), 1);
        let tf = terraform(&estate);
        assert!(tf.contains("resource \"aws_dx_connection\""), "{tf}");
        assert!(
            tf.contains("resource \"aws_dx_private_virtual_interface\""),
            "{tf}"
        );
        assert!(
            tf.contains("resource \"oci_core_instance_console_connection\""),
            "{tf}"
        );
        let sh = cli_script(&estate);
        assert!(sh.contains("create-private-virtual-interface"), "{sh}");
        for text in [&tf, &sh] {
            assert!(!text.contains("s3cr3t-bgp-key"));
        }
        let none = shown_estate(&connections, &interfaces, &consoles, &rows[2..]);
        assert!(none.connections.is_empty() && none.interfaces.is_empty());
    }

    #[test]
    fn a_new_list_of_a_scope_replaces_what_was_kept_for_it() {
        let a = scope(None, "us-ashburn-1", Service::OciCore);
        let b = scope(None, "us-phoenix-1", Service::OciCore);
        let c = |id: &str| InstanceConsoleConnection {
            id: Some(id.to_owned()),
            ..Default::default()
        };
        let mut kept = Vec::new();
        remember_consoles(&mut kept, &a, &[c("one"), c("two")]);
        remember_consoles(&mut kept, &b, &[c("three")]);
        remember_consoles(&mut kept, &a, &[c("four")]);
        let ids: Vec<_> = kept.iter().map(|(_, c)| c.id.clone().unwrap()).collect();
        assert_eq!(ids, ["three", "four"]);
    }

    #[test]
    fn the_router_panel_masks_the_key_until_revealed_and_names_bad_fields() {
        let v = private_vif();
        assert!(has_router_config(&v));
        let choice = |kind, port: &str, reveal| RouterChoice {
            kind,
            port: port.to_owned(),
            reveal,
            remote_asn: String::new(),
        };
        let masked = router_text(&v, &choice(RouterKind::Frr, "", false)).unwrap();
        assert!(masked.contains(MASKED_BGP_KEY) && !masked.contains("s3cr3t-bgp-key"));
        assert!(masked.contains(RouterKind::Frr.default_interface()));
        let shown = router_text(&v, &choice(RouterKind::Junos, " xe-0/0/1 ", true)).unwrap();
        assert!(
            shown.contains("s3cr3t-bgp-key") && shown.contains("xe-0/0/1"),
            "{shown}"
        );
        let bad = router_text(&v, &choice(RouterKind::IosXe, "eth0; reload", false)).unwrap_err();
        assert!(bad.starts_with("interface "), "{bad}");
        // OUTSCALE does not say its side's ASN: the user gives it, or the error names it.
        let mut outscale = v.clone();
        outscale.amazon_side_asn = Some(0);
        assert!(lacks_remote_asn(&outscale) && !lacks_remote_asn(&v));
        let missing = router_text(&outscale, &choice(RouterKind::Frr, "", false)).unwrap_err();
        assert!(missing.starts_with("amazonSideAsn"), "{missing}");
        let given = RouterChoice {
            remote_asn: "65100".to_owned(),
            ..choice(RouterKind::Frr, "", false)
        };
        assert!(
            router_text(&outscale, &given)
                .unwrap()
                .contains("remote-as 65100")
        );
        let bad_asn = RouterChoice {
            remote_asn: "0".to_owned(),
            ..given.clone()
        };
        assert!(
            router_text(&outscale, &bad_asn)
                .unwrap_err()
                .starts_with("remote ASN ")
        );
        let mut public = v.clone();
        public.virtual_interface_type = Some("public".to_owned());
        assert!(!has_router_config(&public));
    }
}
