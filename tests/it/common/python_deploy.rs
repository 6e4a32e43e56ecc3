//! Test support for whole Python deploys through the real `run-deploy` binary: a repository
//! and a site in a temporary folder, offline wheels, and questions about the site's env.
//!
//! Use with wheels.rs and stand_ins.rs:
//! `#[path = "common/python_deploy.rs"] mod python_deploy;`.
#![allow(dead_code)]

use super::stand_ins::wheel_house;
use super::wheels::WheelHouse;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A repository folder, a site folder and the wheels pip may install, side by side.
pub struct App {
    dir: tempfile::TempDir,
    /// The repository checkout (`--source`).
    pub repo: PathBuf,
    /// The site (`--target`).
    pub site: PathBuf,
    /// Flask, gunicorn and Django stand-ins.
    pub wheels: WheelHouse,
}

/// What one run-deploy run printed and returned.
pub struct Run {
    /// The exit code (-1 when killed by a signal).
    pub code: i32,
    /// The script's and its programs' output.
    pub stdout: String,
    /// run-deploy's own lines (steps, messages, summary).
    pub stderr: String,
}

impl Run {
    /// The step line of `step` (`VENV ENSURE: rebuilt (...)`), without its time.
    pub fn step(&self, step: &str) -> String {
        let line = self
            .stderr
            .lines()
            .find(|line| line.contains(&format!("] {step}")))
            .unwrap_or_else(|| panic!("no `{step}` step line in:\n{}", self.stderr));
        let without_index = line.split_once("] ").map_or(line, |(_, rest)| rest);
        without_index
            .rsplit_once(' ')
            .map_or(without_index, |(rest, _)| rest)
            .to_string()
    }

    /// Panics with both outputs unless the run succeeded.
    pub fn assert_ok(&self) -> &Self {
        assert_eq!(self.code, 0, "{self}");
        self
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit code {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

impl App {
    /// An empty repository and site, with the web wheels built.
    pub fn new() -> App {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        let site = dir.path().join("site");
        std::fs::create_dir_all(&repo).unwrap();
        App {
            repo,
            site,
            wheels: wheel_house(&["flask", "gunicorn", "django"]),
            dir,
        }
    }

    /// A repository holding a copy of `samples/<name>`.
    pub fn sample(name: &str) -> App {
        let app = App::new();
        let sample = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("samples")
            .join(name);
        copy_tree(&sample, &app.repo);
        app
    }

    /// Writes `text` to `relative` in the repository.
    pub fn write(&self, relative: &str, text: &str) {
        let path = self.repo.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Uncomments the repository's deploy.cmd line `:: <directive>` (a sample's VENV REMOVE).
    pub fn uncomment(&self, directive: &str) {
        let path = self.repo.join("deploy.cmd");
        let text = std::fs::read_to_string(&path).unwrap();
        let commented = format!(":: {directive}\r\n");
        assert!(text.contains(&commented), "no `{commented}` in deploy.cmd");
        std::fs::write(&path, text.replace(&commented, &format!("{directive}\r\n"))).unwrap();
    }

    /// A run-deploy command for this app, offline, with a clean Python selection.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_run-deploy"));
        command
            .arg("--source")
            .arg(&self.repo)
            .arg("--target")
            .arg(&self.site)
            .args(args)
            .current_dir(self.dir.path());
        for name in [
            "PYTHON_VERSION",
            "VIRTUAL_ENV",
            "PIP_REQUIRE_VIRTUALENV",
            "PYTHONPATH",
            "PYTHONHOME",
            "DEPLOY_PYTHON_DIRS",
            "DEPLOY_RESET_ENV",
            "DISABLE_COLLECTSTATIC",
            "NO_COLOR",
        ] {
            command.env_remove(name);
        }
        command
            .env("PIP_NO_INDEX", "1")
            .env("PIP_FIND_LINKS", self.wheels.path())
            .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
            .env("PIP_NO_CACHE_DIR", "1");
        command
    }

    /// Runs one deploy with `args` and returns what it did.
    pub fn deploy(&self, args: &[&str]) -> Run {
        self.run(self.command(args))
    }

    /// Runs a prepared command.
    pub fn run(&self, mut command: Command) -> Run {
        run_output(command.output().expect("run run-deploy"))
    }

    /// The site's env folder.
    pub fn env_dir(&self) -> PathBuf {
        self.site.join("env")
    }

    /// The build id in the site env's marker (`None` without a marker).
    pub fn build_id(&self) -> Option<String> {
        let text = std::fs::read_to_string(self.env_dir().join("deploy-script-env.json")).ok()?;
        let marker: serde_json::Value = serde_json::from_str(&text).unwrap();
        marker["build_id"].as_str().map(str::to_string)
    }

    /// What `import <module>; print(<module>.VERSION)` prints in the site's env, or `None`.
    pub fn import_version(&self, module: &str) -> Option<String> {
        let output = Command::new(self.env_dir().join("bin/python"))
            .args(["-c", &format!("import {module}; print({module}.VERSION)")])
            .env_remove("PYTHONPATH")
            .output()
            .ok()?;
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
    }

    /// The `X.Y.Z` version of the site env's python.
    pub fn env_python_version(&self) -> String {
        let output = Command::new(self.env_dir().join("bin/python"))
            .args(["-c", "import platform; print(platform.python_version())"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }

    /// The site env's `lib/pythonX.Y/site-packages`.
    pub fn site_packages(&self) -> PathBuf {
        let lib = self.env_dir().join("lib");
        let version = std::fs::read_dir(&lib)
            .unwrap()
            .flatten()
            .find(|entry| entry.file_name().to_string_lossy().starts_with("python"))
            .expect("env/lib/pythonX.Y");
        version.path().join("site-packages")
    }
}

impl Default for App {
    fn default() -> Self {
        App::new()
    }
}

/// A finished process as a [`Run`].
pub fn run_output(output: Output) -> Run {
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Copies the files under `from` into `to` (folders created as needed).
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let relative = entry.path().strip_prefix(from).unwrap();
        let destination = to.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&destination).unwrap();
        } else {
            std::fs::copy(entry.path(), &destination).unwrap();
        }
    }
}

/// Every file under `root` (symlinks included, `__pycache__` left out), relative, sorted.
pub fn files_under(root: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|entry| entry.file_name() != "__pycache__")
        .flatten()
        .filter(|entry| !entry.file_type().is_dir())
        .map(|entry| {
            entry
                .path()
                .strip_prefix(root)
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    files.sort();
    files
}
