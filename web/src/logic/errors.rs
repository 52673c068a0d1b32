//! Field errors as a form shows them: by wire path, from core's validation,
//! from fields the form could not even read (a VLAN of `ten`), and from the
//! `fieldErrors` the proxy returned.

use cloudlink_core::ValidationErrors;
use cloudlink_core::validate::ReportedFieldError;

/// Every invalid field of a form, by wire path (`newPrivateVirtualInterface.vlan`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(Vec<ReportedFieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one error.
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(ReportedFieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    /// Adds core's errors, except for fields that already have one (a field
    /// the form could not read is sent as absent, so core would call it
    /// required: the parse error says more).
    pub fn merge_validation(&mut self, result: Result<(), ValidationErrors>) {
        if let Err(errors) = result {
            for e in errors.errors() {
                if !self.has(&e.field) {
                    self.add(e.field.clone(), e.message());
                }
            }
        }
    }

    /// Adds errors the proxy reported.
    pub fn merge_reported(&mut self, reported: &[ReportedFieldError]) {
        for e in reported {
            if !self.0.contains(e) {
                self.0.push(e.clone());
            }
        }
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }

    /// The messages of one field joined with `; `, if it has any.
    pub fn message(&self, field: &str) -> Option<String> {
        let messages: Vec<&str> = self
            .0
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.message.as_str())
            .collect();
        if messages.is_empty() {
            None
        } else {
            Some(messages.join("; "))
        }
    }

    /// Errors of fields under `prefix` (`tags` gives `tags[0].key`, `tags`).
    pub fn under<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = &'a ReportedFieldError> + 'a {
        self.0.iter().filter(move |e| {
            e.field == prefix
                || e.field
                    .strip_prefix(prefix)
                    .is_some_and(|rest| rest.starts_with(['.', '[']))
        })
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn all(&self) -> &[ReportedFieldError] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use cloudlink_core::validate::{Errors, Rule};

    use super::*;

    #[test]
    fn parse_errors_win_over_core_errors_of_the_same_field() {
        let mut errors = FieldErrors::new();
        errors.add("vlan", "must be a whole number");
        let mut core = Errors::new();
        core.add("vlan", Rule::Required);
        core.add("asn", Rule::Required);
        errors.merge_validation(core.into_result());
        assert_eq!(
            errors.message("vlan").as_deref(),
            Some("must be a whole number")
        );
        assert_eq!(errors.message("asn").as_deref(), Some("is required"));
        assert_eq!(errors.len(), 2);
    }

    #[test]
    fn messages_of_one_field_are_joined() {
        let mut errors = FieldErrors::new();
        errors.add("AssetId", "must be 1 to 100 characters long, not 101");
        errors.add(
            "AssetId",
            "may only contain letters, digits and underscores",
        );
        assert_eq!(
            errors.message("AssetId").as_deref(),
            Some(
                "must be 1 to 100 characters long, not 101; may only contain letters, digits and underscores"
            )
        );
        assert_eq!(errors.message("ClientPublicKey"), None);
    }

    #[test]
    fn under_matches_children_only() {
        let mut errors = FieldErrors::new();
        errors.add("tags[0].key", "is required");
        errors.add("tags", "must have at most 50 entries, not 51");
        errors.add("tagsExtra", "x");
        assert_eq!(errors.under("tags").count(), 2);
    }

    #[test]
    fn reported_errors_are_not_duplicated() {
        let mut errors = FieldErrors::new();
        let reported = vec![ReportedFieldError {
            field: "vlan".into(),
            message: "is in use".into(),
        }];
        errors.merge_reported(&reported);
        errors.merge_reported(&reported);
        assert_eq!(errors.len(), 1);
    }
}
