//! What lists the app's packages: requirement files, `pyproject.toml`, `setup.py`,
//! the lock files (`uv.lock`, `poetry.lock`, `Pipfile.lock`), `Pipfile`.

use super::Detector;
use crate::app::requires_python::RequiresPython;
use crate::generate::app::{DetectedApp, Fact, LockFound, Pipfile, RequirementPin};
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
            "poetry.lock",
            "Pipfile",
            "Pipfile.lock",
        ]
    }

    fn detect(&self, app: &AppDir, found: &mut DetectedApp) {
        let model = app.model();
        found.requirements = model.requirement_files.clone();
        for file in &found.requirements {
            if let Some(text) = app.read(file) {
                found
                    .requirement_pins
                    .insert(file.clone(), requirement_pins(&text));
                found.requirement_texts.insert(file.clone(), text);
            }
        }
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
        found.locks = model
            .locks
            .iter()
            .map(|fact| {
                let lock = &fact.value;
                Fact::new(
                    LockFound {
                        manager: lock.kind.tool(),
                        python: lock.python.clone(),
                        pinned: lock.packages.len(),
                        packages: lock.packages.clone(),
                        kind: lock.kind,
                    },
                    fact.file.clone(),
                )
            })
            .collect();
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

/// The requirements of a requirement file, each with the version it pins (`name==1.0`),
/// `\` continuations joined (hashed files put `--hash` options on the next lines).
fn requirement_pins(text: &str) -> Vec<RequirementPin> {
    let mut pins = Vec::new();
    let mut logical = String::new();
    let mut start = 0;
    for (index, raw) in text.lines().enumerate() {
        if logical.is_empty() {
            start = index + 1;
        }
        let line = raw.split(" #").next().unwrap_or(raw).trim_end();
        match line.strip_suffix('\\') {
            Some(head) => {
                logical.push_str(head);
                logical.push(' ');
                continue;
            }
            None => logical.push_str(line),
        }
        let full = std::mem::take(&mut logical);
        if let Some(name) = requirement_name(&full) {
            pins.push(RequirementPin {
                version: pinned_version(&full),
                name,
                line: start,
                written: full.split_whitespace().next().unwrap_or("").to_string(),
            });
        }
    }
    pins
}

/// The version a requirement pins with `==` (`Flask[async]==3.0.3 --hash=...` -> `3.0.3`);
/// `None` for a range, several specifiers or none.
fn pinned_version(requirement: &str) -> Option<String> {
    let requirement = requirement.split(';').next().unwrap_or(requirement);
    let first_word = requirement.split_whitespace().next()?;
    let (_, spec) = first_word.split_once("==")?;
    let version = spec.trim_start_matches('=');
    (!version.is_empty() && !version.contains(',') && !version.contains('*'))
        .then(|| version.to_string())
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

    #[test]
    fn requirement_pins_join_hashed_lines() {
        let text = "# pinned\nflask==3.0.3 \\\n    --hash=sha256:ab \\\n    --hash=sha256:cd\n\
                    gunicorn>=21\nDjango==4.2.* ; python_version > '3'\n-r base.txt\n";
        let pins: Vec<String> = requirement_pins(text)
            .into_iter()
            .map(|pin| format!("{}:{} {:?}", pin.line, pin.name, pin.version))
            .collect();
        assert_eq!(
            pins,
            [
                "2:flask Some(\"3.0.3\")",
                "5:gunicorn None",
                "6:django None"
            ]
        );
    }
}
