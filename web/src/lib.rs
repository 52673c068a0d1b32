//! cloudlink-web: the browser console (Leptos CSR, built by trunk from the
//! root `index.html`, served by `cloudlink-proxy --web-dir`).
//!
//! [`logic`] holds every decision and compiles and is tested natively;
//! [`api`] moves bytes to and from the proxy; [`ui`] wires both to the DOM.
//! The crate holds no cloud secret: the proxy signs every call.

pub mod api;
pub mod logic;
pub mod ui;

/// Mounts the console on the page's body.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(ui::App);
}
