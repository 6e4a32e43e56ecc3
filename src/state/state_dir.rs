//! The deployment state folder, owned by one type: [`StateDir`].
//!
//! # Where it is
//! By default beside the target, in a folder shared by every target of the same parent:
//! `<target's parent>/.deploy-state/<target's name>` (target `/home/site/wwwroot` ->
//! `/home/site/.deploy-state/wwwroot`). Beside, not inside: SYNC with `/NOMANIFEST` deletes
//! what the source lacks, and the state must survive that. On the target's filesystem, so
//! that SYNC's journal and [`write_atomic`] can rename instead of copy. `--state-dir DIR`
//! moves it anywhere except inside the target.
//!
//! # Layout
//! ```text
//! <state>/
//!   lock                         the deploy lock (an OS file lock) and who holds it
//!   last-success                 id of the last successful deployment (moves only on success)
//!   deployments/<id>/record.json id, times, status, exit code, fingerprints, tokens, inputs
//!   deployments/<id>/log.txt     the full log, appended while the deploy runs
//!   manifests/<id>               the SYNC manifest written by deployment <id>
//!   fingerprints/<key>.json      named fingerprints as of the last success that set them
//!   tokens/<key>.json            `VENV REMOVE /ONCE` tokens used, per env folder
//!   inputs/<key>.json            `VENV REMOVE /IFCHANGED` file hashes as of the last success
//!   seeds/<key>/                 pip's wheels unpacked per interpreter, to seed new envs
//!   journal/                     SYNC's journal (owned by the sync engine)
//!   post-deploy/                 post-deployment actions (`*.cmd`, `*.bat`, executable `*.sh`)
//! ```
//! Every file is written with [`write_atomic`] except `lock` (an OS lock lives on one
//! inode, which a rename would replace) and `log.txt` (streamed, append-only: a crash
//! leaves a shorter log, never a corrupt record).
//!
//! # What a deploy writes, and what it syncs
//! A file is rewritten only when its content changes (committed entries are compared
//! first), and a manifest equal to the previous one is a hard link to it. A deploy that
//! changed nothing (same manifest, no committed entry changed) writes its records and
//! `last-success` unsynced ([`Durability::Kill`]): a power cut can take the deployment
//! back, to a state that describes the same site, or leave the pointer empty, which reads
//! as the newest deployment whose record says it succeeded ([`StateDir::last_success`]).
//! A deploy that changed something syncs them fully ([`Durability::PowerCut`]), and
//! SYNC's journal is on disk before the first change to the site. The lock's holder is
//! never synced.
//!
//! [`write_atomic`]: crate::atomic_write::write_atomic

use super::deployment_id::DeploymentId;
use crate::atomic_write::{write_atomic_with, Durability, TEMP_PREFIX};
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

/// The file in the state folder where interpreter probes are remembered.
pub const PYTHON_PROBES_FILE: &str = "python-probes.json";

/// The name of the folder, beside the target, that holds the state of its deployments.
pub const STATE_FOLDER_NAME: &str = ".deploy-state";

/// The deployment state folder of one target; every path in it comes from here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateDir {
    root: PathBuf,
    target: PathBuf,
}

impl StateDir {
    /// The default state folder for `target`: `<parent>/.deploy-state/<name>`.
    pub fn default_root(target: &Path) -> Result<PathBuf> {
        let target = absolute(target)?;
        match (target.parent(), target.file_name()) {
            (Some(parent), Some(name)) => Ok(parent.join(STATE_FOLDER_NAME).join(name)),
            _ => bail!(
                "the target `{}` has no parent folder to keep the deployment state beside it; pass `--state-dir DIR`",
                target.display()
            ),
        }
    }

    /// The state folder of `target`: `state_dir` when given (`--state-dir`), else the
    /// default. Nothing is created; see [`StateDir::create`].
    pub fn new(target: &Path, state_dir: Option<&Path>) -> Result<StateDir> {
        let target = absolute(target)?;
        let root = match state_dir {
            Some(dir) => absolute(dir)?,
            None => StateDir::default_root(&target)?,
        };
        if root.starts_with(&target) {
            bail!(
                "the state folder `{}` is inside the target `{}`, where a sync could delete it; pass a `--state-dir` outside the target",
                root.display(),
                target.display()
            );
        }
        Ok(StateDir { root, target })
    }

    /// Refuses a state folder inside the source folder, where it would be deployed (checked
    /// before anything is created, so a refused deploy leaves the source as it was).
    pub fn refuse_inside_source(&self, source: &Path) -> Result<()> {
        let source = absolute(source)?;
        if self.root.starts_with(&source) {
            bail!(
                "the state folder `{}` is inside the source `{}`, so it would be deployed; pass a `--state-dir` outside the source",
                self.root.display(),
                source.display()
            );
        }
        Ok(())
    }

    /// Creates the folder and its sub-folders when they are missing.
    pub fn create(&self) -> Result<()> {
        let folders = [
            self.deployments_dir(),
            self.manifests_dir(),
            self.fingerprints_dir(),
            self.tokens_dir(),
            self.inputs_dir(),
            self.journal_dir(),
            self.post_deploy_dir(),
        ];
        for folder in folders {
            std::fs::create_dir_all(&folder).with_context(|| {
                format!("cannot create the state folder `{}`", folder.display())
            })?;
        }
        Ok(())
    }

    /// The state folder itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The (absolute) target whose deployments this folder records.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// The lock file.
    pub fn lock_path(&self) -> PathBuf {
        self.root.join("lock")
    }

    /// The file holding the id of the last successful deployment.
    pub fn last_success_path(&self) -> PathBuf {
        self.root.join("last-success")
    }

    /// `DEPLOYMENT_TEMP`: empty when a deploy starts, emptied when it ends.
    pub fn temp_dir(&self) -> PathBuf {
        self.root.join("temp")
    }

    /// The folder holding one folder per deployment.
    pub fn deployments_dir(&self) -> PathBuf {
        self.root.join("deployments")
    }

    /// The folder of deployment `id`.
    pub fn deployment_dir(&self, id: &DeploymentId) -> PathBuf {
        self.deployments_dir().join(id.as_str())
    }

    /// The record of deployment `id`.
    pub fn record_path(&self, id: &DeploymentId) -> PathBuf {
        self.deployment_dir(id).join("record.json")
    }

    /// The log of deployment `id`.
    pub fn log_path(&self, id: &DeploymentId) -> PathBuf {
        self.deployment_dir(id).join("log.txt")
    }

    /// The folder of SYNC manifests, one per deployment.
    pub fn manifests_dir(&self) -> PathBuf {
        self.root.join("manifests")
    }

    /// The manifest deployment `id` writes (`NEXT_MANIFEST_PATH` while it runs).
    pub fn manifest_path(&self, id: &DeploymentId) -> PathBuf {
        self.manifests_dir().join(id.as_str())
    }

    /// `PREVIOUS_MANIFEST_PATH`: the manifest of the last successful deployment, which
    /// lists what is in the target (a failed deploy's changes are rolled back by SYNC's
    /// journal). Before the first success it names a file that does not exist, which a
    /// sync reads as an empty manifest.
    pub fn previous_manifest_path(&self) -> Result<PathBuf> {
        Ok(match self.last_success()? {
            Some(id) => self.manifest_path(&id),
            None => self.manifests_dir().join("none"),
        })
    }

    /// The folder of fingerprints committed by successful deployments.
    pub fn fingerprints_dir(&self) -> PathBuf {
        self.root.join("fingerprints")
    }

    /// The folder of `VENV REMOVE /ONCE` tokens used, per env folder.
    pub fn tokens_dir(&self) -> PathBuf {
        self.root.join("tokens")
    }

    /// The folder of `VENV REMOVE /IFCHANGED` content hashes.
    pub fn inputs_dir(&self) -> PathBuf {
        self.root.join("inputs")
    }

    /// What each Python interpreter said it is, kept across deploys (see
    /// [`crate::python::probe_cache`]).
    pub fn python_probes_path(&self) -> PathBuf {
        self.root.join(PYTHON_PROBES_FILE)
    }

    /// The seed cache: pip's wheels unpacked per interpreter, copied into each new env
    /// (see [`crate::python::seed_cache`]).
    pub fn seeds_dir(&self) -> PathBuf {
        self.root.join("seeds")
    }

    /// SYNC's journal folder (its content belongs to the sync engine).
    pub fn journal_dir(&self) -> PathBuf {
        self.root.join("journal")
    }

    /// The post-deployment actions folder.
    pub fn post_deploy_dir(&self) -> PathBuf {
        self.root.join("post-deploy")
    }

    /// The id of the last successful deployment, if any. A pointer that is empty (or NUL
    /// bytes), as a power cut can leave one written without an `fsync` by a deploy that
    /// changed nothing, is read as the newest deployment whose record says it succeeded:
    /// that deploy's, or the one before, whose manifest is the same (records and links
    /// reach the disk in the order they were made, and a deploy that changed something
    /// syncs its record and the pointer).
    pub fn last_success(&self) -> Result<Option<DeploymentId>> {
        let path = self.last_success_path();
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(err) => {
                return Err(err).with_context(|| format!("cannot read `{}`", path.display()))
            }
        };
        let text = text.trim_matches(|c: char| c.is_whitespace() || c == '\0');
        if text.is_empty() {
            return self.newest_recorded_success();
        }
        match DeploymentId::parse(text) {
            Some(id) => Ok(Some(id)),
            None => bail!(
                "`{}` does not hold a deployment id; remove it to forget the last success",
                path.display()
            ),
        }
    }

    /// The newest deployment whose record says it succeeded.
    fn newest_recorded_success(&self) -> Result<Option<DeploymentId>> {
        for id in self.deployment_ids()?.into_iter().rev() {
            if let Some(record) = self.read_record(&id)? {
                if record.status == super::record::Status::Succeeded {
                    return Ok(Some(id));
                }
            }
        }
        Ok(None)
    }

    /// Moves the last-success pointer to `id` (only a succeeding deployment calls this),
    /// synced as `durability` says.
    pub(crate) fn set_last_success(&self, id: &DeploymentId, durability: Durability) -> Result<()> {
        write_atomic_with(
            &self.last_success_path(),
            format!("{id}\n").as_bytes(),
            durability,
        )
    }

    /// True when the state folder and the target are on the same filesystem, so files can
    /// be renamed between them. A missing folder is judged by its nearest existing parent.
    pub fn same_filesystem_as_target(&self) -> Result<bool> {
        use std::os::unix::fs::MetadataExt;
        let device = |path: &Path| -> Result<u64> {
            let existing = path.ancestors().find(|p| p.exists()).unwrap_or(path);
            let meta = std::fs::metadata(existing)
                .with_context(|| format!("cannot read `{}`", existing.display()))?;
            Ok(meta.dev())
        };
        Ok(device(&self.root)? == device(&self.target)?)
    }

    /// The key under which a path is recorded: relative to `base` when inside it (so a fresh
    /// checkout folder per deploy still matches), else absolute.
    pub(crate) fn key_for(path: &Path, bases: &[(&str, &Path)]) -> Result<String> {
        let path = absolute(path)?;
        for (label, base) in bases {
            if let Ok(relative) = path.strip_prefix(absolute(base)?) {
                return Ok(format!("{label}:{}", relative.display()));
            }
        }
        Ok(path.display().to_string())
    }
}

/// `path` made absolute against the current folder, with `.` and `..` removed lexically
/// (symlinks are not resolved: a folder that does not exist yet gets the same answer).
pub(crate) fn absolute(path: &Path) -> Result<PathBuf> {
    use std::path::Component;
    let joined = std::path::absolute(path)
        .with_context(|| format!("cannot make `{}` absolute", path.display()))?;
    let mut clean = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                clean.pop();
            }
            other => clean.push(other),
        }
    }
    Ok(clean)
}

impl StateDir {
    /// Removes temporary files a killed writer left behind (never in `journal/`, which the
    /// sync engine owns). Call it only while holding the lock. Returns how many it removed.
    ///
    /// Of the deployment folders only the newest is looked in: a deployment writes only
    /// in its own folder, and every deploy sweeps before it makes its folder, under the
    /// lock, so each older folder was swept by the deploy after it.
    pub fn remove_stale_temp_files(&self) -> Result<usize> {
        let journal = self.journal_dir();
        let deployments = self.deployments_dir();
        let newest = self
            .deployment_ids()?
            .pop()
            .map(|id| self.deployment_dir(&id));
        let mut removed = 0;
        let walker = walkdir::WalkDir::new(self.root())
            .max_depth(3)
            .into_iter()
            .filter_entry(|entry| {
                let older_deployment = entry.depth() == 2
                    && entry.file_type().is_dir()
                    && entry.path().parent() == Some(deployments.as_path())
                    && Some(entry.path()) != newest.as_deref();
                entry.path() != journal && !older_deployment
            });
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err)
                    if err.io_error().map(|e| e.kind()) == Some(std::io::ErrorKind::NotFound) =>
                {
                    continue
                }
                Err(err) => return Err(err).context("cannot scan the state folder"),
            };
            let is_temp = entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX);
            if is_temp && entry.file_type().is_file() {
                std::fs::remove_file(entry.path())
                    .with_context(|| format!("cannot remove `{}`", entry.path().display()))?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

impl StateDir {
    /// A fresh id for a deployment starting now, later than every id in this folder (if
    /// the clock went back, the newest id's time with the next suffix).
    pub fn new_deployment_id(&self) -> Result<DeploymentId> {
        let id = DeploymentId::new(time::OffsetDateTime::now_utc(), 0);
        let Some(newest) = self.deployment_ids()?.pop() else {
            return Ok(id);
        };
        if id > newest {
            return Ok(id);
        }
        match newest.successor() {
            Some(next) => Ok(next),
            None => bail!(
                "cannot find a deployment id later than `{newest}` in `{}`; is the clock behind?",
                self.deployments_dir().display()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_made_absolute_lexically_and_keyed_by_the_folder_they_are_in() {
        let clean = absolute(Path::new("/srv/site/./repo/../wwwroot")).unwrap();
        assert_eq!(clean, Path::new("/srv/site/wwwroot"));
        let bases: [(&str, &Path); 2] = [
            ("source", Path::new("/tmp/checkout-7")),
            ("target", Path::new("/srv/site/wwwroot")),
        ];
        let key = |path: &str| StateDir::key_for(Path::new(path), &bases).unwrap();
        assert_eq!(
            key("/tmp/checkout-7/requirements.txt"),
            "source:requirements.txt"
        );
        assert_eq!(key("/srv/site/wwwroot/env"), "target:env");
        assert_eq!(key("/etc/pip.conf"), "/etc/pip.conf");
    }

    #[test]
    fn the_default_state_folder_is_beside_the_target() {
        let root = StateDir::default_root(Path::new("/home/site/wwwroot/")).unwrap();
        assert_eq!(root, Path::new("/home/site/.deploy-state/wwwroot"));
        let err = StateDir::default_root(Path::new("/")).unwrap_err();
        assert!(err.to_string().contains("pass `--state-dir DIR`"), "{err}");
    }
}
