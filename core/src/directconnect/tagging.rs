//! Tags on existing Direct Connect resources: TagResource, UntagResource and DescribeTags.
//!
//! Only AWS has them: OUTSCALE's DirectLink document lists no tagging call, so the catalogue
//! offers these three for `directconnect` alone and validation refuses them for OUTSCALE.
//! Resources are named by ARN (`arn:aws:directconnect:us-east-1:123456789012:dxcon/dxcon-…`);
//! [`resource_arn`] builds one from what DescribeConnections and DescribeVirtualInterfaces
//! return, so the console never asks a user to type one.

use serde::{Deserialize, Serialize};

use crate::catalogue::Provider;
use crate::rules;
use crate::validate::{Errors, Rule, ValidationErrors, index};

use super::checks::{self, AWS_TAG_KEY_MAX, AWS_TAG_KEY_MIN, aws_tags};
use super::{Tag, null_as_empty};

/// POST TagResource: adds tags, or replaces the value of a key already there.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TagResourceRequest {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub resource_arn: String,
    #[serde(default)]
    pub tags: Vec<Tag>,
}

/// POST UntagResource: removes the tags with these keys.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UntagResourceRequest {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub resource_arn: String,
    #[serde(default)]
    pub tag_keys: Vec<String>,
}

/// POST DescribeTags: the tags of each resource named.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DescribeTagsRequest {
    #[serde(default)]
    pub resource_arns: Vec<String>,
}

/// One resource's tags in a DescribeTags answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ResourceTag {
    pub resource_arn: Option<String>,
    pub tags: Option<Vec<Tag>>,
}

/// The DescribeTags answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DescribeTagsResponse {
    pub resource_tags: Option<Vec<ResourceTag>>,
}

/// The kinds of resource a Direct Connect ARN may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArnKind {
    /// A connection, `dxcon/dxcon-...`.
    Connection,
    /// A link aggregation group, `dxlag/dxlag-...`.
    Lag,
    /// A virtual interface, `dxvif/dxvif-...`.
    VirtualInterface,
}

impl ArnKind {
    pub const ALL: [ArnKind; 3] = [ArnKind::Connection, ArnKind::Lag, ArnKind::VirtualInterface];

    /// The resource type in the ARN, also the prefix of the kind's ids.
    pub fn as_str(self) -> &'static str {
        match self {
            ArnKind::Connection => "dxcon",
            ArnKind::Lag => "dxlag",
            ArnKind::VirtualInterface => "dxvif",
        }
    }

    pub fn from_resource_type(value: &str) -> Option<ArnKind> {
        ArnKind::ALL.into_iter().find(|k| k.as_str() == value)
    }

    /// The kind an id's prefix names (`dxvif-ffabc123` is a virtual interface).
    pub fn of_id(id: &str) -> Option<ArnKind> {
        ArnKind::from_resource_type(id.split_once('-')?.0)
    }

    /// Checks an id of this kind.
    fn check_id(self, id: &str) -> Result<(), Rule> {
        match self {
            ArnKind::Connection => checks::connection_id(id),
            ArnKind::Lag => checks::lag_id(id),
            ArnKind::VirtualInterface => checks::virtual_interface_id(id),
        }
    }
}

const ARN_EXPECTED: &str =
    "a direct connect arn like arn:aws:directconnect:us-east-1:123456789012:dxcon/dxcon-fg5678gh";

/// The AWS partition a region belongs to (`aws`, `aws-cn`, `aws-us-gov`).
pub fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

/// The ARN of a connection, LAG or virtual interface, from its region, owner account and id
/// (the kind is read from the id's prefix). `None` for an id of no taggable kind.
pub fn resource_arn(region: &str, owner_account: &str, id: &str) -> Option<String> {
    let kind = ArnKind::of_id(id)?;
    Some(format!(
        "arn:{}:directconnect:{region}:{owner_account}:{}/{id}",
        partition(region),
        kind.as_str()
    ))
}

/// The parts of a Direct Connect resource ARN that name the resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceArn<'a> {
    pub region: &'a str,
    pub account: &'a str,
    pub kind: ArnKind,
    pub id: &'a str,
}

impl<'a> ResourceArn<'a> {
    /// Reads an ARN: partition, service, a region as [`crate::Region`] accepts it, a 12-digit
    /// account and a connection, LAG or virtual interface id whose kind matches the resource
    /// type.
    pub fn parse(value: &'a str) -> Result<Self, Rule> {
        let bad = || Rule::Format {
            expected: ARN_EXPECTED,
        };
        let parts: Vec<&str> = value.split(':').collect();
        let [arn, partition, service, region, account, resource] = parts[..] else {
            return Err(bad());
        };
        let partition_ok = matches!(partition, "aws" | "aws-cn" | "aws-us-gov");
        if arn != "arn" || !partition_ok || service != "directconnect" {
            return Err(bad());
        }
        if crate::Region::parse(region).is_err() || checks::aws_account_id(account).is_err() {
            return Err(bad());
        }
        let (kind, id) = resource.split_once('/').ok_or_else(bad)?;
        let kind = ArnKind::from_resource_type(kind).ok_or_else(bad)?;
        kind.check_id(id).map_err(|_| bad())?;
        Ok(ResourceArn {
            region,
            account,
            kind,
            id,
        })
    }
}

/// Checks the shape of a Direct Connect resource ARN (see [`ResourceArn::parse`]).
pub fn check_arn(value: &str) -> Result<(), Rule> {
    ResourceArn::parse(value).map(|_| ())
}

/// Refuses the tagging calls for providers that have none.
fn aws_only(errors: &mut Errors, provider: Provider, field: &str) -> bool {
    if !checks::known_provider(errors, provider) {
        return false;
    }
    if provider == Provider::Outscale {
        errors.add(
            field,
            Rule::NotSupported {
                provider: Provider::Outscale,
            },
        );
        return false;
    }
    true
}

fn arn(errors: &mut Errors, field: String, value: &str) {
    checks::required(errors, field, value, check_arn);
}

impl TagResourceRequest {
    pub fn validate(&self, provider: Provider) -> Result<(), ValidationErrors> {
        let mut errors = Errors::new();
        if aws_only(&mut errors, provider, "resourceArn") {
            arn(&mut errors, "resourceArn".to_owned(), &self.resource_arn);
            aws_tags(&mut errors, "tags", &self.tags);
        }
        errors.into_result()
    }
}

impl UntagResourceRequest {
    pub fn validate(&self, provider: Provider) -> Result<(), ValidationErrors> {
        let mut errors = Errors::new();
        if aws_only(&mut errors, provider, "resourceArn") {
            arn(&mut errors, "resourceArn".to_owned(), &self.resource_arn);
            if self.tag_keys.is_empty() {
                errors.add("tagKeys", Rule::Required);
            }
            for (i, key) in self.tag_keys.iter().enumerate() {
                let field = index("tagKeys", i);
                if key.is_empty() {
                    errors.add(field, Rule::Required);
                } else if let Err(rule) = rules::length(key, AWS_TAG_KEY_MIN, AWS_TAG_KEY_MAX) {
                    errors.add(field, rule);
                } else if self.tag_keys[..i].contains(key) {
                    errors.add(field, Rule::Duplicate);
                }
            }
        }
        errors.into_result()
    }
}

impl DescribeTagsRequest {
    pub fn validate(&self, provider: Provider) -> Result<(), ValidationErrors> {
        let mut errors = Errors::new();
        if aws_only(&mut errors, provider, "resourceArns") {
            if self.resource_arns.is_empty() {
                errors.add("resourceArns", Rule::Required);
            }
            for (i, value) in self.resource_arns.iter().enumerate() {
                arn(&mut errors, index("resourceArns", i), value);
            }
        }
        errors.into_result()
    }
}
