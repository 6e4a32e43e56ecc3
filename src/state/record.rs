//! The record of one deployment (`deployments/<id>/record.json`) and how records are read.

use super::committed::OnceTokenUse;
use super::deployment_id::DeploymentId;
use super::lock::{LockError, LockState};
use super::state_dir::StateDir;
use crate::atomic_write::read_json;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use time::OffsetDateTime;

/// How a deployment ended, or that it still runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// It runs (or its process was killed: see [`StateDir::deployments`]).
    Running,
    /// The script and post-deployment actions succeeded.
    Succeeded,
    /// The script or a post-deployment action failed.
    Failed,
    /// It was stopped by a signal, or its process died without finishing.
    Interrupted,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Status::Running => "running",
            Status::Succeeded => "succeeded",
            Status::Failed => "failed",
            Status::Interrupted => "interrupted",
        })
    }
}

/// Everything recorded about one deployment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeploymentRecord {
    /// Its id (also its folder's name).
    pub id: DeploymentId,
    /// How it ended, or `running`.
    pub status: Status,
    /// When it started.
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    /// When it finished, if it did.
    #[serde(with = "time::serde::rfc3339::option")]
    pub finished_at: Option<OffsetDateTime>,
    /// `run-deploy`'s exit code, once finished.
    pub exit_code: Option<i32>,
    /// The process that ran it.
    pub pid: u32,
    /// That process's command line (secrets masked).
    pub command_line: Vec<String>,
    /// The source folder.
    pub source: PathBuf,
    /// The target folder.
    pub target: PathBuf,
    /// The script that ran, when known.
    pub script: Option<PathBuf>,
    /// Fingerprints of its inputs: script hash, source commit id, requirement hashes...
    pub fingerprints: BTreeMap<String, String>,
    /// `/ONCE` tokens staged, committed to `tokens/` on success.
    pub once_tokens: Vec<OnceTokenUse>,
    /// `/IFCHANGED` input hashes by key, committed to `inputs/` on success.
    pub inputs: BTreeMap<String, String>,
}

impl DeploymentRecord {
    /// How long it ran, when it finished.
    pub fn duration(&self) -> Option<time::Duration> {
        self.finished_at.map(|end| end - self.started_at)
    }
}

impl StateDir {
    /// The ids of every deployment folder, oldest first (names that are not ids are
    /// ignored).
    pub fn deployment_ids(&self) -> Result<Vec<DeploymentId>> {
        let folder = self.deployments_dir();
        let entries = match std::fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(err) => {
                return Err(err).with_context(|| format!("cannot list `{}`", folder.display()))
            }
        };
        let mut ids = Vec::new();
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot list `{}`", folder.display()))?;
            if let Some(id) = entry.file_name().to_str().and_then(DeploymentId::parse) {
                ids.push(id);
            }
        }
        ids.sort();
        Ok(ids)
    }

    /// The record of deployment `id` as stored, or `None` when it has none. An empty
    /// record (or one of NUL bytes) is none too: the `running` record is written without
    /// an `fsync` (see [`crate::atomic_write::Durability::Kill`]), and a power cut can leave
    /// it so; the deployment never got further than its start on disk.
    pub fn read_record(&self, id: &DeploymentId) -> Result<Option<DeploymentRecord>> {
        let path = self.record_path(id);
        match std::fs::read(&path) {
            Ok(bytes) if bytes.iter().all(|&byte| byte == 0) => return Ok(None),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(err) => {
                return Err(err).with_context(|| format!("cannot read `{}`", path.display()))
            }
            Ok(_) => {}
        }
        read_json(&path)
    }

    /// Every recorded deployment, newest first. A record left `running` by a process that
    /// no longer holds the lock (it was killed) is returned as `interrupted`.
    pub fn deployments(&self) -> Result<Vec<DeploymentRecord>> {
        let lock = self.lock_state().map_err(anyhow_lock)?;
        let mut records = Vec::new();
        for id in self.deployment_ids()?.into_iter().rev() {
            if let Some(record) = self.read_record(&id)? {
                records.push(resolve_interrupted(record, &lock));
            }
        }
        Ok(records)
    }

    /// The record of deployment `id`, `running` resolved as in [`StateDir::deployments`].
    pub fn deployment(&self, id: &DeploymentId) -> Result<Option<DeploymentRecord>> {
        let lock = self.lock_state().map_err(anyhow_lock)?;
        Ok(self
            .read_record(id)?
            .map(|record| resolve_interrupted(record, &lock)))
    }
}

fn anyhow_lock(err: LockError) -> anyhow::Error {
    anyhow::Error::new(err)
}

/// A `running` record is really running only if its deployment holds the lock; when the
/// holder cannot be read, it is given the benefit of the doubt.
fn resolve_interrupted(mut record: DeploymentRecord, lock: &LockState) -> DeploymentRecord {
    let still_running = match lock {
        LockState::Free => false,
        LockState::Held { holder: None } => true,
        LockState::Held {
            holder: Some(holder),
        } => holder.deployment == record.id,
    };
    if record.status == Status::Running && !still_running {
        record.status = Status::Interrupted;
    }
    record
}
