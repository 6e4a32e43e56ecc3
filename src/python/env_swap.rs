//! Safe replacement of a virtual environment: the old env is moved aside (renamed to a
//! sibling), the new one is built at the final path (venvs cannot be moved), and only when
//! the whole deploy succeeded is the old one deleted. Any failure moves it back; after a
//! crash, [`EnvSwap::recover`] puts a leftover aside-env back.

use std::path::{Path, PathBuf};

/// An env replacement in progress; finish it with [`EnvSwap::commit`] or
/// [`EnvSwap::rollback`] (dropping it unfinished rolls back).
#[derive(Debug)]
pub struct EnvSwap {
    env_dir: PathBuf,
    aside: Option<PathBuf>,
    finished: bool,
}

/// The sibling name an old env waits under while its replacement is built.
pub fn aside_path(env_dir: &Path) -> PathBuf {
    sibling(env_dir, "deploy-aside")
}

fn trash_path(env_dir: &Path) -> PathBuf {
    sibling(env_dir, "deploy-trash")
}

fn sibling(env_dir: &Path, suffix: &str) -> PathBuf {
    let name = env_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "env".to_string());
    env_dir.with_file_name(format!(".{name}.{suffix}"))
}

/// True when `dir` looks like a virtual environment (it has `pyvenv.cfg`).
pub fn is_venv(dir: &Path) -> bool {
    dir.join("pyvenv.cfg").is_file()
}

/// Why a folder may not be removed, or `None` when it may: it must be a venv (or empty)
/// and lie inside `target`.
pub fn removal_refusal(env_dir: &Path, target: &Path) -> Option<String> {
    let inside = match (std::path::absolute(env_dir), std::path::absolute(target)) {
        (Ok(env), Ok(target)) => {
            let env = std::fs::canonicalize(env.parent().unwrap_or(&env))
                .map(|parent| parent.join(env.file_name().unwrap_or_default()))
                .unwrap_or(env);
            let target = std::fs::canonicalize(&target).unwrap_or(target);
            env.starts_with(&target) && env != target
        }
        _ => false,
    };
    if !inside {
        return Some(format!(
            "refusing to remove `{}`: it lies outside the target `{}`",
            env_dir.display(),
            target.display()
        ));
    }
    let empty = std::fs::read_dir(env_dir).is_ok_and(|mut entries| entries.next().is_none());
    if env_dir.exists() && !is_venv(env_dir) && !empty {
        return Some(format!(
            "refusing to remove `{}`: it is not a virtual environment (no `pyvenv.cfg`); move it away or name another folder",
            env_dir.display()
        ));
    }
    None
}

impl EnvSwap {
    /// Moves the env at `env_dir` (if any) aside, after checking it may be removed.
    pub fn begin(env_dir: &Path, target: &Path) -> Result<EnvSwap, String> {
        if let Some(refusal) = removal_refusal(env_dir, target) {
            return Err(refusal);
        }
        let aside = aside_path(env_dir);
        if aside.exists() {
            return Err(format!(
                "`{}` is left from an earlier deploy; recover it first (`EnvSwap::recover`)",
                aside.display()
            ));
        }
        let moved = if env_dir.exists() {
            std::fs::rename(env_dir, &aside)
                .map_err(|error| format!("cannot move `{}` aside: {error}", env_dir.display()))?;
            Some(aside)
        } else {
            None
        };
        Ok(EnvSwap {
            env_dir: env_dir.to_path_buf(),
            aside: moved,
            finished: false,
        })
    }

    /// True when an old env is waiting aside.
    pub fn has_old_env(&self) -> bool {
        self.aside.is_some()
    }

    /// The new env is good: delete the old one.
    pub fn commit(mut self) -> Result<(), String> {
        self.finished = true;
        match self.aside.take() {
            Some(aside) => discard(&aside, &trash_path(&self.env_dir)),
            None => Ok(()),
        }
    }

    /// Something failed: delete whatever was built and move the old env back.
    pub fn rollback(mut self) -> Result<(), String> {
        self.finished = true;
        self.restore()
    }

    fn restore(&mut self) -> Result<(), String> {
        if self.env_dir.exists() {
            discard(&self.env_dir, &trash_path(&self.env_dir))?;
        }
        if let Some(aside) = self.aside.take() {
            std::fs::rename(&aside, &self.env_dir).map_err(|error| {
                format!(
                    "cannot move `{}` back to `{}`: {error}",
                    aside.display(),
                    self.env_dir.display()
                )
            })?;
        }
        Ok(())
    }

    /// After a crash: if an old env waits aside for `env_dir`, delete the half-built env
    /// and move the old one back. Returns a one-line message saying what was done.
    pub fn recover(env_dir: &Path) -> Result<Option<String>, String> {
        let trash = trash_path(env_dir);
        if trash.exists() {
            std::fs::remove_dir_all(&trash)
                .map_err(|error| format!("cannot delete `{}`: {error}", trash.display()))?;
        }
        let aside = aside_path(env_dir);
        if !aside.exists() {
            return Ok(None);
        }
        let mut swap = EnvSwap {
            env_dir: env_dir.to_path_buf(),
            aside: Some(aside),
            finished: true,
        };
        swap.restore()?;
        Ok(Some(format!(
            "restored the virtual environment `{}` left aside by an interrupted deploy",
            env_dir.display()
        )))
    }
}

/// Renames `dir` to `trash` (one atomic step), then deletes it.
fn discard(dir: &Path, trash: &Path) -> Result<(), String> {
    if trash.exists() {
        std::fs::remove_dir_all(trash)
            .map_err(|error| format!("cannot delete `{}`: {error}", trash.display()))?;
    }
    std::fs::rename(dir, trash)
        .map_err(|error| format!("cannot move `{}` away: {error}", dir.display()))?;
    std::fs::remove_dir_all(trash)
        .map_err(|error| format!("cannot delete `{}`: {error}", trash.display()))
}

impl Drop for EnvSwap {
    fn drop(&mut self) {
        if !self.finished {
            // Best effort: an unfinished swap must not leave the site without its old env.
            let _ = self.restore();
        }
    }
}
