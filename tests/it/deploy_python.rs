//! Python deploys end to end through the real `run-deploy` binary: Kudu's own generated
//! script, every env-removal mode, failure safety, no-op redeploys and shipped envs. Real
//! python3.11 (and 3.12 from pyenv), real venv, real pip; the packages are wheels the test
//! builds (tests/it/common/stand_ins.rs), installed with PIP_NO_INDEX.

// Only `generate` is used here.
#[allow(dead_code)]
use crate::common::kuduscript;
use crate::common::test::{copy_tree, files_under, samples_dir, Output, Test};

/// A copy of `samples/<name>` in `repo/`, deployed into `site/` (the state folder where
/// run-deploy keeps it by default) with the Flask, gunicorn and Django stand-ins.
fn sample(name: &str) -> Test {
    let app = Test::with_folders("repo", "site")
        .wheels(&["flask", "gunicorn", "django"])
        .default_state_dir();
    copy_tree(&samples_dir().join(name), &app.app);
    app
}

/// Sample `name` whose deploy.cmd is the one `kuduscript --python` generates now.
fn kudu_sample(name: &str) -> Test {
    let app = sample(name);
    std::fs::remove_file(app.app.join("deploy.cmd")).unwrap();
    kuduscript::generate(&app.app, &["--python"]);
    app
}

#[test]
fn kudu_script_deploys_flask_builds_reuses_and_rebuilds_for_a_new_runtime() {
    let app = kudu_sample("flask-app");
    app.deploy(&[]).expect(0).assert_stdout_has(&[
        "Creating python-3.11 virtual environment.",
        "Finished successfully.",
    ]);
    assert_eq!(app.import_version("flask").as_deref(), Some("3.0.3"));
    assert_eq!(app.import_version("gunicorn").as_deref(), Some("21.2.0"));
    assert!(app.env_dir().join("azure.env.python-3.11.txt").is_file());
    assert!(app.site.join("static/index.html").is_file());

    let second = app.deploy(&[]);
    second
        .expect(0)
        .assert_stdout_has(&["Found compatible virtual environment."]);
    assert!(!second.stdout.contains("Creating"), "{second}");

    app.write("runtime.txt", "python-3.12\n");
    app.deploy(&[]).expect(0).assert_stdout_has(&[
        "Deleting incompatible virtual environment.",
        "Creating python-3.12 virtual environment.",
    ]);
    assert!(app.env_python_version().starts_with("3.12."));
    assert_eq!(app.import_version("flask").as_deref(), Some("3.0.3"));
}

#[test]
fn kudu_script_deploys_django_and_collects_static_files() {
    let app = kudu_sample("django-app");
    app.deploy(&[]).expect(0).assert_stdout_has(&[
        "Creating python-3.11 virtual environment.",
        "Collecting Django static files.",
        "1 static file copied to",
    ]);
    assert_eq!(
        std::fs::read_to_string(app.site.join("staticfiles/css/site.css")).unwrap(),
        std::fs::read_to_string(app.app.join("static/css/site.css")).unwrap()
    );

    app.write("static/css/more.css", "p { margin: 0 }\n");
    app.deploy(&[])
        .expect(0)
        .assert_stdout_has(&["Found compatible virtual environment."]);
    assert!(app.site.join("staticfiles/css/more.css").is_file());
}

#[test]
fn generated_script_builds_then_reuses_and_a_noop_redeploy_runs_no_pip() {
    let app = sample("flask-app");
    let first = app.deploy(&[]);
    first.expect(0);
    assert_eq!(
        first.outcome("VENV ENSURE"),
        "VENV ENSURE: rebuilt (no `env` yet)"
    );
    let build = app.build_id().expect("marker");
    let site_packages = app.site_packages();
    // Without its pip package the env cannot run pip at all: the next deploy must not try.
    let pip = site_packages.join("pip");
    std::fs::rename(&pip, site_packages.join("pip.hidden")).unwrap();
    let modified = std::fs::metadata(&site_packages)
        .unwrap()
        .modified()
        .unwrap();

    let second = app.deploy(&[]);
    second.expect(0);
    assert_eq!(
        second.outcome("SYNC"),
        "SYNC /IGNORE .git;.hg;.deployment;deploy.cmd: skipped (no change)"
    );
    assert!(
        second
            .outcome("VENV ENSURE")
            .starts_with("VENV ENSURE: reused (Found compatible virtual environment"),
        "{second}"
    );
    assert_eq!(
        second.outcome("VENV INSTALL"),
        "VENV INSTALL -r requirements.txt: skipped (requirements unchanged since the last successful install (1 input file))"
    );
    assert_eq!(app.build_id(), Some(build));
    assert!(!pip.exists());
    let after = std::fs::metadata(&site_packages)
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(after, modified, "the no-op deploy changed site-packages");
}

#[test]
fn venv_remove_rebuilds_on_every_deploy() {
    let app = sample("flask-app");
    app.uncomment("VENV REMOVE");
    let mut builds = Vec::new();
    for round in 0..3 {
        let run = app.deploy(&[]);
        run.expect(0);
        let step = run.outcome("VENV ENSURE");
        if round == 0 {
            assert_eq!(step, "VENV ENSURE: rebuilt (no `env` yet)");
        } else {
            assert!(
                step.starts_with("VENV ENSURE: rebuilt (removal forced by VENV REMOVE (")
                    && step.ends_with("deploy.cmd:22))"),
                "{run}"
            );
        }
        builds.push(app.build_id().expect("marker"));
    }
    builds.dedup();
    assert_eq!(builds.len(), 3, "every deploy builds a new env: {builds:?}");
}

/// Deploys `app` and returns whether VENV ENSURE rebuilt the env, checked against the
/// marker's build id too.
fn rebuilt(app: &Test, args: &[&str]) -> (bool, Output) {
    let before = app.build_id();
    let run = app.deploy(args);
    run.expect(0);
    let step = run.outcome("VENV ENSURE");
    let rebuilt = step.starts_with("VENV ENSURE: rebuilt (");
    assert_eq!(
        rebuilt,
        app.build_id() != before,
        "the step line and the marker disagree: {run}"
    );
    (rebuilt, run)
}

#[test]
fn venv_remove_once_rebuilds_once_per_token() {
    let app = sample("flask-app");
    assert!(rebuilt(&app, &[]).0);
    app.uncomment("VENV REMOVE /ONCE 2026-11-24");
    let (first, run) = rebuilt(&app, &[]);
    assert!(first, "{run}");
    assert!(
        run.outcome("VENV ENSURE")
            .contains("removal forced by VENV REMOVE /ONCE 2026-11-24 ("),
        "{run}"
    );
    for _ in 0..2 {
        let (again, run) = rebuilt(&app, &[]);
        assert!(!again, "{run}");
        assert_eq!(
            run.outcome("VENV REMOVE"),
            "VENV REMOVE /ONCE 2026-11-24: skipped (token 2026-11-24 already used)"
        );
    }
    let script = std::fs::read_to_string(app.app.join("deploy.cmd")).unwrap();
    app.write(
        "deploy.cmd",
        &script.replace("/ONCE 2026-11-24", "/ONCE second-token"),
    );
    assert!(rebuilt(&app, &[]).0);
    assert!(!rebuilt(&app, &[]).0);
}

#[test]
fn venv_remove_ifchanged_rebuilds_when_the_file_changed_and_dropped_packages_go() {
    let app = sample("flask-app");
    app.uncomment("VENV REMOVE /IFCHANGED requirements.txt");
    assert!(rebuilt(&app, &[]).0);
    let (second, run) = rebuilt(&app, &[]);
    assert!(!second, "{run}");
    assert_eq!(
        run.outcome("VENV REMOVE"),
        "VENV REMOVE /IFCHANGED requirements.txt: skipped (no listed file changed)"
    );
    assert_eq!(app.import_version("gunicorn").as_deref(), Some("21.2.0"));

    app.write("requirements.txt", "Flask>=3.0\n");
    let (third, run) = rebuilt(&app, &[]);
    assert!(third, "{run}");
    assert!(
        run.outcome("VENV ENSURE").contains(
            "removal forced by VENV REMOVE /IFCHANGED: requirements.txt changed since the last successful deploy"
        ),
        "{run}"
    );
    assert_eq!(
        app.import_version("gunicorn"),
        None,
        "gunicorn must be gone"
    );
    assert_eq!(app.import_version("flask").as_deref(), Some("3.0.3"));
    assert!(!rebuilt(&app, &[]).0);
}

#[test]
fn a_plain_deploy_keeps_a_dropped_package_in_the_reused_env() {
    let app = sample("flask-app");
    assert!(rebuilt(&app, &[]).0);
    app.write("requirements.txt", "Flask>=3.0\n");
    let (again, run) = rebuilt(&app, &[]);
    assert!(!again, "{run}");
    assert!(
        run.outcome("VENV INSTALL")
            .starts_with("VENV INSTALL -r requirements.txt: done ("),
        "{run}"
    );
    assert_eq!(app.import_version("gunicorn").as_deref(), Some("21.2.0"));
}

#[test]
fn reset_env_flag_and_setting_force_one_rebuild_each() {
    let app = sample("flask-app");
    assert!(rebuilt(&app, &[]).0);
    let (reset, run) = rebuilt(&app, &["--reset-env"]);
    assert!(reset, "{run}");
    assert_eq!(
        run.outcome("VENV ENSURE"),
        "VENV ENSURE: rebuilt (removal forced by --reset-env)"
    );
    assert!(!rebuilt(&app, &[]).0);

    let before = app.build_id();
    let run = app.output({
        let mut command = app.command(&[]);
        command.env("DEPLOY_RESET_ENV", "1");
        command
    });
    run.expect(0);
    assert_eq!(
        run.outcome("VENV ENSURE"),
        "VENV ENSURE: rebuilt (removal forced by DEPLOY_RESET_ENV=1)"
    );
    assert_ne!(app.build_id(), before);
    assert!(!rebuilt(&app, &[]).0);
}

#[test]
fn a_forced_rebuild_whose_install_fails_leaves_the_old_env_and_site() {
    let app = sample("flask-app");
    app.deploy(&[]).expect(0);
    let build = app.build_id();
    let old_app_py = std::fs::read_to_string(app.site.join("app.py")).unwrap();
    app.write(
        "app.py",
        "raise SystemExit('the new app.py must not reach the site')\n",
    );
    app.write("requirements.txt", "Flask>=3.0\nnosuchpkg==1\n");

    let run = app.deploy(&["--reset-env"]);
    assert_ne!(run.code, 0, "{run}");
    assert!(
        run.stderr.contains("VENV INSTALL failed:"),
        "the failing step is named: {run}"
    );
    assert_eq!(app.build_id(), build, "the old env is back");
    assert_eq!(app.import_version("flask").as_deref(), Some("3.0.3"));
    assert_eq!(
        std::fs::read_to_string(app.site.join("app.py")).unwrap(),
        old_app_py
    );
    assert!(!app.site.join(".env.deploy-aside").exists());

    let log = app.subcommand("log", &[]);
    log.expect(0);
    assert!(
        log.stdout
            .contains("VENV INSTALL -r requirements.txt: FAILED"),
        "{log}"
    );
    assert!(log.stdout.contains("nosuchpkg"), "{log}");
}

#[test]
fn a_deploy_killed_during_a_rebuild_is_recovered_by_the_next_one() {
    let app = sample("flask-app");
    app.deploy(&[]).expect(0);
    let build = app.build_id();
    let mut child = app
        .command(&["--reset-env"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let aside = app.site.join(".env.deploy-aside");
    // Wait until the old env is aside and the new one is being made by `python -m venv`.
    while !(aside.is_dir() && app.env_dir().join("pyvenv.cfg").is_file()) {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the deploy ended early"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    // SAFETY: kill(2) on the child we started and have not reaped yet.
    unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
    child.wait().unwrap();

    let run = app.deploy(&[]);
    run.expect(0);
    let recovered =
        run.stderr.contains("restored the virtual environment") && app.build_id() == build;
    let rebuilt_with_reason = run
        .outcome("VENV ENSURE")
        .starts_with("VENV ENSURE: rebuilt (");
    assert!(recovered || rebuilt_with_reason, "{run}");
    assert!(!aside.exists());
    assert_eq!(app.import_version("flask").as_deref(), Some("3.0.3"));
}

#[test]
fn a_shipped_env_replaces_the_built_one_whole_and_removing_it_builds_one_again() {
    let app = sample("flask-app");
    app.deploy(&[]).expect(0);
    app.deploy(&[]).expect(0);
    assert!(app.build_id().is_some());
    // The repository's own env: made by `python -m venv` (the site env's python runs the
    // same base interpreter), with the app's packages installed from the wheels.
    let shipped = app.app.join("env");
    let made = std::process::Command::new(app.env_dir().join("bin/python"))
        .args(["-m", "venv"])
        .arg(&shipped)
        .status()
        .unwrap();
    assert!(made.success());
    let installed = std::process::Command::new(shipped.join("bin/python"))
        .args(["-m", "pip", "install", "-q", "--no-index", "--find-links"])
        .arg(app.wheels.as_ref().unwrap().path())
        .args(["Flask", "gunicorn"])
        .status()
        .unwrap();
    assert!(installed.success());
    app.write("env/shipped-by-the-repository.txt", "yes\n");

    let run = app.deploy(&[]);
    run.expect(0);
    assert!(
        run.stderr
            .contains("the repository now ships `env/`: the env built here is replaced whole"),
        "{run}"
    );
    assert_eq!(
        run.outcome("VENV ENSURE"),
        "VENV ENSURE: reused (the repository ships `env/` (pyvenv.cfg): using it, building nothing)"
    );
    assert_eq!(
        files_under(&app.env_dir()),
        files_under(&shipped),
        "the site's env is exactly the repository's"
    );
    assert_eq!(app.build_id(), None);
    assert_eq!(app.import_version("flask").as_deref(), Some("3.0.3"));

    std::fs::remove_dir_all(&shipped).unwrap();
    let run = app.deploy(&[]);
    run.expect(0);
    assert!(
        run.stderr
            .contains("the repository no longer ships `env/`: its copy is removed whole"),
        "{run}"
    );
    assert_eq!(
        run.outcome("VENV ENSURE"),
        "VENV ENSURE: rebuilt (no `env` yet)"
    );
    assert!(app.build_id().is_some());
    assert!(!app.env_dir().join("shipped-by-the-repository.txt").exists());
    assert_eq!(app.import_version("flask").as_deref(), Some("3.0.3"));
}
