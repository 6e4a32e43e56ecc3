//! A deployment while it runs: [`Deployment::begin`] records it, the deploy stages tokens,
//! inputs and fingerprints in it, [`Deployment::finish`] ends it and commits what it
//! staged only when it succeeded.

use super::committed::{content_hash, ChangeStatus, OnceTokenUse};
use super::deployment_id::DeploymentId;
use super::lock::DeployLock;
use super::log::DeploymentLog;
use super::record::{DeploymentRecord, Status};
use super::state_dir::{absolute, StateDir};
use crate::atomic_write::{write_atomic_with, write_json_atomic_with, Durability};
use crate::report::mask::{Masker, MaskingWriter};
use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

/// How many deployments are kept by default (`--keep`).
pub const DEFAULT_KEEP: usize = 20;

/// What [`Deployment::begin`] needs besides the state folder and the lock.
#[derive(Clone, Debug)]
pub struct BeginOptions {
    /// The source folder.
    pub source: PathBuf,
    /// The script that will run, when known.
    pub script: Option<PathBuf>,
    /// How many deployments to keep when pruning at the end (`--keep`).
    pub keep: usize,
    /// Secrets to mask in the log and the recorded command line.
    pub masker: Masker,
}

/// A running deployment; it holds the deploy lock until it is finished or dropped. One
/// dropped without [`Deployment::finish`] stays `running` on disk and reads as
/// `interrupted` once the lock is free.
#[derive(Debug)]
pub struct Deployment {
    state: StateDir,
    record: DeploymentRecord,
    log: DeploymentLog,
    keep: usize,
    masker: Masker,
    /// Set by [`Deployment::note_site_changed`]: the end is then written to survive a
    /// power cut whatever the state folder says.
    site_changed: bool,
    // Held for the deployment's life; released on drop.
    _lock: DeployLock,
}

/// What [`Deployment::finish`] did.
#[derive(Clone, Debug)]
pub struct Finished {
    /// The final record.
    pub record: DeploymentRecord,
    /// The deployments pruned afterwards.
    pub pruned: Vec<DeploymentId>,
}

impl Deployment {
    /// Starts the deployment whose id the lock names: creates the state folder's layout,
    /// sweeps temporary files a killed run left, writes the `running` record and opens
    /// the log.
    pub fn begin(state: &StateDir, lock: DeployLock, options: BeginOptions) -> Result<Deployment> {
        let source = absolute(&options.source)?;
        state.refuse_inside_source(&source)?;
        state.create()?;
        state.remove_stale_temp_files()?;
        state.remove_prune_leftovers()?;
        let id = lock.holder().deployment.clone();
        let folder = state.deployment_dir(&id);
        if folder.exists() {
            bail!(
                "deployment `{id}` already exists in `{}`; run again to get a new id",
                state.deployments_dir().display()
            );
        }
        std::fs::create_dir_all(&folder)
            .with_context(|| format!("cannot create `{}`", folder.display()))?;
        let log = DeploymentLog::open(&state.log_path(&id))
            .with_context(|| format!("cannot create `{}`", state.log_path(&id).display()))?;
        let record = DeploymentRecord {
            id,
            status: Status::Running,
            started_at: OffsetDateTime::now_utc(),
            finished_at: None,
            exit_code: None,
            pid: lock.holder().pid,
            command_line: lock
                .holder()
                .command_line
                .iter()
                .map(|arg| options.masker.mask(arg).into_owned())
                .collect(),
            source,
            target: state.target().to_owned(),
            script: options.script.map(|script| absolute(&script)).transpose()?,
            fingerprints: BTreeMap::new(),
            once_tokens: Vec::new(),
            inputs: BTreeMap::new(),
        };
        let deployment = Deployment {
            state: state.clone(),
            record,
            log,
            keep: options.keep,
            masker: options.masker,
            site_changed: false,
            _lock: lock,
        };
        deployment.save()?;
        Ok(deployment)
    }

    /// Its id.
    pub fn id(&self) -> &DeploymentId {
        &self.record.id
    }

    /// Its record as it stands.
    pub fn record(&self) -> &DeploymentRecord {
        &self.record
    }

    /// The state folder it belongs to.
    pub fn state(&self) -> &StateDir {
        &self.state
    }

    /// A writer appending to its log, masking secrets line by line. Each writer keeps its
    /// own unfinished line, so give each output stream its own.
    pub fn log_writer(&self) -> MaskingWriter<DeploymentLog> {
        MaskingWriter::new(self.log.clone(), self.masker.clone())
    }

    /// `NEXT_MANIFEST_PATH`: where this deployment's SYNC writes its manifest.
    pub fn next_manifest_path(&self) -> PathBuf {
        self.state.manifest_path(self.id())
    }

    /// Says that the deploy changed the site (SYNC copied or deleted, an environment was
    /// rebuilt), so [`Deployment::finish`] writes the end to survive a power cut.
    pub fn note_site_changed(&mut self) {
        self.site_changed = true;
    }

    /// Records fingerprint `name` (`script`, `commit`, `requirements.txt`...) in the record,
    /// committed to `fingerprints/` if the deployment succeeds.
    pub fn set_fingerprint(&mut self, name: &str, value: &str) -> Result<()> {
        let old = self
            .record
            .fingerprints
            .insert(name.to_owned(), value.to_owned());
        if old.as_deref() == Some(value) {
            return Ok(());
        }
        self.save()
    }

    /// Stages `VENV REMOVE /ONCE token` for `env_dir`: from the next successful deploy on,
    /// [`StateDir::once_token_used`] says it was used. A failed deploy does not use it up.
    pub fn use_once_token(&mut self, env_dir: &Path, token: &str) -> Result<()> {
        let use_ = OnceTokenUse {
            env_dir: self.state.env_key(env_dir)?,
            token: token.to_owned(),
        };
        if !self.record.once_tokens.contains(&use_) {
            self.record.once_tokens.push(use_);
            self.save()?;
        }
        Ok(())
    }

    /// Whether `path` changed since the last successful deployment (see
    /// [`StateDir::file_changed_since_last_success`]), staging its current hash to be
    /// committed if this deployment succeeds.
    pub fn file_changed_since_last_success(&mut self, path: &Path) -> Result<ChangeStatus> {
        let status = self
            .state
            .file_changed_since_last_success(path, &self.record.source)?;
        let key = self.state.input_key(path, &self.record.source)?;
        let hash = status.current_hash();
        let old = self.record.inputs.insert(key, hash.to_owned());
        if old.as_deref() != Some(hash) {
            self.save()?;
        }
        Ok(status)
    }

    /// Stages the current hash of each of `paths` as [`Deployment::file_changed_since_last_success`]
    /// does, without asking whether it changed: the baseline a later `VENV REMOVE
    /// /IFCHANGED` compares with, even in the deploy that first names the file. The record
    /// holds them from [`Deployment::finish`] on (no write of its own).
    pub fn stage_input_hashes(&mut self, paths: &[PathBuf]) -> Result<()> {
        for path in paths {
            let key = self.state.input_key(path, &self.record.source)?;
            self.record.inputs.insert(key, content_hash(path)?);
        }
        Ok(())
    }

    /// Ends the deployment with `status` and `exit_code`. On success it first commits the
    /// staged tokens, inputs and fingerprints (those that changed), carries the previous
    /// manifest forward when this deploy wrote none, then moves the `last-success` pointer.
    /// Then it prunes deployments beyond `keep` and releases the lock. A crash between the
    /// commit and the pointer leaves tokens and hashes committed for a deploy that reads
    /// `interrupted`; every step of it had succeeded, so the env and inputs they describe
    /// are in place.
    ///
    /// When the deploy changed nothing (the site as far as it was told, see
    /// [`Deployment::note_site_changed`]; no entry committed; the same manifest as the
    /// last success), nothing is synced ([`Durability::Kill`]). The record is renamed
    /// before the pointer, and renames reach the disk in order, so after a power cut the
    /// pointer names either the last success (this deploy taken back, its record
    /// running, finished or empty) or this deployment, whose manifest is the last
    /// success's and whose record may read as none (an empty file): only its row in
    /// `list` is lost, and every reader takes a pointer to a deployment without a record.
    /// Or the pointer is empty (renamed before its content reached the disk): it then
    /// reads as the newest successful record ([`StateDir::last_success`]), whose manifest
    /// is the same, so SYNC still finds what the repository no longer has. Otherwise the
    /// record and the pointer survive a power cut.
    pub fn finish(mut self, status: Status, exit_code: i32) -> Result<Finished> {
        let mut durability = Durability::PowerCut;
        if status == Status::Succeeded {
            let committed = self.state.commit_staged(
                self.id(),
                &self.record.once_tokens,
                &self.record.inputs,
                &self.record.fingerprints,
            )?;
            self.carry_manifest_forward()?;
            if !self.site_changed && !committed && self.manifest_unchanged()? {
                durability = Durability::Kill;
            }
        }
        self.record.status = status;
        self.record.exit_code = Some(exit_code);
        self.record.finished_at = Some(OffsetDateTime::now_utc());
        self.save_with(durability)?;
        if status == Status::Succeeded {
            self.state.set_last_success(self.id(), durability)?;
        }
        let pruned = self.state.prune(self.keep, Some(self.id()))?;
        Ok(Finished {
            record: self.record,
            pruned,
        })
    }

    /// Gives this deployment the previous success's manifest when it wrote none (no SYNC
    /// ran): a hard link, or a copy where links cannot be made.
    fn carry_manifest_forward(&self) -> Result<()> {
        let next = self.next_manifest_path();
        let previous = self.state.previous_manifest_path()?;
        if next.exists() || !previous.exists() {
            return Ok(());
        }
        if std::fs::hard_link(&previous, &next).is_ok() {
            return Ok(());
        }
        let bytes = std::fs::read(&previous)
            .with_context(|| format!("cannot read `{}`", previous.display()))?;
        write_atomic_with(&next, &bytes, Durability::PowerCut)
    }

    /// True when this deployment's manifest is the previous success's: the same file (a
    /// link) or the same bytes. Both missing counts as the same.
    fn manifest_unchanged(&self) -> Result<bool> {
        use std::os::unix::fs::MetadataExt;
        let next = self.next_manifest_path();
        let previous = self.state.previous_manifest_path()?;
        let identity = |path: &Path| -> Result<Option<(u64, u64)>> {
            match std::fs::metadata(path) {
                Ok(meta) => Ok(Some((meta.dev(), meta.ino()))),
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(err) => Err(err).with_context(|| format!("cannot read `{}`", path.display())),
            }
        };
        Ok(match (identity(&next)?, identity(&previous)?) {
            (None, None) => true,
            (Some(a), Some(b)) if a == b => true,
            (Some(_), Some(_)) => {
                let read = |path: &Path| {
                    std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))
                };
                read(&next)? == read(&previous)?
            }
            _ => false,
        })
    }

    /// Saves the record while the deploy runs: unsynced, as it only says the deployment
    /// started (a power cut can empty it, and an empty record reads as none).
    fn save(&self) -> Result<()> {
        self.save_with(Durability::Kill)
    }

    fn save_with(&self, durability: Durability) -> Result<()> {
        write_json_atomic_with(&self.state.record_path(self.id()), &self.record, durability)
    }
}
