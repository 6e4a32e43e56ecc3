//! `VENV INSTALL [-r file | .]... [/INSTALLER pip|uv|auto] [/SYNC]`: skipped when the
//! fingerprint of what would be installed equals the one stored after the last
//! successful install; otherwise pip (or `uv pip`) runs inside the env. The app itself
//! (`.`) is installed editable, so the env never holds a copy of its code that a
//! code-only deploy would leave stale. `/SYNC` removes before it installs, and checks the
//! env after.

use super::exact_sync::{verify_importing, ExactSyncError, InstallerRun};
use super::fingerprint::{FingerprintError, PipFingerprint};
use super::installer::{find_uv, Installer};
use super::lock_install::uv_index_args;
use super::requirements::{input_files, required_names, InputError, InstallInput};
use super::venv::{env_has_pip, env_python};
use crate::process::{Command, Environment, ProcessError, StreamKind};
use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

/// Why VENV INSTALL could not plan or carry out its install.
#[derive(Debug, thiserror::Error)]
pub enum PipError {
    /// The install inputs could not be read (a requirement file, pyproject.toml).
    #[error(transparent)]
    Inputs(#[from] InputError),
    /// A lock input reached pip's path, which never installs a lock.
    #[error("`{0}` is installed exactly as locked, by the lock's own plan")]
    LockNotForPip(crate::app::lock_file::LockKind),
    /// The fingerprint could not be made.
    #[error(transparent)]
    Fingerprint(#[from] FingerprintError),
    /// `/INSTALLER pip` into an env without pip.
    #[error("the env `{}` has no pip (envs built by uv have none); use `VENV INSTALL ... /INSTALLER uv` or build the env with `VENV ENSURE /INSTALLER pip`", env_dir.display())]
    NoPip {
        /// The env.
        env_dir: PathBuf,
    },
    /// `/INSTALLER uv` without uv.
    #[error("`uv` is not on PATH; install uv or use `/INSTALLER pip`")]
    UvMissing,
    /// The installer could not be started.
    #[error("cannot run the installer: {0}")]
    Spawn(ProcessError),
    /// The installer failed.
    #[error("`{command}` failed with exit code {exit_code}")]
    Failed {
        /// The command as shown.
        command: String,
        /// Its exit code.
        exit_code: i32,
    },
    /// `/SYNC` could not list what is installed.
    #[error("cannot list installed packages for /SYNC: {0}")]
    ListInstalled(String),
    /// After `/SYNC` removed packages, the env is not whole (files, dependencies, imports).
    #[error(transparent)]
    Broken(ExactSyncError),
    /// The fingerprint could not be stored.
    #[error("cannot store `{}`: {source}", path.display())]
    Store {
        /// The fingerprint file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// What `VENV INSTALL` will do, and why (one line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PipPlan {
    /// Nothing changed since the last successful install.
    Skip {
        /// Why nothing needs doing.
        reason: String,
    },
    /// Run the installer.
    Install {
        /// What changed.
        reason: String,
    },
}

impl fmt::Display for PipPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PipPlan::Skip { reason } => write!(f, "skip package install: {reason}"),
            PipPlan::Install { reason } => write!(f, "install packages: {reason}"),
        }
    }
}

/// Everything `VENV INSTALL` decides from.
#[derive(Debug, Clone)]
pub struct PipRequest<'a> {
    /// The env to install into.
    pub env_dir: &'a Path,
    /// The app folder: the installer runs here, relative paths start here.
    pub app_dir: &'a Path,
    /// The `-r file` and `.` arguments.
    pub inputs: &'a [InstallInput],
    /// pip or uv (resolve `auto` with [`super::installer::InstallerChoice::resolve`]).
    pub installer: Installer,
    /// `/SYNC`: also remove what is no longer listed.
    pub sync: bool,
    /// Where the fingerprint of the last successful install lives (in the state folder).
    pub fingerprint_path: &'a Path,
    /// The environment child processes get (PIP_NO_INDEX, PIP_FIND_LINKS... are honoured).
    pub environment: &'a Environment,
}

impl PipRequest<'_> {
    /// The fingerprint installing now would store.
    pub fn fingerprint(&self) -> Result<PipFingerprint, PipError> {
        let files = input_files(self.inputs).map_err(PipError::Inputs)?;
        Ok(PipFingerprint::compute(
            self.env_dir,
            self.app_dir,
            &files,
            self.installer,
            self.sync,
            installs_project(self.inputs),
        )?)
    }
}

/// Whether the inputs install the app itself (`.`), which is installed editable.
pub fn installs_project(inputs: &[InstallInput]) -> bool {
    inputs
        .iter()
        .any(|input| matches!(input, InstallInput::Project(_)))
}

/// Decides whether to install; reads files only.
pub fn plan_pip(request: &PipRequest) -> Result<PipPlan, PipError> {
    Ok(plan_pip_from(
        request.fingerprint()?,
        request.fingerprint_path,
    ))
}

/// Decides whether to install, given the fingerprint installing now would store (computed
/// by the caller, e.g. from a dry run's view of the site) and where the last one lives.
pub fn plan_pip_from(now: PipFingerprint, fingerprint_path: &Path) -> PipPlan {
    let stored = PipFingerprint::read(fingerprint_path);
    match now.change_from(stored.as_ref()) {
        Some(reason) => PipPlan::Install { reason },
        None => PipPlan::Skip {
            reason: format!(
                "requirements unchanged since the last successful install ({} input file{})",
                now.inputs.len(),
                if now.inputs.len() == 1 { "" } else { "s" }
            ),
        },
    }
}

/// What [`apply_pip`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PipApplied {
    /// Distributions removed by `/SYNC`.
    pub removed: Vec<String>,
    /// Notes for the log (e.g. why `/SYNC` removed nothing).
    pub notes: Vec<String>,
}

/// Carries out `plan` and stores the fingerprint. With `/SYNC`, what no input needs is
/// uninstalled first, then the inputs are installed, then what the new versions no longer
/// need goes too, and the env is checked: every distribution whole (an uninstall deletes
/// the files it shares with another: psycopg2 and psycopg2-binary both ship `psycopg2`),
/// `pip check` clean, and each listed distribution's top-level modules importable. A
/// broken env fails the step, so its fingerprint is not stored and the next deploy does
/// not skip. Installer output goes to `on_line`.
pub fn apply_pip(
    plan: &PipPlan,
    request: &PipRequest,
    on_line: &mut dyn FnMut(StreamKind, &str),
) -> Result<PipApplied, PipError> {
    if let PipPlan::Skip { .. } = plan {
        return Ok(PipApplied::default());
    }
    let fingerprint = request.fingerprint()?;
    if request.installer == Installer::Pip && !env_has_pip(request.env_dir) {
        return Err(PipError::NoPip {
            env_dir: request.env_dir.to_path_buf(),
        });
    }
    let mut install_args: Vec<OsString> = vec!["install".into()];
    for input in request.inputs {
        match input {
            InstallInput::RequirementFile(path) => {
                install_args.push("-r".into());
                install_args.push(path.into());
            }
            // Editable: the env points at the site's code instead of holding a copy of
            // it, which a code-only change (pyproject.toml untouched) would leave stale.
            InstallInput::Project(dir) => {
                install_args.push("-e".into());
                install_args.push(dir.into());
            }
            InstallInput::Lock { kind, .. } => return Err(PipError::LockNotForPip(*kind)),
        }
    }
    let mut applied = PipApplied::default();
    let required = match request.sync {
        true => sync_names(request, &mut applied)?,
        false => None,
    };
    if let Some(names) = &required {
        remove_unlisted(request, names, &mut applied, on_line)?;
    }
    run_installer(request, install_args, on_line)?;
    if let Some(names) = &required {
        remove_unlisted(request, names, &mut applied, on_line)?;
        // Also when this run removed nothing: a retry after a failed check must fail again
        // rather than record the env it left broken.
        let listed: Vec<String> = names.iter().cloned().collect();
        let uv = uv_program(request)?;
        verify_importing(&installer_run(request, uv.as_deref()), &listed)
            .map_err(PipError::Broken)?;
    }
    fingerprint
        .write(request.fingerprint_path)
        .map_err(|source| PipError::Store {
            path: request.fingerprint_path.to_path_buf(),
            source,
        })?;
    Ok(applied)
}

/// The names `/SYNC` keeps (with their dependencies); `None`, with a note, when some
/// requirement's name cannot be told and so nothing may be removed.
fn sync_names(
    request: &PipRequest,
    applied: &mut PipApplied,
) -> Result<Option<BTreeSet<String>>, PipError> {
    let required = required_names(request.inputs).map_err(PipError::Inputs)?;
    if !required.unnamed.is_empty() {
        applied.notes.push(format!(
            "/SYNC removed nothing: cannot tell the package name of {}; write a URL requirement as `name @ url`, and give a setup.py project a pyproject.toml with `[project] name`",
            required.unnamed.join(", ")
        ));
        return Ok(None);
    }
    Ok(Some(required.names))
}

/// Uninstalls the installed distributions that `names` do not need (directly or as a
/// dependency of what is installed now), adding them to `applied.removed`.
fn remove_unlisted(
    request: &PipRequest,
    names: &BTreeSet<String>,
    applied: &mut PipApplied,
    on_line: &mut dyn FnMut(StreamKind, &str),
) -> Result<(), PipError> {
    let names_json =
        serde_json::to_string(names).map_err(|error| PipError::ListInstalled(error.to_string()))?;
    let finished = Command::new(
        env_python(request.env_dir).as_os_str(),
        request.app_dir,
        request.environment,
    )
    .args(["-E", "-s", "-c", include_str!("unlisted.py")])
    .arg(names_json)
    .run(&mut |_, _| {})
    .map_err(|error| PipError::ListInstalled(error.to_string()))?;
    if !finished.success() {
        return Err(PipError::ListInstalled(finished.tail(5)));
    }
    let unlisted: Vec<String> = serde_json::from_str(finished.text(StreamKind::Stdout).trim())
        .map_err(|error| PipError::ListInstalled(error.to_string()))?;
    if unlisted.is_empty() {
        return Ok(());
    }
    let mut args: Vec<OsString> = vec!["uninstall".into()];
    if request.installer == Installer::Pip {
        args.push("-y".into());
    }
    args.extend(unlisted.iter().map(OsString::from));
    run_installer(request, args, on_line)?;
    applied.removed.extend(unlisted);
    Ok(())
}

/// The uv program when the installer is uv (an error when it is not on PATH).
fn uv_program(request: &PipRequest) -> Result<Option<PathBuf>, PipError> {
    match request.installer {
        Installer::Uv => Ok(Some(
            find_uv(request.environment).ok_or(PipError::UvMissing)?,
        )),
        Installer::Pip => Ok(None),
    }
}

/// How the request's installer runs, `uv` being [`uv_program`]'s answer.
fn installer_run<'a>(request: &PipRequest<'a>, uv: Option<&'a Path>) -> InstallerRun<'a> {
    InstallerRun {
        installer: request.installer,
        uv,
        env_dir: request.env_dir,
        dir: request.app_dir,
        environment: request.environment,
    }
}

/// Runs `python -m pip ARGS` or `uv pip ARGS --python env/bin/python` inside the env.
fn run_installer(
    request: &PipRequest,
    args: Vec<OsString>,
    on_line: &mut dyn FnMut(StreamKind, &str),
) -> Result<(), PipError> {
    let installing = args.first().is_some_and(|first| first == "install");
    let uv = uv_program(request)?;
    let command = installer_run(request, uv.as_deref()).command(args);
    let command = match request.installer {
        Installer::Uv if installing => command.args(uv_index_args(request.environment)),
        _ => command,
    };
    // A deploy killed mid-install must not leave pip writing into the env it restores.
    let command = command.die_with_parent(true);
    let finished = command.run(on_line).map_err(PipError::Spawn)?;
    if finished.success() {
        return Ok(());
    }
    Err(PipError::Failed {
        command: command.display(),
        exit_code: finished.exit_code,
    })
}
