//! Golden files and the external tools the tests run.

#[path = "../support/golden.rs"]
mod golden;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Compares `actual` with `tests/data/configs/NAME`; `UPDATE_GOLDEN=1`
/// rewrites the file instead.
pub fn assert_golden(name: &str, actual: &str) {
    golden::assert_golden("configs", name, actual);
}

/// A command for a Debian tool, failing clearly when it is not installed.
pub fn tool(path: &str, package: &str) -> Command {
    assert!(
        Path::new(path).exists(),
        "{path} is missing: install Debian's {package} (`cargo xtask setup` does, as root: \
         apt-get install -y {package})"
    );
    Command::new(path)
}

/// A fresh file under the test target's scratch directory, holding `text`.
/// `name` is kept as the file name inside a directory of its own (wg-quick
/// reads the interface name from it).
pub fn scratch_file(name: &str, text: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "configs-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A virtual interface name that tries to break out of every format.
pub const HOSTILE_NAME: &str = "evil\" '$(touch /tmp/pwned)' ${x} %{y} ?!#\n router bgp 1\r\n}";

/// Whether this process runs as root, from `/proc/self/status`.
pub fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|status| {
        status
            .lines()
            .find_map(|l| l.strip_prefix("Uid:"))
            .and_then(|ids| ids.split_whitespace().next())
            == Some("0")
    })
}
