//! Lock files: which package manager's lock the app has (`uv.lock`, `poetry.lock`,
//! `Pipfile.lock`), the Python version each says the locked set was made for, and the
//! versions it pins (gen-deploy compares them with a requirements.txt beside the lock).

use super::package_name::normalize_name;
use std::collections::BTreeMap;
use std::fmt;

/// The package manager a lock file belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LockKind {
    /// `uv.lock`, beside pyproject.toml.
    Uv,
    /// `poetry.lock`, beside pyproject.toml.
    Poetry,
    /// `Pipfile.lock`, beside the Pipfile.
    Pipenv,
}

impl LockKind {
    /// Every kind, in the order gen-deploy looks for them.
    pub const ALL: [LockKind; 3] = [LockKind::Uv, LockKind::Poetry, LockKind::Pipenv];

    /// The lock file's name: `uv.lock`.
    pub fn lock_file(self) -> &'static str {
        match self {
            LockKind::Uv => "uv.lock",
            LockKind::Poetry => "poetry.lock",
            LockKind::Pipenv => "Pipfile.lock",
        }
    }

    /// The file the lock is made from: `pyproject.toml` or `Pipfile`.
    pub fn manifest(self) -> &'static str {
        match self {
            LockKind::Uv | LockKind::Poetry => "pyproject.toml",
            LockKind::Pipenv => "Pipfile",
        }
    }

    /// The tool that reads the lock: `uv`, `poetry`, `pipenv`.
    pub fn tool(self) -> &'static str {
        match self {
            LockKind::Uv => "uv",
            LockKind::Poetry => "poetry",
            LockKind::Pipenv => "pipenv",
        }
    }

    /// What a user runs to bring the lock up to date.
    pub fn relock_command(self) -> &'static str {
        match self {
            LockKind::Uv => "uv lock",
            LockKind::Poetry => "poetry lock",
            LockKind::Pipenv => "pipenv lock",
        }
    }

    /// How to install the tool, for the error when it is missing.
    pub fn install_hint(self) -> &'static str {
        match self {
            LockKind::Uv => "`pip install uv` (or see https://docs.astral.sh/uv/)",
            LockKind::Poetry => "`pip install poetry poetry-plugin-export`",
            LockKind::Pipenv => "`pip install pipenv`",
        }
    }

    /// The kind whose lock file is named `name` (`uv.lock`, `poetry.lock`, `Pipfile.lock`;
    /// the case as written on Windows does not matter).
    pub fn from_file_name(name: &str) -> Option<LockKind> {
        LockKind::ALL
            .into_iter()
            .find(|kind| kind.lock_file().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for LockKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.lock_file())
    }
}

/// A lock file the app has, and the Python it was locked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockFile {
    /// Whose lock it is.
    pub kind: LockKind,
    /// What the lock says about Python, as written: uv.lock's `requires-python`,
    /// poetry.lock's `python-versions`, Pipfile.lock's `python_full_version` or
    /// `python_version`.
    pub python: Option<String>,
    /// The versions the lock pins, by normalised name: every `[[package]]` of uv.lock and
    /// poetry.lock, Pipfile.lock's `default` section (what a deploy installs). Empty when
    /// the lock cannot be read.
    pub packages: BTreeMap<String, String>,
}

impl LockFile {
    /// Reads the lock of `kind` from its text; a lock that cannot be read says nothing
    /// about Python (its tool reports what is wrong when the step runs).
    pub fn read(kind: LockKind, text: &str) -> LockFile {
        let python = match kind {
            LockKind::Uv => text
                .parse::<toml::Table>()
                .ok()
                .and_then(|doc| doc.get("requires-python")?.as_str().map(str::to_string)),
            LockKind::Poetry => text.parse::<toml::Table>().ok().and_then(|doc| {
                doc.get("metadata")?
                    .get("python-versions")?
                    .as_str()
                    .map(str::to_string)
            }),
            LockKind::Pipenv => serde_json::from_str::<serde_json::Value>(text)
                .ok()
                .and_then(|doc| {
                    let requires = doc.get("_meta")?.get("requires")?;
                    ["python_full_version", "python_version"]
                        .iter()
                        .find_map(|key| requires.get(key)?.as_str().map(str::to_string))
                }),
        };
        LockFile {
            kind,
            python,
            packages: locked_versions(kind, text),
        }
    }

    /// What the lock says about Python, as a PEP 440 specifier or version: Poetry's
    /// `^3.11` is `>=3.11,<4.0`, `~3.11` is `>=3.11,<3.12`; `None` when it says nothing
    /// usable (`*`, or Poetry's `||`).
    pub fn python_request(&self) -> Option<String> {
        let python = self.python.as_deref()?.trim();
        match self.kind {
            LockKind::Poetry => poetry_to_pep440(python),
            LockKind::Uv | LockKind::Pipenv => {
                (!python.is_empty() && python != "*").then(|| python.to_string())
            }
        }
    }
}

/// The versions a lock pins, by normalised name.
fn locked_versions(kind: LockKind, text: &str) -> BTreeMap<String, String> {
    let mut packages = BTreeMap::new();
    match kind {
        LockKind::Uv | LockKind::Poetry => {
            let Ok(doc) = text.parse::<toml::Table>() else {
                return packages;
            };
            let listed = doc.get("package").and_then(toml::Value::as_array);
            for package in listed.into_iter().flatten() {
                let field = |key: &str| package.get(key).and_then(toml::Value::as_str);
                if let (Some(name), Some(version)) = (field("name"), field("version")) {
                    packages.insert(normalize_name(name), version.to_string());
                }
            }
        }
        LockKind::Pipenv => {
            let Ok(doc) = serde_json::from_str::<serde_json::Value>(text) else {
                return packages;
            };
            let default = doc.get("default").and_then(serde_json::Value::as_object);
            for (name, entry) in default.into_iter().flatten() {
                if let Some(version) = entry.get("version").and_then(serde_json::Value::as_str) {
                    packages.insert(
                        normalize_name(name),
                        version.trim_start_matches('=').to_string(),
                    );
                }
            }
        }
    }
    packages
}

/// Poetry's version constraint (`^3.11`, `~3.11`, `>=3.9,<3.13`) as a PEP 440 specifier;
/// `None` when it allows anything or cannot be written as one (`||`).
pub fn poetry_to_pep440(constraint: &str) -> Option<String> {
    if constraint.contains("||") {
        return None;
    }
    let mut clauses = Vec::new();
    for part in constraint.split(',').flat_map(str::split_whitespace) {
        let release =
            |text: &str| -> Option<Vec<u64>> { text.split('.').map(|n| n.parse().ok()).collect() };
        if let Some(rest) = part.strip_prefix('^') {
            let parts = release(rest)?;
            let upper = match parts.as_slice() {
                [0, minor, ..] => format!("0.{}", minor + 1),
                [major, ..] => format!("{}.0", major + 1),
                [] => return None,
            };
            clauses.push(format!(">={rest},<{upper}"));
        } else if let Some(rest) = part.strip_prefix('~').filter(|r| !r.starts_with('=')) {
            let parts = release(rest)?;
            let upper = match parts.as_slice() {
                [major] => format!("{}", major + 1),
                [major, minor, ..] => format!("{major}.{}", minor + 1),
                [] => return None,
            };
            clauses.push(format!(">={rest},<{upper}"));
        } else if part == "*" {
            continue;
        } else if part.starts_with(|c: char| c.is_ascii_digit()) {
            clauses.push(if part.ends_with(".*") {
                format!("=={part}")
            } else {
                format!("=={part}.*")
            });
        } else {
            clauses.push(part.to_string());
        }
    }
    (!clauses.is_empty()).then(|| clauses.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_lock_says_which_python() {
        let uv = LockFile::read(LockKind::Uv, "version = 1\nrequires-python = \">=3.11\"\n");
        assert_eq!(uv.python_request().as_deref(), Some(">=3.11"));
        let poetry = LockFile::read(
            LockKind::Poetry,
            "[metadata]\nlock-version = \"2.1\"\npython-versions = \"^3.11\"\n",
        );
        assert_eq!(poetry.python_request().as_deref(), Some(">=3.11,<4.0"));
        let pipenv = LockFile::read(
            LockKind::Pipenv,
            r#"{"_meta": {"requires": {"python_version": "3.12"}}, "default": {}}"#,
        );
        assert_eq!(pipenv.python_request().as_deref(), Some("3.12"));
        assert_eq!(LockFile::read(LockKind::Uv, "not toml [").python, None);
    }

    #[test]
    fn each_lock_says_which_versions_it_pins() {
        let toml = "[[package]]\nname = \"Flask\"\nversion = \"3.0.3\"\n\n[[package]]\nname = \"zope.interface\"\nversion = \"6.1\"\n";
        for kind in [LockKind::Uv, LockKind::Poetry] {
            let pins: Vec<(String, String)> =
                LockFile::read(kind, toml).packages.into_iter().collect();
            assert_eq!(
                pins,
                [
                    ("flask".to_string(), "3.0.3".to_string()),
                    ("zope-interface".to_string(), "6.1".to_string())
                ]
            );
        }
        let pipenv = LockFile::read(
            LockKind::Pipenv,
            r#"{"default": {"Flask": {"version": "==3.0.3"}}, "develop": {"pytest": {"version": "==8.0"}}}"#,
        );
        assert_eq!(
            pipenv.packages.into_iter().collect::<Vec<_>>(),
            [("flask".to_string(), "3.0.3".to_string())]
        );
        assert!(LockFile::read(LockKind::Pipenv, "{").packages.is_empty());
    }

    #[test]
    fn poetry_constraints_become_pep_440() {
        let cases = [
            ("~3.10", Some(">=3.10,<3.11")),
            (">=3.9,<3.13", Some(">=3.9,<3.13")),
            ("3.11", Some("==3.11.*")),
            ("^0.9", Some(">=0.9,<0.10")),
            ("*", None),
            ("^3.8 || ^4.0", None),
        ];
        for (constraint, expected) in cases {
            assert_eq!(
                poetry_to_pep440(constraint).as_deref(),
                expected,
                "{constraint}"
            );
        }
    }
}
