//! Installers for every tool the build and the tests need. Each one checks first (version
//! output, file presence or a stamp) and installs only what is missing or wrong, so running
//! set-up again is cheap and safe. Versions and the reasons for them: docs/SETUP.md.

use std::path::Path;

use crate::error::Error;
use crate::lockfile;
use crate::run::{Ctx, step};
use crate::stamp;

/// trunk 0.22 needs a newer rustc than the pinned 1.95.0.
const TRUNK_VERSION: &str = "0.21.14";
const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const REQUIREMENTS: &str = "tests/python/requirements.txt";
const VENV: &str = ".venv";
pub const VENV_PYTHON: &str = ".venv/bin/python";
const VENV_STAMP: &str = ".venv/.xtask-requirements-stamp";
const NPM_STAMP: &str = "node_modules/.xtask-npm-stamp";
/// Debian's binaryen (108) produces a wasm that fails at load; only 132 from npm is used.
const WASM_OPT_VERSION: &str = "version 132";

/// One thing set-up can install.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    WasmTarget,
    Trunk,
    WasmBindgen,
    NpmPackages,
    Chromium,
    PythonVenv,
    ReverseProxies,
    ConfigCheckers,
}

impl Tool {
    pub const ALL: &[Tool] = &[
        Tool::WasmTarget,
        Tool::Trunk,
        Tool::WasmBindgen,
        Tool::NpmPackages,
        Tool::Chromium,
        Tool::PythonVenv,
        Tool::ReverseProxies,
        Tool::ConfigCheckers,
    ];

    /// What building and serving the console needs (no browser, no Python).
    pub const SERVE: &[Tool] = &[
        Tool::WasmTarget,
        Tool::Trunk,
        Tool::WasmBindgen,
        Tool::NpmPackages,
    ];

    fn name(self) -> &'static str {
        match self {
            Tool::WasmTarget => "rust target wasm32-unknown-unknown",
            Tool::Trunk => "trunk",
            Tool::WasmBindgen => "wasm-bindgen-cli",
            Tool::NpmPackages => "npm packages (binaryen, playwright-core, axe-core)",
            Tool::Chromium => "chromium + chromedriver",
            Tool::PythonVenv => "python venv (.venv)",
            Tool::ReverseProxies => "nginx, caddy, openssl (the reverse-proxy e2e scenarios)",
            Tool::ConfigCheckers => {
                "frr, wireguard-tools, openssh-client (parsers for core/tests/configs)"
            }
        }
    }
}

/// What an installer found or did.
#[derive(Debug)]
enum Outcome {
    Present(String),
    Installed(String),
    Skipped(String),
}

/// About what a cold `cargo xtask test` writes (target/, the venv, node_modules, cargo's
/// registry), measured on a fresh clone; see docs/SETUP.md.
const COLD_RUN_DISK_GIB: u64 = 8;

pub fn setup(ctx: &Ctx, tools: &[Tool]) -> Result<(), Error> {
    warn_if_disk_is_short(ctx);
    for &tool in tools {
        step(&format!("setup: {}", tool.name()), || {
            let outcome = match tool {
                Tool::WasmTarget => wasm_target(ctx),
                Tool::Trunk => trunk(ctx),
                Tool::WasmBindgen => wasm_bindgen(ctx),
                Tool::NpmPackages => npm_packages(ctx),
                Tool::Chromium => chromium(ctx),
                Tool::PythonVenv => python_venv(ctx),
                Tool::ReverseProxies => apt_packages(ctx, REVERSE_PROXIES),
                Tool::ConfigCheckers => apt_packages(ctx, CONFIG_CHECKERS),
            }?;
            match outcome {
                Outcome::Present(what) => println!("    present: {what}"),
                Outcome::Installed(what) => println!("    installed: {what}"),
                Outcome::Skipped(why) => println!("    skipped: {why}"),
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// A full disk fails a build far from its cause (a pip or linker "No space left on device"
/// half an hour in), so say it first. Only a warning: a warm target/ needs much less.
fn warn_if_disk_is_short(ctx: &Ctx) {
    let Some(free) = free_gib(ctx) else { return };
    if free < COLD_RUN_DISK_GIB {
        eprintln!(
            "xtask: warning: {free} GiB free on the disk holding {}; a cold build and test run \
             writes about {COLD_RUN_DISK_GIB} GiB",
            ctx.root.display()
        );
    }
}

/// Free space where the repository lives, from POSIX `df -Pk` (no extra crate for one number).
fn free_gib(ctx: &Ctx) -> Option<u64> {
    let out = ctx.stdout(ctx.command("df").arg("-Pk").arg(&ctx.root))?;
    let kib: u64 = out
        .lines()
        .nth(1)?
        .split_whitespace()
        .nth(3)?
        .parse()
        .ok()?;
    Some(kib / (1024 * 1024))
}

fn wasm_target(ctx: &Ctx) -> Result<Outcome, Error> {
    let target = crate::WASM_TARGET;
    let installed = ctx
        .stdout(
            ctx.command("rustup")
                .args(["target", "list", "--installed"]),
        )
        .ok_or_else(|| Error::Missing("rustup (https://rustup.rs)".to_owned()))?;
    if installed.lines().any(|line| line.trim() == target) {
        return Ok(Outcome::Present(target.to_owned()));
    }
    ctx.run(ctx.command("rustup").args(["target", "add", target]))?;
    Ok(Outcome::Installed(target.to_owned()))
}

/// The first line of `program --version`, if it runs.
fn version_line(ctx: &Ctx, program: &str) -> Option<String> {
    let out = ctx.stdout(ctx.command(program).arg("--version"))?;
    Some(out.lines().next().unwrap_or_default().trim().to_owned())
}

/// Whether a `--version` line names exactly `version` as a word (so 0.2.13 is not 0.2.130).
fn names_version(line: &str, version: &str) -> bool {
    line.split_whitespace()
        .any(|word| word.trim_start_matches('v') == version)
}

fn trunk(ctx: &Ctx) -> Result<Outcome, Error> {
    if let Some(line) = version_line(ctx, "trunk")
        && names_version(&line, TRUNK_VERSION)
    {
        return Ok(Outcome::Present(line));
    }
    ctx.run(
        ctx.cargo()
            .args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]),
    )?;
    Ok(Outcome::Installed(format!("trunk {TRUNK_VERSION}")))
}

/// wasm-bindgen-cli at exactly the `wasm-bindgen` version in Cargo.lock. Installed without
/// `--locked`: its own lock file pins a webpki-roots version that the registry no longer has.
fn wasm_bindgen(ctx: &Ctx) -> Result<Outcome, Error> {
    let lock_path = ctx.root.join("Cargo.lock");
    let Ok(lock) = std::fs::read_to_string(&lock_path) else {
        return Ok(Outcome::Skipped("no Cargo.lock yet".to_owned()));
    };
    let version = match lockfile::versions(&lock, "wasm-bindgen").as_slice() {
        [] => {
            return Ok(Outcome::Skipped(
                "Cargo.lock has no wasm-bindgen yet".to_owned(),
            ));
        }
        [version] => version.clone(),
        several => {
            return Err(Error::Unexpected(format!(
                "Cargo.lock has several wasm-bindgen versions: {}",
                several.join(", ")
            )));
        }
    };
    let bindgen = version_line(ctx, "wasm-bindgen");
    let runner = version_line(ctx, "wasm-bindgen-test-runner");
    if let (Some(bindgen), Some(runner)) = (&bindgen, &runner)
        && names_version(bindgen, &version)
        && names_version(runner, &version)
    {
        return Ok(Outcome::Present(format!("{bindgen}; {runner}")));
    }
    ctx.run(
        ctx.cargo()
            .args(["install", "wasm-bindgen-cli", "--version", &version]),
    )?;
    Ok(Outcome::Installed(format!("wasm-bindgen-cli {version}")))
}

/// `npm ci` from package-lock.json, skipped when node_modules was installed from the same
/// package.json and package-lock.json and wasm-opt answers with the pinned version.
fn npm_packages(ctx: &Ctx) -> Result<Outcome, Error> {
    let inputs = [
        ctx.root.join("package.json"),
        ctx.root.join("package-lock.json"),
    ];
    let digest = stamp::digest(&inputs)?;
    let stamp_path = ctx.root.join(NPM_STAMP);
    let wasm_opt = ctx.root.join("node_modules/.bin/wasm-opt");
    let wasm_opt_ok = |ctx: &Ctx| {
        version_line(ctx, &wasm_opt.to_string_lossy())
            .filter(|line| line.contains(WASM_OPT_VERSION))
    };
    if stamp::matches(&stamp_path, &digest)
        && let Some(line) = wasm_opt_ok(ctx)
    {
        return Ok(Outcome::Present(format!("node_modules ({line})")));
    }
    if version_line(ctx, "npm").is_none() {
        return Err(Error::Missing(
            "npm (Node.js 20 or newer with npm)".to_owned(),
        ));
    }
    ctx.run(ctx.command("npm").args(["ci", "--no-audit", "--no-fund"]))?;
    let line = wasm_opt_ok(ctx).ok_or_else(|| {
        Error::Unexpected(format!(
            "node_modules/.bin/wasm-opt does not report {WASM_OPT_VERSION} after npm ci"
        ))
    })?;
    stamp::write(&stamp_path, &digest)?;
    Ok(Outcome::Installed(format!("node_modules ({line})")))
}

/// Debian's chromium and chromium-driver (same version, matched by Debian). Browser test
/// tools that download their own browser do not work on these machines.
fn chromium(ctx: &Ctx) -> Result<Outcome, Error> {
    let present = || Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
    if present() {
        let version = version_line(ctx, CHROMEDRIVER).unwrap_or_else(|| CHROMEDRIVER.to_owned());
        return Ok(Outcome::Present(version));
    }
    let root = ctx
        .stdout(ctx.command("id").arg("-u"))
        .is_some_and(|uid| uid.trim() == "0");
    if !root {
        return Err(Error::Missing(format!(
            "{CHROMIUM} or {CHROMEDRIVER}; as root run: \
             apt-get update && apt-get install -y chromium chromium-driver"
        )));
    }
    ctx.run(ctx.command("apt-get").arg("update"))?;
    ctx.run(
        ctx.command("apt-get")
            .env("DEBIAN_FRONTEND", "noninteractive")
            .args(["install", "-y", "chromium", "chromium-driver"]),
    )?;
    if !present() {
        return Err(Error::Unexpected(format!(
            "apt-get installed chromium but {CHROMIUM} or {CHROMEDRIVER} is still missing"
        )));
    }
    let version = version_line(ctx, CHROMEDRIVER).unwrap_or_else(|| CHROMEDRIVER.to_owned());
    Ok(Outcome::Installed(version))
}

/// Debian's nginx and caddy (run by the e2e scenarios `nginx` and `caddy` as the current
/// user, never as services) and openssl (their self-signed certificate).
const REVERSE_PROXIES: &[(&str, &str)] = &[
    ("/usr/sbin/nginx", "nginx"),
    ("/usr/bin/caddy", "caddy"),
    ("/usr/bin/openssl", "openssl"),
];

/// The parsers the generated configurations are checked with (core/tests/configs): FRR's
/// `vtysh --dryrun`, `wg`/`wg-quick`, and `ssh -G`. Only the commands are used; Debian
/// starts FRR's service where it can, which the tests neither need nor touch.
const CONFIG_CHECKERS: &[(&str, &str)] = &[
    ("/usr/bin/vtysh", "frr"),
    ("/usr/bin/wg-quick", "wireguard-tools"),
    ("/usr/bin/ssh", "openssh-client"),
];

/// Installs with apt-get, as root, the packages of `wanted` (a file each provides, its
/// package) whose file is missing; nothing when all are there.
fn apt_packages(ctx: &Ctx, wanted: &[(&str, &str)]) -> Result<Outcome, Error> {
    let missing: Vec<&str> = wanted
        .iter()
        .filter(|(path, _)| !Path::new(path).exists())
        .map(|(_, package)| *package)
        .collect();
    let names = wanted
        .iter()
        .map(|(_, p)| *p)
        .collect::<Vec<_>>()
        .join(", ");
    if missing.is_empty() {
        return Ok(Outcome::Present(names));
    }
    let root = ctx
        .stdout(ctx.command("id").arg("-u"))
        .is_some_and(|uid| uid.trim() == "0");
    if !root {
        return Err(Error::Missing(format!(
            "{}; as root run: apt-get update && apt-get install -y {}",
            missing.join(", "),
            missing.join(" ")
        )));
    }
    ctx.run(ctx.command("apt-get").arg("update"))?;
    // Debian starts the packages' services where it can; the tests start their own.
    ctx.run(
        ctx.command("apt-get")
            .env("DEBIAN_FRONTEND", "noninteractive")
            .args(["install", "-y"])
            .args(&missing),
    )?;
    if let Some((path, _)) = wanted.iter().find(|(p, _)| !Path::new(p).exists()) {
        return Err(Error::Unexpected(format!(
            "apt-get install ran but {path} is still missing"
        )));
    }
    Ok(Outcome::Installed(missing.join(", ")))
}

/// `.venv` with tests/python/requirements.txt installed; reinstalled only when that file
/// changes (its hash is kept in a stamp inside .venv).
fn python_venv(ctx: &Ctx) -> Result<Outcome, Error> {
    let requirements = ctx.root.join(REQUIREMENTS);
    if !requirements.exists() {
        return Ok(Outcome::Skipped(format!(
            "{REQUIREMENTS} does not exist yet"
        )));
    }
    let digest = stamp::digest(std::slice::from_ref(&requirements))?;
    let stamp_path = ctx.root.join(VENV_STAMP);
    let python = ctx.root.join(VENV_PYTHON);
    let python_runs = |ctx: &Ctx| version_line(ctx, &python.to_string_lossy());
    if stamp::matches(&stamp_path, &digest)
        && let Some(version) = python_runs(ctx)
    {
        return Ok(Outcome::Present(format!(
            "{VENV} ({version}, {REQUIREMENTS})"
        )));
    }
    if python_runs(ctx).is_none() {
        // Missing or broken (its interpreter moved): make it again from scratch.
        ctx.run(ctx.command("python3").args(["-m", "venv", "--clear", VENV]))?;
    }
    ctx.run(ctx.command(&python).args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-input",
        "-r",
        REQUIREMENTS,
    ]))?;
    stamp::write(&stamp_path, &digest)?;
    Ok(Outcome::Installed(format!("{VENV} from {REQUIREMENTS}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_must_be_a_whole_word() {
        for (line, version, expected) in [
            ("trunk 0.21.14", "0.21.14", true),
            ("trunk v0.21.14", "0.21.14", true),
            ("trunk 0.21.1", "0.21.14", false),
            ("trunk 0.21.140", "0.21.14", false),
            ("wasm-bindgen 0.2.130", "0.2.130", true),
            ("wasm-bindgen 0.2.13", "0.2.130", false),
            ("wasm-bindgen-test-runner 0.2.130", "0.2.130", true),
            ("", "0.2.130", false),
        ] {
            assert_eq!(
                names_version(line, version),
                expected,
                "{line:?} vs {version}"
            );
        }
    }

    #[test]
    fn serve_needs_a_subset_of_setup() {
        for tool in Tool::SERVE {
            assert!(Tool::ALL.contains(tool), "{tool:?}");
        }
        assert!(!Tool::SERVE.contains(&Tool::Chromium));
        assert!(!Tool::SERVE.contains(&Tool::PythonVenv));
        assert!(!Tool::SERVE.contains(&Tool::ConfigCheckers));
    }

    #[test]
    fn apt_lists_name_a_package_for_every_file() {
        for (path, package) in REVERSE_PROXIES.iter().chain(CONFIG_CHECKERS) {
            assert!(path.starts_with("/usr/"), "{path}");
            assert!(!package.is_empty() && !package.contains(' '), "{package:?}");
        }
    }
}
