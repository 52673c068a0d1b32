//! Everything the console decides without a browser: form state to typed
//! request, field error lookup, CLI commands, where to send a call, when to
//! poll, how to follow a list's pages, how to mask a secret, how to show the sandbox's seeds,
//! what a select offers and what a hint says, and the estate-wide inventory (sweep, rows, filter,
//! export) that its page is to be built on, the topology picture's layout and SVG, what the
//! Terraform, CLI and router exports are made from, the WireGuard key pair made in the browser
//! and the OpenSSH settings of a console connection.
//!
//! Components only wire these to signals and the DOM, so this module
//! compiles and is tested natively (`cargo test -p cloudlink-web`).

pub mod choices;
pub mod cli;
pub mod errors;
pub mod exports;
pub mod forms;
pub mod inventory;
pub mod openssh;
pub mod pages;
pub mod paging;
pub mod route;
pub mod seeds;
pub mod status;
pub mod tagging;
pub mod topology;
pub mod wireguard;

pub use errors::FieldErrors;
