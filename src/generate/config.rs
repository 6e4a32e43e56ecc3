//! What a gen-deploy run will do, validated (the binary's clap struct is what was typed).

use crate::app::version::VersionRequest;
use crate::generate::app::Framework;
use anyhow::{bail, Context};
use serde::Serialize;
use std::path::{Component, Path, PathBuf};
use std::str::FromStr;

/// Which tool installs packages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Installer {
    /// `python -m venv` and pip.
    Pip,
    /// uv (`uv venv`, `uv pip install`).
    Uv,
    /// uv when it is on PATH at deploy time, else pip.
    Auto,
    /// Poetry's `poetry.lock`, installed exactly as locked.
    Poetry,
    /// Pipenv's `Pipfile.lock`, installed exactly as locked.
    Pipenv,
}

impl Installer {
    /// The name users type (`pip`, `uv`, `auto`, `poetry`, `pipenv`).
    pub fn name(self) -> &'static str {
        match self {
            Installer::Pip => "pip",
            Installer::Uv => "uv",
            Installer::Auto => "auto",
            Installer::Poetry => "poetry",
            Installer::Pipenv => "pipenv",
        }
    }
}

impl FromStr for Installer {
    type Err = anyhow::Error;

    fn from_str(text: &str) -> anyhow::Result<Installer> {
        match text {
            "pip" => Ok(Installer::Pip),
            "uv" => Ok(Installer::Uv),
            "auto" => Ok(Installer::Auto),
            "poetry" => Ok(Installer::Poetry),
            "pipenv" => Ok(Installer::Pipenv),
            other => {
                bail!("unknown installer `{other}`; use `pip`, `uv`, `auto`, `poetry` or `pipenv`")
            }
        }
    }
}

impl FromStr for Framework {
    type Err = anyhow::Error;

    fn from_str(text: &str) -> anyhow::Result<Framework> {
        match text {
            "django" => Ok(Framework::Django),
            "flask" => Ok(Framework::Flask),
            "fastapi" => Ok(Framework::Fastapi),
            "none" => Ok(Framework::None),
            other => {
                bail!("unknown framework `{other}`; use `django`, `flask`, `fastapi` or `none`")
            }
        }
    }
}

/// Which script to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ScriptStyle {
    /// Our deploy directives (`SYNC`, `PYTHON SELECT`, ...): the default.
    Directives,
    /// Classic Kudu-style plain batch (`--kudu`).
    Kudu,
}

/// What to do with the result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Write the script and `.deployment`; replace existing files only with `force`.
    Write {
        /// Replace existing files, keeping a backup of each.
        force: bool,
    },
    /// Print the script on stdout, write nothing.
    Stdout,
    /// Print what was detected and decided, write nothing.
    Explain,
    /// Print what was detected and decided as JSON, write nothing.
    Json,
}

/// A validated gen-deploy run.
#[derive(Clone, Debug)]
pub struct GenConfig {
    /// The app folder.
    pub app_dir: PathBuf,
    /// The script's path relative to the app folder, `/`-separated (default `deploy.cmd`).
    pub script: String,
    /// A Python version to pin (`--python`), e.g. `3.11`.
    pub python: Option<String>,
    /// The installer to use (`--installer`); `None` detects it.
    pub installer: Option<Installer>,
    /// The framework to write for (`--framework`); `None` detects it.
    pub framework: Option<Framework>,
    /// Which script to write.
    pub style: ScriptStyle,
    /// What to do with the result.
    pub action: Action,
    /// The date used as the example `/ONCE` token.
    pub today: time::Date,
}

impl GenConfig {
    /// A run on `app_dir` with the defaults: detect everything, write `deploy.cmd`.
    pub fn new(app_dir: impl Into<PathBuf>) -> GenConfig {
        GenConfig {
            app_dir: app_dir.into(),
            script: "deploy.cmd".to_string(),
            python: None,
            installer: None,
            framework: None,
            style: ScriptStyle::Directives,
            action: Action::Write { force: false },
            today: time::OffsetDateTime::now_utc().date(),
        }
    }

    /// Sets `--output`: `path` as typed (relative to the current folder), which must lie
    /// inside the app folder because `.deployment` names the script relative to it.
    pub fn set_output(&mut self, path: &Path) -> anyhow::Result<()> {
        let cwd = std::env::current_dir().context("cannot read the current folder")?;
        let absolute = normalize(&cwd.join(path));
        let app = normalize(&cwd.join(&self.app_dir));
        let Ok(relative) = absolute.strip_prefix(&app) else {
            bail!(
                "`--output {}` is outside the app folder `{}`; `.deployment` names the script relative to the app, so write it inside",
                path.display(),
                self.app_dir.display()
            );
        };
        let parts: Vec<String> = relative
            .components()
            .map(|part| part.as_os_str().to_string_lossy().into_owned())
            .collect();
        if parts.is_empty() {
            bail!(
                "`--output {}` names the app folder itself; name a file such as `deploy.cmd`",
                path.display()
            );
        }
        self.script = parts.join("/");
        Ok(())
    }

    /// Sets `--python`: `3.11`, `3.11.7` or `python-3.11`.
    pub fn set_python(&mut self, version: &str) -> anyhow::Result<()> {
        // The script pins what it writes, so it must name a Python 3 minor version.
        match VersionRequest::parse(version)
            .filter(|request| request.major == 3 && request.minor.is_some())
        {
            Some(request) => {
                self.python = Some(request.to_string());
                Ok(())
            }
            None => bail!(
                "`--python {version}` is not a Python 3 version; write it like `3.11` or `3.11.7`"
            ),
        }
    }
}

/// `a/./b/../c` -> `a/c`, without touching the file system (the output may not exist yet).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
