//! Helpers for the operator-experience tests (tests/ops_*.rs): run the real `run-deploy`
//! binary, write small apps, and take exact snapshots of folders.
//!
//! Use from a test file with `#[path = "common/ops_support.rs"] mod ops_support;`.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The `run-deploy` binary under test.
pub fn run_deploy_exe() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_run-deploy"))
}

/// What one run of `run-deploy` did.
#[derive(Debug)]
pub struct Run {
    /// The exit code.
    pub code: i32,
    /// Everything on stdout.
    pub stdout: String,
    /// Everything on stderr.
    pub stderr: String,
}

/// Runs `run-deploy ARGS` in `cwd` with stdin empty, NO_COLOR and the trace level
/// cleared, plus `envs`.
pub fn run(cwd: &Path, args: &[&str], envs: &[(&str, &str)]) -> Run {
    let mut command = Command::new(run_deploy_exe());
    command
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .env_remove("NO_COLOR")
        .env_remove("SCM_TRACE_LEVEL")
        .env_remove("DEPLOY_RESET_ENV");
    for (name, value) in envs {
        command.env(name, value);
    }
    let output = command.output().expect("run-deploy starts");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A folder of an app to deploy, a site and a state folder, all in one temporary folder.
pub struct Layout {
    /// Keeps the folders alive.
    pub dir: tempfile::TempDir,
    /// The app (DEPLOYMENT_SOURCE).
    pub app: PathBuf,
    /// The site (DEPLOYMENT_TARGET).
    pub site: PathBuf,
    /// The state folder.
    pub state: PathBuf,
}

impl Layout {
    /// An app folder holding `files` (relative path, text), and no site yet.
    pub fn new(files: &[(&str, &str)]) -> Layout {
        let dir = tempfile::tempdir().expect("temporary folder");
        let app = dir.path().join("app");
        let site = dir.path().join("site");
        let state = dir.path().join("state");
        for (rel, text) in files {
            write(&app, rel, text);
        }
        Layout {
            dir,
            app,
            site,
            state,
        }
    }

    /// `run-deploy --source APP --target SITE --state-dir STATE EXTRA...`.
    pub fn deploy(&self, extra: &[&str], envs: &[(&str, &str)]) -> Run {
        let mut args = vec![
            "--source",
            self.app.to_str().unwrap(),
            "--target",
            self.site.to_str().unwrap(),
            "--state-dir",
            self.state.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        run(self.dir.path(), &args, envs)
    }

    /// Replaces the temporary folder's path by `[TMP]` in `text`.
    pub fn redact(&self, text: &str) -> String {
        let root = self.dir.path().to_str().unwrap();
        let real = std::fs::canonicalize(self.dir.path()).unwrap();
        text.replace(real.to_str().unwrap(), "[TMP]")
            .replace(root, "[TMP]")
    }
}

/// Writes a file (and its folders).
pub fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// One entry of a tree as the dry-run tests compare it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A file: content, mode and modification time in nanoseconds.
    File(Vec<u8>, u32, i128),
    /// A folder: mode and modification time (a file added or removed changes it).
    Dir(u32, i128),
    /// A symlink and where it points.
    Link(PathBuf),
}

/// Every entry under `root` (the root itself too, as ""), by relative path; empty when
/// `root` does not exist.
pub fn tree(root: &Path) -> BTreeMap<String, Entry> {
    let mut out = BTreeMap::new();
    if !root.exists() {
        return out;
    }
    for entry in walkdir::WalkDir::new(root) {
        let entry = entry.unwrap();
        let meta = entry.path().symlink_metadata().unwrap();
        let rel = entry
            .path()
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let mtime = meta.mtime() as i128 * 1_000_000_000 + meta.mtime_nsec() as i128;
        let snap = if meta.file_type().is_symlink() {
            Entry::Link(std::fs::read_link(entry.path()).unwrap())
        } else if meta.is_dir() {
            Entry::Dir(meta.mode() & 0o7777, mtime)
        } else {
            Entry::File(
                std::fs::read(entry.path()).unwrap(),
                meta.mode() & 0o7777,
                mtime,
            )
        };
        out.insert(rel, snap);
    }
    out
}

/// The `[i/n] STEP: outcome (detail)` lines of a human run's stderr, without the time.
pub fn step_lines(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|line| line.starts_with('[') && line.contains("]"))
        .filter_map(|line| {
            let (without_time, time) = line.rsplit_once(' ')?;
            time.ends_with('s').then(|| without_time.to_string())
        })
        .collect()
}
