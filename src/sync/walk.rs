//! Reading one folder at a time, sorted by name, without following symlinks.

use super::error::SyncError;
use std::ffi::OsString;
use std::fs::Metadata;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// What a folder entry is, as seen without following symlinks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    /// A regular file.
    File,
    /// A folder.
    Dir,
    /// A symbolic link (copied as a link, never followed).
    Symlink,
    /// A device, socket or pipe (never copied).
    Other,
}

impl EntryKind {
    /// The word used in messages.
    pub fn word(self) -> &'static str {
        match self {
            EntryKind::File => "file",
            EntryKind::Dir => "folder",
            EntryKind::Symlink => "symlink",
            EntryKind::Other => "special file",
        }
    }
}

/// One entry of a folder with what the sync compares.
#[derive(Debug)]
pub(crate) struct Entry {
    pub name: OsString,
    pub kind: EntryKind,
    pub size: u64,
    /// Modification time in milliseconds, the precision KuduSync compares at.
    pub mtime_ms: i64,
    pub mode: u32,
}

impl Entry {
    fn from_metadata(name: OsString, meta: &Metadata) -> Entry {
        let file_type = meta.file_type();
        let kind = if file_type.is_symlink() {
            EntryKind::Symlink
        } else if file_type.is_dir() {
            EntryKind::Dir
        } else if file_type.is_file() {
            EntryKind::File
        } else {
            EntryKind::Other
        };
        Entry {
            name,
            kind,
            size: meta.len(),
            mtime_ms: meta.mtime() * 1000 + meta.mtime_nsec() / 1_000_000,
            mode: meta.mode() & 0o7777,
        }
    }
}

/// The entries of `dir`, sorted by name bytes (the order KuduSync's manifest uses).
pub(crate) fn read_sorted(dir: &Path) -> Result<Vec<Entry>, SyncError> {
    let reader = std::fs::read_dir(dir).map_err(|e| SyncError::io("read folder", dir, e))?;
    let mut entries = Vec::new();
    for item in reader {
        let item = item.map_err(|e| SyncError::io("read folder", dir, e))?;
        let meta = match item.metadata() {
            Ok(meta) => meta,
            // Gone between listing and looking: as if it had never been listed.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(SyncError::io("read", item.path(), e)),
        };
        entries.push(Entry::from_metadata(item.file_name(), &meta));
    }
    entries.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    Ok(entries)
}
