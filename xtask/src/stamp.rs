//! Stamp files: a hash of the inputs an install was made from, written after it succeeds, so
//! the next run can tell "already installed from these inputs" from "inputs changed".

use std::path::{Path, PathBuf};

use crate::error::Error;

/// FNV-1a (64-bit) over the contents of `inputs`, in order, as 16 hex digits. Not for
/// security: it only has to change when a file changes.
pub fn digest(inputs: &[PathBuf]) -> Result<String, Error> {
    let mut hash = Fnv1a::new();
    for path in inputs {
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        hash.write(&(bytes.len() as u64).to_le_bytes());
        hash.write(&bytes);
    }
    Ok(format!("{:016x}", hash.0))
}

/// Whether the stamp at `stamp` holds `digest`. A missing stamp never matches.
pub fn matches(stamp: &Path, digest: &str) -> bool {
    std::fs::read_to_string(stamp).is_ok_and(|found| found.trim() == digest)
}

pub fn write(stamp: &Path, digest: &str) -> Result<(), Error> {
    std::fs::write(stamp, format!("{digest}\n")).map_err(|source| Error::Io {
        path: stamp.to_path_buf(),
        source,
    })
}

struct Fnv1a(u64);

impl Fnv1a {
    fn new() -> Fnv1a {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_published_vectors() {
        // Test vectors from the FNV reference (isthe.com/chongo/tech/comp/fnv).
        for (input, expected) in [
            ("", 0xcbf2_9ce4_8422_2325_u64),
            ("a", 0xaf63_dc4c_8601_ec8c),
            ("foobar", 0x8594_4171_f739_67e8),
        ] {
            let mut hash = Fnv1a::new();
            hash.write(input.as_bytes());
            assert_eq!(hash.0, expected, "fnv1a({input:?})");
        }
    }

    #[test]
    fn digest_changes_with_content_and_stamp_round_trips() {
        let dir = std::env::temp_dir().join(format!("xtask-stamp-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let input = dir.join("requirements.txt");
        let stamp = dir.join("stamp");

        std::fs::write(&input, "botocore==1.44.5\n").unwrap();
        let first = digest(std::slice::from_ref(&input)).unwrap();
        assert!(!matches(&stamp, &first), "no stamp yet");
        write(&stamp, &first).unwrap();
        assert!(matches(&stamp, &first));

        std::fs::write(&input, "botocore==1.44.6\n").unwrap();
        let second = digest(std::slice::from_ref(&input)).unwrap();
        assert_ne!(first, second);
        assert!(
            !matches(&stamp, &second),
            "changed input must not match the old stamp"
        );

        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn digest_of_missing_file_names_it() {
        let missing = PathBuf::from("/nonexistent/xtask/requirements.txt");
        let error = digest(std::slice::from_ref(&missing)).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("/nonexistent/xtask/requirements.txt")
        );
    }
}
