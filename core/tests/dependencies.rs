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

/// The top-level modules another module of `core` names in code (not in docs).
fn module_edges() -> Vec<(String, String)> {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            for inner in std::fs::read_dir(&path).unwrap() {
                files.push(inner.unwrap().path());
            }
        } else {
            files.push(path);
        }
    }
    let mut edges = Vec::new();
    for file in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
    {
        let rel = file.strip_prefix(&src).unwrap();
        let from = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_owned();
        if from == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        // Test modules may use anything; they sit at the end of a file.
        let code = text.split("#[cfg(test)]").next().unwrap();
        for line in code.lines() {
            let line = line.trim_start();
            if line.starts_with("//") {
                continue;
            }
            for (i, _) in line.match_indices("crate::") {
                let name: String = line[i + 7..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                // `crate::open_enum!` is a macro, and `crate::Rule`-style names are re-exports.
                if !name.is_empty() && name != from && name != "open_enum" {
                    edges.push((from.clone(), name));
                }
            }
        }
    }
    edges.sort();
    edges.dedup();
    edges
}

#[test]
fn core_modules_import_each_other_without_a_cycle() {
    let edges = module_edges();
    assert!(
        edges.contains(&("call".to_owned(), "base".to_owned())),
        "the sources were read: {edges:?}"
    );
    // Depth-first search from every module; a module met again on the path is a cycle.
    fn visit(node: &str, edges: &[(String, String)], path: &mut Vec<String>) {
        if let Some(at) = path.iter().position(|p| p == node) {
            panic!("import cycle: {} -> {node}", path[at..].join(" -> "));
        }
        path.push(node.to_owned());
        for (_, to) in edges.iter().filter(|(from, _)| from == node) {
            visit(to, edges, path);
        }
        path.pop();
    }
    for (from, _) in &edges {
        visit(from, &edges, &mut Vec::new());
    }
    // The leaf layers stay leaves: no provider module and no dispatcher below them.
    for low in ["base", "catalogue", "regions", "validate", "rules", "ssh"] {
        for (from, to) in &edges {
            assert!(
                !(from == low
                    && ["call", "directconnect", "outposts", "oci"].contains(&to.as_str())),
                "{from} must not depend on {to}"
            );
        }
    }
}
