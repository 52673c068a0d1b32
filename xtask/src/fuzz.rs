//! `cargo xtask fuzz [SECONDS] [TARGET...]`: runs the cargo-fuzz targets in `fuzz/` one after
//! another, SECONDS each (60 unless given), and fails if any of them crashed.
//!
//! Not part of `cargo xtask test`: fuzzing needs a nightly toolchain and minutes per target.
//! Nightly (minimal profile) and cargo-fuzz are installed here when missing. The fuzz crate
//! is its own workspace with its own target directory (`fuzz/target`), since its builds use
//! nightly and coverage flags that would invalidate the stable workspace's cache. Each run
//! starts from the committed corpus (`fuzz/corpus/TARGET`, read only) and writes what it
//! finds to `fuzz/target/corpus/TARGET`; a crash leaves its input in `fuzz/artifacts/TARGET`.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Instant;

use crate::error::Error;
use crate::run::{Ctx, describe, seconds, step};

const DEFAULT_SECONDS: u64 = 60;
const NIGHTLY: &str = "+nightly";

/// What one target's run reported.
#[derive(Debug, Default)]
struct Report {
    target: String,
    executions: Option<u64>,
    coverage: Option<String>,
    wall: f64,
    crashed: bool,
}

pub fn fuzz(ctx: &Ctx, args: &[String]) -> Result<(), Error> {
    let (secs, wanted) = match args.first().map(|a| a.parse::<u64>()) {
        Some(Ok(n)) if n > 0 => (n, &args[1..]),
        Some(Ok(_)) => return Err(Error::Missing("SECONDS must be at least 1".to_owned())),
        _ => (DEFAULT_SECONDS, args),
    };
    install(ctx)?;
    let all = targets(ctx)?;
    let chosen: Vec<String> = if wanted.is_empty() {
        all
    } else {
        for name in wanted {
            if !all.contains(name) {
                return Err(Error::Missing(format!(
                    "fuzz target {name:?} (targets: {})",
                    all.join(", ")
                )));
            }
        }
        wanted.to_vec()
    };
    step("cargo fuzz build", || {
        ctx.run(fuzz_command(ctx).args(["build", "-s", "none", "-a"]))
    })?;
    let mut reports = Vec::new();
    for target in &chosen {
        reports.push(run_target(ctx, target, secs)?);
    }
    println!("\nfuzz summary ({secs} s per target):");
    println!(
        "{:<24} {:>12} {:>9}  coverage",
        "target", "executions", "seconds"
    );
    for r in &reports {
        println!(
            "{:<24} {:>12} {:>9.0}  {}{}",
            r.target,
            r.executions.map_or("?".to_owned(), |n| n.to_string()),
            r.wall,
            r.coverage.as_deref().unwrap_or("?"),
            if r.crashed { "  CRASHED" } else { "" }
        );
    }
    let crashed: Vec<&str> = reports
        .iter()
        .filter(|r| r.crashed)
        .map(|r| r.target.as_str())
        .collect();
    if crashed.is_empty() {
        Ok(())
    } else {
        Err(Error::Unexpected(format!(
            "fuzz targets crashed: {} (inputs in fuzz/artifacts/)",
            crashed.join(", ")
        )))
    }
}

/// Nightly and cargo-fuzz, each only if missing.
fn install(ctx: &Ctx) -> Result<(), Error> {
    let has_nightly = ctx
        .stdout(
            ctx.command("rustup")
                .args(["run", "nightly", "rustc", "--version"]),
        )
        .is_some();
    if !has_nightly {
        step("rustup toolchain install nightly", || {
            ctx.run(ctx.command("rustup").args([
                "toolchain",
                "install",
                "nightly",
                "--profile",
                "minimal",
            ]))
        })?;
    }
    let has_cargo_fuzz = ctx
        .stdout(ctx.command("cargo").args([NIGHTLY, "fuzz", "--version"]))
        .is_some();
    if !has_cargo_fuzz {
        step("cargo install cargo-fuzz", || {
            ctx.run(
                ctx.command("cargo")
                    .args([NIGHTLY, "install", "cargo-fuzz", "--locked"]),
            )
        })?;
    }
    Ok(())
}

/// `cargo +nightly fuzz` with the fuzz crate's own target directory.
fn fuzz_command(ctx: &Ctx) -> std::process::Command {
    let mut cmd = ctx.command("cargo");
    cmd.arg(NIGHTLY)
        .arg("fuzz")
        .env("CARGO_TARGET_DIR", ctx.root.join("fuzz").join("target"));
    cmd
}

fn targets(ctx: &Ctx) -> Result<Vec<String>, Error> {
    let mut cmd = fuzz_command(ctx);
    cmd.arg("list");
    let listed = ctx
        .stdout(&mut cmd)
        .ok_or_else(|| Error::Unexpected(format!("`{}` failed", describe(&cmd))))?;
    Ok(listed
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect())
}

fn run_target(ctx: &Ctx, target: &str, secs: u64) -> Result<Report, Error> {
    let work = ctx.root.join("fuzz/target/corpus").join(target);
    std::fs::create_dir_all(&work).map_err(|source| Error::Io {
        path: work.clone(),
        source,
    })?;
    let seeds = ctx.root.join("fuzz/corpus").join(target);
    let mut cmd = fuzz_command(ctx);
    cmd.args(["run", "-s", "none", "-a", target])
        .arg(&work)
        .arg(&seeds)
        .arg("--")
        .arg(format!("-max_total_time={secs}"))
        // One process (libFuzzer's default; `-jobs` would fork workers that log to files).
        .arg("-print_final_stats=1");
    println!("==> fuzz {target} for {secs} s: {}", describe(&cmd));
    let started = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| Error::Spawn {
            program: "cargo".to_owned(),
            source,
        })?;
    let mut report = Report {
        target: target.to_owned(),
        ..Report::default()
    };
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr).split(b'\n') {
            let Ok(line) = line else { break };
            let line = String::from_utf8_lossy(&line);
            eprintln!("{line}");
            read_stat(&line, &mut report);
        }
    }
    let status = child.wait().map_err(|source| Error::Spawn {
        program: "cargo".to_owned(),
        source,
    })?;
    report.wall = started.elapsed().as_secs_f64();
    report.crashed = !status.success();
    println!(
        "<== fuzz {target}: {} in {}",
        if report.crashed { "CRASHED" } else { "ok" },
        seconds(started.elapsed())
    );
    Ok(report)
}

/// Picks the executions (`stat::number_of_executed_units`) and the last coverage figures
/// (`cov: N ft: M`) out of libFuzzer's output.
fn read_stat(line: &str, report: &mut Report) {
    if let Some(n) = line.strip_prefix("stat::number_of_executed_units:") {
        report.executions = n.trim().parse().ok();
    }
    if let Some(at) = line.find("cov: ") {
        let figures: Vec<&str> = line[at..].split_whitespace().take(4).collect();
        report.coverage = Some(figures.join(" "));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libfuzzer_figures_are_read() {
        let mut r = Report::default();
        read_stat(
            "#1048576\tpulse  cov: 1234 ft: 5678 corp: 90/12Kb exec/s: 300 rss: 60Mb",
            &mut r,
        );
        read_stat("#2000000\tDONE   cov: 1240 ft: 5700 corp: 91/12Kb", &mut r);
        read_stat("stat::number_of_executed_units: 2000000", &mut r);
        assert_eq!(r.executions, Some(2_000_000));
        assert_eq!(r.coverage.as_deref(), Some("cov: 1240 ft: 5700"));
    }
}
