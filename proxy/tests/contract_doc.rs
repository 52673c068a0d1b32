//! `docs/CONTRACT.md` against the code it describes: the binary's flags, the
//! config file's keys, the route and header constants of
//! `cloudlink_core::contract`, the catalogue's operations, and the
//! environment variables the proxy reads. Each test fails naming what the
//! page lacks (or names wrongly), so the page cannot quietly drift.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use cloudlink_core::catalogue::{Access, Service, catalogue};
use cloudlink_core::contract;

const BIN: &str = env!("CARGO_BIN_EXE_cloudlink-proxy");

fn repo_file(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative)
}

fn read(relative: &str) -> String {
    let path = repo_file(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn doc() -> String {
    read("docs/CONTRACT.md")
}

fn is_flag_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'
}

/// Long flags (`--name`) in `text`: `--` not glued to a word or another
/// dash, then a lowercase letter.
fn long_flags(text: &str) -> BTreeSet<String> {
    let mut flags = BTreeSet::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i + 2 < chars.len() {
        let starts = chars[i] == '-'
            && chars[i + 1] == '-'
            && chars[i + 2].is_ascii_lowercase()
            && (i == 0 || !(chars[i - 1].is_ascii_alphanumeric() || chars[i - 1] == '-'));
        if starts {
            let name: String = chars[i + 2..]
                .iter()
                .take_while(|c| is_flag_char(**c))
                .collect();
            let name = name.trim_end_matches('-');
            i += 2 + name.len();
            flags.insert(format!("--{name}"));
        } else {
            i += 1;
        }
    }
    flags
}

/// The flags `--help` declares: only its option lines (`  --x <X>`,
/// `  -h, --help`), not flags named inside descriptions.
fn help_flags() -> BTreeSet<String> {
    let out = Command::new(BIN)
        .arg("--help")
        .output()
        .expect("the proxy binary runs");
    assert!(out.status.success(), "--help exited with {}", out.status);
    let help = String::from_utf8(out.stdout).expect("--help is UTF-8");
    let flags: BTreeSet<String> = help
        .lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with("--") || (l.starts_with('-') && l.contains(", --")))
        .flat_map(|l| {
            long_flags(
                l.split_whitespace()
                    .take(2)
                    .collect::<Vec<_>>()
                    .join(" ")
                    .as_str(),
            )
        })
        .collect();
    assert!(
        flags.contains("--listen") && flags.contains("--help"),
        "could not read the flags out of --help:\n{help}"
    );
    flags
}

/// The doc's text without the `cargo ...` commands, whose flags are cargo's.
fn doc_without_cargo_commands(doc: &str) -> String {
    doc.lines()
        .map(|line| match line.find("cargo ") {
            Some(at) => {
                let rest = &line[at..];
                let end = rest.find('`').map_or(line.len(), |e| at + e);
                format!("{}{}", &line[..at], &line[end..])
            }
            None => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_flag_of_help_is_documented_and_no_other() {
    let help = help_flags();
    let documented = long_flags(&doc_without_cargo_commands(&doc()));
    let undocumented: Vec<&String> = help.difference(&documented).collect();
    assert!(
        undocumented.is_empty(),
        "docs/CONTRACT.md does not mention these flags of `cloudlink-proxy --help`: {undocumented:?}"
    );
    let unknown: Vec<&String> = documented.difference(&help).collect();
    assert!(
        unknown.is_empty(),
        "docs/CONTRACT.md names flags that `cloudlink-proxy --help` does not list: {unknown:?}"
    );
}

#[test]
fn long_flags_are_read_whole() {
    let found = long_flags("`--sandbox-only`, --sandbox, and---anchor, cargo -- --help, x--y");
    let expected: BTreeSet<String> = ["--sandbox-only", "--sandbox", "--help"]
        .map(String::from)
        .into();
    assert_eq!(found, expected);
    assert_eq!(
        doc_without_cargo_commands("run `cargo run -p x --example check` then `--listen`"),
        "run `` then `--listen`"
    );
}

/// `pub const NAME: &str = "value";` lines of `core/src/contract.rs` whose
/// name ends with one of `suffixes`, so a constant added there is checked
/// without editing this test.
fn contract_constants(suffixes: &[&str]) -> Vec<(String, String)> {
    read("core/src/contract.rs")
        .lines()
        .filter_map(|line| {
            let rest = line.trim().strip_prefix("pub const ")?;
            let (name, rest) = rest.split_once(": &str = \"")?;
            let value = rest.strip_suffix("\";")?;
            suffixes
                .iter()
                .any(|s| name.ends_with(s))
                .then(|| (name.to_owned(), value.to_owned()))
        })
        .collect()
}

#[test]
fn every_route_and_header_constant_is_documented() {
    let found = contract_constants(&["_PATH", "_HEADER"]);
    // The reading of the source must see at least the constants compiled here.
    for (name, value) in [
        ("LOGIN_PATH", contract::LOGIN_PATH),
        ("LOGOUT_PATH", contract::LOGOUT_PATH),
        ("SESSION_PATH", contract::SESSION_PATH),
        ("PROFILES_PATH", contract::PROFILES_PATH),
        ("SANDBOX_PATH", contract::SANDBOX_PATH),
        ("HEALTHZ_PATH", contract::HEALTHZ_PATH),
        ("READYZ_PATH", contract::READYZ_PATH),
        ("METRICS_PATH", contract::METRICS_PATH),
        ("TOKEN_HEADER", contract::TOKEN_HEADER),
        ("CSRF_HEADER", contract::CSRF_HEADER),
        ("PROFILE_HEADER", contract::PROFILE_HEADER),
    ] {
        assert!(
            found.contains(&(name.to_owned(), value.to_owned())),
            "core/src/contract.rs was not read right: {name} = {value:?} not among {found:?}"
        );
    }
    let doc = doc();
    let lower = doc.to_ascii_lowercase();
    let mut missing = Vec::new();
    for (name, value) in &found {
        // Header names are case-insensitive; the page writes them as the SDKs do.
        let value_there = if name.ends_with("_HEADER") {
            lower.contains(&value.to_ascii_lowercase())
        } else {
            doc.contains(&format!("`{value}"))
        };
        if !value_there {
            missing.push(format!("{name}'s value {value}"));
        }
        if !doc.contains(&format!("`{name}`")) && !doc.contains(&format!("::{name}`")) {
            missing.push(format!("the constant's name {name}"));
        }
    }
    assert!(
        missing.is_empty(),
        "docs/CONTRACT.md does not mention: {}",
        missing.join("; ")
    );
}

#[test]
fn every_service_route_and_retryable_status_is_documented() {
    let doc = doc();
    let mut missing = Vec::new();
    for service in Service::ALL {
        for text in [
            format!("`{}`", service.id()),
            format!("`{}/{{region}}", service.route_prefix()),
        ] {
            if !doc.contains(&text) {
                missing.push(text);
            }
        }
    }
    let statuses = contract::RETRYABLE_STATUSES
        .map(|s| s.to_string())
        .join(", ");
    if !doc.contains(&statuses) {
        missing.push(format!("the retryable statuses as \"{statuses}\""));
    }
    assert!(
        missing.is_empty(),
        "docs/CONTRACT.md does not mention: {}",
        missing.join("; ")
    );
}

/// Each catalogue operation is named, in the row of the operations table
/// that says its access (read/write) and whether the proxy retries it.
#[test]
fn every_catalogue_operation_is_documented_with_its_access_and_retries() {
    let doc = doc();
    let mut problems = Vec::new();
    for info in catalogue() {
        let cell = format!("| `{}` |", info.name);
        let rows: Vec<&str> = doc
            .lines()
            .filter(|l| l.starts_with('|') && l.contains(&cell))
            .collect();
        let [row] = rows.as_slice() else {
            problems.push(format!(
                "{} ({}): expected one operations-table row with {cell}, found {}",
                info.name,
                info.service.id(),
                rows.len()
            ));
            continue;
        };
        let after: Vec<&str> = row
            .split_once(&cell)
            .map(|(_, rest)| rest.split('|').map(str::trim).collect())
            .unwrap_or_default();
        let access = match info.access {
            Access::Read => "read",
            Access::Write => "write",
        };
        if after.first() != Some(&access) {
            problems.push(format!("{}: access should be {access}", info.name));
        }
        let retried = if info.idempotent { "yes" } else { "no" };
        if !after.get(1).is_some_and(|c| c.starts_with(retried)) {
            problems.push(format!(
                "{}: retried should start with {retried}",
                info.name
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "docs/CONTRACT.md's operations table is out of date: {}",
        problems.join("; ")
    );
}

/// The keys `--config` accepts, from the parser's own "unknown field"
/// message (the file refuses unknown keys and lists the known ones).
fn config_keys() -> Vec<String> {
    let err = cloudlink_proxy::config::Settings::from_toml_str("contract-doc-probe = 1")
        .expect_err("an unknown key is refused");
    let message = err.to_string();
    let list = message
        .split_once("expected one of")
        .map(|(_, l)| l)
        .unwrap_or_else(|| panic!("no list of keys in {message:?}"));
    let keys: Vec<String> = list
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    assert!(
        keys.iter().any(|k| k == "listen") && keys.iter().any(|k| k == "base-path"),
        "could not read the keys out of {message:?}"
    );
    keys
}

#[test]
fn every_config_key_is_documented() {
    let doc = doc();
    let missing: Vec<String> = config_keys()
        .into_iter()
        .filter(|k| !doc.contains(&format!("`{k}`")) && !doc.contains(&format!("`[{k}]`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/CONTRACT.md does not mention these --config keys: {missing:?}"
    );
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Environment variables the proxy's source reads by name: `var("X")`,
/// `var_os("X")`, `env("X")`.
fn env_vars_read() -> BTreeSet<String> {
    let mut files = Vec::new();
    rust_files(&repo_file("proxy/src"), &mut files);
    let mut names = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("source is UTF-8");
        for call in ["var(\"", "var_os(\"", "env(\""] {
            for (at, _) in text.match_indices(call) {
                let rest = &text[at + call.len()..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
                    .collect();
                if !name.is_empty() && rest[name.len()..].starts_with("\")") {
                    names.insert(name);
                }
            }
        }
    }
    assert!(
        names.contains("CLOUDLINK_TOKEN"),
        "could not find the environment variables in proxy/src: {names:?}"
    );
    names
}

#[test]
fn every_environment_variable_read_is_documented() {
    let doc = doc();
    let missing: Vec<String> = env_vars_read()
        .into_iter()
        .filter(|v| !doc.contains(&format!("`{v}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/CONTRACT.md does not mention these environment variables the proxy reads: {missing:?}"
    );
}
