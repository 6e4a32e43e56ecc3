//! The decisions behind the template context, one function each, with their warnings:
//! which Python, which installer, what to install, which framework.

use crate::app::requires_python::RequiresPython;
use crate::app::version::VersionRequest;
use crate::app::{Fact, LockKind};
use crate::app::{PythonRequest, RequestSource};
use crate::generate::app::{DetectedApp, Framework, LockFound, RequirementPin};
use crate::generate::choice::Choice;
use crate::generate::config::Installer;
use crate::generate::conflict::{Difference, PackageConflict};
use serde::Serialize;

/// Warnings and notes collected while deciding.
#[derive(Debug, Default)]
pub struct Said {
    /// Things to fix.
    pub warnings: Vec<String>,
    /// Things to know.
    pub notes: Vec<String>,
}

/// What `VENV INSTALL` installs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InstallTarget {
    /// The arguments, as written in the script: `-r requirements.txt` or `.`.
    pub args: String,
    /// The same arguments, one word each (`-r`, `requirements.txt`), for `VENV INSTALL`.
    #[serde(skip)]
    pub words: Vec<String>,
    /// The files whose content decides what gets installed (for `VENV REMOVE /IFCHANGED`),
    /// as written in the script.
    pub inputs: Vec<String>,
    /// The package manager whose lock is installed (`uv`, `poetry`, `pipenv`), when the
    /// input is a lock file: the `--kudu` script exports it first.
    pub lock: Option<&'static str>,
}

impl InstallTarget {
    /// Installs `words` (`-r`, `requirements.txt`), decided by the content of `inputs`.
    pub fn new(words: Vec<String>, inputs: Vec<String>) -> InstallTarget {
        InstallTarget {
            args: words.join(" "),
            words,
            inputs,
            lock: None,
        }
    }

    /// Installs exactly what the `kind` lock pins (`VENV INSTALL poetry.lock`), decided by
    /// the lock and the file it is made from.
    pub fn lock(kind: LockKind) -> InstallTarget {
        InstallTarget {
            lock: Some(kind.tool()),
            ..InstallTarget::new(
                vec![kind.lock_file().to_string()],
                vec![kind.manifest().to_string(), kind.lock_file().to_string()],
            )
        }
    }
}

/// What installs the packages: the `VENV INSTALL` line (none when the app lists no
/// packages) and the tool.
#[derive(Debug)]
pub struct PackageDecision {
    /// What `VENV INSTALL` installs.
    pub install: Option<Choice<InstallTarget>>,
    /// The installer.
    pub installer: Choice<Installer>,
}

/// The package manager's line. A lock file decides, unless `--installer` names another
/// tool: one lock is installed exactly as locked; two locks, or a lock beside a
/// requirements.txt that disagrees with it, are an error saying how to choose. Without a
/// lock (or with `--installer pip`), [`install`] decides, installing with the flag's tool
/// or pip.
pub fn packages(
    app: &DetectedApp,
    flag: Option<Installer>,
    said: &mut Said,
) -> Result<PackageDecision, PackageConflict> {
    let lock_of = |kind: LockKind| app.locks.iter().find(|lock| lock.value.kind == kind);
    let named = |kind: LockKind| lock_of(kind).ok_or(PackageConflict::NoLock { kind });
    let chosen = match flag {
        Some(Installer::Poetry) => Some(named(LockKind::Poetry)?),
        Some(Installer::Pipenv) => Some(named(LockKind::Pipenv)?),
        Some(Installer::Uv) => lock_of(LockKind::Uv),
        Some(Installer::Pip) => None,
        None | Some(Installer::Auto) => match app.locks.as_slice() {
            [] => None,
            [one] => Some(one),
            several => {
                return Err(PackageConflict::TwoLocks {
                    locks: several.iter().map(|lock| lock.value.kind).collect(),
                })
            }
        },
    };
    let Some(lock) = chosen else {
        if flag == Some(Installer::Pip) {
            for lock in &app.locks {
                said.warnings.push(format!(
                    "`{}` is present but `--installer pip` was given: pip does not read `{}`",
                    lock.file, lock.file
                ));
            }
        }
        let installer = match flag {
            Some(flag) => Choice::new(flag, format!("--installer {}", flag.name())),
            None => Choice::new(Installer::Pip, "the default; no lock file"),
        };
        return Ok(PackageDecision {
            install: install(app, said),
            installer,
        });
    };
    let kind = lock.value.kind;
    if let Some(pins) = app.requirement_pins.get(REQUIREMENTS_TXT) {
        let differences = differences(pins, lock);
        if differences.is_empty() {
            said.notes.push(format!(
                "`{REQUIREMENTS_TXT}` agrees with `{}` (every name it lists is locked, at the version it pins): the script installs `{}`",
                lock.file, lock.file
            ));
        } else if flag.is_some() && flag != Some(Installer::Auto) {
            said.warnings.push(format!(
                "`{REQUIREMENTS_TXT}` disagrees with `{}`: the script installs `{}`, as `--installer {}` says",
                lock.file, lock.file, kind.tool()
            ));
        } else {
            let text = app
                .requirement_texts
                .get(REQUIREMENTS_TXT)
                .cloned()
                .unwrap_or_default();
            return Err(PackageConflict::disagrees(
                REQUIREMENTS_TXT,
                &text,
                kind,
                &differences,
            ));
        }
    }
    for other in app.locks.iter().filter(|other| other.value.kind != kind) {
        said.warnings.push(format!(
            "`{}` is not read: the script installs `{}`, as `--installer {}` says",
            other.file,
            lock.file,
            kind.tool()
        ));
    }
    let installer = match (flag, kind) {
        (Some(Installer::Auto), _) => Choice::new(Installer::Auto, "--installer auto"),
        (Some(flag), _) => Choice::new(flag, format!("--installer {}", flag.name())),
        (None, LockKind::Uv) => Choice::new(Installer::Uv, lock.file.clone()),
        (None, LockKind::Poetry) => Choice::new(Installer::Poetry, lock.file.clone()),
        (None, LockKind::Pipenv) => Choice::new(Installer::Pipenv, lock.file.clone()),
    };
    if kind != LockKind::Pipenv
        && app
            .pyproject
            .as_ref()
            .is_some_and(|project| project.value.build_backend.is_some())
    {
        said.notes.push(format!(
            "`{}` installs the project's dependencies, not the project itself: the app runs from the site's files, \
             so a code-only change is live on the next deploy",
            lock.file
        ));
    }
    Ok(PackageDecision {
        install: Some(Choice::new(InstallTarget::lock(kind), lock.file.clone())),
        installer,
    })
}

/// The requirements file a lock is compared with.
const REQUIREMENTS_TXT: &str = "requirements.txt";

/// Where the requirements disagree with the lock: a name it does not lock, or a pinned
/// version other than the locked one.
fn differences(pins: &[RequirementPin], lock: &Fact<LockFound>) -> Vec<Difference> {
    let locked = &lock.value.packages;
    let mut differences = Vec::new();
    for pin in pins {
        let written = pin.written.clone();
        let problem = match (locked.get(&pin.name), &pin.version) {
            (None, _) => format!("is not in `{}`", lock.file),
            (Some(locked), Some(pinned)) if locked != pinned => {
                format!("but `{}` locks {locked}", lock.file)
            }
            _ => continue,
        };
        differences.push(Difference {
            line: pin.line,
            written,
            problem,
        });
    }
    differences
}

/// What a requirement folder's files are preferred in, when there is no `requirements.txt`.
const PREFERRED_REQUIREMENTS: &[&str] = &["prod", "production", "base", "common", "main"];

/// `--framework`, else `manage.py`, else a Flask object, else a FastAPI object, else a
/// framework among the dependencies, else none.
pub fn framework(app: &DetectedApp, flag: Option<Framework>, said: &mut Said) -> Choice<Framework> {
    let mut seen: Vec<Choice<Framework>> = Vec::new();
    if let Some(django) = &app.django {
        seen.push(Choice::new(Framework::Django, django.manage_py.clone()));
    }
    if let Some(flask) = &app.flask {
        seen.push(Choice::new(Framework::Flask, flask.file.clone()));
    }
    if let Some(fastapi) = &app.fastapi {
        seen.push(Choice::new(Framework::Fastapi, fastapi.file.clone()));
    }
    if seen.is_empty() {
        if let Some(dependency) = app.framework_dependencies.first() {
            seen.push(Choice::new(dependency.value, dependency.file.clone()));
            said.notes.push(format!(
                "`{}` is a dependency in `{}`, but no app object was found in the .py files",
                dependency.value.name(),
                dependency.file
            ));
        }
    }
    if let Some(flag) = flag {
        if flag == Framework::Django && app.django.is_none() {
            said.warnings.push(
                "`--framework django` but there is no `manage.py`: DJANGO COLLECTSTATIC will fail at deploy time"
                    .to_string(),
            );
        }
        return Choice::new(flag, format!("--framework {}", flag.name()));
    }
    if seen.len() > 1 {
        let list: Vec<String> = seen
            .iter()
            .map(|choice| format!("{} (`{}`)", framework_label(choice.value), choice.because))
            .collect();
        said.warnings.push(format!(
            "found {}: the script is written for {}; pass `--framework` to choose another",
            list.join(" and "),
            framework_label(seen[0].value)
        ));
    }
    seen.into_iter()
        .next()
        .unwrap_or_else(|| Choice::new(Framework::None, "no framework found"))
}

/// The framework's name for people.
pub fn framework_label(framework: Framework) -> &'static str {
    match framework {
        Framework::Django => "Django",
        Framework::Flask => "Flask",
        Framework::Fastapi => "FastAPI",
        Framework::None => "Python",
    }
}

/// Without a lock: `requirements.txt`, else another requirement file, else the pyproject
/// project, else `setup.py`, else nothing.
pub fn install(app: &DetectedApp, said: &mut Said) -> Option<Choice<InstallTarget>> {
    let pyproject = app.pyproject.as_ref().map(|fact| &fact.value);
    let installable_project = pyproject
        .is_some_and(|project| project.has_project_table || project.build_backend.is_some());
    if let Some(file) = pick_requirements(app, said) {
        if pyproject.is_some_and(|project| !project.dependencies.is_empty()) {
            said.warnings.push(format!(
                "both `{file}` and `pyproject.toml` list dependencies: the script installs `{file}` (as Kudu does); \
                 to install the project instead, change its line to `VENV INSTALL .`"
            ));
        }
        if app
            .requirement_texts
            .get(&file)
            .is_some_and(|text| text.contains("--hash"))
        {
            said.notes.push(format!(
                "`{file}` has `--hash` lines: pip installs it in hash-checking mode (every package, dependencies \
                 included, must be pinned with `==` and a hash), and a download whose hash differs fails the step \
                 before the env is changed"
            ));
        }
        let path = file.replace('/', "\\");
        return Some(Choice::new(
            InstallTarget::new(vec!["-r".to_string(), path.clone()], vec![path]),
            file,
        ));
    }
    if installable_project {
        let mut inputs = vec!["pyproject.toml".to_string()];
        inputs.extend(
            app.locks
                .iter()
                .filter(|lock| lock.value.kind == LockKind::Uv)
                .map(|lock| lock.file.clone()),
        );
        return Some(Choice::new(
            InstallTarget::new(vec![".".to_string()], inputs),
            "pyproject.toml",
        ));
    }
    if app.pyproject.is_some() {
        said.notes.push(
            "`pyproject.toml` has no `[project]` table and no build backend, so it is not installed".to_string(),
        );
    }
    if let Some(setup) = &app.setup_py {
        return Some(Choice::new(
            InstallTarget::new(vec![".".to_string()], vec![setup.clone()]),
            setup.clone(),
        ));
    }
    if let Some(pipfile) = &app.pipfile {
        said.warnings.push(format!(
            "`{}` lists the packages, but there is no `Pipfile.lock` to install: \
             run `pipenv lock`, commit `Pipfile.lock`, and run gen-deploy again",
            pipfile.file
        ));
    } else {
        said.warnings.push(
            "no `requirements.txt`, `pyproject.toml` or `setup.py`: the script installs no packages".to_string(),
        );
    }
    None
}

/// `requirements.txt`, else the preferred of the other requirement files.
fn pick_requirements(app: &DetectedApp, said: &mut Said) -> Option<String> {
    let first = app.requirements.first()?;
    if first == "requirements.txt" {
        return Some(first.clone());
    }
    let stem = |file: &String| {
        let name = file.rsplit('/').next().unwrap_or(file);
        name.trim_start_matches("requirements-")
            .trim_end_matches(".txt")
            .to_string()
    };
    let picked = PREFERRED_REQUIREMENTS
        .iter()
        .find_map(|preferred| {
            app.requirements
                .iter()
                .find(|file| stem(file) == *preferred)
        })
        .unwrap_or(first)
        .clone();
    if app.requirements.len() > 1 {
        said.warnings.push(format!(
            "no `requirements.txt`: the script installs `{picked}` (of {}); change its VENV INSTALL line if another is right",
            app.requirements.iter().map(|file| format!("`{file}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    Some(picked)
}

/// Which Python the deploy will use, and whether the script must pin it itself.
#[derive(Debug)]
pub struct PythonDecision {
    /// The version (or specifier) and what decided it.
    pub choice: Choice<String>,
    /// A version the script sets in `PYTHON_VERSION` (`--python`, or a Pipfile's).
    pub pin: Option<String>,
}

/// The version PYTHON SELECT will use, and a version the script must pin itself. Order:
/// `--python` (which the script sets as PYTHON_VERSION), then what the app model reads in
/// PYTHON SELECT's order (`runtime.txt`, `.python-version`, `requires-python`), then
/// `Pipfile` (which PYTHON SELECT does not read, so the script pins it), else none.
pub fn python(
    app: &DetectedApp,
    flag: Option<&str>,
    install: Option<&Choice<InstallTarget>>,
    said: &mut Said,
) -> PythonDecision {
    let runtime = app.runtime_txt.as_ref();
    let dot_file = app.python_version_file.as_ref();
    if let (Some(runtime), Some(dot_file)) = (runtime, dot_file) {
        if !versions_agree(&runtime.value.version, &dot_file.value.version) {
            said.warnings.push(format!(
                "`runtime.txt` asks for Python {} and `.python-version` for {}: `runtime.txt` wins \
                 (PYTHON SELECT reads it first); make them agree or delete one",
                runtime.value.version, dot_file.value.version
            ));
        }
    }
    let (request, source) = app
        .python_request
        .clone()
        .unwrap_or((PythonRequest::Newest, RequestSource::Newest));
    let requires = app
        .pyproject
        .as_ref()
        .and_then(|fact| fact.value.requires_python.clone());
    let pipfile_version = app
        .pipfile
        .as_ref()
        .and_then(|fact| fact.value.python_version.clone());
    let (choice, pin) = if let Some(version) = flag {
        if let (PythonRequest::Version(asked), Some(file)) = (&request, source.file()) {
            if !versions_agree(&asked.to_string(), version) {
                said.warnings.push(format!(
                    "`--python {version}` overrides Python {asked} from `{file}`: the script sets PYTHON_VERSION \
                     (an app setting PYTHON_VERSION still wins)"
                ));
            }
        }
        (
            Choice::new(version.to_string(), "--python"),
            Some(version.to_string()),
        )
    } else if let PythonRequest::Version(asked) = &request {
        (
            Choice::new(asked.to_string(), source.file().unwrap_or("PYTHON_VERSION")),
            None,
        )
    } else if let PythonRequest::Specifier(spec) = &request {
        let because = match &source {
            RequestSource::Lock(kind, _) => kind.lock_file(),
            _ => "pyproject.toml requires-python",
        };
        (Choice::new(spec.as_str().to_string(), because), None)
    } else if let Some(version) = pipfile_version {
        said.notes.push(format!(
            "only `Pipfile` names a Python version ({version}); PYTHON SELECT does not read it, so the script sets PYTHON_VERSION"
        ));
        (Choice::new(version.clone(), "Pipfile"), Some(version))
    } else {
        said.notes.push(
            "no version file: PYTHON SELECT will pick the newest Python installed; pin one with `runtime.txt` \
             (`python-3.11`) or `--python`"
                .to_string(),
        );
        (
            Choice::new("newest installed".to_string(), "no version file"),
            None,
        )
    };
    if let Some(spec) = &requires {
        if satisfies(&choice.value, spec) == Some(false) {
            let consequence = if install.is_some_and(|target| target.value.args == ".") {
                "pip will refuse to install the project"
            } else {
                "make them agree"
            };
            said.warnings.push(format!(
                "Python {} (from `{}`) does not satisfy `requires-python = \"{spec}\"` in `pyproject.toml`: {consequence}",
                choice.value, choice.because
            ));
        }
    }
    PythonDecision { choice, pin }
}

/// Whether two versions name the same interpreter as far as both say (`3.11` and
/// `3.11.7` agree; `3.11` and `3.12` do not).
pub fn versions_agree(left: &str, right: &str) -> bool {
    match (VersionRequest::parse(left), VersionRequest::parse(right)) {
        (Some(left), Some(right)) => left.overlaps(&right),
        _ => left == right,
    }
}

/// Whether `version` (`3.11`, `3.11.7`) satisfies `requires-python`; `None` when either
/// is not what it should be (a specifier chosen as the version, an unreadable one).
fn satisfies(version: &str, spec: &str) -> Option<bool> {
    let request = VersionRequest::parse(version)?;
    Some(RequiresPython::parse(spec).ok()?.admits(&request))
}

/// The SYNC ignore list, and the shipped env VENV ENSURE will use (`env` only).
pub fn shipped_envs(app: &DetectedApp, script: &str, said: &mut Said) -> (String, Option<String>) {
    let mut ignore = vec![".git", ".hg", ".deployment", script];
    let mut used = None;
    for fact in &app.shipped_envs {
        let env = &fact.value;
        if env.windows_layout {
            said.warnings.push(format!(
                "`{}/` is a virtual environment made on Windows (`Scripts/`, no `bin/`): it cannot run on Linux; \
                 remove it from the repository so the deploy builds one",
                env.dir
            ));
        }
        if env.dir == "env" {
            if !env.windows_layout {
                said.notes.push(
                    "the repository ships `env/` (it has `pyvenv.cfg`): VENV ENSURE will use it and build nothing".to_string(),
                );
                used = Some(env.dir.clone());
            }
        } else {
            said.notes.push(format!(
                "`{}/` is a virtual environment committed in the repository: SYNC ignores it and the deploy builds `env`",
                env.dir
            ));
            ignore.push(&env.dir);
        }
    }
    (ignore.join(";"), used)
}

/// Notes and warnings about the site files: Django's STATIC_ROOT, skip files, web.config.
pub fn site_notes(app: &DetectedApp, framework: Framework, said: &mut Said) {
    if let (Framework::Django, Some(django)) = (framework, &app.django) {
        if let Some(fact) = django.static_root.as_ref().filter(|fact| !fact.value) {
            said.warnings.push(format!(
                "`{}` does not set `STATIC_ROOT`: collectstatic will fail; set it (`STATIC_ROOT = BASE_DIR / \"staticfiles\"`) \
                 or add a `.skipDjango` file",
                fact.file
            ));
        }
    }
    if let Some(file) = &app.skip_python_deployment {
        said.warnings.push(format!(
            "`{file}` is present: the deploy will sync the files and skip every Python step"
        ));
    }
    if let (Framework::Django, Some(file)) = (framework, &app.skip_django) {
        said.notes.push(format!(
            "`{file}` is present: DJANGO COLLECTSTATIC will skip itself"
        ));
    }
    if let Some(file) = &app.web_config {
        said.notes.push(format!(
            "`{file}` configures IIS on Windows App Service; it is synced to the site and unused on Linux"
        ));
    }
    for problem in &app.problems {
        said.warnings
            .push(format!("`{}` {}", problem.file, problem.value));
    }
}
