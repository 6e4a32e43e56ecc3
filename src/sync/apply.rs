//! Carrying out a [`SyncPlan`]: clear what is in the way, create folders, copy files (in
//! parallel on a big tree; each to a temporary name, then renamed), delete, write the
//! manifest. A plan that changes nothing writes nothing but the manifest, and not even
//! that when it is the previous one.

use super::copy::{copy_to_temp, remove_if_present, temp_path_for};
use super::error::SyncError;
use super::journal::Journal;
use super::manifest::{link_manifest, reuse_manifest, write_manifest, ManifestWriter};
use super::merge::try_map;
use super::options::resolve_maybe_missing;
use super::plan::{DeleteReason, PlannedCopy, PlannedDelete, SyncPlan};
use super::walk::EntryKind;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// What [`apply`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct SyncOutcome {
    /// Files and symlinks copied.
    pub copied: usize,
    /// Bytes copied.
    pub bytes_copied: u64,
    /// Folders created (the target itself included when it was missing).
    pub dirs_created: usize,
    /// Files and symlinks deleted.
    pub files_deleted: usize,
    /// Folders deleted.
    pub dirs_deleted: usize,
    /// Remarks: files copied into the journal instead of moved, folders kept, ...
    pub notes: Vec<String>,
}

/// Carries out the plan. With a journal, everything replaced or deleted is first moved into
/// it and everything added is recorded, so [`Journal::rollback`] can undo the sync. With
/// `/WHATIF` nothing is changed. On an error the target holds a mix of old and new whole
/// files (never half of one) and the next manifest lists every path the sync may have put
/// there (see [`manifest`](super::Manifest)).
pub fn apply(plan: &SyncPlan, journal: Option<&Journal>) -> Result<SyncOutcome, SyncError> {
    let mut outcome = SyncOutcome::default();
    if plan.options.whatif {
        outcome
            .notes
            .push("what-if: nothing was changed".to_string());
        return Ok(outcome);
    }
    if let Some(journal) = journal {
        journal.catch_up()?;
        let dir = resolve_maybe_missing(journal.dir())?;
        for tree in [&plan.target, &plan.source] {
            if dir.starts_with(tree) {
                return Err(SyncError::JournalInsideTree {
                    journal: journal.dir().to_path_buf(),
                    tree: tree.clone(),
                });
            }
        }
    }
    let noop = plan.is_noop();
    if let (Some(journal), Some(next), false) = (journal, &plan.options.next_manifest, noop) {
        journal_manifest(journal, next)?;
    }
    if let (Some(next), false) = (&plan.options.next_manifest, noop) {
        write_union_manifest(plan, next)?;
    }
    if plan.create_target {
        outcome.dirs_created += create_target_root(&plan.target, journal)?;
    }
    for delete in &plan.clear_first {
        delete_entry(plan, delete, journal, &mut outcome)?;
    }
    for dir in &plan.dirs {
        let path = plan.target.join(&dir.path);
        if let Some(journal) = journal {
            journal.record_mkdir(&path)?;
        }
        make_dir(&path, dir.mode)?;
        outcome.dirs_created += 1;
    }
    let bytes = AtomicU64::new(0);
    let parallel = plan.parallel || plan.copies.len() >= PARALLEL_COPIES_FROM;
    try_map(parallel, plan.copies.iter().collect(), |copy| {
        copy_one(plan, copy, journal).map(|n| _ = bytes.fetch_add(n, Ordering::Relaxed))
    })?;
    outcome.copied = plan.copies.len();
    outcome.bytes_copied = bytes.into_inner();
    for delete in &plan.deletes {
        delete_entry(plan, delete, journal, &mut outcome)?;
    }
    if let Some(journal) = journal {
        journal.sync()?;
        outcome.notes.extend(journal.notes());
    }
    if let Some(next) = &plan.options.next_manifest {
        write_exact_manifest(plan, next, journal.filter(|_| noop))?;
    }
    Ok(outcome)
}

/// The number of copies from which a small tree's copies run in parallel too.
const PARALLEL_COPIES_FROM: usize = 64;

/// Copies one entry: to its temporary name, then (the old one saved in the journal)
/// renamed over its final name. Returns the bytes copied.
fn copy_one(
    plan: &SyncPlan,
    copy: &PlannedCopy,
    journal: Option<&Journal>,
) -> Result<u64, SyncError> {
    let from = plan.source.join(&copy.path);
    let to = plan.target.join(&copy.path);
    let temp = temp_path_for(&to);
    let slot = match journal {
        Some(journal) if copy.replaces => Some(journal.record_replace(&to)?),
        Some(journal) => journal.record_new(&to).map(|()| None)?,
        None => None,
    };
    let copied =
        copy_to_temp(&from, &temp, &to, copy.kind).inspect_err(|_| _ = remove_if_present(&temp))?;
    if let (Some(journal), Some(slot)) = (journal, slot) {
        journal
            .save_replaced(slot, &to)
            .inspect_err(|_| _ = remove_if_present(&temp))?;
    }
    std::fs::rename(&temp, &to).map_err(|e| {
        _ = remove_if_present(&temp);
        SyncError::io("write", &to, e)
    })?;
    Ok(copied)
}

/// Deletes one target entry (a folder only if it is empty by now; else it is kept).
fn delete_entry(
    plan: &SyncPlan,
    delete: &PlannedDelete,
    journal: Option<&Journal>,
    outcome: &mut SyncOutcome,
) -> Result<(), SyncError> {
    let path = plan.target.join(&delete.path);
    if delete.reason == DeleteReason::LeftoverTemp {
        // Garbage of a killed run: not journalled, and gone already is as good.
        remove_if_present(&path)?;
        outcome.files_deleted += 1;
        return Ok(());
    }
    if delete.kind != EntryKind::Dir {
        match journal {
            Some(journal) => journal.save_deleted(&path)?,
            None => std::fs::remove_file(&path).map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => SyncError::TargetVanished(path.clone()),
                _ => SyncError::io("delete", &path, e),
            })?,
        }
        outcome.files_deleted += 1;
        return Ok(());
    }
    let mode = std::fs::symlink_metadata(&path)
        .map(|m| m.mode() & 0o7777)
        .unwrap_or(0o755);
    if let Some(journal) = journal {
        journal.record_rmdir(&path, mode)?;
    }
    match std::fs::remove_dir(&path) {
        Ok(()) => outcome.dirs_deleted += 1,
        Err(e) if e.raw_os_error() == Some(libc::ENOTEMPTY) => {
            outcome.notes.push(format!(
                "kept folder `{}`: something was put in it during the sync",
                path.display()
            ));
        }
        Err(e) => return Err(SyncError::io("delete folder", &path, e)),
    }
    Ok(())
}

/// Creates a folder with the source folder's permission bits.
fn make_dir(path: &Path, mode: u32) -> Result<(), SyncError> {
    std::fs::DirBuilder::new()
        .mode(mode)
        .create(path)
        .and_then(|()| std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)))
        .map_err(|e| SyncError::io("create folder", path, e))
}

/// Creates the target folder and its missing parents, recording each. Returns how many.
fn create_target_root(target: &Path, journal: Option<&Journal>) -> Result<usize, SyncError> {
    let missing: Vec<&Path> = target
        .ancestors()
        .take_while(|p| std::fs::symlink_metadata(p).is_err())
        .collect();
    for path in missing.iter().rev() {
        if let Some(journal) = journal {
            journal.record_mkdir(path)?;
        }
        make_dir(path, 0o755)?;
    }
    Ok(missing.len())
}

/// Records the manifest file in the journal before its first write, so a rollback puts
/// it back as it was (or removes it) along with the target.
fn journal_manifest(journal: &Journal, next: &Path) -> Result<(), SyncError> {
    let next = resolve_maybe_missing(next)?;
    match std::fs::symlink_metadata(&next) {
        Ok(_) => {
            let slot = journal.record_replace(&next)?;
            journal.save_replaced(slot, &next)
        }
        Err(_) => journal.record_new(&next),
    }
}

/// Before any change: the previous manifest plus everything the plan puts in the target.
/// When the plan puts no path there that the previous manifest lacks, that is the previous
/// manifest itself, and a new `next` becomes a hard link to it.
fn write_union_manifest(plan: &SyncPlan, next: &Path) -> Result<(), SyncError> {
    let listed = |path: &Path| plan.previous.contains(path);
    let adds_nothing = plan.dirs.iter().all(|dir| listed(&dir.path))
        && plan.copies.iter().all(|copy| listed(&copy.path));
    if let (true, Some(previous)) = (adds_nothing, &plan.options.previous_manifest) {
        if link_manifest(previous, next)? {
            return Ok(());
        }
    }
    let mut paths: Vec<&Path> = plan.previous.paths().collect();
    paths.extend(plan.dirs.iter().map(|d| d.path.as_path()));
    paths.extend(plan.copies.iter().map(|c| c.path.as_path()));
    paths.sort_unstable();
    paths.dedup();
    let mut writer = ManifestWriter::create(next)?;
    for path in paths {
        writer.push(path)?;
    }
    writer.finish()
}

/// After success: exactly the source's paths (what is now in the target from the source),
/// in KuduSync's order (a folder, its files, then its subfolders), as the plan listed them.
/// Not written when `next` or the previous manifest holds these bytes already. A plan that
/// changed nothing did not journal the manifest (`unjournalled`): it is journalled now,
/// before it is written.
fn write_exact_manifest(
    plan: &SyncPlan,
    next: &Path,
    unjournalled: Option<&Journal>,
) -> Result<(), SyncError> {
    let bytes = plan.listing.manifest()?;
    if reuse_manifest(next, plan.options.previous_manifest.as_deref(), bytes)? {
        return Ok(());
    }
    if let Some(journal) = unjournalled {
        journal_manifest(journal, next)?;
        journal.sync()?;
    }
    write_manifest(next, bytes)
}
