//! gen-deploy's flags, each run through the real binary on a copy of a fixture app:
//! what each one changes in the script, the refusal to overwrite and the backups of
//! `--force`, `--output`, and `--help`.

use crate::common::test::{lf, read, Test};
use std::fs;

/// The generated script (LF line ends) for `fixture` with `args`, plus the run's stderr.
fn script_with(fixture: &str, args: &[&str]) -> (String, String) {
    let workspace = Test::fixture(fixture);
    let mut all_args = vec!["--stdout"];
    all_args.extend_from_slice(args);
    let run = workspace.gen(&all_args);
    assert_eq!(run.code, 0, "{}", run.transcript());
    (lf(&run.stdout), run.stderr)
}

/// The lines of `script` that are not comments or blank: what the script does.
fn commands(script: &str) -> Vec<&str> {
    script
        .lines()
        .filter(|line| !line.is_empty() && !line.starts_with("::"))
        .collect()
}

#[test]
fn python_flag_pins_the_version_and_says_what_it_overrides() {
    let (script, stderr) = script_with("runtime-vs-python-version", &["--python", "python-3.12"]);
    assert!(script.contains(
        ":: Python 3.12, from --python; an app setting PYTHON_VERSION still wins\n\
         IF NOT DEFINED PYTHON_VERSION SET PYTHON_VERSION=3.12\n"
    ));
    assert_eq!(
        stderr,
        "warning: `runtime.txt` asks for Python 3.11 and `.python-version` for 3.12.1: `runtime.txt` wins \
         (PYTHON SELECT reads it first); make them agree or delete one\n\
         warning: `--python 3.12` overrides Python 3.11 from `runtime.txt`: the script sets PYTHON_VERSION \
         (an app setting PYTHON_VERSION still wins)\n"
    );
}

#[test]
fn bad_python_flag_is_an_error() {
    let workspace = Test::fixture("setup-py");
    let run = workspace.gen(&["--python", "3"]);
    assert_eq!(
        run.transcript(),
        "exit: 1\n--- stdout ---\n--- stderr ---\n\
         error: `--python 3` is not a Python 3 version; write it like `3.11` or `3.11.7`\n"
    );
    assert!(!workspace.app.join("deploy.cmd").exists());
}

#[test]
fn installer_uv_builds_and_installs_with_uv() {
    let (script, _) = script_with("requirements-variants", &["--installer", "uv"]);
    let commands = commands(&script);
    assert!(commands.contains(&"VENV ENSURE /INSTALLER uv"));
    assert!(commands.contains(&"VENV INSTALL -r requirements.txt /INSTALLER uv"));
    let (kudu, _) = script_with("requirements-variants", &["--installer", "uv", "--kudu"]);
    assert!(kudu.contains("\n  uv venv env --python \"%PYTHON_EXE%\"\n"));
    assert!(kudu.contains("\nuv pip install --python env -r requirements.txt\n"));
}

#[test]
fn installer_auto_leaves_the_choice_to_deploy_time() {
    let (script, _) = script_with("requirements-variants", &["--installer", "auto"]);
    let commands = commands(&script);
    assert!(commands.contains(&"VENV ENSURE"));
    assert!(commands.contains(&"VENV INSTALL -r requirements.txt /INSTALLER auto"));
    let (kudu, _) = script_with("requirements-variants", &["--installer", "auto", "--kudu"]);
    assert!(kudu.contains(
        "where uv >nul 2>nul\nIF !ERRORLEVEL! EQU 0 (\n  uv pip install --python env -r requirements.txt\n\
         ) ELSE (\n  env\\scripts\\pip install -r requirements.txt\n)\nIF !ERRORLEVEL! NEQ 0 goto error\n"
    ));
}

#[test]
fn installer_pip_over_a_uv_lock_warns() {
    let (script, stderr) = script_with("uv-lock", &["--installer", "pip"]);
    let commands = commands(&script);
    assert!(commands.contains(&"VENV ENSURE"));
    assert!(commands.contains(&"VENV INSTALL ."));
    assert_eq!(
        stderr,
        "warning: `uv.lock` is present but `--installer pip` was given: pip does not read `uv.lock`\n"
    );
}

#[test]
fn framework_none_drops_collectstatic() {
    let (detected, _) = script_with("django-settings-package", &[]);
    assert!(commands(&detected).contains(&"DJANGO COLLECTSTATIC"));
    let (script, _) = script_with("django-settings-package", &["--framework", "none"]);
    assert!(!script.contains("COLLECTSTATIC"));
    assert!(script.starts_with("@echo off\n:: Deploys django-settings-package (Python). "));
}

#[test]
fn framework_django_without_manage_py_warns() {
    let (script, stderr) = script_with("requirements-folder", &["--framework", "django"]);
    assert!(commands(&script).contains(&"DJANGO COLLECTSTATIC"));
    assert_eq!(
        stderr,
        "warning: `--framework django` but there is no `manage.py`: DJANGO COLLECTSTATIC will fail at deploy time\n\
         warning: no `requirements.txt`: the script installs `requirements/prod.txt` (of `requirements/base.txt`, \
         `requirements/dev.txt`, `requirements/prod.txt`); change its VENV INSTALL line if another is right\n"
    );
}

#[test]
fn output_in_a_subfolder_is_named_by_deployment_and_ignored_by_sync() {
    let workspace = Test::fixture("setup-py");
    let run = workspace.gen(&["--output", "setup-py/ci/deploy.cmd"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(
        read(&workspace.app, ".deployment"),
        "[config]\ncommand = ci\\deploy.cmd\n"
    );
    let script = read(&workspace.app, "ci/deploy.cmd");
    assert!(commands(&script).contains(&"SYNC /IGNORE \".git;.hg;.deployment;ci/deploy.cmd\""));
    assert!(script.contains(":: Check it with `run-deploy --check ci\\deploy.cmd`."));
    assert!(!workspace.app.join("deploy.cmd").exists());
}

#[test]
fn output_outside_the_app_is_an_error() {
    let workspace = Test::fixture("setup-py");
    let run = workspace.gen(&["--output", "elsewhere.cmd"]);
    assert_eq!(
        run.transcript(),
        "exit: 1\n--- stdout ---\n--- stderr ---\n\
         error: `--output elsewhere.cmd` is outside the app folder `setup-py`; `.deployment` names the script \
         relative to the app, so write it inside\n"
    );
}

#[test]
fn round_trip_refuses_to_overwrite_and_force_keeps_backups() {
    let workspace = Test::fixture("runtime-txt-patch");
    let first = workspace.gen(&[]);
    assert_eq!(first.code, 0, "{}", first.transcript());
    let generated = read(&workspace.app, "deploy.cmd");

    // A hand edit, then a second run: refused, nothing touched.
    let edited = generated.replace(":: VENV REMOVE\r\n", "VENV REMOVE\r\n");
    fs::write(workspace.app.join("deploy.cmd"), &edited).unwrap();
    let second = workspace.gen(&[]);
    assert_eq!(
        second.transcript(),
        "exit: 1\n--- stdout ---\n--- stderr ---\n\
         error: `deploy.cmd` and `.deployment` already exist in `runtime-txt-patch`; pass `--force` to replace them \
         (each old file is kept as `<name>.bak`), or `--stdout` to print the script instead\n"
    );
    assert_eq!(read(&workspace.app, "deploy.cmd"), edited);
    assert!(!workspace.app.join("deploy.cmd.bak").exists());

    // --force: the edited script is kept as deploy.cmd.bak, the new one written.
    let forced = workspace.gen(&["--force"]);
    assert_eq!(
        forced.transcript(),
        "exit: 0\n--- stdout ---\n\
         wrote deploy.cmd\n  kept the old one as deploy.cmd.bak\n\
         wrote .deployment\n  kept the old one as .deployment.bak\n\
         Python app; Python 3.11.7 (runtime.txt); `gen-deploy --explain` says why\n\
         --- stderr ---\n"
    );
    assert_eq!(read(&workspace.app, "deploy.cmd.bak"), edited);
    assert_eq!(read(&workspace.app, "deploy.cmd"), generated);
    assert_eq!(
        read(&workspace.app, ".deployment.bak"),
        "[config]\ncommand = deploy.cmd\n"
    );

    // Again: an existing backup is never overwritten.
    let again = workspace.gen(&["--force"]);
    assert_eq!(again.code, 0);
    assert!(again
        .stdout
        .contains("  kept the old one as deploy.cmd.bak.1\n"));
    assert_eq!(read(&workspace.app, "deploy.cmd.bak"), edited);
    assert_eq!(read(&workspace.app, "deploy.cmd.bak.1"), generated);
}

#[test]
fn stdout_explain_and_json_write_nothing() {
    let workspace = Test::fixture("python-version-file");
    for flag in ["--stdout", "--explain", "--json"] {
        let run = workspace.gen(&[flag]);
        assert_eq!(run.code, 0, "{flag}: {}", run.transcript());
        assert!(
            !workspace.app.join("deploy.cmd").exists(),
            "{flag} wrote deploy.cmd"
        );
        assert!(
            !workspace.app.join(".deployment").exists(),
            "{flag} wrote .deployment"
        );
    }
}

#[test]
fn conflicting_flags_are_a_usage_error() {
    let workspace = Test::fixture("setup-py");
    let run = workspace.gen(&["--stdout", "--force"]);
    assert_eq!(run.code, 2);
    assert!(run
        .stderr
        .starts_with("error: the argument '--stdout' cannot be used with '--force'"));
    let run = workspace.gen(&["--installer", "conda"]);
    assert_eq!(run.code, 2);
    assert!(run
        .stderr
        .contains("invalid value 'conda' for '--installer <INSTALLER>'"));
}

#[test]
fn help_shows_an_example_for_every_flag() {
    let workspace = Test::fixture("setup-py");
    let run = workspace.gen(&["--help"]);
    assert_eq!(run.code, 0);
    for flag in [
        "--python",
        "--installer",
        "--framework",
        "--output",
        "--force",
        "--stdout",
        "--kudu",
        "--explain",
        "--json",
    ] {
        let example = run
            .stdout
            .lines()
            .find(|line| line.trim_start().starts_with(&format!("gen-deploy {flag}")));
        assert!(
            example.is_some(),
            "no example for {flag} in:\n{}",
            run.stdout
        );
    }
    assert!(run.stdout.contains("  gen-deploy samples/flask-app "));
}
