//! The classic Kudu-style scripts (`gen-deploy --kudu`) deploy the samples for real too:
//! run-deploy answers as KuduSync and as Kudu's Python helper, the script builds the env
//! with `python -m venv` (or `uv venv`), installs with `env\scripts\pip` (or `uv pip`),
//! and runs collectstatic itself, with wheels built by the test. fastapi-app and
//! custom-script-app get the same `--kudu` script as flask-app (requirements.txt, no
//! framework step), so flask-app stands for them.

use crate::common::stand_ins;

use crate::common::test::{read, Output, Test};
use stand_ins::version_of;

/// Deploys sample `name` with the script `gen-deploy --kudu` writes for it; checks the
/// deploy succeeded and the env imports `module` at its stand-in version.
fn deploy_kudu_style(name: &str, module: &str) -> (Test, Output) {
    let site = Test::sample(name);
    let printed = site.gen(&["--kudu", "--stdout"]);
    assert_eq!(printed.code, 0, "{}", printed.stderr);
    std::fs::write(site.app.join("deploy.cmd"), &printed.stdout).unwrap();
    let deployed = site.deploy(&[]);
    deployed.assert_success();
    assert!(
        deployed.steps().is_empty(),
        "no directives: {:?}",
        deployed.steps()
    );
    assert_eq!(
        site.site_python(&format!("import {module}; print({module}.VERSION)")),
        Ok(version_of(module).to_string())
    );
    (site, deployed)
}

#[test]
fn flask_app_deploys_kudu_style_and_reuses_its_env() {
    let (site, deployed) = deploy_kudu_style("flask-app", "flask");
    assert!(deployed
        .stdout
        .contains("Creating python-3.11 virtual environment.\nInstalling packages.\n"));
    assert_eq!(read(&site.site, "app.py"), read(&site.app, "app.py"));
    assert!(site.site.join("env/azure.env.python-3.11.txt").is_file());

    let again = site.deploy(&[]);
    again.assert_success();
    assert!(
        again
            .stdout
            .contains("Found compatible virtual environment.\nInstalling packages.\n"),
        "{}",
        again.stdout
    );
}

#[test]
fn django_app_deploys_kudu_style_and_collects_static_files() {
    let (site, deployed) = deploy_kudu_style("django-app", "django");
    let collected = format!(
        "Collecting Django static files.\n1 static file copied to '{}'.\n",
        site.site.join("staticfiles").display()
    );
    assert!(deployed.stdout.contains(&collected), "{}", deployed.stdout);
    assert_eq!(
        read(&site.site, "staticfiles/css/site.css"),
        read(&site.app, "static/css/site.css")
    );
}

/// The `--kudu` script of a uv.lock app: uv builds the env, `uv export --locked` writes what
/// the lock pins, and uv installs that (flask 3.0.3, with its hash); the app itself runs
/// from the site's files, not installed.
#[test]
fn uv_app_deploys_kudu_style_with_uv() {
    let (site, deployed) = deploy_kudu_style("uv-app", "flask");
    assert!(
        deployed
            .stderr
            .contains("Creating virtual environment at: env\n"),
        "uv built the env: {}",
        deployed.stderr
    );
    assert_eq!(
        site.site_python(
            "import app, flask; print(sorted(app.app.views), flask.VERSION, app.__file__)"
        ),
        Ok(format!(
            "['/'] 3.0.3 {}",
            site.site.join("app.py").display()
        ))
    );
    assert!(
        site.site_python("import uv_app").is_err(),
        "the project is not installed"
    );
    assert!(
        !site.site.join("env/bin/pip").exists(),
        "uv envs have no pip"
    );
}

/// Why flask-app stands for fastapi-app and custom-script-app: past the header line that
/// names the app, their `--kudu` scripts are the same.
#[test]
fn fastapi_and_custom_samples_get_flask_apps_kudu_script() {
    let body = |name: &str| {
        let run = Test::sample(name).gen(&["--kudu", "--stdout"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let mut lines: Vec<String> = run.stdout.lines().map(str::to_string).collect();
        assert!(lines[1].starts_with(&format!(":: Deploys {name} (")));
        lines.remove(1);
        lines
    };
    let flask = body("flask-app");
    assert_eq!(body("fastapi-app"), flask);
    assert_eq!(body("custom-script-app"), flask);
}
