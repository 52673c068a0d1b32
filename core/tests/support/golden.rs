//! Golden files of the generated text, shared by the test crates (`#[path]`-included).

use std::path::Path;

/// Compares `actual` with `tests/data/DIR/NAME`; `UPDATE_GOLDEN=1` rewrites the file instead.
pub fn assert_golden(dir: &str, name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(dir)
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", path.display()));
    assert!(
        expected == actual,
        "{} differs from the generated text (UPDATE_GOLDEN=1 rewrites it):\n{actual}",
        path.display()
    );
}
