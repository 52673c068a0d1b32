//! The limits of each provider and the checks shared by several requests
//! (tags, identifiers, peering addresses, provider-only fields).
//!
//! Where a number comes from: "model" is botocore's
//! `directconnect/2012-10-25/service-2.json` (its shapes' `min`/`max`/`pattern`
//! and its member documentation); "OUTSCALE doc" is OUTSCALE's DirectLink API
//! reference. The model facts are copied into
//! `core/tests/data/directconnect/aws-model-facts.json` and tested against these
//! constants.

use crate::catalogue::Provider;
use crate::ipv4::Ipv4Cidr;
use crate::rules;
use crate::validate::{Errors, Rule, index, path};

use super::Tag;

/// Port speeds of AWS dedicated connections, from the Direct Connect User
/// Guide ("Dedicated connections": 1, 10, 100 and 400 Gbps). The model leaves
/// `Bandwidth` an unconstrained string because hosted connections (made by
/// partners, not through CreateConnection) have other speeds.
pub const AWS_DEDICATED_BANDWIDTHS: &[&str] = &["1Gbps", "10Gbps", "100Gbps", "400Gbps"];
/// OUTSCALE doc, CreateConnection `bandwidth`: "(1Gbps | 10Gbps)".
pub const OUTSCALE_BANDWIDTHS: &[&str] = &["1Gbps", "10Gbps"];

/// Model: `TagKey` min 1, max 128.
pub const AWS_TAG_KEY_MIN: usize = 1;
pub const AWS_TAG_KEY_MAX: usize = 128;
/// Model: `TagValue` min 0, max 256.
pub const AWS_TAG_VALUE_MIN: usize = 0;
pub const AWS_TAG_VALUE_MAX: usize = 256;
/// Direct Connect User Guide quotas: 50 tags per resource (the model only says
/// `TagList` min 1).
pub const AWS_MAX_TAGS: usize = 50;

/// 802.1Q VLAN IDs 1-4094 (0 and 4095 are reserved); the model has no limit.
pub const AWS_VLAN_MIN: i64 = 1;
pub const AWS_VLAN_MAX: i64 = 4094;
/// OUTSCALE doc, `vlan`: "must be unique and be between 2 and 4094".
pub const OUTSCALE_VLAN_MIN: i64 = 2;
pub const OUTSCALE_VLAN_MAX: i64 = 4094;

/// Model documentation of `asn`: "The valid range is from 1 to 2147483646".
pub const AWS_ASN_MIN: i64 = 1;
pub const AWS_ASN_MAX: i64 = 2_147_483_646;
/// Model documentation of `asnLong`: "The valid range is from 1 to 4294967294".
/// Also used for OUTSCALE's allocation `asn`, whose doc gives no range: 0 and
/// 4294967295 are reserved ASNs (RFC 7607, RFC 7300).
pub const AWS_LONG_ASN_MAX: i64 = 4_294_967_294;
/// OUTSCALE doc, NewPrivateVirtualInterface `asn`: "between 64512 and 65534".
pub const OUTSCALE_PRIVATE_ASN_MIN: i64 = 64_512;
pub const OUTSCALE_PRIVATE_ASN_MAX: i64 = 65_534;

/// Model documentation of `authKey`: "a minimum length of 6 characters and a
/// maximum length of 80 characters" (the `BGPAuthKey` shape itself has no
/// min/max). OUTSCALE documents no limit, so none is applied there.
pub const AWS_AUTH_KEY_MIN: usize = 6;
pub const AWS_AUTH_KEY_MAX: usize = 80;

/// Model documentation of private virtual interface `mtu`: "The supported
/// values are 1500 and 8500". The Direct Connect User Guide gives 9001 for
/// jumbo frames on private virtual interfaces; both are accepted so that
/// neither document's value is refused here (AWS decides).
pub const AWS_MTUS: &[i64] = &[1500, 8500, 9001];
/// [`AWS_MTUS`] as the message lists them.
pub const AWS_MTU_NAMES: &[&str] = &["1500", "8500", "9001"];

/// Model documentation of `virtualInterfaceName`: "a maximum of 100
/// characters. The following are valid characters: a-z, 0-9 and a hyphen".
pub const AWS_VIF_NAME_MAX: usize = 100;
/// The characters of an AWS `virtualInterfaceName`, as messages and hints say them.
pub const AWS_VIF_NAME_CHARS: &str = "lowercase letters a-z, digits and -";

/// An AWS `virtualInterfaceName`: 1 to [`AWS_VIF_NAME_MAX`] of a-z, 0-9 and `-`.
pub fn aws_vif_name(value: &str) -> Result<(), Rule> {
    rules::length(value, 1, AWS_VIF_NAME_MAX)?;
    rules::charset(value, AWS_VIF_NAME_CHARS, |c| {
        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'
    })
}

/// An AWS private virtual interface `mtu`: one of [`AWS_MTUS`].
pub fn aws_mtu(value: i64) -> Result<(), Rule> {
    if AWS_MTUS.contains(&value) {
        Ok(())
    } else {
        Err(Rule::OneOf {
            allowed: AWS_MTU_NAMES,
        })
    }
}

/// Whether `c` is in the model's tag class `[\p{L}\p{Z}\p{N}_.:/=+\-@]`.
///
/// `\p{N}` is exactly `char::is_numeric`; `\p{Z}` is exactly the white space
/// that is not a control character. `\p{L}` is approximated by
/// `char::is_alphabetic`, which also admits the few combining marks Unicode
/// calls alphabetic (std has no general-category table).
pub fn is_tag_char(c: char) -> bool {
    c.is_alphabetic()
        || c.is_numeric()
        || (c.is_whitespace() && !c.is_control())
        || matches!(c, '_' | '.' | ':' | '/' | '=' | '+' | '-' | '@')
}

const TAG_CHARSET: &str = "letters, digits, spaces and _ . : / = + - @";

/// Refuses a field only AWS has when the provider is OUTSCALE, and the
/// reverse. `present` is whether the request carries the field.
pub(super) fn only_for(
    errors: &mut Errors,
    provider: Provider,
    owner: Provider,
    field: String,
    present: bool,
) {
    if present && provider != owner {
        errors.add(field, Rule::NotSupported { provider });
    }
}

/// Refuses validation for a provider without a Direct Connect API.
pub(super) fn known_provider(errors: &mut Errors, provider: Provider) -> bool {
    if provider == Provider::Oci {
        errors.add("", Rule::NoSuchApi { provider });
        return false;
    }
    true
}

/// A required string: missing or blank is [`Rule::Required`]; otherwise `then`
/// checks its format.
pub(super) fn required(
    errors: &mut Errors,
    field: String,
    value: &str,
    then: impl FnOnce(&str) -> Result<(), Rule>,
) {
    match rules::non_empty(value) {
        Err(rule) => errors.add(field, rule),
        Ok(()) => errors.check(field, then(value)),
    }
}

/// A required number: missing is [`Rule::Required`], else within `min..=max`.
pub(super) fn required_range(
    errors: &mut Errors,
    field: String,
    value: Option<i64>,
    min: i64,
    max: i64,
) {
    match value {
        None => errors.add(field, Rule::Required),
        Some(v) => errors.check(field, rules::range(v, min, max)),
    }
}

pub(super) fn anything(_: &str) -> Result<(), Rule> {
    Ok(())
}

/// An AWS identifier: one of `prefixes` then 8 to 17 lowercase letters or
/// digits (`dxcon-fg5678gh`, `vgw-0123456789abcdef0`).
pub(super) fn aws_id(value: &str, prefixes: &[&str], expected: &'static str) -> Result<(), Rule> {
    let rest = prefixes.iter().find_map(|p| value.strip_prefix(p));
    let ok = rest.is_some_and(|r| {
        (8..=17).contains(&r.len())
            && r.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    });
    if ok {
        Ok(())
    } else {
        Err(Rule::Format { expected })
    }
}

pub(super) fn connection_id(value: &str) -> Result<(), Rule> {
    aws_id(value, &["dxcon-"], "a connection id like dxcon-fg5678gh")
}

/// Virtual interfaces live on a connection or on a LAG; both ids are accepted.
pub(super) fn connection_or_lag_id(value: &str) -> Result<(), Rule> {
    aws_id(
        value,
        &["dxcon-", "dxlag-"],
        "a connection or lag id like dxcon-fg5678gh",
    )
}

pub(super) fn lag_id(value: &str) -> Result<(), Rule> {
    aws_id(value, &["dxlag-"], "a lag id like dxlag-ffrz71kw")
}

pub(super) fn virtual_interface_id(value: &str) -> Result<(), Rule> {
    aws_id(
        value,
        &["dxvif-"],
        "a virtual interface id like dxvif-fgh0hcrk",
    )
}

pub(super) fn virtual_gateway_id(value: &str) -> Result<(), Rule> {
    aws_id(
        value,
        &["vgw-"],
        "a virtual private gateway id like vgw-0123abcd",
    )
}

/// A Direct Connect gateway id is a UUID in lowercase hex, 8-4-4-4-12.
pub(super) fn direct_connect_gateway_id(value: &str) -> Result<(), Rule> {
    let groups: Vec<&str> = value.split('-').collect();
    let lengths = [8, 4, 4, 4, 12];
    let ok = groups.len() == lengths.len()
        && groups.iter().zip(lengths).all(|(g, n)| {
            g.len() == n
                && g.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        });
    if ok {
        Ok(())
    } else {
        Err(Rule::Format {
            expected: "a direct connect gateway id like 5f294f92-bafb-4011-916d-9b0bexample",
        })
    }
}

/// An AWS account id: exactly 12 digits.
pub(super) fn aws_account_id(value: &str) -> Result<(), Rule> {
    if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(Rule::Format {
            expected: "a 12-digit account id like 123456789012",
        })
    }
}

/// AWS tags: 1 to 50 entries, keys and values in the model's class and
/// lengths, no key twice (the second occurrence is reported).
pub(super) fn aws_tags(errors: &mut Errors, field: &str, tags: &[Tag]) {
    if tags.is_empty() {
        errors.add(field, Rule::EmptyWhenGiven);
    }
    if tags.len() > AWS_MAX_TAGS {
        errors.add(
            field,
            Rule::TooMany {
                max: AWS_MAX_TAGS,
                actual: tags.len(),
            },
        );
    }
    for (i, tag) in tags.iter().enumerate() {
        let at = index(field, i);
        let key = path(&at, "key");
        if tag.key.is_empty() {
            errors.add(key, Rule::Required);
        } else if let Err(rule) = rules::length(&tag.key, AWS_TAG_KEY_MIN, AWS_TAG_KEY_MAX) {
            errors.add(key, rule);
        } else if let Err(rule) = rules::charset(&tag.key, TAG_CHARSET, is_tag_char) {
            errors.add(key, rule);
        } else if tags[..i].iter().any(|t| t.key == tag.key) {
            errors.add(key, Rule::Duplicate);
        }
        if let Some(value) = &tag.value {
            let field = path(&at, "value");
            if let Err(rule) = rules::length(value, AWS_TAG_VALUE_MIN, AWS_TAG_VALUE_MAX) {
                errors.add(field, rule);
            } else {
                errors.check(field, rules::charset(value, TAG_CHARSET, is_tag_char));
            }
        }
    }
}

const PEER_ADDRESS: &str = "an ipv4 address with its prefix length, like 169.254.0.1/30";

/// The two BGP peer addresses of a virtual interface (`parent.amazonAddress`,
/// `parent.customerAddress`): each an IPv4 address with prefix, the customer
/// one required when the Amazon one is given (and, when `both_or_neither`, the
/// reverse), both in one subnet, different, and neither the subnet's network
/// or broadcast address.
pub(super) fn peer_addresses(
    errors: &mut Errors,
    parent: &str,
    amazon: Option<&str>,
    customer: Option<&str>,
    both_or_neither: bool,
) {
    let amazon_field = path(parent, "amazonAddress");
    let customer_field = path(parent, "customerAddress");
    let mut parse_one = |field: &str, value: Option<&str>| -> Option<Ipv4Cidr> {
        let value = value?;
        match Ipv4Cidr::parse(value) {
            Ok(cidr) if cidr.is_network_or_broadcast() => {
                errors.add(field, Rule::NetworkOrBroadcast);
                None
            }
            Ok(cidr) => Some(cidr),
            Err(_) => {
                errors.add(
                    field,
                    Rule::Format {
                        expected: PEER_ADDRESS,
                    },
                );
                None
            }
        }
    };
    let amazon_cidr = parse_one(&amazon_field, amazon);
    let customer_cidr = parse_one(&customer_field, customer);
    if amazon.is_some() && customer.is_none() {
        errors.add(customer_field.clone(), Rule::Required);
    }
    if both_or_neither && customer.is_some() && amazon.is_none() {
        errors.add(amazon_field, Rule::Required);
    }
    if let (Some(a), Some(c)) = (amazon_cidr, customer_cidr) {
        if !a.same_subnet(&c) {
            errors.add(
                customer_field,
                Rule::NotSameSubnet {
                    other: "amazonAddress",
                },
            );
        } else if a.address() == c.address() {
            errors.add(
                customer_field,
                Rule::SameAs {
                    other: "amazonAddress",
                },
            );
        }
    }
}
