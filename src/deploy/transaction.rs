//! What a deploy changed that it can undo: SYNC's journal of replaced and deleted files,
//! every virtual environment moved aside for a rebuild, and state files a step rewrote
//! (the pip fingerprint, which must describe the env that is back after a rollback). A failed or interrupted deploy
//! rolls them back (environments first, newest first, then the files); a successful one
//! commits them.

use crate::python::env_swap::EnvSwap;
use crate::sync::Journal;
use std::path::PathBuf;

/// The undo record of one deploy.
#[derive(Debug, Default)]
pub struct Transaction {
    journal: Option<Journal>,
    env_swaps: Vec<EnvSwap>,
    /// Files to put back on rollback, with their old content (none: remove the file).
    file_restores: Vec<(PathBuf, Option<Vec<u8>>)>,
}

/// What a rollback restored, for the deploy's last lines.
#[derive(Debug, Default)]
pub struct RollbackSummary {
    /// Files put back from the journal.
    pub files_restored: usize,
    /// Files SYNC had added that were removed.
    pub files_removed: usize,
    /// Environments moved back into place.
    pub envs_restored: usize,
    /// Problems met while rolling back (the deploy reports them; the rest still ran).
    pub problems: Vec<String>,
}

impl Transaction {
    /// A transaction that journals SYNC's changes into `journal` (none: nothing journalled).
    pub fn new(journal: Option<Journal>) -> Transaction {
        Transaction {
            journal,
            env_swaps: Vec::new(),
            file_restores: Vec::new(),
        }
    }

    /// The journal SYNC records into.
    pub fn journal(&self) -> Option<&Journal> {
        self.journal.as_ref()
    }

    /// Keeps an environment swapped aside until the deploy ends.
    pub fn keep_env_swap(&mut self, swap: EnvSwap) {
        self.env_swaps.push(swap);
    }

    /// Keeps a file's old content (none: it did not exist) to put back on rollback; the
    /// first call for a path wins, so the content from before the deploy comes back.
    pub fn keep_file_restore(&mut self, path: PathBuf, previous: Option<Vec<u8>>) {
        if !self.file_restores.iter().any(|(kept, _)| *kept == path) {
            self.file_restores.push((path, previous));
        }
    }

    /// True when the deploy changed the site in a way this transaction could undo: SYNC
    /// recorded a change, an environment was swapped or a state file was rewritten. Ask
    /// before [`Transaction::commit`] or [`Transaction::rollback`], which forget it.
    pub fn changed(&self) -> bool {
        !self.env_swaps.is_empty()
            || !self.file_restores.is_empty()
            || self
                .journal
                .as_ref()
                .is_some_and(Journal::recorded_anything)
    }

    /// The deploy succeeded: delete the old environments and drop the journal.
    pub fn commit(&mut self) -> Vec<String> {
        let mut problems = Vec::new();
        self.file_restores.clear();
        for swap in self.env_swaps.drain(..) {
            if let Err(problem) = swap.commit() {
                problems.push(problem.to_string());
            }
        }
        if let Some(journal) = self.journal.take() {
            if let Err(error) = journal.commit() {
                problems.push(error.to_string());
            }
        }
        problems
    }

    /// The deploy failed: put every environment and file back as it was.
    pub fn rollback(&mut self) -> RollbackSummary {
        let mut summary = RollbackSummary::default();
        for (path, previous) in self.file_restores.drain(..).rev() {
            let restored = match previous {
                Some(bytes) => std::fs::write(&path, bytes),
                None => std::fs::remove_file(&path).or_else(|error| {
                    if error.kind() == std::io::ErrorKind::NotFound {
                        Ok(())
                    } else {
                        Err(error)
                    }
                }),
            };
            if let Err(error) = restored {
                summary
                    .problems
                    .push(format!("cannot restore `{}`: {error}", path.display()));
            }
        }
        while let Some(swap) = self.env_swaps.pop() {
            match swap.rollback() {
                Ok(()) => summary.envs_restored += 1,
                Err(problem) => summary.problems.push(problem.to_string()),
            }
        }
        if let Some(journal) = self.journal.take() {
            match journal.rollback() {
                Ok(report) => {
                    summary.files_restored = report.restored;
                    summary.files_removed = report.removed;
                    summary.problems.extend(report.notes);
                }
                Err(error) => summary.problems.push(error.to_string()),
            }
        }
        summary
    }
}
