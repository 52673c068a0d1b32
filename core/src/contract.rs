//! The proxy's outside contract, as types and constants both sides compile:
//! the route of every service, the proxy's own routes and their JSON, the
//! header names, and which answers are worth retrying.
//!
//! The proxy routes, the console calls and `docs/CONTRACT.md` describes
//! what is written here once, so the three cannot drift apart.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalogue::{Provider, Service};

/// Every forwarding route starts with this.
pub const API_PREFIX: &str = "/api/";

/// `POST`: the console's login form, `{"token": "..."}` ([`LoginRequest`]).
pub const LOGIN_PATH: &str = "/api/login";
/// `POST`: ends the session.
pub const LOGOUT_PATH: &str = "/api/logout";
/// `GET`: [`Session`] when the caller is signed in, 401 otherwise.
pub const SESSION_PATH: &str = "/api/session";
/// `GET`: [`Profiles`].
pub const PROFILES_PATH: &str = "/api/profiles";
/// `GET`, with `--sandbox` only: [`SandboxSeeds`].
pub const SANDBOX_PATH: &str = "/api/sandbox";
/// `GET`: liveness, no token needed.
pub const HEALTHZ_PATH: &str = "/healthz";
/// `GET`: readiness, no token needed.
pub const READYZ_PATH: &str = "/readyz";
/// `GET`: Prometheus metrics.
pub const METRICS_PATH: &str = "/metrics";

/// The caller's token, for scripts and SDKs.
pub const TOKEN_HEADER: &str = "x-cloudlink-token";
/// Sent by the console on every state-changing call; the proxy refuses
/// cookie-authenticated writes without it (no other site can send it
/// without a CORS preflight).
pub const CSRF_HEADER: &str = "x-cloudlink-request";
/// Picks a credential profile of the proxy.
pub const PROFILE_HEADER: &str = "x-cloudlink-profile";
/// The operation of an AWS JSON 1.1 call.
pub const X_AMZ_TARGET: &str = "x-amz-target";
/// Request and answer content type.
pub const CONTENT_TYPE: &str = "content-type";
/// OCI's idempotency token of a create.
pub const OPC_RETRY_TOKEN: &str = "opc-retry-token";
/// OCI's etag precondition of a delete.
pub const IF_MATCH: &str = "if-match";
/// OCI's token of the next page of a list.
pub const OPC_NEXT_PAGE: &str = "opc-next-page";
/// The name of the `<meta>` tag in which the proxy gives the console its
/// base path (`--base-path`), e.g. `content="/cloudlink/"`.
pub const BASE_META: &str = "cloudlink-base";

/// Statuses after which the same call (with the same retry token) may
/// succeed: the proxy's upstream retries and the console's "try again" use
/// this one list. `0` is the console's "nothing came back".
pub const RETRYABLE_STATUSES: [u16; 5] = [429, 500, 502, 503, 504];

/// Whether an answer's status alone makes the call worth another try.
pub fn is_retryable_status(status: u16) -> bool {
    RETRYABLE_STATUSES.contains(&status)
}

impl Service {
    /// The service's route without region: `/api/aws/directconnect`.
    pub fn route_prefix(self) -> &'static str {
        match self {
            Service::DirectConnect => "/api/aws/directconnect",
            Service::Outposts => "/api/aws/outposts",
            Service::DirectLink => "/api/outscale/directlink",
            Service::OciCore => "/api/oci/core",
        }
    }

    /// The service a route's `<provider>/<service>` pair names.
    pub fn from_route(provider: &str, service: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|s| {
            s.route_prefix()
                .strip_prefix(API_PREFIX)
                .and_then(|rest| rest.split_once('/'))
                == Some((provider, service))
        })
    }

    /// The proxy's root of this service in a region: `/api/aws/directconnect/us-east-1`.
    pub fn route_root(self, region: &str) -> String {
        format!("{}/{}", self.route_prefix(), region.trim())
    }
}

/// `POST /api/login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub token: String,
}

/// `GET /api/session`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub authenticated: bool,
}

/// One provider in `GET /api/profiles`. Never a secret.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ProviderProfiles {
    /// Whether any profile was found.
    pub configured: bool,
    /// Profile names, in the order the proxy picks them.
    pub profiles: Vec<String>,
    /// The region of the default profile, or the provider's default.
    pub default_region: String,
    /// What the proxy found wrong at start (a file it could not read...).
    pub problems: Vec<String>,
}

/// `GET /api/profiles`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Profiles {
    pub sandbox: bool,
    pub read_only: bool,
    /// Keyed `aws`, `outscale`, `oci`.
    pub providers: BTreeMap<Provider, ProviderProfiles>,
}

/// The seeds of a Direct Connect or DirectLink sandbox.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DxSeeds {
    /// Location codes by region.
    pub locations: BTreeMap<String, Vec<String>>,
    pub virtual_gateway_ids: Vec<String>,
    pub owner_account: String,
    /// The account that allocates hosted interfaces to the owner.
    pub allocation_owner_account: String,
}

/// The seeds of the Outposts sandbox.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OutpostsSeeds {
    pub asset_ids: Vec<String>,
}

/// An instance of the OCI sandbox.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SeededInstance {
    pub id: String,
    pub display_name: String,
}

/// The seeds of the OCI sandbox.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OciSeeds {
    pub compartment_id: String,
    pub instances: Vec<SeededInstance>,
}

/// `GET /api/sandbox`: the ids a user needs to try every form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SandboxSeeds {
    pub directconnect: DxSeeds,
    pub directlink: DxSeeds,
    pub outposts: OutpostsSeeds,
    #[serde(rename = "oci-core")]
    pub oci_core: OciSeeds,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_service_routes_back_to_itself() {
        for service in Service::ALL {
            let prefix = service.route_prefix();
            let rest = prefix.strip_prefix(API_PREFIX).unwrap();
            let (provider, name) = rest.split_once('/').unwrap();
            assert_eq!(Service::from_route(provider, name), Some(service));
            assert_eq!(provider, service.provider().display_name());
        }
        assert_eq!(Service::from_route("aws", "directlink"), None);
        assert_eq!(Service::from_route("", ""), None);
        assert_eq!(
            Service::OciCore.route_root(" us-ashburn-1 "),
            "/api/oci/core/us-ashburn-1"
        );
    }

    #[test]
    fn profiles_are_keyed_by_provider_name() {
        let mut p = Profiles::default();
        p.providers
            .insert(Provider::Outscale, ProviderProfiles::default());
        let json = serde_json::to_value(&p).unwrap();
        assert!(json["providers"]["outscale"].is_object(), "{json}");
        assert_eq!(json["readOnly"], false);
        let back: Profiles = serde_json::from_value(json).unwrap();
        assert_eq!(back, p);
    }

    #[test]
    fn retryable_statuses() {
        assert!(is_retryable_status(503));
        assert!(!is_retryable_status(400));
        assert!(!is_retryable_status(501));
    }
}
