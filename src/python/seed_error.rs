//! Why pip could not be seeded into a new env from the seed cache ([`super::seed_cache`],
//! [`super::seed`]).

use crate::process::ProcessError;
use std::path::PathBuf;

/// Why seeding failed. [`SeedError::Corrupt`] means a cached file no longer matches its
/// entry: the entry is rebuilt and the seeding done again.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// The interpreter could not be started to say which wheels ensurepip installs.
    #[error("cannot ask `{}` which wheels ensurepip installs: {source}", python.display())]
    Locate {
        /// The interpreter.
        python: PathBuf,
        /// Why it did not start.
        source: ProcessError,
    },
    /// The interpreter's answer was not the list of wheels.
    #[error("`{}` did not say which wheels ensurepip installs (exit code {exit_code}): {output}", python.display())]
    LocateAnswer {
        /// The interpreter.
        python: PathBuf,
        /// Its exit code.
        exit_code: i32,
        /// The end of what it printed.
        output: String,
    },
    /// A wheel could not be read.
    #[error("cannot read the wheel `{}`: {source}", path.display())]
    Wheel {
        /// The wheel.
        path: PathBuf,
        /// What the zip reader said.
        source: zip::result::ZipError,
    },
    /// A wheel holds something a plain unpack cannot install.
    #[error("cannot seed from the wheel `{}`: {problem}", path.display())]
    UnsupportedWheel {
        /// The wheel.
        path: PathBuf,
        /// What it holds.
        problem: String,
    },
    /// The byte-compiler could not be started.
    #[error("cannot byte-compile the seed wheels: {0}")]
    Compile(ProcessError),
    /// A file operation failed.
    #[error("cannot {doing} `{}`: {source}", path.display())]
    Io {
        /// `read`, `write`, `create`, ...
        doing: &'static str,
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A cached file does not match its entry (size or hash), or is missing.
    #[error("the cached seed file `{}` {problem}", path.display())]
    Corrupt {
        /// The cached file.
        path: PathBuf,
        /// `is missing`, `has 0 bytes, not 357`, `has changed`.
        problem: String,
    },
    /// The new env has no single `lib/<python>/site-packages` folder to seed.
    #[error("the env `{}` has no single `lib/*/site-packages` folder", env_dir.display())]
    NoSitePackages {
        /// The env.
        env_dir: PathBuf,
    },
}

impl SeedError {
    /// `SeedError::Io` for `doing` on `path`.
    pub fn io(doing: &'static str, path: &std::path::Path) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.to_path_buf();
        move |source| SeedError::Io {
            doing,
            path,
            source,
        }
    }
}
