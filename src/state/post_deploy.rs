//! Post-deployment actions, as Kudu runs them: after a successful deploy, every
//! `*.cmd`/`*.bat` (run by our interpreter) and executable `*.sh` in the state folder's
//! `post-deploy/`, in name order. This module finds them; the deploy flow runs them.

use super::state_dir::StateDir;
use anyhow::{Context, Result};
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

/// How a post-deployment action is run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PostDeployKind {
    /// A `*.cmd` or `*.bat` script, run by the deploy-script interpreter.
    Script,
    /// An executable `*.sh`, run as a program.
    Executable,
}

/// One post-deployment action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostDeployAction {
    /// The file.
    pub path: PathBuf,
    /// How to run it.
    pub kind: PostDeployKind,
}

/// A file in `post-deploy/` that will not run, and why (for a warning).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedPostDeployFile {
    /// The file.
    pub path: PathBuf,
    /// Why it is skipped, lowercase, to print after the path.
    pub reason: &'static str,
}

impl StateDir {
    /// The post-deployment actions in name order, and the `*.sh` files skipped because
    /// they are not executable. Other files (notes, `*.ps1`) are ignored.
    pub fn post_deploy_actions(
        &self,
    ) -> Result<(Vec<PostDeployAction>, Vec<SkippedPostDeployFile>)> {
        let folder = self.post_deploy_dir();
        let entries = match std::fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Ok((Vec::new(), Vec::new()))
            }
            Err(err) => {
                return Err(err).with_context(|| format!("cannot list `{}`", folder.display()))
            }
        };
        let mut paths = Vec::new();
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot list `{}`", folder.display()))?;
            paths.push(entry.path());
        }
        paths.sort();
        let (mut actions, mut skipped) = (Vec::new(), Vec::new());
        for path in paths {
            let extension = path
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase());
            let meta = std::fs::metadata(&path)
                .with_context(|| format!("cannot read `{}`", path.display()))?;
            if !meta.is_file() {
                continue;
            }
            match extension.as_deref() {
                Some("cmd" | "bat") => actions.push(PostDeployAction {
                    path,
                    kind: PostDeployKind::Script,
                }),
                Some("sh") if meta.permissions().mode() & 0o111 != 0 => {
                    actions.push(PostDeployAction {
                        path,
                        kind: PostDeployKind::Executable,
                    })
                }
                Some("sh") => skipped.push(SkippedPostDeployFile {
                    path,
                    reason: "is not executable; run `chmod +x` on it to make it run",
                }),
                _ => {}
            }
        }
        Ok((actions, skipped))
    }
}
