//! A repository that ships its own virtual environment (`env/pyvenv.cfg` committed) must
//! end with exactly that env in the site, and one that stops shipping it must get a built
//! one back. Merging file by file cannot do either: a server-built env and a shipped one
//! share most paths, and an env leaves files of its own (`__pycache__`) that no manifest
//! lists. So before SYNC plans, such an env in the target is moved into the journal whole
//! (one rename, undone by a rollback like any deleted file).

use crate::python::env_swap::is_venv;
use crate::python::marker::MARKER_FILE;
use crate::sync::{IgnoreList, Journal, Manifest, SyncError};
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
/// manifest, no marker) where the source no longer has one. Ignored folders are left.
pub fn whole_env_removals(
    source: &Path,
    target: &Path,
    previous: &Manifest,
    ignore: &IgnoreList,
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
        // An ignored folder is the site's own business: SYNC neither copies nor deletes it.
        if !is_venv(&in_target) || ignore.is_ignored(Path::new(&name)) {
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
/// it back), else deleted. On the journal's filesystem the folder moves in one rename;
/// elsewhere each entry is journalled (copied) as a deleted file, then its folders go.
pub fn remove_whole_env(
    removal: &WholeEnvRemoval,
    journal: Option<&Journal>,
) -> anyhow::Result<()> {
    let path = &removal.path;
    let moved = match journal {
        Some(journal) if same_filesystem(journal.dir(), path) => journal.save_deleted(path),
        Some(journal) => journal_each_entry(journal, path),
        None => {
            return std::fs::remove_dir_all(path)
                .map_err(|error| anyhow::anyhow!("cannot remove `{}`: {error}", path.display()))
        }
    };
    moved.map_err(|error| anyhow::anyhow!("cannot move `{}` aside: {error}", path.display()))
}

fn same_filesystem(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev(),
        _ => false,
    }
}

/// Journals every file and symlink under `dir` as deleted, then removes its folders
/// (innermost first), recording each so a rollback recreates them.
fn journal_each_entry(journal: &Journal, dir: &Path) -> Result<(), SyncError> {
    use std::os::unix::fs::PermissionsExt;
    for entry in walkdir::WalkDir::new(dir).contents_first(true) {
        let entry = entry.map_err(|error| {
            let path = error.path().unwrap_or(dir).to_path_buf();
            SyncError::io("read", &path, error.into())
        })?;
        if entry.file_type().is_dir() {
            let mode = entry
                .metadata()
                .map(|m| m.permissions().mode() & 0o7777)
                .unwrap_or(0o755);
            journal.record_rmdir(entry.path(), mode)?;
            std::fs::remove_dir(entry.path())
                .map_err(|error| SyncError::io("delete folder", entry.path(), error))?;
        } else {
            journal.save_deleted(entry.path())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn venv(dir: &Path, server_built: bool) {
        std::fs::create_dir_all(dir.join("bin")).unwrap();
        std::fs::write(dir.join("pyvenv.cfg"), "home = /usr/bin\n").unwrap();
        std::fs::write(dir.join("bin/activate"), "# activate\n").unwrap();
        std::os::unix::fs::symlink("/usr/bin/python3", dir.join("bin/python")).unwrap();
        if server_built {
            std::fs::write(dir.join(MARKER_FILE), "{}").unwrap();
        }
    }

    fn removals(source: &Path, target: &Path, previous: &[&str], ignore: &[&str]) -> Vec<String> {
        let manifest_file = target.parent().unwrap().join("manifest");
        std::fs::write(&manifest_file, previous.join("\n")).unwrap();
        let previous = Manifest::load(Some(&manifest_file)).unwrap();
        whole_env_removals(source, target, &previous, &IgnoreList::new(ignore).unwrap())
            .into_iter()
            .map(|removal| removal.reason)
            .collect()
    }

    #[test]
    fn a_built_env_goes_whole_when_the_source_ships_one_and_a_shipped_one_when_it_stops() {
        let root = tempfile::tempdir().unwrap();
        let (source, target) = (root.path().join("repo"), root.path().join("site"));
        std::fs::create_dir_all(&source).unwrap();
        venv(&target.join("env"), true);
        assert_eq!(removals(&source, &target, &[], &[]), Vec::<String>::new());
        venv(&source.join("env"), false);
        assert_eq!(
            removals(&source, &target, &[], &[]),
            ["the repository now ships `env/`: the env built here is replaced whole"]
        );
        assert_eq!(
            removals(&source, &target, &[], &["env"]),
            Vec::<String>::new()
        );

        std::fs::remove_dir_all(target.join("env")).unwrap();
        venv(&target.join("env"), false);
        assert_eq!(
            removals(&source, &target, &["env/pyvenv.cfg"], &[]),
            Vec::<String>::new(),
            "the source still ships it"
        );
        std::fs::remove_dir_all(source.join("env")).unwrap();
        assert_eq!(
            removals(&source, &target, &["env/pyvenv.cfg"], &[]),
            ["the repository no longer ships `env/`: its copy is removed whole"]
        );
        assert_eq!(
            removals(&source, &target, &[], &[]),
            Vec::<String>::new(),
            "an env the repository never shipped is not SYNC's"
        );
    }

    #[test]
    fn each_entry_journalled_comes_back_on_rollback() {
        let root = tempfile::tempdir().unwrap();
        let env = root.path().join("site/env");
        venv(&env, true);
        std::fs::create_dir_all(env.join("lib/python3.11/site-packages/flask")).unwrap();
        std::fs::write(
            env.join("lib/python3.11/site-packages/flask/__init__.py"),
            "x",
        )
        .unwrap();
        let journal = Journal::create(&root.path().join("journal")).unwrap();
        journal_each_entry(&journal, &env).unwrap();
        assert!(!env.exists());
        journal.rollback().unwrap();
        assert_eq!(
            std::fs::read_to_string(env.join("lib/python3.11/site-packages/flask/__init__.py"))
                .unwrap(),
            "x"
        );
        assert_eq!(
            std::fs::read_link(env.join("bin/python")).unwrap(),
            Path::new("/usr/bin/python3")
        );
        assert!(env.join(MARKER_FILE).is_file());
    }
}
