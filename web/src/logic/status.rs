//! How resource states look and when lists poll; masking of secrets; the
//! OCI retry token.

use std::time::Duration;

use cloudlink_core::directconnect::{ConnectionState, VirtualInterfaceState};
use cloudlink_core::oci::LifecycleState;

/// How long a list waits before refreshing while something moves.
pub const POLL_INTERVAL: Duration = Duration::from_secs(2);

/// What a state badge says at a glance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Usable.
    Good,
    /// Moving by itself; the list polls.
    Busy,
    /// Waiting for someone (ordering, confirming, testing).
    Waiting,
    /// Gone or broken.
    Bad,
    /// A state this version does not know.
    Unknown,
}

impl Tone {
    /// The CSS class of the badge.
    pub fn class(self) -> &'static str {
        match self {
            Tone::Good => "badge badge-good",
            Tone::Busy => "badge badge-busy",
            Tone::Waiting => "badge badge-waiting",
            Tone::Bad => "badge badge-bad",
            Tone::Unknown => "badge badge-unknown",
        }
    }
}

pub fn connection_tone(state: &ConnectionState) -> Tone {
    use ConnectionState as S;
    match state {
        S::Available => Tone::Good,
        s if s.is_transitional() => Tone::Busy,
        S::Ordering => Tone::Waiting,
        S::Down | S::Deleted | S::Rejected => Tone::Bad,
        _ => Tone::Unknown,
    }
}

pub fn interface_tone(state: &VirtualInterfaceState) -> Tone {
    use VirtualInterfaceState as S;
    match state {
        S::Available => Tone::Good,
        s if s.is_transitional() => Tone::Busy,
        S::Confirming | S::Testing => Tone::Waiting,
        S::Down | S::Deleted | S::Rejected | S::Expired => Tone::Bad,
        _ => Tone::Unknown,
    }
}

pub fn lifecycle_tone(state: &LifecycleState) -> Tone {
    use LifecycleState as S;
    match state {
        S::Active => Tone::Good,
        s if s.is_transitional() => Tone::Busy,
        S::Deleted | S::Failed => Tone::Bad,
        S::Unknown(_) => Tone::Unknown,
        _ => Tone::Unknown,
    }
}

/// Whether a list should refresh itself: while any of its states moves on
/// its own. A list with no states (empty) is settled.
pub fn should_poll<'a, S: 'a>(
    states: impl IntoIterator<Item = Option<&'a S>>,
    moving: fn(&S) -> bool,
) -> bool {
    states.into_iter().flatten().any(moving)
}

/// What a masked secret shows: a fixed width, so not even its length leaks.
pub const MASK: &str = "••••••••";

/// The secret itself when asked for, else [`MASK`]; nothing for no secret.
pub fn masked(secret: Option<&str>, revealed: bool) -> String {
    match secret {
        None | Some("") => String::new(),
        Some(s) if revealed => s.to_owned(),
        Some(_) => MASK.to_owned(),
    }
}

/// An `opc-retry-token` from 16 random bytes: `cloudlink-` and 32 hex digits
/// (42 characters, under OCI's 64).
pub fn retry_token(random: [u8; 16]) -> String {
    let mut token = String::with_capacity(42);
    token.push_str("cloudlink-");
    for b in random {
        token.push_str(&format!("{b:02x}"));
    }
    token
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_connection_state_has_the_right_tone() {
        let table = [
            ("ordering", Tone::Waiting),
            ("requested", Tone::Busy),
            ("pending", Tone::Busy),
            ("available", Tone::Good),
            ("down", Tone::Bad),
            ("deleting", Tone::Busy),
            ("deleted", Tone::Bad),
            ("rejected", Tone::Bad),
            ("unknown", Tone::Unknown),
            ("brand-new", Tone::Unknown),
        ];
        for (wire, tone) in table {
            assert_eq!(
                connection_tone(&ConnectionState::from_wire(wire)),
                tone,
                "{wire}"
            );
        }
    }

    #[test]
    fn every_interface_state_has_the_right_tone() {
        let table = [
            ("confirming", Tone::Waiting),
            ("verifying", Tone::Busy),
            ("pending", Tone::Busy),
            ("available", Tone::Good),
            ("down", Tone::Bad),
            ("testing", Tone::Waiting),
            ("deleting", Tone::Busy),
            ("deleted", Tone::Bad),
            ("rejected", Tone::Bad),
            ("unknown", Tone::Unknown),
            ("expired", Tone::Bad),
        ];
        for (wire, tone) in table {
            assert_eq!(
                interface_tone(&VirtualInterfaceState::from_wire(wire)),
                tone,
                "{wire}"
            );
        }
    }

    #[test]
    fn every_lifecycle_state_has_the_right_tone() {
        let table = [
            ("ACTIVE", Tone::Good),
            ("CREATING", Tone::Busy),
            ("DELETING", Tone::Busy),
            ("DELETED", Tone::Bad),
            ("FAILED", Tone::Bad),
            ("MOVING", Tone::Unknown),
        ];
        for (wire, tone) in table {
            assert_eq!(
                lifecycle_tone(&LifecycleState::from_wire(wire)),
                tone,
                "{wire}"
            );
        }
    }

    #[test]
    fn polls_while_anything_moves_and_stops_when_settled() {
        let moving = [
            Some(ConnectionState::Available),
            Some(ConnectionState::Pending),
            None,
        ];
        assert!(should_poll(
            moving.iter().map(Option::as_ref),
            ConnectionState::is_transitional
        ));
        let settled = [
            Some(ConnectionState::Available),
            Some(ConnectionState::Ordering),
            None,
        ];
        assert!(!should_poll(
            settled.iter().map(Option::as_ref),
            ConnectionState::is_transitional
        ));
        let empty: [Option<ConnectionState>; 0] = [];
        assert!(!should_poll(
            empty.iter().map(Option::as_ref),
            ConnectionState::is_transitional
        ));
        let oci = [Some(LifecycleState::Creating)];
        assert!(should_poll(
            oci.iter().map(Option::as_ref),
            LifecycleState::is_transitional
        ));
    }

    #[test]
    fn secrets_are_masked_at_a_fixed_width_until_revealed() {
        assert_eq!(masked(Some("short"), false), MASK);
        assert_eq!(masked(Some("a much longer bgp key"), false), MASK);
        assert_eq!(masked(Some("short"), true), "short");
        assert_eq!(masked(None, true), "");
    }

    #[test]
    fn retry_tokens_are_hex_and_short_enough() {
        let token = retry_token([0xab; 16]);
        assert_eq!(token.len(), 42);
        assert!(token.starts_with("cloudlink-abab"));
        assert_ne!(retry_token([1; 16]), retry_token([2; 16]));
    }
}
