//! IPv4 address and prefix parsing (`core::ipv4`): strict, so what it accepts prints back as
//! the same text, and the subnet arithmetic holds for every accepted prefix.
#![no_main]

use cloudlink_core::ipv4::{Ipv4Cidr, parse_address};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(address) = parse_address(text) {
        assert_eq!(
            address.to_string(),
            text,
            "an accepted address is canonical"
        );
    }
    match Ipv4Cidr::parse(text) {
        Ok(cidr) => {
            assert_eq!(cidr.to_string(), text, "an accepted prefix is canonical");
            assert!(cidr.prefix_len() <= 32);
            let (network, broadcast) = (u32::from(cidr.network()), u32::from(cidr.broadcast()));
            let address = u32::from(cidr.address());
            assert!(network <= address && address <= broadcast);
            assert!(cidr.contains(cidr.address()));
            assert!(cidr.contains(cidr.network()) && cidr.contains(cidr.broadcast()));
            assert_eq!(
                u32::from(cidr.netmask()).count_ones(),
                u32::from(cidr.prefix_len())
            );
            assert!(cidr.same_subnet(&Ipv4Cidr::new(cidr.network(), cidr.prefix_len()).unwrap()));
            let _ = cidr.is_network_or_broadcast();
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
