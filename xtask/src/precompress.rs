//! Brotli and gzip copies of the console's files, made once at build time.
//!
//! The proxy serves `dist/` with tower-http's `ServeDir`, which sends `x.wasm.br` or
//! `x.wasm.gz` in place of `x.wasm` when the browser accepts that encoding and the file is
//! there. Compressing here, at the best settings, costs a few seconds per build instead of CPU
//! on every request, and a megabyte of wasm goes out as a few hundred kilobytes.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// Extensions of text-like files worth compressing; images other than SVG and fonts are
/// compressed already.
const COMPRESSIBLE: &[&str] = &[
    "wasm",
    "js",
    "mjs",
    "css",
    "html",
    "svg",
    "json",
    "map",
    "txt",
    "xml",
    "webmanifest",
];

/// A compressor: the whole input in, the whole output out.
type Compress = fn(&[u8]) -> Vec<u8>;

/// The encodings written, as (file suffix, compressor).
const ENCODINGS: &[(&str, Compress)] = &[("br", brotli), ("gz", gzip)];

/// What [`precompress_dir`] wrote and skipped.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Compressed files written.
    pub written: Vec<PathBuf>,
    /// Originals whose compressed copy would not be smaller (no copy is left for them).
    pub not_smaller: Vec<PathBuf>,
}

/// Brotli at quality 11 (the best) with a 16 MiB window (more than any file here).
pub fn brotli(data: &[u8]) -> Vec<u8> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 24,
        size_hint: data.len(),
        ..Default::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &data[..], &mut out, &params)
        .expect("compressing from memory into memory cannot fail");
    out
}

/// gzip at level 9 (`gzip -9`).
pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder
        .write_all(data)
        .expect("compressing into memory cannot fail");
    encoder
        .finish()
        .expect("compressing into memory cannot fail")
}

/// Writes `NAME.br` and `NAME.gz` next to every compressible file under `dir` (recursively),
/// where the compressed copy is smaller than the original. A stale copy from an earlier build
/// is replaced, or removed when it no longer helps.
pub fn precompress_dir(dir: &Path) -> Result<Summary, Error> {
    let mut summary = Summary::default();
    for path in files(dir)? {
        if !is_compressible(&path) {
            continue;
        }
        let data = fs::read(&path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        for (suffix, compress) in ENCODINGS {
            let target = with_suffix(&path, suffix);
            let packed = compress(&data);
            if packed.len() < data.len() {
                fs::write(&target, &packed).map_err(|source| Error::Io {
                    path: target.clone(),
                    source,
                })?;
                summary.written.push(target);
            } else {
                remove_if_present(&target)?;
                if !summary.not_smaller.contains(&path) {
                    summary.not_smaller.push(path.clone());
                }
            }
        }
    }
    Ok(summary)
}

fn is_compressible(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| COMPRESSIBLE.contains(&e.to_ascii_lowercase().as_str()))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_if_present(path: &Path) -> Result<(), Error> {
    match fs::remove_file(path) {
        Err(source) if source.kind() != std::io::ErrorKind::NotFound => Err(Error::Io {
            path: path.to_owned(),
            source,
        }),
        _ => Ok(()),
    }
}

/// Every regular file under `dir`, sorted, so the summary is stable.
fn files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let io = |source| Error::Io {
        path: dir.to_owned(),
        source,
    };
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let kind = entry.file_type().map_err(io)?;
        if kind.is_dir() {
            out.extend(files(&entry.path())?);
        } else if kind.is_file() {
            out.push(entry.path());
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn unbrotli(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        brotli::Decompressor::new(data, 4096)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    fn ungzip(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(data)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    /// Repetitive text, like a JS bundle.
    fn text() -> Vec<u8> {
        (0..600)
            .map(|i| format!("export function f{i}(x) {{ return x + {i}; }}\n"))
            .collect::<String>()
            .into_bytes()
    }

    /// Bytes no compressor can shrink (a fixed xorshift stream).
    fn noise(len: usize) -> Vec<u8> {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect()
    }

    #[test]
    fn both_encodings_round_trip_and_shrink_text() {
        let original = text();
        let (br, gz) = (brotli(&original), gzip(&original));
        assert_eq!(unbrotli(&br), original);
        assert_eq!(ungzip(&gz), original);
        assert!(
            br.len() * 4 < original.len(),
            "{} of {}",
            br.len(),
            original.len()
        );
        assert!(
            gz.len() * 4 < original.len(),
            "{} of {}",
            gz.len(),
            original.len()
        );
        assert_eq!(&gz[..2], &[0x1f, 0x8b], "a gzip member, not raw deflate");
        // Empty input round-trips too.
        assert_eq!(unbrotli(&brotli(b"")), b"");
        assert_eq!(ungzip(&gzip(b"")), b"");
    }

    #[test]
    fn a_directory_gets_copies_only_where_they_help() {
        let dir = std::env::temp_dir().join(format!("xtask-precompress-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("snippets")).unwrap();
        let js = dir.join("app-0123456789abcdef.js");
        let nested = dir.join("snippets/inline0.js");
        let random = dir.join("random.wasm");
        let png = dir.join("logo.png");
        fs::write(&js, text()).unwrap();
        fs::write(&nested, text()).unwrap();
        fs::write(&random, noise(4096)).unwrap();
        fs::write(&png, text()).unwrap();
        // A stale copy from an earlier build, for a file that no longer compresses.
        fs::write(dir.join("random.wasm.br"), b"stale").unwrap();

        let summary = precompress_dir(&dir).unwrap();

        let mut expected: Vec<PathBuf> = [&js, &nested]
            .iter()
            .flat_map(|p| [with_suffix(p, "br"), with_suffix(p, "gz")])
            .collect();
        expected.sort();
        let mut written = summary.written.clone();
        written.sort();
        assert_eq!(written, expected);
        assert_eq!(summary.not_smaller, vec![random.clone()]);
        assert_eq!(unbrotli(&fs::read(with_suffix(&js, "br")).unwrap()), text());
        assert_eq!(
            ungzip(&fs::read(with_suffix(&nested, "gz")).unwrap()),
            text()
        );
        assert!(!with_suffix(&random, "br").exists(), "stale copy removed");
        assert!(!with_suffix(&random, "gz").exists());
        assert!(!with_suffix(&png, "br").exists(), "png is not compressed");

        // Running again (a rebuild) compresses the originals only, never the copies.
        let again = precompress_dir(&dir).unwrap();
        assert_eq!(again, summary);
        fs::remove_dir_all(&dir).unwrap();
    }
}
