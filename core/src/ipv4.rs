//! IPv4 addresses with a prefix length, as BGP peering addresses are written
//! (`169.254.0.1/30`).
//!
//! A virtual interface's two peer addresses must sit in one small subnet, and
//! neither may be that subnet's network or broadcast address. These checks run
//! in the console as the user types and again in the proxy, so they live here,
//! pure and strict: exactly four decimal octets without leading zeros, and a
//! prefix length from 0 to 32 written the same way.

use std::fmt;
use std::net::Ipv4Addr;

/// Why a text is not an IPv4 address (with prefix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ipv4Error {
    /// Not four dot-separated decimal octets from 0 to 255 without leading zeros.
    Address(String),
    /// No `/length` after the address.
    MissingPrefix(String),
    /// A prefix length that is not a number from 0 to 32 without leading zeros.
    PrefixLength(String),
}

impl fmt::Display for Ipv4Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ipv4Error::Address(_) => f.write_str("not an ipv4 address like 169.254.0.1"),
            Ipv4Error::MissingPrefix(_) => f.write_str("missing a prefix length like /30"),
            Ipv4Error::PrefixLength(_) => f.write_str("prefix length must be 0 to 32"),
        }
    }
}

impl std::error::Error for Ipv4Error {}

/// A decimal number of at most `max_digits` digits, without a leading zero
/// unless it is `0` itself.
fn strict_decimal(text: &str, max_digits: usize) -> Option<u32> {
    let digits_only = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    if !digits_only || text.len() > max_digits || (text.len() > 1 && text.starts_with('0')) {
        return None;
    }
    text.parse().ok()
}

/// Parses `a.b.c.d` strictly: four octets, each 0-255, no leading zeros, no
/// spaces, signs or other notations (`0x7f.1`, `127.1`).
pub fn parse_address(text: &str) -> Result<Ipv4Addr, Ipv4Error> {
    let bad = || Ipv4Error::Address(text.chars().take(64).collect());
    let mut octets = [0u8; 4];
    let mut parts = text.split('.');
    for octet in &mut octets {
        let part = parts.next().ok_or_else(bad)?;
        let value = strict_decimal(part, 3).ok_or_else(bad)?;
        *octet = u8::try_from(value).map_err(|_| bad())?;
    }
    if parts.next().is_some() {
        return Err(bad());
    }
    Ok(Ipv4Addr::from(octets))
}

/// An address and the length of its subnet's prefix, host bits kept:
/// `169.254.0.1/30` is the address `169.254.0.1` in the subnet `169.254.0.0/30`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ipv4Cidr {
    address: Ipv4Addr,
    prefix_len: u8,
}

impl Ipv4Cidr {
    /// `prefix_len` above 32 is refused.
    pub fn new(address: Ipv4Addr, prefix_len: u8) -> Result<Ipv4Cidr, Ipv4Error> {
        if prefix_len > 32 {
            return Err(Ipv4Error::PrefixLength(prefix_len.to_string()));
        }
        Ok(Ipv4Cidr {
            address,
            prefix_len,
        })
    }

    /// Parses `a.b.c.d/n`; the prefix length is required.
    pub fn parse(text: &str) -> Result<Ipv4Cidr, Ipv4Error> {
        let Some((address, prefix)) = text.split_once('/') else {
            parse_address(text)?;
            return Err(Ipv4Error::MissingPrefix(text.chars().take(64).collect()));
        };
        let address = parse_address(address)?;
        let prefix_len = strict_decimal(prefix, 2)
            .filter(|n| *n <= 32)
            .ok_or_else(|| Ipv4Error::PrefixLength(prefix.chars().take(8).collect()))?;
        Ok(Ipv4Cidr {
            address,
            prefix_len: prefix_len as u8,
        })
    }

    pub fn address(&self) -> Ipv4Addr {
        self.address
    }

    pub fn prefix_len(&self) -> u8 {
        self.prefix_len
    }

    /// The mask of the prefix: `/30` is `255.255.255.252`.
    pub fn netmask(&self) -> Ipv4Addr {
        Ipv4Addr::from(self.mask_bits())
    }

    fn mask_bits(&self) -> u32 {
        // A shift by 32 overflows, so /0 is handled apart.
        if self.prefix_len == 0 {
            0
        } else {
            u32::MAX << (32 - u32::from(self.prefix_len))
        }
    }

    /// The subnet's first address (all host bits zero).
    pub fn network(&self) -> Ipv4Addr {
        Ipv4Addr::from(u32::from(self.address) & self.mask_bits())
    }

    /// The subnet's last address (all host bits one).
    pub fn broadcast(&self) -> Ipv4Addr {
        Ipv4Addr::from(u32::from(self.address) | !self.mask_bits())
    }

    /// Whether `address` is inside this subnet.
    pub fn contains(&self, address: Ipv4Addr) -> bool {
        u32::from(address) & self.mask_bits() == u32::from(self.network())
    }

    /// Same prefix length and same network: two ends of one link.
    pub fn same_subnet(&self, other: &Ipv4Cidr) -> bool {
        self.prefix_len == other.prefix_len && self.network() == other.network()
    }

    /// Whether the address is its subnet's network or broadcast address, which
    /// a host may not use. Point-to-point `/31` (RFC 3021) and `/32` have
    /// neither, so this is false for them.
    pub fn is_network_or_broadcast(&self) -> bool {
        self.prefix_len < 31 && (self.address == self.network() || self.address == self.broadcast())
    }
}

impl fmt::Display for Ipv4Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.address, self.prefix_len)
    }
}

impl std::str::FromStr for Ipv4Cidr {
    type Err = Ipv4Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ipv4Cidr::parse(s)
    }
}
