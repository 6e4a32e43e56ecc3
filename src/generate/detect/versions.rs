//! The version files, `runtime.txt` (Kudu's) and `.python-version` (pyenv's and uv's), as
//! the shared app model read them, and what PYTHON SELECT will ask for.

use super::Detector;
use crate::app::{Fact, VersionFile, VersionFileError};
use crate::generate::app::{DetectedApp, VersionPin};
use crate::generate::app_dir::AppDir;

/// Reports `runtime.txt` and `.python-version`, and the version request they make.
pub struct VersionFiles;

impl Detector for VersionFiles {
    fn name(&self) -> &'static str {
        "versions"
    }

    fn looks_for(&self) -> &'static [&'static str] {
        &crate::app::version_file::VERSION_FILES
    }

    fn detect(&self, app: &AppDir, found: &mut DetectedApp) {
        let model = app.model();
        found.runtime_txt = pin(model.runtime_txt.as_ref(), found);
        found.python_version_file = pin(model.python_version_file.as_ref(), found);
        found.python_request = Some(model.readable_python_request(None));
    }
}

/// The version a file pins, or `None` (and a problem) when it names none.
fn pin(
    file: Option<&Fact<Result<VersionFile, VersionFileError>>>,
    found: &mut DetectedApp,
) -> Option<Fact<VersionPin>> {
    let fact = file?;
    match &fact.value {
        Ok(version) => Some(Fact::new(
            VersionPin {
                raw: version.line.clone(),
                version: version.request.to_string(),
            },
            fact.file.clone(),
        )),
        Err(problem) => {
            found
                .problems
                .push(Fact::new(problem.to_string(), fact.file.clone()));
            None
        }
    }
}
