//! `PYTHON SELECT`: which interpreter a deploy uses, and which source decided.
//!
//! Order: the `PYTHON_VERSION` setting, `runtime.txt`, `.python-version`, pyproject.toml's
//! `requires-python` (newest matching), else the newest interpreter found.

use super::discover::{discover, discover_where, Discovery, Interpreter};
use super::specifier::RequiresPython;
use super::version::VersionRequest;
use crate::process::Environment;
use std::fmt;
use std::path::Path;

/// What decided the version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelectionSource {
    /// The `PYTHON_VERSION` environment setting, with its value.
    Setting(String),
    /// `runtime.txt`, with its first line.
    RuntimeTxt(String),
    /// `.python-version`, with the version line used.
    PythonVersionFile(String),
    /// pyproject.toml's `requires-python`, with the specifier.
    RequiresPython(String),
    /// Nothing asked for a version: the newest found.
    Newest,
}

impl fmt::Display for SelectionSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SelectionSource::Setting(value) => write!(f, "PYTHON_VERSION says {value}"),
            SelectionSource::RuntimeTxt(value) => write!(f, "runtime.txt says {value}"),
            SelectionSource::PythonVersionFile(value) => write!(f, ".python-version says {value}"),
            SelectionSource::RequiresPython(value) => {
                write!(f, "pyproject.toml requires-python says {value}")
            }
            SelectionSource::Newest => write!(f, "no version asked for, newest found"),
        }
    }
}

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

/// What the app asks for, before looking at what is installed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wanted {
    /// A version such as `3.11`.
    Version(VersionRequest),
    /// A specifier such as `>=3.9,<3.13`.
    Specifier(RequiresPython),
    /// Anything: the newest.
    Newest,
}

/// Reads the version request for the app in `app_dir` (where runtime.txt lives) and `env`.
pub fn wanted_version(
    app_dir: &Path,
    env: &Environment,
) -> Result<(Wanted, SelectionSource), SelectError> {
    if let Some(value) = env
        .get("PYTHON_VERSION")
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
    {
        let request = parse_request(value, "the PYTHON_VERSION setting")?;
        return Ok((
            Wanted::Version(request),
            SelectionSource::Setting(value.to_string()),
        ));
    }
    if let Some(text) = read_optional(&app_dir.join("runtime.txt"))? {
        let line = first_line(&text);
        let request = parse_request(line, "runtime.txt")?;
        return Ok((
            Wanted::Version(request),
            SelectionSource::RuntimeTxt(line.to_string()),
        ));
    }
    if let Some(text) = read_optional(&app_dir.join(".python-version"))? {
        let line = first_line(&text);
        let request = parse_request(line, ".python-version")?;
        return Ok((
            Wanted::Version(request),
            SelectionSource::PythonVersionFile(line.to_string()),
        ));
    }
    if let Some(text) = read_optional(&app_dir.join("pyproject.toml"))? {
        let document: toml::Table = toml::from_str(&text).map_err(|error| {
            SelectError::Unreadable(format!("cannot read `pyproject.toml`: {error}"))
        })?;
        let spec = document
            .get("project")
            .and_then(|project| project.get("requires-python"))
            .and_then(|value| value.as_str());
        if let Some(spec) = spec {
            let specifier = RequiresPython::parse(spec).map_err(SelectError::Unreadable)?;
            let source = SelectionSource::RequiresPython(spec.trim().to_string());
            return Ok((Wanted::Specifier(specifier), source));
        }
    }
    Ok((Wanted::Newest, SelectionSource::Newest))
}

fn first_line(text: &str) -> &str {
    text.lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with('#'))
        .unwrap_or("")
}

fn parse_request(value: &str, origin: &str) -> Result<VersionRequest, SelectError> {
    VersionRequest::parse(value).ok_or_else(|| {
        SelectError::Unreadable(format!(
            "{origin} asks for `{value}`, which is not a python version; write it like `python-3.11` or `3.11.7`"
        ))
    })
}

fn read_optional(path: &Path) -> Result<Option<String>, SelectError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(
            String::from_utf8_lossy(&bytes)
                .trim_start_matches('\u{feff}')
                .to_string(),
        )),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(SelectError::Unreadable(format!(
            "cannot read `{}`: {error}",
            path.display()
        ))),
    }
}

/// Selects from interpreters already discovered (newest first).
pub fn select_from(
    app_dir: &Path,
    env: &Environment,
    found: &Discovery,
) -> Result<Selection, SelectError> {
    let (wanted, source) = wanted_version(app_dir, env)?;
    let chosen = found.interpreters.iter().find(|interpreter| match &wanted {
        Wanted::Version(request) => request.matches(&interpreter.version),
        Wanted::Specifier(specifier) => specifier.matches(&interpreter.version),
        Wanted::Newest => true,
    });
    match (chosen, &wanted) {
        (Some(interpreter), _) => Ok(Selection {
            interpreter: interpreter.clone(),
            source,
        }),
        (None, Wanted::Newest) => Err(SelectError::NoneFound),
        (None, Wanted::Version(request)) => Err(not_found(request.to_string(), source, found)),
        (None, Wanted::Specifier(specifier)) => {
            Err(not_found(specifier.as_str().to_string(), source, found))
        }
    }
}

fn not_found(wanted: String, source: SelectionSource, found: &Discovery) -> SelectError {
    let origin = match &source {
        SelectionSource::Setting(_) => "the PYTHON_VERSION setting",
        SelectionSource::RuntimeTxt(_) => "runtime.txt",
        SelectionSource::PythonVersionFile(_) => ".python-version",
        SelectionSource::RequiresPython(_) => "requires-python in pyproject.toml",
        SelectionSource::Newest => "the app",
    };
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
    if let (Wanted::Version(request), _) = wanted_version(app_dir, env)? {
        let narrowed = discover_where(env, |hint| hint.overlaps(&request));
        if let Ok(selection) = select_from(app_dir, env, &narrowed) {
            return Ok(selection);
        }
    }
    select_from(app_dir, env, &discover(env))
}
