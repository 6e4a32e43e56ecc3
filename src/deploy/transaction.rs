//! What a deploy changed that it can undo: SYNC's journal of replaced and deleted files,
//! and every virtual environment moved aside for a rebuild. A failed or interrupted deploy
//! rolls them back (environments first, newest first, then the files); a successful one
//! commits them.

use crate::python::env_swap::EnvSwap;
use crate::sync::Journal;

/// The undo record of one deploy.
#[derive(Debug, Default)]
pub struct Transaction {
    journal: Option<Journal>,
    env_swaps: Vec<EnvSwap>,
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

    /// The deploy succeeded: delete the old environments and drop the journal.
    pub fn commit(&mut self) -> Vec<String> {
        let mut problems = Vec::new();
        for swap in self.env_swaps.drain(..) {
            if let Err(problem) = swap.commit() {
                problems.push(problem);
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
        while let Some(swap) = self.env_swaps.pop() {
            match swap.rollback() {
                Ok(()) => summary.envs_restored += 1,
                Err(problem) => summary.problems.push(problem),
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
