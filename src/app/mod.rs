//! The app model, shared by gen-deploy and run-deploy: what an app folder says about its
//! deploy, as plain data, each fact carrying the file it came from. The Python version it
//! asks for ([`python_request`], from [`version_file`] and [`pyproject`], compared by
//! [`requires_python`]), what lists its packages, and the installer those imply.
//!
//! One parser per file format: gen-deploy's detectors and run-deploy's `PYTHON SELECT`
//! both read the app through [`AppModel::read`], so they cannot disagree on what it says.

pub mod deployment_file;
mod fact;
pub mod lock_file;
pub mod package_name;
pub mod pyproject;
pub mod python_request;
pub mod requires_python;
pub mod version;
pub mod version_file;

pub use fact::Fact;
pub use lock_file::{LockFile, LockKind};
pub use pyproject::{PyProject, PyProjectError};
pub use python_request::{PythonRequest, RequestSource, UnreadableRequest};
pub use version_file::{VersionFile, VersionFileError};

use std::path::{Path, PathBuf};

/// What an app folder says about its deploy.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppModel {
    /// `runtime.txt` (Kudu's version file), read.
    pub runtime_txt: Option<Fact<Result<VersionFile, VersionFileError>>>,
    /// `.python-version` (pyenv's and uv's version file), read.
    pub python_version_file: Option<Fact<Result<VersionFile, VersionFileError>>>,
    /// `pyproject.toml`, read.
    pub pyproject: Option<Fact<Result<PyProject, PyProjectError>>>,
    /// Requirement files: `requirements.txt`, then `requirements-*.txt`, then
    /// `requirements/*.txt`, `/`-separated.
    pub requirement_files: Vec<String>,
    /// `setup.py`: an installable project without `pyproject.toml`.
    pub setup_py: Option<String>,
    /// `uv.lock`: the project's packages are locked for uv.
    pub uv_lock: Option<String>,
    /// The lock files present (`uv.lock`, `poetry.lock`, `Pipfile.lock`), in that order,
    /// each with the Python it says it was locked for.
    pub locks: Vec<Fact<LockFile>>,
}

/// Which tool the app's files ask to install with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppInstaller {
    /// pip, the default.
    Pip,
    /// uv, because `uv.lock` is present.
    Uv,
}

/// A file of the app exists but cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read `{}`: {source}", path.display())]
pub struct AppReadError {
    /// The file.
    pub path: PathBuf,
    /// Why.
    pub source: std::io::Error,
}

impl AppModel {
    /// Reads the app in `dir`. A missing file is simply absent; a file that exists but
    /// cannot be read is an error.
    pub fn read(dir: &Path) -> Result<AppModel, AppReadError> {
        let read_version_file = |name: &str| -> Result<_, AppReadError> {
            Ok(read_text(&dir.join(name))?
                .map(|text| Fact::new(version_file::parse_version_file(&text), name)))
        };
        let pyproject = read_text(&dir.join("pyproject.toml"))?
            .map(|text| Fact::new(pyproject::parse_pyproject(&text), "pyproject.toml"));
        let present = |name: &str| dir.join(name).is_file().then(|| name.to_string());
        Ok(AppModel {
            runtime_txt: read_version_file("runtime.txt")?,
            python_version_file: read_version_file(".python-version")?,
            pyproject,
            requirement_files: requirement_files(dir),
            setup_py: present("setup.py"),
            uv_lock: present("uv.lock"),
            locks: read_locks(dir)?,
        })
    }

    /// The installer the files ask for: uv when `uv.lock` is present, else pip.
    pub fn installer(&self) -> Fact<AppInstaller> {
        match &self.uv_lock {
            Some(lock) => Fact::new(AppInstaller::Uv, lock.clone()),
            None => Fact::new(AppInstaller::Pip, ""),
        }
    }
}

/// The lock files in `dir`, in [`LockKind::ALL`]'s order.
fn read_locks(dir: &Path) -> Result<Vec<Fact<LockFile>>, AppReadError> {
    let mut locks = Vec::new();
    for kind in LockKind::ALL {
        if let Some(text) = read_text(&dir.join(kind.lock_file()))? {
            locks.push(Fact::new(LockFile::read(kind, &text), kind.lock_file()));
        }
    }
    Ok(locks)
}

/// The text of `path` without a byte-order mark (bytes that are not UTF-8 replaced), or
/// `None` when there is no such file.
fn read_text(path: &Path) -> Result<Option<String>, AppReadError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(
            String::from_utf8_lossy(&bytes)
                .trim_start_matches('\u{feff}')
                .to_string(),
        )),
        Err(error)
            if matches!(
                error.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::IsADirectory
            ) =>
        {
            Ok(None)
        }
        Err(source) => Err(AppReadError {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// `requirements.txt` first, then `requirements-*.txt`, then `requirements/*.txt`.
fn requirement_files(dir: &Path) -> Vec<String> {
    let mut files = Vec::new();
    if dir.join("requirements.txt").is_file() {
        files.push("requirements.txt".to_string());
    }
    files.extend(
        sorted_files(dir)
            .into_iter()
            .filter(|name| name.starts_with("requirements-") && name.ends_with(".txt")),
    );
    files.extend(
        sorted_files(&dir.join("requirements"))
            .into_iter()
            .filter(|name| name.ends_with(".txt"))
            .map(|name| format!("requirements/{name}")),
    );
    files
}

/// The names of the files directly in `dir`, sorted; none when it cannot be listed.
fn sorted_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|entry| entry.path().is_file())
        .filter_map(|entry| entry.file_name().into_string().ok())
        .collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, content) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, content).unwrap();
        }
        dir
    }

    fn request(dir: &tempfile::TempDir, setting: Option<&str>) -> String {
        let model = AppModel::read(dir.path()).unwrap();
        match model.python_request(setting) {
            Ok((request, source)) => format!("{request} ({source})"),
            Err(error) => format!("error: {error}"),
        }
    }

    #[test]
    fn the_order_is_setting_runtime_txt_python_version_requires_python() {
        let dir = app(&[
            ("runtime.txt", "\u{feff}python-3.11\r\n"),
            (".python-version", "# pyenv\n3.12\n"),
            (
                "pyproject.toml",
                "[project]\nrequires-python = \">=3.10,<3.11\"\n",
            ),
        ]);
        assert_eq!(
            request(&dir, Some(" 3.9 ")),
            "3.9 (PYTHON_VERSION says 3.9)"
        );
        assert_eq!(
            request(&dir, Some("")),
            "3.11 (runtime.txt says python-3.11)"
        );
        std::fs::remove_file(dir.path().join("runtime.txt")).unwrap();
        assert_eq!(request(&dir, None), "3.12 (.python-version says 3.12)");
        std::fs::remove_file(dir.path().join(".python-version")).unwrap();
        assert_eq!(
            request(&dir, None),
            ">=3.10,<3.11 (pyproject.toml requires-python says >=3.10,<3.11)"
        );
        std::fs::remove_file(dir.path().join("pyproject.toml")).unwrap();
        assert_eq!(
            request(&dir, None),
            "newest installed (no version asked for, newest found)"
        );
    }

    #[test]
    fn locks_say_which_python_after_the_version_files_and_pyproject() {
        let dir = app(&[
            (".python-version", "3.12\n"),
            (
                "Pipfile.lock",
                r#"{"_meta": {"requires": {"python_version": "3.10"}}}"#,
            ),
            ("poetry.lock", "[metadata]\npython-versions = \"~3.11\"\n"),
        ]);
        assert_eq!(request(&dir, None), "3.12 (.python-version says 3.12)");
        std::fs::remove_file(dir.path().join(".python-version")).unwrap();
        assert_eq!(
            request(&dir, None),
            ">=3.11,<3.12 (poetry.lock python-versions says ~3.11)"
        );
        std::fs::remove_file(dir.path().join("poetry.lock")).unwrap();
        assert_eq!(
            request(&dir, None),
            "3.10 (Pipfile.lock python_version says 3.10)"
        );
        std::fs::write(
            dir.path().join("uv.lock"),
            "version = 1\nrequires-python = \">=3.11\"\n",
        )
        .unwrap();
        assert_eq!(
            request(&dir, None),
            ">=3.11 (uv.lock requires-python says >=3.11)"
        );
    }

    #[test]
    fn an_unreadable_source_stops_the_deploy_but_gen_deploy_reads_on() {
        let dir = app(&[("runtime.txt", "node-18\n"), (".python-version", "3.12\n")]);
        assert_eq!(
            request(&dir, None),
            "error: runtime.txt asks for `node-18`, which is not a python version; write it like `python-3.11` or `3.11.7`"
        );
        let model = AppModel::read(dir.path()).unwrap();
        let (request, source) = model.readable_python_request(None);
        assert_eq!(
            (request.to_string(), source.to_string()),
            ("3.12".to_string(), ".python-version says 3.12".to_string())
        );
        let bad_toml = app(&[("pyproject.toml", "[project\n")]);
        assert!(
            self::request(&bad_toml, None).starts_with("error: cannot read `pyproject.toml`: "),
            "{}",
            self::request(&bad_toml, None)
        );
    }

    #[test]
    fn package_inputs_and_installer() {
        let dir = app(&[
            ("requirements-prod.txt", "flask\n"),
            ("requirements/base.txt", "flask\n"),
            ("requirements.txt", "flask\n"),
            ("requirements-notes.md", ""),
            ("uv.lock", ""),
        ]);
        let model = AppModel::read(dir.path()).unwrap();
        assert_eq!(
            model.requirement_files,
            [
                "requirements.txt",
                "requirements-prod.txt",
                "requirements/base.txt"
            ]
        );
        assert_eq!(model.installer(), Fact::new(AppInstaller::Uv, "uv.lock"));
        assert_eq!(model.setup_py, None);
        let plain = app(&[("setup.py", "")]);
        let model = AppModel::read(plain.path()).unwrap();
        assert_eq!(model.installer().value, AppInstaller::Pip);
        assert_eq!(model.setup_py.as_deref(), Some("setup.py"));
    }
}
