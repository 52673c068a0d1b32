//! Runs the `cloudlink-proxy` binary for a test, as a user would.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

pub const BIN: &str = env!("CARGO_BIN_EXE_cloudlink-proxy");

/// A child process killed (and reaped) when dropped, even on panic.
pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A started proxy: what it printed on stderr before and with its login link,
/// and every line it writes from then on, per stream.
#[allow(dead_code)] // each test binary that includes this module reads some fields
pub struct Started {
    pub running: Running,
    /// The login link of the `cloudlink console:` line (stderr).
    pub login_url: String,
    /// `http://host:port`, without a trailing slash.
    pub base: String,
    /// The token of the `cloudlink token:` line, printed when it was generated.
    pub generated_token: Option<String>,
    pub stdout: Arc<Mutex<Vec<String>>>,
    pub stderr: Arc<Mutex<Vec<String>>>,
}

fn collect(stream: impl Read + Send + 'static, into: Arc<Mutex<Vec<String>>>) {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            into.lock().unwrap().push(line);
        }
    });
}

/// Starts the proxy with `args` and `env` (`None` removes a variable), waits
/// for its `cloudlink console:` line on stderr, and keeps draining both
/// streams (so the child never blocks on a full pipe).
pub fn start(args: &[&str], env: &[(&str, Option<&str>)]) -> Started {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env("NO_COLOR", "1");
    for (key, value) in env {
        match value {
            Some(v) => cmd.env(key, v),
            None => cmd.env_remove(key),
        };
    }
    let mut child = cmd.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let stderr_pipe = child.stderr.take().unwrap();
    let running = Running(child);
    let out = Arc::new(Mutex::new(Vec::new()));
    collect(stdout, out.clone());
    let err = Arc::new(Mutex::new(Vec::new()));
    let mut lines = BufReader::new(stderr_pipe).lines();
    // A generated token's line comes before the link.
    let mut generated_token = None;
    let login_url = loop {
        let line = lines
            .next()
            .expect("the proxy printed its login link")
            .unwrap();
        err.lock().unwrap().push(line.clone());
        if let Some(t) = line.strip_prefix("cloudlink token: ") {
            generated_token = Some(t.split_whitespace().next().unwrap().to_owned());
        }
        if let Some(rest) = line.strip_prefix("cloudlink console: ") {
            break rest.split_whitespace().next().unwrap().to_owned();
        }
    };
    let base = login_url.split("/login").next().unwrap().to_owned();
    let into = err.clone();
    std::thread::spawn(move || {
        for line in lines {
            let Ok(line) = line else { break };
            into.lock().unwrap().push(line);
        }
    });
    Started {
        running,
        login_url,
        base,
        generated_token,
        stdout: out,
        stderr: err,
    }
}

/// [`start`], for tests that need only the process and the base URL.
pub fn start_proxy(args: &[&str], env: &[(&str, Option<&str>)]) -> (Running, String) {
    let s = start(args, env);
    (s.running, s.base)
}
