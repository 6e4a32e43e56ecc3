//! Detection: a set of small detectors, each reading a few files of the app folder and
//! recording what it found in a [`DetectedApp`]. Detectors never decide anything (that is
//! [`crate::generate::context`]); they only report facts and the files they came from.

mod frameworks;
mod packages;
mod site;
pub mod versions;

use crate::app::{AppModel, AppReadError};
use crate::generate::app::DetectedApp;
use crate::generate::app_dir::AppDir;
use std::path::{Path, PathBuf};

/// One kind of thing gen-deploy looks for.
pub trait Detector {
    /// A short name for the detector (`versions`, `packages`, ...).
    fn name(&self) -> &'static str;
    /// What the detector looks at, for the "no Python app" error.
    fn looks_for(&self) -> &'static [&'static str];
    /// Records what it finds in `app` into `found`.
    fn detect(&self, app: &AppDir, found: &mut DetectedApp);
}

/// Why an app folder could not be detected.
#[derive(Debug, thiserror::Error)]
pub enum DetectError {
    /// The folder does not exist or cannot be listed.
    #[error("cannot read the app folder `{}`", path.display())]
    Unreadable {
        /// The folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file of the app exists but cannot be read.
    #[error(transparent)]
    UnreadableFile(#[from] AppReadError),
    /// Nothing in the folder says it is a Python app.
    #[error(
        "no python app found in `{}`\n  looked for: {looked_for}\n  help: run `gen-deploy` in the app's folder or name it (`gen-deploy path/to/app`); \
         an app needs at least a `requirements.txt`, a `pyproject.toml` or a `.py` file",
        path.display()
    )]
    NoPythonApp {
        /// The folder.
        path: PathBuf,
        /// What was looked for, comma-separated.
        looked_for: String,
    },
}

/// The detectors, in the order they run.
pub fn detectors() -> Vec<Box<dyn Detector>> {
    vec![
        Box::new(versions::VersionFiles),
        Box::new(packages::Packages),
        Box::new(frameworks::Frameworks),
        Box::new(site::Site),
    ]
}

/// Runs every detector on `app_dir`. An error when the folder cannot be read, or when it
/// holds nothing that makes it a Python app.
pub fn detect(app_dir: &Path) -> Result<DetectedApp, DetectError> {
    // A path that is no folder has no model; opening it below says so.
    let model = if app_dir.is_dir() {
        AppModel::read(app_dir)?
    } else {
        AppModel::default()
    };
    let app = AppDir::open(app_dir, model).map_err(|source| DetectError::Unreadable {
        path: app_dir.to_path_buf(),
        source,
    })?;
    let mut found = DetectedApp::default();
    let all = detectors();
    for detector in &all {
        detector.detect(&app, &mut found);
    }
    if !is_python_app(&found) {
        let looked_for: Vec<&str> = all
            .iter()
            .flat_map(|detector| detector.looks_for().iter().copied())
            .collect();
        return Err(DetectError::NoPythonApp {
            path: app_dir.to_path_buf(),
            looked_for: looked_for.join(", "),
        });
    }
    Ok(found)
}

/// Whether anything found says Python: a package list, a version file or Python code.
fn is_python_app(found: &DetectedApp) -> bool {
    !found.requirements.is_empty()
        || found.pyproject.is_some()
        || found.setup_py.is_some()
        || found.pipfile.is_some()
        || !found.locks.is_empty()
        || found.runtime_txt.is_some()
        || found.python_version_file.is_some()
        || found.django.is_some()
        || found.python_files > 0
}
