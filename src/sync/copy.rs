//! Copying one entry: to a temporary name beside its final place, mode and modification
//! time kept, symlinks copied as links; and comparing contents for `/CHECKSUM`.

use super::error::SyncError;
use super::walk::EntryKind;
use std::ffi::OsString;
use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

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
    if kind == EntryKind::Symlink {
        remove_if_present(temp).map_err(|e| rename_path(e, shown))?;
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
    let mode = meta.permissions().mode() & 0o7777;
    let create = || {
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(mode)
            .open(temp)
    };
    let mut output = match create() {
        // A leftover of a killed run: replace it.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            remove_if_present(temp).map_err(|e| rename_path(e, shown))?;
            create()
        }
        other => other,
    }
    .map_err(|e| SyncError::io("write", shown, e))?;
    let copied = copy_contents(&mut input, &mut output, meta.len())
        .map_err(|e| SyncError::io("write", shown, e))?;
    if mode & umask() != 0 {
        output
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(|e| SyncError::io("set the mode of", shown, e))?;
    }
    let mtime = filetime::FileTime::from_last_modification_time(&meta);
    filetime::set_file_handle_times(&output, None, Some(mtime))
        .map_err(|e| SyncError::io("set the time of", shown, e))?;
    Ok(copied)
}

/// Copies `size` bytes with `copy_file_range` (in the kernel, no buffer here), falling
/// back to a plain copy where the filesystem does not support it.
fn copy_contents(input: &mut File, output: &mut File, size: u64) -> io::Result<u64> {
    let mut copied = 0u64;
    while copied < size {
        let chunk = (size - copied).min(1 << 30) as usize;
        let n = unsafe {
            libc::copy_file_range(
                input.as_raw_fd(),
                std::ptr::null_mut(),
                output.as_raw_fd(),
                std::ptr::null_mut(),
                chunk,
                0,
            )
        };
        match n {
            // The file shrank since it was looked at: what is there is copied.
            0 => return Ok(copied),
            n if n > 0 => copied += n as u64,
            _ => {
                let error = io::Error::last_os_error();
                return match error.raw_os_error() {
                    Some(libc::EXDEV | libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP) => {
                        Ok(copied + io::copy(input, output)?)
                    }
                    Some(libc::EINTR) => continue,
                    _ => Err(error),
                };
            }
        }
    }
    Ok(copied)
}

/// The process's umask, read once from `/proc/self/status` (setting it to read it would
/// race with other threads); all bits when unknown, so modes are always set explicitly.
fn umask() -> u32 {
    static UMASK: OnceLock<u32> = OnceLock::new();
    *UMASK.get_or_init(|| {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|status| {
                let line = status.lines().find(|l| l.starts_with("Umask:"))?;
                u32::from_str_radix(line["Umask:".len()..].trim(), 8).ok()
            })
            .unwrap_or(0o7777)
    })
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
