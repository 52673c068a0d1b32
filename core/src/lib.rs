//! cloudlink-core: the single source of truth for what a valid request to each
//! of cloudlink's four APIs is.
//!
//! - [`catalogue`]: every forwarded operation, its method, path and target.
//! - [`contract`]: the proxy's routes, headers and own JSON types.
//! - [`directconnect`], [`outposts`], [`oci`]: typed requests and responses,
//!   with serde names exactly as each API spells them, and their validation.
//! - [`call`]: from an incoming call to a validated [`call::ApiRequest`] and
//!   back to the bytes to send.
//! - [`wire`]: request building and response/error parsing, sans I/O.
//! - [`ssh`], [`ipv4`]: helpers the console needs alongside the models.
//!
//! No I/O and no runtime: the crate builds for `wasm32-unknown-unknown` and
//! runs in the browser with the same rules the proxy enforces.

mod base;
pub mod call;
pub mod catalogue;
pub mod contract;
pub mod directconnect;
pub mod ipv4;
pub mod oci;
mod open_enum;
pub mod outposts;
pub mod rules;
pub mod ssh;
pub mod validate;
pub mod wire;

pub use base::{percent_decode_query, percent_encode};
pub use call::{ApiRequest, CallError, IncomingCall, NotInCatalogue};
pub use catalogue::{Operation, Provider, Region, Service};
pub use validate::{FieldError, Rule, ValidationErrors};
pub use wire::{HttpRequest, ProviderError};
