//! The errors SYNC reports, each naming the file or folder it is about.

use std::io;
use std::path::PathBuf;

/// Why a sync could not be planned or applied.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The source folder does not exist.
    #[error("source folder `{0}` does not exist; check the source path")]
    SourceMissing(PathBuf),
    /// The source exists but is not a folder.
    #[error("source `{0}` is not a folder; give the folder to copy from")]
    SourceNotFolder(PathBuf),
    /// Source and target are the same folder.
    #[error("source and target are the same folder `{0}`; give a different target")]
    SameFolder(PathBuf),
    /// One of the two folders is inside the other.
    #[error("`{inner}` is inside `{outer}`; source and target must not be nested in each other")]
    Nested {
        /// The folder inside the other.
        inner: PathBuf,
        /// The folder that holds it.
        outer: PathBuf,
    },
    /// An ignore pattern is not a valid glob.
    #[error("ignore pattern `{pattern}` is not a valid glob: {reason}; fix the `/IGNORE` list")]
    BadPattern {
        /// The pattern as written.
        pattern: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A target folder would have to become a file (or the reverse) but holds site files.
    #[error("`{path}` is a {target_kind} in the target but a {source_kind} in the source, and the target one is not SYNC's to delete; move it away and run again")]
    KindConflict {
        /// The target path.
        path: PathBuf,
        /// What the target has there.
        target_kind: &'static str,
        /// What the source has there.
        source_kind: &'static str,
    },
    /// A file name that a manifest line cannot hold.
    #[error("file name `{0}` contains a line break, which a manifest cannot list; rename it")]
    UnlistableName(PathBuf),
    /// A source file disappeared between planning and copying.
    #[error("source file `{0}` vanished during the sync; something changed the source, run the sync again")]
    SourceVanished(PathBuf),
    /// A target file disappeared between planning and replacing or deleting it.
    #[error("target file `{0}` vanished during the sync; another process changed the target, run the sync again")]
    TargetVanished(PathBuf),
    /// The journal folder would be inside the source or the target.
    #[error("journal folder `{journal}` is inside `{tree}`; keep the journal in the deployment state folder")]
    JournalInsideTree {
        /// The journal folder.
        journal: PathBuf,
        /// The tree it is inside.
        tree: PathBuf,
    },
    /// A journal folder already holds an unfinished journal.
    #[error("journal folder `{0}` holds an unfinished journal; roll it back first")]
    JournalUnfinished(PathBuf),
    /// A journal index that cannot be read.
    #[error(
        "journal index `{0}` is damaged: {1}; restore the target by hand from the files beside it"
    )]
    JournalDamaged(PathBuf, String),
    /// Any other input/output failure, with what was being done and to which path.
    #[error("cannot {action} `{path}`: {}{}", io_text(.source), hint(.source))]
    Io {
        /// What was being done, e.g. "write" or "read folder".
        action: &'static str,
        /// The path it was done to.
        path: PathBuf,
        /// The underlying failure.
        source: io::Error,
    },
}

impl SyncError {
    /// Wraps an input/output failure with what was being done and to which path.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: io::Error) -> SyncError {
        SyncError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

/// The operating system's message, lowercased and without the `(os error N)` tail.
fn io_text(error: &io::Error) -> String {
    let text = error.to_string();
    let text = match text.find(" (os error") {
        Some(at) => text[..at].to_string(),
        None => text,
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => text,
    }
}

/// What to do about an input/output failure, when that is knowable.
fn hint(error: &io::Error) -> &'static str {
    if error.raw_os_error() == Some(libc::EPERM) {
        return "; the file or folder is protected (immutable?), lift that and run again";
    }
    match error.kind() {
        io::ErrorKind::PermissionDenied => "; make it writable (or run as its owner) and run again",
        io::ErrorKind::ReadOnlyFilesystem => "; the filesystem is read-only, remount it writable",
        io::ErrorKind::StorageFull => "; free some disk space and run again",
        _ => "",
    }
}
