//! `core` ships in the browser bundle and is embedded by other tools: it must
//! stay free of I/O runtimes and HTTP stacks, and small.

use std::process::Command;

#[test]
fn core_depends_on_no_runtime_or_http_stack() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .args([
            "tree",
            "-p",
            "cloudlink-core",
            "-e",
            "normal",
            "--prefix",
            "none",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8(out.stdout).unwrap();
    let crates: Vec<&str> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(crates.contains(&"serde"), "the tree was read: {crates:?}");
    for forbidden in [
        "tokio",
        "reqwest",
        "axum",
        "hyper",
        "mio",
        "async-std",
        "ring",
        "aws-lc-rs",
    ] {
        assert!(
            !crates.contains(&forbidden),
            "{forbidden} in core's dependency tree"
        );
    }
    let mut unique = crates.clone();
    unique.sort_unstable();
    unique.dedup();
    assert!(
        unique.len() <= 30,
        "core's dependency tree grew to {} crates: {unique:?}",
        unique.len()
    );
}
