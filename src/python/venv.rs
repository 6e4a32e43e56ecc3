//! `VENV ENSURE`: reuse the env when it is compatible, else build it at its final path.
//! [`plan_venv`] decides without side effects; [`apply_venv`] carries the plan out and hands
//! back the [`EnvSwap`] that the caller commits once the deploy (packages included) succeeded.

use super::discover::Interpreter;
use super::env_swap::{is_venv, removal_refusal, EnvSwap, EnvSwapError};
use super::installer::{find_uv, Installer};
use super::marker::{kudu_marker_labels, kudu_marker_path, write_kudu_marker, EnvMarker};
use super::probe_cache::{self, ProbeKey};
use super::seed::{seed_env, Seeded};
use super::seed_cache::{SeedCache, CACHE_VARIABLE};
use super::seed_error::SeedError;
use crate::process::{Command, Environment, ProcessError, StreamKind};
use std::fmt;
use std::path::{Path, PathBuf};

/// Why VENV ENSURE could not carry its plan out.
#[derive(Debug, thiserror::Error)]
pub enum VenvError {
    /// The plan found nothing safe to do; the message says what to do.
    #[error("{0}")]
    Unusable(String),
    /// The old env could not be moved aside (or back).
    #[error(transparent)]
    Swap(EnvSwapError),
    /// A file operation failed.
    #[error("cannot {doing} `{}`: {source}", path.display())]
    Io {
        /// `resolve`, `create`.
        doing: &'static str,
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The markers could not be written.
    #[error("cannot write markers into `{}`: {source}", path.display())]
    Markers {
        /// Kudu's marker file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// `/INSTALLER uv` without uv.
    #[error("`uv` is not on PATH; install uv or use `/INSTALLER pip`")]
    UvMissing,
    /// The builder could not be started.
    #[error("cannot build the virtual environment: {0}")]
    Spawn(#[from] ProcessError),
    /// The builder failed.
    #[error("`{command}` failed with exit code {exit_code}")]
    Failed {
        /// The command as shown.
        command: String,
        /// Its exit code.
        exit_code: i32,
    },
    /// pip could not be seeded into the new env.
    #[error("cannot seed pip into the new env: {0}")]
    Seed(#[from] SeedError),
    /// The build failed, and putting the old env back failed too.
    #[error("{problem}; then {rollback}")]
    RollbackFailed {
        /// Why the build failed.
        problem: Box<VenvError>,
        /// Why the old env could not come back.
        rollback: EnvSwapError,
    },
}

/// A request, made by the caller, that the next ensure rebuild the env.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovalRequest {
    /// One line: `removal forced by VENV REMOVE /ONCE 2026-11-24 (deploy.cmd:14)`.
    pub reason: String,
}

/// What `VENV ENSURE` will do, and why (each reason is one line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VenvPlan {
    /// The env is compatible: keep it.
    Reuse {
        /// Why it is compatible.
        reason: String,
    },
    /// Build a new env (the old one, if any, is moved aside until the deploy succeeds).
    Rebuild {
        /// Why: `no marker`, `python 3.11.7 -> 3.12.1`, `env/bin/python does not run`, ...
        reason: String,
    },
    /// The repository ships its own env: use it, build nothing.
    UseShipped {
        /// What was found.
        reason: String,
    },
    /// Nothing can be done safely: the deploy must stop with this message.
    Unusable {
        /// What is wrong and what to do.
        reason: String,
    },
}

impl fmt::Display for VenvPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VenvPlan::Reuse { reason } => write!(f, "reuse virtual environment: {reason}"),
            VenvPlan::Rebuild { reason } => write!(f, "rebuild virtual environment: {reason}"),
            VenvPlan::UseShipped { reason } => {
                write!(f, "use shipped virtual environment: {reason}")
            }
            VenvPlan::Unusable { reason } => write!(f, "unusable virtual environment: {reason}"),
        }
    }
}

/// Everything `VENV ENSURE` decides from.
#[derive(Debug, Clone)]
pub struct VenvRequest<'a> {
    /// The env folder (default `%DEPLOYMENT_TARGET%/env`).
    pub env_dir: &'a Path,
    /// The site folder: an env outside it is never removed.
    pub target: &'a Path,
    /// The interpreter `PYTHON SELECT` chose.
    pub interpreter: &'a Interpreter,
    /// pip (`python -m venv`) or uv (`uv venv`).
    pub installer: Installer,
    /// Set when a `VENV REMOVE`, `--reset-env` or `DEPLOY_RESET_ENV` applies.
    pub removal: Option<RemovalRequest>,
    /// True when the repository itself contains the env (the caller knows from the sync).
    pub shipped: bool,
    /// The environment child processes get.
    pub environment: &'a Environment,
    /// The folders the seed cache may be in, best first
    /// ([`super::seed_cache::cache_folders`]): where the wheels pip is seeded from are kept
    /// unpacked, per interpreter. When none can be used, a temporary one serves this build.
    pub seed_cache: &'a [PathBuf],
}

impl VenvRequest<'_> {
    /// The marker an env built for this request carries.
    pub fn wanted_marker(&self) -> EnvMarker {
        EnvMarker::new(self.interpreter, self.installer)
    }

    /// `env/bin/python`.
    pub fn env_python(&self) -> PathBuf {
        env_python(self.env_dir)
    }
}

/// The interpreter inside an env: `<env>/bin/python`.
pub fn env_python(env_dir: &Path) -> PathBuf {
    env_dir.join("bin").join("python")
}

/// True when pip is installed in the env (`lib/python*/site-packages/pip`); envs built by
/// uv have none.
pub fn env_has_pip(env_dir: &Path) -> bool {
    std::fs::read_dir(env_dir.join("lib"))
        .into_iter()
        .flatten()
        .flatten()
        .any(|entry| entry.path().join("site-packages").join("pip").is_dir())
}

/// Decides what `VENV ENSURE` will do; reads files and runs the env's python, changes nothing.
pub fn plan_venv(request: &VenvRequest) -> VenvPlan {
    plan_venv_reading(request, request.env_dir)
}

/// [`plan_venv`], reading the env's files from `read_from`: the folder that will be at
/// `request.env_dir` when the env is used (the copy a planned SYNC would bring, or an env
/// an interrupted deploy left aside, which is moved back first).
pub fn plan_venv_reading(request: &VenvRequest, read_from: &Path) -> VenvPlan {
    let env_dir = read_from;
    let name = request
        .env_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let made_on_windows =
        env_dir.join("Scripts").join("python.exe").exists() && !env_dir.join("bin").exists();
    if request.shipped {
        if made_on_windows {
            return VenvPlan::Unusable {
                reason: format!("the repository ships `{name}/` made on Windows (`Scripts\\python.exe`, no `bin/`), which cannot run on Linux; remove `{name}/` from the repository (and add it to .gitignore) so the deploy builds one, or commit an env made on Linux"),
            };
        }
        return match python_runs(&env_python(env_dir), request.environment) {
            Ok(()) => {
                let mut reason = format!("the repository ships `{name}/` (pyvenv.cfg): using it, building nothing");
                if let Some(removal) = &request.removal {
                    reason.push_str(&format!(" ({} does not apply to a shipped env)", removal.reason));
                }
                VenvPlan::UseShipped { reason }
            }
            Err(problem) => VenvPlan::Unusable {
                reason: format!("the repository ships `{name}/` but {problem}; remove it from the repository so the deploy builds one, or commit a working env"),
            },
        };
    }
    let reason = match compatibility(request, read_from, &name, made_on_windows) {
        Compatibility::Compatible(reason) => return VenvPlan::Reuse { reason },
        Compatibility::Incompatible(reason) => reason,
    };
    match removal_refusal(request.env_dir, request.target) {
        Some(refusal) if env_dir.exists() => VenvPlan::Unusable {
            reason: format!("{reason}, but {refusal}"),
        },
        _ => VenvPlan::Rebuild { reason },
    }
}

/// Whether an existing env can be kept, with the one-line reason.
enum Compatibility {
    /// Keep it: `Found compatible virtual environment (python 3.11.7, pip)`.
    Compatible(String),
    /// Rebuild it: `no marker`, `python 3.11.7 -> 3.12.1`, ...
    Incompatible(String),
}

/// Reads the env in `env_dir` (markers, its python) and says whether it can be kept.
fn compatibility(
    request: &VenvRequest,
    env_dir: &Path,
    name: &str,
    made_on_windows: bool,
) -> Compatibility {
    use Compatibility::Incompatible;
    if !env_dir.exists() {
        return Incompatible(format!("no `{name}` yet"));
    }
    if made_on_windows {
        return Incompatible(format!(
            "`{name}` was made on Windows (`Scripts\\python.exe`, no `bin/`)"
        ));
    }
    if !is_venv(env_dir) {
        return Incompatible(format!(
            "`{name}` is not a virtual environment (no pyvenv.cfg)"
        ));
    }
    if let Some(removal) = &request.removal {
        return Incompatible(removal.reason.clone());
    }
    let wanted = request.wanted_marker();
    let runtime = request.interpreter.version.runtime_label();
    let compatible = match EnvMarker::read(env_dir) {
        Err(problem) => return Incompatible(problem.to_string()),
        Ok(Some(marker)) => {
            if let Some(difference) = marker.difference(&wanted) {
                return Incompatible(difference);
            }
            format!("python {}, {}", wanted.version, wanted.installer)
        }
        Ok(None) => {
            let labels = kudu_marker_labels(env_dir);
            if !labels.contains(&runtime) {
                return Incompatible(match labels.last() {
                    Some(label) => format!("kudu marker {label} -> {runtime}"),
                    None => "no marker".to_string(),
                });
            }
            format!("Kudu's marker azure.env.{runtime}.txt")
        }
    };
    let python = env_python(env_dir);
    if !runs_the_remembered_interpreter(&python, &wanted.interpreter) {
        if let Err(problem) = python_runs(&python, request.environment) {
            return Incompatible(problem.to_string());
        }
    }
    Compatibility::Compatible(format!(
        "Found compatible virtual environment ({compatible})"
    ))
}

/// True when the env's python is a link to `interpreter` and that file is unchanged since
/// it last ran and answered its probe (same real path, modification time and size): then
/// it starts as it did, and a no-op deploy needs to run no python at all. A copied
/// interpreter (`venv --copies`) or one not probed yet is run instead.
fn runs_the_remembered_interpreter(env_python: &Path, interpreter: &Path) -> bool {
    std::fs::canonicalize(env_python).is_ok_and(|real| real == interpreter)
        && probe_cache::get(&ProbeKey::of(interpreter)).is_some()
}

/// An env's python that did not start.
#[derive(Debug, thiserror::Error)]
#[error("{} does not run", shown.display())]
struct PythonDoesNotRun {
    /// Its last three path components: `env/bin/python`.
    shown: PathBuf,
}

/// `Ok` when `python` starts.
fn python_runs(python: &Path, environment: &Environment) -> Result<(), PythonDoesNotRun> {
    let shown = python
        .iter()
        .rev()
        .take(3)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<PathBuf>();
    let dir = python.parent().unwrap_or(Path::new("/"));
    let ran = Command::new(python.as_os_str(), dir, environment)
        .args(["-E", "-c", "import sys"])
        .run(&mut |_, _| {});
    match ran {
        Ok(finished) if finished.success() => Ok(()),
        _ => Err(PythonDoesNotRun { shown }),
    }
}

/// What [`apply_venv`] did; holds the swap to finish when the deploy ends.
#[derive(Debug)]
pub struct VenvApplied {
    /// The swap to commit (delete the old env) or roll back (restore it); `None` when
    /// nothing was replaced.
    pub swap: Option<EnvSwap>,
    /// Where a rebuilt env's pip came from, when it was seeded.
    pub seeded: Option<SeedUse>,
}

/// Which seed cache a new env's pip was copied from, and whether its entry was built now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedUse {
    /// The cache folder; `None` for a temporary one (no folder could be made).
    pub folder: Option<PathBuf>,
    /// Whether this deploy built the interpreter's entry (the first env seeded from it).
    pub built: bool,
}

impl std::fmt::Display for SeedUse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.folder, self.built) {
            (Some(folder), false) => {
                write!(f, "pip seeded from the seed cache `{}`", folder.display())
            }
            (Some(folder), true) => write!(
                f,
                "pip seeded from the seed cache `{}`, whose entry for this interpreter was built now",
                folder.display()
            ),
            (None, _) => write!(
                f,
                "pip seeded from a temporary seed cache: no cache folder could be made (see `{CACHE_VARIABLE}`)"
            ),
        }
    }
}

/// Carries out `plan`. A rebuild moves the old env aside, builds the new one and writes
/// both markers; on failure the old env is back in place before the error returns.
/// Output lines of the build go to `on_line`.
pub fn apply_venv(
    plan: &VenvPlan,
    request: &VenvRequest,
    on_line: &mut dyn FnMut(StreamKind, &str),
) -> Result<VenvApplied, VenvError> {
    match plan {
        VenvPlan::Unusable { reason } => Err(VenvError::Unusable(reason.clone())),
        VenvPlan::UseShipped { .. } => Ok(VenvApplied {
            swap: None,
            seeded: None,
        }),
        VenvPlan::Reuse { .. } => {
            write_markers(request, false)?;
            Ok(VenvApplied {
                swap: None,
                seeded: None,
            })
        }
        VenvPlan::Rebuild { .. } => {
            let swap = EnvSwap::begin(request.env_dir, request.target).map_err(VenvError::Swap)?;
            match build(request, on_line)
                .and_then(|seeded| write_markers(request, true).map(|()| seeded))
            {
                Ok(seeded) => Ok(VenvApplied {
                    swap: Some(swap),
                    seeded,
                }),
                Err(problem) => match swap.rollback() {
                    Ok(()) => Err(problem),
                    Err(rollback) => Err(VenvError::RollbackFailed {
                        problem: Box::new(problem),
                        rollback,
                    }),
                },
            }
        }
    }
}

/// Writes Kudu's marker, and ours when the env is new or (reused by Kudu's marker) has none:
/// a kept env keeps its build id, so its install fingerprint stays valid.
fn write_markers(request: &VenvRequest, fresh: bool) -> Result<(), VenvError> {
    let runtime = request.interpreter.version.runtime_label();
    let keep_ours = !fresh && matches!(EnvMarker::read(request.env_dir), Ok(Some(_)));
    let ours = if keep_ours {
        Ok(())
    } else {
        request.wanted_marker().write(request.env_dir)
    };
    ours.and_then(|()| write_kudu_marker(request.env_dir, &runtime))
        .map_err(|source| VenvError::Markers {
            path: kudu_marker_path(request.env_dir, &runtime),
            source,
        })
}

/// Builds the env at its final path: `python -m venv --without-pip` then pip seeded from
/// the seed cache (pip's own run of ensurepip when the interpreter bundles no wheels),
/// `virtualenv` for Python 2, or `uv venv`. Says where the seed came from, when it was
/// seeded.
fn build(
    request: &VenvRequest,
    on_line: &mut dyn FnMut(StreamKind, &str),
) -> Result<Option<SeedUse>, VenvError> {
    let interpreter = request.interpreter;
    let env_dir = &std::path::absolute(request.env_dir).map_err(|source| VenvError::Io {
        doing: "resolve",
        path: request.env_dir.to_path_buf(),
        source,
    })?;
    let parent = env_dir.parent().unwrap_or(Path::new("/"));
    std::fs::create_dir_all(parent).map_err(|source| VenvError::Io {
        doing: "create",
        path: parent.to_path_buf(),
        source,
    })?;
    let python = || {
        Command::new(
            interpreter.executable.as_os_str(),
            parent,
            request.environment,
        )
    };
    match (request.installer, interpreter.version.env_module()) {
        (Installer::Pip, "venv") => {
            let create = python()
                .args(["-m", "venv", "--without-pip"])
                .arg(env_dir.as_os_str());
            run(&create, on_line)?;
            let cache = SeedCache::first_usable(request.seed_cache)?;
            let built = match seed_env(&cache, interpreter, env_dir, request.environment)? {
                Seeded::FromCache => false,
                Seeded::Built => true,
                Seeded::NotBundled => {
                    // What `python -m venv` runs: it says what is missing (Debian's
                    // python3-venv).
                    let ensurepip =
                        Command::new(env_python(env_dir).as_os_str(), parent, request.environment)
                            .args(["-Im", "ensurepip", "--upgrade", "--default-pip"]);
                    run(&ensurepip, on_line)?;
                    return Ok(None);
                }
            };
            Ok(Some(SeedUse {
                folder: cache.folder().map(Path::to_path_buf),
                built,
            }))
        }
        (Installer::Pip, module) => run(
            &python().args(["-m", module]).arg(env_dir.as_os_str()),
            on_line,
        )
        .map(|()| None),
        (Installer::Uv, _) => {
            let uv = find_uv(request.environment).ok_or(VenvError::UvMissing)?;
            let command = Command::new(uv.as_os_str(), parent, request.environment)
                .args(["venv", "--no-project", "--python"])
                .arg(interpreter.executable.as_os_str())
                .arg(env_dir.as_os_str());
            run(&command, on_line).map(|()| None)
        }
    }
}

/// Runs one step of the build; its output goes to `on_line`. It dies with run-deploy: a
/// build left running would write into an env the next deploy is already replacing.
fn run(command: &Command, on_line: &mut dyn FnMut(StreamKind, &str)) -> Result<(), VenvError> {
    let finished = command.clone().die_with_parent(true).run(on_line)?;
    if finished.success() {
        Ok(())
    } else {
        Err(VenvError::Failed {
            command: command.display(),
            exit_code: finished.exit_code,
        })
    }
}
