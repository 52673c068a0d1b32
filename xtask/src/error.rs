//! Why an xtask command stopped; each variant names the program, file or tool involved.

use std::fmt;
use std::io;
use std::path::PathBuf;
use std::process::ExitStatus;

#[derive(Debug)]
pub enum Error {
    /// A program could not be started (usually: not installed or not on PATH).
    Spawn { program: String, source: io::Error },
    /// A command ran and exited unsuccessfully.
    Failed { command: String, status: ExitStatus },
    /// A file could not be read or written.
    Io { path: PathBuf, source: io::Error },
    /// Something needed is missing and cannot be installed from here; says what to do.
    Missing(String),
    /// `cargo metadata` or `Cargo.lock` said something unexpected.
    Unexpected(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Spawn { program, source } => write!(f, "cannot start `{program}`: {source}"),
            Error::Failed { command, status } => write!(f, "`{command}` failed ({status})"),
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Missing(what) => write!(f, "missing: {what}"),
            Error::Unexpected(what) => write!(f, "unexpected: {what}"),
        }
    }
}

impl std::error::Error for Error {}
