//! A router configuration for a private virtual interface: FRR, Cisco
//! IOS-XE or Juniper Junos, from the VLAN, addresses, ASNs and BGP key that
//! DescribeVirtualInterfaces returns.
//!
//! AWS offers a sample configuration (`DescribeRouterConfiguration`), but
//! outside the operations cloudlink forwards, and OUTSCALE has none; this one
//! is generated locally and says so in its first lines.
//!
//! Each BGP peer of the interface (`bgpPeers`, or the interface's own
//! fields when that list is empty) becomes a neighbor: the Amazon address
//! without its prefix length, `remote-as` the Amazon side ASN, the local AS
//! the customer ASN (`asnLong` when set), the MD5 key, and BFD at the
//! values AWS recommends (300 ms, multiplier 3), which the user may drop.
//! The physical interface and the prefixes to announce are placeholders the
//! header lists: [`RouterKind::default_interface`] (or the one given to
//! [`router_config_on`]) and documentation prefixes (192.0.2.0/24,
//! 2001:db8::/32), chosen so that the file still parses as it is.

use std::fmt::Write;
use std::net::IpAddr;

use super::{Cidr, ConfigError, safe_text};
use crate::directconnect::{AddressFamily, BgpPeerState, Secret, VirtualInterface};

/// What stands in the configuration for a BGP key that is not revealed.
/// Plain letters and dashes, so every vendor's parser accepts the file.
pub const MASKED_BGP_KEY: &str = "REPLACE-WITH-BGP-AUTH-KEY";
/// The documentation prefixes (RFC 5737, RFC 3849) announced until the
/// user writes theirs.
const ANNOUNCE_V4: &str = "192.0.2.0/24";
const ANNOUNCE_V6: &str = "2001:db8::/32";
const BFD_INTERVAL_MS: u32 = 300;
const BFD_MULTIPLIER: u32 = 3;
const INTERFACE_NAME_MAX: usize = 32;
const KEY_CHARS: &str = "visible ASCII characters other than \", \\ and ?";
const INTERFACE_CHARS: &str = "an interface name of letters, digits and /._:-";

/// The router software a configuration is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RouterKind {
    /// FRRouting (`frr.conf`, the integrated configuration).
    Frr,
    /// Cisco IOS-XE (configuration mode commands).
    IosXe,
    /// Juniper Junos (the curly-brace format of `load merge`).
    Junos,
}

impl RouterKind {
    pub const ALL: &[RouterKind] = &[RouterKind::Frr, RouterKind::IosXe, RouterKind::Junos];

    /// A short human name.
    pub fn label(self) -> &'static str {
        match self {
            RouterKind::Frr => "FRR",
            RouterKind::IosXe => "Cisco IOS-XE",
            RouterKind::Junos => "Juniper Junos",
        }
    }

    /// The placeholder physical interface [`router_config`] writes.
    pub fn default_interface(self) -> &'static str {
        match self {
            RouterKind::Frr => "eth0",
            RouterKind::IosXe => "GigabitEthernet0/0/0",
            RouterKind::Junos => "ge-0/0/0",
        }
    }

    /// A file name for a download (`frr.conf`, `ios-xe.txt`, `junos.conf`).
    pub fn file_name(self) -> &'static str {
        match self {
            RouterKind::Frr => "frr.conf",
            RouterKind::IosXe => "ios-xe.txt",
            RouterKind::Junos => "junos.conf",
        }
    }

    fn comment(self) -> &'static str {
        match self {
            RouterKind::Frr | RouterKind::IosXe => "!",
            RouterKind::Junos => "#",
        }
    }
}

/// Whether the BGP key is written out or replaced by [`MASKED_BGP_KEY`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyShown {
    Masked,
    Revealed,
}

/// One BGP session of the interface, checked.
#[derive(Debug)]
struct Peer {
    amazon: Cidr,
    customer: Cidr,
    key: Option<String>,
}

impl Peer {
    fn is_v6(&self) -> bool {
        self.amazon.address.is_ipv6()
    }
}

/// Everything a configuration needs, checked.
#[derive(Debug)]
struct Plan {
    id: String,
    name: String,
    vlan: u16,
    local_as: u32,
    amazon_as: u32,
    mtu: Option<u32>,
    physical: String,
    peers: Vec<Peer>,
}

impl Plan {
    fn subinterface(&self) -> String {
        format!("{}.{}", self.physical, self.vlan)
    }

    fn has_v4(&self) -> bool {
        self.peers.iter().any(|p| !p.is_v6())
    }

    fn has_v6(&self) -> bool {
        self.peers.iter().any(Peer::is_v6)
    }
}

/// The configuration for `kind`, on the placeholder physical interface
/// [`RouterKind::default_interface`].
pub fn router_config(
    v: &VirtualInterface,
    kind: RouterKind,
    key: KeyShown,
) -> Result<String, ConfigError> {
    router_config_on(v, kind, key, kind.default_interface())
}

/// The configuration for `kind` with the VLAN subinterface on `interface`
/// (`eth1`, `TenGigabitEthernet0/1/0`, `xe-0/0/1`). The interface name is
/// the user's and is checked like any other field, as `interface`.
pub fn router_config_on(
    v: &VirtualInterface,
    kind: RouterKind,
    key: KeyShown,
    interface: &str,
) -> Result<String, ConfigError> {
    let plan = plan(v, key, interface)?;
    let text = match kind {
        RouterKind::Frr => frr(&plan),
        RouterKind::IosXe => ios_xe(&plan),
        RouterKind::Junos => junos(&plan),
    };
    let mut out = header(&plan, kind, key);
    out.push_str(&text);
    Ok(out)
}

fn plan(v: &VirtualInterface, key: KeyShown, interface: &str) -> Result<Plan, ConfigError> {
    let vlan = v.vlan.ok_or_else(|| ConfigError::missing("vlan"))?;
    let vlan = u16::try_from(vlan)
        .ok()
        .filter(|n| (1..=4094).contains(n))
        .ok_or_else(|| ConfigError::invalid("vlan", "a VLAN id from 1 to 4094"))?;
    let amazon_as = asn("amazonSideAsn", v.amazon_side_asn)?;
    let local_as = asn("asn", long_or_short(v.asn_long, v.asn))?;
    let mtu = v
        .mtu
        .map(|m| {
            u32::try_from(m)
                .ok()
                .filter(|m| (576..=9216).contains(m))
                .ok_or_else(|| ConfigError::invalid("mtu", "an MTU from 576 to 9216"))
        })
        .transpose()?;
    Ok(Plan {
        id: safe_text(v.virtual_interface_id.as_deref().unwrap_or("")),
        name: safe_text(v.virtual_interface_name.as_deref().unwrap_or("")),
        vlan,
        local_as,
        amazon_as,
        mtu,
        physical: physical_interface(interface)?,
        peers: peers(v, key, local_as)?,
    })
}

/// `asnLong` when set, `asn` otherwise; a 0 counts as unset (the zero
/// value of an absent number, as in OUTSCALE's examples).
fn long_or_short(long: Option<i64>, short: Option<i64>) -> Option<i64> {
    long.filter(|n| *n != 0).or(short)
}

/// An ASN from 1 to 2^32 - 1. OUTSCALE answers `amazonSideAsn` as null or 0
/// (not supported), which is reported as missing.
fn asn(field: &str, value: Option<i64>) -> Result<u32, ConfigError> {
    let value = value
        .filter(|n| *n != 0)
        .ok_or_else(|| ConfigError::missing(field))?;
    u32::try_from(value)
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| ConfigError::invalid(field, "an ASN from 1 to 4294967295"))
}

fn physical_interface(name: &str) -> Result<String, ConfigError> {
    let ok_char = |c: char| c.is_ascii_alphanumeric() || "/._:-".contains(c);
    let ok = !name.is_empty()
        && name.len() <= INTERFACE_NAME_MAX
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(ok_char);
    if ok {
        Ok(name.to_owned())
    } else {
        Err(ConfigError::invalid("interface", INTERFACE_CHARS))
    }
}

/// The fields of one session, wherever they sit in the answer.
struct PeerFields<'a> {
    prefix: String,
    family: Option<&'a AddressFamily>,
    amazon: Option<&'a str>,
    customer: Option<&'a str>,
    key: Option<&'a Secret>,
    asn: Option<i64>,
}

fn peers(v: &VirtualInterface, key: KeyShown, local_as: u32) -> Result<Vec<Peer>, ConfigError> {
    let listed: Vec<PeerFields<'_>> = v
        .bgp_peers
        .iter()
        .flatten()
        .enumerate()
        .filter(|(_, p)| {
            !matches!(
                p.bgp_peer_state,
                Some(BgpPeerState::Deleting | BgpPeerState::Deleted)
            )
        })
        .map(|(i, p)| PeerFields {
            prefix: format!("bgpPeers[{i}]."),
            family: p.address_family.as_ref(),
            amazon: p.amazon_address.as_deref(),
            customer: p.customer_address.as_deref(),
            key: p.auth_key.as_ref(),
            asn: long_or_short(p.asn_long, p.asn).filter(|n| *n != 0),
        })
        .collect();
    let fields = if listed.is_empty() {
        vec![PeerFields {
            prefix: String::new(),
            family: v.address_family.as_ref(),
            amazon: v.amazon_address.as_deref(),
            customer: v.customer_address.as_deref(),
            key: v.auth_key.as_ref(),
            asn: None,
        }]
    } else {
        listed
    };
    fields.iter().map(|f| peer(f, key, local_as)).collect()
}

fn peer(f: &PeerFields<'_>, shown: KeyShown, local_as: u32) -> Result<Peer, ConfigError> {
    let field = |name: &str| format!("{}{name}", f.prefix);
    let want_v6 = match f.family {
        Some(AddressFamily::Ipv4) => Some(false),
        Some(AddressFamily::Ipv6) => Some(true),
        Some(AddressFamily::Unknown(_)) => {
            return Err(ConfigError::invalid(field("addressFamily"), "ipv4 or ipv6"));
        }
        None => None,
    };
    let amazon = address(&field("amazonAddress"), f.amazon, want_v6)?;
    let customer = address(
        &field("customerAddress"),
        f.customer,
        Some(amazon.address.is_ipv6()),
    )?;
    let same_subnet = amazon.prefix_len == customer.prefix_len
        && amazon.network() == customer.network()
        && amazon.address != customer.address;
    if !same_subnet {
        return Err(ConfigError::invalid(
            field("customerAddress"),
            "another address in the subnet of amazonAddress",
        ));
    }
    if let Some(asn) = f.asn
        && i64::from(local_as) != asn
    {
        return Err(ConfigError::invalid(
            field("asn"),
            "the interface's asn (one local AS per router)",
        ));
    }
    let key = f
        .key
        .map(|k| bgp_key(&field("authKey"), k, shown))
        .transpose()?;
    Ok(Peer {
        amazon,
        customer,
        key,
    })
}

fn address(field: &str, text: Option<&str>, want_v6: Option<bool>) -> Result<Cidr, ConfigError> {
    let text = text.ok_or_else(|| ConfigError::missing(field))?;
    let expected = match want_v6 {
        Some(true) => "an ipv6 address with a prefix length like 2001:db8::1/125",
        _ => "an ipv4 address with a prefix length like 169.254.0.1/30",
    };
    let cidr = Cidr::parse(text).ok_or_else(|| ConfigError::invalid(field, expected))?;
    match want_v6 {
        Some(v6) if v6 != cidr.address.is_ipv6() => Err(ConfigError::invalid(field, expected)),
        _ => Ok(cidr),
    }
}

fn bgp_key(field: &str, key: &Secret, shown: KeyShown) -> Result<String, ConfigError> {
    if shown == KeyShown::Masked {
        return Ok(MASKED_BGP_KEY.to_owned());
    }
    let value = key.expose();
    let ok = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_graphic() && !matches!(c, '"' | '\\' | '?'));
    if ok {
        Ok(value.to_owned())
    } else {
        Err(ConfigError::invalid(field, KEY_CHARS))
    }
}

fn header(plan: &Plan, kind: RouterKind, shown: KeyShown) -> String {
    let c = kind.comment();
    let mut lines = vec![
        format!(
            "{} configuration for the virtual interface {}{}, VLAN {}.",
            kind.label(),
            or_unnamed(&plan.id),
            if plan.name.is_empty() {
                String::new()
            } else {
                format!(" \"{}\"", plan.name)
            },
            plan.vlan
        ),
        "Generated locally by cloudlink from DescribeVirtualInterfaces; not by AWS.".to_owned(),
        "Review it before use. Placeholders to replace:".to_owned(),
        format!(
            "  {}: the physical interface facing the Direct Connect location;",
            plan.physical
        ),
        format!(
            "  {}: the prefixes you announce to AWS.",
            announced(plan).join(" and ")
        ),
    ];
    let has_key = plan.peers.iter().any(|p| p.key.is_some());
    match (has_key, shown) {
        (false, _) => lines.push("The interface has no BGP authentication key.".into()),
        (true, KeyShown::Masked) => lines.push(format!(
            "  {MASKED_BGP_KEY}: the BGP authentication key, masked here."
        )),
        (true, KeyShown::Revealed) => {
            lines.push("The BGP authentication key is written out: keep this file private.".into())
        }
    }
    lines.push(
        "BFD (300 ms, multiplier 3) is optional; AWS recommends it, without graceful restart."
            .into(),
    );
    let mut out = String::new();
    for line in lines {
        let _ = writeln!(out, "{c} {line}");
    }
    let _ = writeln!(out, "{c}");
    out
}

/// The placeholder prefixes for the families the interface carries.
fn announced(plan: &Plan) -> Vec<&'static str> {
    let mut prefixes = Vec::new();
    if plan.has_v4() {
        prefixes.push(ANNOUNCE_V4);
    }
    if plan.has_v6() {
        prefixes.push(ANNOUNCE_V6);
    }
    prefixes
}

fn or_unnamed(id: &str) -> &str {
    if id.is_empty() { "(no id)" } else { id }
}

fn neighbor(p: &Peer) -> IpAddr {
    p.amazon.address
}

fn frr(plan: &Plan) -> String {
    let mut o = String::new();
    let sub = plan.subinterface();
    let _ = writeln!(o, "frr defaults traditional\n!");
    let _ = writeln!(
        o,
        "! FRR does not create the VLAN subinterface; in Linux first:"
    );
    let _ = writeln!(
        o,
        "!   ip link add link {} name {sub} type vlan id {}",
        plan.physical, plan.vlan
    );
    let mtu = plan.mtu.map(|m| format!(" mtu {m}")).unwrap_or_default();
    let _ = writeln!(o, "!   ip link set dev {sub}{mtu} up\n!");
    let _ = writeln!(
        o,
        "bfd\n profile aws-direct-connect\n  detect-multiplier {BFD_MULTIPLIER}\n  \
         receive-interval {BFD_INTERVAL_MS}\n  transmit-interval {BFD_INTERVAL_MS}\n \
         exit\nexit\n!"
    );
    if plan.has_v4() {
        let _ = writeln!(
            o,
            "ip prefix-list CLOUDLINK-TO-AWS seq 5 permit {ANNOUNCE_V4}\n\
             route-map CLOUDLINK-TO-AWS permit 10\n match ip address prefix-list CLOUDLINK-TO-AWS\nexit"
        );
    }
    if plan.has_v6() {
        let _ = writeln!(
            o,
            "ipv6 prefix-list CLOUDLINK-TO-AWS-V6 seq 5 permit {ANNOUNCE_V6}\n\
             route-map CLOUDLINK-TO-AWS-V6 permit 10\n match ipv6 address prefix-list CLOUDLINK-TO-AWS-V6\nexit"
        );
    }
    let _ = writeln!(o, "route-map CLOUDLINK-FROM-AWS permit 10\nexit\n!");
    let _ = writeln!(o, "interface {sub}");
    if !plan.name.is_empty() {
        let _ = writeln!(o, " description {}", plan.name);
    }
    for p in &plan.peers {
        let ip = if p.is_v6() { "ipv6" } else { "ip" };
        let _ = writeln!(o, " {ip} address {}", p.customer);
    }
    let _ = writeln!(o, "exit\n!");
    frr_bgp(&mut o, plan);
    o
}

fn frr_bgp(o: &mut String, plan: &Plan) {
    let _ = writeln!(o, "router bgp {}", plan.local_as);
    let _ = writeln!(o, " no bgp default ipv4-unicast");
    for p in &plan.peers {
        let n = neighbor(p);
        let _ = writeln!(o, " neighbor {n} remote-as {}", plan.amazon_as);
        let _ = writeln!(o, " neighbor {n} description AWS {}", or_unnamed(&plan.id));
        if let Some(key) = &p.key {
            let _ = writeln!(o, " neighbor {n} password {key}");
        }
        let _ = writeln!(o, " neighbor {n} bfd profile aws-direct-connect");
    }
    for v6 in [false, true] {
        let family: Vec<&Peer> = plan.peers.iter().filter(|p| p.is_v6() == v6).collect();
        if family.is_empty() {
            continue;
        }
        let (af, announce, out) = if v6 {
            ("ipv6", ANNOUNCE_V6, "CLOUDLINK-TO-AWS-V6")
        } else {
            ("ipv4", ANNOUNCE_V4, "CLOUDLINK-TO-AWS")
        };
        let _ = writeln!(o, " !\n address-family {af} unicast\n  network {announce}");
        for p in family {
            let n = neighbor(p);
            let _ = writeln!(o, "  neighbor {n} activate");
            let _ = writeln!(o, "  neighbor {n} route-map CLOUDLINK-FROM-AWS in");
            let _ = writeln!(o, "  neighbor {n} route-map {out} out");
        }
        let _ = writeln!(o, " exit-address-family");
    }
    let _ = writeln!(o, "exit\n!");
}

fn ipv4_mask(prefix_len: u8) -> std::net::Ipv4Addr {
    u32::MAX
        .checked_shl(32 - u32::from(prefix_len))
        .unwrap_or(0)
        .into()
}

fn ios_xe(plan: &Plan) -> String {
    let mut o = String::new();
    if plan.has_v6() {
        let _ = writeln!(o, "ipv6 unicast-routing\n!");
    }
    let _ = writeln!(o, "interface {}", plan.subinterface());
    if !plan.name.is_empty() {
        let _ = writeln!(o, " description {}", plan.name);
    }
    let _ = writeln!(o, " encapsulation dot1Q {}", plan.vlan);
    for p in &plan.peers {
        match p.customer.address {
            IpAddr::V4(a) => {
                let mask = ipv4_mask(p.customer.prefix_len);
                let _ = writeln!(o, " ip address {a} {mask}");
            }
            IpAddr::V6(_) => {
                let _ = writeln!(o, " ipv6 address {}", p.customer);
            }
        }
    }
    if let Some(mtu) = plan.mtu {
        let _ = writeln!(o, " ip mtu {mtu}");
        if plan.has_v6() {
            let _ = writeln!(o, " ipv6 mtu {mtu}");
        }
    }
    let _ = writeln!(
        o,
        " bfd interval {BFD_INTERVAL_MS} min_rx {BFD_INTERVAL_MS} multiplier {BFD_MULTIPLIER}\n!"
    );
    if plan.has_v4() {
        let _ = writeln!(
            o,
            "ip prefix-list CLOUDLINK-TO-AWS seq 5 permit {ANNOUNCE_V4}"
        );
    }
    if plan.has_v6() {
        let _ = writeln!(
            o,
            "ipv6 prefix-list CLOUDLINK-TO-AWS-V6 seq 5 permit {ANNOUNCE_V6}"
        );
    }
    let _ = writeln!(o, "!");
    ios_xe_bgp(&mut o, plan);
    let _ = writeln!(o, "end");
    o
}

fn ios_xe_bgp(o: &mut String, plan: &Plan) {
    let _ = writeln!(o, "router bgp {}", plan.local_as);
    let _ = writeln!(o, " bgp log-neighbor-changes\n no bgp default ipv4-unicast");
    for p in &plan.peers {
        let n = neighbor(p);
        let _ = writeln!(o, " neighbor {n} remote-as {}", plan.amazon_as);
        let _ = writeln!(o, " neighbor {n} description AWS {}", or_unnamed(&plan.id));
        if let Some(key) = &p.key {
            // Type 0 says the key follows in clear, so a key that starts with a
            // digit (AWS makes `0x...` keys) is not read as a type.
            let _ = writeln!(o, " neighbor {n} password 0 {key}");
        }
        let _ = writeln!(o, " neighbor {n} fall-over bfd");
    }
    for v6 in [false, true] {
        let family: Vec<&Peer> = plan.peers.iter().filter(|p| p.is_v6() == v6).collect();
        if family.is_empty() {
            continue;
        }
        let (af, network, list) = if v6 {
            ("ipv6", ANNOUNCE_V6.to_owned(), "CLOUDLINK-TO-AWS-V6")
        } else {
            (
                "ipv4",
                "192.0.2.0 mask 255.255.255.0".to_owned(),
                "CLOUDLINK-TO-AWS",
            )
        };
        let _ = writeln!(o, " !\n address-family {af}\n  network {network}");
        for p in family {
            let n = neighbor(p);
            let _ = writeln!(o, "  neighbor {n} activate");
            let _ = writeln!(o, "  neighbor {n} prefix-list {list} out");
        }
        let _ = writeln!(o, " exit-address-family");
    }
    let _ = writeln!(o, "!");
}

fn junos(plan: &Plan) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "interfaces {{\n    {} {{", plan.physical);
    let _ = writeln!(o, "        vlan-tagging;\n        unit {} {{", plan.vlan);
    if !plan.name.is_empty() {
        let _ = writeln!(o, "            description \"{}\";", plan.name);
    }
    let _ = writeln!(o, "            vlan-id {};", plan.vlan);
    for v6 in [false, true] {
        let family: Vec<&Peer> = plan.peers.iter().filter(|p| p.is_v6() == v6).collect();
        if family.is_empty() {
            continue;
        }
        let name = if v6 { "inet6" } else { "inet" };
        let _ = writeln!(o, "            family {name} {{");
        if let Some(mtu) = plan.mtu {
            let _ = writeln!(o, "                mtu {mtu};");
        }
        for p in family {
            let _ = writeln!(o, "                address {};", p.customer);
        }
        let _ = writeln!(o, "            }}");
    }
    let _ = writeln!(o, "        }}\n    }}\n}}");
    let _ = writeln!(o, "policy-options {{\n    prefix-list CLOUDLINK-TO-AWS {{");
    for prefix in announced(plan) {
        let _ = writeln!(o, "        {prefix};");
    }
    let _ = writeln!(
        o,
        "    }}\n    policy-statement CLOUDLINK-TO-AWS {{\n        term announce {{\n            \
         from prefix-list CLOUDLINK-TO-AWS;\n            then accept;\n        }}\n        \
         term rest {{\n            then reject;\n        }}\n    }}\n}}"
    );
    let _ = writeln!(
        o,
        "routing-options {{\n    autonomous-system {};\n}}",
        plan.local_as
    );
    junos_bgp(&mut o, plan);
    o
}

fn junos_bgp(o: &mut String, plan: &Plan) {
    let _ = writeln!(o, "protocols {{\n    bgp {{");
    let _ = writeln!(o, "        group CLOUDLINK-AWS-VLAN-{} {{", plan.vlan);
    let _ = writeln!(o, "            type external;");
    let _ = writeln!(o, "            peer-as {};", plan.amazon_as);
    let _ = writeln!(o, "            export CLOUDLINK-TO-AWS;");
    let _ = writeln!(
        o,
        "            bfd-liveness-detection {{\n                minimum-interval {BFD_INTERVAL_MS};\n                \
         multiplier {BFD_MULTIPLIER};\n            }}"
    );
    for p in &plan.peers {
        let _ = writeln!(o, "            neighbor {} {{", neighbor(p));
        let _ = writeln!(
            o,
            "                description \"AWS {}\";",
            or_unnamed(&plan.id)
        );
        let _ = writeln!(o, "                local-address {};", p.customer.address);
        if let Some(key) = &p.key {
            let _ = writeln!(o, "                authentication-key \"{key}\";");
        }
        let family = if p.is_v6() { "inet6" } else { "inet" };
        let _ = writeln!(
            o,
            "                family {family} {{\n                    unicast;\n                }}"
        );
        let _ = writeln!(o, "            }}");
    }
    let _ = writeln!(o, "        }}\n    }}\n}}");
}
