//! One planned change of a sync: a file to copy, a folder to make, an entry to delete, and
//! why. [`plan`](super::plan) and [`merge`](super::merge) both build them.

use super::walk::EntryKind;
use std::path::PathBuf;

/// Why a file is copied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CopyReason {
    /// The target lacks it.
    New,
    /// Sizes differ.
    SizeDiffers,
    /// Modification times differ (compared to the millisecond, as KuduSync does).
    TimeDiffers,
    /// Same size and time, different content (only with `/CHECKSUM`), or a symlink that
    /// points elsewhere.
    ContentDiffers,
    /// The target has another kind of entry there (a file where a symlink goes, ...).
    KindDiffers,
}

impl CopyReason {
    /// The words printed after the path.
    pub fn text(self) -> &'static str {
        match self {
            CopyReason::New => "new",
            CopyReason::SizeDiffers => "size differs",
            CopyReason::TimeDiffers => "time differs",
            CopyReason::ContentDiffers => "content differs",
            CopyReason::KindDiffers => "kind differs",
        }
    }
}

/// Why a target entry is deleted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeleteReason {
    /// The source lacks it and the previous manifest lists it.
    RemovedListed,
    /// The source lacks it and manifests are off (`/NOMANIFEST`).
    RemovedNoManifest,
    /// The source has another kind of entry there; this one is SYNC's to remove.
    KindChanged,
    /// A temporary file an interrupted sync left behind.
    LeftoverTemp,
}

impl DeleteReason {
    /// The words printed after the path.
    pub fn text(self) -> &'static str {
        match self {
            DeleteReason::RemovedListed => "removed from source, listed in previous manifest",
            DeleteReason::RemovedNoManifest => "removed from source, no manifest",
            DeleteReason::KindChanged => "replaced by another kind in source",
            DeleteReason::LeftoverTemp => "temporary file left by an interrupted sync",
        }
    }
}

/// A file or symlink to copy from the source into the target.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PlannedCopy {
    /// Path relative to both roots.
    pub path: PathBuf,
    /// File or symlink.
    pub kind: EntryKind,
    /// Why it is copied.
    pub reason: CopyReason,
    /// True when a target entry is there and will be replaced (and journalled).
    pub replaces: bool,
    /// Its size in the source.
    pub size: u64,
}

/// A folder to create in the target.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PlannedDir {
    /// Path relative to both roots.
    pub path: PathBuf,
    /// Permission bits of the source folder.
    pub mode: u32,
}

/// A target entry to delete.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PlannedDelete {
    /// Path relative to the target.
    pub path: PathBuf,
    /// What is there now.
    pub kind: EntryKind,
    /// Why it goes.
    pub reason: DeleteReason,
}
