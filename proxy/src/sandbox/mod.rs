//! The sandbox: a fake cloud for all four APIs (placeholder until written).

use axum::Router;

use crate::credentials::CredentialStore;

/// The in-memory fake cloud.
#[derive(Debug, Default)]
pub struct Sandbox {}

impl Sandbox {
    pub fn new() -> Self {
        Self {}
    }
    pub fn router(&self) -> Router {
        Router::new()
    }
    pub fn credentials(&self) -> CredentialStore {
        CredentialStore::default()
    }
    pub fn seeds(&self) -> serde_json::Value {
        serde_json::json!({})
    }
    pub fn describe(&self) -> serde_json::Value {
        serde_json::json!({})
    }
}
