//! The app model shared by gen-deploy and run-deploy: every directive line gen-deploy can
//! write parses back (script parser -> words -> `parse_directive`) to the typed arguments
//! it was written from, and gen-deploy writes its script for the Python version request
//! run-deploy's `PYTHON SELECT` then reads from the same app.

use crate::common::test::{fixtures_dir, samples_dir};

use deploy_script::app::deployment_file::DeploymentFile;
use deploy_script::app::AppModel;
use deploy_script::commands::args::{parse_directive, DirectiveArgs};
use deploy_script::generate::config::{GenConfig, Installer, ScriptStyle};
use deploy_script::generate::conflict::PackageConflict;
use deploy_script::generate::{generate, Generated};
use deploy_script::interpreter::expand::{split_words, Split};
use deploy_script::process::{current_environment, Environment};
use deploy_script::python::select::{wanted_version, SelectError, SelectionSource};
use deploy_script::source::Source;
use deploy_script::syntax::ast::{Builtin, CommandKind, StatementKind};
use std::path::{Path, PathBuf};

/// Every fixture app and every sample (the fixture without any Python aside).
fn every_app() -> Vec<PathBuf> {
    let mut apps = Vec::new();
    for dir in [fixtures_dir(), samples_dir()] {
        let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.is_dir() && !path.ends_with("no-python"))
            .collect();
        found.sort();
        apps.extend(found);
    }
    assert!(apps.len() >= 35, "{apps:?}");
    apps
}

/// The directives of `script` as run-deploy reads them, with the commented-out
/// `VENV REMOVE` lines uncommented (as the script tells its reader to do).
fn directives_read_back(script: &str) -> Vec<DirectiveArgs> {
    let uncommented = script.replace("\r\n:: VENV REMOVE", "\r\nVENV REMOVE");
    let source = Source::from_text("deploy.cmd", uncommented);
    let parsed = deploy_script::syntax::parser::parse(&source);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let mut read = Vec::new();
    for statement in &parsed.script.statements {
        let StatementKind::Command(command) = &statement.kind else {
            continue;
        };
        deploy_script::check::each_command_in(command, &mut |command| {
            if let CommandKind::Simple(simple) = &command.kind {
                if let Some(Builtin::Directive(kind)) = simple.builtin {
                    let text = simple
                        .args
                        .literal()
                        .expect("no expansion in a directive line");
                    let words = split_words(&text, Split::Builtin);
                    read.push(parse_directive(kind, &words).unwrap_or_else(|error| {
                        panic!("`{}{text}` does not parse: {error}", kind.display_name())
                    }));
                }
            }
        });
    }
    read
}

/// gen-deploy's result for `app` with `configure` applied.
fn generated(app: &Path, configure: impl Fn(&mut GenConfig)) -> Generated {
    generated_unless_conflict(app, configure)
        .unwrap_or_else(|| panic!("{}: the app's package files conflict", app.display()))
}

/// gen-deploy's result for `app` with `configure` applied, or `None` when the app's
/// package files leave the choice of installer open (two locks, a lock and a
/// requirements.txt that disagree, `--installer poetry` without poetry.lock).
fn generated_unless_conflict(app: &Path, configure: impl Fn(&mut GenConfig)) -> Option<Generated> {
    let mut config = GenConfig::new(app);
    configure(&mut config);
    match generate(&config) {
        Ok(generated) => Some(generated),
        Err(error) if error.downcast_ref::<PackageConflict>().is_some() => None,
        Err(error) => panic!("{}: {error:#}", app.display()),
    }
}

/// The folder gen-deploy reads the app in: `app`, or the `project` its `.deployment` names.
fn project_dir(app: &Path) -> PathBuf {
    match DeploymentFile::read(app).unwrap().project {
        Some(project) => app.join(project),
        None => app.to_path_buf(),
    }
}

/// Asserts that the directive lines of `generated` read back as what they were written from.
fn assert_round_trip(app: &Path, generated: &Generated) {
    assert_eq!(
        directives_read_back(&generated.rendered.script),
        generated.directives.all(),
        "{}",
        app.display()
    );
}

#[test]
fn every_generated_directive_line_parses_back_to_its_typed_arguments() {
    let installers = [
        None,
        Some(Installer::Pip),
        Some(Installer::Uv),
        Some(Installer::Auto),
        Some(Installer::Poetry),
        Some(Installer::Pipenv),
    ];
    let mut install_lines = std::collections::BTreeSet::new();
    let mut conflicts = std::collections::BTreeSet::new();
    for app in every_app() {
        let name = app.file_name().unwrap().to_string_lossy().into_owned();
        for installer in installers {
            let Some(generated) =
                generated_unless_conflict(&app, |config| config.installer = installer)
            else {
                conflicts.insert(format!("{name} {installer:?}"));
                continue;
            };
            assert_round_trip(&app, &generated);
            if let Some(install) = &generated.directives.venv_install {
                let first = install.inputs.first().cloned().unwrap_or_default();
                install_lines.insert(format!("{first} {:?}", install.installer));
            }
        }
        // The Kudu style writes plain batch: no directive at all.
        if let Some(kudu) =
            generated_unless_conflict(&app, |config| config.style = ScriptStyle::Kudu)
        {
            assert_eq!(
                directives_read_back(&kudu.rendered.script),
                [],
                "{}",
                app.display()
            );
        }
    }
    // Every kind of install line was written and read back: requirement files, the
    // project, and each lock, with and without uv.
    for line in [
        "-r None",
        "-r Some(\"uv\")",
        "-r Some(\"auto\")",
        ". None",
        ". Some(\"uv\")",
        "uv.lock Some(\"uv\")",
        "uv.lock Some(\"auto\")",
        "poetry.lock None",
        "Pipfile.lock None",
    ] {
        assert!(
            install_lines.contains(line),
            "no `{line}` in {install_lines:?}"
        );
    }
    // The conflicts are exactly the fixtures made for them, and the flags that ask for a
    // lock the app does not have.
    for conflict in [
        "two-locks None",
        "two-locks Some(Auto)",
        "lock-disagrees-with-requirements None",
        "lock-disagrees-with-requirements Some(Auto)",
        "poetry-without-lock-flag Some(Poetry)",
        "flask-app Some(Pipenv)",
    ] {
        assert!(
            conflicts.contains(conflict),
            "no conflict `{conflict}` in {conflicts:?}"
        );
    }
    assert!(
        !conflicts.iter().any(|conflict| conflict.ends_with(" None")
            && !conflict.starts_with("two-locks")
            && !conflict.starts_with("lock-disagrees")),
        "{conflicts:?}"
    );
}

#[test]
fn every_venv_remove_form_is_offered_and_reads_back() {
    let app = fixtures_dir().join("uv-lock");
    let generated = generated(&app, |config| {
        config.today = time::macros::date!(2026 - 12 - 02);
    });
    let lines: Vec<&str> = generated
        .rendered
        .script
        .lines()
        .filter(|line| line.starts_with(":: VENV ") || line.starts_with("VENV "))
        .collect();
    assert_eq!(
        lines,
        [
            ":: VENV REMOVE",
            ":: VENV REMOVE /ONCE 2026-12-02",
            ":: VENV REMOVE /IFCHANGED pyproject.toml uv.lock",
            "VENV ENSURE /INSTALLER uv",
            "VENV INSTALL uv.lock /INSTALLER uv",
        ]
    );
    assert_round_trip(&app, &generated);
}

#[test]
fn paths_with_spaces_are_quoted_and_read_back_whole() {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("my app");
    std::fs::create_dir_all(app.join("requirements")).unwrap();
    std::fs::write(app.join("requirements/prod deps.txt"), "flask\n").unwrap();
    std::fs::write(
        app.join("app.py"),
        "from flask import Flask\napp = Flask(__name__)\n",
    )
    .unwrap();
    std::fs::create_dir_all(app.join("old env")).unwrap();
    std::fs::write(app.join("old env/pyvenv.cfg"), "version = 3.11.7\n").unwrap();
    std::fs::create_dir_all(app.join("old env/bin")).unwrap();
    let generated = generated(&app, |config| {
        config.script = "scripts/my deploy.cmd".to_string();
        config.installer = Some(Installer::Auto);
    });
    let lines: Vec<&str> = generated
        .rendered
        .script
        .lines()
        .filter(|line| {
            ["SYNC", "VENV INSTALL", "VENV REMOVE /IFCHANGED"]
                .iter()
                .any(|name| line.contains(name))
        })
        .collect();
    assert_eq!(
        lines,
        [
            r#"SYNC /IGNORE ".git;.hg;.deployment;scripts/my deploy.cmd;old env""#,
            r#":: VENV REMOVE /IFCHANGED "requirements\prod deps.txt""#,
            r#"VENV INSTALL -r "requirements\prod deps.txt" /INSTALLER auto"#,
        ]
    );
    assert_round_trip(&app, &generated);
}

/// The `PYTHON_VERSION` the generated script sets, as run-deploy's environment then holds it.
fn environment_of_script(generated: &Generated) -> Environment {
    let mut env = current_environment();
    env.remove("PYTHON_VERSION");
    if let Some(pin) = &generated.context.pin_python {
        env.insert("PYTHON_VERSION".into(), pin.clone());
    }
    env
}

/// What run-deploy's PYTHON SELECT asks for in `app` when it runs the script gen-deploy
/// wrote, as gen-deploy words it: (`3.11`, `runtime.txt`); or the error it stops with.
fn run_deploy_request(app: &Path, generated: &Generated) -> Result<(String, String), SelectError> {
    let (request, source) = wanted_version(app, &environment_of_script(generated))?;
    let because = match source {
        // Only the script sets PYTHON_VERSION here: gen-deploy says why it pinned it.
        SelectionSource::Setting(_) => generated.context.python.because.clone(),
        SelectionSource::RuntimeTxt(_) => "runtime.txt".to_string(),
        SelectionSource::PythonVersionFile(_) => ".python-version".to_string(),
        // gen-deploy words Poetry's `python = "^3.11"` as it words requires-python: both
        // are pyproject.toml's specifier for the Python version.
        SelectionSource::RequiresPython(_) | SelectionSource::PoetryPython(_) => {
            "pyproject.toml requires-python".to_string()
        }
        SelectionSource::Lock(kind, _) => kind.lock_file().to_string(),
        SelectionSource::Newest => "no version file".to_string(),
    };
    Ok((request.to_string(), because))
}

#[test]
fn gen_deploy_and_run_deploy_ask_for_the_same_python_in_every_app() {
    let mut asked = Vec::new();
    for app in every_app() {
        let name = app.file_name().unwrap().to_string_lossy().into_owned();
        let Some(generated) = generated_unless_conflict(&app, |_| {}) else {
            asked.push(format!("{name}: (the package files conflict)"));
            continue;
        };
        let app = project_dir(&app);
        let gen_deploy = (
            generated.context.python.value.clone(),
            generated.context.python.because.clone(),
        );
        match run_deploy_request(&app, &generated) {
            Ok(run_deploy) => assert_eq!(gen_deploy, run_deploy, "{name}"),
            Err(error) => {
                // run-deploy stops at a file it cannot read; gen-deploy must have warned
                // about the same file.
                let unreadable = AppModel::read(&app)
                    .unwrap()
                    .python_request(generated.context.pin_python.as_deref())
                    .unwrap_err();
                let file = unreadable.file.unwrap();
                assert!(
                    generated
                        .context
                        .warnings
                        .iter()
                        .any(|warning| warning.starts_with(&format!("`{file}` "))),
                    "{name}: run-deploy says {error:?}, gen-deploy warns {:?}",
                    generated.context.warnings
                );
                asked.push(format!("{name}: {error}"));
                continue;
            }
        }
        asked.push(format!("{name}: {} ({})", gen_deploy.0, gen_deploy.1));
    }
    let asked_of = |name: &str| {
        asked
            .iter()
            .find(|line| line.starts_with(&format!("{name}: ")))
            .unwrap()
            .as_str()
    };
    assert_eq!(
        asked_of("bad-version-files"),
        "bad-version-files: runtime.txt asks for `node-18`, which is not a python version; write it like `python-3.11` or `3.11.7`"
    );
    assert_eq!(
        asked_of("runtime-txt-patch"),
        "runtime-txt-patch: 3.11.7 (runtime.txt)"
    );
    assert_eq!(
        asked_of("runtime-vs-python-version"),
        "runtime-vs-python-version: 3.11 (runtime.txt)"
    );
    assert_eq!(
        asked_of("python-version-file"),
        "python-version-file: 3.12 (.python-version)"
    );
    assert_eq!(
        asked_of("uv-lock"),
        "uv-lock: >=3.11 (pyproject.toml requires-python)"
    );
    assert_eq!(asked_of("pipfile-only"), "pipfile-only: 3.11 (Pipfile)");
    assert_eq!(
        asked_of("flask-in-package"),
        "flask-in-package: newest installed (no version file)"
    );
}

#[test]
fn a_pinned_python_is_what_run_deploy_asks_for() {
    let app = fixtures_dir().join("runtime-vs-python-version");
    let generated = generated(&app, |config| config.set_python("python-3.12").unwrap());
    assert_eq!(generated.context.pin_python.as_deref(), Some("3.12"));
    assert_eq!(
        run_deploy_request(&app, &generated),
        Ok(("3.12".to_string(), "--python".to_string()))
    );
    assert!(generated
        .rendered
        .script
        .contains("IF NOT DEFINED PYTHON_VERSION SET PYTHON_VERSION=3.12\r\n"));
}
