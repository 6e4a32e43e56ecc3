//! Deciding what a sync will do, without touching anything.
//!
//! Both trees are walked together one folder at a time, each folder's entries sorted by
//! name and merged, so memory grows with the widest folder and the changes, not with the
//! number of files. Unchanged files leave no trace in the plan. Sibling folders are
//! planned in parallel (rayon) and their parts joined in name order, so the plan is the
//! same whatever the number of threads.

use super::copy::{contents_differ, is_leftover_temp};
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
    let walk = Walk {
        source: &source,
        target: &target,
        options,
        previous: &previous,
        ignore: &ignore,
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
    })
}

/// What the walk reads but never changes.
struct Walk<'a> {
    source: &'a Path,
    target: &'a Path,
    options: &'a SyncOptions,
    previous: &'a Manifest,
    ignore: &'a IgnoreList,
}

/// The plan of one folder and everything below it.
#[derive(Default)]
struct Part {
    clear_first: Vec<PlannedDelete>,
    dirs: Vec<PlannedDir>,
    copies: Vec<PlannedCopy>,
    deletes: Vec<PlannedDelete>,
    ignored: Vec<PathBuf>,
    notes: Vec<String>,
    source_files: usize,
    unchanged: usize,
}

impl Part {
    fn append(&mut self, other: Part) {
        self.clear_first.extend(other.clear_first);
        self.dirs.extend(other.dirs);
        self.copies.extend(other.copies);
        self.deletes.extend(other.deletes);
        self.ignored.extend(other.ignored);
        self.notes.extend(other.notes);
        self.source_files += other.source_files;
        self.unchanged += other.unchanged;
    }
}

impl Walk<'_> {
    /// Merges one source folder with the same target folder (absent when `target_exists`
    /// is false), then plans its subfolders in parallel.
    fn plan_dir(&self, relative: &Path, target_exists: bool) -> Result<Part, SyncError> {
        let (source_entries, target_entries) = rayon::join(
            || read_sorted(&self.source.join(relative)),
            || match target_exists {
                true => read_sorted(&self.target.join(relative)),
                false => Ok(Vec::new()),
            },
        );
        let (source_entries, target_entries) = (source_entries?, target_entries?);
        let mut part = Part::default();
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
                    part.deletes.push(PlannedDelete {
                        path,
                        kind: to.kind,
                        reason: DeleteReason::LeftoverTemp,
                    });
                    continue;
                }
            }
            if self.ignore.is_ignored(&path) {
                part.ignored.push(path);
                continue;
            }
            match (from, to) {
                (Some(from), to) => {
                    if let Some(subdir) =
                        self.plan_source_entry(&mut part, path, from, to, &mut to_hash)?
                    {
                        subdirs.push(subdir);
                    }
                }
                (None, Some(to)) => {
                    self.plan_removed(&mut part, path, to, false)?;
                }
                (None, None) => unreachable!("the merge always yields an entry"),
            }
        }
        if !to_hash.is_empty() {
            let changed: Vec<(PathBuf, u64, bool)> = to_hash
                .into_par_iter()
                .map(|(path, size): (PathBuf, u64)| {
                    let differs =
                        contents_differ(&self.source.join(&path), &self.target.join(&path))?;
                    Ok((path, size, differs))
                })
                .collect::<Result<_, SyncError>>()?;
            for (path, size, differs) in changed {
                match differs {
                    true => part.copies.push(PlannedCopy {
                        path,
                        kind: EntryKind::File,
                        reason: CopyReason::ContentDiffers,
                        replaces: true,
                        size,
                    }),
                    false => part.unchanged += 1,
                }
            }
        }
        let below: Vec<Part> = subdirs
            .into_par_iter()
            .map(|(path, exists)| self.plan_dir(&path, exists))
            .collect::<Result<_, SyncError>>()?;
        for sub in below {
            part.append(sub);
        }
        Ok(part)
    }

    /// Plans one source entry against what the target has at the same path. Returns the
    /// subfolder to descend into, and whether the target has it already.
    fn plan_source_entry(
        &self,
        part: &mut Part,
        path: PathBuf,
        from: &Entry,
        to: Option<&Entry>,
        to_hash: &mut Vec<(PathBuf, u64)>,
    ) -> Result<Option<(PathBuf, bool)>, SyncError> {
        if from.kind == EntryKind::Other {
            part.notes.push(format!(
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
                if !self.plan_removed(part, path.clone(), to, true)? {
                    return Err(SyncError::KindConflict {
                        path: self.target.join(&path),
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
                part.dirs.push(PlannedDir {
                    path: path.clone(),
                    mode: from.mode,
                });
            }
            return Ok(Some((path, to.is_some())));
        }
        part.source_files += 1;
        let reason = match to {
            None => Some(CopyReason::New),
            Some(to) if to.kind != from.kind => Some(CopyReason::KindDiffers),
            Some(_) if from.kind == EntryKind::Symlink => {
                let read = |root: &Path| {
                    std::fs::read_link(root.join(&path))
                        .map_err(|e| SyncError::io("read symlink", root.join(&path), e))
                };
                (read(self.source)? != read(self.target)?).then_some(CopyReason::ContentDiffers)
            }
            Some(to) if to.size != from.size => Some(CopyReason::SizeDiffers),
            Some(to) if to.mtime_ms != from.mtime_ms => Some(CopyReason::TimeDiffers),
            Some(_) if self.options.checksum => {
                to_hash.push((path, from.size));
                return Ok(None);
            }
            Some(_) => None,
        };
        match reason {
            Some(reason) => part.copies.push(PlannedCopy {
                path,
                kind: from.kind,
                reason,
                replaces: to.is_some(),
                size: from.size,
            }),
            None => part.unchanged += 1,
        }
        Ok(None)
    }

    /// True when SYNC may delete this target path: manifests off, or the previous one lists it.
    fn deletable(&self, path: &Path) -> bool {
        !self.options.use_manifest || self.previous.contains(path)
    }

    /// Plans the removal of a target entry the source lacks (or has as another kind, when
    /// `in_the_way`). Returns true when the entry will be gone.
    fn plan_removed(
        &self,
        part: &mut Part,
        path: PathBuf,
        entry: &Entry,
        in_the_way: bool,
    ) -> Result<bool, SyncError> {
        if !self.deletable(&path) {
            return Ok(false);
        }
        let reason = match (in_the_way, self.options.use_manifest) {
            (true, _) => DeleteReason::KindChanged,
            (false, true) => DeleteReason::RemovedListed,
            (false, false) => DeleteReason::RemovedNoManifest,
        };
        let mut planned = Vec::new();
        let gone = if entry.kind == EntryKind::Dir {
            self.plan_remove_tree(&path, reason, &mut planned)?
        } else {
            planned.push(PlannedDelete {
                path,
                kind: entry.kind,
                reason,
            });
            true
        };
        match (in_the_way, gone) {
            (true, true) => part.clear_first.extend(planned),
            (true, false) => {}
            (false, _) => part.deletes.extend(planned),
        }
        Ok(gone)
    }

    /// Plans the removal of a listed target folder the source lacks: its listed files, its
    /// listed subfolders that end up empty, then itself if it ends up empty. Returns true
    /// when the folder itself goes.
    fn plan_remove_tree(
        &self,
        path: &Path,
        reason: DeleteReason,
        out: &mut Vec<PlannedDelete>,
    ) -> Result<bool, SyncError> {
        let mut remaining = 0usize;
        for entry in read_sorted(&self.target.join(path))? {
            let child = path.join(&entry.name);
            let goes = !self.ignore.is_ignored(&child)
                && self.deletable(&child)
                && match entry.kind {
                    EntryKind::Dir => self.plan_remove_tree(&child, reason, out)?,
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
}
