//! Test support for deploying generated scripts for real: a copy of an app, a site and a
//! state folder beside it, and the real `run-deploy` run offline against a wheel house.
//!
//! Use from a test file with `#[path]` modules named `wheels`, `stand_ins`,
//! `gen_deploy_support` and `gen_deploy_site`.
#![allow(dead_code)]

use super::gen_deploy_support::{lf, Workspace};
use super::stand_ins::all_wheels;
use super::wheels::WheelHouse;
use std::path::{Path, PathBuf};
use std::process::Command;

/// An app copied into a temporary folder, with `site/` and `state/` beside it, and the
/// wheels its deploys install from.
pub struct DeploySite {
    /// The temporary folder and the app in it.
    pub workspace: Workspace,
    /// The stand-in packages (see stand_ins.rs).
    pub wheels: WheelHouse,
}

impl DeploySite {
    /// A copy of sample `name` (samples/<name>).
    pub fn sample(name: &str) -> DeploySite {
        let source = super::gen_deploy_support::samples_dir().join(name);
        DeploySite::of(Workspace::copy_of(&source))
    }

    /// A copy of fixture app `name` (tests/fixtures/apps/<name>).
    pub fn fixture(name: &str) -> DeploySite {
        DeploySite::of(Workspace::fixture(name))
    }

    fn of(workspace: Workspace) -> DeploySite {
        DeploySite {
            workspace,
            wheels: all_wheels(),
        }
    }

    /// The app folder (DEPLOYMENT_SOURCE).
    pub fn app(&self) -> PathBuf {
        self.workspace.app()
    }

    /// The site folder (DEPLOYMENT_TARGET).
    pub fn target(&self) -> PathBuf {
        self.workspace.root.path().join("site")
    }

    /// The state folder.
    pub fn state(&self) -> PathBuf {
        self.workspace.root.path().join("state")
    }

    /// Runs `run-deploy --source <app> --target <site> --state-dir <state> args...`.
    pub fn deploy(&self, args: &[&str]) -> Deployed {
        self.deploy_with(args, &[])
    }

    /// [`DeploySite::deploy`] with more variables set for run-deploy.
    pub fn deploy_with(&self, args: &[&str], variables: &[(&str, &str)]) -> Deployed {
        let mut command = Command::new(env!("CARGO_BIN_EXE_run-deploy"));
        command
            .arg("--source")
            .arg(self.app())
            .arg("--target")
            .arg(self.target())
            .arg("--state-dir")
            .arg(self.state())
            .args(args)
            .current_dir(self.workspace.root.path());
        self.offline(&mut command);
        command.envs(variables.iter().copied());
        let output = command.output().expect("run run-deploy");
        Deployed {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).expect("utf-8 stdout"),
            stderr: lf(&String::from_utf8(output.stderr).expect("utf-8 stderr")),
            root: self.workspace.root.path().display().to_string(),
        }
    }

    /// Runs `site/env/bin/python -c code` in the site; its stdout when it succeeds.
    pub fn site_python(&self, code: &str) -> Result<String, String> {
        let mut command = Command::new(self.target().join("env/bin/python"));
        command.args(["-c", code]).current_dir(self.target());
        self.offline(&mut command);
        let output = command.output().expect("run the site's python");
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
        } else {
            Err(String::from_utf8_lossy(&output.stderr).into_owned())
        }
    }

    /// The version of the site env's python (`3.11.7`), as step lines name it.
    pub fn env_python_version(&self) -> String {
        self.site_python("import platform; print(platform.python_version())")
            .expect("the site has an env")
    }

    /// Sets `command`'s environment so that pip and uv read only the wheel house and no
    /// setting of the developer's shell leaks in.
    fn offline(&self, command: &mut Command) {
        for name in [
            "PYTHON_VERSION",
            "VIRTUAL_ENV",
            "PIP_REQUIRE_VIRTUALENV",
            "PYTHONPATH",
            "PYTHONHOME",
            "DEPLOY_PYTHON_DIRS",
            "DEPLOY_RESET_ENV",
            "DISABLE_COLLECTSTATIC",
            "COMMAND",
            "SCM_COMMIT_ID",
            "DEPLOYMENT_SOURCE",
            "DEPLOYMENT_TARGET",
        ] {
            command.env_remove(name);
        }
        let links = self.wheels.path().display().to_string();
        command
            .env("PIP_NO_INDEX", "1")
            .env("PIP_FIND_LINKS", &links)
            .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
            .env("PIP_NO_CACHE_DIR", "1")
            .env("UV_OFFLINE", "1")
            .env("UV_NO_INDEX", "1")
            .env("UV_FIND_LINKS", &links)
            .env("UV_PYTHON_DOWNLOADS", "never")
            .env("UV_CACHE_DIR", self.workspace.root.path().join("uv-cache"));
    }
}

/// What one `run-deploy` did.
#[derive(Debug)]
pub struct Deployed {
    /// The exit code.
    pub code: i32,
    /// The script's and its programs' output.
    pub stdout: String,
    /// The step lines, notes and summary (LF line ends).
    pub stderr: String,
    /// The temporary folder, shown as `[ROOT]` in step lines.
    root: String,
}

impl Deployed {
    /// Every step line (`[3/4] VENV ENSURE: reused (...)`) without its duration, with the
    /// temporary folder shown as `[ROOT]`.
    pub fn steps(&self) -> Vec<String> {
        self.stderr
            .lines()
            .filter(|line| line.starts_with('[') && line.contains("] "))
            .map(|line| without_duration(line).replace(&self.root, "[ROOT]"))
            .collect()
    }

    /// The step line of `directive` (`VENV ENSURE`), as [`Deployed::steps`] shows it.
    pub fn step(&self, directive: &str) -> String {
        let steps = self.steps();
        steps
            .iter()
            .find(|line| {
                line.split_once("] ")
                    .is_some_and(|(_, rest)| rest.starts_with(directive))
            })
            .cloned()
            .unwrap_or_else(|| panic!("no `{directive}` step in:\n{}", self.stderr))
    }

    /// Panics with the whole output unless the deploy exited 0 and said it finished.
    pub fn assert_success(&self) {
        assert!(
            self.code == 0 && self.stdout.contains("Finished successfully."),
            "the deploy failed (exit {}):\n--- stdout ---\n{}--- stderr ---\n{}",
            self.code,
            self.stdout,
            self.stderr
        );
    }
}

/// `[3/4] VENV ENSURE: reused (...) 0.03s` -> `[3/4] VENV ENSURE: reused (...)`.
fn without_duration(line: &str) -> String {
    match line.rsplit_once(' ') {
        Some((head, last))
            if last
                .strip_suffix('s')
                .is_some_and(|number| number.parse::<f64>().is_ok()) =>
        {
            head.to_string()
        }
        _ => line.to_string(),
    }
}

/// The text of `rel` in `dir`.
pub fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|error| panic!("read {rel}: {error}"))
}
