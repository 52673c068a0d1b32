//! What a select offers and what a field's hint says, per provider: the
//! limits come from core's constants, so a hint cannot drift from the rule
//! that checks the field.

use cloudlink_core::Provider;
use cloudlink_core::directconnect::{
    AWS_ASN_MIN, AWS_LONG_ASN_MAX, AWS_MTUS, AWS_VLAN_MAX, AWS_VLAN_MIN, AddressFamily, Location,
    OUTSCALE_PRIVATE_ASN_MAX, OUTSCALE_PRIVATE_ASN_MIN, OUTSCALE_VLAN_MAX, OUTSCALE_VLAN_MIN,
    VirtualGateway, VirtualInterface,
};
use cloudlink_core::outposts::WIREGUARD_KEY_LENGTH;

use super::forms::bandwidth_choices;

/// A select's option: (value, label).
pub type Choice = (String, String);

fn same(values: impl IntoIterator<Item = String>) -> Vec<Choice> {
    values.into_iter().map(|v| (v.clone(), v)).collect()
}

/// Locations as `code — name` (the code alone when the name is missing).
pub fn location_choices(locations: &[Location]) -> Vec<Choice> {
    locations
        .iter()
        .filter_map(|l| {
            let code = l.location_code.clone()?;
            let name = l.location_name.clone().unwrap_or_default();
            let label = if name.is_empty() {
                code.clone()
            } else {
                format!("{code} — {name}")
            };
            Some((code, label))
        })
        .collect()
}

/// The bandwidths offered at the location chosen (by code), or the provider's
/// when it is unknown (see [`bandwidth_choices`]).
pub fn bandwidth_options(provider: Provider, locations: &[Location], chosen: &str) -> Vec<Choice> {
    let location = locations
        .iter()
        .find(|l| l.location_code.as_deref() == Some(chosen));
    same(
        bandwidth_choices(provider, location)
            .into_iter()
            .map(str::to_owned),
    )
}

/// Virtual gateways by id, with their state when known (the confirm form).
pub fn gateway_choices(gateways: &[VirtualGateway]) -> Vec<Choice> {
    gateways
        .iter()
        .filter_map(|g| {
            let id = g.virtual_gateway_id.clone()?;
            let state = g
                .virtual_gateway_state
                .as_ref()
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default();
            let label = if state.is_empty() {
                id.clone()
            } else {
                format!("{id} ({state})")
            };
            Some((id, label))
        })
        .collect()
}

/// Virtual gateways by id alone (the new interface form).
pub fn gateway_ids(gateways: &[VirtualGateway]) -> Vec<Choice> {
    same(gateways.iter().filter_map(|g| g.virtual_gateway_id.clone()))
}

/// The VLAN hint: the provider's range.
pub fn vlan_hint(provider: Provider) -> String {
    let (min, max) = match provider {
        Provider::Outscale => (OUTSCALE_VLAN_MIN, OUTSCALE_VLAN_MAX),
        _ => (AWS_VLAN_MIN, AWS_VLAN_MAX),
    };
    format!("{min} to {max}")
}

/// The customer ASN hint: AWS takes any 4-byte ASN, OUTSCALE a private
/// 2-byte one when creating.
pub fn asn_hint(provider: Provider) -> String {
    match provider {
        Provider::Outscale => {
            format!("{OUTSCALE_PRIVATE_ASN_MIN} to {OUTSCALE_PRIVATE_ASN_MAX} (create)")
        }
        _ => format!("{AWS_ASN_MIN} to {AWS_LONG_ASN_MAX}"),
    }
}

/// The MTUs AWS accepts.
pub fn mtu_choices() -> Vec<Choice> {
    same(AWS_MTUS.iter().map(i64::to_string))
}

/// What an empty MTU means: AWS's first (default) value.
pub fn mtu_default_label() -> String {
    format!(
        "default ({})",
        AWS_MTUS.first().copied().unwrap_or_default()
    )
}

/// The BGP address families.
pub fn address_family_choices() -> Vec<Choice> {
    same([AddressFamily::Ipv4, AddressFamily::Ipv6].map(|f| f.as_str().to_owned()))
}

/// The hint of a WireGuard public key field.
pub fn wireguard_key_hint() -> String {
    format!("{WIREGUARD_KEY_LENGTH} characters: the output of wg pubkey")
}

/// The network interfaces an Outposts server connection may use.
///
/// Core checks the range in `StartConnectionRequest::validate` without a public
/// constant, so the two indexes are written here.
pub fn interface_index_choices() -> Vec<Choice> {
    use cloudlink_core::outposts::{INTERFACE_INDEX_MAX, INTERFACE_INDEX_MIN};
    same((INTERFACE_INDEX_MIN..=INTERFACE_INDEX_MAX).map(|i| i.to_string()))
}

/// An interface's BGP key: its own, else its first peer's.
pub fn bgp_key(v: &VirtualInterface) -> Option<String> {
    v.auth_key
        .as_ref()
        .map(|k| k.expose().to_owned())
        .or_else(|| {
            v.bgp_peers.as_ref().and_then(|p| {
                p.iter()
                    .find_map(|p| p.auth_key.as_ref().map(|k| k.expose().to_owned()))
            })
        })
}

/// Adds `id` to the list, or removes it if there (which secrets are shown).
pub fn toggle(list: &mut Vec<String>, id: &str) {
    if let Some(i) = list.iter().position(|x| x == id) {
        list.remove(i);
    } else {
        list.push(id.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use cloudlink_core::directconnect::{BgpPeer, Secret, VirtualGatewayState};

    use super::*;

    #[test]
    fn locations_read_code_and_name() {
        let locations = [
            Location {
                location_code: Some("EqDC2".into()),
                location_name: Some("Equinix DC2".into()),
                ..Location::default()
            },
            Location {
                location_code: Some("Bare".into()),
                ..Location::default()
            },
            Location::default(),
        ];
        assert_eq!(
            location_choices(&locations),
            vec![
                ("EqDC2".to_owned(), "EqDC2 — Equinix DC2".to_owned()),
                ("Bare".to_owned(), "Bare".to_owned()),
            ]
        );
    }

    #[test]
    fn bandwidths_follow_the_chosen_location() {
        let locations = [Location {
            location_code: Some("EqDC2".into()),
            available_port_speeds: Some(vec!["1Gbps".into()]),
            ..Location::default()
        }];
        let values = |provider: Provider, chosen: &str| -> Vec<String> {
            bandwidth_options(provider, &locations, chosen)
                .into_iter()
                .map(|(v, _)| v)
                .collect()
        };
        assert_eq!(values(Provider::Aws, "EqDC2"), ["1Gbps"]);
        assert_eq!(
            values(Provider::Aws, ""),
            ["1Gbps", "10Gbps", "100Gbps", "400Gbps"]
        );
        assert_eq!(values(Provider::Outscale, ""), ["1Gbps", "10Gbps"]);
    }

    #[test]
    fn gateways_show_their_state_in_the_confirm_form_only() {
        let gateways = [
            VirtualGateway {
                virtual_gateway_id: Some("vgw-1".into()),
                virtual_gateway_state: Some(VirtualGatewayState::from_wire("available")),
            },
            VirtualGateway {
                virtual_gateway_id: Some("vgw-2".into()),
                ..VirtualGateway::default()
            },
        ];
        assert_eq!(
            gateway_choices(&gateways),
            vec![
                ("vgw-1".to_owned(), "vgw-1 (available)".to_owned()),
                ("vgw-2".to_owned(), "vgw-2".to_owned()),
            ]
        );
        assert_eq!(
            gateway_ids(&gateways),
            vec![
                ("vgw-1".to_owned(), "vgw-1".to_owned()),
                ("vgw-2".to_owned(), "vgw-2".to_owned()),
            ]
        );
    }

    #[test]
    fn hints_state_the_providers_limits() {
        assert_eq!(vlan_hint(Provider::Aws), "1 to 4094");
        assert_eq!(vlan_hint(Provider::Outscale), "2 to 4094");
        assert_eq!(asn_hint(Provider::Aws), "1 to 4294967294");
        assert_eq!(asn_hint(Provider::Outscale), "64512 to 65534 (create)");
        assert_eq!(
            wireguard_key_hint(),
            "44 characters: the output of wg pubkey"
        );
        assert_eq!(mtu_default_label(), "default (1500)");
        let mtus: Vec<String> = mtu_choices().into_iter().map(|(v, _)| v).collect();
        assert_eq!(mtus, ["1500", "8500", "9001"]);
        let families: Vec<String> = address_family_choices()
            .into_iter()
            .map(|(v, _)| v)
            .collect();
        assert_eq!(families, ["ipv4", "ipv6"]);
    }

    #[test]
    fn the_bgp_key_falls_back_to_the_first_peer_with_one() {
        let mut v = VirtualInterface {
            bgp_peers: Some(vec![
                BgpPeer::default(),
                BgpPeer {
                    auth_key: Some(Secret::new("peer-key")),
                    ..BgpPeer::default()
                },
            ]),
            ..VirtualInterface::default()
        };
        assert_eq!(bgp_key(&v).as_deref(), Some("peer-key"));
        v.auth_key = Some(Secret::new("own-key"));
        assert_eq!(bgp_key(&v).as_deref(), Some("own-key"));
        assert_eq!(bgp_key(&VirtualInterface::default()), None);
    }

    #[test]
    fn toggle_adds_then_removes() {
        let mut shown = vec!["a".to_owned()];
        toggle(&mut shown, "b");
        assert_eq!(shown, ["a", "b"]);
        toggle(&mut shown, "a");
        assert_eq!(shown, ["b"]);
    }
}
