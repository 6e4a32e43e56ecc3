//! Installing from a lock file: the install step's plan and apply when its input is
//! `uv.lock`, `poetry.lock` or `Pipfile.lock`. The plan asks the lock's tool for the
//! locked set (a stale lock stops the deploy here, before the env is touched) and compares
//! it with what the env holds; the apply makes the env hold exactly that set.

use super::exact_sync::{apply_exact_sync, installed, ExactSync, ExactSyncError, InstallerRun};
use super::installer::{find_uv, Installer};
use super::lock::{locked_set, LockError, LockKind, LockedSet};
use super::marker_environment::MarkerEnvironment;
use crate::process::{Environment, StreamKind};
use std::path::Path;

/// What installing from a lock will change, decided before anything is touched.
#[derive(Debug, Clone)]
pub struct LockInstallPlan {
    /// Whose lock.
    pub kind: LockKind,
    /// The locked set, as the tool exported it.
    pub locked: LockedSet,
    /// How the env differs from it.
    pub sync: ExactSync,
}

/// Plans an install from the `kind` lock in `read_dir` (the site, or the source a planned
/// SYNC would copy it from) into the env whose packages are read from `env_read` (`None`
/// when the env will be new: it holds nothing yet). The lock's markers are decided with
/// `markers`, the values of the interpreter the env has or will have.
pub fn plan_lock_install(
    kind: LockKind,
    read_dir: &Path,
    env_read: Option<&Path>,
    markers: Option<&MarkerEnvironment>,
    environment: &Environment,
) -> Result<LockInstallPlan, LockError> {
    let locked = locked_set(kind, read_dir, environment)?;
    let installed = env_read.map(installed).unwrap_or_default();
    let sync = ExactSync::plan(&installed, &locked, markers);
    Ok(LockInstallPlan { kind, locked, sync })
}

impl LockInstallPlan {
    /// One line for the step: `uv 0.13.9: added 1: flask==3.0.3, upgraded 0, removed 0`.
    pub fn summary(&self) -> String {
        let tool = if self.locked.tool_version.is_empty() {
            self.kind.tool().to_string()
        } else {
            self.locked.tool_version.clone()
        };
        format!("{tool}: {}", self.sync)
    }

    /// Makes the env at `env_dir` hold exactly the locked set, running the installer in
    /// `dir`; the pinned lines are written to `requirements_path` while it runs.
    pub fn apply(
        &self,
        installer: Installer,
        env_dir: &Path,
        dir: &Path,
        environment: &Environment,
        requirements_path: &Path,
        on_line: &mut dyn FnMut(StreamKind, &str),
    ) -> Result<(), ExactSyncError> {
        let uv = match installer {
            Installer::Uv => find_uv(environment),
            Installer::Pip => None,
        };
        let run = InstallerRun {
            installer,
            uv: uv.as_deref(),
            env_dir,
            dir,
            environment,
        };
        let extra = match installer {
            Installer::Uv => uv_index_args(environment),
            Installer::Pip => Vec::new(),
        };
        apply_exact_sync(
            &self.sync,
            &self.locked,
            &run,
            requirements_path,
            &extra,
            on_line,
        )
    }
}

/// uv does not read pip's settings: pass PIP_NO_INDEX and PIP_FIND_LINKS on.
pub fn uv_index_args(environment: &Environment) -> Vec<String> {
    let mut args = Vec::new();
    let truthy = |value: &str| {
        !matches!(
            value.trim().to_ascii_lowercase().as_str(),
            "" | "0" | "false" | "no" | "off"
        )
    };
    if environment.get("PIP_NO_INDEX").is_some_and(|v| truthy(v)) {
        args.push("--no-index".to_string());
    }
    if let Some(links) = environment.get("PIP_FIND_LINKS") {
        for link in links.split_whitespace() {
            args.push("--find-links".to_string());
            args.push(link.to_string());
        }
    }
    args
}
