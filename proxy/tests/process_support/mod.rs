//! Runs the `cloudlink-proxy` binary for a test, as a user would.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_cloudlink-proxy");

/// A child process killed (and reaped) when dropped, even on panic.
pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the proxy with `args` and `env` (`None` removes a variable), waits
/// for its `cloudlink console:` line, and returns the URL printed there.
pub fn start_proxy(args: &[&str], env: &[(&str, Option<&str>)]) -> (Running, String) {
    let mut cmd = Command::new(BIN);
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::null());
    for (key, value) in env {
        match value {
            Some(v) => cmd.env(key, v),
            None => cmd.env_remove(key),
        };
    }
    let mut child = cmd.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let running = Running(child);
    let mut lines = BufReader::new(stdout).lines();
    let url = loop {
        let line = lines.next().expect("the proxy printed its URL").unwrap();
        if let Some(rest) = line.strip_prefix("cloudlink console: ") {
            break rest.split_whitespace().next().unwrap().to_owned();
        }
    };
    // Keep draining stdout so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (running, url)
}
