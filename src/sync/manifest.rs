//! The manifest: one path per line, relative to the target, `/`-separated, files and
//! folders, as KuduSync 0.2.3 writes it (lines joined by `\n`, no trailing line break).
//!
//! How SYNC keeps the manifest true after a failure (KuduSync issue 37): before the first
//! change to the target, [`apply`](super::apply) writes the next manifest as the union of
//! the previous manifest and everything the plan will put into the target. Whatever then
//! happens (a failure, a kill, a rollback), every path of the target that a sync put there
//! is listed, so the next sync deletes what the repository deleted. When the sync
//! succeeds, the manifest is rewritten with exactly the source's paths. Both writes go to a
//! temporary file beside it, fsynced, then renamed over it. With a journal, the manifest
//! file is journalled before its first write, so a rollback restores it with the target.
//! A sync that changes nothing writes no union manifest, and its exact manifest is not
//! written at all when it is byte for byte the previous one: the next manifest is then a
//! hard link to the previous (`reuse_manifest`).

use super::error::SyncError;
use std::collections::HashSet;
use std::ffi::OsStr;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// The set of paths a manifest lists.
#[derive(Clone, Debug, Default)]
pub struct Manifest {
    entries: HashSet<Box<[u8]>>,
}

impl Manifest {
    /// Reads a manifest; no path, or a missing file, is an empty manifest (as in KuduSync).
    /// Lines are trimmed and empty lines skipped.
    pub fn load(path: Option<&Path>) -> Result<Manifest, SyncError> {
        let Some(path) = path else {
            return Ok(Manifest::default());
        };
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Manifest::default()),
            Err(e) => return Err(SyncError::io("read manifest", path, e)),
        };
        let entries = bytes
            .split(|&byte| byte == b'\n')
            .map(<[u8]>::trim_ascii)
            .filter(|line| !line.is_empty())
            .map(Box::from)
            .collect();
        Ok(Manifest { entries })
    }

    /// True when the manifest lists this relative path.
    pub fn contains(&self, relative: &Path) -> bool {
        self.entries.contains(relative.as_os_str().as_bytes())
    }

    /// How many paths it lists.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when it lists nothing.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The listed paths, in no particular order.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.entries
            .iter()
            .map(|entry| Path::new(OsStr::from_bytes(entry)))
    }
}

/// The source's paths in manifest order (a folder, its files, then its subfolders),
/// gathered while the plan walks the source, so the manifest written after a sync needs no
/// second walk.
#[derive(Clone, Debug, Default)]
pub(crate) struct Listing {
    /// Every path followed by a line break.
    lines: Vec<u8>,
    /// The first path a manifest line cannot hold, if any.
    unlistable: Option<PathBuf>,
}

impl Listing {
    /// Adds one relative path.
    pub(crate) fn push(&mut self, relative: &Path) {
        let bytes = relative.as_os_str().as_bytes();
        if bytes.contains(&b'\n') {
            self.unlistable
                .get_or_insert_with(|| relative.to_path_buf());
        }
        self.lines.extend_from_slice(bytes);
        self.lines.push(b'\n');
    }

    /// Adds a listing after this one.
    pub(crate) fn append(&mut self, other: Listing) {
        self.lines.extend(other.lines);
        if self.unlistable.is_none() {
            self.unlistable = other.unlistable;
        }
    }

    /// The manifest's bytes (no trailing line break), or the name it cannot hold.
    pub(crate) fn manifest(&self) -> Result<&[u8], SyncError> {
        match &self.unlistable {
            Some(path) => Err(SyncError::UnlistableName(path.clone())),
            None => Ok(self.lines.strip_suffix(b"\n").unwrap_or(&self.lines)),
        }
    }
}

/// Makes `next` hold `bytes`, writing as little as it can: nothing when it holds them
/// already, a hard link to `previous` when that holds them (a manifest is only ever
/// replaced by a rename, never rewritten in place, so two names for one file stay
/// right). Returns false when neither applies and the caller must write it.
pub(crate) fn reuse_manifest(
    next: &Path,
    previous: Option<&Path>,
    bytes: &[u8],
) -> Result<bool, SyncError> {
    let holds = |path: &Path| -> Result<Option<bool>, SyncError> {
        match std::fs::read(path) {
            Ok(content) => Ok(Some(content == bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(SyncError::io("read manifest", path, e)),
        }
    };
    match holds(next)? {
        Some(same) => Ok(same),
        None => match previous {
            Some(previous) if holds(previous)? == Some(true) => link_manifest(previous, next),
            _ => Ok(false),
        },
    }
}

/// Makes a missing `next` a hard link to an existing `previous`. Returns false when `next`
/// exists, `previous` does not, or the filesystem cannot link them.
pub(crate) fn link_manifest(previous: &Path, next: &Path) -> Result<bool, SyncError> {
    if std::fs::symlink_metadata(next).is_ok() || std::fs::symlink_metadata(previous).is_err() {
        return Ok(false);
    }
    if let Some(parent) = next.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| SyncError::io("create manifest folder", parent, e))?;
    }
    Ok(std::fs::hard_link(previous, next).is_ok())
}

/// Writes a manifest's bytes with [`ManifestWriter`] (temporary file, fsync, rename).
pub(crate) fn write_manifest(path: &Path, bytes: &[u8]) -> Result<(), SyncError> {
    let mut writer = ManifestWriter::create(path)?;
    writer
        .out
        .write_all(bytes)
        .map_err(|e| SyncError::io("write manifest", &writer.temp_path, e))?;
    writer.finish()
}

/// Writes a manifest to a temporary file beside `path`, then renames it into place.
pub(crate) struct ManifestWriter {
    path: PathBuf,
    temp_path: PathBuf,
    out: BufWriter<File>,
    first: bool,
}

impl ManifestWriter {
    /// Starts writing the manifest that will replace `path`.
    pub(crate) fn create(path: &Path) -> Result<ManifestWriter, SyncError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| SyncError::io("create manifest folder", parent, e))?;
        }
        let mut temp_name = path.file_name().unwrap_or_default().to_os_string();
        temp_name.push(format!(".tmp-{}", std::process::id()));
        let temp_path = path.with_file_name(temp_name);
        let file =
            File::create(&temp_path).map_err(|e| SyncError::io("write manifest", &temp_path, e))?;
        Ok(ManifestWriter {
            path: path.to_path_buf(),
            temp_path,
            out: BufWriter::new(file),
            first: true,
        })
    }

    /// Adds one relative path.
    pub(crate) fn push(&mut self, relative: &Path) -> Result<(), SyncError> {
        let bytes = relative.as_os_str().as_bytes();
        if bytes.contains(&b'\n') {
            return Err(SyncError::UnlistableName(relative.to_path_buf()));
        }
        let separator: &[u8] = if self.first { b"" } else { b"\n" };
        self.first = false;
        self.out
            .write_all(separator)
            .and_then(|()| self.out.write_all(bytes))
            .map_err(|e| SyncError::io("write manifest", &self.temp_path, e))
    }

    /// Flushes, fsyncs and renames the manifest into place.
    pub(crate) fn finish(self) -> Result<(), SyncError> {
        let temp_path = self.temp_path;
        let file = self
            .out
            .into_inner()
            .map_err(|e| SyncError::io("write manifest", &temp_path, e.into_error()))?;
        file.sync_all()
            .map_err(|e| SyncError::io("write manifest", &temp_path, e))?;
        std::fs::rename(&temp_path, &self.path)
            .map_err(|e| SyncError::io("write manifest", &self.path, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_manifest_reads_back_and_has_no_trailing_line_break() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/manifest");
        let mut writer = ManifestWriter::create(&path).unwrap();
        for line in ["a", "a/b.txt", "c d.txt"] {
            writer.push(Path::new(line)).unwrap();
        }
        writer.finish().unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "a\na/b.txt\nc d.txt"
        );
        let manifest = Manifest::load(Some(&path)).unwrap();
        assert_eq!(manifest.len(), 3);
        assert!(manifest.contains(Path::new("a/b.txt")));
        assert!(!manifest.contains(Path::new("b.txt")));
    }

    #[test]
    fn a_missing_manifest_is_empty_and_crlf_lines_are_trimmed() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Manifest::load(Some(&dir.path().join("none")))
            .unwrap()
            .is_empty());
        let path = dir.path().join("m");
        std::fs::write(&path, "x\r\n\r\ny/z\r\n").unwrap();
        let manifest = Manifest::load(Some(&path)).unwrap();
        assert!(manifest.contains(Path::new("y/z")) && manifest.contains(Path::new("x")));
        assert_eq!(manifest.len(), 2);
    }
}
