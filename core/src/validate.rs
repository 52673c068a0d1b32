//! Field-level validation results shared by every model.
//!
//! Validation never stops at the first problem: every rule is checked and every
//! broken one is reported with the wire path of its field (`tags[1].key`,
//! `newPrivateVirtualInterface.vlan`), so a form can mark all its fields at once
//! and the proxy can answer with the complete list.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Which rule a field broke, carrying what is needed to say so.
///
/// `Display` gives the short lowercase message shown to users and returned by
/// the proxy; it never repeats the value itself, since some fields are secrets
/// (a BGP `authKey`, a MACsec CAK).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// The field is required and absent or empty.
    Required,
    /// The field exists in the other provider's API but not in this one.
    NotSupported { provider: &'static str },
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
    /// Any other rule, described in full.
    Other(String),
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Required => f.write_str("is required"),
            Rule::NotSupported { provider } => write!(f, "is not supported by {provider}"),
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
            Rule::Other(message) => f.write_str(message),
        }
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
