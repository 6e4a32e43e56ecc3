//! The transaction journal: what SYNC changed in a target, so a failed deploy can put the
//! site back as it was.
//!
//! Layout of the journal folder (the deployment state folder chooses where):
//! - `index`: one record per line, appended with a single `write` before the change it
//!   describes (so a killed process never loses a record), fsynced when the journal is
//!   created and by [`Journal::sync`] when a sync ends. A torn last line is ignored. It is
//!   created with the first record, not with the journal: a deploy whose syncs change
//!   nothing writes no journal at all.
//! - `files/<n>`: the entries that were replaced or deleted, moved here by rename (a hard
//!   link for replaced files, so the old file stays readable until the new one is renamed
//!   over it). Where the journal is on another filesystem than the target, they are copied
//!   here instead (`files/<n>.partial`, then renamed) and a note says so.
//!
//! Records hold absolute paths, so one journal can cover several syncs of a deploy:
//! `new P` (an entry is placed at P, which did not exist), `replace N P`, `delete N P`,
//! `mkdir P`, `rmdir MODE P`, and `commit`. Every record's undo tolerates the change not
//! having happened yet, so a rollback is correct wherever the sync was interrupted, and
//! can itself be interrupted and run again.

use super::copy::{copy_preserving, remove_if_present, temp_path_for};
use super::error::SyncError;
use super::journal_index::{read_records, Record, HEADER};
use fs4::fs_std::FileExt;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;

/// An open journal that [`apply`](super::apply) records into.
#[derive(Debug)]
pub struct Journal {
    dir: PathBuf,
    /// The open index; `None` until the first record (or a hold) creates or opens it.
    index: Mutex<Option<File>>,
    next_slot: AtomicU64,
    copying: AtomicBool,
    notes: Mutex<Vec<String>>,
}

/// What a rollback did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct RollbackReport {
    /// Files and symlinks put back from the journal.
    pub restored: usize,
    /// Files, symlinks and folders SYNC had added, removed.
    pub removed: usize,
    /// Folders SYNC had deleted, recreated.
    pub recreated_dirs: usize,
    /// Things a rollback left as they were, and why.
    pub notes: Vec<String>,
}

impl Journal {
    /// Starts a new journal in `dir`. Refuses a folder that holds an unfinished journal:
    /// roll that back first ([`Journal::open_unfinished`]). Nothing is written until the
    /// first record: the folder and its index are created then.
    pub fn create(dir: &Path) -> Result<Journal, SyncError> {
        if Journal::open_unfinished(dir)?.is_some() {
            return Err(SyncError::JournalUnfinished(dir.to_path_buf()));
        }
        Ok(Journal::with_index(dir, None, 0))
    }

    /// Continues the unfinished journal in `dir`, or starts one: for several syncs of one
    /// deploy recording into the same journal.
    pub fn resume(dir: &Path) -> Result<Journal, SyncError> {
        match Journal::open_unfinished(dir)? {
            Some(journal) => Ok(journal),
            None => Journal::create(dir),
        }
    }

    /// Opens the journal a killed or failed run left in `dir`, to roll it back. `None` when
    /// there is none (or it was committed: then its leftovers are removed).
    pub fn open_unfinished(dir: &Path) -> Result<Option<Journal>, SyncError> {
        let index_path = dir.join("index");
        let records = match read_records(&index_path) {
            Ok(records) => records,
            Err(SyncError::Io { source, .. }) if source.kind() == io::ErrorKind::NotFound => {
                return Ok(None)
            }
            Err(e) => return Err(e),
        };
        if records.last() == Some(&Record::Commit) {
            std::fs::remove_dir_all(dir).map_err(|e| SyncError::io("remove journal", dir, e))?;
            return Ok(None);
        }
        Journal::open_index(dir).map(Some)
    }

    fn open_index(dir: &Path) -> Result<Journal, SyncError> {
        let index_path = dir.join("index");
        let index = OpenOptions::new()
            .append(true)
            .open(&index_path)
            .map_err(|e| SyncError::io("open journal", &index_path, e))?;
        let next_slot = first_free_slot(&index_path)?;
        Ok(Journal::with_index(dir, Some(index), next_slot))
    }

    fn with_index(dir: &Path, index: Option<File>, next_slot: u64) -> Journal {
        Journal {
            dir: dir.to_path_buf(),
            index: Mutex::new(index),
            next_slot: AtomicU64::new(next_slot),
            copying: AtomicBool::new(false),
            notes: Mutex::new(Vec::new()),
        }
    }

    /// The open index, created on disk first when there is none: the header written to a
    /// temporary file, synced, renamed into place, and the folder synced, so the index is
    /// on disk before the first change it describes. An index another process created (a
    /// KuduSync child of the deploy) is continued.
    fn index(&self) -> Result<std::sync::MutexGuard<'_, Option<File>>, SyncError> {
        let mut index = self.index.lock().unwrap_or_else(|e| e.into_inner());
        if index.is_none() {
            let index_path = self.dir.join("index");
            if std::fs::symlink_metadata(&index_path).is_err() {
                let files = self.dir.join("files");
                std::fs::create_dir_all(&files)
                    .map_err(|e| SyncError::io("create journal folder", &files, e))?;
                let temp = self.dir.join("index.tmp");
                std::fs::write(&temp, HEADER)
                    .and_then(|()| File::open(&temp)?.sync_all())
                    .and_then(|()| std::fs::rename(&temp, &index_path))
                    .and_then(|()| File::open(&self.dir)?.sync_all())
                    .map_err(|e| SyncError::io("write journal", &index_path, e))?;
            }
            let file = OpenOptions::new()
                .append(true)
                .open(&index_path)
                .map_err(|e| SyncError::io("open journal", &index_path, e))?;
            self.next_slot
                .fetch_max(first_free_slot(&index_path)?, Ordering::Relaxed);
            *index = Some(file);
        }
        Ok(index)
    }

    /// Marks this process as writing into the journal until it exits (an exclusive lock on
    /// the index), so a run that finds the journal unfinished waits for it before rolling
    /// back ([`Journal::wait_for_writers`]). A KuduSync child takes it: killing run-deploy
    /// does not kill the child, which goes on syncing and recording.
    pub fn hold_while_writing(&self) -> Result<(), SyncError> {
        let index = self.index()?;
        let file = index.as_ref().expect("the index was just opened");
        FileExt::lock_exclusive(file)
            .map_err(|e| SyncError::io("lock journal", self.dir.join("index"), e))
    }

    /// Waits until no process holds the journal in `dir` for writing, calling `waiting`
    /// first when one does. Returns whether it waited.
    pub fn wait_for_writers(dir: &Path, waiting: impl FnOnce()) -> Result<bool, SyncError> {
        let index_path = dir.join("index");
        let index = match File::open(&index_path) {
            Ok(index) => index,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(SyncError::io("open journal", &index_path, e)),
        };
        let locked = |e| SyncError::io("lock journal", &index_path, e);
        if FileExt::try_lock_exclusive(&index).map_err(locked)? {
            return Ok(false);
        }
        waiting();
        FileExt::lock_exclusive(&index).map_err(locked)?;
        Ok(true)
    }

    /// Takes in the records other processes appended since this journal was opened (a
    /// KuduSync child of the deploy records into the same folder), so no slot is used twice.
    pub fn catch_up(&self) -> Result<(), SyncError> {
        let free = first_free_slot(&self.dir.join("index"))?;
        self.next_slot.fetch_max(free, Ordering::Relaxed);
        Ok(())
    }

    /// The journal folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Remarks made while recording, e.g. that files were copied, not moved.
    pub fn notes(&self) -> Vec<String> {
        self.notes.lock().map(|n| n.clone()).unwrap_or_default()
    }

    /// Flushes the index to disk (nothing to do when nothing was recorded).
    pub fn sync(&self) -> Result<(), SyncError> {
        let index = self.index.lock().unwrap_or_else(|e| e.into_inner());
        match index.as_ref() {
            Some(file) => file
                .sync_all()
                .map_err(|e| SyncError::io("write journal", self.dir.join("index"), e)),
            None => Ok(()),
        }
    }

    /// True when anything was recorded: by this journal, or by another process (a
    /// KuduSync child) into the same folder.
    pub fn recorded_anything(&self) -> bool {
        self.has_index()
    }

    /// True when an index exists: this journal, or another process, recorded something.
    fn has_index(&self) -> bool {
        let opened = self.index.lock().map(|i| i.is_some()).unwrap_or(true);
        opened || std::fs::symlink_metadata(self.dir.join("index")).is_ok()
    }

    /// The sync succeeded and the deploy too: forget the saved files. A journal nobody
    /// recorded into has nothing to forget and writes nothing.
    pub fn commit(self) -> Result<(), SyncError> {
        if !self.has_index() {
            return Ok(());
        }
        self.append(&Record::Commit)?;
        self.sync()?;
        std::fs::remove_dir_all(&self.dir)
            .map_err(|e| SyncError::io("remove journal", &self.dir, e))
    }

    /// Puts the target back as it was: saved files return, added entries go, deleted
    /// folders come back; then the journal is removed.
    pub fn rollback(self) -> Result<RollbackReport, SyncError> {
        if !self.has_index() {
            return Ok(RollbackReport::default());
        }
        let records = read_records(&self.dir.join("index"))?;
        let mut report = RollbackReport::default();
        for record in records.iter().rev() {
            self.undo(record, &mut report)?;
        }
        drop(self.index);
        std::fs::remove_dir_all(&self.dir)
            .map_err(|e| SyncError::io("remove journal", &self.dir, e))?;
        Ok(report)
    }

    fn undo(&self, record: &Record, report: &mut RollbackReport) -> Result<(), SyncError> {
        match record {
            Record::New(path) => {
                remove_if_present(&temp_path_for(path))?;
                if std::fs::symlink_metadata(path).is_ok() {
                    remove_if_present(path)?;
                    report.removed += 1;
                }
            }
            Record::Replace(slot, path) | Record::Delete(slot, path) => {
                remove_if_present(&temp_path_for(path))?;
                let saved = self.slot_path(*slot);
                if std::fs::symlink_metadata(&saved).is_ok() {
                    std::fs::rename(&saved, path).or_else(|e| match e.raw_os_error() {
                        // Another filesystem: copied beside it, then renamed into place.
                        Some(libc::EXDEV) => {
                            let temp = temp_path_for(path);
                            copy_preserving(&saved, &temp)?;
                            std::fs::rename(&temp, path)
                                .map_err(|e| SyncError::io("restore", path, e))
                        }
                        _ => Err(SyncError::io("restore", path, e)),
                    })?;
                    report.restored += 1;
                }
            }
            Record::Mkdir(path) => match std::fs::remove_dir(path) {
                Ok(()) => report.removed += 1,
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(_) => report.notes.push(format!(
                    "kept folder `{}`: it holds files SYNC did not put there",
                    path.display()
                )),
            },
            Record::Rmdir(mode, path) => {
                if std::fs::symlink_metadata(path).is_err() {
                    std::fs::DirBuilder::new()
                        .mode(*mode)
                        .create(path)
                        .and_then(|()| {
                            std::fs::set_permissions(path, std::fs::Permissions::from_mode(*mode))
                        })
                        .map_err(|e| SyncError::io("recreate folder", path, e))?;
                    report.recreated_dirs += 1;
                }
            }
            Record::Commit => {}
        }
        Ok(())
    }

    /// Records that an entry will be placed at `path`, where there is none.
    pub(crate) fn record_new(&self, path: &Path) -> Result<(), SyncError> {
        self.append(&Record::New(path.to_path_buf()))
    }

    /// Records that a folder will be created.
    pub(crate) fn record_mkdir(&self, path: &Path) -> Result<(), SyncError> {
        self.append(&Record::Mkdir(path.to_path_buf()))
    }

    /// Records that an empty folder will be removed.
    pub(crate) fn record_rmdir(&self, path: &Path, mode: u32) -> Result<(), SyncError> {
        self.append(&Record::Rmdir(mode, path.to_path_buf()))
    }

    /// Records that the entry at `path` will be replaced (before its copy is written to
    /// the temporary name, so a rollback removes that too). Returns the slot to save into.
    pub(crate) fn record_replace(&self, path: &Path) -> Result<u64, SyncError> {
        let slot = self.next_slot.fetch_add(1, Ordering::Relaxed);
        self.append(&Record::Replace(slot, path.to_path_buf()))?;
        Ok(slot)
    }

    /// Saves the entry at `path` into its slot: a hard link, so it stays in place until the
    /// caller renames the new entry over it.
    pub(crate) fn save_replaced(&self, slot: u64, path: &Path) -> Result<(), SyncError> {
        let saved = self.slot_path(slot);
        match std::fs::hard_link(path, &saved) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                Err(SyncError::TargetVanished(path.to_path_buf()))
            }
            Err(e) if e.raw_os_error() == Some(libc::EXDEV) => self.copy_into(path, &saved),
            Err(_) => std::fs::rename(path, &saved)
                .map_err(|e| SyncError::io("move into the journal", path, e)),
        }
    }

    /// Records the deletion of `path` and moves the entry into the journal.
    pub(crate) fn save_deleted(&self, path: &Path) -> Result<(), SyncError> {
        let slot = self.next_slot.fetch_add(1, Ordering::Relaxed);
        self.append(&Record::Delete(slot, path.to_path_buf()))?;
        let saved = self.slot_path(slot);
        match std::fs::rename(path, &saved) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                Err(SyncError::TargetVanished(path.to_path_buf()))
            }
            Err(e) if e.raw_os_error() == Some(libc::EXDEV) => {
                self.copy_into(path, &saved)?;
                std::fs::remove_file(path).map_err(|e| SyncError::io("delete", path, e))
            }
            Err(e) => Err(SyncError::io("move into the journal", path, e)),
        }
    }

    /// Copies an entry into a slot (another filesystem): to `N.partial`, then renamed, so
    /// a rollback never restores half a file.
    fn copy_into(&self, path: &Path, saved: &Path) -> Result<(), SyncError> {
        if !self.copying.swap(true, Ordering::Relaxed) {
            if let Ok(mut notes) = self.notes.lock() {
                notes.push(format!(
                    "journal `{}` is on another filesystem than the target: replaced and deleted files are copied into it, not moved (slower); keep the state folder beside the target",
                    self.dir.display()
                ));
            }
        }
        let partial = saved.with_extension("partial");
        copy_preserving(path, &partial).map_err(|e| match e {
            SyncError::SourceVanished(p) => SyncError::TargetVanished(p),
            other => other,
        })?;
        std::fs::rename(&partial, saved).map_err(|e| SyncError::io("write journal", saved, e))
    }

    fn slot_path(&self, slot: u64) -> PathBuf {
        self.dir.join("files").join(slot.to_string())
    }

    fn append(&self, record: &Record) -> Result<(), SyncError> {
        let line = record.encode();
        let mut index = self.index()?;
        let file = index.as_mut().expect("the index was just opened");
        file.write_all(&line)
            .map_err(|e| SyncError::io("write journal", self.dir.join("index"), e))
    }
}

/// The first slot no record of the index at `index_path` uses (0 when there is no index).
fn first_free_slot(index_path: &Path) -> Result<u64, SyncError> {
    let records = match read_records(index_path) {
        Ok(records) => records,
        Err(SyncError::Io { source, .. }) if source.kind() == io::ErrorKind::NotFound => {
            return Ok(0)
        }
        Err(e) => return Err(e),
    };
    Ok(records
        .iter()
        .filter_map(|r| match r {
            Record::Replace(n, _) | Record::Delete(n, _) => Some(n + 1),
            _ => None,
        })
        .max()
        .unwrap_or(0))
}
