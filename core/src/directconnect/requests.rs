//! The ten request bodies, with the union of AWS's and OUTSCALE's fields, and
//! their validation per provider.

use serde::{Deserialize, Serialize};

use crate::catalogue::Provider;
use crate::rules;
use crate::validate::{Errors, Rule, ValidationErrors, path};

use super::checks::{self, anything, only_for, required, required_range};
use super::{Secret, Tag, null_as_empty, wide_int};

crate::open_enum! {
    /// The BGP peer's address family (model `AddressFamily`).
    pub enum AddressFamily { Ipv4 => "ipv4", Ipv6 => "ipv6" }
}

crate::open_enum! {
    /// How a new connection is billed (model `RequestBillingMode`).
    pub enum BillingMode {
        PayAsYouGo => "PayAsYouGo",
        FlatRateTier1 => "FlatRateTier1",
        FlatRateTier2 => "FlatRateTier2",
        FlatRateTier3 => "FlatRateTier3",
        FlatRateTier4 => "FlatRateTier4",
        FlatRateTier5 => "FlatRateTier5",
    }
}

use Provider::{Aws, Outscale};

/// `dryRun` (OUTSCALE only, lowercase d in most operations).
fn dry_run(errors: &mut Errors, provider: Provider, field: &str, value: Option<bool>) {
    only_for(
        errors,
        provider,
        Outscale,
        field.to_owned(),
        value.is_some(),
    );
}

/// An optional AWS identifier: checked for AWS, accepted as is by OUTSCALE.
fn optional_id(
    errors: &mut Errors,
    provider: Provider,
    field: &str,
    value: Option<&str>,
    check: fn(&str) -> Result<(), Rule>,
) {
    if let (Aws, Some(v)) = (provider, value) {
        errors.check(field, check(v));
    }
}

/// A required identifier: blank is required; AWS also checks its format.
fn required_id(
    errors: &mut Errors,
    provider: Provider,
    field: &str,
    value: &str,
    check: fn(&str) -> Result<(), Rule>,
) {
    let check = if provider == Aws { check } else { anything };
    required(errors, field.to_owned(), value, check);
}

/// POST CreateConnection.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CreateConnectionRequest {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub location: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub bandwidth: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub connection_name: String,
    /// AWS only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lag_id: Option<String>,
    /// AWS only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    /// AWS only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_name: Option<String>,
    /// AWS only.
    #[serde(
        rename = "requestMACSec",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub request_mac_sec: Option<bool>,
    /// AWS only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_mode: Option<BillingMode>,
    /// OUTSCALE only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<bool>,
}

impl CreateConnectionRequest {
    pub fn validate(&self, provider: Provider) -> Result<(), ValidationErrors> {
        let mut errors = Errors::new();
        if checks::known_provider(&mut errors, provider) {
            let bandwidths = match provider {
                Outscale => checks::OUTSCALE_BANDWIDTHS,
                _ => checks::AWS_DEDICATED_BANDWIDTHS,
            };
            required(&mut errors, "location".into(), &self.location, anything);
            required(&mut errors, "bandwidth".into(), &self.bandwidth, |v| {
                rules::one_of(v, bandwidths)
            });
            required(
                &mut errors,
                "connectionName".into(),
                &self.connection_name,
                anything,
            );
            only_for(
                &mut errors,
                provider,
                Aws,
                "lagId".into(),
                self.lag_id.is_some(),
            );
            optional_id(
                &mut errors,
                provider,
                "lagId",
                self.lag_id.as_deref(),
                checks::lag_id,
            );
            only_for(
                &mut errors,
                provider,
                Aws,
                "tags".into(),
                self.tags.is_some(),
            );
            if let (Aws, Some(tags)) = (provider, &self.tags) {
                checks::aws_tags(&mut errors, "tags", tags);
            }
            only_for(
                &mut errors,
                provider,
                Aws,
                "providerName".into(),
                self.provider_name.is_some(),
            );
            only_for(
                &mut errors,
                provider,
                Aws,
                "requestMACSec".into(),
                self.request_mac_sec.is_some(),
            );
            only_for(
                &mut errors,
                provider,
                Aws,
                "billingMode".into(),
                self.billing_mode.is_some(),
            );
            if let (Aws, Some(BillingMode::Unknown(_))) = (provider, &self.billing_mode) {
                errors.add(
                    "billingMode",
                    Rule::OneOf {
                        allowed: BillingMode::KNOWN,
                    },
                );
            }
            dry_run(&mut errors, provider, "dryRun", self.dry_run);
        }
        errors.into_result()
    }
}

/// POST DeleteConnection.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DeleteConnectionRequest {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub connection_id: String,
    /// OUTSCALE only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<bool>,
}

impl DeleteConnectionRequest {
    pub fn validate(&self, provider: Provider) -> Result<(), ValidationErrors> {
        let mut errors = Errors::new();
        if checks::known_provider(&mut errors, provider) {
            required_id(
                &mut errors,
                provider,
                "connectionId",
                &self.connection_id,
                checks::connection_id,
            );
            dry_run(&mut errors, provider, "dryRun", self.dry_run);
        }
        errors.into_result()
    }
}

/// AWS's page size is at most 100 (larger values are served as 100), so any
/// positive 32-bit integer is accepted.
fn max_results(errors: &mut Errors, provider: Provider, value: Option<i64>) {
    only_for(errors, provider, Aws, "maxResults".into(), value.is_some());
    if let (Aws, Some(v)) = (provider, value) {
        errors.check("maxResults", rules::range(v, 1, i64::from(i32::MAX)));
    }
}

/// POST DescribeConnections.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DescribeConnectionsRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_id: Option<String>,
    /// AWS only.
    #[serde(
        default,
        deserialize_with = "wide_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_results: Option<i64>,
    /// AWS only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    /// OUTSCALE only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<bool>,
}

impl DescribeConnectionsRequest {
    pub fn validate(&self, provider: Provider) -> Result<(), ValidationErrors> {
        let mut errors = Errors::new();
        if checks::known_provider(&mut errors, provider) {
            optional_id(
                &mut errors,
                provider,
                "connectionId",
                self.connection_id.as_deref(),
                checks::connection_id,
            );
            max_results(&mut errors, provider, self.max_results);
            only_for(
                &mut errors,
                provider,
                Aws,
                "nextToken".into(),
                self.next_token.is_some(),
            );
            dry_run(&mut errors, provider, "dryRun", self.dry_run);
        }
        errors.into_result()
    }
}

/// POST DescribeLocations: no input for AWS; OUTSCALE takes `DryRun`, with a
/// capital D.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DescribeLocationsRequest {
    /// OUTSCALE only.
    #[serde(rename = "DryRun", default, skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<bool>,
}

impl DescribeLocationsRequest {
    pub fn validate(&self, provider: Provider) -> Result<(), ValidationErrors> {
        let mut errors = Errors::new();
        if checks::known_provider(&mut errors, provider) {
            dry_run(&mut errors, provider, "DryRun", self.dry_run);
        }
        errors.into_result()
    }
}

/// POST DescribeVirtualGateways: no input for AWS; OUTSCALE takes `DryRun`,
/// with a capital D.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DescribeVirtualGatewaysRequest {
    /// OUTSCALE only.
    #[serde(rename = "DryRun", default, skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<bool>,
}

impl DescribeVirtualGatewaysRequest {
    pub fn validate(&self, provider: Provider) -> Result<(), ValidationErrors> {
        let mut errors = Errors::new();
        if checks::known_provider(&mut errors, provider) {
            dry_run(&mut errors, provider, "DryRun", self.dry_run);
        }
        errors.into_result()
    }
}

/// The fields the two kinds of new private virtual interface share.
struct VifFields<'a> {
    address_family: Option<&'a AddressFamily>,
    amazon_address: Option<&'a str>,
    asn: Option<i64>,
    asn_long: Option<i64>,
    auth_key: Option<&'a Secret>,
    customer_address: Option<&'a str>,
    mtu: Option<i64>,
    rate_limit: Option<&'a str>,
    tags: Option<&'a [Tag]>,
    virtual_interface_name: &'a str,
    vlan: Option<i64>,
}

impl VifFields<'_> {
    /// `outscale_asn`: the range OUTSCALE documents for this request's `asn`.
    fn validate(
        &self,
        errors: &mut Errors,
        provider: Provider,
        parent: &str,
        outscale_asn: (i64, i64),
    ) {
        match provider {
            Outscale => self.validate_outscale(errors, parent, outscale_asn),
            Aws | Provider::Oci => self.validate_aws(errors, parent),
        }
        let aws_only = [
            ("addressFamily", self.address_family.is_some()),
            ("asnLong", self.asn_long.is_some()),
            ("mtu", self.mtu.is_some()),
            ("rateLimit", self.rate_limit.is_some()),
            ("tags", self.tags.is_some()),
        ];
        for (child, present) in aws_only {
            only_for(errors, provider, Aws, path(parent, child), present);
        }
    }

    /// OUTSCALE: a name, its VLAN range, the request's private ASN range, IPv4 peers.
    fn validate_outscale(&self, errors: &mut Errors, parent: &str, asn: (i64, i64)) {
        let at = |child: &str| path(parent, child);
        required(
            errors,
            at("virtualInterfaceName"),
            self.virtual_interface_name,
            anything,
        );
        required_range(
            errors,
            at("vlan"),
            self.vlan,
            checks::OUTSCALE_VLAN_MIN,
            checks::OUTSCALE_VLAN_MAX,
        );
        required_range(errors, at("asn"), self.asn, asn.0, asn.1);
        checks::peer_addresses(
            errors,
            parent,
            self.amazon_address,
            self.customer_address,
            false,
        );
    }

    /// AWS: the model's name pattern, VLAN, ASN, auth key, MTU, address family and tags.
    fn validate_aws(&self, errors: &mut Errors, parent: &str) {
        let at = |child: &str| path(parent, child);
        required(
            errors,
            at("virtualInterfaceName"),
            self.virtual_interface_name,
            checks::aws_vif_name,
        );
        required_range(
            errors,
            at("vlan"),
            self.vlan,
            checks::AWS_VLAN_MIN,
            checks::AWS_VLAN_MAX,
        );
        self.aws_asn(errors, parent);
        if let Some(key) = self.auth_key {
            let rule = rules::length(
                key.expose(),
                checks::AWS_AUTH_KEY_MIN,
                checks::AWS_AUTH_KEY_MAX,
            );
            errors.check(at("authKey"), rule);
        }
        if let Some(mtu) = self.mtu {
            errors.check(at("mtu"), checks::aws_mtu(mtu));
        }
        self.aws_peers(errors, parent);
        if let Some(tags) = self.tags {
            checks::aws_tags(errors, &at("tags"), tags);
        }
    }

    /// AWS takes `asn` or `asnLong` (with its wider range), never both.
    fn aws_asn(&self, errors: &mut Errors, parent: &str) {
        let at = |child: &str| path(parent, child);
        match (self.asn, self.asn_long) {
            (None, None) => errors.add(at("asn"), Rule::Required),
            (Some(_), Some(_)) => errors.add(
                at("asnLong"),
                Rule::OnlyOneOf {
                    first: "asn",
                    second: "asnLong",
                },
            ),
            (Some(asn), None) => errors.check(
                at("asn"),
                rules::range(asn, checks::AWS_ASN_MIN, checks::AWS_ASN_MAX),
            ),
            (None, Some(asn)) => errors.check(
                at("asnLong"),
                rules::range(asn, checks::AWS_ASN_MIN, checks::AWS_LONG_ASN_MAX),
            ),
        }
    }

    /// AWS peer addresses by address family: IPv4 pairs are checked, IPv6
    /// ones may not be given (Direct Connect User Guide: AWS allocates a /125
    /// for IPv6 peers; customers cannot choose IPv6 addresses).
    fn aws_peers(&self, errors: &mut Errors, parent: &str) {
        let (amazon, customer) = (self.amazon_address, self.customer_address);
        match self.address_family {
            Some(AddressFamily::Unknown(_)) => errors.add(
                path(parent, "addressFamily"),
                Rule::OneOf {
                    allowed: AddressFamily::KNOWN,
                },
            ),
            Some(AddressFamily::Ipv6) => {
                for (child, value) in [("amazonAddress", amazon), ("customerAddress", customer)] {
                    if value.is_some() {
                        let rule = Rule::AssignedByProvider {
                            provider: Aws,
                            family: "ipv6",
                        };
                        errors.add(path(parent, child), rule);
                    }
                }
            }
            Some(AddressFamily::Ipv4) | None => {
                checks::peer_addresses(errors, parent, amazon, customer, true)
            }
        }
    }
}

/// The virtual interface in AllocatePrivateVirtualInterface.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NewPrivateVirtualInterfaceAllocation {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub virtual_interface_name: String,
    #[serde(
        default,
        deserialize_with = "wide_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub vlan: Option<i64>,
    #[serde(
        default,
        deserialize_with = "wide_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub asn: Option<i64>,
    /// AWS only.
    #[serde(
        default,
        deserialize_with = "wide_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub asn_long: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_key: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amazon_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_address: Option<String>,
    /// AWS only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_family: Option<AddressFamily>,
    /// AWS only.
    #[serde(
        default,
        deserialize_with = "wide_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub mtu: Option<i64>,
    /// AWS only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<String>,
    /// AWS only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

impl NewPrivateVirtualInterfaceAllocation {
    fn fields(&self) -> VifFields<'_> {
        VifFields {
            address_family: self.address_family.as_ref(),
            amazon_address: self.amazon_address.as_deref(),
            asn: self.asn,
            asn_long: self.asn_long,
            auth_key: self.auth_key.as_ref(),
            customer_address: self.customer_address.as_deref(),
            mtu: self.mtu,
            rate_limit: self.rate_limit.as_deref(),
            tags: self.tags.as_deref(),
            virtual_interface_name: &self.virtual_interface_name,
            vlan: self.vlan,
        }
    }
}

/// POST AllocatePrivateVirtualInterface: a virtual interface on your
/// connection, owned by another account.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AllocatePrivateVirtualInterfaceRequest {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub connection_id: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub owner_account: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_private_virtual_interface_allocation: Option<NewPrivateVirtualInterfaceAllocation>,
    /// OUTSCALE only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<bool>,
}

impl AllocatePrivateVirtualInterfaceRequest {
    pub fn validate(&self, provider: Provider) -> Result<(), ValidationErrors> {
        let mut errors = Errors::new();
        if checks::known_provider(&mut errors, provider) {
            required_id(
                &mut errors,
                provider,
                "connectionId",
                &self.connection_id,
                checks::connection_or_lag_id,
            );
            required_id(
                &mut errors,
                provider,
                "ownerAccount",
                &self.owner_account,
                checks::aws_account_id,
            );
            let parent = "newPrivateVirtualInterfaceAllocation";
            match &self.new_private_virtual_interface_allocation {
                None => errors.add(parent, Rule::Required),
                // OUTSCALE gives no range for this asn: any non-reserved ASN.
                Some(vif) => vif.fields().validate(
                    &mut errors,
                    provider,
                    parent,
                    (1, checks::AWS_LONG_ASN_MAX),
                ),
            }
            dry_run(&mut errors, provider, "dryRun", self.dry_run);
        }
        errors.into_result()
    }
}

/// POST ConfirmPrivateVirtualInterface: accept a virtual interface another
/// account allocated to you.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ConfirmPrivateVirtualInterfaceRequest {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub virtual_interface_id: String,
    /// Required by OUTSCALE; for AWS, this or `directConnectGatewayId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub virtual_gateway_id: Option<String>,
    /// AWS only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct_connect_gateway_id: Option<String>,
    /// OUTSCALE only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<bool>,
}

impl ConfirmPrivateVirtualInterfaceRequest {
    pub fn validate(&self, provider: Provider) -> Result<(), ValidationErrors> {
        let mut errors = Errors::new();
        if checks::known_provider(&mut errors, provider) {
            required_id(
                &mut errors,
                provider,
                "virtualInterfaceId",
                &self.virtual_interface_id,
                checks::virtual_interface_id,
            );
            if provider == Outscale {
                let vgw = self.virtual_gateway_id.as_deref().unwrap_or("");
                required(&mut errors, "virtualGatewayId".into(), vgw, anything);
            }
            // The model makes both optional; AWS attaches the interface to
            // one gateway, so at most one may be given.
            gateways(
                &mut errors,
                provider,
                "",
                self.virtual_gateway_id.as_deref(),
                self.direct_connect_gateway_id.as_deref(),
                false,
            );
            dry_run(&mut errors, provider, "dryRun", self.dry_run);
        }
        errors.into_result()
    }
}

/// The gateway a new private virtual interface attaches to, for AWS: a
/// virtual private gateway or a Direct Connect gateway, not both (and, when
/// `one_required`, one of them).
fn gateways(
    errors: &mut Errors,
    provider: Provider,
    parent: &str,
    vgw: Option<&str>,
    dxgw: Option<&str>,
    one_required: bool,
) {
    let vgw_field = path(parent, "virtualGatewayId");
    let dxgw_field = path(parent, "directConnectGatewayId");
    only_for(errors, provider, Aws, dxgw_field.clone(), dxgw.is_some());
    if provider != Aws {
        return;
    }
    match (vgw, dxgw) {
        (None, None) if one_required => errors.add(vgw_field, Rule::Required),
        (None, None) => {}
        (Some(_), Some(_)) => errors.add(
            dxgw_field,
            Rule::OnlyOneOf {
                first: "virtualGatewayId",
                second: "directConnectGatewayId",
            },
        ),
        (Some(v), None) => errors.check(vgw_field, checks::virtual_gateway_id(v)),
        (None, Some(d)) => errors.check(dxgw_field, checks::direct_connect_gateway_id(d)),
    }
}

/// The virtual interface in CreatePrivateVirtualInterface.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NewPrivateVirtualInterface {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub virtual_interface_name: String,
    #[serde(
        default,
        deserialize_with = "wide_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub vlan: Option<i64>,
    #[serde(
        default,
        deserialize_with = "wide_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub asn: Option<i64>,
    /// AWS only.
    #[serde(
        default,
        deserialize_with = "wide_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub asn_long: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_key: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amazon_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_address: Option<String>,
    /// AWS only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_family: Option<AddressFamily>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub virtual_gateway_id: Option<String>,
    /// AWS only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct_connect_gateway_id: Option<String>,
    /// AWS only.
    #[serde(
        default,
        deserialize_with = "wide_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub mtu: Option<i64>,
    /// AWS only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_site_link: Option<bool>,
    /// AWS only.
    #[serde(
        default,
        deserialize_with = "wide_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub prefix_pool_allocated_count_ipv4: Option<i64>,
    /// AWS only.
    #[serde(
        default,
        deserialize_with = "wide_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub prefix_pool_allocated_count_ipv6: Option<i64>,
    /// AWS only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<String>,
    /// AWS only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

impl NewPrivateVirtualInterface {
    fn fields(&self) -> VifFields<'_> {
        VifFields {
            address_family: self.address_family.as_ref(),
            amazon_address: self.amazon_address.as_deref(),
            asn: self.asn,
            asn_long: self.asn_long,
            auth_key: self.auth_key.as_ref(),
            customer_address: self.customer_address.as_deref(),
            mtu: self.mtu,
            rate_limit: self.rate_limit.as_deref(),
            tags: self.tags.as_deref(),
            virtual_interface_name: &self.virtual_interface_name,
            vlan: self.vlan,
        }
    }
}

/// POST CreatePrivateVirtualInterface.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CreatePrivateVirtualInterfaceRequest {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub connection_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_private_virtual_interface: Option<NewPrivateVirtualInterface>,
    /// OUTSCALE only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<bool>,
}

impl CreatePrivateVirtualInterfaceRequest {
    pub fn validate(&self, provider: Provider) -> Result<(), ValidationErrors> {
        let mut errors = Errors::new();
        if checks::known_provider(&mut errors, provider) {
            required_id(
                &mut errors,
                provider,
                "connectionId",
                &self.connection_id,
                checks::connection_or_lag_id,
            );
            let parent = "newPrivateVirtualInterface";
            match &self.new_private_virtual_interface {
                None => errors.add(parent, Rule::Required),
                Some(vif) => {
                    let outscale_asn = (
                        checks::OUTSCALE_PRIVATE_ASN_MIN,
                        checks::OUTSCALE_PRIVATE_ASN_MAX,
                    );
                    vif.fields()
                        .validate(&mut errors, provider, parent, outscale_asn);
                    gateways(
                        &mut errors,
                        provider,
                        parent,
                        vif.virtual_gateway_id.as_deref(),
                        vif.direct_connect_gateway_id.as_deref(),
                        true,
                    );
                    let aws_only = [
                        ("enableSiteLink", vif.enable_site_link.is_some()),
                        (
                            "prefixPoolAllocatedCountIpv4",
                            vif.prefix_pool_allocated_count_ipv4.is_some(),
                        ),
                        (
                            "prefixPoolAllocatedCountIpv6",
                            vif.prefix_pool_allocated_count_ipv6.is_some(),
                        ),
                    ];
                    for (child, present) in aws_only {
                        only_for(&mut errors, provider, Aws, path(parent, child), present);
                    }
                    if provider == Aws {
                        for (child, value) in [
                            (
                                "prefixPoolAllocatedCountIpv4",
                                vif.prefix_pool_allocated_count_ipv4,
                            ),
                            (
                                "prefixPoolAllocatedCountIpv6",
                                vif.prefix_pool_allocated_count_ipv6,
                            ),
                        ] {
                            // Model `PrefixPoolAllocatedCount`: min 0.
                            if let Some(v) = value {
                                errors.check(
                                    path(parent, child),
                                    rules::range(v, 0, i64::from(i32::MAX)),
                                );
                            }
                        }
                    }
                }
            }
            dry_run(&mut errors, provider, "dryRun", self.dry_run);
        }
        errors.into_result()
    }
}

/// POST DeleteVirtualInterface.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DeleteVirtualInterfaceRequest {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub virtual_interface_id: String,
    /// OUTSCALE only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<bool>,
}

impl DeleteVirtualInterfaceRequest {
    pub fn validate(&self, provider: Provider) -> Result<(), ValidationErrors> {
        let mut errors = Errors::new();
        if checks::known_provider(&mut errors, provider) {
            required_id(
                &mut errors,
                provider,
                "virtualInterfaceId",
                &self.virtual_interface_id,
                checks::virtual_interface_id,
            );
            dry_run(&mut errors, provider, "dryRun", self.dry_run);
        }
        errors.into_result()
    }
}

/// POST DescribeVirtualInterfaces.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DescribeVirtualInterfacesRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub virtual_interface_id: Option<String>,
    /// AWS only.
    #[serde(
        default,
        deserialize_with = "wide_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_results: Option<i64>,
    /// AWS only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    /// OUTSCALE only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<bool>,
}

impl DescribeVirtualInterfacesRequest {
    pub fn validate(&self, provider: Provider) -> Result<(), ValidationErrors> {
        let mut errors = Errors::new();
        if checks::known_provider(&mut errors, provider) {
            optional_id(
                &mut errors,
                provider,
                "connectionId",
                self.connection_id.as_deref(),
                checks::connection_or_lag_id,
            );
            optional_id(
                &mut errors,
                provider,
                "virtualInterfaceId",
                self.virtual_interface_id.as_deref(),
                checks::virtual_interface_id,
            );
            max_results(&mut errors, provider, self.max_results);
            only_for(
                &mut errors,
                provider,
                Aws,
                "nextToken".into(),
                self.next_token.is_some(),
            );
            dry_run(&mut errors, provider, "dryRun", self.dry_run);
        }
        errors.into_result()
    }
}
