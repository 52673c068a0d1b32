//! Fails when the release console grows past the budget in
//! `web/size-budget.txt` (gzipped bytes of the wasm and of the JS glue).
//!
//! It reads what `trunk build --release` wrote, so it runs after that build,
//! explicitly (web/Cargo.toml sets `test = false` for it, which keeps it out
//! of `cargo test --workspace`, run before the trunk build):
//! `CLOUDLINK_DIST=dist cargo test -p cloudlink-web --test size_budget`.
//! `CLOUDLINK_DIST` names the dist directory (relative to the repository
//! root, or absolute; `dist` when unset). A missing or empty dist fails the
//! test: it never passes without having measured something.
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

fn dist() -> PathBuf {
    let dist =
        std::env::var_os("CLOUDLINK_DIST").map_or_else(|| PathBuf::from("dist"), PathBuf::from);
    let dist = repo().join(dist);
    assert!(
        dist.is_dir(),
        "no console build in {} (CLOUDLINK_DIST): run `trunk build --release` first",
        dist.display()
    );
    dist
}

fn built(dist: &Path, suffix: &str) -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dist)
        .unwrap_or_else(|e| panic!("{}: {e}", dist.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().ends_with(suffix))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected exactly one *{suffix} in {} (a stale or partial trunk build?): {found:?}",
        dist.display()
    );
    found.pop().unwrap()
}

#[test]
fn release_wasm_and_js_stay_within_budget() {
    let dist = dist();
    for (kind, suffix) in [("wasm", "_bg.wasm"), ("js", ".js")] {
        let path = built(&dist, suffix);
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
