//! IPv4 address and prefix parsing, and subnet arithmetic.

use std::net::Ipv4Addr;

use cloudlink_core::ipv4::{Ipv4Cidr, Ipv4Error, parse_address};
use proptest::prelude::*;

#[test]
fn addresses_parse_strictly() {
    let good = [
        ("0.0.0.0", [0, 0, 0, 0]),
        ("255.255.255.255", [255, 255, 255, 255]),
        ("169.254.0.1", [169, 254, 0, 1]),
        ("10.0.10.100", [10, 0, 10, 100]),
    ];
    for (text, octets) in good {
        assert_eq!(parse_address(text), Ok(Ipv4Addr::from(octets)), "{text}");
    }
    let bad = [
        "",
        "1.2.3",
        "1.2.3.4.5",
        "256.0.0.1",
        "01.2.3.4",
        "1.2.3.04",
        "1.2.3.000",
        "1..3.4",
        "1.2.3.",
        " 1.2.3.4",
        "1.2.3.4 ",
        "+1.2.3.4",
        "-1.2.3.4",
        "0x7f.0.0.1",
        "127.1",
        "1.2.3.4/30",
        "1.2.3.1000",
        "١.2.3.4",
    ];
    for text in bad {
        assert!(
            matches!(parse_address(text), Err(Ipv4Error::Address(_))),
            "{text:?} should be refused"
        );
    }
}

#[test]
fn prefixes_parse_strictly() {
    let cidr = Ipv4Cidr::parse("169.254.0.1/30").unwrap();
    assert_eq!(cidr.address(), Ipv4Addr::new(169, 254, 0, 1));
    assert_eq!(cidr.prefix_len(), 30);
    assert_eq!(cidr.to_string(), "169.254.0.1/30");
    assert_eq!(Ipv4Cidr::parse("0.0.0.0/0").unwrap().prefix_len(), 0);
    assert_eq!(Ipv4Cidr::parse("1.2.3.4/32").unwrap().prefix_len(), 32);
    assert!(matches!(
        Ipv4Cidr::parse("1.2.3.4"),
        Err(Ipv4Error::MissingPrefix(_))
    ));
    for text in [
        "1.2.3.4/33",
        "1.2.3.4/",
        "1.2.3.4/030",
        "1.2.3.4/-1",
        "1.2.3.4/3a",
        "1.2.3.4/100",
        "1.2.3.4/30/1",
    ] {
        assert!(
            matches!(Ipv4Cidr::parse(text), Err(Ipv4Error::PrefixLength(_))),
            "{text:?}"
        );
    }
    assert!(matches!(
        Ipv4Cidr::parse("1.2.3/30"),
        Err(Ipv4Error::Address(_))
    ));
    assert!(matches!(
        Ipv4Cidr::parse("1.2.3"),
        Err(Ipv4Error::Address(_))
    ));
    assert!(Ipv4Cidr::new(Ipv4Addr::LOCALHOST, 33).is_err());
    assert_eq!("10.0.0.1/8".parse::<Ipv4Cidr>().unwrap().prefix_len(), 8);
}

#[test]
fn network_broadcast_and_mask() {
    // (cidr, network, broadcast, netmask)
    let table = [
        (
            "169.254.0.1/30",
            "169.254.0.0",
            "169.254.0.3",
            "255.255.255.252",
        ),
        (
            "169.254.0.6/30",
            "169.254.0.4",
            "169.254.0.7",
            "255.255.255.252",
        ),
        ("10.1.2.3/8", "10.0.0.0", "10.255.255.255", "255.0.0.0"),
        (
            "192.168.1.77/24",
            "192.168.1.0",
            "192.168.1.255",
            "255.255.255.0",
        ),
        ("1.2.3.4/0", "0.0.0.0", "255.255.255.255", "0.0.0.0"),
        ("1.2.3.4/32", "1.2.3.4", "1.2.3.4", "255.255.255.255"),
        ("1.2.3.5/31", "1.2.3.4", "1.2.3.5", "255.255.255.254"),
    ];
    for (text, network, broadcast, mask) in table {
        let cidr = Ipv4Cidr::parse(text).unwrap();
        assert_eq!(cidr.network().to_string(), network, "{text}");
        assert_eq!(cidr.broadcast().to_string(), broadcast, "{text}");
        assert_eq!(cidr.netmask().to_string(), mask, "{text}");
    }
}

#[test]
fn contains_same_subnet_and_reserved_addresses() {
    let a = Ipv4Cidr::parse("169.254.0.1/30").unwrap();
    assert!(a.contains(Ipv4Addr::new(169, 254, 0, 0)));
    assert!(a.contains(Ipv4Addr::new(169, 254, 0, 3)));
    assert!(!a.contains(Ipv4Addr::new(169, 254, 0, 4)));
    assert!(!a.contains(Ipv4Addr::new(169, 253, 255, 255)));

    let same = Ipv4Cidr::parse("169.254.0.2/30").unwrap();
    let other_net = Ipv4Cidr::parse("169.254.0.5/30").unwrap();
    let other_len = Ipv4Cidr::parse("169.254.0.2/29").unwrap();
    assert!(a.same_subnet(&same));
    assert!(!a.same_subnet(&other_net));
    assert!(!a.same_subnet(&other_len));

    let table = [
        ("169.254.0.0/30", true),
        ("169.254.0.1/30", false),
        ("169.254.0.2/30", false),
        ("169.254.0.3/30", true),
        ("10.0.0.0/31", false),
        ("10.0.0.1/31", false),
        ("10.0.0.1/32", false),
        ("10.0.0.0/24", true),
        ("10.0.0.255/24", true),
    ];
    for (text, reserved) in table {
        assert_eq!(
            Ipv4Cidr::parse(text).unwrap().is_network_or_broadcast(),
            reserved,
            "{text}"
        );
    }
}

proptest! {
    #[test]
    fn every_address_round_trips(octets in any::<[u8; 4]>(), len in 0u8..=32) {
        let address = Ipv4Addr::from(octets);
        prop_assert_eq!(parse_address(&address.to_string()), Ok(address));
        let cidr = Ipv4Cidr::new(address, len).unwrap();
        prop_assert_eq!(Ipv4Cidr::parse(&cidr.to_string()), Ok(cidr));
        prop_assert!(cidr.contains(address));
        prop_assert!(cidr.contains(cidr.network()));
        prop_assert!(cidr.contains(cidr.broadcast()));
        prop_assert!(cidr.network() <= address && address <= cidr.broadcast());
    }

    #[test]
    fn parsing_never_panics(text in "\\PC{0,24}") {
        let _ = Ipv4Cidr::parse(&text);
        let _ = parse_address(&text);
    }
}
