//! What `VENV INSTALL` installs: requirement files (following nested `-r`/`-c` lines),
//! `.`, the app's own pyproject.toml project (with uv.lock when present), and lock files
//! (`uv.lock`, `poetry.lock`, `Pipfile.lock`), installed exactly as locked.

use super::lock::LockKind;
pub use crate::app::package_name::normalize_name;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Why VENV INSTALL's inputs cannot be read. `--check` and the run report the same text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// `-r` or `--requirement` at the end of the line.
    #[error("`{0}` needs a file name: `VENV INSTALL -r requirements.txt`")]
    NeedsFileName(String),
    /// A word that is no install input (a package name, a pip option).
    #[error("`VENV INSTALL` takes `-r file` or `.`, not `{0}`; to run pip itself, write `\"%PYTHON_EXE%\" -m pip install {0}` or add it to requirements.txt")]
    NotAnInput(String),
    /// A lock file beside other inputs on one line.
    #[error("`{0}` installs exactly the locked set, so it is the only input of its line; install other files on a line of their own, or add them to the lock")]
    LockNotAlone(LockKind),
    /// `.` in a folder with neither pyproject.toml nor setup.py.
    #[error("`VENV INSTALL .` needs a `pyproject.toml` or `setup.py` in `{}`; add one or install with `-r requirements.txt`", .0.display())]
    NoProject(PathBuf),
    /// A lock file argument whose file is not there.
    #[error("`{}` is not there; lock the app with `{relock}` and commit the lock", lock.display())]
    NoLock {
        /// The missing lock.
        lock: PathBuf,
        /// The command that makes it.
        relock: String,
    },
    /// A requirement file that cannot be read.
    #[error("cannot read requirement file `{}`: {message}", path.display())]
    RequirementFile {
        /// The file.
        path: PathBuf,
        /// The system's reason.
        message: String,
    },
    /// A pyproject.toml that cannot be read or is not TOML.
    #[error("cannot read `{}`: {message}", path.display())]
    Pyproject {
        /// The file.
        path: PathBuf,
        /// The reason.
        message: String,
    },
}

/// One `VENV INSTALL` argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstallInput {
    /// `-r file`.
    RequirementFile(PathBuf),
    /// `.`: the project in this folder.
    Project(PathBuf),
    /// `uv.lock`, `poetry.lock` or `Pipfile.lock`: exactly the locked set.
    Lock {
        /// Which manager's lock.
        kind: LockKind,
        /// The folder holding the lock and its pyproject.toml or Pipfile.
        dir: PathBuf,
    },
}

impl InstallInput {
    /// Reads `VENV INSTALL` arguments (`-r file`, `-rfile`, `--requirement file`, `.`), with
    /// relative paths taken from `base_dir`.
    pub fn parse_args(words: &[String], base_dir: &Path) -> Result<Vec<InstallInput>, InputError> {
        let mut inputs = Vec::new();
        let mut words = words.iter();
        while let Some(word) = words.next() {
            let file = match word.as_str() {
                "-r" | "--requirement" => Some(
                    words
                        .next()
                        .ok_or_else(|| InputError::NeedsFileName(word.clone()))?
                        .clone(),
                ),
                "." | "./" => {
                    inputs.push(InstallInput::Project(base_dir.to_path_buf()));
                    None
                }
                other if lock_word(other).is_some() => {
                    if let Some((kind, dir)) = lock_word(other) {
                        inputs.push(InstallInput::Lock {
                            kind,
                            dir: base_dir.join(dir),
                        });
                    }
                    None
                }
                other => match other
                    .strip_prefix("--requirement=")
                    .or_else(|| other.strip_prefix("-r"))
                {
                    Some(file) if !file.is_empty() => Some(file.to_string()),
                    _ => return Err(InputError::NotAnInput(other.to_string())),
                },
            };
            if let Some(file) = file {
                inputs.push(InstallInput::RequirementFile(base_dir.join(file)));
            }
        }
        if inputs.len() > 1 {
            if let Some(InstallInput::Lock { kind, .. }) = inputs
                .iter()
                .find(|input| matches!(input, InstallInput::Lock { .. }))
            {
                return Err(InputError::LockNotAlone(*kind));
            }
        }
        if inputs.is_empty() {
            inputs.push(InstallInput::RequirementFile(
                base_dir.join("requirements.txt"),
            ));
        }
        Ok(inputs)
    }
}

/// A lock file argument (`uv.lock`, `sub/poetry.lock`): its kind and folder.
fn lock_word(word: &str) -> Option<(LockKind, PathBuf)> {
    let path = Path::new(word);
    let kind = LockKind::from_file_name(path.file_name()?.to_str()?)?;
    Some((kind, path.parent().unwrap_or(Path::new("")).to_path_buf()))
}

/// One meaningful line of a requirement file.
enum Line {
    Include { file: String, constraint: bool },
    Requirement(String),
    Other,
}

/// Joins `\` continuations, drops comments and blank lines.
fn logical_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for raw in text.lines() {
        let without_comment = match raw.find(" #").or_else(|| raw.find("\t#")) {
            Some(at) => &raw[..at],
            None if raw.trim_start().starts_with('#') => "",
            None => raw,
        };
        match without_comment.trim_end().strip_suffix('\\') {
            Some(start) => current.push_str(start),
            None => {
                current.push_str(without_comment);
                let line = current.trim().to_string();
                if !line.is_empty() {
                    lines.push(line);
                }
                current.clear();
            }
        }
    }
    lines
}

fn classify(line: &str) -> Line {
    for (prefix, constraint) in [
        ("--requirement", false),
        ("--constraint", true),
        ("-r", false),
        ("-c", true),
    ] {
        if let Some(rest) = line.strip_prefix(prefix) {
            let file = rest.trim_start_matches(['=', ' ', '\t']).trim();
            if !file.is_empty() && (rest.starts_with([' ', '\t', '=']) || prefix.len() == 2) {
                return Line::Include {
                    file: file.to_string(),
                    constraint,
                };
            }
        }
    }
    if let Some(rest) = line
        .strip_prefix("-e")
        .or_else(|| line.strip_prefix("--editable"))
    {
        return match rest.split("#egg=").nth(1) {
            Some(egg) => Line::Requirement(egg.trim().to_string()),
            None => Line::Requirement(rest.trim().to_string()),
        };
    }
    if line.starts_with('-') {
        return Line::Other;
    }
    Line::Requirement(line.to_string())
}

/// The files that declare a project `VENV INSTALL .` installs, those that are there being
/// its inputs: pyproject.toml, or setup.py (a project without pyproject.toml, which pip
/// builds with setuptools) and the setup.cfg beside it.
pub const PROJECT_FILES: [&str; 3] = ["pyproject.toml", "setup.py", "setup.cfg"];

/// The project files that declare a project on their own, in the order they are looked
/// for (a setup.cfg only adds to a setup.py).
pub const PROJECT_DECLARATIONS: &[&str] = PROJECT_FILES.as_slice().split_at(2).0;

/// The files whose content decides what gets installed, each once, in reading order.
pub fn input_files(inputs: &[InstallInput]) -> Result<Vec<PathBuf>, InputError> {
    let mut files = Vec::new();
    for input in inputs {
        match input {
            InstallInput::RequirementFile(path) => follow(path, &mut files, &mut Vec::new())?,
            InstallInput::Project(dir) => {
                // What declares the project and its dependencies: pyproject.toml, or a
                // setup.py (with its setup.cfg) for a project without one.
                let declared: Vec<PathBuf> = PROJECT_FILES
                    .iter()
                    .map(|name| dir.join(name))
                    .filter(|file| file.is_file())
                    .collect();
                let declares =
                    |file: &PathBuf| PROJECT_DECLARATIONS.iter().any(|name| file.ends_with(name));
                if !declared.iter().any(declares) {
                    return Err(InputError::NoProject(dir.clone()));
                }
                files.extend(declared);
                let lock = dir.join("uv.lock");
                if lock.is_file() {
                    files.push(lock);
                }
            }
            InstallInput::Lock { kind, dir } => {
                let manifest = dir.join(kind.manifest());
                if manifest.is_file() {
                    files.push(manifest);
                }
                let lock = dir.join(kind.lock_file());
                if !lock.is_file() {
                    return Err(InputError::NoLock {
                        lock,
                        relock: kind.relock_command().to_string(),
                    });
                }
                files.push(lock);
            }
        }
    }
    Ok(files)
}

fn follow(
    path: &Path,
    files: &mut Vec<PathBuf>,
    names: &mut Vec<String>,
) -> Result<(), InputError> {
    if files.iter().any(|seen| seen == path) {
        return Ok(());
    }
    let text = std::fs::read_to_string(path).map_err(|error| InputError::RequirementFile {
        path: path.to_path_buf(),
        message: error.to_string(),
    })?;
    files.push(path.to_path_buf());
    let dir = path.parent().unwrap_or(Path::new("."));
    for line in logical_lines(&text) {
        match classify(&line) {
            Line::Include { file, constraint } => {
                let mut nested_names = Vec::new();
                follow(&dir.join(&file), files, &mut nested_names)?;
                if !constraint {
                    names.extend(nested_names);
                }
            }
            Line::Requirement(requirement) => names.push(requirement),
            Line::Other => {}
        }
    }
    Ok(())
}

/// The files whose content decides what the app in `dir` installs, as every deploy
/// records them for `VENV REMOVE /IFCHANGED`: the usual names whether they exist or not
/// (so a file that appears counts as changed), then the app's other requirement files
/// with the files they include.
pub fn app_install_inputs(dir: &Path) -> Vec<PathBuf> {
    let mut names = vec![
        "requirements.txt",
        "pyproject.toml",
        "setup.py",
        "setup.cfg",
    ];
    for kind in LockKind::ALL {
        names.extend([kind.manifest(), kind.lock_file()]);
    }
    let mut files: Vec<PathBuf> = Vec::new();
    let mut add = |file: PathBuf| {
        if !files.contains(&file) {
            files.push(file);
        }
    };
    names.into_iter().for_each(|name| add(dir.join(name)));
    let requirement_files = crate::app::AppModel::read(dir)
        .map(|app| app.requirement_files)
        .unwrap_or_default();
    for name in requirement_files {
        let path = dir.join(name);
        // An unreadable include is the install step's error to report; record the rest.
        let found = input_files(&[InstallInput::RequirementFile(path.clone())])
            .unwrap_or_else(|_| vec![path]);
        found.into_iter().for_each(&mut add);
    }
    files
}

/// The normalised project names the inputs ask for (`flask`, `my-app`), and the
/// requirements whose name cannot be told (a bare URL or path).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequiredNames {
    /// Names such as `flask`, normalised as pip does.
    pub names: BTreeSet<String>,
    /// Requirements without a readable name.
    pub unnamed: Vec<String>,
}

/// Collects the names every input asks for (constraint files add none).
pub fn required_names(inputs: &[InstallInput]) -> Result<RequiredNames, InputError> {
    let mut required = RequiredNames::default();
    for input in inputs {
        let mut requirements = Vec::new();
        match input {
            InstallInput::RequirementFile(path) => {
                follow(path, &mut Vec::new(), &mut requirements)?
            }
            InstallInput::Project(dir) if !dir.join("pyproject.toml").is_file() => {
                // A setup.py project's name is known only by running it.
                requirements.push(format!("{} (setup.py)", dir.display()));
            }
            InstallInput::Project(dir) => {
                let path = dir.join("pyproject.toml");
                let unreadable = |message: String| InputError::Pyproject {
                    path: path.clone(),
                    message,
                };
                let text = std::fs::read_to_string(&path)
                    .map_err(|error| unreadable(error.to_string()))?;
                let document: toml::Table =
                    toml::from_str(&text).map_err(|error| unreadable(error.to_string()))?;
                let name = document
                    .get("project")
                    .and_then(|p| p.get("name"))
                    .and_then(|n| n.as_str());
                requirements.push(name.unwrap_or("").to_string());
            }
            // A lock's step makes the env exactly the locked set; /SYNC adds nothing.
            InstallInput::Lock { .. } => {}
        }
        for requirement in requirements {
            match requirement_name(&requirement) {
                Some(name) => required.names.insert(name),
                None => {
                    required.unnamed.push(requirement);
                    true
                }
            };
        }
    }
    Ok(required)
}

/// The normalised name a requirement line starts with: `Flask_Login>=1` -> `flask-login`.
pub fn requirement_name(requirement: &str) -> Option<String> {
    let (before_at, _) = requirement.split_once(" @ ").unwrap_or((requirement, ""));
    if before_at.contains("://") || before_at.starts_with(['.', '/']) || before_at.ends_with(".whl")
    {
        return None;
    }
    let name: String = before_at
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    if name.is_empty() {
        return None;
    }
    Some(normalize_name(&name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_read_from_requirement_lines() {
        assert_eq!(
            requirement_name("Flask_Login>=1.0 ; python_version > '3'").as_deref(),
            Some("flask-login")
        );
        assert_eq!(requirement_name("pkg[extra]==1.0").as_deref(), Some("pkg"));
        assert_eq!(
            requirement_name("app @ file:///tmp/app").as_deref(),
            Some("app")
        );
        assert_eq!(requirement_name("https://example.com/x.whl"), None);
        assert_eq!(requirement_name("./local_pkg"), None);
    }

    #[test]
    fn app_install_inputs_are_the_usual_names_then_requirement_files_and_includes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("requirements")).unwrap();
        std::fs::write(dir.path().join("requirements.txt"), "-r base.txt\nflask\n").unwrap();
        std::fs::write(dir.path().join("base.txt"), "-c constraints.txt\n").unwrap();
        std::fs::write(dir.path().join("constraints.txt"), "flask<4\n").unwrap();
        std::fs::write(dir.path().join("requirements/prod.txt"), "-r missing.txt\n").unwrap();
        let shown: Vec<String> = app_install_inputs(dir.path())
            .iter()
            .map(|file| file.strip_prefix(dir.path()).unwrap().display().to_string())
            .collect();
        assert_eq!(
            shown,
            [
                "requirements.txt",
                "pyproject.toml",
                "setup.py",
                "setup.cfg",
                "uv.lock",
                "poetry.lock",
                "Pipfile",
                "Pipfile.lock",
                "base.txt",
                "constraints.txt",
                "requirements/prod.txt",
            ]
        );
    }

    #[test]
    fn includes_and_comments_are_understood() {
        let lines = logical_lines(
            "# top\nflask==3.0 # web\n-r base.txt\n--constraint=c.txt\nclick \\\n  >=8\n",
        );
        assert_eq!(
            lines,
            [
                "flask==3.0",
                "-r base.txt",
                "--constraint=c.txt",
                "click   >=8"
            ]
        );
        assert!(
            matches!(classify("-rbase.txt"), Line::Include { ref file, constraint: false } if file == "base.txt")
        );
        assert!(matches!(
            classify("--constraint=c.txt"),
            Line::Include {
                constraint: true,
                ..
            }
        ));
        assert!(matches!(classify("--index-url https://x"), Line::Other));
    }
}
