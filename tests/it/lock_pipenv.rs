//! `VENV INSTALL Pipfile.lock`: the env holds exactly what Pipfile.lock pins in its
//! `default` packages. Real Pipenv locks the app at test time against a package index the
//! test serves on localhost from stand-in wheels; real Pipenv checks the lock and prints
//! its requirements at deploy time and real pip installs them, offline. A package dropped
//! from the lock is uninstalled in place (the env's build id unchanged), a version bump is
//! installed, a Windows-only package is never installed, a redeploy with nothing changed
//! runs no tool (Pipenv is not even on PATH), a stale lock fails with Pipenv's own words
//! and leaves the env working, and `--dry-run` decides what the run then does. PYTHON
//! SELECT takes the version from the lock's `python_version`.

use crate::common::lock_tools::{install_reason, path_without, tool_version};
use crate::common::package_index::PackageIndex;
use crate::common::test::Test;

const SCRIPT: &str = "@echo off\nSYNC\nPYTHON SELECT\nVENV ENSURE\nVENV INSTALL Pipfile.lock\n";

/// A Pipfile whose packages are `packages` (`name = "spec"` lines), locked against
/// `index`.
fn pipfile(index: &PackageIndex, packages: &str) -> String {
    format!(
        "[[source]]\nurl = \"{}\"\nverify_ssl = false\nname = \"stand-ins\"\n\n\
         [packages]\n{packages}\n[dev-packages]\ngunicorn = \"*\"\n\n\
         [requires]\npython_version = \"3.11\"\n",
        index.url
    )
}

/// The packages at first: flask, requests (which needs idna), and pywin32 on Windows only.
const PACKAGES: &str =
    "flask = \"*\"\nrequests = \"*\"\npywin32 = { version = \"*\", markers = \"sys_platform == 'win32'\" }\n";

/// An app locked with Pipenv: flask (stand-in), requests 2.31.0, idna 3.6 and pywin32 306
/// served by a local index; gunicorn only in the dev packages.
fn locked_app() -> (Test, PackageIndex) {
    let test = Test::new().wheels(&["flask", "gunicorn"]);
    let house = test.wheels.as_ref().unwrap();
    house.add("requests", "2.31.0", &["idna"]);
    house.add("idna", "3.6", &[]);
    house.add("pywin32", "306", &[]);
    let index = PackageIndex::serve(house);
    let test = test
        .app_file("Pipfile", &pipfile(&index, PACKAGES))
        .script("deploy.cmd", SCRIPT);
    lock(&test);
    (test, index)
}

/// `pipenv lock` in the app, against the local index, with its env and cache in the
/// test's folder (not in the app, which SYNC copies).
fn lock(test: &Test) {
    let mut command = test.bare_command("pipenv");
    command
        .arg("lock")
        .current_dir(&test.app)
        .env("WORKON_HOME", test.root().join("pipenv-envs"))
        .env("PIPENV_CACHE_DIR", test.root().join("pipenv-cache"))
        .env("PIPENV_VERBOSITY", "-1")
        .env("PIPENV_YES", "1")
        .env("PIPENV_NOSPIN", "1");
    let out = test.output(command);
    assert_eq!(out.code, 0, "pipenv lock:\n{out}");
}

#[test]
fn a_version_bump_is_installed_and_a_dropped_package_removed_in_place() {
    let (test, index) = locked_app();
    let pipenv = tool_version(&test, "pipenv");
    let first = test.run();
    first.expect(0);
    let python = test.env_python_version();
    assert_eq!(
        first.outcome("PYTHON SELECT"),
        format!(
            "PYTHON SELECT: done (python {python} at `{}` (Pipfile.lock python_version says 3.11))",
            selected_exe(&test)
        )
    );
    assert_eq!(
        first.outcome("VENV INSTALL"),
        format!("VENV INSTALL Pipfile.lock: done (no record of a successful install into this env; {pipenv}: added 3: flask==3.0.3, idna==3.6, requests==2.31.0, upgraded 0, removed 0)")
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
        "Pipfile",
        &pipfile(
            &index,
            &PACKAGES.replace("requests = \"*\"", "requests = \"==2.32.0\""),
        ),
    );
    lock(&test);
    let bumped = test.run();
    bumped.expect(0);
    assert_eq!(
        bumped.outcome("VENV INSTALL"),
        format!("VENV INSTALL Pipfile.lock: done (`Pipfile`, `Pipfile.lock` changed; {pipenv}: added 0, upgraded 1: requests 2.31.0 -> 2.32.0, removed 0)")
    );
    assert_eq!(test.import_version("requests").as_deref(), Some("2.32.0"));

    test.write("Pipfile", &pipfile(&index, "flask = \"*\"\n"));
    lock(&test);
    let dropped = test.run();
    dropped.expect(0);
    assert_eq!(
        dropped.outcome("VENV INSTALL"),
        format!("VENV INSTALL Pipfile.lock: done (`Pipfile`, `Pipfile.lock` changed; {pipenv}: added 0, upgraded 0, removed 2: idna, requests)")
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
    let again = test.deploy_with(&[], &[("PATH", &path_without("pipenv"))]);
    again.expect(0);
    assert_eq!(
        again.outcome("VENV INSTALL"),
        "VENV INSTALL Pipfile.lock: skipped (requirements unchanged since the last successful install (2 input files))"
    );
}

#[test]
fn a_stale_lock_fails_with_pipenvs_words_and_the_env_keeps_working() {
    let (test, index) = locked_app();
    test.run().expect(0);
    test.write("Pipfile", &pipfile(&index, "flask = \"*\"\n"));
    let stale = test.run();
    stale.expect(1);
    assert_eq!(
        stale.outcome("VENV INSTALL"),
        "VENV INSTALL Pipfile.lock: FAILED (`pipenv verify` failed (exit code 1): Pipfile.lock is out-of-date. Run $ pipenv lock to update.; bring `Pipfile.lock` up to date with `pipenv lock` (run where `Pipfile` is) and commit it; the env was left as it was)"
    );
    assert_eq!(test.import_version("requests").as_deref(), Some("2.31.0"));
}

#[test]
fn without_pipenv_the_step_says_so_before_touching_the_env() {
    let (test, _index) = locked_app();
    let out = test.deploy_with(&[], &[("PATH", &path_without("pipenv"))]);
    out.expect(1);
    assert_eq!(
        out.outcome("VENV INSTALL"),
        "VENV INSTALL Pipfile.lock: FAILED (`pipenv` is not on PATH; install it with `pip install pipenv`, or install from a requirements file instead)"
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
        "Pipfile",
        &pipfile(&index, "flask = \"*\"\ngunicorn = \"*\"\n"),
    );
    lock(&test);
    let pipenv = tool_version(&test, "pipenv");
    let dry = test.deploy(&["--dry-run", "--json"]);
    assert_eq!(dry.code, 0, "{dry}");
    assert_eq!(test.import_version("requests").as_deref(), Some("2.31.0"));
    assert_eq!(test.import_version("gunicorn"), None);
    let real = test.deploy(&["--json"]);
    assert_eq!(real.code, 0, "{real}");
    assert_eq!(
        install_reason(&dry.stdout),
        format!("`Pipfile`, `Pipfile.lock` changed; {pipenv}: added 1: gunicorn==21.2.0, upgraded 0, removed 2: idna, requests")
    );
    assert_eq!(install_reason(&dry.stdout), install_reason(&real.stdout));
    assert_eq!(test.import_version("gunicorn").as_deref(), Some("21.2.0"));
    assert_eq!(test.import_version("requests"), None);
}
