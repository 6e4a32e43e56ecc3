//! Writing the generated files into the app folder: never over an existing file without
//! `--force`, and then only after moving the old one aside as a backup.

use anyhow::Context;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// A file to write, relative to the app folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputFile {
    /// Its path relative to the app folder, `/`-separated.
    pub path: String,
    /// Its content.
    pub content: String,
}

/// What was done for one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    /// The file, relative to the app folder.
    pub path: String,
    /// Where the file it replaced was kept, relative to the app folder.
    pub backup: Option<String>,
}

/// Why the files were not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Some files exist and `--force` was not given. Nothing was written.
    #[error(
        "{} already {} in `{}`; pass `--force` to replace {} (each old file is kept as `<name>.bak`), or `--stdout` to print the script instead",
        quoted(files), if files.len() == 1 { "exists" } else { "exist" }, app_dir.display(),
        if files.len() == 1 { "it" } else { "them" }
    )]
    Exists {
        /// The app folder.
        app_dir: PathBuf,
        /// The files that exist, relative to it.
        files: Vec<String>,
    },
    /// Reading or writing failed.
    #[error(transparent)]
    Io(#[from] anyhow::Error),
}

/// `a`, `b` -> "`a` and `b`".
fn quoted(files: &[String]) -> String {
    let names: Vec<String> = files.iter().map(|file| format!("`{file}`")).collect();
    names.join(" and ")
}

/// Writes `files` into `app_dir`. Without `force`, refuses (writing nothing) when any of
/// them exists; with it, moves each existing file to a free `<name>.bak` (`.bak.1`, ...)
/// first. Each file is written to a temporary name and renamed into place.
pub fn write_files(
    app_dir: &Path,
    files: &[OutputFile],
    force: bool,
) -> Result<Vec<Written>, WriteError> {
    let existing: Vec<String> = files
        .iter()
        .filter(|file| app_dir.join(&file.path).exists())
        .map(|file| file.path.clone())
        .collect();
    if !existing.is_empty() && !force {
        return Err(WriteError::Exists {
            app_dir: app_dir.to_path_buf(),
            files: existing,
        });
    }
    let mut written = Vec::new();
    for file in files {
        let target = app_dir.join(&file.path);
        let backup = if existing.contains(&file.path) {
            Some(back_up(app_dir, &file.path)?)
        } else {
            None
        };
        write_atomically(&target, file.content.as_bytes())?;
        written.push(Written {
            path: file.path.clone(),
            backup,
        });
    }
    Ok(written)
}

/// Moves `app_dir/path` to the first free `path.bak`, `path.bak.1`, ...; returns its name.
fn back_up(app_dir: &Path, path: &str) -> anyhow::Result<String> {
    let name = (0..)
        .map(|n| {
            if n == 0 {
                format!("{path}.bak")
            } else {
                format!("{path}.bak.{n}")
            }
        })
        .find(|candidate| !app_dir.join(candidate).exists())
        .context("no free backup name")?;
    std::fs::rename(app_dir.join(path), app_dir.join(&name))
        .with_context(|| format!("cannot move `{path}` aside to `{name}`"))?;
    Ok(name)
}

/// Writes `bytes` to a temporary file beside `target`, then renames it over `target`.
fn write_atomically(target: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = target.parent().context("the output has no parent folder")?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    let mut temp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot create a temporary file in `{}`", dir.display()))?;
    temp.write_all(bytes)
        .with_context(|| format!("cannot write `{}`", target.display()))?;
    // A temporary file is private (0600); the script and .deployment are ordinary files.
    std::fs::set_permissions(temp.path(), std::fs::Permissions::from_mode(0o644))
        .with_context(|| format!("cannot write `{}`", target.display()))?;
    temp.persist(target)
        .with_context(|| format!("cannot write `{}`", target.display()))?;
    Ok(())
}
