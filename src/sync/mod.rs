//! SYNC: KuduSync's job done right.
//!
//! Copies a source tree (the repository checkout) into a target tree (the site) and deletes
//! from the target what the repository deleted, never what the site wrote itself. It is
//! split the way every deploy directive is:
//!
//! 1. [`plan`] reads both trees and the previous manifest and decides, without touching
//!    anything, what to copy, create and delete and why ([`SyncPlan`]);
//! 2. [`apply`] carries the plan out: each copy is written to a temporary name in its
//!    target folder and renamed into place, and every file it replaces or deletes is first
//!    moved into a [`Journal`], so a failed deploy can be rolled back byte-for-byte.
//!
//! The same engine answers to KuduSync's command line through [`kudusync_main`].
//!
//! Where SYNC differs from kudusync 0.2.3 on purpose (each a defect fixed):
//! - a failed or killed sync still leaves a manifest listing what is in the target
//!   (KuduSync issue 37), and a journal to roll back;
//! - files are written to a temporary name and renamed, never half-visible; a leftover
//!   temporary file of a killed run is removed by the next run;
//! - file modes are kept and symlinks are copied as links (kudusync follows them);
//! - names are compared case-sensitively, as Linux stores them (kudusync matches case-
//!   insensitively and so never copies a case-only rename);
//! - source equal to target is refused (kudusync writes an empty manifest); a missing
//!   previous manifest reads as empty (kudusync 0.2.3 on current node fails on it);
//! - `/CHECKSUM` also compares content when size and time are equal; without it, as in
//!   kudusync, equal size and time (to the millisecond) never copy.
//!
//! Not kept (unlike `rsync -a`): owner and group, folder modification times.
//!
//! What a journal covers: every file and folder SYNC adds, replaces or deletes in the
//! target, and the next manifest file. What it does not cover: files that the script's own
//! programs (pip, collectstatic, ...) write into the target; a rollback leaves them as they
//! are (and keeps a folder SYNC created if such files are in it, with a note).

mod apply;
mod copy;
mod error;
mod ignore;
mod journal;
mod journal_index;
mod kudusync_cli;
mod manifest;
mod merge;
mod options;
mod plan;
mod planned;
mod walk;

pub use apply::{apply, SyncOutcome};
pub use error::SyncError;
pub use ignore::IgnoreList;
pub use journal::{Journal, RollbackReport};
pub use kudusync_cli::{kudusync_main, kudusync_main_with, JOURNAL_ENV};
pub use manifest::Manifest;
pub use options::SyncOptions;
pub use plan::{
    plan, CopyReason, DeleteReason, EntryKind, PlannedCopy, PlannedDelete, PlannedDir, SyncCounts,
    SyncPlan,
};
