//! The fake OCI instance console connections: CREATING → ACTIVE and
//! DELETING → DELETED over time, one live connection per instance (409
//! otherwise), `opc-retry-token` idempotency, `etag`/`if-match`, paging with
//! `opc-next-page`, and OCI's 404 `NotAuthorizedOrNotFound` for anything unknown.

use std::collections::HashMap;

use cloudlink_core::oci::{
    CreateInstanceConsoleConnectionRequest, DeleteInstanceConsoleConnectionRequest,
    InstanceConsoleConnection, LifecycleState, ListInstanceConsoleConnectionsRequest, OciRequest,
};
use sha2::Digest;

use super::clock::{Millis, Timing};
use super::ids;
use super::reply::{Answer, Failure};
use super::seed;

/// Where the console's SSH proxy answers for the seeded region.
const CONSOLE_HOST: &str = "instance-console.us-ashburn-1.oci.oraclecloud.com";

#[derive(Debug, Clone)]
struct ConsoleConnection {
    id: String,
    instance_id: String,
    fingerprint: String,
    host_key_fingerprint: String,
    freeform_tags: Option<cloudlink_core::oci::FreeformTags>,
    defined_tags: Option<cloudlink_core::oci::DefinedTags>,
    created: Millis,
    deleted: Option<Millis>,
}

impl ConsoleConnection {
    fn state(&self, now: Millis, timing: Timing) -> LifecycleState {
        match self.deleted {
            Some(d) if now < d + timing.step_ms() => LifecycleState::Deleting,
            Some(_) => LifecycleState::Deleted,
            None if now < self.created + timing.step_ms() => LifecycleState::Creating,
            None => LifecycleState::Active,
        }
    }

    fn etag(&self, now: Millis, timing: Timing) -> String {
        let digest = sha2::Sha256::digest(format!("{}|{}", self.id, self.state(now, timing)));
        hex::encode(&digest[..16])
    }

    fn model(&self, now: Millis, timing: Timing) -> InstanceConsoleConnection {
        let proxy = format!(
            "ssh -o ProxyCommand='ssh -W %h:%p -p 443 {}@{CONSOLE_HOST}'",
            self.id
        );
        InstanceConsoleConnection {
            compartment_id: Some(seed::OCI_COMPARTMENT.to_owned()),
            connection_string: Some(format!("{proxy} {}", self.instance_id)),
            defined_tags: Some(self.defined_tags.clone().unwrap_or_default()),
            fingerprint: Some(self.fingerprint.clone()),
            freeform_tags: Some(self.freeform_tags.clone().unwrap_or_default()),
            id: Some(self.id.clone()),
            instance_id: Some(self.instance_id.clone()),
            lifecycle_state: Some(self.state(now, timing)),
            service_host_key_fingerprint: Some(self.host_key_fingerprint.clone()),
            vnc_connection_string: Some(format!(
                "{proxy} -N -L localhost:5900:{0}:5900 {0}",
                self.instance_id
            )),
        }
    }
}

#[derive(Debug, Default)]
pub struct OciWorld {
    connections: Vec<ConsoleConnection>,
    retry_tokens: HashMap<String, String>,
}

fn one(c: &ConsoleConnection, now: Millis, timing: Timing) -> Answer {
    Answer::ok(serde_json::to_value(c.model(now, timing)).unwrap_or_default())
        .with_header("etag", c.etag(now, timing))
}

impl OciWorld {
    pub fn call(
        &mut self,
        request: &OciRequest,
        now: Millis,
        timing: Timing,
    ) -> Result<Answer, Failure> {
        match request {
            OciRequest::Create(r) => self.create(r, now, timing),
            OciRequest::List(r) => self.list(r, now, timing),
            OciRequest::Get(r) => {
                let c = self
                    .connections
                    .iter()
                    .find(|c| c.id == r.instance_console_connection_id)
                    .ok_or_else(Failure::oci_not_found)?;
                Ok(one(c, now, timing))
            }
            OciRequest::Delete(r) => self.delete(r, now, timing),
        }
    }

    /// A create whose `opc-retry-token` was seen answers the connection it made.
    fn create(
        &mut self,
        r: &CreateInstanceConsoleConnectionRequest,
        now: Millis,
        timing: Timing,
    ) -> Result<Answer, Failure> {
        if let Some(id) = r
            .retry_token
            .as_ref()
            .and_then(|t| self.retry_tokens.get(t))
            && let Some(c) = self.connections.iter().find(|c| &c.id == id)
        {
            return Ok(one(c, now, timing));
        }
        let instance_id = r.details.instance_id.clone().unwrap_or_default();
        self.check_instance_free(&instance_id, now, timing)?;
        let key = r.details.public_key.as_deref().unwrap_or_default();
        let fingerprint = cloudlink_core::ssh::PublicKey::parse(key)
            .map(|k| k.fingerprint_md5())
            .map_err(|_| {
                Failure::new(
                    400,
                    "InvalidParameter",
                    "publicKey is not a valid SSH public key.",
                )
            })?;
        let connection = ConsoleConnection {
            id: format!(
                "ocid1.instanceconsoleconnection.oc1.{}.anuwcljt{}",
                seed::OCI_REGION_KEY,
                ids::random_lower_alnum(52)
            ),
            instance_id,
            fingerprint,
            host_key_fingerprint: format!("SHA256:{}", ids::random_base64ish(43)),
            freeform_tags: r.details.freeform_tags.clone(),
            defined_tags: r.details.defined_tags.clone(),
            created: now,
            deleted: None,
        };
        if let Some(token) = &r.retry_token {
            self.retry_tokens
                .insert(token.clone(), connection.id.clone());
        }
        let answer = one(&connection, now, timing);
        self.connections.push(connection);
        Ok(answer)
    }

    /// A seeded instance without a live console connection (OCI allows one).
    fn check_instance_free(
        &self,
        instance_id: &str,
        now: Millis,
        timing: Timing,
    ) -> Result<(), Failure> {
        if !seed::OCI_INSTANCES.iter().any(|(id, _)| *id == instance_id) {
            return Err(Failure::oci_not_found());
        }
        let live = self.connections.iter().any(|c| {
            c.instance_id == instance_id
                && matches!(
                    c.state(now, timing),
                    LifecycleState::Creating | LifecycleState::Active
                )
        });
        if live {
            return Err(Failure::new(
                409,
                "Conflict",
                format!(
                    "Instance {instance_id} already has an active console connection; only one is allowed per instance. Delete it first."
                ),
            ));
        }
        Ok(())
    }

    /// One page; `opc-next-page` is the offset of the next.
    fn list(
        &self,
        r: &ListInstanceConsoleConnectionsRequest,
        now: Millis,
        timing: Timing,
    ) -> Result<Answer, Failure> {
        let compartment = r.compartment_id.as_deref().unwrap_or_default();
        if compartment != seed::OCI_COMPARTMENT {
            return Err(Failure::oci_not_found());
        }
        let matching: Vec<&ConsoleConnection> = self
            .connections
            .iter()
            .filter(|c| r.instance_id.as_ref().is_none_or(|i| &c.instance_id == i))
            .collect();
        let start = match &r.page {
            None => 0,
            Some(p) => p.parse::<usize>().map_err(|_| {
                Failure::new(400, "InvalidParameter", "The page token is not valid.")
            })?,
        };
        let limit = r
            .limit
            .map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(1).max(1));
        let page: Vec<InstanceConsoleConnection> = matching
            .iter()
            .skip(start)
            .take(limit)
            .map(|c| c.model(now, timing))
            .collect();
        let mut answer = Answer::ok(serde_json::to_value(page).unwrap_or_default());
        if start.saturating_add(limit) < matching.len() {
            answer = answer.with_header("opc-next-page", (start + limit).to_string());
        }
        Ok(answer)
    }

    /// `if-match` must name the current etag when given.
    fn delete(
        &mut self,
        r: &DeleteInstanceConsoleConnectionRequest,
        now: Millis,
        timing: Timing,
    ) -> Result<Answer, Failure> {
        let c = self
            .connections
            .iter_mut()
            .find(|c| c.id == r.instance_console_connection_id)
            .ok_or_else(Failure::oci_not_found)?;
        if c.state(now, timing) == LifecycleState::Deleted {
            return Err(Failure::oci_not_found());
        }
        if let Some(expected) = &r.if_match
            && *expected != c.etag(now, timing)
        {
            return Err(Failure::new(
                412,
                "NoEtagMatch",
                "The resource's etag does not match the if-match header.",
            ));
        }
        c.deleted.get_or_insert(now);
        Ok(Answer {
            status: 204,
            body: None,
            headers: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifecycle_follows_the_clock() {
        let timing = Timing::FAST;
        let step = timing.step_ms();
        let mut c = ConsoleConnection {
            id: "ocid1.instanceconsoleconnection.oc1.iad.x".to_owned(),
            instance_id: String::new(),
            fingerprint: String::new(),
            host_key_fingerprint: String::new(),
            freeform_tags: None,
            defined_tags: None,
            created: 1000,
            deleted: None,
        };
        assert_eq!(c.state(1000, timing), LifecycleState::Creating);
        assert_eq!(c.state(1000 + step, timing), LifecycleState::Active);
        c.deleted = Some(5000);
        assert_eq!(c.state(5000, timing), LifecycleState::Deleting);
        assert_eq!(c.state(5000 + step, timing), LifecycleState::Deleted);
        assert_ne!(c.etag(5000, timing), c.etag(5000 + step, timing));
    }
}
