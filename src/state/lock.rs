//! One deploy at a time: an OS file lock on `<state>/lock`.
//!
//! The lock is a `flock` (through fs4), which the kernel drops when the process dies, so a
//! killed deploy never leaves it held. The lock file's content says who holds it (pid,
//! start time, deployment id, command line), so a second run can name the holder. Rust
//! opens files close-on-exec, so the script's child processes do not inherit the lock and
//! cannot keep it alive after `run-deploy` dies.

use super::deployment_id::DeploymentId;
use super::state_dir::StateDir;
use fs4::fs_std::FileExt;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::FileExt as _;
use std::path::{Path, PathBuf};
use std::time::Duration;
use time::OffsetDateTime;

/// Who holds the deploy lock, as written in the lock file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockHolder {
    /// Process id of the holder.
    pub pid: u32,
    /// When it took the lock.
    #[serde(with = "time::serde::rfc3339")]
    pub since: OffsetDateTime,
    /// The deployment it runs.
    pub deployment: DeploymentId,
    /// Its command line.
    pub command_line: Vec<String>,
}

impl LockHolder {
    /// This process, about to run deployment `deployment`.
    pub fn this_process(deployment: &DeploymentId) -> LockHolder {
        LockHolder {
            pid: std::process::id(),
            since: OffsetDateTime::now_utc(),
            deployment: deployment.clone(),
            command_line: std::env::args_os()
                .map(|arg| arg.to_string_lossy().into_owned())
                .collect(),
        }
    }
}

impl LockHolder {
    /// The same holder with secrets in its command line masked, before it is written to
    /// the lock file where other users may read it.
    pub fn masked(mut self, masker: &crate::report::mask::Masker) -> LockHolder {
        for arg in &mut self.command_line {
            *arg = masker.mask(arg).into_owned();
        }
        self
    }
}

impl fmt::Display for LockHolder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "pid {} (deployment {}, since {}, `{}`)",
            self.pid,
            self.deployment,
            super::time_text::format_time(self.since),
            self.command_line.join(" ")
        )
    }
}

/// Why the lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another process holds it and waiting was not wanted.
    #[error(
        "another deploy holds the lock `{}`: {}; wait for it to finish, or run again without `--no-wait` to wait for it",
        path.display(),
        holder.as_ref().map_or_else(|| "its holder did not say who it is".to_owned(), ToString::to_string)
    )]
    LockHeld {
        /// The lock file.
        path: PathBuf,
        /// Who holds it, when the lock file says so.
        holder: Option<LockHolder>,
    },
    /// The lock file could not be opened, locked or written.
    #[error("cannot use the lock file `{}`: {source}", path.display())]
    Io {
        /// The lock file.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: io::Error,
    },
}

/// The held deploy lock; dropping it releases the lock.
#[derive(Debug)]
pub struct DeployLock {
    // Kept open: closing the file releases the lock.
    _file: File,
    holder: LockHolder,
}

impl DeployLock {
    /// Takes the lock for `holder`. With `wait`, blocks until the current holder finishes;
    /// without, fails at once with [`LockError::LockHeld`] naming the holder.
    pub fn acquire(
        state: &StateDir,
        holder: LockHolder,
        wait: bool,
    ) -> Result<DeployLock, LockError> {
        let path = state.lock_path();
        let file = open_lock_file(&path)?;
        let io_err = |source| LockError::Io {
            path: path.clone(),
            source,
        };
        // A few quick retries: `StateDir::lock_holder` takes a shared lock for an instant.
        let mut locked = false;
        for attempt in 0..3 {
            if attempt > 0 {
                std::thread::sleep(Duration::from_millis(50));
            }
            locked = FileExt::try_lock_exclusive(&file).map_err(io_err)?;
            if locked {
                break;
            }
        }
        if !locked {
            if !wait {
                return Err(LockError::LockHeld {
                    holder: read_holder(&file),
                    path,
                });
            }
            loop {
                match FileExt::lock_exclusive(&file) {
                    Ok(()) => break,
                    Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                    Err(err) => return Err(io_err(err)),
                }
            }
        }
        let mut text = serde_json::to_vec_pretty(&holder)
            .map_err(io::Error::other)
            .map_err(io_err)?;
        text.push(b'\n');
        // Not synced: the holder only names who holds the lock while it is held, and after
        // a crash (a power cut included) nobody holds it, so no reader needs it on disk.
        // Written over the last holder, then cut to length, rather than emptied first:
        // emptying frees the file's block, which a file system mounted with `discard`
        // (and one without a journal) trims at once, a disk write on every deploy. A
        // reader meanwhile sees unreadable text either way, and retries.
        file.write_all_at(&text, 0)
            .and_then(|()| file.set_len(text.len() as u64))
            .map_err(io_err)?;
        Ok(DeployLock {
            _file: file,
            holder,
        })
    }

    /// Who holds this lock (this process).
    pub fn holder(&self) -> &LockHolder {
        &self.holder
    }
}

/// Whether the deploy lock is held, and by whom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LockState {
    /// Nobody deploys.
    Free,
    /// A deploy runs; `holder` is `None` when the lock file says nothing readable.
    Held {
        /// Who holds it.
        holder: Option<LockHolder>,
    },
}

impl StateDir {
    /// Whether the deploy lock is held right now, and by whom. Probes with a shared lock
    /// held for an instant; nothing is written.
    pub fn lock_state(&self) -> Result<LockState, LockError> {
        let path = self.lock_path();
        let file = match File::open(&path) {
            Ok(file) => file,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(LockState::Free),
            Err(source) => return Err(LockError::Io { path, source }),
        };
        let free = FileExt::try_lock_shared(&file).map_err(|source| LockError::Io {
            path: path.clone(),
            source,
        })?;
        Ok(if free {
            LockState::Free
        } else {
            LockState::Held {
                holder: read_holder(&file),
            }
        })
    }
}

fn open_lock_file(path: &Path) -> Result<File, LockError> {
    let io_err = |source| LockError::Io {
        path: path.to_owned(),
        source,
    };
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder).map_err(io_err)?;
    }
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(io_err)
}

/// Reads the holder from the lock file; retried briefly because the holder may be writing.
fn read_holder(file: &File) -> Option<LockHolder> {
    for attempt in 0..5 {
        if attempt > 0 {
            std::thread::sleep(Duration::from_millis(20));
        }
        let mut text = String::new();
        let mut reader = file;
        let read = io::Seek::rewind(&mut reader).and_then(|()| reader.read_to_string(&mut text));
        if let Ok(holder) = read
            .map_err(drop)
            .and_then(|_| serde_json::from_str(&text).map_err(drop))
        {
            return Some(holder);
        }
    }
    None
}
