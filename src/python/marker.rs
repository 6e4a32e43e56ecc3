//! What an env was built from, recorded inside it: our JSON marker, and Kudu's empty
//! `azure.env.<runtime>.txt` (honoured and written so Kudu's own scripts agree).

use super::discover::Interpreter;
use super::installer::Installer;
use super::version::PythonVersion;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Why an env's marker could not be read.
#[derive(Debug, thiserror::Error)]
pub enum MarkerError {
    /// The marker is there but is not our JSON.
    #[error("marker `{}` is unreadable: {source}", path.display())]
    Unreadable {
        /// The marker file.
        path: PathBuf,
        /// What the JSON reader said.
        source: serde_json::Error,
    },
    /// The marker could not be read.
    #[error("cannot read `{}`: {source}", path.display())]
    Read {
        /// The marker file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// Our marker's file name inside the env.
pub const MARKER_FILE: &str = "deploy-script-env.json";

/// The identity of the interpreter and installer an env was built with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvMarker {
    /// The base interpreter's real path.
    pub interpreter: PathBuf,
    /// Its full version.
    pub version: PythonVersion,
    /// `CPython`, `PyPy`, ...
    pub implementation: String,
    /// The platform tag, e.g. `linux-x86_64`.
    pub platform: String,
    /// The tool that built the env.
    pub installer: Installer,
    /// Unique per build, so a rebuilt env never passes for the one packages went into.
    #[serde(default)]
    pub build_id: String,
}

impl EnvMarker {
    /// The marker an env built now with `interpreter` and `installer` would carry.
    pub fn new(interpreter: &Interpreter, installer: Installer) -> Self {
        EnvMarker {
            interpreter: interpreter.executable.clone(),
            version: interpreter.version,
            implementation: interpreter.implementation.clone(),
            platform: interpreter.platform.clone(),
            installer,
            build_id: new_build_id(),
        }
    }

    /// Reads the marker of the env in `env_dir`: `Ok(None)` when there is none.
    pub fn read(env_dir: &Path) -> Result<Option<Self>, MarkerError> {
        let path = env_dir.join(MARKER_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|source| MarkerError::Unreadable { path, source }),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(MarkerError::Read { path, source }),
        }
    }

    /// Writes the marker into `env_dir` (temp name, then rename).
    pub fn write(&self, env_dir: &Path) -> std::io::Result<()> {
        let json = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        write_atomically(&env_dir.join(MARKER_FILE), json.as_bytes())
    }

    /// The first difference between the env's marker (`self`) and what is wanted, as a
    /// one-line reason (`python 3.11.7 -> 3.12.1`); `None` when compatible.
    pub fn difference(&self, wanted: &EnvMarker) -> Option<String> {
        if self.version != wanted.version {
            return Some(format!("python {} -> {}", self.version, wanted.version));
        }
        if self.implementation != wanted.implementation {
            return Some(format!(
                "implementation {} -> {}",
                self.implementation, wanted.implementation
            ));
        }
        if self.platform != wanted.platform {
            return Some(format!("platform {} -> {}", self.platform, wanted.platform));
        }
        if self.interpreter != wanted.interpreter {
            return Some(format!(
                "interpreter `{}` -> `{}`",
                self.interpreter.display(),
                wanted.interpreter.display()
            ));
        }
        if self.installer != wanted.installer {
            return Some(format!(
                "installer {} -> {}",
                self.installer, wanted.installer
            ));
        }
        None
    }
}

/// A fresh build id: time and process id, unique on one machine.
fn new_build_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{nanos:x}-{}", std::process::id())
}

/// `env/azure.env.python-3.11.txt`: Kudu's marker for the runtime label.
pub fn kudu_marker_path(env_dir: &Path, runtime_label: &str) -> PathBuf {
    env_dir.join(format!("azure.env.{runtime_label}.txt"))
}

/// The runtime labels of the Kudu markers in the env (`python-3.10`), sorted.
pub fn kudu_marker_labels(env_dir: &Path) -> Vec<String> {
    let mut labels: Vec<String> = std::fs::read_dir(env_dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter_map(|name| {
            name.strip_prefix("azure.env.")
                .and_then(|rest| rest.strip_suffix(".txt"))
                .map(str::to_string)
        })
        .collect();
    labels.sort();
    labels
}

/// Writes Kudu's empty marker for `runtime_label`, removing markers of other runtimes.
pub fn write_kudu_marker(env_dir: &Path, runtime_label: &str) -> std::io::Result<()> {
    for label in kudu_marker_labels(env_dir) {
        if label != runtime_label {
            std::fs::remove_file(kudu_marker_path(env_dir, &label))?;
        }
    }
    // Kudu's script only asks whether it is there: one that is stays untouched, so a
    // deploy that reuses the env writes nothing into it.
    let path = kudu_marker_path(env_dir, runtime_label);
    if path.is_file() {
        return Ok(());
    }
    std::fs::write(path, b"")
}

/// Writes `bytes` to a temp file beside `path`, then renames it over `path`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|error| error.error)?;
    Ok(())
}
