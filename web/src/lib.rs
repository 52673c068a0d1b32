//! cloudlink-web: the browser console (Leptos CSR, built by trunk).
//!
//! [`logic`] holds every decision and compiles natively; [`api`] talks to
//! the proxy; [`ui`] wires both to the DOM.

pub mod logic;

pub fn start() {}
