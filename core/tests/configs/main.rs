//! The locally generated configurations (`cloudlink_core::configs`), checked
//! against golden files and against the real parsers: FRR's `vtysh`,
//! `wg`/`wg-quick` from wireguard-tools, and OpenSSH's `ssh -G`.
//! `cargo xtask setup` installs those Debian packages; a missing one fails
//! the test with the command to run.

mod openssh;
mod router;
mod support;
mod wireguard;
