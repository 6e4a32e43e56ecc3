//! What successful deployments leave for later ones: `/ONCE` tokens used (`tokens/`),
//! `/IFCHANGED` content hashes (`inputs/`) and named fingerprints (`fingerprints/`).
//!
//! A running deployment only stages these in its record; [`super::Deployment::finish`]
//! commits them when it succeeds, so a failed deploy never uses a token up or makes a
//! changed file look unchanged. Reads here are side-effect free, for `--dry-run`.
//!
//! Each entry is one file `<folder>/<xxh3 of its key>.json` holding the key in clear.
//! Paths are keyed relative to the target (`target:env`) or the source
//! (`source:requirements.txt`) when inside them, so a fresh checkout folder per deploy
//! still finds its entries.

use super::deployment_id::DeploymentId;
use super::state_dir::StateDir;
use crate::atomic_write::{read_json, write_json_atomic};
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The content hash of a file that does not exist.
pub const MISSING: &str = "missing";

/// Whether a file's content changed since the last successful deployment that looked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ChangeStatus {
    /// No successful deployment recorded this file before.
    FirstSeen {
        /// Its hash now.
        new: String,
    },
    /// Same content as at the last successful deployment.
    Unchanged {
        /// Its hash (then and now).
        hash: String,
    },
    /// Different content (or it appeared or vanished).
    Changed {
        /// Its hash at the last success.
        old: String,
        /// Its hash now.
        new: String,
    },
}

impl ChangeStatus {
    /// The file's hash now.
    pub fn current_hash(&self) -> &str {
        match self {
            ChangeStatus::FirstSeen { new } | ChangeStatus::Changed { new, .. } => new,
            ChangeStatus::Unchanged { hash } => hash,
        }
    }
}

/// One `VENV REMOVE /ONCE` token staged by a deployment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnceTokenUse {
    /// The env folder's key (`target:env`).
    pub env_dir: String,
    /// The token.
    pub token: String,
}

/// One committed entry: its key in clear, its value, and who committed it.
#[derive(Debug, Serialize, Deserialize)]
struct Entry<T> {
    key: String,
    value: T,
    deployment: DeploymentId,
}

/// `xxh3:<16 hex digits>` of a file's content, or [`MISSING`].
pub fn content_hash(path: &Path) -> Result<String> {
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(MISSING.to_owned()),
        Err(err) => return Err(err).with_context(|| format!("cannot read `{}`", path.display())),
    };
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buffer = vec![0; 64 * 1024];
    loop {
        let read = file
            .read(&mut buffer)
            .with_context(|| format!("cannot read `{}`", path.display()))?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
    }
    Ok(format!("xxh3:{:016x}", hasher.digest()))
}

impl StateDir {
    /// True when a successful deployment already used `token` for the env folder
    /// `env_dir` (so `VENV REMOVE /ONCE token` must not remove it again).
    pub fn once_token_used(&self, env_dir: &Path, token: &str) -> Result<bool> {
        let key = self.env_key(env_dir)?;
        let used: Option<Entry<Vec<String>>> = read_json(&entry_path(&self.tokens_dir(), &key))?;
        Ok(used.is_some_and(|entry| entry.value.iter().any(|t| t == token)))
    }

    /// Whether `path`'s content changed since the last successful deployment that recorded
    /// it. `source` is this deploy's source folder (paths in it are keyed relative to it).
    pub fn file_changed_since_last_success(
        &self,
        path: &Path,
        source: &Path,
    ) -> Result<ChangeStatus> {
        let key = self.input_key(path, source)?;
        let new = content_hash(path)?;
        let old: Option<Entry<String>> = read_json(&entry_path(&self.inputs_dir(), &key))?;
        Ok(match old {
            None => ChangeStatus::FirstSeen { new },
            Some(entry) if entry.value == new => ChangeStatus::Unchanged { hash: new },
            Some(entry) => ChangeStatus::Changed {
                old: entry.value,
                new,
            },
        })
    }

    /// The value of fingerprint `name` as of the last successful deployment that set it.
    pub fn last_success_fingerprint(&self, name: &str) -> Result<Option<String>> {
        let entry: Option<Entry<String>> = read_json(&entry_path(&self.fingerprints_dir(), name))?;
        Ok(entry.map(|entry| entry.value))
    }

    /// The key of an env folder in `tokens/`.
    pub(crate) fn env_key(&self, env_dir: &Path) -> Result<String> {
        StateDir::key_for(env_dir, &[("target", self.target())])
    }

    /// The key of an input file in `inputs/`.
    pub(crate) fn input_key(&self, path: &Path, source: &Path) -> Result<String> {
        StateDir::key_for(path, &[("source", source), ("target", self.target())])
    }

    /// Commits what a successful deployment staged. An entry that already holds the same
    /// value is left as it is (it keeps naming the deployment that first set it). Returns
    /// true when anything was written.
    pub(crate) fn commit_staged(
        &self,
        deployment: &DeploymentId,
        tokens: &[OnceTokenUse],
        inputs: &std::collections::BTreeMap<String, String>,
        fingerprints: &std::collections::BTreeMap<String, String>,
    ) -> Result<bool> {
        let mut wrote = false;
        for OnceTokenUse { env_dir, token } in tokens {
            let path = entry_path(&self.tokens_dir(), env_dir);
            let mut used = read_json::<Entry<Vec<String>>>(&path)?
                .map(|entry| entry.value)
                .unwrap_or_default();
            if !used.contains(token) {
                used.push(token.clone());
                write_entry(&path, env_dir, used, deployment)?;
                wrote = true;
            }
        }
        let named = [
            (self.inputs_dir(), inputs),
            (self.fingerprints_dir(), fingerprints),
        ];
        for (folder, entries) in named {
            for (key, value) in entries {
                let path = entry_path(&folder, key);
                let old: Option<Entry<String>> = read_json(&path)?;
                if old.is_some_and(|old| old.key == *key && old.value == *value) {
                    continue;
                }
                write_entry(&path, key, value, deployment)?;
                wrote = true;
            }
        }
        Ok(wrote)
    }
}

fn entry_path(folder: &Path, key: &str) -> PathBuf {
    folder.join(format!(
        "{:016x}.json",
        xxhash_rust::xxh3::xxh3_64(key.as_bytes())
    ))
}

fn write_entry<T: Serialize>(
    path: &Path,
    key: &str,
    value: T,
    deployment: &DeploymentId,
) -> Result<()> {
    let entry = Entry {
        key: key.to_owned(),
        value,
        deployment: deployment.clone(),
    };
    write_json_atomic(path, &entry)
}
