//! A site for the end-to-end deploy tests: a repository, a target and a state folder in one
//! temporary folder, and the real `run-deploy` binary run against them. A test binary that
//! uses it also declares `common/sync_tree.rs` as `sync_tree`.

// Each test binary uses a different part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use tempfile::TempDir;

/// The variables run-deploy sets unless its caller did: the tests start without them.
const KUDU_VARIABLES: [&str; 12] = [
    "DEPLOYMENT_SOURCE",
    "DEPLOYMENT_TARGET",
    "DEPLOYMENT_TEMP",
    "NEXT_MANIFEST_PATH",
    "PREVIOUS_MANIFEST_PATH",
    "IN_PLACE_DEPLOYMENT",
    "KUDU_SYNC_CMD",
    "KUDU_SELECT_PYTHON_VERSION_CMD",
    "SCM_COMMIT_ID",
    "SCM_TRACE_LEVEL",
    "DEPLOY_SYNC_JOURNAL",
    "COMMAND",
];

/// `repo/` (the source), `wwwroot/` (the target) and `state/` (`--state-dir`).
pub struct Site {
    pub dir: TempDir,
    pub repo: PathBuf,
    pub target: PathBuf,
    pub state: PathBuf,
}

/// What one run of run-deploy did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts the exit code, showing both streams when it differs.
    #[track_caller]
    pub fn expect(&self, code: i32) -> &Run {
        assert_eq!(self.code, code, "{self}");
        self
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

impl Site {
    /// An empty repository and no target yet.
    pub fn new() -> Site {
        let dir = TempDir::new().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(&repo).unwrap();
        Site {
            target: dir.path().join("wwwroot"),
            state: dir.path().join("state"),
            repo,
            dir,
        }
    }

    /// Writes `repo/deploy.cmd` with Windows line ends.
    pub fn script(&self, text: &str) {
        std::fs::write(self.repo.join("deploy.cmd"), text.replace('\n', "\r\n")).unwrap();
    }

    /// run-deploy, not started: `--source repo --target wwwroot --state-dir state`, then
    /// `extra`; run in the temporary folder, without the Kudu variables of this process.
    pub fn command(&self, extra: &[&str]) -> Command {
        let mut command = run_deploy_in(self.dir.path());
        command
            .arg("--source")
            .arg(&self.repo)
            .arg("--target")
            .arg(&self.target)
            .arg("--state-dir")
            .arg(&self.state)
            .args(extra);
        command
    }

    /// Deploys and waits.
    pub fn deploy(&self, extra: &[&str]) -> Run {
        run(self.command(extra))
    }

    /// Starts a deploy with its output thrown away.
    pub fn spawn_quietly(&self, extra: &[&str]) -> Child {
        self.command(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    }

    /// `run-deploy SUBCOMMAND ARGS --target wwwroot --state-dir state`.
    pub fn subcommand(&self, subcommand: &str, args: &[&str]) -> Run {
        let mut command = run_deploy_in(self.dir.path());
        command
            .arg(subcommand)
            .args(args)
            .arg("--target")
            .arg(&self.target)
            .arg("--state-dir")
            .arg(&self.state);
        run(command)
    }

    /// The `last-success` pointer, if any.
    pub fn last_success(&self) -> Option<String> {
        std::fs::read_to_string(self.state.join("last-success"))
            .ok()
            .map(|text| text.trim().to_string())
    }

    /// The ids of the deployments kept, oldest first.
    pub fn deployment_ids(&self) -> Vec<String> {
        names_in(&self.state.join("deployments"))
    }

    /// The manifests kept, by deployment id, oldest first.
    pub fn manifest_ids(&self) -> Vec<String> {
        names_in(&self.state.join("manifests"))
    }

    /// The rows of `run-deploy list` (header and footnote left out), newest first.
    pub fn list_rows(&self) -> Vec<String> {
        let list = self.subcommand("list", &[]);
        list.expect(0);
        list.stdout
            .lines()
            .filter(|line| line.contains("Z-"))
            .map(str::to_string)
            .collect()
    }
}

/// The real run-deploy binary, to run in `dir`, with stdin closed.
pub fn run_deploy_in(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_run-deploy"));
    command.current_dir(dir).stdin(Stdio::null());
    for name in KUDU_VARIABLES {
        command.env_remove(name);
    }
    command
}

/// Runs a command to its end.
pub fn run(mut command: Command) -> Run {
    let output = command.output().expect("run-deploy runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The names in a folder, sorted (none when it is missing).
pub fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|name| !name.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// After recovery and a successful deploy, the target is the repository (modes and times
/// too) plus the site's own files, and nothing else.
pub fn assert_tree_is_repo_plus_site_files(site: &Site, own: &[&str]) {
    let repo = super::sync_tree::snapshot(&site.repo);
    let mut target = super::sync_tree::snapshot(&site.target);
    for path in own {
        assert!(target.remove(*path).is_some(), "the site's `{path}` stays");
    }
    super::sync_tree::assert_same(&target, &repo, "the target after the deploy");
}

/// Lines of the journal index, while a deploy runs (0 when there is none).
pub fn journal_records(state: &Path) -> usize {
    std::fs::read(state.join("journal/index"))
        .map(|bytes| bytes.iter().filter(|&&b| b == b'\n').count())
        .unwrap_or(0)
}
