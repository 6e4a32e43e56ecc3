//! Deciding what a sync will do, without touching anything.
//!
//! Both trees are walked together one folder at a time, each folder's entries sorted by
//! name and merged, so memory grows with the widest folder and the changes, not with the
//! number of files. Unchanged files leave no trace in the plan.

use super::copy::is_leftover_temp;
use super::error::SyncError;
use super::ignore::IgnoreList;
use super::manifest::Manifest;
use super::options::{resolve_folders, SyncOptions};
pub use super::walk::EntryKind;
use super::walk::{read_sorted, Entry};
use rayon::prelude::*;
use std::cmp::Ordering;
use std::path::{Path, PathBuf};

/// Why a file is copied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CopyReason {
    /// The target lacks it.
    New,
    /// Sizes differ.
    SizeDiffers,
    /// Modification times differ (compared to the millisecond, as KuduSync does).
    TimeDiffers,
    /// Same size and time, different content (only with `/CHECKSUM`), or a symlink that
    /// points elsewhere.
    ContentDiffers,
    /// The target has another kind of entry there (a file where a symlink goes, ...).
    KindDiffers,
}

impl CopyReason {
    /// The words printed after the path.
    pub fn text(self) -> &'static str {
        match self {
            CopyReason::New => "new",
            CopyReason::SizeDiffers => "size differs",
            CopyReason::TimeDiffers => "time differs",
            CopyReason::ContentDiffers => "content differs",
            CopyReason::KindDiffers => "kind differs",
        }
    }
}

/// Why a target entry is deleted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeleteReason {
    /// The source lacks it and the previous manifest lists it.
    RemovedListed,
    /// The source lacks it and manifests are off (`/NOMANIFEST`).
    RemovedNoManifest,
    /// The source has another kind of entry there; this one is SYNC's to remove.
    KindChanged,
    /// A temporary file an interrupted sync left behind.
    LeftoverTemp,
}

impl DeleteReason {
    /// The words printed after the path.
    pub fn text(self) -> &'static str {
        match self {
            DeleteReason::RemovedListed => "removed from source, listed in previous manifest",
            DeleteReason::RemovedNoManifest => "removed from source, no manifest",
            DeleteReason::KindChanged => "replaced by another kind in source",
            DeleteReason::LeftoverTemp => "temporary file left by an interrupted sync",
        }
    }
}

/// A file or symlink to copy from the source into the target.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PlannedCopy {
    /// Path relative to both roots.
    pub path: PathBuf,
    /// File or symlink.
    pub kind: EntryKind,
    /// Why it is copied.
    pub reason: CopyReason,
    /// True when a target entry is there and will be replaced (and journalled).
    pub replaces: bool,
    /// Its size in the source.
    pub size: u64,
}

/// A folder to create in the target.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PlannedDir {
    /// Path relative to both roots.
    pub path: PathBuf,
    /// Permission bits of the source folder.
    pub mode: u32,
}

/// A target entry to delete.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PlannedDelete {
    /// Path relative to the target.
    pub path: PathBuf,
    /// What is there now.
    pub kind: EntryKind,
    /// Why it goes.
    pub reason: DeleteReason,
}

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
#[derive(Debug)]
pub struct SyncPlan {
    /// The options it was made from.
    pub options: SyncOptions,
    /// The source folder, absolute and resolved.
    pub source: PathBuf,
    /// The target folder, absolute and resolved.
    pub target: PathBuf,
    /// True when the target folder does not exist yet.
    pub create_target: bool,
    /// Target entries in the way of a copy (another kind), deleted first.
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
    pub previous: Manifest,
    pub(crate) ignore: IgnoreList,
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
    let mut plan = SyncPlan {
        options: options.clone(),
        source,
        target,
        create_target: !target_exists,
        clear_first: Vec::new(),
        dirs: Vec::new(),
        copies: Vec::new(),
        deletes: Vec::new(),
        ignored: Vec::new(),
        notes: Vec::new(),
        counts: SyncCounts::default(),
        previous,
        ignore,
    };
    plan_dir(&mut plan, Path::new(""), target_exists)?;
    plan.counts.copies = plan.copies.len();
    plan.counts.copy_bytes = plan.copies.iter().map(|c| c.size).sum();
    plan.counts.dirs_created = plan.dirs.len();
    for delete in plan.clear_first.iter().chain(&plan.deletes) {
        match delete.kind {
            EntryKind::Dir => plan.counts.dirs_deleted += 1,
            _ => plan.counts.files_deleted += 1,
        }
    }
    Ok(plan)
}

/// Merges one source folder with the same target folder (absent when `target_exists` is
/// false), then descends into the source's subfolders.
fn plan_dir(plan: &mut SyncPlan, relative: &Path, target_exists: bool) -> Result<(), SyncError> {
    let source_entries = read_sorted(&plan.source.join(relative))?;
    let target_entries = if target_exists {
        read_sorted(&plan.target.join(relative))?
    } else {
        Vec::new()
    };
    let mut to_hash = Vec::new();
    let mut subdirs = Vec::new();
    let (mut s, mut t) = (
        source_entries.iter().peekable(),
        target_entries.iter().peekable(),
    );
    loop {
        let order = match (s.peek(), t.peek()) {
            (None, None) => break,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some(a), Some(b)) => a.name.cmp(&b.name),
        };
        let (from, to) = match order {
            Ordering::Less => (s.next(), None),
            Ordering::Greater => (None, t.next()),
            Ordering::Equal => (s.next(), t.next()),
        };
        let name = from.or(to).map(|e| e.name.as_os_str()).unwrap_or_default();
        let path = relative.join(name);
        if let (None, Some(to)) = (from, to) {
            if is_leftover_temp(name) && to.kind != EntryKind::Dir {
                plan.deletes.push(PlannedDelete {
                    path,
                    kind: to.kind,
                    reason: DeleteReason::LeftoverTemp,
                });
                continue;
            }
        }
        if plan.ignore.is_ignored(&path) {
            plan.ignored.push(path);
            continue;
        }
        match (from, to) {
            (Some(from), to) => {
                if let Some(subdir) = plan_source_entry(plan, path, from, to, &mut to_hash)? {
                    subdirs.push(subdir);
                }
            }
            (None, Some(to)) => {
                plan_removed(plan, path, to, false)?;
            }
            (None, None) => unreachable!("the merge always yields an entry"),
        }
    }
    if !to_hash.is_empty() {
        let (source_root, target_root) = (&plan.source, &plan.target);
        let changed: Vec<(PathBuf, u64, bool)> = to_hash
            .into_par_iter()
            .map(|(path, size): (PathBuf, u64)| {
                let differs = super::copy::contents_differ(
                    &source_root.join(&path),
                    &target_root.join(&path),
                )?;
                Ok((path, size, differs))
            })
            .collect::<Result<_, SyncError>>()?;
        for (path, size, differs) in changed {
            if differs {
                plan.copies.push(PlannedCopy {
                    path,
                    kind: EntryKind::File,
                    reason: CopyReason::ContentDiffers,
                    replaces: true,
                    size,
                });
            } else {
                plan.counts.unchanged += 1;
            }
        }
    }
    for (path, exists) in subdirs {
        plan_dir(plan, &path, exists)?;
    }
    Ok(())
}

/// Plans one source entry against what the target has at the same path. Returns the
/// subfolder to descend into, and whether the target has it already.
fn plan_source_entry(
    plan: &mut SyncPlan,
    path: PathBuf,
    from: &Entry,
    to: Option<&Entry>,
    to_hash: &mut Vec<(PathBuf, u64)>,
) -> Result<Option<(PathBuf, bool)>, SyncError> {
    if from.kind == EntryKind::Other {
        plan.notes.push(format!(
            "skipped `{}`: a {} is never copied",
            path.display(),
            from.kind.word()
        ));
        return Ok(None);
    }
    // Another kind of entry is in the way: remove it first if it is SYNC's, else refuse.
    let to = match to {
        Some(to)
            if (to.kind == EntryKind::Dir) != (from.kind == EntryKind::Dir)
                || to.kind == EntryKind::Other =>
        {
            if !plan_removed(plan, path.clone(), to, true)? {
                return Err(SyncError::KindConflict {
                    path: plan.target.join(&path),
                    target_kind: to.kind.word(),
                    source_kind: from.kind.word(),
                });
            }
            None
        }
        other => other,
    };
    if from.kind == EntryKind::Dir {
        if to.is_none() {
            plan.dirs.push(PlannedDir {
                path: path.clone(),
                mode: from.mode,
            });
        }
        return Ok(Some((path, to.is_some())));
    }
    plan.counts.source_files += 1;
    let reason = match to {
        None => Some(CopyReason::New),
        Some(to) if to.kind != from.kind => Some(CopyReason::KindDiffers),
        Some(_) if from.kind == EntryKind::Symlink => {
            let read = |root: &Path| {
                std::fs::read_link(root.join(&path))
                    .map_err(|e| SyncError::io("read symlink", root.join(&path), e))
            };
            (read(&plan.source)? != read(&plan.target)?).then_some(CopyReason::ContentDiffers)
        }
        Some(to) if to.size != from.size => Some(CopyReason::SizeDiffers),
        Some(to) if to.mtime_ms != from.mtime_ms => Some(CopyReason::TimeDiffers),
        Some(_) if plan.options.checksum => {
            to_hash.push((path, from.size));
            return Ok(None);
        }
        Some(_) => None,
    };
    match reason {
        Some(reason) => plan.copies.push(PlannedCopy {
            path,
            kind: from.kind,
            reason,
            replaces: to.is_some(),
            size: from.size,
        }),
        None => plan.counts.unchanged += 1,
    }
    Ok(None)
}

/// True when SYNC may delete this target path: manifests off, or the previous one lists it.
fn deletable(plan: &SyncPlan, path: &Path) -> bool {
    !plan.options.use_manifest || plan.previous.contains(path)
}

/// Plans the removal of a target entry the source lacks (or has as another kind, when
/// `in_the_way`). Returns true when the entry will be gone.
fn plan_removed(
    plan: &mut SyncPlan,
    path: PathBuf,
    entry: &Entry,
    in_the_way: bool,
) -> Result<bool, SyncError> {
    if !deletable(plan, &path) {
        return Ok(false);
    }
    let reason = match (in_the_way, plan.options.use_manifest) {
        (true, _) => DeleteReason::KindChanged,
        (false, true) => DeleteReason::RemovedListed,
        (false, false) => DeleteReason::RemovedNoManifest,
    };
    let mut planned = Vec::new();
    let gone = if entry.kind == EntryKind::Dir {
        plan_remove_tree(plan, &path, reason, &mut planned)?
    } else {
        planned.push(PlannedDelete {
            path,
            kind: entry.kind,
            reason,
        });
        true
    };
    if in_the_way {
        if gone {
            plan.clear_first.extend(planned);
        }
    } else {
        plan.deletes.extend(planned);
    }
    Ok(gone)
}

/// Plans the removal of a listed target folder the source lacks: its listed files, its
/// listed subfolders that end up empty, then itself if it ends up empty. Returns true when
/// the folder itself goes.
fn plan_remove_tree(
    plan: &SyncPlan,
    path: &Path,
    reason: DeleteReason,
    out: &mut Vec<PlannedDelete>,
) -> Result<bool, SyncError> {
    let mut remaining = 0usize;
    for entry in read_sorted(&plan.target.join(path))? {
        let child = path.join(&entry.name);
        let goes = !plan.ignore.is_ignored(&child)
            && deletable(plan, &child)
            && match entry.kind {
                EntryKind::Dir => plan_remove_tree(plan, &child, reason, out)?,
                kind => {
                    out.push(PlannedDelete {
                        path: child,
                        kind,
                        reason,
                    });
                    true
                }
            };
        remaining += usize::from(!goes);
    }
    if remaining == 0 {
        out.push(PlannedDelete {
            path: path.to_path_buf(),
            kind: EntryKind::Dir,
            reason,
        });
    }
    Ok(remaining == 0)
}
