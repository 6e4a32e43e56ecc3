//! Deciding what a sync will do, without touching anything: the whole plan, and [`plan`],
//! which checks the folders and hands the walk to [`merge`](super::merge).

use super::error::SyncError;
use super::ignore::IgnoreList;
use super::manifest::{Listing, Manifest};
use super::merge::{Merge, PARALLEL_FROM};
use super::options::{resolve_folders, SyncOptions};
pub use super::planned::{CopyReason, DeleteReason, PlannedCopy, PlannedDelete, PlannedDir};
pub use super::walk::EntryKind;
use std::path::{Path, PathBuf};

/// How much a plan does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct SyncCounts {
    /// Files and symlinks in the source (not ignored).
    pub source_files: usize,
    /// Files and symlinks to copy.
    pub copies: usize,
    /// Bytes to copy.
    pub copy_bytes: u64,
    /// Folders to create.
    pub dirs_created: usize,
    /// Files and symlinks to delete.
    pub files_deleted: usize,
    /// Folders to delete.
    pub dirs_deleted: usize,
    /// Files already up to date.
    pub unchanged: usize,
}

/// What a sync will do and why: the one decision that `--dry-run` prints, that
/// [`apply`](super::apply) carries out and that the report summarises.
#[derive(Debug, serde::Serialize)]
pub struct SyncPlan {
    /// The options it was made from.
    pub options: SyncOptions,
    /// The source folder, absolute and resolved.
    pub source: PathBuf,
    /// The target folder, absolute and resolved.
    pub target: PathBuf,
    /// True when the target folder does not exist yet.
    pub create_target: bool,
    /// Target entries in the way of a copy (another kind) and temporary files a killed
    /// run left, deleted first.
    pub clear_first: Vec<PlannedDelete>,
    /// Folders to create, parents first.
    pub dirs: Vec<PlannedDir>,
    /// Files and symlinks to copy, in walk order.
    pub copies: Vec<PlannedCopy>,
    /// Entries to delete after copying, children before their folder.
    pub deletes: Vec<PlannedDelete>,
    /// Paths left alone because an ignore pattern matched (folders are not entered).
    pub ignored: Vec<PathBuf>,
    /// Remarks, e.g. special files that are not copied.
    pub notes: Vec<String>,
    /// Totals.
    pub counts: SyncCounts,
    /// The previous manifest as read.
    #[serde(skip)]
    pub previous: Manifest,
    #[serde(skip)]
    pub(crate) ignore: IgnoreList,
    /// The source's paths in manifest order, for the manifest written after the sync.
    #[serde(skip)]
    pub(crate) listing: Listing,
    /// Whether the walk ran, and the copies run, on several threads (a big tree).
    #[serde(skip)]
    pub(crate) parallel: bool,
}

impl SyncPlan {
    /// One line per change, `copy `x` (new)` / `delete `y` (removed from source, ...)`.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        let delete_line = |d: &PlannedDelete| {
            format!(
                "delete {} `{}` ({})",
                d.kind.word(),
                d.path.display(),
                d.reason.text()
            )
        };
        lines.extend(self.clear_first.iter().map(delete_line));
        lines.extend(
            self.dirs
                .iter()
                .map(|d| format!("create folder `{}`", d.path.display())),
        );
        lines.extend(self.copies.iter().map(|c| {
            format!(
                "copy {} `{}` ({})",
                c.kind.word(),
                c.path.display(),
                c.reason.text()
            )
        }));
        lines.extend(self.deletes.iter().map(delete_line));
        lines
    }

    /// True when applying it would change nothing in the target.
    pub fn is_noop(&self) -> bool {
        !self.create_target
            && self.clear_first.is_empty()
            && self.dirs.is_empty()
            && self.copies.is_empty()
            && self.deletes.is_empty()
    }
}

/// Reads the source, the target and the previous manifest and decides what to do.
/// Changes nothing. Refuses a missing source, equal or nested folders, bad ignore globs.
pub fn plan(options: &SyncOptions) -> Result<SyncPlan, SyncError> {
    let (source, target) = resolve_folders(options)?;
    let ignore = IgnoreList::new(&options.ignore)?;
    // Read even with manifests off: the next manifest starts as its union with the plan.
    let previous = Manifest::load(options.previous_manifest.as_deref())?;
    let target_exists = match std::fs::symlink_metadata(&target) {
        Ok(meta) if meta.is_dir() => true,
        Ok(_) => {
            return Err(SyncError::KindConflict {
                path: options.target.clone(),
                target_kind: "file",
                source_kind: "folder",
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(SyncError::io("read", &target, e)),
    };
    let parallel = previous.len() >= PARALLEL_FROM;
    let walk = Merge {
        source: &source,
        target: &target,
        options,
        previous: &previous,
        ignore: &ignore,
        parallel,
    };
    let part = walk.plan_dir(Path::new(""), target_exists)?;
    let mut counts = SyncCounts {
        source_files: part.source_files,
        copies: part.copies.len(),
        copy_bytes: part.copies.iter().map(|c| c.size).sum(),
        dirs_created: part.dirs.len(),
        unchanged: part.unchanged,
        ..SyncCounts::default()
    };
    for delete in part.clear_first.iter().chain(&part.deletes) {
        match delete.kind {
            EntryKind::Dir => counts.dirs_deleted += 1,
            _ => counts.files_deleted += 1,
        }
    }
    Ok(SyncPlan {
        options: options.clone(),
        source,
        target,
        create_target: !target_exists,
        clear_first: part.clear_first,
        dirs: part.dirs,
        copies: part.copies,
        deletes: part.deletes,
        ignored: part.ignored,
        notes: part.notes,
        counts,
        previous,
        ignore,
        listing: part.listing,
        parallel,
    })
}
