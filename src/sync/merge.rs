//! Walking the source and the target together, one folder at a time.
//!
//! Each folder's entries are read sorted by name and merged, so memory grows with the
//! widest folder, the changes and the source's listing (its paths, for the manifest), not
//! with anything else per file. On a big tree (the previous manifest lists
//! [`PARALLEL_FROM`] paths or more) the source and target folders are read at the same
//! time and sibling folders planned in parallel (rayon), their parts joined in name order,
//! so the plan is the same whatever the number of threads; a small tree is walked on the
//! calling thread alone, with no thread pool to start.

use super::copy::{contents_differ, is_leftover_temp};
use super::error::SyncError;
use super::ignore::IgnoreList;
use super::manifest::{Listing, Manifest};
use super::options::SyncOptions;
use super::planned::{CopyReason, DeleteReason, PlannedCopy, PlannedDelete, PlannedDir};
use super::walk::{read_sorted, Entry, EntryKind};
use rayon::prelude::*;
use std::cmp::Ordering;
use std::path::{Path, PathBuf};

/// What the walk reads but never changes.
pub(crate) struct Merge<'a> {
    pub source: &'a Path,
    pub target: &'a Path,
    pub options: &'a SyncOptions,
    pub previous: &'a Manifest,
    pub ignore: &'a IgnoreList,
    /// Whether to read and plan on rayon's threads.
    pub parallel: bool,
}

/// The number of paths in the previous manifest from which the walk goes parallel.
pub(crate) const PARALLEL_FROM: usize = 2000;

/// Runs `a` and `b`, at the same time when `parallel`.
pub(crate) fn join<A: Send, B: Send>(
    parallel: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    match parallel {
        true => rayon::join(a, b),
        false => (a(), b()),
    }
}

/// Maps every item, in parallel when `parallel`, stopping at the first error; the results
/// keep the items' order.
pub(crate) fn try_map<T: Send, R: Send, E: Send>(
    parallel: bool,
    items: Vec<T>,
    f: impl Fn(T) -> Result<R, E> + Sync + Send,
) -> Result<Vec<R>, E> {
    match parallel {
        true => items.into_par_iter().map(f).collect(),
        false => items.into_iter().map(f).collect(),
    }
}

/// The plan of one folder and everything below it.
#[derive(Default)]
pub(crate) struct Part {
    pub clear_first: Vec<PlannedDelete>,
    pub dirs: Vec<PlannedDir>,
    pub copies: Vec<PlannedCopy>,
    pub deletes: Vec<PlannedDelete>,
    pub ignored: Vec<PathBuf>,
    pub notes: Vec<String>,
    pub source_files: usize,
    pub unchanged: usize,
    /// The source's paths below this folder, in manifest order.
    pub listing: Listing,
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
        self.listing.append(other.listing);
    }
}

impl Merge<'_> {
    /// Merges one source folder with the same target folder (absent when `target_exists`
    /// is false), then plans its subfolders in parallel.
    pub(crate) fn plan_dir(&self, relative: &Path, target_exists: bool) -> Result<Part, SyncError> {
        let (source_entries, target_entries) = join(
            self.parallel,
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
                    part.clear_first.push(PlannedDelete {
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
                    if matches!(from.kind, EntryKind::File | EntryKind::Symlink) {
                        part.listing.push(&path);
                    }
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
            let changed: Vec<(PathBuf, u64, bool)> =
                try_map(self.parallel, to_hash, |(path, size): (PathBuf, u64)| {
                    let differs =
                        contents_differ(&self.source.join(&path), &self.target.join(&path))?;
                    Ok::<_, SyncError>((path, size, differs))
                })?;
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
        let names: Vec<PathBuf> = subdirs.iter().map(|(path, _)| path.clone()).collect();
        let below = try_map(self.parallel, subdirs, |(path, exists)| {
            self.plan_dir(&path, exists)
        })?;
        for (name, sub) in names.iter().zip(below) {
            part.listing.push(name);
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
