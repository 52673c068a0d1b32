//! `cargo xtask`: the one set-up and check path for cloudlink.
//!
//! The README's commands and CI (`.ci/run`) call this same code, so a fresh clone, a CI
//! machine and a developer's machine are set up and checked the same way. Every installer
//! looks at what is present first and installs only what is missing or at the wrong version,
//! so a warm run spends seconds on set-up.

mod bench;
mod error;
mod fuzz;
mod lengths;
mod lockfile;
mod precompress;
mod run;
mod setup;
mod stamp;

use std::os::unix::process::CommandExt;
use std::process::ExitCode;

use error::Error;
use run::{Ctx, step};
use setup::Tool;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  setup               install what building and testing need (skips what is present)
  test                setup, then every check CI runs; stops at the first failure
  serve [-- ARGS...]  set up, build the console, run the sandbox proxy with ARGS appended
  console             set up, build the console into dist/ with .br and .gz copies (to deploy)
  soak [MINUTES]      release proxy under 256 concurrent calls for MINUTES (default 10),
                      with resource figures; fails if its memory keeps growing (not in CI)
  fuzz [SECONDS] [TARGET...]
                      run the cargo-fuzz targets (all unless named), SECONDS each (default 60);
                      installs nightly and cargo-fuzz if missing; fails on a crash
  lengths [N]         the N longest non-test functions (default 15); none may pass 80 lines
  bench               release proxy vs nginx vs the bare upstream (wrk), signing vs botocore
                      and openssl, console sizes and load times in Chromium, side by side;
                      prints the tables and writes docs/BENCHMARKS.md (minutes; not in CI)
  bench --only proxy  only the upstream / nginx / cloudlink-proxy throughput runs: prints their
                      table, builds no console, leaves docs/BENCHMARKS.md alone (about a minute)";

/// The crate that must also build for `wasm32-unknown-unknown` (no I/O).
const CORE: &str = "cloudlink-core";
/// The Leptos console.
const WEB: &str = "cloudlink-web";
/// The signing proxy that `serve` runs.
const PROXY: &str = "cloudlink-proxy";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
const E2E_SCRIPT: &str = "tests/e2e/run.mjs";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let ctx = Ctx::new();
    let result = match args.first().map(String::as_str) {
        Some("setup") if args.len() == 1 => setup::setup(&ctx, Tool::ALL),
        Some("test") if args.len() == 1 => test(&ctx),
        Some("serve") => serve(&ctx, &args[1..]),
        Some("console") if args.len() == 1 => {
            setup::setup(&ctx, Tool::SERVE).and_then(|()| build_console(&ctx))
        }
        Some("soak") if args.len() <= 2 => soak(&ctx, args.get(1).map(String::as_str)),
        Some("fuzz") => fuzz::fuzz(&ctx, &args[1..]),
        Some("bench") => bench::bench(&ctx, &args[1..]),
        Some("lengths") if args.len() <= 2 => {
            lengths::print_longest(args.get(1).map(String::as_str)).map_err(Error::Unexpected)
        }
        Some("help" | "-h" | "--help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Everything CI checks, in order; the first failure stops the run.
fn test(ctx: &Ctx) -> Result<(), Error> {
    let started = std::time::Instant::now();
    setup::setup(ctx, Tool::ALL)?;
    step("cargo fmt", || {
        ctx.run(ctx.cargo().args(["fmt", "--all", "--check"]))
    })?;
    step("cargo clippy (host)", || {
        clippy(ctx, &["--workspace", "--all-targets"])?;
        // `--all-targets` leaves out `test = false` targets: the size budget reads `dist/`.
        clippy(ctx, &["-p", WEB, "--test", "size_budget"])
    })?;
    step("cargo clippy (wasm32)", || {
        clippy(ctx, &["-p", CORE, "--target", WASM_TARGET])?;
        clippy(ctx, &["-p", WEB, "--all-targets", "--target", WASM_TARGET])
    })?;
    step("cargo build core (wasm32)", || {
        ctx.run(
            ctx.cargo()
                .args(["build", "-p", CORE, "--target", WASM_TARGET]),
        )
    })?;
    build_console(ctx)?;
    step("wasm size budget", || {
        let dist = ctx.root.join("dist");
        ctx.run(ctx.cargo().env("CLOUDLINK_DIST", &dist).args([
            "test",
            "-p",
            WEB,
            "--test",
            "size_budget",
        ]))
    })?;
    step("cargo test", || cargo_test(ctx))?;
    step("proxy without the sandbox (--no-default-features)", || {
        proxy_without_sandbox(ctx)
    })?;
    step("wasm browser tests", || {
        ctx.run(ctx.cargo().env("CHROMEDRIVER", setup::CHROMEDRIVER).args([
            "test",
            "--target",
            WASM_TARGET,
            "-p",
            WEB,
        ]))
    })?;
    step("cargo build proxy", || {
        ctx.run(ctx.cargo().args(["build", "-p", PROXY]))
    })?;
    step("browser end-to-end", || browser_end_to_end(ctx))?;
    println!(
        "xtask test: all steps passed in {}",
        run::seconds(started.elapsed())
    );
    Ok(())
}

/// `cargo clippy ARGS -- -D warnings`.
fn clippy(ctx: &Ctx, args: &[&str]) -> Result<(), Error> {
    ctx.run(
        ctx.cargo()
            .arg("clippy")
            .args(args)
            .args(["--", "-D", "warnings"]),
    )
}

/// Every native test of the workspace, the Python cross-checks with the venv's interpreter.
fn cargo_test(ctx: &Ctx) -> Result<(), Error> {
    let mut cmd = ctx.cargo();
    let python = ctx.root.join(setup::VENV_PYTHON);
    if python.exists() {
        cmd.env("CLOUDLINK_PYTHON", python);
    }
    ctx.run(cmd.args(["test", "--workspace"]))
}

/// The browser scenarios against the debug proxy binary and the built console.
fn browser_end_to_end(ctx: &Ctx) -> Result<(), Error> {
    ctx.run(
        ctx.command("node")
            .env(
                "CLOUDLINK_PROXY_BIN",
                ctx.root.join("target/debug/cloudlink-proxy"),
            )
            .env("CLOUDLINK_WEB_DIR", ctx.root.join("dist"))
            .arg(E2E_SCRIPT),
    )
}

/// `trunk build --release` into `dist/`, then brotli and gzip copies of its files for the
/// proxy to serve (see `precompress`). Trunk.toml sets `offline = true`, which also makes
/// the cargo that trunk runs offline, so every dependency is fetched first.
fn build_console(ctx: &Ctx) -> Result<(), Error> {
    step("cargo fetch", || ctx.run(ctx.cargo().arg("fetch")))?;
    step("trunk build", || {
        ctx.run(ctx.command("trunk").args(["build", "--release"]))
    })?;
    step("precompress dist", || {
        let summary = precompress::precompress_dir(&ctx.root.join("dist"))?;
        println!(
            "{} compressed copies written; not smaller compressed: {:?}",
            summary.written.len(),
            summary.not_smaller
        );
        Ok(())
    })
}

/// Builds the release proxy and runs the soak example against it.
fn soak(ctx: &Ctx, minutes: Option<&str>) -> Result<(), Error> {
    let minutes = minutes.unwrap_or("10");
    step("cargo build --release proxy", || {
        ctx.run(ctx.cargo().args(["build", "--release", "-p", PROXY]))
    })?;
    step("soak", || {
        ctx.run(
            ctx.cargo()
                .env(
                    "CLOUDLINK_PROXY_BIN",
                    ctx.root.join("target/release/cloudlink-proxy"),
                )
                .args([
                    "run",
                    "--release",
                    "-p",
                    PROXY,
                    "--example",
                    "soak",
                    "--",
                    minutes,
                ]),
        )
    })
}

/// The production build: `cloudlink-proxy` without its default `sandbox` feature must stay
/// clippy-clean and build, and its binary must refuse every sandbox flag and config key with
/// exit code 2 (`binary.rs`'s sandbox-free tests run against that build). The `cargo build
/// proxy` step later puts the default binary back in `target/debug`.
fn proxy_without_sandbox(ctx: &Ctx) -> Result<(), Error> {
    clippy(
        ctx,
        &["-p", PROXY, "--no-default-features", "--all-targets"],
    )?;
    ctx.run(ctx.cargo().args([
        "test",
        "-p",
        PROXY,
        "--no-default-features",
        "--test",
        "binary",
    ]))
}

/// Builds the console and replaces this process with the sandbox proxy, so Ctrl-C reaches it.
fn serve(ctx: &Ctx, args: &[String]) -> Result<(), Error> {
    let extra = match args.first().map(String::as_str) {
        Some("--") => &args[1..],
        _ => args,
    };
    setup::setup(ctx, Tool::SERVE)?;
    build_console(ctx)?;
    let mut cmd = ctx.cargo();
    cmd.args([
        "run",
        "--release",
        "-p",
        PROXY,
        "--",
        "--sandbox",
        "--web-dir",
        "dist",
    ])
    .args(extra);
    println!("==> {}", run::describe(&cmd));
    let source = cmd.exec();
    Err(Error::Spawn {
        program: "cargo".to_owned(),
        source,
    })
}
