//! What a sync is asked to do, and the checks made before anything is read.

use super::error::SyncError;
use std::path::{Component, Path, PathBuf};

/// The settings of one sync: the `SYNC` directive's switches, or KuduSync's flags.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct SyncOptions {
    /// The folder to copy from (`-f`, DEPLOYMENT_SOURCE).
    pub source: PathBuf,
    /// The folder to copy into (`-t`, DEPLOYMENT_TARGET); created when missing.
    pub target: PathBuf,
    /// Where to write the manifest of this sync (`-n`, NEXT_MANIFEST_PATH).
    pub next_manifest: Option<PathBuf>,
    /// The manifest of the last sync (`-p`, PREVIOUS_MANIFEST_PATH); a missing file reads
    /// as an empty manifest.
    pub previous_manifest: Option<PathBuf>,
    /// Ignore globs (`-i`, `/IGNORE`), one per element; `;`-separated lists are split.
    pub ignore: Vec<String>,
    /// Delete only what the previous manifest lists (true), or anything the source lacks
    /// (false: `/NOMANIFEST`, KuduSync `-x`).
    pub use_manifest: bool,
    /// Also compare content (xxh3) when size and modification time are equal (`/CHECKSUM`).
    pub checksum: bool,
    /// Plan and report only; change nothing (`/WHATIF`, `-w`).
    pub whatif: bool,
    /// Print nothing but errors (`/QUIET`, `-q`).
    pub quiet: bool,
    /// Print at most this many lines (`-v N`).
    pub verbose: Option<usize>,
}

impl SyncOptions {
    /// Options for copying `source` into `target` with manifests on and nothing else set.
    pub fn new(source: impl Into<PathBuf>, target: impl Into<PathBuf>) -> SyncOptions {
        SyncOptions {
            source: source.into(),
            target: target.into(),
            use_manifest: true,
            ..SyncOptions::default()
        }
    }
}

/// The two folders as absolute, symlink-free paths, after the refusals: missing source,
/// same folder, nested folders.
pub(crate) fn resolve_folders(options: &SyncOptions) -> Result<(PathBuf, PathBuf), SyncError> {
    let source = match std::fs::metadata(&options.source) {
        Ok(meta) if meta.is_dir() => options.source.canonicalize(),
        Ok(_) => return Err(SyncError::SourceNotFolder(options.source.clone())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(SyncError::SourceMissing(options.source.clone()))
        }
        Err(e) => return Err(SyncError::io("read", &options.source, e)),
    }
    .map_err(|e| SyncError::io("resolve", &options.source, e))?;
    let target = resolve_maybe_missing(&options.target)?;
    if source == target {
        return Err(SyncError::SameFolder(options.source.clone()));
    }
    if target.starts_with(&source) {
        return Err(SyncError::Nested {
            inner: options.target.clone(),
            outer: options.source.clone(),
        });
    }
    if source.starts_with(&target) {
        return Err(SyncError::Nested {
            inner: options.source.clone(),
            outer: options.target.clone(),
        });
    }
    Ok((source, target))
}

/// An absolute, symlink-free form of a path whose last parts may not exist yet.
pub(crate) fn resolve_maybe_missing(path: &Path) -> Result<PathBuf, SyncError> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| SyncError::io("read the current folder for", path, e))?
            .join(path)
    };
    let mut existing = absolute.clone();
    let mut missing = Vec::new();
    loop {
        match existing.canonicalize() {
            Ok(real) => {
                let mut resolved = real;
                for part in missing.iter().rev() {
                    resolved.push(part);
                }
                return Ok(normalize(&resolved));
            }
            Err(_) => match (existing.file_name(), existing.parent()) {
                (Some(name), Some(parent)) => {
                    missing.push(name.to_os_string());
                    existing = parent.to_path_buf();
                }
                _ => return Ok(normalize(&absolute)),
            },
        }
    }
}

/// Removes `.` and folds `..` lexically (only used on the part that does not exist yet).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
