//! A failed step fails the deploy, through the real `run-deploy` with real Python, pip and
//! venvs: a script that goes on after a failed directive and exits 0 still ends FAILED and
//! rolled back (the working env and the site's files come back), unless the directive
//! carries `/IGNOREERRORS` or a `||` on its line handles the failure. A step that cannot
//! tell whether it should run fails with the underlying error instead of skipping.

use crate::common::kill::{kill_tree, random_delay_ms};
use crate::common::sync_tree::{assert_same, snapshot};
use crate::common::test::{redact_durations, Test};
use crate::common::wheels::build_wheel;

/// A Kudu-style script edited by hand: it forces a rebuild, installs, then goes back to
/// the folder it started in with no error check in between.
const FORCED_REBUILD: &str = "\
@echo off
pushd \"%DEPLOYMENT_SOURCE%\"
SYNC /QUIET
PYTHON SELECT
VENV REMOVE
VENV ENSURE
VENV INSTALL -r requirements.txt
popd
";

/// A deployed Flask app: `app.py` says which version it is, requirements.txt lists `flask`.
fn deployed_flask_app() -> Test {
    let test = Test::new()
        .wheels(&["flask"])
        .app_file("app.py", "VERSION = 1\n")
        .app_file("requirements.txt", "flask\n")
        .script("deploy.cmd", FORCED_REBUILD);
    test.deploy(&[]).expect(0);
    assert_eq!(test.import_version("flask").as_deref(), Some("3.0.3"));
    test
}

/// Version 2 of the app: new code, and a requirement no wheel satisfies (pip fails).
fn break_the_install(test: &Test) {
    test.write("app.py", "VERSION = 2\n");
    test.write("requirements.txt", "flask\nno-such-package-anywhere\n");
}

#[test]
fn an_install_failing_after_venv_remove_then_popd_fails_and_puts_the_old_env_back() {
    let test = deployed_flask_app();
    break_the_install(&test);
    let failed = test.deploy(&[]);
    failed.expect(1);
    let stderr = redact_durations(&test.redact(&failed.stderr));
    assert!(
        stderr.contains(
            "run-deploy: error: the step `VENV INSTALL -r requirements.txt` failed and the script went on, so the deploy failed\n --> deploy.cmd:7:1\n  |\n7 | VENV INSTALL -r requirements.txt\n  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  |\n  = help: fix the step; to go on after its failure, add `/IGNOREERRORS` to it or handle it on its line: `VENV INSTALL ... || goto error`\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 environment(s) restored"),
        "the env moved aside comes back: {stderr}"
    );
    assert!(!stderr.contains("succeeded"), "{stderr}");
    assert_eq!(
        test.import_version("flask").as_deref(),
        Some("3.0.3"),
        "the old env imports its packages"
    );
    assert_eq!(
        std::fs::read_to_string(test.site.join("app.py")).unwrap(),
        "VERSION = 1\n",
        "the site's files are put back"
    );
    let rows = test.list_rows();
    assert!(rows[0].contains(" failed "), "{rows:?}");
    assert!(rows[0].ends_with(" 1"), "{rows:?}");
    let log = test.subcommand("log", &[]);
    assert!(
        log.stdout
            .contains("the step `VENV INSTALL -r requirements.txt` failed and the script went on"),
        "{log}"
    );
    assert!(!log.stdout.contains("succeeded"), "{log}");
}

#[test]
fn the_json_summary_of_a_deploy_that_went_on_after_a_failed_step_says_failed() {
    let test = deployed_flask_app();
    break_the_install(&test);
    let failed = test.deploy(&["--json"]);
    failed.expect(1);
    let finished: Vec<serde_json::Value> = failed
        .stdout
        .lines()
        .chain(failed.stderr.lines())
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|event| event["event"] == "deploy_finished")
        .collect();
    assert_eq!(finished.len(), 1, "{failed}");
    assert_eq!(finished[0]["status"], "failed", "{failed}");
    assert_eq!(finished[0]["exit_code"], 1, "{failed}");
}

#[test]
fn ignoreerrors_lets_the_deploy_go_on_and_succeed_after_a_failed_step() {
    let test = deployed_flask_app();
    test.write("requirements.txt", "flask\nno-such-package-anywhere\n");
    test.write_script(
        "deploy.cmd",
        &FORCED_REBUILD.replace("VENV REMOVE\n", "").replace(
            "requirements.txt\n",
            "requirements.txt /IGNOREERRORS\necho errorlevel %ERRORLEVEL%\n",
        ),
    );
    let run = test.deploy(&[]);
    run.expect(0);
    assert!(run.stdout.contains("errorlevel 1\n"), "{run}");
    assert!(
        run.stderr
            .contains("run-deploy: warning: VENV INSTALL failed: "),
        "{run}"
    );
    assert!(
        run.stderr.contains(
            "  = help: ignored (`/IGNOREERRORS`): ERRORLEVEL is 1 and the deploy goes on\n"
        ),
        "{run}"
    );
    assert!(run.stderr.contains("run-deploy: succeeded in "), "{run}");
}

#[test]
fn a_failure_handled_by_or_on_its_line_is_the_scripts_to_handle() {
    let test = deployed_flask_app();
    test.write("requirements.txt", "flask\nno-such-package-anywhere\n");
    test.write_script(
        "deploy.cmd",
        &FORCED_REBUILD.replace("VENV REMOVE\n", "").replace(
            "requirements.txt\n",
            "requirements.txt || echo the install failed, going on\n",
        ),
    );
    let run = test.deploy(&[]);
    run.expect(0);
    assert!(
        run.stdout.contains("the install failed, going on\n"),
        "{run}"
    );
    assert!(!run.stderr.contains("so the deploy failed"), "{run}");
    assert_eq!(test.import_version("flask").as_deref(), Some("3.0.3"));
}

#[test]
fn collectstatic_fails_with_the_import_error_when_django_is_installed_but_broken() {
    let test = Test::new()
        .app_file("manage.py", "raise SystemExit('collectstatic must not run')\n")
        .app_file("requirements.txt", "django\n")
        .script(
            "deploy.cmd",
            "SYNC /QUIET\nPYTHON SELECT\nVENV ENSURE\nVENV INSTALL -r requirements.txt\nDJANGO COLLECTSTATIC\nexit /b 0\n",
        );
    // Django 3.1 on Python 3.12+: its import fails for want of distutils.
    let wheels = test.root().join("broken-wheels");
    std::fs::create_dir_all(&wheels).unwrap();
    build_wheel(
        &wheels,
        "django",
        "3.1.0",
        &[],
        &[(
            "django/__init__.py".to_string(),
            "raise ImportError(\"No module named 'distutils'\")\n".to_string(),
        )],
    );
    let test = test
        .env("PIP_FIND_LINKS", &wheels.display().to_string())
        .env("PIP_NO_INDEX", "1")
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1");
    let failed = test.deploy(&[]);
    failed.expect(1);
    assert_eq!(
        failed.outcome("DJANGO COLLECTSTATIC"),
        "DJANGO COLLECTSTATIC: FAILED (django is installed in the env but `import django` fails: ImportError: No module named 'distutils'; fix the env (a package or Python version Django does not support?) or add `.skipDjango`)",
        "{failed}"
    );
    assert!(
        !failed.stderr.contains("skipped (django is not installed"),
        "{failed}"
    );
    assert!(
        failed.stderr.contains(
            "the step `DJANGO COLLECTSTATIC` failed and the script went on, so the deploy failed"
        ),
        "{failed}"
    );
}

/// `VENV INSTALL ... /SYNC` checks the env after it removed what is no longer needed: a
/// dependency alpha 2.0 dropped (`orphan`) shares `shared/` with `keeper`, so removing it
/// breaks keeper. The step fails, so the deploy fails and records no install; the next
/// deploy runs the install again and fails again rather than skip over the broken env.
#[test]
fn a_sync_that_leaves_a_package_broken_fails_the_deploy_every_time() {
    let test = Test::new()
        .wheels(&[])
        .app_file("requirements.txt", "alpha==1.0\n")
        .script(
            "deploy.cmd",
            "@echo off\nSYNC /QUIET\nPYTHON SELECT\nVENV ENSURE\nVENV INSTALL -r requirements.txt /SYNC\n",
        );
    let house = test.wheels.as_ref().unwrap().path();
    let module = |path: &str| (path.to_string(), "VERSION = \"1.0\"\n".to_string());
    build_wheel(
        house,
        "alpha",
        "1.0",
        &["orphan"],
        &[module("alpha/__init__.py")],
    );
    build_wheel(house, "alpha", "2.0", &[], &[module("alpha/__init__.py")]);
    build_wheel(
        house,
        "orphan",
        "1.0",
        &[],
        &[module("orphan/__init__.py"), module("shared/__init__.py")],
    );
    build_wheel(house, "keeper", "1.0", &[], &[module("shared/__init__.py")]);
    test.deploy(&[]).expect(0);

    test.write("requirements.txt", "alpha==2.0\nkeeper\n");
    for _ in 0..2 {
        let failed = test.deploy(&[]);
        failed.expect(1);
        let outcome = failed.outcome("VENV INSTALL");
        assert!(
            outcome.starts_with(
                "VENV INSTALL -r requirements.txt /SYNC: FAILED (the env is broken after installing: "
            ) && outcome.contains("`keeper` is missing shared/__init__.py"),
            "{failed}"
        );
        assert!(
            failed
                .stderr
                .contains("help: deploy again with `VENV REMOVE` uncommented to rebuild the env"),
            "{failed}"
        );
        assert!(test.list_rows()[0].contains(" failed "));
    }
}

/// A hand-edited script that reuses the env and keeps it to what requirements.txt lists.
const REUSE_AND_SYNC: &str = "\
@echo off
SYNC /QUIET
PYTHON SELECT
VENV ENSURE
VENV INSTALL -r requirements.txt /SYNC
";

#[test]
fn a_failed_install_into_a_reused_env_puts_the_env_back_as_it_was() {
    let test = Test::new()
        .wheels(&["flask"])
        .app_file("app.py", "VERSION = 1\n")
        .app_file("requirements.txt", "flask\nalpha\n")
        .script("deploy.cmd", REUSE_AND_SYNC);
    let house = test.wheels.as_ref().unwrap().path();
    let module = (
        "alpha/__init__.py".to_string(),
        "VERSION = \"1.0\"\n".to_string(),
    );
    build_wheel(house, "alpha", "1.0", &[], &[module]);
    test.deploy(&[]).expect(0);
    let env = test.env_dir();
    let before = snapshot(&env);
    // The copy and any trash are hidden siblings of `env`.
    let beside = || -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&test.site)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.contains("env"))
            .collect();
        names.sort();
        names
    };

    // /SYNC uninstalls alpha first, then pip finds no wheel for the new requirement.
    test.write("requirements.txt", "flask\nno-such-package-anywhere\n");
    let failed = test.deploy(&[]);
    failed.expect(1);
    assert!(
        failed.outcome("VENV INSTALL").contains("FAILED"),
        "{failed}"
    );
    assert!(
        failed.stderr.contains("1 environment(s) restored"),
        "{failed}"
    );
    assert_same(
        &snapshot(&env),
        &before,
        "every file of the env, its mode and time, as before the deploy",
    );
    assert_eq!(test.import_version("alpha").as_deref(), Some("1.0"));
    assert_eq!(test.import_version("flask").as_deref(), Some("3.0.3"));
    assert_eq!(beside(), ["env"], "no copy is left");

    // An install that succeeds keeps its changes, and the copy goes.
    test.write("requirements.txt", "flask\n");
    test.deploy(&[]).expect(0);
    assert_eq!(test.import_version("alpha"), None, "/SYNC removed it");
    assert_eq!(test.import_version("flask").as_deref(), Some("3.0.3"));
    assert_eq!(beside(), ["env"]);
}

#[test]
fn an_install_into_a_reused_env_killed_midway_is_undone_by_the_next_deploy() {
    let test = Test::new()
        .wheels(&["flask"])
        .app_file("requirements.txt", "flask\nalpha\n")
        .script("deploy.cmd", REUSE_AND_SYNC);
    let house = test.wheels.as_ref().unwrap().path();
    for name in ["alpha", "beta"] {
        let module = (
            format!("{name}/__init__.py"),
            "VERSION = \"1.0\"\n".to_string(),
        );
        build_wheel(house, name, "1.0", &[], &[module]);
    }
    test.deploy(&[]).expect(0);
    let env = test.env_dir();
    let before = snapshot(&env);
    let aside = test.site.join(".env.deploy-aside");
    let alpha = test.site_packages().join("alpha-1.0.dist-info");
    for round in 0..4 {
        // /SYNC would remove alpha and pip install beta; the deploy dies on the way.
        test.write("requirements.txt", "flask\nbeta\n");
        let mut child = test.spawn_quietly(&[]);
        // The last round waits for /SYNC to have removed alpha.
        while !aside.exists() || (round == 3 && alpha.exists()) {
            assert!(
                child.try_wait().unwrap().is_none(),
                "round {round}: the deploy ended before the install began"
            );
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        // Up to 585 ms: from before pip starts to after /SYNC's uninstall (pip takes
        // about 2 s in all here).
        let delay = if round == 3 {
            0
        } else {
            random_delay_ms() * 15
        };
        eprintln!("round {round}: killed {delay} ms into the install");
        std::thread::sleep(std::time::Duration::from_millis(delay));
        assert!(
            child.try_wait().unwrap().is_none(),
            "round {round}: the deploy finished before the kill"
        );
        kill_tree(&mut child);

        // Back to the requirements of the last success: the install is skipped, so the
        // env is whatever the next deploy put back.
        test.write("requirements.txt", "flask\nalpha\n");
        let next = test.deploy(&[]);
        next.expect(0);
        assert!(
            next.stderr.contains("restored the virtual environment"),
            "round {round}: {next}"
        );
        assert_same(&snapshot(&env), &before, &format!("round {round}: the env"));
        assert_eq!(test.import_version("alpha").as_deref(), Some("1.0"));
        assert_eq!(test.import_version("beta"), None);
        assert!(!aside.exists());
    }
}
