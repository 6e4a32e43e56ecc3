//! `PYTHON SELECT`: which interpreter a deploy uses, and which source decided.
//!
//! What the app asks for comes from the app model ([`crate::app`], the same reading
//! gen-deploy does): the `PYTHON_VERSION` setting, `runtime.txt`, `.python-version`,
//! pyproject.toml's `requires-python` (newest matching), else the newest interpreter found.

use super::discover::{discover, discover_where, Discovery, Interpreter};
use crate::app::{AppModel, PythonRequest};
use crate::process::Environment;
use std::path::Path;

/// What decided the version: the app model's [`crate::app::RequestSource`].
pub use crate::app::RequestSource as SelectionSource;

/// The chosen interpreter and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// The interpreter chosen.
    pub interpreter: Interpreter,
    /// What decided it.
    pub source: SelectionSource,
}

impl Selection {
    /// The four variables `PYTHON SELECT` sets, in Kudu's order: PYTHON_RUNTIME
    /// (`python-3.11`), PYTHON_VER (`3.11`), PYTHON_EXE, PYTHON_ENV_MODULE (`venv`).
    pub fn variables(&self) -> [(&'static str, String); 4] {
        let version = &self.interpreter.version;
        [
            ("PYTHON_RUNTIME", version.runtime_label()),
            ("PYTHON_VER", version.major_minor()),
            (
                "PYTHON_EXE",
                self.interpreter.executable.display().to_string(),
            ),
            ("PYTHON_ENV_MODULE", version.env_module().to_string()),
        ]
    }

    /// One line for the log: `python 3.11.7 at `/usr/bin/python3.11` (runtime.txt says python-3.11)`.
    pub fn describe(&self) -> String {
        format!("python {} ({})", self.interpreter.describe(), self.source)
    }
}

/// Why no interpreter could be selected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    /// A version was asked for and none found matches it.
    #[error("no installed python matches {wanted} ({decided_by}); found: {found}; install it (for example `pyenv install {wanted}`), name its folder in DEPLOY_PYTHON_DIRS, or change {origin}")]
    NotFound {
        /// The request as text (`3.9`, `>=3.14`).
        wanted: String,
        /// What asked for it.
        decided_by: SelectionSource,
        /// Where to change the request.
        origin: String,
        /// What was found, as one list.
        found: String,
    },
    /// No interpreter at all.
    #[error("no python interpreter found on PATH, in pyenv or in DEPLOY_PYTHON_DIRS; install python 3 or name its folder in DEPLOY_PYTHON_DIRS")]
    NoneFound,
    /// A version file could not be read or understood.
    #[error("{0}")]
    Unreadable(String),
}

/// Reads what the app in `app_dir` (where runtime.txt lives) asks for, `env`'s
/// `PYTHON_VERSION` first.
pub fn wanted_version(
    app_dir: &Path,
    env: &Environment,
) -> Result<(PythonRequest, SelectionSource), SelectError> {
    let app =
        AppModel::read(app_dir).map_err(|error| SelectError::Unreadable(error.to_string()))?;
    app.python_request(env.get("PYTHON_VERSION").map(String::as_str))
        .map_err(|error| SelectError::Unreadable(error.to_string()))
}

/// Selects from interpreters already discovered (newest first).
pub fn select_from(
    app_dir: &Path,
    env: &Environment,
    found: &Discovery,
) -> Result<Selection, SelectError> {
    let (wanted, source) = wanted_version(app_dir, env)?;
    let chosen = found.interpreters.iter().find(|interpreter| match &wanted {
        PythonRequest::Version(request) => request.matches(&interpreter.version),
        PythonRequest::Specifier(specifier) => specifier.matches(&interpreter.version),
        PythonRequest::Newest => true,
    });
    match (chosen, &wanted) {
        (Some(interpreter), _) => Ok(Selection {
            interpreter: interpreter.clone(),
            source,
        }),
        (None, PythonRequest::Newest) => Err(SelectError::NoneFound),
        (None, wanted) => Err(not_found(wanted.to_string(), source, found)),
    }
}

fn not_found(wanted: String, source: SelectionSource, found: &Discovery) -> SelectError {
    let origin = source.origin();
    SelectError::NotFound {
        wanted,
        decided_by: source,
        origin: origin.to_string(),
        found: found.found_list(),
    }
}

/// Discovers interpreters visible to `env` and selects one for the app in `app_dir`.
pub fn select_python(app_dir: &Path, env: &Environment) -> Result<Selection, SelectError> {
    // Ask only the interpreters whose path can match a version request; the full search
    // runs when none does, so the error lists everything found.
    if let (PythonRequest::Version(request), _) = wanted_version(app_dir, env)? {
        let narrowed = discover_where(env, |hint| hint.overlaps(&request));
        if let Ok(selection) = select_from(app_dir, env, &narrowed) {
            return Ok(selection);
        }
    }
    select_from(app_dir, env, &discover(env))
}
