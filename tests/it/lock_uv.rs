//! `VENV INSTALL uv.lock`: the env holds exactly what uv.lock pins. Real uv locks the app at
//! test time against a folder of stand-in wheels (offline), real pip and uv install it.
//! A package dropped from the lock is uninstalled in place (the env's build id unchanged),
//! a version bump is installed, a redeploy with nothing changed runs no tool (uv is not
//! even on PATH), a stale lock fails with uv's own words and leaves the env working, and
//! `--dry-run` decides what the run then does.

use crate::common::lock_tools::{install_reason, path_without, tool_version};
use crate::common::test::Test;

const SCRIPT: &str = "@echo off\nSYNC\nPYTHON SELECT\nVENV ENSURE\nVENV INSTALL uv.lock\n";

fn pyproject(dependencies: &str) -> String {
    format!(
        "[project]\nname = \"shop\"\nversion = \"0.1.0\"\nrequires-python = \">=3.11\"\ndependencies = [{dependencies}]\n"
    )
}

/// An app locked with uv: flask (stand-in), requests 2.31.0 and idna 3.6 in the wheel house.
fn locked_app() -> Test {
    let test = Test::new()
        .wheels(&["flask"])
        .app_file("pyproject.toml", &pyproject("\"flask\", \"requests\""))
        .app_file(".python-version", "3.11\n")
        .script("deploy.cmd", SCRIPT);
    let house = test.wheels.as_ref().unwrap();
    house.add("requests", "2.31.0", &["idna"]);
    house.add("idna", "3.6", &[]);
    lock(&test);
    test
}

/// `uv lock` in the app, offline, against the test's wheels.
fn lock(test: &Test) {
    let mut command = test.bare_command("uv");
    command
        .args(["lock", "--quiet"])
        .current_dir(&test.app)
        .env("UV_CACHE_DIR", test.root().join("uv-cache"));
    let out = test.output(command);
    assert_eq!(out.code, 0, "uv lock:\n{out}");
}

#[test]
fn a_version_bump_is_installed_and_a_dropped_package_removed_in_place() {
    let test = locked_app();
    let uv = tool_version(&test, "uv");
    let first = test.run();
    first.expect(0);
    assert_eq!(
        first.outcome("VENV INSTALL"),
        format!("VENV INSTALL uv.lock: done (no record of a successful install into this env; {uv}: added 3: flask==3.0.3, idna==3.6, requests==2.31.0, upgraded 0, removed 0)")
    );
    assert_eq!(test.import_version("requests").as_deref(), Some("2.31.0"));
    let build = test.build_id();

    test.wheels
        .as_ref()
        .unwrap()
        .add("requests", "2.32.0", &["idna"]);
    test.write(
        "pyproject.toml",
        &pyproject("\"flask\", \"requests==2.32.0\""),
    );
    lock(&test);
    let bumped = test.run();
    bumped.expect(0);
    assert_eq!(
        bumped.outcome("VENV INSTALL"),
        format!("VENV INSTALL uv.lock: done (`pyproject.toml`, `uv.lock` changed; {uv}: added 0, upgraded 1: requests 2.31.0 -> 2.32.0, removed 0)")
    );
    assert_eq!(test.import_version("requests").as_deref(), Some("2.32.0"));

    test.write("pyproject.toml", &pyproject("\"flask\""));
    lock(&test);
    let dropped = test.run();
    dropped.expect(0);
    assert_eq!(
        dropped.outcome("VENV INSTALL"),
        format!("VENV INSTALL uv.lock: done (`pyproject.toml`, `uv.lock` changed; {uv}: added 0, upgraded 0, removed 2: idna, requests)")
    );
    assert_eq!(test.import_version("requests"), None);
    assert_eq!(test.import_version("idna"), None);
    assert_eq!(test.import_version("flask").as_deref(), Some("3.0.3"));
    assert_eq!(test.build_id(), build, "the env was not rebuilt");
}

#[test]
fn a_redeploy_with_nothing_changed_runs_no_tool() {
    let test = locked_app();
    test.run().expect(0);
    let again = test.deploy_with(&[], &[("PATH", &path_without("uv"))]);
    again.expect(0);
    assert_eq!(
        again.outcome("VENV INSTALL"),
        "VENV INSTALL uv.lock: skipped (requirements unchanged since the last successful install (2 input files))"
    );
}

#[test]
fn a_stale_lock_fails_with_uvs_words_and_the_env_keeps_working() {
    let test = locked_app();
    test.run().expect(0);
    test.write("pyproject.toml", &pyproject("\"flask\""));
    let stale = test.run();
    stale.expect(1);
    assert_eq!(
        stale.outcome("VENV INSTALL"),
        "VENV INSTALL uv.lock: FAILED (`uv export --locked --no-dev --no-emit-project --format requirements-txt` failed (exit code 1): error: The lockfile at `uv.lock` needs to be updated, but `--locked` was provided. hint: To update the lockfile, run `uv lock`.; bring `uv.lock` up to date with `uv lock` (run where `pyproject.toml` is) and commit it; the env was left as it was)"
    );
    assert_eq!(test.import_version("requests").as_deref(), Some("2.31.0"));
}

#[test]
fn without_uv_the_step_says_so_before_touching_the_env() {
    let test = locked_app();
    let out = test.deploy_with(&[], &[("PATH", &path_without("uv"))]);
    out.expect(1);
    assert_eq!(
        out.outcome("VENV INSTALL"),
        "VENV INSTALL uv.lock: FAILED (`uv` is not on PATH; install it with `pip install uv` (or see https://docs.astral.sh/uv/), or install from a requirements file instead)"
    );
    assert!(
        !test.env_dir().exists(),
        "the failed first deploy leaves no env behind"
    );
}

#[test]
fn the_dry_run_names_the_packages_and_equals_the_run() {
    let test = locked_app();
    test.run().expect(0);
    test.write("pyproject.toml", &pyproject("\"flask\""));
    lock(&test);
    let uv = tool_version(&test, "uv");
    let dry = test.deploy(&["--dry-run", "--json"]);
    assert_eq!(dry.code, 0, "{dry}");
    assert_eq!(test.import_version("requests").as_deref(), Some("2.31.0"));
    let real = test.deploy(&["--json"]);
    assert_eq!(real.code, 0, "{real}");
    assert_eq!(
        install_reason(&dry.stdout),
        format!("`pyproject.toml`, `uv.lock` changed; {uv}: added 0, upgraded 0, removed 2: idna, requests")
    );
    assert_eq!(install_reason(&dry.stdout), install_reason(&real.stdout));
}
