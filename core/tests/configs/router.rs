//! Router configurations: golden files for FRR, IOS-XE and Junos, FRR's own
//! parser (`vtysh --dryrun`), and the errors that name the broken field.

use cloudlink_core::configs::{
    ConfigError, KeyShown, MASKED_BGP_KEY, RouterKind, router_config, router_config_on,
};
use cloudlink_core::directconnect::VirtualInterface;

use super::support::{HOSTILE_NAME, assert_golden, scratch_file, stderr, tool};

const KEY: &str = "0xK3y-from-AWS.9b";

fn ipv4_vif() -> VirtualInterface {
    serde_json::from_value(serde_json::json!({
        "virtualInterfaceId": "dxvif-ffhhk74f",
        "virtualInterfaceName": "prod-vif",
        "virtualInterfaceType": "private",
        "vlan": 101,
        "asn": 65000,
        "amazonSideAsn": 64512,
        "authKey": KEY,
        "amazonAddress": "169.254.255.1/30",
        "customerAddress": "169.254.255.2/30",
        "addressFamily": "ipv4",
        "mtu": 9001,
        "bgpPeers": [{
            "bgpPeerId": "dxpeer-fgq9rgot",
            "asn": 65000,
            "authKey": KEY,
            "addressFamily": "ipv4",
            "amazonAddress": "169.254.255.1/30",
            "customerAddress": "169.254.255.2/30",
            "bgpPeerState": "available"
        }]
    }))
    .unwrap()
}

/// An IPv6 interface with a 4-byte ASN and no peer list.
fn ipv6_vif() -> VirtualInterface {
    serde_json::from_value(serde_json::json!({
        "virtualInterfaceId": "dxvif-fgr1xyz6",
        "virtualInterfaceName": "v6-only",
        "vlan": 4094,
        "asn": 0,
        "asnLong": 4200000000u32,
        "amazonSideAsn": 4200000001u32,
        "authKey": KEY,
        "amazonAddress": "2001:db8:1:2::1/125",
        "customerAddress": "2001:db8:1:2::2/125",
        "addressFamily": "ipv6",
        "mtu": 1500
    }))
    .unwrap()
}

/// IPv4 plus an IPv6 peer added with CreateBGPPeer, and a deleted peer that
/// must not appear.
fn dual_stack_vif() -> VirtualInterface {
    let mut v = ipv4_vif();
    let extra: Vec<cloudlink_core::directconnect::BgpPeer> =
        serde_json::from_value(serde_json::json!([{
            "bgpPeerId": "dxpeer-v6",
            "asn": 65000,
            "authKey": KEY,
            "addressFamily": "ipv6",
            "amazonAddress": "2001:db8:ffff::1/125",
            "customerAddress": "2001:db8:ffff::2/125",
            "bgpPeerState": "pending"
        }, {
            "bgpPeerId": "dxpeer-gone",
            "asn": 65000,
            "addressFamily": "ipv4",
            "amazonAddress": "169.254.9.1/30",
            "customerAddress": "169.254.9.2/30",
            "bgpPeerState": "deleted"
        }]))
        .unwrap();
    v.bgp_peers.as_mut().unwrap().extend(extra);
    v
}

/// Runs `vtysh --dryrun -f FILE`: FRR parses the whole file against every
/// daemon's commands and exits non-zero on any line it does not accept.
/// (`bgpd --dryrun` alone exits 0 even on an unknown command.)
fn frr_parse(config: &str) -> Result<(), String> {
    let path = scratch_file("frr.conf", config);
    let output = tool("/usr/bin/vtysh", "frr")
        .arg("--dryrun")
        .arg("-f")
        .arg(&path)
        .output()
        .expect("vtysh runs");
    if output.status.success() {
        Ok(())
    } else {
        Err(format!("{}: {}", output.status, stderr(&output)))
    }
}

fn config(v: &VirtualInterface, kind: RouterKind, key: KeyShown) -> String {
    router_config(v, kind, key).unwrap()
}

#[test]
fn golden_files_for_every_kind() {
    for kind in RouterKind::ALL.iter().copied() {
        let stem = kind.file_name().split('.').next().unwrap();
        let masked = config(&ipv4_vif(), kind, KeyShown::Masked);
        assert_golden(&format!("router-{stem}-ipv4-masked.txt"), &masked);
        let revealed = config(&dual_stack_vif(), kind, KeyShown::Revealed);
        assert_golden(&format!("router-{stem}-dual-stack-revealed.txt"), &revealed);
        let v6 = config(&ipv6_vif(), kind, KeyShown::Masked);
        assert_golden(&format!("router-{stem}-ipv6-masked.txt"), &v6);
    }
}

#[test]
fn frr_accepts_the_generated_configurations() {
    let cases = [
        ("ipv4", ipv4_vif(), KeyShown::Masked),
        ("ipv4 revealed", ipv4_vif(), KeyShown::Revealed),
        ("ipv6", ipv6_vif(), KeyShown::Masked),
        ("ipv6 revealed", ipv6_vif(), KeyShown::Revealed),
        ("dual stack", dual_stack_vif(), KeyShown::Revealed),
    ];
    for (label, vif, key) in cases {
        let text = config(&vif, RouterKind::Frr, key);
        if let Err(e) = frr_parse(&text) {
            panic!("FRR refused the {label} configuration: {e}\n{text}");
        }
    }
}

#[test]
fn frr_refuses_a_broken_line_so_the_check_means_something() {
    let good = config(&ipv4_vif(), RouterKind::Frr, KeyShown::Masked);
    for (from, to) in [
        (" remote-as 64512", " remote-az 64512"),
        ("169.254.255.2/30", "169.254.255.300/30"),
        ("router bgp 65000", "router bgp 4294967296"),
        (" bfd profile aws-direct-connect", " bfd profile"),
    ] {
        assert!(good.contains(from), "{from}");
        let broken = good.replacen(from, to, 1);
        let err = frr_parse(&broken).expect_err(to);
        let (index, line) = broken
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains(to))
            .unwrap();
        let named = format!("line {}: % ", index + 1);
        assert!(err.contains(&named) && err.contains(line), "{to:?}: {err}");
    }
}

#[test]
fn frr_accepts_a_revealed_key_with_punctuation() {
    let mut v = ipv4_vif();
    let key = "k3y!with#marks$(x)%{y}'";
    v.bgp_peers.as_mut().unwrap()[0].auth_key =
        Some(cloudlink_core::directconnect::Secret::new(key));
    let text = config(&v, RouterKind::Frr, KeyShown::Revealed);
    assert!(text.contains(&format!(" password {key}\n")), "{text}");
    frr_parse(&text).unwrap();
}

#[test]
fn the_key_stays_masked_until_revealed() {
    for kind in RouterKind::ALL.iter().copied() {
        let masked = config(&dual_stack_vif(), kind, KeyShown::Masked);
        assert!(!masked.contains(KEY), "{kind:?}");
        assert_eq!(
            masked.matches(MASKED_BGP_KEY).count(),
            3,
            "{kind:?}: header + 2 peers"
        );
        let revealed = config(&dual_stack_vif(), kind, KeyShown::Revealed);
        assert_eq!(revealed.matches(KEY).count(), 2, "{kind:?}");
        assert!(!revealed.contains(MASKED_BGP_KEY), "{kind:?}");
    }
}

#[test]
fn every_configuration_says_it_was_made_locally() {
    for kind in RouterKind::ALL.iter().copied() {
        let text = config(&ipv4_vif(), kind, KeyShown::Masked);
        let comment = if kind == RouterKind::Junos {
            "# "
        } else {
            "! "
        };
        let second = text.lines().nth(1).unwrap();
        assert_eq!(
            second,
            format!(
                "{comment}Generated locally by cloudlink from DescribeVirtualInterfaces; not by AWS."
            ),
        );
    }
}

#[test]
fn the_neighbor_is_the_amazon_address_without_its_prefix() {
    let frr = config(&ipv4_vif(), RouterKind::Frr, KeyShown::Masked);
    assert!(
        frr.contains(" neighbor 169.254.255.1 remote-as 64512\n"),
        "{frr}"
    );
    assert!(frr.contains(" ip address 169.254.255.2/30\n"), "{frr}");
    assert!(frr.contains("router bgp 65000\n"), "{frr}");
    let ios = config(&ipv6_vif(), RouterKind::IosXe, KeyShown::Masked);
    assert!(
        ios.contains(" neighbor 2001:db8:1:2::1 remote-as 4200000001\n"),
        "{ios}"
    );
    assert!(
        ios.contains("router bgp 4200000000\n"),
        "asnLong wins: {ios}"
    );
    assert!(
        ios.contains(
            "interface GigabitEthernet0/0/0.4094\n description v6-only\n encapsulation dot1Q 4094\n"
        ),
        "{ios}"
    );
    let junos = config(&ipv4_vif(), RouterKind::Junos, KeyShown::Masked);
    assert!(
        junos.contains("            neighbor 169.254.255.1 {\n"),
        "{junos}"
    );
    assert!(junos.contains("local-address 169.254.255.2;"), "{junos}");
}

#[test]
fn a_physical_interface_can_be_given() {
    let text =
        router_config_on(&ipv4_vif(), RouterKind::Junos, KeyShown::Masked, "xe-0/1/2").unwrap();
    assert!(
        text.contains("interfaces {\n    xe-0/1/2 {\n        vlan-tagging;\n        unit 101 {")
    );
    for bad in ["", "-eth0", "eth0 ; reboot", "eth0\n", "ge-0/0/0{"] {
        let err =
            router_config_on(&ipv4_vif(), RouterKind::Frr, KeyShown::Masked, bad).unwrap_err();
        assert_eq!(err.field(), "interface", "{bad:?}");
    }
}

#[test]
fn a_hostile_name_cannot_escape_any_format() {
    let mut v = ipv4_vif();
    v.virtual_interface_name = Some(HOSTILE_NAME.to_owned());
    v.virtual_interface_id = Some("dxvif-$(id)\nrouter bgp 1".to_owned());
    for kind in RouterKind::ALL.iter().copied() {
        let text = config(&v, kind, KeyShown::Masked);
        for bad in ["$(", "${", "%{", "evil\"", "\r", "?", "'"] {
            assert!(!text.contains(bad), "{kind:?} kept {bad:?}:\n{text}");
        }
        let bgp_lines = text.lines().filter(|l| l.starts_with("router bgp")).count();
        assert_eq!(
            bgp_lines,
            usize::from(kind != RouterKind::Junos),
            "{kind:?}"
        );
    }
    let frr = config(&v, RouterKind::Frr, KeyShown::Masked);
    frr_parse(&frr).unwrap();
    let description = frr
        .lines()
        .find(|l| l.starts_with(" description evil"))
        .unwrap();
    assert_eq!(
        description,
        " description evil_ __(touch /tmp/pwned)_ __x_ __y_ ____ router bgp 1___"
    );
}

fn error(v: &VirtualInterface) -> ConfigError {
    router_config(v, RouterKind::Frr, KeyShown::Revealed).unwrap_err()
}

#[test]
fn missing_or_broken_fields_are_named() {
    let mut v = ipv6_vif();
    v.vlan = None;
    assert_eq!(error(&v).to_string(), "vlan is required");
    let mut v = ipv6_vif();
    v.vlan = Some(4095);
    assert_eq!(
        error(&v).to_string(),
        "vlan must be a VLAN id from 1 to 4094"
    );
    let mut v = ipv6_vif();
    v.amazon_side_asn = None;
    assert_eq!(error(&v).to_string(), "amazonSideAsn is required");
    let mut v = ipv6_vif();
    v.amazon_side_asn = Some(0); // OUTSCALE: "not supported"
    assert_eq!(error(&v).to_string(), "amazonSideAsn is required");
    let mut v = ipv6_vif();
    v.asn_long = None;
    assert_eq!(
        error(&v).to_string(),
        "asn is required",
        "asn 0 and no asnLong"
    );
    let mut v = ipv6_vif();
    v.asn_long = Some(0);
    v.asn = Some(65010);
    assert!(config(&v, RouterKind::Frr, KeyShown::Masked).contains("router bgp 65010\n"));
    v.asn = Some(4_294_967_296);
    assert_eq!(
        error(&v).to_string(),
        "asn must be an ASN from 1 to 4294967295"
    );
    let mut v = ipv6_vif();
    v.amazon_address = Some("169.254.0.1/30".into());
    assert_eq!(error(&v).field(), "amazonAddress");
    let mut v = ipv6_vif();
    v.customer_address = Some("2001:db8:1:3::2/125".into());
    assert_eq!(
        error(&v).to_string(),
        "customerAddress must be another address in the subnet of amazonAddress"
    );
    for broken in [
        "169.254.255.2/030",
        "169.254.255.2/33",
        "169.254.255.02/30",
        "169.254.255.2",
    ] {
        let mut v = ipv4_vif();
        v.bgp_peers = None;
        v.customer_address = Some(broken.into());
        assert_eq!(
            error(&v).to_string(),
            "customerAddress must be an ipv4 address with a prefix length like 169.254.0.1/30",
            "{broken}"
        );
    }
    let mut v = ipv4_vif();
    v.bgp_peers = None;
    v.customer_address = Some("169.254.255.3/30".into());
    frr_parse(&config(&v, RouterKind::Frr, KeyShown::Masked)).unwrap();
    v.customer_address = Some("169.254.255.1/30".into());
    assert_eq!(
        error(&v).field(),
        "customerAddress",
        "the same address as amazonAddress"
    );
    let mut v = ipv6_vif();
    v.customer_address = None;
    assert_eq!(error(&v).to_string(), "customerAddress is required");
    let mut v = dual_stack_vif();
    v.bgp_peers.as_mut().unwrap()[1].amazon_address = Some("2001:db8:ffff::1".into());
    assert_eq!(error(&v).field(), "bgpPeers[1].amazonAddress");
    let mut v = dual_stack_vif();
    v.bgp_peers.as_mut().unwrap()[1].asn = Some(65001);
    assert_eq!(error(&v).field(), "bgpPeers[1].asn");
}

#[test]
fn a_key_that_cannot_be_written_safely_is_refused_without_repeating_it() {
    for key in [
        "has space",
        "quote\"d",
        "back\\slash",
        "what?",
        "tab\t",
        "é-accent",
    ] {
        let mut v = ipv6_vif();
        v.auth_key = Some(cloudlink_core::directconnect::Secret::new(key));
        let err = error(&v);
        assert_eq!(err.field(), "authKey", "{key:?}");
        assert!(!err.to_string().contains(key), "{err}");
        // Masked, the same key is not written, so nothing is refused.
        router_config(&v, RouterKind::Frr, KeyShown::Masked).unwrap();
    }
}

#[test]
fn no_key_no_password_line() {
    let mut v = ipv6_vif();
    v.auth_key = None;
    for kind in RouterKind::ALL.iter().copied() {
        let text = config(&v, kind, KeyShown::Revealed);
        assert!(
            !text.contains("password") && !text.contains("authentication-key"),
            "{kind:?}"
        );
        assert!(text.contains("no BGP authentication key"), "{kind:?}");
    }
    frr_parse(&config(&v, RouterKind::Frr, KeyShown::Revealed)).unwrap();
}
