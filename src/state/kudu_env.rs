//! The variables Kudu sets before it runs a deploy script, computed for a deploy here.
//!
//! | variable                         | value                                                   |
//! |----------------------------------|---------------------------------------------------------|
//! | `DEPLOYMENT_SOURCE`              | the source folder (absolute)                            |
//! | `DEPLOYMENT_TARGET`              | the target folder (absolute)                            |
//! | `DEPLOYMENT_TEMP`                | `<state>/temp`: an empty folder, emptied again after the deploy |
//! | `NEXT_MANIFEST_PATH`             | `<state>/manifests/<id>`: the manifest this deploy writes |
//! | `PREVIOUS_MANIFEST_PATH`         | the last successful deployment's manifest               |
//! | `IN_PLACE_DEPLOYMENT`            | `1` when source and target are the same folder, else `0` |
//! | `SCM_COMMIT_ID`                  | `git rev-parse HEAD` in the source, when it is a git checkout |
//! | `KUDU_SYNC_CMD`                  | set by the caller through [`KuduEnvInputs::kudu_sync_cmd`] |
//! | `KUDU_SELECT_PYTHON_VERSION_CMD` | set by the caller through [`KuduEnvInputs::select_python_cmd`] |
//!
//! A variable the caller's environment already has (names compared case-insensitively, as
//! cmd does) is left alone: the caller's value wins, and no temporary folder is made for a
//! `DEPLOYMENT_TEMP` the caller set.
//!
//! `DEPLOYMENT_TEMP` is one folder of the state folder, kept from deploy to deploy and
//! emptied before and after each: deploys of a target take turns (the state folder's
//! lock), so one folder is enough, and a deploy that creates nothing there costs two
//! reads of an empty folder instead of creating and removing one (on a disk that discards
//! freed blocks, a folder removed is a trim). A deploy killed before emptying it leaves
//! its files for the next deploy to remove first.

use super::state_dir::{absolute, StateDir};
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What [`KuduEnv::prepare`] computes from.
#[derive(Clone, Debug)]
pub struct KuduEnvInputs<'a> {
    /// The caller's environment (`run-deploy`'s own).
    pub caller: &'a BTreeMap<String, String>,
    /// The source folder.
    pub source: &'a Path,
    /// The state folder (gives the target and the previous manifest).
    pub state: &'a StateDir,
    /// This deployment's manifest ([`super::Deployment::next_manifest_path`]).
    pub next_manifest: &'a Path,
    /// The command line of the sync engine for `KUDU_SYNC_CMD`, when the caller has one.
    pub kudu_sync_cmd: Option<String>,
    /// The command line of Python selection for `KUDU_SELECT_PYTHON_VERSION_CMD`.
    pub select_python_cmd: Option<String>,
}

/// The Kudu variables for one deploy, and the `DEPLOYMENT_TEMP` folder it owns.
#[derive(Debug)]
pub struct KuduEnv {
    vars: BTreeMap<String, String>,
    temp: Option<PathBuf>,
    notes: Vec<String>,
}

impl KuduEnv {
    /// Computes the variables the caller has not set, and makes `DEPLOYMENT_TEMP` an
    /// empty folder.
    pub fn prepare(inputs: KuduEnvInputs<'_>) -> Result<KuduEnv> {
        let caller_has = |name: &str| inputs.caller.keys().any(|k| k.eq_ignore_ascii_case(name));
        let source = absolute(inputs.source)?;
        let target = inputs.state.target().to_owned();
        let mut env = KuduEnv {
            vars: BTreeMap::new(),
            temp: None,
            notes: Vec::new(),
        };
        let mut set = |name: &str, value: String| {
            if !caller_has(name) {
                env.vars.insert(name.to_owned(), value);
            }
        };
        set("DEPLOYMENT_SOURCE", path_text(&source));
        set("DEPLOYMENT_TARGET", path_text(&target));
        set("NEXT_MANIFEST_PATH", path_text(inputs.next_manifest));
        set(
            "PREVIOUS_MANIFEST_PATH",
            path_text(&inputs.state.previous_manifest_path()?),
        );
        let in_place = same_folder(&source, &target);
        set(
            "IN_PLACE_DEPLOYMENT",
            if in_place { "1" } else { "0" }.to_owned(),
        );
        if let Some(command) = inputs.kudu_sync_cmd {
            set("KUDU_SYNC_CMD", command);
        }
        if let Some(command) = inputs.select_python_cmd {
            set("KUDU_SELECT_PYTHON_VERSION_CMD", command);
        }
        if !caller_has("SCM_COMMIT_ID") && source.join(".git").exists() {
            match git_head_commit(&source) {
                Ok(commit) => set("SCM_COMMIT_ID", commit),
                Err(err) => env
                    .notes
                    .push(format!("`SCM_COMMIT_ID` is not set: {err:#}")),
            }
        }
        if !caller_has("DEPLOYMENT_TEMP") {
            let temp = inputs.state.temp_dir();
            match std::fs::create_dir(&temp) {
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => empty_folder(&temp)
                    .with_context(|| {
                        format!(
                            "cannot empty the `DEPLOYMENT_TEMP` folder `{}`",
                            temp.display()
                        )
                    })?,
                result => result.with_context(|| {
                    format!(
                        "cannot create the `DEPLOYMENT_TEMP` folder `{}`",
                        temp.display()
                    )
                })?,
            }
            env.vars
                .insert("DEPLOYMENT_TEMP".to_owned(), path_text(&temp));
            env.temp = Some(temp);
        }
        Ok(env)
    }

    /// The variables to add (only those the caller did not set).
    pub fn vars(&self) -> &BTreeMap<String, String> {
        &self.vars
    }

    /// Remarks for the log, e.g. why `SCM_COMMIT_ID` is missing.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// The `DEPLOYMENT_TEMP` folder this owns, unless the caller set its own.
    pub fn temp_dir(&self) -> Option<&Path> {
        self.temp.as_deref()
    }

    /// Adds the variables to `env`.
    pub fn apply(&self, env: &mut BTreeMap<String, String>) {
        env.extend(self.vars.iter().map(|(k, v)| (k.clone(), v.clone())));
    }

    /// Empties `DEPLOYMENT_TEMP` (the next deploy empties it first anyway).
    pub fn remove_temp(mut self) -> Result<()> {
        match self.temp.take() {
            Some(temp) => {
                empty_folder(&temp).with_context(|| format!("cannot empty `{}`", temp.display()))
            }
            None => Ok(()),
        }
    }
}

/// Removes everything inside `folder`, following no link (a link is removed, not what it
/// points to).
fn empty_folder(folder: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(folder)? {
        let entry = entry?;
        let path = entry.path();
        let removed = if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        match removed {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => return Err(err),
            _ => {}
        }
    }
    Ok(())
}

fn path_text(path: &Path) -> String {
    path.display().to_string()
}

fn same_folder(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// The commit checked out in `source`: a quick query whose output is read, not a step of
/// the deploy whose output is shown, so git runs directly rather than through
/// `crate::process` (which streams a program's lines to the report).
fn git_head_commit(source: &Path) -> Result<String> {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(source)
        .args(["rev-parse", "HEAD"])
        .stdin(std::process::Stdio::null())
        .output()
        .context("cannot run `git`")?;
    if !output.status.success() {
        anyhow::bail!(
            "`git rev-parse HEAD` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}
