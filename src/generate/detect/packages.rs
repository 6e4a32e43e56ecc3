//! What lists the app's packages: requirement files, `pyproject.toml`, `setup.py`,
//! `uv.lock`, `Pipfile`.

use super::Detector;
use crate::generate::app::{DetectedApp, Fact, Pipfile, PyProject};
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
        found.requirements = requirement_files(app);
        if let Some(text) = app.read("pyproject.toml") {
            match parse_pyproject(&text) {
                Ok(project) => found.pyproject = Some(Fact::new(project, "pyproject.toml")),
                Err(problem) => found.problems.push(Fact::new(problem, "pyproject.toml")),
            }
        }
        if app.is_file("setup.py") {
            found.setup_py = Some("setup.py".to_string());
        }
        if app.is_file("uv.lock") {
            found.uv_lock = Some("uv.lock".to_string());
        }
        if let Some(text) = app.read("Pipfile") {
            match parse_pipfile(&text, app.is_file("Pipfile.lock")) {
                Ok(pipfile) => found.pipfile = Some(Fact::new(pipfile, "Pipfile")),
                Err(problem) => found.problems.push(Fact::new(problem, "Pipfile")),
            }
        }
    }
}

/// `requirements.txt` first, then `requirements-*.txt`, then `requirements/*.txt`.
fn requirement_files(app: &AppDir) -> Vec<String> {
    let mut files = Vec::new();
    if app.is_file("requirements.txt") {
        files.push("requirements.txt".to_string());
    }
    for name in app.files_in("") {
        if name.starts_with("requirements-") && name.ends_with(".txt") {
            files.push(name);
        }
    }
    if app.is_dir("requirements") {
        for name in app.files_in("requirements") {
            if name.ends_with(".txt") {
                files.push(format!("requirements/{name}"));
            }
        }
    }
    files
}

/// The parts of `pyproject.toml` that matter for installing the app.
pub fn parse_pyproject(text: &str) -> Result<PyProject, String> {
    let doc: toml::Table = text
        .parse()
        .map_err(|error: toml::de::Error| not_toml(&error))?;
    let project = doc.get("project").and_then(toml::Value::as_table);
    let text_of = |table: Option<&toml::Table>, key: &str| {
        table
            .and_then(|table| table.get(key))
            .and_then(toml::Value::as_str)
            .map(str::to_string)
    };
    let dependencies = project
        .and_then(|table| table.get("dependencies"))
        .and_then(toml::Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(toml::Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let build_system = doc.get("build-system").and_then(toml::Value::as_table);
    Ok(PyProject {
        name: text_of(project, "name"),
        requires_python: text_of(project, "requires-python"),
        dependencies,
        build_backend: text_of(build_system, "build-backend"),
        has_project_table: project.is_some(),
    })
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

/// The distribution name a requirement line or dependency string starts with, lowercased,
/// with `_` and `.` folded to `-` (`Flask[async]>=3` -> `flask`); `None` for options
/// (`-r`, `--index-url`), comments and blank lines.
pub fn requirement_name(line: &str) -> Option<String> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') || line.starts_with('-') {
        return None;
    }
    let name: String = line
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    (!name.is_empty()).then(|| name.to_ascii_lowercase().replace(['_', '.'], "-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_project_and_build_backend() {
        let project = parse_pyproject(
            "[project]\nname = \"shop\"\nrequires-python = \">=3.11\"\ndependencies = [\"flask>=3\"]\n\
             [build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
        )
        .unwrap();
        assert_eq!(project.name.as_deref(), Some("shop"));
        assert_eq!(project.requires_python.as_deref(), Some(">=3.11"));
        assert_eq!(project.dependencies, vec!["flask>=3"]);
        assert_eq!(project.build_backend.as_deref(), Some("hatchling.build"));
        assert!(project.has_project_table);
    }

    #[test]
    fn bad_toml_is_a_one_line_problem() {
        let problem = parse_pyproject("[project\nname=").unwrap_err();
        assert!(problem.starts_with("is not valid TOML ("), "{problem}");
        assert!(!problem.contains('\n'), "{problem}");
    }

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
