//! Field-level validation results shared by every model.
//!
//! Validation never stops at the first problem: every rule is checked and every
//! broken one is reported with the wire path of its field (`tags[1].key`,
//! `newPrivateVirtualInterface.vlan`), so a form can mark all its fields at once
//! and the proxy can answer with the complete list.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::catalogue::Provider;
use crate::ssh::KeyError;

/// Which rule a field broke, carrying what is needed to say so.
///
/// `Display` gives the short lowercase message shown to users and returned by
/// the proxy; it never repeats the value itself, since some fields are secrets
/// (a BGP `authKey`, a MACsec CAK).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// The field is required and absent or empty.
    Required,
    /// The field exists in another provider's API but not in `provider`'s.
    NotSupported { provider: Provider },
    /// The provider has no API for this kind of request at all.
    NoSuchApi { provider: Provider },
    /// Length in characters outside `min..=max`.
    Length {
        min: usize,
        max: usize,
        actual: usize,
    },
    /// Length must be exactly `expected` characters.
    ExactLength { expected: usize, actual: usize },
    /// A character outside the allowed set; `allowed` describes the set.
    Charset { allowed: &'static str },
    /// A number outside `min..=max`.
    Range { min: i64, max: i64, actual: i64 },
    /// Not one of the listed values.
    OneOf { allowed: &'static [&'static str] },
    /// Not in the expected format; `expected` describes it, with an example.
    Format { expected: &'static str },
    /// More list or map entries than allowed.
    TooMany { max: usize, actual: usize },
    /// A key or item repeated where each must be unique.
    Duplicate,
    /// A list given with no entry, where an absent list would be fine.
    EmptyWhenGiven,
    /// A defined-tags namespace with no tag in it.
    EmptyNamespace,
    /// `first` and `second` given together, where only one of them may be.
    OnlyOneOf {
        first: &'static str,
        second: &'static str,
    },
    /// A peer address given where the provider assigns it itself.
    AssignedByProvider {
        provider: Provider,
        family: &'static str,
    },
    /// An address that is its subnet's network or broadcast address.
    NetworkOrBroadcast,
    /// Not in the same subnet (and prefix length) as `other`.
    NotSameSubnet { other: &'static str },
    /// The same value as `other`, where they must differ.
    SameAs { other: &'static str },
    /// An SSH public key that cannot be read, and why.
    SshKey(KeyError),
    /// An RSA key shorter than `min` bits.
    RsaTooShort { bits: u32, min: u32 },
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Required => f.write_str("is required"),
            Rule::NotSupported { provider } => {
                write!(f, "is not supported by {}", direct_connect_api(*provider))
            }
            Rule::NoSuchApi { provider } => {
                write!(f, "{} has no direct connect api", provider.display_name())
            }
            Rule::Length { min, max, actual } if min == max => {
                write!(f, "must be {min} characters long, not {actual}")
            }
            Rule::Length { min, max, actual } => {
                write!(f, "must be {min} to {max} characters long, not {actual}")
            }
            Rule::ExactLength { expected, actual } => {
                write!(
                    f,
                    "must be exactly {expected} characters long, not {actual}"
                )
            }
            Rule::Charset { allowed } => write!(f, "may only contain {allowed}"),
            Rule::Range { min, max, actual } => {
                write!(f, "must be between {min} and {max}, not {actual}")
            }
            Rule::OneOf { allowed } => write!(f, "must be one of {}", allowed.join(", ")),
            Rule::Format { expected } => write!(f, "must be {expected}"),
            Rule::TooMany { max, actual } => {
                write!(f, "must have at most {max} entries, not {actual}")
            }
            Rule::Duplicate => f.write_str("is a duplicate"),
            Rule::EmptyWhenGiven => f.write_str("must have at least 1 entry when given"),
            Rule::EmptyNamespace => f.write_str("must hold at least one tag"),
            Rule::OnlyOneOf { first, second } => write!(f, "give {first} or {second}, not both"),
            Rule::AssignedByProvider { provider, family } => write!(
                f,
                "must not be given for {family}: {} assigns {family} peer addresses",
                provider.display_name()
            ),
            Rule::NetworkOrBroadcast => {
                f.write_str("must not be the network or broadcast address of its subnet")
            }
            Rule::NotSameSubnet { other } => write!(
                f,
                "must be in the same subnet as {other}, with the same prefix length"
            ),
            Rule::SameAs { other } => write!(f, "must differ from {other}"),
            Rule::SshKey(e) => fmt::Display::fmt(e, f),
            Rule::RsaTooShort { bits, min } => {
                write!(f, "has a {bits}-bit rsa key, fewer than {min}")
            }
        }
    }
}

/// The name of a provider's Direct Connect API, the only API whose fields
/// differ by provider.
fn direct_connect_api(provider: Provider) -> &'static str {
    match provider {
        Provider::Aws => "aws direct connect",
        Provider::Outscale => "outscale directlink",
        Provider::Oci => "oci",
    }
}

/// One invalid field: its wire path and the rule it broke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub rule: Rule,
}

impl FieldError {
    pub fn new(field: impl Into<String>, rule: Rule) -> Self {
        Self {
            field: field.into(),
            rule,
        }
    }

    /// The message as the proxy returns it and the console shows it.
    pub fn message(&self) -> String {
        self.rule.to_string()
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.field, self.rule)
    }
}

/// The wire form of a field error: `{"field": "...", "message": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportedFieldError {
    pub field: String,
    pub message: String,
}

impl From<&FieldError> for ReportedFieldError {
    fn from(e: &FieldError) -> Self {
        Self {
            field: e.field.clone(),
            message: e.message(),
        }
    }
}

impl Serialize for FieldError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ReportedFieldError::from(self).serialize(s)
    }
}

/// Every invalid field of one request. Never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationErrors(Vec<FieldError>);

impl ValidationErrors {
    pub fn errors(&self) -> &[FieldError] {
        &self.0
    }

    pub fn into_errors(self) -> Vec<FieldError> {
        self.0
    }

    /// The errors of one field, by wire path.
    pub fn for_field<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a FieldError> + 'a {
        self.0.iter().filter(move |e| e.field == field)
    }

    /// One-line summary for the `message` of an error response.
    pub fn summary(&self) -> String {
        let parts: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        format!("{} invalid field(s): {}", self.0.len(), parts.join("; "))
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.summary())
    }
}

impl std::error::Error for ValidationErrors {}

/// Collects field errors while a model is checked.
#[derive(Debug, Default)]
pub struct Errors(Vec<FieldError>);

impl Errors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: impl Into<String>, rule: Rule) {
        self.0.push(FieldError::new(field, rule));
    }

    /// Adds the error of a check, if any: `errors.check("vlan", rules::range(v, 1, 4094))`.
    pub fn check(&mut self, field: impl Into<String>, result: Result<(), Rule>) {
        if let Err(rule) = result {
            self.add(field, rule);
        }
    }

    /// The one "required" rule of every provider: a missing, empty or
    /// whitespace-only string is [`Rule::Required`]; otherwise `then` checks it.
    pub fn required(
        &mut self,
        field: impl Into<String>,
        value: Option<&str>,
        then: impl FnOnce(&str) -> Result<(), Rule>,
    ) {
        let field = field.into();
        if let Some(v) = self.present(field.clone(), value) {
            self.check(field, then(v));
        }
    }

    /// [`Errors::required`] for a field with several checks: the value when
    /// it is there, else `None` with [`Rule::Required`] recorded.
    pub fn present<'v>(
        &mut self,
        field: impl Into<String>,
        value: Option<&'v str>,
    ) -> Option<&'v str> {
        match value {
            Some(v) if !v.trim().is_empty() => Some(v),
            _ => {
                self.add(field, Rule::Required);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors(self.0))
        }
    }
}

/// `parent.child`, or `child` when there is no parent.
pub fn path(parent: &str, child: &str) -> String {
    if parent.is_empty() {
        child.to_owned()
    } else {
        format!("{parent}.{child}")
    }
}

/// `parent[index]`.
pub fn index(parent: &str, i: usize) -> String {
    format!("{parent}[{i}]")
}

#[cfg(test)]
mod message_tests {
    use super::*;

    /// The console and the proxy show these words; they are part of the contract.
    #[test]
    fn named_rules_read_as_short_lowercase_sentences() {
        let cases = [
            (
                Rule::NotSupported {
                    provider: Provider::Outscale,
                },
                "is not supported by outscale directlink",
            ),
            (
                Rule::NoSuchApi {
                    provider: Provider::Oci,
                },
                "oci has no direct connect api",
            ),
            (
                Rule::OnlyOneOf {
                    first: "asn",
                    second: "asnLong",
                },
                "give asn or asnLong, not both",
            ),
            (
                Rule::AssignedByProvider {
                    provider: Provider::Aws,
                    family: "ipv6",
                },
                "must not be given for ipv6: aws assigns ipv6 peer addresses",
            ),
            (
                Rule::NotSameSubnet {
                    other: "amazonAddress",
                },
                "must be in the same subnet as amazonAddress, with the same prefix length",
            ),
            (Rule::SshKey(KeyError::Truncated), "has a truncated key"),
            (
                Rule::RsaTooShort {
                    bits: 1024,
                    min: 2048,
                },
                "has a 1024-bit rsa key, fewer than 2048",
            ),
        ];
        for (rule, message) in cases {
            assert_eq!(rule.to_string(), message);
        }
    }
}
