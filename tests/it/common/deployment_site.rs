//! A site for deployment tests: a source folder and a target folder side by side in a
//! temporary folder, with the default state folder beside the target.

// Each test binary uses a different part of it.
#![allow(dead_code)]

use deploy_script::report::mask::Masker;
use deploy_script::state::{
    BeginOptions, DeployLock, Deployment, DeploymentId, LockError, LockHolder, StateDir, Status,
};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// A source folder and a target folder side by side, with the default state folder.
pub struct Site {
    pub dir: TempDir,
    pub source: PathBuf,
    pub target: PathBuf,
    pub state: StateDir,
}

/// A fresh site in a temporary folder (`repo/` and `wwwroot/`).
pub fn site() -> Site {
    let dir = TempDir::new().unwrap();
    Site::at(dir.path().join("wwwroot"), dir)
}

impl Site {
    /// The site of `target` (inside `dir`), with `repo/` beside it as the source.
    pub fn at(target: PathBuf, dir: TempDir) -> Site {
        let source = target.parent().unwrap().join("repo");
        std::fs::create_dir_all(&source).unwrap();
        std::fs::create_dir_all(&target).unwrap();
        let state = StateDir::new(&target, None).unwrap();
        Site {
            dir,
            source,
            target,
            state,
        }
    }

    /// Begins a deployment of `source`, keeping `keep`, masking with `masker`.
    pub fn begin_with(&self, source: &Path, keep: usize, masker: Masker) -> Deployment {
        try_begin(&self.state, source, keep, masker, false).unwrap()
    }

    /// Begins a deployment of the site's source.
    pub fn begin(&self) -> Deployment {
        self.begin_with(&self.source, 20, Masker::default())
    }

    /// Runs one deployment that ends with `status`, after `work` staged what it likes.
    pub fn deploy(&self, status: Status, work: impl FnOnce(&mut Deployment)) -> DeploymentId {
        let mut deployment = self.begin();
        work(&mut deployment);
        let code = if status == Status::Succeeded { 0 } else { 1 };
        deployment.finish(status, code).unwrap().record.id
    }
}

/// Takes the lock of `state` (waiting or not) and begins a deployment of `source`.
pub fn try_begin(
    state: &StateDir,
    source: &Path,
    keep: usize,
    masker: Masker,
    wait: bool,
) -> Result<Deployment, LockError> {
    let id = state.new_deployment_id().unwrap();
    let lock = DeployLock::acquire(state, LockHolder::this_process(&id), wait)?;
    let options = BeginOptions {
        source: source.to_owned(),
        script: Some(source.join("deploy.cmd")),
        keep,
        masker,
    };
    Ok(Deployment::begin(state, lock, options).unwrap())
}
