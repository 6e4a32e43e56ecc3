//! Copying one entry: to a temporary name beside its final place, mode and modification
//! time kept, symlinks copied as links; and comparing contents for `/CHECKSUM`.

use super::error::SyncError;
use super::walk::EntryKind;
use std::ffi::OsString;
use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// The suffix of the temporary names copies are written to before being renamed into place.
pub(crate) const TEMP_SUFFIX: &str = ".deploy-sync-tmp";

/// The temporary name, in the same folder, that the copy of `path` is written to. It is
/// fixed (not random), so a leftover of a killed run is recognised and removed by the next.
pub(crate) fn temp_path_for(path: &Path) -> PathBuf {
    let name = path.file_name().unwrap_or_default();
    let mut temp = OsString::from(".");
    if name.len() > 200 {
        // Keep within the 255-byte name limit.
        temp.push(format!(
            "{:016x}",
            xxhash_rust::xxh3::xxh3_64(name.as_bytes())
        ));
    } else {
        temp.push(name);
    }
    temp.push(TEMP_SUFFIX);
    path.with_file_name(temp)
}

/// True when a target-only name is a temporary file left by an interrupted sync.
pub(crate) fn is_leftover_temp(name: &std::ffi::OsStr) -> bool {
    let bytes = name.as_bytes();
    bytes.starts_with(b".")
        && bytes.ends_with(TEMP_SUFFIX.as_bytes())
        && bytes.len() > TEMP_SUFFIX.len() + 1
}

/// Writes a copy of the source entry at `from` to `temp` (replacing any leftover there),
/// keeping its permission bits and modification time. Returns the bytes copied. Errors
/// name `shown`, the path the copy is for, rather than the temporary name.
pub(crate) fn copy_to_temp(
    from: &Path,
    temp: &Path,
    shown: &Path,
    kind: EntryKind,
) -> Result<u64, SyncError> {
    remove_if_present(temp).map_err(|e| rename_path(e, shown))?;
    if kind == EntryKind::Symlink {
        let link = std::fs::read_link(from).map_err(|e| source_error(from, e))?;
        std::os::unix::fs::symlink(&link, temp).map_err(|e| SyncError::io("write", shown, e))?;
        return Ok(0);
    }
    let mut input = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(from)
        .map_err(|e| source_error(from, e))?;
    let meta = input
        .metadata()
        .map_err(|e| SyncError::io("read", from, e))?;
    let mut output = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(temp)
        .map_err(|e| SyncError::io("write", shown, e))?;
    let copied = io::copy(&mut input, &mut output).map_err(|e| SyncError::io("write", shown, e))?;
    output
        .set_permissions(std::fs::Permissions::from_mode(
            meta.permissions().mode() & 0o7777,
        ))
        .map_err(|e| SyncError::io("set the mode of", shown, e))?;
    let mtime = filetime::FileTime::from_last_modification_time(&meta);
    filetime::set_file_handle_times(&output, None, Some(mtime))
        .map_err(|e| SyncError::io("set the time of", shown, e))?;
    Ok(copied)
}

/// Copies any entry (file or symlink) to `to` keeping mode and time: the journal's
/// fallback when it cannot move a file because it is on another filesystem.
pub(crate) fn copy_preserving(from: &Path, to: &Path) -> Result<(), SyncError> {
    let meta = std::fs::symlink_metadata(from).map_err(|e| SyncError::io("read", from, e))?;
    let kind = if meta.file_type().is_symlink() {
        EntryKind::Symlink
    } else {
        EntryKind::File
    };
    copy_to_temp(from, to, to, kind).map(|_| ())
}

/// The same error, naming another path.
fn rename_path(error: SyncError, shown: &Path) -> SyncError {
    match error {
        SyncError::Io { action, source, .. } => SyncError::io(action, shown, source),
        other => other,
    }
}

/// Removes a file or symlink if it is there.
pub(crate) fn remove_if_present(path: &Path) -> Result<(), SyncError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(SyncError::io("remove", path, e)),
        _ => Ok(()),
    }
}

/// A source file that cannot be opened: vanished, or another failure naming it.
fn source_error(path: &Path, error: io::Error) -> SyncError {
    if error.kind() == io::ErrorKind::NotFound {
        SyncError::SourceVanished(path.to_path_buf())
    } else {
        SyncError::io("read", path, error)
    }
}

/// True when the two files' contents differ, by their xxh3 hashes.
pub(crate) fn contents_differ(a: &Path, b: &Path) -> Result<bool, SyncError> {
    Ok(hash_file(a)? != hash_file(b)?)
}

/// The xxh3 (64-bit) hash of a file's content, read in 256 KiB blocks.
fn hash_file(path: &Path) -> Result<u64, SyncError> {
    let mut file = File::open(path).map_err(|e| SyncError::io("read", path, e))?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buffer = vec![0u8; 256 * 1024];
    loop {
        let read = file
            .read(&mut buffer)
            .map_err(|e| SyncError::io("read", path, e))?;
        if read == 0 {
            return Ok(hasher.digest());
        }
        hasher.update(&buffer[..read]);
    }
}
