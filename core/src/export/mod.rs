//! Export of what a sweep read, to take it elsewhere: Terraform with `import`
//! blocks ([`terraform`]) and a bash script of CLI commands ([`cli_script`]).
//!
//! Users rebuild by hand in Terraform what they made in a console, and
//! OUTSCALE DirectLink has no Terraform resource at all; both exports start
//! from the same [`Estate`] and are pure functions of it (same input, same
//! text), so the console can offer them as downloads.
//!
//! Everything that came from the cloud is user-controlled (names, tags): each
//! output escapes it for its language, and BGP auth keys are never written,
//! only referenced (a Terraform variable, a shell variable to set).
//!
//! What both exports leave out, with a comment saying so: items deleted or
//! being deleted, items read twice (two profiles of one account), virtual
//! interfaces of a type other than private, public and transit.

mod cli;
mod terraform;

use std::collections::BTreeSet;

use crate::catalogue::Service;
use crate::directconnect::{Connection, ConnectionState, VirtualInterface, VirtualInterfaceState};
use crate::oci::{InstanceConsoleConnection, LifecycleState};

pub use cli::cli_script;
pub use terraform::terraform;

/// Where an item was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin<'a> {
    pub service: Service,
    /// The profile's name; `""` is the default profile.
    pub profile: &'a str,
    pub region: &'a str,
}

/// Everything to export, each item with where it was read.
#[derive(Debug, Clone, Default)]
pub struct Estate<'a> {
    /// Direct Connect or DirectLink connections (by `origin.service`).
    pub connections: Vec<(Origin<'a>, &'a Connection)>,
    pub interfaces: Vec<(Origin<'a>, &'a VirtualInterface)>,
    pub console_connections: Vec<(Origin<'a>, &'a InstanceConsoleConnection)>,
}

/// A virtual interface's side, seen from the profile that read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role<'a> {
    /// On a connection of this profile, owned by its account.
    Owned,
    /// On a connection of this profile, allocated to another account.
    Hosted { owner_account: &'a str },
    /// Allocated by another account on its connection, accepted here.
    Accepted,
}

/// Which side of `vif` the profile that read it holds. A virtual interface
/// whose connection this profile did not list was accepted from another
/// account, unless it sits on a LAG (LAGs are not part of an [`Estate`]).
pub(crate) fn role<'a>(
    estate: &Estate<'a>,
    origin: &Origin<'_>,
    vif: &'a VirtualInterface,
) -> Role<'a> {
    let connection_id = vif.connection_id.as_deref().unwrap_or_default();
    let connection = estate
        .connections
        .iter()
        .find(|(o, c)| o == origin && c.connection_id.as_deref() == Some(connection_id));
    match connection {
        Some((_, c)) => match (vif.owner_account.as_deref(), c.owner_account.as_deref()) {
            (Some(vif_owner), Some(owner)) if vif_owner != owner => Role::Hosted {
                owner_account: vif_owner,
            },
            _ => Role::Owned,
        },
        None if connection_id.starts_with("dxlag-") => Role::Owned,
        None => Role::Accepted,
    }
}

/// The three virtual interface types both exports know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VifType {
    Private,
    Public,
    Transit,
}

/// `virtualInterfaceType` as read; OUTSCALE's are always private.
pub(crate) fn vif_type(vif: &VirtualInterface) -> Option<VifType> {
    match vif.virtual_interface_type.as_deref() {
        Some("private") => Some(VifType::Private),
        Some("public") => Some(VifType::Public),
        Some("transit") => Some(VifType::Transit),
        _ => None,
    }
}

pub(crate) fn connection_gone(c: &Connection) -> bool {
    matches!(
        c.connection_state,
        Some(ConnectionState::Deleted | ConnectionState::Deleting)
    )
}

pub(crate) fn vif_gone(v: &VirtualInterface) -> bool {
    matches!(
        v.virtual_interface_state,
        Some(VirtualInterfaceState::Deleted | VirtualInterfaceState::Deleting)
    )
}

pub(crate) fn console_gone(c: &InstanceConsoleConnection) -> bool {
    matches!(
        c.lifecycle_state,
        Some(LifecycleState::Deleted | LifecycleState::Deleting)
    )
}

/// The profile as a person reads it.
fn profile_label(profile: &str) -> String {
    if profile.is_empty() {
        "the default profile".to_owned()
    } else {
        format!("profile {profile:?}")
    }
}

/// Where an item was read, for a comment: `in "us-east-1" through profile "x"`.
pub(crate) fn where_read(origin: &Origin) -> String {
    format!(
        "in {:?} through {}",
        origin.region,
        profile_label(origin.profile)
    )
}

/// `text` as an identifier valid in HCL and in bash: lowercase ASCII letters,
/// digits and `_`, starting with a letter or `_`.
pub(crate) fn ident(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_lowercase() || c == '_') {
        out.insert(0, '_');
    }
    out
}

/// Hands out identifiers, each once: a second `dxcon_a` becomes `dxcon_a_2`.
#[derive(Debug, Default)]
pub(crate) struct Names(BTreeSet<String>);

impl Names {
    pub(crate) fn unique(&mut self, text: &str) -> String {
        let base = ident(text);
        let mut name = base.clone();
        let mut n = 1;
        while self.0.contains(&name) {
            n += 1;
            name = format!("{base}_{n}");
        }
        self.0.insert(name.clone());
        name
    }
}

/// Remembers what was exported, so an item read through two profiles (or
/// twice) is written once. Keyed by service and id: ids are unique per
/// provider.
#[derive(Debug, Default)]
pub(crate) struct Seen(BTreeSet<(&'static str, String)>);

impl Seen {
    /// Whether `(service, id)` is new.
    pub(crate) fn first(&mut self, service: Service, id: &str) -> bool {
        self.0.insert((service.id(), id.to_owned()))
    }
}

/// Why an item is left out of an export, if it is: no id, deleted, or
/// already exported (marked as exported here otherwise).
pub(crate) fn skip_reason(
    seen: &mut Seen,
    service: Service,
    id: Option<&str>,
    gone: bool,
) -> Option<&'static str> {
    match id {
        None => Some("it has no id"),
        Some(_) if gone => Some("it is deleted or being deleted"),
        Some(id) if !seen.first(service, id) => {
            Some("it was already exported (read through another profile)")
        }
        Some(_) => None,
    }
}

/// The comment for an item left out; safe as a comment line (`{:?}` escapes
/// newlines).
pub(crate) fn left_out(what: &str, origin: &Origin, id: Option<&str>, reason: &str) -> String {
    format!(
        "Left out: {what} {:?} in {:?}: {reason}.",
        id.unwrap_or_default(),
        origin.region
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ident_keeps_only_safe_characters() {
        assert_eq!(ident("dxcon-FG5678gh"), "dxcon_fg5678gh");
        assert_eq!(ident("9lives"), "_9lives");
        assert_eq!(ident("a\"$(x)\n"), "a___x__");
        assert_eq!(ident(""), "_");
        assert_eq!(ident("é"), "_");
    }

    #[test]
    fn names_are_unique() {
        let mut names = Names::default();
        assert_eq!(names.unique("a-b"), "a_b");
        assert_eq!(names.unique("a_b"), "a_b_2");
        assert_eq!(names.unique("A-B"), "a_b_3");
    }

    fn vif(connection: &str, owner: &str) -> VirtualInterface {
        VirtualInterface {
            connection_id: Some(connection.to_owned()),
            owner_account: Some(owner.to_owned()),
            ..Default::default()
        }
    }

    #[test]
    fn role_follows_the_connection_and_its_owner() {
        let origin = Origin {
            service: Service::DirectConnect,
            profile: "",
            region: "us-east-1",
        };
        let connection = Connection {
            connection_id: Some("dxcon-1".to_owned()),
            owner_account: Some("111".to_owned()),
            ..Default::default()
        };
        let estate = Estate {
            connections: vec![(origin, &connection)],
            ..Default::default()
        };
        let (owned, hosted) = (vif("dxcon-1", "111"), vif("dxcon-1", "222"));
        let (accepted, lag) = (vif("dxcon-9", "111"), vif("dxlag-1", "111"));
        assert_eq!(role(&estate, &origin, &owned), Role::Owned);
        assert_eq!(
            role(&estate, &origin, &hosted),
            Role::Hosted {
                owner_account: "222"
            }
        );
        assert_eq!(role(&estate, &origin, &accepted), Role::Accepted);
        assert_eq!(role(&estate, &origin, &lag), Role::Owned);
        let elsewhere = Origin {
            region: "eu-west-1",
            ..origin
        };
        assert_eq!(role(&estate, &elsewhere, &owned), Role::Accepted);
    }
}
