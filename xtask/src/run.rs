//! Running commands from the repository root with the project's tools on PATH, and timing
//! named steps so a CI log shows what ran, how long it took and which step failed.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::error::Error;

/// Where commands run and which PATH they see.
#[derive(Debug)]
pub struct Ctx {
    /// The workspace root (the parent of `xtask/`).
    pub root: PathBuf,
    /// `node_modules/.bin` (wasm-opt from binaryen 132 must win over any other), then cargo's
    /// bin directory (trunk, wasm-bindgen), then the caller's PATH.
    path: OsString,
}

impl Ctx {
    pub fn new() -> Ctx {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("xtask lives one level below the workspace root")
            .to_path_buf();
        let cargo_home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")));
        let mut dirs = vec![root.join("node_modules").join(".bin")];
        dirs.extend(cargo_home.map(|home| home.join("bin")));
        if let Some(path) = std::env::var_os("PATH") {
            dirs.extend(std::env::split_paths(&path));
        }
        let path = std::env::join_paths(dirs).expect("PATH entries contain no ':'");
        Ctx { root, path }
    }

    /// A command run from the repository root with the project PATH.
    pub fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(&self.root).env("PATH", &self.path);
        cmd
    }

    /// `cargo` through rustup, so rust-toolchain.toml picks the toolchain. Under CI
    /// (`CI` set) incremental compilation is off: a one-shot build gains nothing from it and
    /// its cache takes gigabytes of a shared disk.
    pub fn cargo(&self) -> Command {
        let mut cmd = self.command("cargo");
        if std::env::var_os("CI").is_some_and(|ci| !ci.is_empty() && ci != "false") {
            cmd.env("CARGO_INCREMENTAL", "0");
        }
        cmd
    }

    /// Runs to completion with inherited output and no stdin (CI has none).
    pub fn run(&self, cmd: &mut Command) -> Result<(), Error> {
        let status = cmd
            .stdin(Stdio::null())
            .status()
            .map_err(|source| Error::Spawn {
                program: program(cmd),
                source,
            })?;
        if status.success() {
            Ok(())
        } else {
            Err(Error::Failed {
                command: describe(cmd),
                status,
            })
        }
    }

    /// The stdout of a command that succeeded, or `None` if it is missing or failed. Used to
    /// ask tools for their version.
    pub fn stdout(&self, cmd: &mut Command) -> Option<String> {
        let output = cmd
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .ok()?;
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
    }
}

/// Runs `body` as a named step, printing its name, outcome and duration.
pub fn step<T>(name: &str, body: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    println!("==> {name}");
    let started = Instant::now();
    let result = body();
    let took = seconds(started.elapsed());
    match &result {
        Ok(_) => println!("<== {name}: ok in {took}"),
        Err(error) => eprintln!("<== {name}: FAILED after {took}: {error}"),
    }
    result
}

pub fn seconds(duration: Duration) -> String {
    format!("{:.1}s", duration.as_secs_f64())
}

fn program(cmd: &Command) -> String {
    cmd.get_program().to_string_lossy().into_owned()
}

/// The command line as a shell would show it (without quoting), for logs and errors.
pub fn describe(cmd: &Command) -> String {
    let mut line = program(cmd);
    for arg in cmd.get_args() {
        line.push(' ');
        line.push_str(&arg.to_string_lossy());
    }
    line
}
