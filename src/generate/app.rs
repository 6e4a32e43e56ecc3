//! What gen-deploy found in an app folder: plain data, each fact naming the file it came from.
//! The facts both binaries need (version files, pyproject.toml, package inputs) are read
//! by the shared app model ([`crate::app`]); this adds what only gen-deploy looks at.

use crate::app::{LockKind, PythonRequest, RequestSource};
use serde::Serialize;
use std::collections::BTreeMap;

pub use crate::app::{Fact, PyProject};

/// A Python version as written in a version file (`runtime.txt`, `.python-version`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VersionPin {
    /// The text as written, e.g. `python-3.11.7`.
    pub raw: String,
    /// The version alone, e.g. `3.11.7`.
    pub version: String,
}

/// What `Pipfile` says.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Pipfile {
    /// `[requires] python_version` or `python_full_version`.
    pub python_version: Option<String>,
    /// Whether a `Pipfile.lock` sits beside it.
    pub has_lock: bool,
}

/// A lock file: which package manager made it, and what it pins.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LockFound {
    /// The package manager: `uv`, `poetry` or `pipenv`.
    pub manager: &'static str,
    /// What the lock says about Python, as written.
    pub python: Option<String>,
    /// How many packages it pins.
    pub pinned: usize,
    /// The versions it pins, by normalised name.
    #[serde(skip)]
    pub packages: BTreeMap<String, String>,
    /// Whose lock it is.
    #[serde(skip)]
    pub kind: LockKind,
}

/// One requirement of a requirement file, as gen-deploy compares it with a lock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequirementPin {
    /// The normalised name.
    pub name: String,
    /// The version after `==`, when the line pins one.
    pub version: Option<String>,
    /// The line number (1-based) in its file.
    pub line: usize,
    /// The requirement as written, up to the first blank (`flask==3.0.3`).
    pub written: String,
}

/// A Django project: `manage.py` and the settings module it names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Django {
    /// `manage.py`, where the project was recognised.
    pub manage_py: String,
    /// `DJANGO_SETTINGS_MODULE` as `manage.py` sets it, e.g. `mysite.settings`.
    pub settings_module: Option<Fact<String>>,
    /// Whether the settings file sets `STATIC_ROOT` (collectstatic needs it); `None` when
    /// the settings file was not found.
    pub static_root: Option<Fact<bool>>,
}

/// A web framework's application object found in a `.py` file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AppObject {
    /// The variable the object is bound to, e.g. `app`.
    pub variable: String,
    /// The module path a server would import, e.g. `app` or `project.main`.
    pub module: String,
}

/// A virtual environment committed in the repository (a folder with `pyvenv.cfg`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ShippedEnv {
    /// The folder, e.g. `env` or `.venv`.
    pub dir: String,
    /// `version` (or `version_info`) from `pyvenv.cfg`.
    pub python_version: Option<String>,
    /// Made on Windows (`Scripts/` and no `bin/`): unusable on Linux.
    pub windows_layout: bool,
}

/// A frame a generated script can be written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Framework {
    /// Django: `manage.py`, collectstatic.
    Django,
    /// Flask: a `Flask(__name__)` object.
    Flask,
    /// FastAPI: a `FastAPI()` object.
    Fastapi,
    /// No framework step.
    None,
}

impl Framework {
    /// The name users type and read (`django`, `flask`, `fastapi`, `none`).
    pub fn name(self) -> &'static str {
        match self {
            Framework::Django => "django",
            Framework::Flask => "flask",
            Framework::Fastapi => "fastapi",
            Framework::None => "none",
        }
    }
}

/// Everything detected in an app folder. Plain data: printed by `--explain` and `--json`,
/// turned into a [`crate::generate::context::TemplateContext`] for the templates.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DetectedApp {
    /// Requirement files: `requirements.txt`, `requirements-*.txt`, `requirements/*.txt`.
    pub requirements: Vec<String>,
    /// `runtime.txt` (Kudu's version file).
    pub runtime_txt: Option<Fact<VersionPin>>,
    /// `.python-version` (pyenv's and uv's version file).
    pub python_version_file: Option<Fact<VersionPin>>,
    /// `pyproject.toml`.
    pub pyproject: Option<Fact<PyProject>>,
    /// `setup.py`: an installable project without `pyproject.toml`.
    pub setup_py: Option<String>,
    /// The lock files (`uv.lock`, `poetry.lock`, `Pipfile.lock`), in that order.
    pub locks: Vec<Fact<LockFound>>,
    /// The requirements of each requirement file (nested `-r` files not followed), by
    /// file, for comparing with a lock.
    #[serde(skip)]
    pub requirement_pins: BTreeMap<String, Vec<RequirementPin>>,
    /// The text of each requirement file read, by file (for an error's excerpt).
    #[serde(skip)]
    pub requirement_texts: BTreeMap<String, String>,
    /// `Pipfile`.
    pub pipfile: Option<Fact<Pipfile>>,
    /// Django's `manage.py` and settings.
    pub django: Option<Django>,
    /// A `Flask(...)` application object.
    pub flask: Option<Fact<AppObject>>,
    /// A `FastAPI(...)` application object.
    pub fastapi: Option<Fact<AppObject>>,
    /// Framework names found among the dependencies (`django`, `flask`, `fastapi`).
    pub framework_dependencies: Vec<Fact<Framework>>,
    /// Folders named `static` (top level and one folder down).
    pub static_dirs: Vec<String>,
    /// `web.config` (IIS on Windows App Service; unused on Linux).
    pub web_config: Option<String>,
    /// `web.<python version>.config` files Kudu copies over `web.config`.
    pub web_config_variants: Vec<String>,
    /// `.skipPythonDeployment`: the Python steps are skipped at deploy time.
    pub skip_python_deployment: Option<String>,
    /// `.skipDjango`: collectstatic is skipped at deploy time.
    pub skip_django: Option<String>,
    /// Virtual environments committed in the repository.
    pub shipped_envs: Vec<Fact<ShippedEnv>>,
    /// Top-level and one-folder-down `.py` files seen (how many).
    pub python_files: usize,
    /// Files that were found but could not be read as expected (each is then ignored).
    pub problems: Vec<Fact<String>>,
    /// What PYTHON SELECT will ask for, read by the app model in its order (the
    /// `PYTHON_VERSION` setting aside), skipping what cannot be read; `None` before the
    /// version detector ran.
    #[serde(skip)]
    pub python_request: Option<(PythonRequest, RequestSource)>,
}
