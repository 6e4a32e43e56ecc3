//! The fingerprint of a successful `VENV INSTALL`: env identity, interpreter, installer,
//! how the app itself was installed and the content of every input file. Equal fingerprints mean pip has nothing to do.

use super::installer::Installer;
use super::marker::{write_atomically, EnvMarker, MarkerError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Why a fingerprint could not be made.
#[derive(Debug, thiserror::Error)]
pub enum FingerprintError {
    /// The env's marker could not be read.
    #[error(transparent)]
    Marker(#[from] MarkerError),
    /// An input file could not be read.
    #[error("cannot read `{}`: {source}", path.display())]
    Read {
        /// The input file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// What an install depended on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipFingerprint {
    /// The env's identity: its marker's build id, or a hash of a shipped env's pyvenv.cfg.
    pub env: String,
    /// The env's interpreter: `3.11.7 /usr/bin/python3.11`.
    pub interpreter: String,
    /// The tool that installed.
    pub installer: Installer,
    /// Whether unlisted packages were removed too (`/SYNC`).
    pub sync: bool,
    /// Whether the app itself (`.`) was installed editable: pointing at the site's code.
    /// Older fingerprints lack it: their `.` was installed as a copy, which goes stale.
    #[serde(default)]
    pub editable: bool,
    /// Each input file (relative to the app folder when inside it) and a hash of its bytes.
    pub inputs: BTreeMap<String, String>,
}

impl PipFingerprint {
    /// Computes the fingerprint of installing `files` into the env at `env_dir`.
    pub fn compute(
        env_dir: &Path,
        app_dir: &Path,
        files: &[PathBuf],
        installer: Installer,
        sync: bool,
        editable: bool,
    ) -> Result<Self, FingerprintError> {
        let (env, interpreter) = env_identity(env_dir)?;
        let mut inputs = BTreeMap::new();
        for file in files {
            let bytes = std::fs::read(file).map_err(|source| FingerprintError::Read {
                path: file.clone(),
                source,
            })?;
            let shown = file.strip_prefix(app_dir).unwrap_or(file);
            inputs.insert(shown.display().to_string(), hash_hex(&bytes));
        }
        Ok(PipFingerprint {
            env,
            interpreter,
            installer,
            sync,
            editable,
            inputs,
        })
    }

    /// A fingerprint from its parts: the env's identity (see [`env_identity`]) and each
    /// input file's shown name with its bytes.
    pub fn from_parts(
        (env, interpreter): (String, String),
        installer: Installer,
        sync: bool,
        editable: bool,
        files: Vec<(String, Vec<u8>)>,
    ) -> Self {
        PipFingerprint {
            env,
            interpreter,
            installer,
            sync,
            editable,
            inputs: files
                .into_iter()
                .map(|(shown, bytes)| (shown, hash_hex(&bytes)))
                .collect(),
        }
    }

    /// Reads a stored fingerprint; a missing or unreadable file counts as none.
    pub fn read(path: &Path) -> Option<Self> {
        let text = std::fs::read_to_string(path).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Stores the fingerprint (temp file, then rename).
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let json = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        write_atomically(path, json.as_bytes())
    }

    /// Why an install is needed compared with the `stored` fingerprint, as one line;
    /// `None` when nothing that matters changed.
    pub fn change_from(&self, stored: Option<&PipFingerprint>) -> Option<String> {
        let Some(stored) = stored else {
            return Some("no record of a successful install into this env".to_string());
        };
        if stored.env != self.env {
            return Some("the env was built since the last install".to_string());
        }
        if stored.interpreter != self.interpreter {
            return Some(format!(
                "interpreter {} -> {}",
                stored.interpreter, self.interpreter
            ));
        }
        if stored.installer != self.installer {
            return Some(format!(
                "installer {} -> {}",
                stored.installer, self.installer
            ));
        }
        if self.sync && !stored.sync {
            return Some("/SYNC asked for, not done before".to_string());
        }
        if self.editable && !stored.editable {
            return Some(
                "the app was installed as a copy; it is now installed editable".to_string(),
            );
        }
        let changed: Vec<&str> = self
            .inputs
            .iter()
            .filter(|(file, hash)| stored.inputs.get(*file) != Some(*hash))
            .map(|(file, _)| file.as_str())
            .chain(
                stored
                    .inputs
                    .keys()
                    .filter(|file| !self.inputs.contains_key(*file))
                    .map(String::as_str),
            )
            .collect();
        match changed.as_slice() {
            [] => None,
            [one] => Some(format!("`{one}` changed")),
            many => Some(format!(
                "{} changed",
                many.iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
}

/// The identity of the env in `env_dir` as a fingerprint records it (the env, and its
/// interpreter): its marker's build id, else a hash of its pyvenv.cfg.
pub fn env_identity(env_dir: &Path) -> Result<(String, String), MarkerError> {
    Ok(match EnvMarker::read(env_dir)? {
        Some(marker) => (
            format!("build {}", marker.build_id),
            format!("{} {}", marker.version, marker.interpreter.display()),
        ),
        None => {
            let config = std::fs::read(env_dir.join("pyvenv.cfg")).unwrap_or_default();
            let hash = hash_hex(&config);
            (format!("pyvenv.cfg {hash}"), format!("pyvenv.cfg {hash}"))
        }
    })
}

/// The identity of an env a planned VENV ENSURE would build: unlike any stored one.
pub fn planned_env_identity() -> (String, String) {
    (
        "a new build".to_string(),
        "the interpreter of a new build".to_string(),
    )
}

fn hash_hex(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}
