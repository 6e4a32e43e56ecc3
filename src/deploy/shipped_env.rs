//! A repository that ships its own virtual environment (`env/pyvenv.cfg` committed) must
//! end with exactly that env in the site, and one that stops shipping it must get a built
//! one back. Merging file by file cannot do either: a server-built env and a shipped one
//! share most paths, and an env leaves files of its own (`__pycache__`) that no manifest
//! lists. So before SYNC plans, such an env in the target is moved into the journal whole
//! (one rename, undone by a rollback like any deleted file).

use crate::python::env_swap::is_venv;
use crate::python::marker::MARKER_FILE;
use crate::sync::{Journal, Manifest};
use std::path::{Path, PathBuf};

/// A target env SYNC must replace or remove whole, and why (one line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WholeEnvRemoval {
    /// The env folder in the target.
    pub path: PathBuf,
    /// `the repository now ships env/: the server-built env goes whole`.
    pub reason: String,
}

/// The target envs to move aside before SYNC: server-built ones (our marker) where the
/// source ships an env at the same place, and shipped ones (listed in the previous
/// manifest, no marker) where the source no longer has one.
pub fn whole_env_removals(
    source: &Path,
    target: &Path,
    previous: &Manifest,
) -> Vec<WholeEnvRemoval> {
    let mut removals = Vec::new();
    let Ok(entries) = std::fs::read_dir(target) else {
        return removals;
    };
    let mut names: Vec<_> = entries
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
        .map(|entry| entry.file_name())
        .collect();
    names.sort();
    for name in names {
        let in_target = target.join(&name);
        if !is_venv(&in_target) {
            continue;
        }
        let shown = name.to_string_lossy();
        let source_ships = is_venv(&source.join(&name));
        let server_built = in_target.join(MARKER_FILE).is_file();
        let was_shipped = previous.contains(&Path::new(&name).join("pyvenv.cfg"));
        let reason = if source_ships && server_built {
            format!("the repository now ships `{shown}/`: the env built here is replaced whole")
        } else if !source_ships && !server_built && was_shipped {
            format!("the repository no longer ships `{shown}/`: its copy is removed whole")
        } else {
            continue;
        };
        removals.push(WholeEnvRemoval {
            path: in_target,
            reason,
        });
    }
    removals
}

/// Moves the env out of the target: into the journal when there is one (a rollback puts
/// it back), else deleted.
pub fn remove_whole_env(
    removal: &WholeEnvRemoval,
    journal: Option<&Journal>,
) -> anyhow::Result<()> {
    let path = &removal.path;
    match journal {
        Some(journal) => journal
            .save_deleted(path)
            .map_err(|error| anyhow::anyhow!("cannot move `{}` aside: {error}", path.display())),
        None => std::fs::remove_dir_all(path)
            .map_err(|error| anyhow::anyhow!("cannot remove `{}`: {error}", path.display())),
    }
}
