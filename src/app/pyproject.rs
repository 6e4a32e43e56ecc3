//! `pyproject.toml`: the parts that matter for a deploy (name, requires-python,
//! dependencies, build backend), read with the `toml` crate.

use serde::Serialize;

/// What `pyproject.toml` says.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PyProject {
    /// `[project] name`.
    pub name: Option<String>,
    /// `[project] requires-python`, e.g. `>=3.11`, as written.
    pub requires_python: Option<String>,
    /// `[project] dependencies`, as written.
    pub dependencies: Vec<String>,
    /// `[tool.poetry.dependencies] python`, e.g. `^3.11`: Poetry's Python constraint, as
    /// written. Left out of gen-deploy's `--json` when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub poetry_python: Option<String>,
    /// `[build-system] build-backend`, e.g. `setuptools.build_meta`.
    pub build_backend: Option<String>,
    /// Whether it has a `[project]` table, so that `pip install .` can build it.
    pub has_project_table: bool,
}

/// `pyproject.toml` is not TOML.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("is not valid TOML ({summary}); it is ignored")]
pub struct PyProjectError {
    /// The first line of what the TOML parser said.
    pub summary: String,
    /// Everything the TOML parser said, with the line it stopped at.
    pub detail: String,
}

/// Reads the parts of `pyproject.toml` that matter for a deploy.
pub fn parse_pyproject(text: &str) -> Result<PyProject, PyProjectError> {
    let doc: toml::Table = text
        .parse()
        .map_err(|error: toml::de::Error| PyProjectError {
            summary: error
                .message()
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .to_string(),
            detail: error.to_string(),
        })?;
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
    let poetry_dependencies = ["tool", "poetry", "dependencies"]
        .iter()
        .try_fold(&doc, |table, key| table.get(*key)?.as_table());
    Ok(PyProject {
        name: text_of(project, "name"),
        requires_python: text_of(project, "requires-python"),
        dependencies,
        poetry_python: text_of(poetry_dependencies, "python"),
        build_backend: text_of(build_system, "build-backend"),
        has_project_table: project.is_some(),
    })
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
        assert_eq!(project.poetry_python, None);
    }

    #[test]
    fn reads_poetrys_python_constraint() {
        let project = parse_pyproject(
            "[tool.poetry]\npackage-mode = false\n[tool.poetry.dependencies]\npython = \"~3.11\"\nflask = \"*\"\n",
        )
        .unwrap();
        assert_eq!(project.poetry_python.as_deref(), Some("~3.11"));
        assert!(!project.has_project_table);
    }

    #[test]
    fn bad_toml_is_a_one_line_problem() {
        let problem = parse_pyproject("[project\nname=").unwrap_err().to_string();
        assert!(problem.starts_with("is not valid TOML ("), "{problem}");
        assert!(problem.ends_with("); it is ignored"), "{problem}");
        assert!(!problem.contains('\n'), "{problem}");
    }
}
