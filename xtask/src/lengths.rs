//! How long the project's functions are, read with a real Rust parser.
//!
//! A function too long to read at once hides its structure; the project keeps
//! every non-test function under [`MAX_LINES`] lines. `cargo xtask lengths`
//! prints the longest ones, and a test here fails when one grows past the limit.

use std::path::{Path, PathBuf};

use syn::spanned::Spanned;
use syn::visit::Visit;

/// The most lines a non-test function may span, signature to closing brace.
pub const MAX_LINES: usize = 80;

/// The source folders whose functions are measured.
pub const SOURCE_DIRS: [&str; 6] = [
    "core/src",
    "signing/src",
    "sandbox/src",
    "proxy/src",
    "web/src",
    "xtask/src",
];

/// One function and its length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FnLength {
    pub file: PathBuf,
    pub name: String,
    pub line: usize,
    pub lines: usize,
}

/// Every non-test function (free, in an `impl` or a trait) under `dirs` of
/// `root`, longest first. Items under `#[cfg(test)]` or `#[test]` are skipped.
pub fn measure(root: &Path, dirs: &[&str]) -> Result<Vec<FnLength>, String> {
    let mut out = Vec::new();
    for dir in dirs {
        let dir = root.join(dir);
        if dir.is_dir() {
            for file in rust_files(&dir)? {
                measure_file(root, &file, &mut out)?;
            }
        }
    }
    out.sort_by(|a, b| b.lines.cmp(&a.lines).then(a.file.cmp(&b.file)));
    Ok(out)
}

fn rust_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            files.extend(rust_files(&path)?);
        } else if path.extension().is_some_and(|e| e == "rs") && !is_test_file(&path) {
            files.push(path);
        }
    }
    Ok(files)
}

/// `tests.rs` and files in a `tests` folder next to a module hold only tests.
fn is_test_file(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "tests.rs")
        || path.components().any(|c| c.as_os_str() == "tests")
}

fn measure_file(root: &Path, file: &Path, out: &mut Vec<FnLength>) -> Result<(), String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let syntax = syn::parse_file(&text).map_err(|e| format!("{}: {e}", file.display()))?;
    let mut visitor = Lengths {
        file: file.strip_prefix(root).unwrap_or(file).to_path_buf(),
        out,
    };
    visitor.visit_file(&syntax);
    Ok(())
}

struct Lengths<'a> {
    file: PathBuf,
    out: &'a mut Vec<FnLength>,
}

impl Lengths<'_> {
    fn record(&mut self, name: &syn::Ident, span: proc_macro2::Span) {
        let (start, end) = (span.start().line, span.end().line);
        self.out.push(FnLength {
            file: self.file.clone(),
            name: name.to_string(),
            line: start,
            lines: end + 1 - start,
        });
    }
}

/// `#[test]`, `#[cfg(test)]` and the like.
fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        let path = a.path();
        if path.is_ident("test") || path.segments.last().is_some_and(|s| s.ident == "test") {
            return true;
        }
        path.is_ident("cfg")
            && a.parse_args::<syn::Meta>()
                .is_ok_and(|m| m.path().is_ident("test"))
    })
}

impl<'ast> Visit<'ast> for Lengths<'_> {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if !is_test(&m.attrs) {
            syn::visit::visit_item_mod(self, m);
        }
    }

    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        if !is_test(&i.attrs) {
            syn::visit::visit_item_impl(self, i);
        }
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        if !is_test(&f.attrs) {
            self.record(&f.sig.ident, f.span());
            syn::visit::visit_item_fn(self, f);
        }
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        if !is_test(&f.attrs) {
            self.record(&f.sig.ident, f.span());
            syn::visit::visit_impl_item_fn(self, f);
        }
    }

    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        if f.default.is_some() && !is_test(&f.attrs) {
            self.record(&f.sig.ident, f.span());
        }
    }
}

/// The workspace root (xtask's parent).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// `cargo xtask lengths [N]`: the N longest functions (default 15).
pub fn print_longest(count: Option<&str>) -> Result<(), String> {
    let count: usize = count
        .map_or(Ok(15), str::parse)
        .map_err(|_| "N must be a number")?;
    let all = measure(&workspace_root(), &SOURCE_DIRS)?;
    for f in all.iter().take(count) {
        println!(
            "{:>4}  {}:{}  {}",
            f.lines,
            f.file.display(),
            f.line,
            f.name
        );
    }
    let over = all.iter().filter(|f| f.lines > MAX_LINES).count();
    println!("{} functions, {over} over {MAX_LINES} lines", all.len());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_function_is_longer_than_the_limit() {
        let all = measure(&workspace_root(), &SOURCE_DIRS).unwrap();
        assert!(
            all.len() > 300,
            "the sources were read: {} functions",
            all.len()
        );
        let long: Vec<String> = all
            .iter()
            .filter(|f| f.lines > MAX_LINES)
            .map(|f| {
                format!(
                    "{}:{} {} ({} lines)",
                    f.file.display(),
                    f.line,
                    f.name,
                    f.lines
                )
            })
            .collect();
        assert!(
            long.is_empty(),
            "over {MAX_LINES} lines:\n{}",
            long.join("\n")
        );
    }

    #[test]
    fn test_code_is_not_measured_and_spans_are_lines() {
        let dir = std::env::temp_dir().join(format!("xtask-lengths-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("src")).unwrap();
        let body = "    let x = 1;\n".repeat(3);
        let source = format!(
            "fn short() {{\n{body}}}\n\nimpl A {{\n    fn method(&self) {{\n{body}    }}\n}}\n\n\
             #[cfg(test)]\nmod tests {{\n    fn helper() {{\n{body}    }}\n}}\n\n#[test]\nfn t() {{}}\n"
        );
        std::fs::write(dir.join("src/lib.rs"), source).unwrap();
        let found = measure(&dir, &["src"]).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let names: Vec<(&str, usize)> = found.iter().map(|f| (f.name.as_str(), f.lines)).collect();
        assert_eq!(names, [("short", 5), ("method", 5)]);
    }
}
