//! The one way a file in the state folder is written: to a temporary name in the same
//! folder, synced, then renamed over the old one. A crash at any instant leaves either the
//! old file or the new one, never half of one.

use anyhow::{Context, Result};
use std::fs::File;
use std::io::Write;
use std::path::Path;

/// The prefix of the temporary files [`write_atomic`] makes; a crash can leave one behind,
/// and [`crate::deploy::state::StateDir::remove_stale_temp_files`] sweeps them.
pub const TEMP_PREFIX: &str = ".tmp-";

/// Writes `bytes` to `path` atomically: temporary file in the same folder, `fsync`, rename,
/// then `fsync` of the folder so the rename itself survives a power cut. The folder must
/// exist. On error the temporary file is removed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(folder)
        .with_context(|| format!("cannot create a temporary file in `{}`", folder.display()))?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .with_context(|| format!("cannot write `{}`", temp.path().display()))?;
    temp.persist(path)
        .map_err(|err| err.error)
        .with_context(|| format!("cannot rename a temporary file to `{}`", path.display()))?;
    File::open(folder)
        .and_then(|dir| dir.sync_all())
        .with_context(|| format!("cannot sync folder `{}`", folder.display()))?;
    Ok(())
}

/// Serialises `value` as pretty JSON (with a final newline) and writes it with
/// [`write_atomic`].
pub fn write_json_atomic<T: serde::Serialize>(path: &Path, value: &T) -> Result<()> {
    let mut bytes = serde_json::to_vec_pretty(value)
        .with_context(|| format!("cannot serialise `{}`", path.display()))?;
    bytes.push(b'\n');
    write_atomic(path, &bytes)
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
