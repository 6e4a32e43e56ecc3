//! The version files: `runtime.txt` (Kudu's) and `.python-version` (pyenv's and uv's).

use super::Detector;
use crate::generate::app::{DetectedApp, Fact, VersionPin};
use crate::generate::app_dir::AppDir;

/// Reads `runtime.txt` and `.python-version`.
pub struct VersionFiles;

impl Detector for VersionFiles {
    fn name(&self) -> &'static str {
        "versions"
    }

    fn looks_for(&self) -> &'static [&'static str] {
        &["runtime.txt", ".python-version"]
    }

    fn detect(&self, app: &AppDir, found: &mut DetectedApp) {
        for file in self.looks_for() {
            let Some(text) = app.read(file) else {
                continue;
            };
            match parse_version_file(&text) {
                Ok(pin) => {
                    let fact = Some(Fact::new(pin, *file));
                    if *file == "runtime.txt" {
                        found.runtime_txt = fact;
                    } else {
                        found.python_version_file = fact;
                    }
                }
                Err(problem) => found.problems.push(Fact::new(problem, *file)),
            }
        }
    }
}

/// Reads the first meaningful line of a version file: `python-3.11`, `3.11.7`,
/// `cpython-3.12`. Comments (`#`) and blank lines are skipped.
pub fn parse_version_file(text: &str) -> Result<VersionPin, String> {
    let Some(line) = text
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with('#'))
    else {
        return Err("is empty; write a version such as `python-3.11`".to_string());
    };
    match parse_version(line) {
        Some(version) => Ok(VersionPin {
            raw: line.to_string(),
            version,
        }),
        None => Err(format!(
            "holds `{line}`, not a Python version such as `python-3.11` or `3.11.7`; it is ignored"
        )),
    }
}

/// `3.11`, `3.11.7`, `python-3.11`, `cpython-3.11.7` -> the bare version; anything else
/// (a pypy build, a range, text) -> `None`.
pub fn parse_version(text: &str) -> Option<String> {
    let lower = text.trim().to_ascii_lowercase();
    let bare = ["python-", "cpython-", "python"]
        .iter()
        .find_map(|prefix| lower.strip_prefix(prefix))
        .unwrap_or(&lower);
    let parts: Vec<&str> = bare.split('.').collect();
    let numeric = parts
        .iter()
        .all(|part| !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_digit()));
    if numeric && (2..=3).contains(&parts.len()) && parts[0] == "3" {
        Some(bare.to_string())
    } else {
        None
    }
}

/// Whether two versions name the same interpreter as far as both say (`3.11` and
/// `3.11.7` agree; `3.11` and `3.12` do not).
pub fn versions_agree(left: &str, right: &str) -> bool {
    left.split('.')
        .zip(right.split('.'))
        .all(|(left_part, right_part)| left_part == right_part)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_kudu_and_pyenv_forms() {
        assert_eq!(parse_version("python-3.11").as_deref(), Some("3.11"));
        assert_eq!(parse_version("3.11.7").as_deref(), Some("3.11.7"));
        assert_eq!(parse_version("cpython-3.12").as_deref(), Some("3.12"));
        assert_eq!(parse_version("Python-3.9").as_deref(), Some("3.9"));
        assert_eq!(parse_version("pypy3.10"), None);
        assert_eq!(parse_version("2.7"), None);
        assert_eq!(parse_version(">=3.11"), None);
    }

    #[test]
    fn skips_comments_and_blank_lines() {
        let pin = parse_version_file("# pinned\n\n  python-3.11.7  \n").unwrap();
        assert_eq!(pin.raw, "python-3.11.7");
        assert_eq!(pin.version, "3.11.7");
        assert!(parse_version_file("\n# nothing\n").is_err());
    }

    #[test]
    fn agreement_is_by_common_prefix() {
        assert!(versions_agree("3.11", "3.11.7"));
        assert!(!versions_agree("3.11", "3.12"));
        assert!(!versions_agree("3.11.6", "3.11.7"));
    }
}
