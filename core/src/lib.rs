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
//! - [`regions`]: the regions each service is offered in, as data with its source.
//! - [`ssh`], [`ipv4`]: helpers the console needs alongside the models.
//! - [`export`]: what a sweep read, as Terraform with `import` blocks and as a
//!   script of CLI commands.
//! - [`configs`]: router, WireGuard and OpenSSH configurations generated
//!   locally from what the providers answer.
//!
//! No I/O and no runtime: the crate builds for `wasm32-unknown-unknown` and
//! runs in the browser with the same rules the proxy enforces.
//!
//! # Checking a request
//!
//! Every broken field is reported at once, with its wire path and a short
//! message that never repeats the value (it may be a secret):
//!
//! ```
//! use cloudlink_core::{ApiRequest, CallError, Operation, Service};
//!
//! let input = br#"{"location": "EqDC2", "bandwidth": "3Gbps", "connectionName": ""}"#;
//! let request =
//!     ApiRequest::from_input_json(Service::DirectConnect, Operation::CreateConnection, input)?;
//! let errors = request.validate().unwrap_err();
//! let found: Vec<String> = errors.errors().iter().map(ToString::to_string).collect();
//! assert_eq!(
//!     found,
//!     [
//!         "bandwidth must be one of 1Gbps, 10Gbps, 100Gbps, 400Gbps",
//!         "connectionName is required",
//!     ]
//! );
//! # Ok::<(), CallError>(())
//! ```
//!
//! # Building the request to send
//!
//! A call as the proxy receives it is parsed and validated in one step; what
//! comes back builds the exact request for the provider's endpoint (sign it
//! and send it with the HTTP client of your choice):
//!
//! ```
//! use cloudlink_core::catalogue::Method;
//! use cloudlink_core::{ApiRequest, IncomingCall, Service};
//!
//! let headers = vec![(
//!     "X-Amz-Target".to_owned(),
//!     "OvertureService.DescribeConnections".to_owned(),
//! )];
//! let call = IncomingCall {
//!     service: Service::DirectConnect,
//!     method: Method::Post,
//!     path: "/",
//!     query: None,
//!     headers: &headers,
//!     body: br#"{"connectionId": "dxcon-fg5678gh"}"#,
//! };
//! let request = ApiRequest::parse(&call)?;
//! let http = request.to_http()?;
//! assert_eq!(http.path_and_query, "/");
//! assert_eq!(http.header("content-type"), Some("application/x-amz-json-1.1"));
//! assert_eq!(http.body, br#"{"connectionId":"dxcon-fg5678gh"}"#);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! `core/examples/check.rs` wraps the first example as a command:
//! `cargo run -p cloudlink-core --example check -- directconnect CreateConnection req.json`.

mod base;
pub mod call;
pub mod catalogue;
pub mod configs;
pub mod contract;
pub mod directconnect;
pub mod export;
pub mod ipv4;
pub mod oci;
mod open_enum;
pub mod outposts;
pub mod regions;
pub mod rules;
pub mod ssh;
pub mod validate;
pub mod wire;

pub use base::{percent_decode_query, percent_encode};
pub use call::{ApiRequest, CallError, IncomingCall, NotInCatalogue};
pub use catalogue::{Operation, Provider, Region, Service};
pub use validate::{FieldError, Rule, ValidationErrors};
pub use wire::{HttpRequest, ProviderError};
