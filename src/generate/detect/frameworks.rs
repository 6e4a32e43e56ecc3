//! Web frameworks: Django's `manage.py` and settings, Flask and FastAPI app objects, and
//! framework names among the dependencies. Runs after the package detector.

use super::packages::requirement_name;
use super::Detector;
use crate::generate::app::{AppObject, DetectedApp, Django, Fact, Framework};
use crate::generate::app_dir::AppDir;

/// Finds Django, Flask and FastAPI.
pub struct Frameworks;

impl Detector for Frameworks {
    fn name(&self) -> &'static str {
        "frameworks"
    }

    fn looks_for(&self) -> &'static [&'static str] {
        &[
            "manage.py",
            "*.py files (top level, one folder down, src/*/)",
        ]
    }

    fn detect(&self, app: &AppDir, found: &mut DetectedApp) {
        found.python_files = app.python_files().len();
        if app.is_file("manage.py") {
            found.django = Some(detect_django(app));
        }
        for file in app.python_files() {
            let Some(text) = app.read(file) else {
                continue;
            };
            if found.flask.is_none() {
                found.flask = find_app_object(&text, "Flask").map(|v| app_fact(v, file));
            }
            if found.fastapi.is_none() {
                found.fastapi = find_app_object(&text, "FastAPI").map(|v| app_fact(v, file));
            }
        }
        found.framework_dependencies = framework_dependencies(app, found);
    }
}

/// `manage.py`, the settings module it names, and whether the settings set `STATIC_ROOT`.
fn detect_django(app: &AppDir) -> Django {
    let settings_module = app
        .read("manage.py")
        .and_then(|text| settings_module(&text))
        .map(|module| Fact::new(module, "manage.py"));
    let static_root = settings_module.as_ref().and_then(|module| {
        let base = module.value.replace('.', "/");
        [format!("{base}.py"), format!("{base}/__init__.py")]
            .into_iter()
            .find_map(|file| {
                let text = app.read(&file)?;
                let sets_it = text.lines().any(|line| {
                    let line = line.trim_start();
                    line.starts_with("STATIC_ROOT") && line.contains('=')
                });
                Some(Fact::new(sets_it, file))
            })
    });
    Django {
        manage_py: "manage.py".to_string(),
        settings_module,
        static_root,
    }
}

/// The module in `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")`.
fn settings_module(manage_py: &str) -> Option<String> {
    let after_key = manage_py.split("DJANGO_SETTINGS_MODULE").nth(1)?;
    let after_comma = after_key.split_once(',')?.1.trim_start();
    let quote = after_comma
        .chars()
        .next()
        .filter(|c| *c == '"' || *c == '\'')?;
    let value = after_comma[1..].split(quote).next()?;
    (!value.is_empty()).then(|| value.to_string())
}

/// The variable bound to `<class>(...)` in `text` (`app = Flask(__name__)`,
/// `api: FastAPI = fastapi.FastAPI()`), from the first such line that is not a comment.
fn find_app_object(text: &str, class: &str) -> Option<String> {
    let call = format!("{class}(");
    text.lines().find_map(|line| {
        let (target, value) = line.split_once('=')?;
        let value = value.trim_start();
        let called = value.starts_with(&call)
            || value
                .split_once(&call)
                .is_some_and(|(before, _)| before.ends_with('.') && !before.contains(' '));
        let variable = target.split(':').next()?.trim();
        let is_identifier = !variable.is_empty()
            && !line.starts_with([' ', '\t', '#'])
            && variable
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_');
        (called && is_identifier).then(|| variable.to_string())
    })
}

/// An app object found in `file`, with the module a server would import.
fn app_fact(variable: String, file: &str) -> Fact<AppObject> {
    let module = file
        .strip_prefix("src/")
        .unwrap_or(file)
        .trim_end_matches(".py")
        .trim_end_matches("/__init__")
        .replace('/', ".");
    Fact::new(AppObject { variable, module }, file)
}

/// Framework names among the dependencies of every requirement file and `pyproject.toml`.
fn framework_dependencies(app: &AppDir, found: &DetectedApp) -> Vec<Fact<Framework>> {
    let mut facts: Vec<Fact<Framework>> = Vec::new();
    let mut add = |name: Option<String>, file: &str| {
        let framework = match name.as_deref() {
            Some("django") => Framework::Django,
            Some("flask") => Framework::Flask,
            Some("fastapi") => Framework::Fastapi,
            _ => return,
        };
        if !facts.iter().any(|fact| fact.value == framework) {
            facts.push(Fact::new(framework, file));
        }
    };
    for file in &found.requirements {
        for line in app.read(file).unwrap_or_default().lines() {
            add(requirement_name(line), file);
        }
    }
    if let Some(pyproject) = &found.pyproject {
        for dependency in &pyproject.value.dependencies {
            add(requirement_name(dependency), &pyproject.file);
        }
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_app_objects() {
        let flask = "from flask import Flask\n\napp = Flask(__name__)\n";
        assert_eq!(find_app_object(flask, "Flask").as_deref(), Some("app"));
        let dotted = "import fastapi\napi: fastapi.FastAPI = fastapi.FastAPI(title='x')\n";
        assert_eq!(find_app_object(dotted, "FastAPI").as_deref(), Some("api"));
        let commented = "# app = Flask(__name__)\n    inner = Flask(__name__)\n";
        assert_eq!(find_app_object(commented, "Flask"), None);
        assert_eq!(find_app_object("x = MyFlask(1)\n", "Flask"), None);
    }

    #[test]
    fn reads_settings_module() {
        let manage = "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n";
        assert_eq!(settings_module(manage).as_deref(), Some("shop.settings"));
        assert_eq!(settings_module("print('hi')\n"), None);
    }

    #[test]
    fn app_module_paths() {
        assert_eq!(app_fact("app".into(), "app.py").value.module, "app");
        assert_eq!(
            app_fact("app".into(), "web/main.py").value.module,
            "web.main"
        );
        assert_eq!(
            app_fact("app".into(), "web/__init__.py").value.module,
            "web"
        );
    }
}
