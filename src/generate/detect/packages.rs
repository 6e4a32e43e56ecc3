//! What lists the app's packages: requirement files, `pyproject.toml`, `setup.py`,
//! `uv.lock`, `Pipfile`.

use super::Detector;
use crate::app::requires_python::RequiresPython;
use crate::generate::app::{DetectedApp, Fact, Pipfile};
use crate::generate::app_dir::AppDir;

/// Reads the package lists.
pub struct Packages;

impl Detector for Packages {
    fn name(&self) -> &'static str {
        "packages"
    }

    fn looks_for(&self) -> &'static [&'static str] {
        &[
            "requirements.txt",
            "requirements-*.txt",
            "requirements/*.txt",
            "pyproject.toml",
            "setup.py",
            "uv.lock",
            "Pipfile",
        ]
    }

    fn detect(&self, app: &AppDir, found: &mut DetectedApp) {
        let model = app.model();
        found.requirements = model.requirement_files.clone();
        if let Some(fact) = &model.pyproject {
            match &fact.value {
                Ok(project) => {
                    if let Some(Err(error)) = project
                        .requires_python
                        .as_deref()
                        .map(RequiresPython::parse)
                    {
                        found.problems.push(Fact::new(
                            format!(
                                "{error}: PYTHON SELECT will stop there; write it like `>=3.11`"
                            ),
                            fact.file.clone(),
                        ));
                    }
                    found.pyproject = Some(Fact::new(project.clone(), fact.file.clone()));
                }
                Err(problem) => found
                    .problems
                    .push(Fact::new(problem.to_string(), fact.file.clone())),
            }
        }
        found.setup_py = model.setup_py.clone();
        found.uv_lock = model.uv_lock.clone();
        if let Some(text) = app.read("Pipfile") {
            match parse_pipfile(&text, app.is_file("Pipfile.lock")) {
                Ok(pipfile) => found.pipfile = Some(Fact::new(pipfile, "Pipfile")),
                Err(problem) => found.problems.push(Fact::new(problem, "Pipfile")),
            }
        }
    }
}

/// The parts of a `Pipfile` that matter: the Python version it asks for.
fn parse_pipfile(text: &str, has_lock: bool) -> Result<Pipfile, String> {
    let doc: toml::Table = text
        .parse()
        .map_err(|error: toml::de::Error| not_toml(&error))?;
    let requires = doc.get("requires").and_then(toml::Value::as_table);
    let version = |key: &str| {
        requires
            .and_then(|table| table.get(key))
            .and_then(toml::Value::as_str)
            .map(str::to_string)
    };
    Ok(Pipfile {
        python_version: version("python_full_version").or_else(|| version("python_version")),
        has_lock,
    })
}

/// A TOML parse error as one line (toml's own message spans several).
fn not_toml(error: &toml::de::Error) -> String {
    let first_line = error.message().lines().next().unwrap_or("").trim();
    format!("is not valid TOML ({first_line}); it is ignored")
}

/// The distribution name a requirement line or dependency string starts with, normalised
/// as pip does (`Flask[async]>=3` -> `flask`); `None` for options (`-r`, `--index-url`),
/// comments and blank lines.
pub fn requirement_name(line: &str) -> Option<String> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') || line.starts_with('-') {
        return None;
    }
    crate::python::requirements::requirement_name(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirement_names() {
        assert_eq!(
            requirement_name("Flask[async]>=3.0").as_deref(),
            Some("flask")
        );
        assert_eq!(
            requirement_name("  Django==5.0 ; python_version>'3'").as_deref(),
            Some("django")
        );
        assert_eq!(
            requirement_name("zope.interface").as_deref(),
            Some("zope-interface")
        );
        assert_eq!(requirement_name("-r base.txt"), None);
        assert_eq!(requirement_name("# comment"), None);
    }
}
