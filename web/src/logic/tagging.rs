//! Editing the tags of an existing AWS Direct Connect connection. The user edits the whole
//! list; the console sends only the difference: one TagResource for keys added or given a new
//! value, one UntagResource for keys removed. The list as edited is checked with core's tag
//! rules (the same as at creation), so every error points at the row the user typed.

use cloudlink_core::Provider;
use cloudlink_core::directconnect::{
    Connection, DxRequest, Tag, TagResourceRequest, UntagResourceRequest, VirtualInterface,
    resource_arn,
};

use super::errors::FieldErrors;
use super::forms::{Checked, TagRow, aws_tags};

/// The calls one save makes; either may be absent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TagEdit {
    pub tag: Option<TagResourceRequest>,
    pub untag: Option<UntagResourceRequest>,
}

impl TagEdit {
    /// Whether saving would change nothing.
    pub fn is_empty(&self) -> bool {
        self.tag.is_none() && self.untag.is_none()
    }

    /// The calls in the order they are sent: removals first, so renaming a key never
    /// briefly holds one tag more than the resource may carry.
    pub fn requests(&self) -> Vec<DxRequest> {
        let mut out = Vec::new();
        if let Some(untag) = &self.untag {
            out.push(DxRequest::UntagResource(untag.clone()));
        }
        if let Some(tag) = &self.tag {
            out.push(DxRequest::TagResource(tag.clone()));
        }
        out
    }
}

/// A resource whose tags can be edited: a connection or a virtual interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taggable {
    pub id: String,
    pub name: String,
    /// Built from the answer's region, owner account and id (empty if the id is of no
    /// taggable kind; core then refuses the save).
    pub arn: String,
    pub tags: Vec<Tag>,
}

impl Taggable {
    fn new(
        id: Option<&String>,
        name: Option<&String>,
        region: Option<&String>,
        owner: Option<&String>,
        tags: Option<&Vec<Tag>>,
        fallback_region: &str,
    ) -> Self {
        let id = id.cloned().unwrap_or_default();
        let region = region.map_or(fallback_region, String::as_str);
        let owner = owner.map_or("", String::as_str);
        Taggable {
            arn: resource_arn(region, owner, &id).unwrap_or_default(),
            name: name.cloned().unwrap_or_default(),
            tags: tags.cloned().unwrap_or_default(),
            id,
        }
    }

    /// A connection from DescribeConnections; `fallback_region` when the answer has none.
    pub fn of_connection(c: &Connection, fallback_region: &str) -> Self {
        Self::new(
            c.connection_id.as_ref(),
            c.connection_name.as_ref(),
            c.region.as_ref(),
            c.owner_account.as_ref(),
            c.tags.as_ref(),
            fallback_region,
        )
    }

    /// A virtual interface from DescribeVirtualInterfaces.
    pub fn of_interface(v: &VirtualInterface, fallback_region: &str) -> Self {
        Self::new(
            v.virtual_interface_id.as_ref(),
            v.virtual_interface_name.as_ref(),
            v.region.as_ref(),
            v.owner_account.as_ref(),
            v.tags.as_ref(),
            fallback_region,
        )
    }
}

/// The editor's rows for a resource's current tags.
pub fn rows_of(tags: &[Tag]) -> Vec<TagRow> {
    tags.iter()
        .map(|t| TagRow {
            key: t.key.clone(),
            value: t.value.clone().unwrap_or_default(),
        })
        .collect()
}

/// What saving `rows` on the resource `arn`, which now carries `before`, sends.
pub fn tag_edit(arn: &str, before: &[Tag], rows: &[TagRow]) -> Checked<TagEdit> {
    let wanted = aws_tags(rows).unwrap_or_default();
    let mut errors = FieldErrors::new();
    // The whole list as edited, checked once: errors carry the row's index.
    if !wanted.is_empty() {
        let whole = TagResourceRequest {
            resource_arn: arn.to_owned(),
            tags: wanted.clone(),
        };
        errors.merge_validation(whole.validate(Provider::Aws));
    }
    let value = |t: &Tag| t.value.clone().unwrap_or_default();
    let changed: Vec<Tag> = wanted
        .iter()
        .filter(|w| {
            !before
                .iter()
                .any(|b| b.key == w.key && value(b) == value(w))
        })
        .cloned()
        .collect();
    let removed: Vec<String> = before
        .iter()
        .filter(|b| !wanted.iter().any(|w| w.key == b.key))
        .map(|b| b.key.clone())
        .collect();
    let edit = TagEdit {
        tag: (!changed.is_empty()).then(|| TagResourceRequest {
            resource_arn: arn.to_owned(),
            tags: changed,
        }),
        untag: (!removed.is_empty()).then(|| UntagResourceRequest {
            resource_arn: arn.to_owned(),
            tag_keys: removed,
        }),
    };
    Checked {
        request: edit,
        errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str = "arn:aws:directconnect:us-east-1:111122223333:dxcon/dxcon-fg5678gh";

    fn tag(key: &str, value: &str) -> Tag {
        Tag {
            key: key.to_owned(),
            value: Some(value.to_owned()),
        }
    }

    fn row(key: &str, value: &str) -> TagRow {
        TagRow {
            key: key.to_owned(),
            value: value.to_owned(),
        }
    }

    #[test]
    fn connections_and_interfaces_are_named_by_their_arn() {
        let c = Connection {
            connection_id: Some("dxcon-fg5678gh".into()),
            connection_name: Some("office".into()),
            owner_account: Some("111122223333".into()),
            region: Some("eu-west-3".into()),
            tags: Some(vec![tag("team", "net")]),
            ..Connection::default()
        };
        let t = Taggable::of_connection(&c, "us-east-1");
        assert_eq!(
            t.arn,
            "arn:aws:directconnect:eu-west-3:111122223333:dxcon/dxcon-fg5678gh"
        );
        assert_eq!((t.name.as_str(), t.tags.len()), ("office", 1));
        let v = VirtualInterface {
            virtual_interface_id: Some("dxvif-fgh0hcrk".into()),
            owner_account: Some("444455556666".into()),
            ..VirtualInterface::default()
        };
        let t = Taggable::of_interface(&v, "us-east-1");
        assert_eq!(
            t.arn, "arn:aws:directconnect:us-east-1:444455556666:dxvif/dxvif-fgh0hcrk",
            "the shell's region when the answer names none"
        );
        assert!(t.tags.is_empty());
    }

    #[test]
    fn unchanged_tags_send_nothing() {
        let before = [tag("team", "net"), tag("env", "prod")];
        let checked = tag_edit(ARN, &before, &rows_of(&before));
        assert!(checked.is_valid(), "{:?}", checked.errors);
        assert!(checked.request.is_empty());
        assert!(checked.request.requests().is_empty());
    }

    #[test]
    fn added_changed_and_removed_keys_become_one_untag_then_one_tag() {
        let before = [tag("team", "net"), tag("env", "dev"), tag("old", "x")];
        let rows = [row("team", "net"), row("env", "prod"), row("cost", "42")];
        let checked = tag_edit(ARN, &before, &rows);
        assert!(checked.is_valid(), "{:?}", checked.errors);
        let requests = checked.request.requests();
        assert_eq!(
            requests,
            vec![
                DxRequest::UntagResource(UntagResourceRequest {
                    resource_arn: ARN.to_owned(),
                    tag_keys: vec!["old".to_owned()],
                }),
                DxRequest::TagResource(TagResourceRequest {
                    resource_arn: ARN.to_owned(),
                    tags: vec![tag("env", "prod"), tag("cost", "42")],
                }),
            ]
        );
    }

    #[test]
    fn removing_every_tag_is_one_untag_and_valid() {
        let before = [tag("team", "net")];
        let checked = tag_edit(ARN, &before, &[row("", " ")]);
        assert!(checked.is_valid(), "{:?}", checked.errors);
        assert_eq!(checked.request.tag, None);
        assert_eq!(
            checked.request.untag.map(|u| u.tag_keys),
            Some(vec!["team".to_owned()])
        );
    }

    #[test]
    fn a_value_absent_on_the_wire_equals_an_empty_row() {
        let before = [Tag {
            key: "flag".to_owned(),
            value: None,
        }];
        assert!(
            tag_edit(ARN, &before, &[row("flag", "")])
                .request
                .is_empty()
        );
    }

    #[test]
    fn errors_name_the_row_with_core_messages() {
        let rows = [
            row("team", "a"),
            row("team", "b"),
            row(&"k".repeat(129), ""),
        ];
        let checked = tag_edit(ARN, &[], &rows);
        assert_eq!(
            checked.errors.message("tags[1].key").as_deref(),
            Some("is a duplicate")
        );
        assert_eq!(
            checked.errors.message("tags[2].key").as_deref(),
            Some("must be 1 to 128 characters long, not 129")
        );
        assert!(!checked.is_valid());
    }

    #[test]
    fn more_than_fifty_tags_are_refused_before_sending() {
        let rows: Vec<TagRow> = (0..51).map(|i| row(&format!("k{i}"), "v")).collect();
        let checked = tag_edit(ARN, &[], &rows);
        assert_eq!(
            checked.errors.message("tags").as_deref(),
            Some("must have at most 50 entries, not 51")
        );
    }
}
