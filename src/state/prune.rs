//! Pruning: only the newest deployments are kept, never the last successful one nor the
//! one running.

use super::deployment_id::DeploymentId;
use super::state_dir::StateDir;
use anyhow::{Context, Result};

impl StateDir {
    /// Removes the folders and manifests of deployments older than the newest `keep`,
    /// except the last successful one and `running`. Returns the ids removed, oldest first.
    /// Call it only while holding the lock.
    pub fn prune(&self, keep: usize, running: Option<&DeploymentId>) -> Result<Vec<DeploymentId>> {
        let ids = self.deployment_ids()?;
        let last_success = self.last_success()?;
        let old = ids.len().saturating_sub(keep);
        let mut pruned = Vec::new();
        for id in ids.into_iter().take(old) {
            if Some(&id) == last_success.as_ref() || Some(&id) == running {
                continue;
            }
            self.remove_deployment(&id)?;
            pruned.push(id);
        }
        Ok(pruned)
    }

    fn remove_deployment(&self, id: &DeploymentId) -> Result<()> {
        let folder = self.deployment_dir(id);
        // Renamed out of the id namespace first, so a crash while deleting leaves no
        // half-deleted deployment in the list (the next prune finishes the job).
        let doomed = self.deployments_dir().join(format!(".pruned-{id}"));
        std::fs::rename(&folder, &doomed)
            .with_context(|| format!("cannot remove `{}`", folder.display()))?;
        std::fs::remove_dir_all(&doomed)
            .with_context(|| format!("cannot remove `{}`", doomed.display()))?;
        let manifest = self.manifest_path(id);
        match std::fs::remove_file(&manifest) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
                Err(err).with_context(|| format!("cannot remove `{}`", manifest.display()))
            }
            _ => Ok(()),
        }
    }

    /// Removes what an interrupted prune left (`deployments/.pruned-*`).
    pub(crate) fn remove_prune_leftovers(&self) -> Result<()> {
        let folder = self.deployments_dir();
        let Ok(entries) = std::fs::read_dir(&folder) else {
            return Ok(());
        };
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(".pruned-") {
                std::fs::remove_dir_all(entry.path())
                    .with_context(|| format!("cannot remove `{}`", entry.path().display()))?;
            }
        }
        Ok(())
    }
}
