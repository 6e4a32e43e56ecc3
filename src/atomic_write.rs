//! The one way a file in the state folder is written: to a temporary name in the same
//! folder, then renamed over the old one, so a reader (or a killed process) never meets
//! half a file. How much is synced to disk is the caller's choice ([`Durability`]): a
//! deploy that changed something makes its writes survive a power cut; a deploy that
//! changed nothing only needs them never to be torn.

use anyhow::{Context, Result};
use std::fs::File;
use std::io::Write;
use std::path::Path;

/// The prefix of the temporary files [`write_atomic`] makes; a crash can leave one behind,
/// and [`crate::state::StateDir::remove_stale_temp_files`] sweeps them.
pub const TEMP_PREFIX: &str = ".tmp-";

/// What a write must survive, and so how many `fsync`s it costs.
///
/// Metadata operations (creates, renames, links) reach the disk in the order they were
/// made on the journalling filesystems a site lives on (ext4, XFS, btrfs): a rename that
/// is lost in a power cut takes every later one with it, never an earlier one alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// Content and name survive a power cut: the file is synced, renamed, then its folder
    /// is synced (two `fsync`s).
    PowerCut,
    /// Nothing is synced: survives a killed process (the kernel keeps what was written),
    /// not a power cut, after which the file may be missing or empty (no `fsync`).
    Kill,
}

/// Writes `bytes` to `path` atomically and durably: temporary file in the same folder,
/// `fsync`, rename, then `fsync` of the folder so the rename itself survives a power cut
/// ([`Durability::PowerCut`]). The folder must exist. On error the temporary file is
/// removed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, bytes, Durability::PowerCut)
}

/// Writes `bytes` to `path` atomically, synced as `durability` says (see [`write_atomic`]).
pub fn write_atomic_with(path: &Path, bytes: &[u8], durability: Durability) -> Result<()> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(folder)
        .with_context(|| format!("cannot create a temporary file in `{}`", folder.display()))?;
    temp.write_all(bytes)
        .and_then(|()| match durability {
            Durability::Kill => Ok(()),
            Durability::PowerCut => temp.as_file().sync_all(),
        })
        .with_context(|| format!("cannot write `{}`", temp.path().display()))?;
    temp.persist(path)
        .map_err(|err| err.error)
        .with_context(|| format!("cannot rename a temporary file to `{}`", path.display()))?;
    if durability == Durability::PowerCut {
        sync_folder(folder)?;
    }
    Ok(())
}

/// Syncs a folder, so the names created, renamed or removed in it survive a power cut.
pub fn sync_folder(folder: &Path) -> Result<()> {
    File::open(folder)
        .and_then(|dir| dir.sync_all())
        .with_context(|| format!("cannot sync folder `{}`", folder.display()))
}

/// Serialises `value` as pretty JSON (with a final newline) and writes it with
/// [`write_atomic`].
pub fn write_json_atomic<T: serde::Serialize>(path: &Path, value: &T) -> Result<()> {
    write_json_atomic_with(path, value, Durability::PowerCut)
}

/// [`write_json_atomic`], synced as `durability` says.
pub fn write_json_atomic_with<T: serde::Serialize>(
    path: &Path,
    value: &T,
    durability: Durability,
) -> Result<()> {
    let mut bytes = serde_json::to_vec_pretty(value)
        .with_context(|| format!("cannot serialise `{}`", path.display()))?;
    bytes.push(b'\n');
    write_atomic_with(path, &bytes, durability)
}

/// Reads and parses a JSON file, or `None` when it does not exist.
pub fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Option<T>> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(err).with_context(|| format!("cannot read `{}`", path.display())),
    };
    let value = serde_json::from_slice(&bytes).with_context(|| {
        format!(
            "`{}` is not valid; move it away and run again",
            path.display()
        )
    })?;
    Ok(Some(value))
}
