//! Which Python the app asks for, and what asked: the `PYTHON_VERSION` setting, then
//! `runtime.txt`, then `.python-version`, then pyproject.toml's `requires-python`, then
//! Poetry's `[tool.poetry.dependencies] python` in pyproject.toml, then what a lock file
//! says (uv.lock's `requires-python`, poetry.lock's `python-versions`,
//! Pipfile.lock's `python_version`), else the newest interpreter. This order is `PYTHON SELECT`'s; gen-deploy reads it too, so
//! the script it writes and the deploy that runs it ask for the same version.

use super::lock_file::{poetry_to_pep440, LockKind};
use super::requires_python::RequiresPython;
use super::version::VersionRequest;
use super::AppModel;
use std::fmt;

/// What the app asks for, before looking at what is installed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PythonRequest {
    /// A version such as `3.11`.
    Version(VersionRequest),
    /// A specifier such as `>=3.9,<3.13`: the newest interpreter that satisfies it.
    Specifier(RequiresPython),
    /// Anything: the newest.
    Newest,
}

impl fmt::Display for PythonRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PythonRequest::Version(request) => write!(f, "{request}"),
            PythonRequest::Specifier(specifier) => f.write_str(specifier.as_str()),
            PythonRequest::Newest => f.write_str("newest installed"),
        }
    }
}

/// What decided the version, with what it said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestSource {
    /// The `PYTHON_VERSION` environment setting, with its value.
    Setting(String),
    /// `runtime.txt`, with its first line.
    RuntimeTxt(String),
    /// `.python-version`, with the version line used.
    PythonVersionFile(String),
    /// pyproject.toml's `requires-python`, with the specifier.
    RequiresPython(String),
    /// pyproject.toml's `[tool.poetry.dependencies] python`, with the constraint as written.
    PoetryPython(String),
    /// A lock file, with what it says (`^3.11`, `3.12`).
    Lock(LockKind, String),
    /// Nothing asked for a version: the newest found.
    Newest,
}

impl RequestSource {
    /// Where a user changes the request: `runtime.txt`, `the PYTHON_VERSION setting`.
    pub fn origin(&self) -> &'static str {
        match self {
            RequestSource::Setting(_) => "the PYTHON_VERSION setting",
            RequestSource::RuntimeTxt(_) => "runtime.txt",
            RequestSource::PythonVersionFile(_) => ".python-version",
            RequestSource::RequiresPython(_) => "requires-python in pyproject.toml",
            RequestSource::PoetryPython(_) => {
                "the python dependency in pyproject.toml's [tool.poetry.dependencies]"
            }
            RequestSource::Lock(LockKind::Uv, _) => {
                "requires-python in pyproject.toml (uv.lock follows it)"
            }
            RequestSource::Lock(LockKind::Poetry, _) => {
                "the python dependency in pyproject.toml (poetry.lock follows it)"
            }
            RequestSource::Lock(LockKind::Pipenv, _) => {
                "python_version in the Pipfile (Pipfile.lock follows it)"
            }
            RequestSource::Newest => "the app",
        }
    }

    /// The app file that asked, when a file did.
    pub fn file(&self) -> Option<&'static str> {
        match self {
            RequestSource::RuntimeTxt(_) => Some("runtime.txt"),
            RequestSource::PythonVersionFile(_) => Some(".python-version"),
            RequestSource::RequiresPython(_) | RequestSource::PoetryPython(_) => {
                Some("pyproject.toml")
            }
            RequestSource::Lock(kind, _) => Some(kind.lock_file()),
            RequestSource::Setting(_) | RequestSource::Newest => None,
        }
    }
}

impl fmt::Display for RequestSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestSource::Setting(value) => write!(f, "PYTHON_VERSION says {value}"),
            RequestSource::RuntimeTxt(value) => write!(f, "runtime.txt says {value}"),
            RequestSource::PythonVersionFile(value) => write!(f, ".python-version says {value}"),
            RequestSource::RequiresPython(value) => {
                write!(f, "pyproject.toml requires-python says {value}")
            }
            RequestSource::PoetryPython(value) => {
                write!(
                    f,
                    "pyproject.toml [tool.poetry.dependencies] python says {value}"
                )
            }
            RequestSource::Lock(kind, value) => {
                let key = match kind {
                    LockKind::Uv => "requires-python",
                    LockKind::Poetry => "python-versions",
                    LockKind::Pipenv if value.matches('.').count() >= 2 => "python_full_version",
                    LockKind::Pipenv => "python_version",
                };
                write!(f, "{kind} {key} says {value}")
            }
            RequestSource::Newest => write!(f, "no version asked for, newest found"),
        }
    }
}

/// A source, in its turn, that asks for something that is not a version.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct UnreadableRequest {
    /// The app file at fault (`runtime.txt`), or `None` for the setting.
    pub file: Option<&'static str>,
    /// What is wrong and how to write it instead.
    pub message: String,
}

/// One source's answer: what it asks for and what it is, or why it cannot be read.
pub type RequestAnswer = Result<(PythonRequest, RequestSource), UnreadableRequest>;

impl AppModel {
    /// Every source that says something, in `PYTHON SELECT`'s order, ending with the
    /// newest interpreter; `setting` is the `PYTHON_VERSION` value, when set.
    pub fn python_requests(&self, setting: Option<&str>) -> Vec<RequestAnswer> {
        let mut answers = Vec::new();
        if let Some(value) = setting.map(str::trim).filter(|value| !value.is_empty()) {
            answers.push(match VersionRequest::parse(value) {
                Some(request) => Ok((
                    PythonRequest::Version(request),
                    RequestSource::Setting(value.to_string()),
                )),
                None => Err(not_a_version(None, "the PYTHON_VERSION setting", value)),
            });
        }
        let version_files = [
            (&self.runtime_txt, "runtime.txt"),
            (&self.python_version_file, ".python-version"),
        ];
        for (fact, file) in version_files {
            let Some(fact) = fact else { continue };
            answers.push(match &fact.value {
                Ok(version) => {
                    let line = version.line.clone();
                    let source = if file == "runtime.txt" {
                        RequestSource::RuntimeTxt(line)
                    } else {
                        RequestSource::PythonVersionFile(line)
                    };
                    Ok((PythonRequest::Version(version.request), source))
                }
                Err(error) => Err(not_a_version(Some(file), file, error.line())),
            });
        }
        if let Some(fact) = &self.pyproject {
            match &fact.value {
                Ok(project) => {
                    if let Some(spec) = &project.requires_python {
                        answers.push(
                            RequiresPython::parse(spec)
                                .map(|specifier| {
                                    let source = RequestSource::RequiresPython(
                                        specifier.as_str().to_string(),
                                    );
                                    (PythonRequest::Specifier(specifier), source)
                                })
                                .map_err(|error| UnreadableRequest {
                                    file: Some("pyproject.toml"),
                                    message: error.to_string(),
                                }),
                        );
                    }
                    if let Some(constraint) = &project.poetry_python {
                        if let Some(answer) = poetry_python(constraint) {
                            answers.push(answer);
                        }
                    }
                }
                Err(error) => answers.push(Err(UnreadableRequest {
                    file: Some("pyproject.toml"),
                    message: format!("cannot read `pyproject.toml`: {}", error.detail),
                })),
            }
        }
        for fact in &self.locks {
            let lock = &fact.value;
            let (Some(said), Some(request)) = (lock.python.clone(), lock.python_request()) else {
                continue;
            };
            let source = RequestSource::Lock(lock.kind, said);
            let file = Some(lock.kind.lock_file());
            answers.push(match VersionRequest::parse(&request) {
                Some(version) if lock.kind == LockKind::Pipenv => {
                    Ok((PythonRequest::Version(version), source))
                }
                _ => RequiresPython::parse(&request)
                    .map(|specifier| (PythonRequest::Specifier(specifier), source))
                    .map_err(|error| UnreadableRequest {
                        file,
                        message: format!("{}: {error}", lock.kind.lock_file()),
                    }),
            });
        }
        answers.push(Ok((PythonRequest::Newest, RequestSource::Newest)));
        answers
    }

    /// What `PYTHON SELECT` asks for: the first source in its order, or why that source
    /// cannot be read (the deploy stops there rather than guess).
    pub fn python_request(&self, setting: Option<&str>) -> RequestAnswer {
        self.python_requests(setting).remove(0)
    }

    /// The first source in the order that can be read: what gen-deploy writes the script
    /// for, having warned about the ones it skipped.
    pub fn readable_python_request(&self, setting: Option<&str>) -> (PythonRequest, RequestSource) {
        self.python_requests(setting)
            .into_iter()
            .find_map(Result::ok)
            .unwrap_or((PythonRequest::Newest, RequestSource::Newest))
    }
}

/// What Poetry's `python = "^3.11"` asks for; `None` when it allows any version.
fn poetry_python(constraint: &str) -> Option<RequestAnswer> {
    let specifier = poetry_to_pep440(constraint.trim())?;
    let source = RequestSource::PoetryPython(constraint.trim().to_string());
    Some(
        RequiresPython::parse(&specifier)
            .map(|specifier| (PythonRequest::Specifier(specifier), source))
            .map_err(|error| UnreadableRequest {
                file: Some("pyproject.toml"),
                message: format!("pyproject.toml [tool.poetry.dependencies] python: {error}"),
            }),
    )
}

/// `runtime.txt asks for `node-18`, which is not a python version; ...`.
fn not_a_version(file: Option<&'static str>, origin: &str, value: &str) -> UnreadableRequest {
    UnreadableRequest {
        file,
        message: format!(
            "{origin} asks for `{value}`, which is not a python version; write it like `python-3.11` or `3.11.7`"
        ),
    }
}
