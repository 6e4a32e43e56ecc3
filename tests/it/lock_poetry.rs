//! `VENV INSTALL poetry.lock`: the env holds exactly what poetry.lock pins for the main
//! group. Real Poetry locks the app at test time against a package index the test serves
//! on localhost from stand-in wheels (Poetry reads no `file://` source); real Poetry
//! exports the lock at deploy time and real pip installs it, offline. A package dropped
//! from the lock is uninstalled in place (the env's build id unchanged), a version bump is
//! installed, a Windows-only package is never installed, a redeploy with nothing changed
//! runs no tool (Poetry is not even on PATH), a stale lock fails with Poetry's own words
//! and leaves the env working, and `--dry-run` decides what the run then does. PYTHON
//! SELECT takes the version from Poetry's python constraint.

use crate::common::lock_tools::{install_reason, path_without, tool_version};
use crate::common::package_index::PackageIndex;
use crate::common::test::Test;

const SCRIPT: &str = "@echo off\nSYNC\nPYTHON SELECT\nVENV ENSURE\nVENV INSTALL poetry.lock\n";

/// A Poetry app (no package of its own) whose main dependencies are `dependencies`
/// (`name = "spec"` lines), locked against `index`.
fn pyproject(index: &PackageIndex, dependencies: &str) -> String {
    format!(
        "[tool.poetry]\npackage-mode = false\n\n[tool.poetry.dependencies]\npython = \"~3.11\"\n{dependencies}\n\
         [tool.poetry.group.dev.dependencies]\ngunicorn = \"*\"\n\n\
         [[tool.poetry.source]]\nname = \"stand-ins\"\nurl = \"{}\"\npriority = \"primary\"\n",
        index.url
    )
}

/// The main dependencies at first: flask, requests (which needs idna), and pywin32 on
/// Windows only.
const DEPENDENCIES: &str =
    "flask = \"*\"\nrequests = \"*\"\npywin32 = { version = \"*\", markers = \"sys_platform == 'win32'\" }\n";

/// An app locked with Poetry: flask (stand-in), requests 2.31.0, idna 3.6 and pywin32 306
/// served by a local index; gunicorn only in the dev group.
fn locked_app() -> (Test, PackageIndex) {
    let test = Test::new().wheels(&["flask", "gunicorn"]);
    let house = test.wheels.as_ref().unwrap();
    house.add("requests", "2.31.0", &["idna"]);
    house.add("idna", "3.6", &[]);
    house.add("pywin32", "306", &[]);
    let index = PackageIndex::serve(house);
    let test = test
        .app_file("pyproject.toml", &pyproject(&index, DEPENDENCIES))
        .script("deploy.cmd", SCRIPT);
    lock(&test);
    (test, index)
}

/// `poetry lock` in the app, against the local index, with its cache in the test's folder.
fn lock(test: &Test) {
    let mut command = test.bare_command("poetry");
    command
        .args(["lock", "--no-interaction"])
        .current_dir(&test.app)
        .env("POETRY_CACHE_DIR", test.root().join("poetry-cache"))
        .env("POETRY_VIRTUALENVS_CREATE", "false");
    let out = test.output(command);
    assert_eq!(out.code, 0, "poetry lock:\n{out}");
}

#[test]
fn a_version_bump_is_installed_and_a_dropped_package_removed_in_place() {
    let (test, index) = locked_app();
    let poetry = tool_version(&test, "poetry");
    let first = test.run();
    first.expect(0);
    let python = test.env_python_version();
    assert_eq!(
        first.outcome("PYTHON SELECT"),
        format!(
            "PYTHON SELECT: done (python {python} at `{}` (pyproject.toml [tool.poetry.dependencies] python says ~3.11))",
            selected_exe(&test)
        )
    );
    assert_eq!(
        first.outcome("VENV INSTALL"),
        format!("VENV INSTALL poetry.lock: done (no record of a successful install into this env; {poetry}: added 3: flask==3.0.3, idna==3.6, requests==2.31.0, upgraded 0, removed 0)")
    );
    assert_eq!(test.import_version("requests").as_deref(), Some("2.31.0"));
    assert_eq!(
        test.import_version("pywin32"),
        None,
        "a Windows-only package"
    );
    assert_eq!(test.import_version("gunicorn"), None, "a dev dependency");
    let build = test.build_id();

    test.wheels
        .as_ref()
        .unwrap()
        .add("requests", "2.32.0", &["idna"]);
    test.write(
        "pyproject.toml",
        &pyproject(
            &index,
            &DEPENDENCIES.replace("requests = \"*\"", "requests = \"2.32.0\""),
        ),
    );
    lock(&test);
    let bumped = test.run();
    bumped.expect(0);
    assert_eq!(
        bumped.outcome("VENV INSTALL"),
        format!("VENV INSTALL poetry.lock: done (`poetry.lock`, `pyproject.toml` changed; {poetry}: added 0, upgraded 1: requests 2.31.0 -> 2.32.0, removed 0)")
    );
    assert_eq!(test.import_version("requests").as_deref(), Some("2.32.0"));

    test.write("pyproject.toml", &pyproject(&index, "flask = \"*\"\n"));
    lock(&test);
    let dropped = test.run();
    dropped.expect(0);
    assert_eq!(
        dropped.outcome("VENV INSTALL"),
        format!("VENV INSTALL poetry.lock: done (`poetry.lock`, `pyproject.toml` changed; {poetry}: added 0, upgraded 0, removed 2: idna, requests)")
    );
    assert_eq!(test.import_version("requests"), None);
    assert_eq!(test.import_version("idna"), None);
    assert_eq!(test.import_version("flask").as_deref(), Some("3.0.3"));
    assert_eq!(test.build_id(), build, "the env was not rebuilt");
}

/// The interpreter the site env was built from (its marker's `interpreter`).
fn selected_exe(test: &Test) -> String {
    let text = std::fs::read_to_string(test.env_dir().join("deploy-script-env.json")).unwrap();
    let marker: serde_json::Value = serde_json::from_str(&text).unwrap();
    marker["interpreter"].as_str().unwrap().to_string()
}

#[test]
fn a_redeploy_with_nothing_changed_runs_no_tool() {
    let (test, _index) = locked_app();
    test.run().expect(0);
    let again = test.deploy_with(&[], &[("PATH", &path_without("poetry"))]);
    again.expect(0);
    assert_eq!(
        again.outcome("VENV INSTALL"),
        "VENV INSTALL poetry.lock: skipped (requirements unchanged since the last successful install (2 input files))"
    );
}

#[test]
fn a_stale_lock_fails_with_poetrys_words_and_the_env_keeps_working() {
    let (test, index) = locked_app();
    test.run().expect(0);
    test.write("pyproject.toml", &pyproject(&index, "flask = \"*\"\n"));
    let stale = test.run();
    stale.expect(1);
    assert_eq!(
        stale.outcome("VENV INSTALL"),
        "VENV INSTALL poetry.lock: FAILED (`poetry check --lock --no-interaction` failed (exit code 1): Error: pyproject.toml changed significantly since poetry.lock was last generated. Run `poetry lock` to fix the lock file.; bring `poetry.lock` up to date with `poetry lock` (run where `pyproject.toml` is) and commit it; the env was left as it was)"
    );
    assert_eq!(test.import_version("requests").as_deref(), Some("2.31.0"));
}

#[test]
fn without_poetry_the_step_says_so_before_touching_the_env() {
    let (test, _index) = locked_app();
    let out = test.deploy_with(&[], &[("PATH", &path_without("poetry"))]);
    out.expect(1);
    assert_eq!(
        out.outcome("VENV INSTALL"),
        "VENV INSTALL poetry.lock: FAILED (`poetry` is not on PATH; install it with `pip install poetry poetry-plugin-export`, or install from a requirements file instead)"
    );
    assert!(
        !test.env_dir().exists(),
        "the failed first deploy leaves no env behind"
    );
}

#[test]
fn the_dry_run_names_the_packages_and_equals_the_run() {
    let (test, index) = locked_app();
    test.run().expect(0);
    test.write(
        "pyproject.toml",
        &pyproject(&index, "flask = \"*\"\ngunicorn = \"*\"\n"),
    );
    lock(&test);
    let poetry = tool_version(&test, "poetry");
    let dry = test.deploy(&["--dry-run", "--json"]);
    assert_eq!(dry.code, 0, "{dry}");
    assert_eq!(test.import_version("requests").as_deref(), Some("2.31.0"));
    assert_eq!(test.import_version("gunicorn"), None);
    let real = test.deploy(&["--json"]);
    assert_eq!(real.code, 0, "{real}");
    assert_eq!(
        install_reason(&dry.stdout),
        format!("`poetry.lock`, `pyproject.toml` changed; {poetry}: added 1: gunicorn==21.2.0, upgraded 0, removed 2: idna, requests")
    );
    assert_eq!(install_reason(&dry.stdout), install_reason(&real.stdout));
    assert_eq!(test.import_version("gunicorn").as_deref(), Some("21.2.0"));
    assert_eq!(test.import_version("requests"), None);
}
