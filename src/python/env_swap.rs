//! Safe replacement of a virtual environment: the old env is moved aside (renamed to a
//! sibling), the new one is built at the final path (venvs cannot be moved), and only when
//! the whole deploy succeeded is the old one deleted. Any failure moves it back; after a
//! crash at any moment, [`EnvSwap::recover`] puts a leftover aside-env back.
//!
//! An env changed in place (an install into a reused env) is guarded the same way by a
//! copy ([`EnvSwap::begin_copy`]): the copy waits aside while the env is changed, and goes
//! back in its place if the deploy fails or is killed.
//!
//! The working env is never deleted before its replacement is in place: a half-built env
//! is first renamed out of the way (one atomic step), then the old one renamed back, and
//! only then is the half-built one deleted. A crash between any two of these steps leaves
//! either the old env aside (recovered next time) or in place.

use std::path::{Path, PathBuf};

/// Why an env could not be moved aside, back, or deleted.
#[derive(Debug, thiserror::Error)]
pub enum EnvSwapError {
    /// The env folder is not inside the target.
    #[error("refusing to remove `{}`: it lies outside the target `{}`", env_dir.display(), target.display())]
    OutsideTarget {
        /// The env folder.
        env_dir: PathBuf,
        /// The deploy's target.
        target: PathBuf,
    },
    /// The folder holds files but is not a venv.
    #[error("refusing to remove `{}`: it is not a virtual environment (no `pyvenv.cfg`); move it away or name another folder", env_dir.display())]
    NotAVenv {
        /// The env folder.
        env_dir: PathBuf,
    },
    /// An old env still waits aside from an earlier deploy.
    #[error("`{}` is left from an earlier deploy; recover it first (`EnvSwap::recover`)", aside.display())]
    LeftAside {
        /// The aside folder.
        aside: PathBuf,
    },
    /// A rename failed.
    #[error("cannot move `{}` to `{}`: {source}", from.display(), to.display())]
    Move {
        /// The folder moved.
        from: PathBuf,
        /// Where to.
        to: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The env could not be copied aside.
    #[error("cannot copy the virtual environment `{}` aside before changing it: {source}", env_dir.display())]
    Copy {
        /// The env folder.
        env_dir: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A folder could not be deleted.
    #[error("cannot delete `{}`: {source}", path.display())]
    Delete {
        /// The folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

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

/// The sibling names a discarded env is renamed to before it is deleted
/// (`.env.deploy-trash`, `.env.deploy-trash.1`, ...).
fn trash_path(env_dir: &Path, number: usize) -> PathBuf {
    match number {
        0 => sibling(env_dir, "deploy-trash"),
        n => sibling(env_dir, &format!("deploy-trash.{n}")),
    }
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
pub fn removal_refusal(env_dir: &Path, target: &Path) -> Option<EnvSwapError> {
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
        return Some(EnvSwapError::OutsideTarget {
            env_dir: env_dir.to_path_buf(),
            target: target.to_path_buf(),
        });
    }
    let empty = std::fs::read_dir(env_dir).is_ok_and(|mut entries| entries.next().is_none());
    if env_dir.exists() && !is_venv(env_dir) && !empty {
        return Some(EnvSwapError::NotAVenv {
            env_dir: env_dir.to_path_buf(),
        });
    }
    None
}

impl EnvSwap {
    /// Moves the env at `env_dir` (if any) aside, after checking it may be removed.
    pub fn begin(env_dir: &Path, target: &Path) -> Result<EnvSwap, EnvSwapError> {
        let aside = free_aside(env_dir, target)?;
        let moved = if env_dir.exists() {
            rename(env_dir, &aside)?;
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

    /// Copies the env at `env_dir` aside before it is changed in place: a rollback puts
    /// the copy back, a commit deletes it. The copy keeps every file's mode and
    /// modification time (a `*.pyc` is checked against its source's) and every link. It is
    /// made under a trash name and renamed aside only once whole, so a crash while copying
    /// leaves trash, which [`EnvSwap::recover`] deletes, and never a partial env aside.
    pub fn begin_copy(env_dir: &Path, target: &Path) -> Result<EnvSwap, EnvSwapError> {
        let aside = free_aside(env_dir, target)?;
        let trash = free_trash_path(env_dir);
        if let Err(source) = copy_tree(env_dir, &trash) {
            let _ = delete(&trash);
            return Err(EnvSwapError::Copy {
                env_dir: env_dir.to_path_buf(),
                source,
            });
        }
        rename(&trash, &aside)?;
        Ok(EnvSwap {
            env_dir: env_dir.to_path_buf(),
            aside: Some(aside),
            finished: false,
        })
    }

    /// True when an old env is waiting aside.
    pub fn has_old_env(&self) -> bool {
        self.aside.is_some()
    }

    /// The new env is good: delete the old one.
    pub fn commit(mut self) -> Result<(), EnvSwapError> {
        self.finished = true;
        match self.aside.take() {
            Some(aside) => discard(&aside, &self.env_dir),
            None => Ok(()),
        }
    }

    /// Something failed: delete whatever was built and move the old env back.
    pub fn rollback(mut self) -> Result<(), EnvSwapError> {
        self.finished = true;
        self.restore()
    }

    /// Puts the old env (if one waits aside) back at `env_dir`, moving whatever is there
    /// out of the way first; deletes what was moved out only once the old env is back.
    fn restore(&mut self) -> Result<(), EnvSwapError> {
        let Some(aside) = self.aside.take() else {
            // No old env: the new one is all there is to undo.
            return match self.env_dir.exists() {
                true => discard(&self.env_dir, &self.env_dir),
                false => Ok(()),
            };
        };
        let mut moved_out = Vec::new();
        // A process the crash left behind (a pip whose parent died) may still create
        // folders at `env_dir` after it was moved out: move them out too, a few times.
        let mut attempts = 0;
        loop {
            if self.env_dir.exists() || self.env_dir.is_symlink() {
                let trash = free_trash_path(&self.env_dir);
                rename(&self.env_dir, &trash)?;
                moved_out.push(trash);
            }
            match std::fs::rename(&aside, &self.env_dir) {
                Ok(()) => break,
                Err(error) if attempts < 20 && is_occupied(&error) => {
                    attempts += 1;
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                Err(source) => {
                    self.aside = Some(aside.clone());
                    return Err(EnvSwapError::Move {
                        from: aside,
                        to: self.env_dir.clone(),
                        source,
                    });
                }
            }
        }
        for trash in moved_out {
            delete(&trash)?;
        }
        Ok(())
    }

    /// After a crash: deletes what earlier discards left half deleted and, if an old env
    /// waits aside for `env_dir`, moves the half-built env out of the way and the old one
    /// back. Returns a one-line message saying what was done.
    pub fn recover(env_dir: &Path) -> Result<Option<String>, EnvSwapError> {
        for trash in leftover_trash(env_dir) {
            delete(&trash)?;
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

/// Copies the folder `from` to `to` (which must not exist): files with their mode and
/// modification time, symbolic links as links, folders with their mode.
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    let mut folders = Vec::new();
    for entry in walkdir::WalkDir::new(from).follow_links(false) {
        let entry = entry.map_err(std::io::Error::other)?;
        let relative = entry.path().strip_prefix(from).unwrap_or(Path::new(""));
        let destination = to.join(relative);
        let kind = entry.file_type();
        if kind.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(entry.path())?, &destination)?;
        } else if kind.is_dir() {
            std::fs::create_dir(&destination)?;
            folders.push((destination, entry.metadata()?.permissions()));
        } else {
            // Mode and content; then the time pip and Python compare.
            std::fs::copy(entry.path(), &destination)?;
            let modified = filetime::FileTime::from_last_modification_time(&entry.metadata()?);
            filetime::set_file_mtime(&destination, modified)?;
        }
    }
    // Last, so that a read-only folder was still writable while it was filled.
    for (folder, permissions) in folders.into_iter().rev() {
        std::fs::set_permissions(folder, permissions)?;
    }
    Ok(())
}

/// Where `env_dir`'s old env or copy will wait, after checking that the env may be removed
/// and that nothing waits there already.
fn free_aside(env_dir: &Path, target: &Path) -> Result<PathBuf, EnvSwapError> {
    if let Some(refusal) = removal_refusal(env_dir, target) {
        return Err(refusal);
    }
    let aside = aside_path(env_dir);
    if aside.exists() {
        return Err(EnvSwapError::LeftAside { aside });
    }
    Ok(aside)
}

/// True when a rename failed because something is already at the destination.
fn is_occupied(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        std::io::ErrorKind::DirectoryNotEmpty | std::io::ErrorKind::AlreadyExists
    )
}

/// The first trash name for `env_dir` that nothing uses.
fn free_trash_path(env_dir: &Path) -> PathBuf {
    (0..)
        .map(|number| trash_path(env_dir, number))
        .find(|path| !path.exists() && !path.is_symlink())
        .expect("some trash name is free")
}

/// Trash folders of `env_dir` that earlier discards did not finish deleting.
fn leftover_trash(env_dir: &Path) -> Vec<PathBuf> {
    let first = trash_path(env_dir, 0);
    let Some(prefix) = first.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Vec::new();
    };
    let Some(parent) = env_dir.parent() else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy().starts_with(&prefix))
        .map(|entry| entry.path())
        .collect()
}

/// Renames `dir` to a trash name of `env_dir` (one atomic step), then deletes it.
fn discard(dir: &Path, env_dir: &Path) -> Result<(), EnvSwapError> {
    let trash = free_trash_path(env_dir);
    rename(dir, &trash)?;
    delete(&trash)
}

fn rename(from: &Path, to: &Path) -> Result<(), EnvSwapError> {
    std::fs::rename(from, to).map_err(|source| EnvSwapError::Move {
        from: from.to_path_buf(),
        to: to.to_path_buf(),
        source,
    })
}

fn delete(path: &Path) -> Result<(), EnvSwapError> {
    let removed = if path.is_dir() && !path.is_symlink() {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    };
    match removed {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(EnvSwapError::Delete {
            path: path.to_path_buf(),
            source: error,
        }),
        _ => Ok(()),
    }
}

impl Drop for EnvSwap {
    fn drop(&mut self) {
        if !self.finished {
            // Best effort: an unfinished swap must not leave the site without its old env.
            let _ = self.restore();
        }
    }
}
