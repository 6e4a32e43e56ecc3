//! Python deploys end to end through the real `run-deploy` binary: Kudu's own generated
//! script, every env-removal mode, failure safety, no-op redeploys and shipped envs. Real
//! python3.11 (and 3.12 from pyenv), real venv, real pip; the packages are wheels the test
//! builds (tests/common/fake_packages.rs), installed with PIP_NO_INDEX.

#[path = "common/fake_packages.rs"]
mod fake_packages;
#[path = "common/kuduscript.rs"]
mod kuduscript;
#[path = "common/python_deploy.rs"]
mod python_deploy;
#[path = "common/wheels.rs"]
mod wheels;

use python_deploy::App;


/// A Flask app whose deploy.cmd is the one `kuduscript --python` generates now.
fn kudu_flask_app() -> App {
    let app = App::sample("flask-app");
    std::fs::remove_file(app.repo.join("deploy.cmd")).unwrap();
    kuduscript::generate(&app.repo, &["--python"]);
    app
}

#[test]
fn kudu_script_deploys_flask_builds_reuses_and_rebuilds_for_a_new_runtime() {
    let app = kudu_flask_app();
    let first = app.deploy(&[]);
    first.assert_ok();
    assert!(
        first
            .stdout
            .contains("Creating python-3.11 virtual environment."),
        "{first}"
    );
    assert!(first.stdout.contains("Finished successfully."), "{first}");
    assert_eq!(app.import_version("flask").as_deref(), Some("3.0.0"));
    assert_eq!(app.import_version("gunicorn").as_deref(), Some("21.2.0"));
    assert!(app.env_dir().join("azure.env.python-3.11.txt").is_file());
    assert!(app.site.join("static/index.html").is_file());

    let second = app.deploy(&[]);
    second.assert_ok();
    assert!(
        second.stdout.contains("Found compatible virtual environment."),
        "{second}"
    );
    assert!(!second.stdout.contains("Creating"), "{second}");

    app.write("runtime.txt", "python-3.12\n");
    let third = app.deploy(&[]);
    third.assert_ok();
    assert!(
        third.stdout.contains("Deleting incompatible virtual environment.")
            && third
                .stdout
                .contains("Creating python-3.12 virtual environment."),
        "{third}"
    );
    assert!(app.env_python_version().starts_with("3.12."));
    assert_eq!(app.import_version("flask").as_deref(), Some("3.0.0"));
}

#[test]
fn kudu_script_deploys_django_and_collects_static_files() {
    let app = App::sample("django-app");
    std::fs::remove_file(app.repo.join("deploy.cmd")).unwrap();
    kuduscript::generate(&app.repo, &["--python"]);
    let first = app.deploy(&[]);
    first.assert_ok();
    assert!(
        first
            .stdout
            .contains("Creating python-3.11 virtual environment."),
        "{first}"
    );
    assert!(
        first.stdout.contains("Collecting Django static files.")
            && first.stdout.contains("1 static file copied to"),
        "{first}"
    );
    assert_eq!(
        std::fs::read_to_string(app.site.join("staticfiles/css/site.css")).unwrap(),
        std::fs::read_to_string(app.repo.join("static/css/site.css")).unwrap()
    );

    app.write("static/css/more.css", "p { margin: 0 }\n");
    let second = app.deploy(&[]);
    second.assert_ok();
    assert!(
        second.stdout.contains("Found compatible virtual environment."),
        "{second}"
    );
    assert!(app.site.join("staticfiles/css/more.css").is_file());
}

#[test]
fn generated_script_builds_then_reuses_and_a_noop_redeploy_runs_no_pip() {
    let app = App::sample("flask-app");
    let first = app.deploy(&[]);
    first.assert_ok();
    assert_eq!(
        first.step("VENV ENSURE"),
        "VENV ENSURE: rebuilt (no `env` yet)"
    );
    let build = app.build_id().expect("marker");
    let site_packages = app.site_packages();
    // Without its pip package the env cannot run pip at all: the next deploy must not try.
    let pip = site_packages.join("pip");
    std::fs::rename(&pip, site_packages.join("pip.hidden")).unwrap();
    let modified = std::fs::metadata(&site_packages).unwrap().modified().unwrap();

    let second = app.deploy(&[]);
    second.assert_ok();
    assert_eq!(second.step("SYNC"), "SYNC /IGNORE .git;.hg;.deployment;deploy.cmd: skipped (no change)");
    assert!(
        second
            .step("VENV ENSURE")
            .starts_with("VENV ENSURE: reused (Found compatible virtual environment"),
        "{second}"
    );
    assert_eq!(
        second.step("PIP INSTALL"),
        "PIP INSTALL -r requirements.txt: skipped (requirements unchanged since the last successful install (1 input file))"
    );
    assert_eq!(app.build_id(), Some(build));
    assert!(!pip.exists());
    let after = std::fs::metadata(&site_packages).unwrap().modified().unwrap();
    assert_eq!(after, modified, "the no-op deploy changed site-packages");
}
