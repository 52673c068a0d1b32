//! Fails when the release console grows past the budget in
//! `web/size-budget.txt` (gzipped bytes of the wasm and of the JS glue).
//!
//! It reads what `trunk build --release` wrote to `dist/`, so it runs after
//! that build, explicitly:
//! `cargo test -p cloudlink-web --test size_budget -- --ignored`
//! (`#[ignore]` only keeps it out of `cargo test --workspace`, which runs
//! before the trunk build).
#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn budget(kind: &str) -> u64 {
    let text = std::fs::read_to_string(repo().join("web/size-budget.txt")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .find_map(|l| {
            l.strip_prefix(kind)
                .map(|n| n.trim().parse::<u64>().unwrap())
        })
        .unwrap_or_else(|| panic!("no {kind} budget"))
}

fn gzipped(path: &Path) -> u64 {
    let bytes = std::fs::read(path).unwrap();
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&bytes).unwrap();
    encoder.finish().unwrap().len() as u64
}

fn built(suffix: &str) -> PathBuf {
    let dist = std::env::var_os("CLOUDLINK_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("dist"));
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dist)
        .unwrap_or_else(|e| panic!("{}: {e}; run `trunk build --release` first", dist.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().ends_with(suffix))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "exactly one *{suffix} in {}: {found:?}",
        dist.display()
    );
    found.pop().unwrap()
}

#[test]
#[ignore = "needs dist/ from `trunk build --release`; run with --ignored after it"]
fn release_wasm_and_js_stay_within_budget() {
    for (kind, suffix) in [("wasm", "_bg.wasm"), ("js", ".js")] {
        let path = built(suffix);
        let size = gzipped(&path);
        let max = budget(kind);
        println!(
            "{kind}: {} gzipped {size} bytes (budget {max})",
            path.display()
        );
        assert!(
            size <= max,
            "{} is {size} bytes gzipped, over the budget of {max}",
            path.display()
        );
    }
}
