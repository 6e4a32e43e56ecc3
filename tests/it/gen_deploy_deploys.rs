//! Every sample deploys for real with the script gen-deploy wrote for it: the real
//! `run-deploy` syncs a copy of the sample into a site, builds a real virtual environment
//! and installs wheels the test built (see common/stand_ins.rs), offline. The site then
//! holds the app's files, its env imports the packages and the app itself, and the deploy
//! says `Finished successfully.` and exits 0.

use crate::common::stand_ins;

use crate::common::test::{files_under, read, Output, Test};
use stand_ins::version_of;

/// Deploys sample `name` with its own deploy.cmd and checks what every deploy must show:
/// exit 0, `Finished successfully.`, each file of the sample in the site (the script and
/// `.deployment` excepted, as SYNC's /IGNORE says), and the env importing `packages`.
fn deploy_sample(name: &str, packages: &[&str]) -> (Test, Output) {
    let site = Test::sample(name);
    let deployed = site.deploy(&[]);
    deployed.assert_success();
    assert!(
        deployed.stderr.starts_with(&format!(
            "run-deploy: running {}",
            site.app.join("deploy.cmd").display()
        )),
        "{}",
        deployed.stderr
    );
    for file in files_under(&site.app) {
        if file == "deploy.cmd" || file == ".deployment" {
            assert!(!site.site.join(&file).exists(), "{file} was deployed");
        } else {
            assert_eq!(
                read(&site.site, &file),
                read(&site.app, &file),
                "{file} in the site"
            );
        }
    }
    let import = format!(
        "import {}; print({})",
        packages.join(", "),
        packages
            .iter()
            .map(|package| format!("{package}.VERSION"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let expected: Vec<&str> = packages.iter().map(|package| version_of(package)).collect();
    assert_eq!(
        site.site_python(&import),
        Ok(expected.join(" ")),
        "{import}"
    );
    (site, deployed)
}

/// The PYTHON SELECT line names this machine's interpreter: keep what does not vary.
fn assert_python_selected(deployed: &Output, step: &str, why: &str) {
    let line = deployed.step("PYTHON SELECT");
    assert!(
        line.starts_with(&format!("{step} PYTHON SELECT: done (python 3.11."))
            && line.ends_with(&format!("({why}))")),
        "{line}"
    );
}

#[test]
fn flask_app_deploys() {
    let (site, deployed) = deploy_sample("flask-app", &["flask", "gunicorn"]);
    assert_eq!(
        deployed.step("SYNC"),
        "[1/4] SYNC /IGNORE .git;.hg;.deployment;deploy.cmd: done (5 copied, 0 deleted)"
    );
    assert_python_selected(&deployed, "[2/4]", "runtime.txt says python-3.11");
    assert_eq!(
        deployed.step("VENV ENSURE"),
        "[3/4] VENV ENSURE: rebuilt (no `env` yet)"
    );
    assert_eq!(
        deployed.step("VENV INSTALL"),
        "[4/4] VENV INSTALL -r requirements.txt: done (no record of a successful install into this env)"
    );
    assert_eq!(
        site.site_python("import app; print(sorted(app.app.views))"),
        Ok("['/']".to_string())
    );
}

#[test]
fn django_app_deploys_and_collects_its_static_files() {
    let (site, deployed) = deploy_sample("django-app", &["django"]);
    assert_python_selected(&deployed, "[2/5]", "runtime.txt says python-3.11");
    assert_eq!(
        deployed.step("VENV ENSURE"),
        "[3/5] VENV ENSURE: rebuilt (no `env` yet)"
    );
    assert_eq!(
        deployed.step("DJANGO COLLECTSTATIC"),
        "[5/5] DJANGO COLLECTSTATIC: done (static files collected)"
    );
    let collected = format!(
        "1 static file copied to '{}'.\n",
        site.site.join("staticfiles").display()
    );
    assert!(deployed.stdout.contains(&collected), "{}", deployed.stdout);
    assert_eq!(
        read(&site.site, "staticfiles/css/site.css"),
        read(&site.app, "static/css/site.css")
    );
    assert_eq!(
        site.site_python("import mysite.wsgi; print(callable(mysite.wsgi.application))"),
        Ok("True".to_string())
    );

    // "a .skipDjango file skips this", as the step's comment says.
    std::fs::remove_dir_all(site.site.join("staticfiles")).unwrap();
    std::fs::write(site.app.join(".skipDjango"), "").unwrap();
    let skipped = site.deploy(&[]);
    skipped.assert_success();
    assert_eq!(
        skipped.step("DJANGO COLLECTSTATIC"),
        "[5/5] DJANGO COLLECTSTATIC: skipped (.skipDjango is present)"
    );
    assert!(!site.site.join("staticfiles").exists());
}

/// "A .skipPythonDeployment file in the app skips the Python steps, as on Kudu": the
/// files are synced, no env is built.
#[test]
fn a_skip_python_deployment_file_skips_the_python_steps() {
    let site = Test::sample("flask-app");
    std::fs::write(site.app.join(".skipPythonDeployment"), "").unwrap();
    let deployed = site.deploy(&[]);
    deployed.assert_success();
    assert_eq!(
        deployed.steps(),
        ["[1/4] SYNC /IGNORE .git;.hg;.deployment;deploy.cmd: done (6 copied, 0 deleted)"]
    );
    assert_eq!(read(&site.site, "app.py"), read(&site.app, "app.py"));
    assert!(!site.site.join("env").exists());
}

#[test]
fn fastapi_app_deploys_with_the_python_of_its_python_version_file() {
    let (site, deployed) = deploy_sample("fastapi-app", &["fastapi", "uvicorn", "gunicorn"]);
    assert_python_selected(&deployed, "[2/4]", ".python-version says 3.11");
    assert_eq!(
        deployed.step("VENV INSTALL"),
        "[4/4] VENV INSTALL -r requirements.txt: done (no record of a successful install into this env)"
    );
    assert_eq!(
        site.site_python("import main; print(sorted(main.app.operations))"),
        Ok("[('GET', '/')]".to_string())
    );
}

/// uv builds the env and installs exactly what uv.lock pins (`VENV INSTALL uv.lock`): the
/// lock, made by `uv lock` against the stand-in wheels, pins flask 3.0.3. The project itself
/// is not installed: the app runs from the site's files.
#[test]
fn uv_app_deploys_what_its_uv_lock_pins() {
    let (site, deployed) = deploy_sample("uv-app", &["flask"]);
    let python = deployed.step("PYTHON SELECT");
    assert!(
        python.starts_with("[2/4] PYTHON SELECT: done (python 3.")
            && python.ends_with("(pyproject.toml requires-python says >=3.11))"),
        "{python}"
    );
    assert_eq!(
        deployed.step("VENV ENSURE"),
        "[3/4] VENV ENSURE /INSTALLER uv: rebuilt (no `env` yet)"
    );
    let install = deployed.step("VENV INSTALL");
    assert!(
        install.starts_with("[4/4] VENV INSTALL uv.lock /INSTALLER uv: done (no record of a successful install into this env; uv ")
            && install.ends_with(": added 1: flask==3.0.3, upgraded 0, removed 0)"),
        "{install}"
    );
    assert!(read(&site.app, "uv.lock").contains("name = \"flask\"\nversion = \"3.0.3\""));
    assert_eq!(
        site.site_python("import app; print(sorted(app.app.views), app.__file__)"),
        Ok(format!("['/'] {}", site.site.join("app.py").display()))
    );
    assert!(
        site.site_python("import uv_app").is_err(),
        "the project is not installed into the env"
    );
}

/// A requirements.txt pinned with hashes (`uv pip compile --generate-hashes` against the
/// stand-in wheels): pip installs it in hash-checking mode, and the hashes match.
#[test]
fn hashed_app_deploys_with_its_hashes_checked() {
    let (site, deployed) = deploy_sample("hashed-app", &["flask", "gunicorn"]);
    assert_python_selected(&deployed, "[2/4]", "runtime.txt says python-3.11");
    assert_eq!(
        deployed.step("VENV INSTALL"),
        "[4/4] VENV INSTALL -r requirements.txt: done (no record of a successful install into this env)"
    );
    assert_eq!(
        site.site_python("import app; print(sorted(app.app.views))"),
        Ok("['/']".to_string())
    );
    // The committed hashes are checked: a fresh site whose gunicorn wheel is not the one
    // pinned fails, before anything is installed.
    let tampered = Test::sample("hashed-app");
    crate::common::wheels::build_wheel(
        tampered.wheels.as_ref().unwrap().path(),
        "gunicorn",
        version_of("gunicorn"),
        &[],
        &[(
            "gunicorn/__init__.py".to_string(),
            "VERSION = \"tampered\"\n".to_string(),
        )],
    );
    let refused = tampered.deploy(&[]);
    refused.expect(1);
    assert!(
        refused
            .to_string()
            .contains("THESE PACKAGES DO NOT MATCH THE HASHES"),
        "{refused}"
    );
    assert!(
        !tampered.env_dir().exists(),
        "the failed first deploy leaves no env behind"
    );
}

/// Poetry exports the main group of poetry.lock (made by `poetry lock` against the
/// stand-in wheels) and the env holds exactly that set: `deploy_sample` imports flask and
/// gunicorn at the locked versions.
#[test]
fn poetry_app_deploys_what_its_poetry_lock_pins() {
    let (site, deployed) = deploy_sample("poetry-app", &["flask", "gunicorn"]);
    let install = deployed.step("VENV INSTALL");
    assert!(
        install.starts_with(
            "[4/4] VENV INSTALL poetry.lock: done (no record of a successful install into this env; Poetry "
        ),
        "{install}"
    );
    assert_eq!(
        site.site_python("import app; print(sorted(app.app.views))"),
        Ok("['/']".to_string())
    );
}

/// The step line names what it added. Poetry exports each line with a marker
/// (`; python_version >= "3.11"`), which the runtime decides for the env's interpreter.
#[test]
fn poetry_app_step_names_the_packages_it_added() {
    let (_site, deployed) = deploy_sample("poetry-app", &["flask", "gunicorn"]);
    let install = deployed.step("VENV INSTALL");
    assert!(
        install.ends_with(": added 2: flask==3.0.3, gunicorn==21.2.0, upgraded 0, removed 0)"),
        "{install}"
    );
}

/// Pipenv writes the `default` packages of Pipfile.lock (made by `pipenv lock` against the
/// stand-in wheels) and the env holds exactly that set: `deploy_sample` imports fastapi and
/// uvicorn at the locked versions, with the Python the lock names.
#[test]
fn pipenv_app_deploys_what_its_pipfile_lock_pins() {
    let (site, deployed) = deploy_sample("pipenv-app", &["fastapi", "uvicorn"]);
    assert_python_selected(&deployed, "[2/4]", "Pipfile.lock python_version says 3.11");
    let install = deployed.step("VENV INSTALL");
    assert!(
        install.starts_with(
            "[4/4] VENV INSTALL Pipfile.lock: done (no record of a successful install into this env; pipenv "
        ),
        "{install}"
    );
    assert_eq!(
        site.site_python("import main; print(sorted(main.app.operations))"),
        Ok("[('GET', '/')]".to_string())
    );
}

/// The step line names what it added. `pipenv requirements --hash` writes each hash on
/// the package's own line, which the runtime reads as an option, not as part of the name.
#[test]
fn pipenv_app_step_names_the_packages_it_added() {
    let (_site, deployed) = deploy_sample("pipenv-app", &["fastapi", "uvicorn"]);
    let install = deployed.step("VENV INSTALL");
    assert!(
        install.ends_with(": added 2: fastapi==0.110.0, uvicorn==0.29.0, upgraded 0, removed 0)"),
        "{install}"
    );
}

/// The hand-edited script: its uncommented `VENV REMOVE /ONCE` forces the env away on the
/// first deploy only, and its extra step writes the deployed commit into the site.
#[test]
fn custom_script_app_deploys_with_its_extra_step_and_forces_the_env_away_once() {
    let (site, deployed) = deploy_sample("custom-script-app", &["flask"]);
    assert_eq!(
        deployed.steps()[2..],
        [
            "[3/5] VENV REMOVE /ONCE 2026-11-24-drop-old-pins: done (removal forced by VENV REMOVE /ONCE 2026-11-24-drop-old-pins (deploy.cmd:25))",
            "[4/5] VENV ENSURE: rebuilt (no `env` yet)",
            "[5/5] VENV INSTALL -r requirements.txt: done (no record of a successful install into this env)",
        ]
    );
    assert_eq!(read(&site.site, "version.txt"), "unknown\n");

    let again = site.deploy_with(&[], &[("SCM_COMMIT_ID", "4f2a9c1")]);
    again.assert_success();
    let python = site.env_python_version();
    assert_eq!(
        again.steps()[2..],
        [
            "[3/5] VENV REMOVE /ONCE 2026-11-24-drop-old-pins: skipped (token 2026-11-24-drop-old-pins already used)",
            &format!("[4/5] VENV ENSURE: reused (Found compatible virtual environment (python {python}, pip))"),
            "[5/5] VENV INSTALL -r requirements.txt: skipped (requirements unchanged since the last successful install (1 input file))",
        ]
    );
    assert_eq!(read(&site.site, "version.txt"), "4f2a9c1\n");
}

/// An app declared by a setup.py and no pyproject.toml: gen-deploy installs it with
/// `VENV INSTALL .`, the deploy installs it editable, a redeploy skips, and a change to
/// setup.py is planned by the dry run and installed by the run. pip builds such a project
/// the PEP 517 way with setuptools and wheel from an index; the tests are offline, so
/// `PIP_USE_PEP517=0` makes it use the env's own setuptools (`setup.py develop`).
#[test]
fn a_setup_py_app_deploys_with_the_script_gen_deploy_writes() {
    let setup = |version: &str| {
        format!("from setuptools import setup\nsetup(name=\"shop\", version=\"{version}\", py_modules=[\"app\"])\n")
    };
    let test = Test::new()
        .app_files(&[
            ("setup.py", &setup("1.0")),
            ("app.py", "VERSION = 'shop'\n"),
            ("runtime.txt", "python-3.11\n"),
        ])
        .env("PIP_NO_INDEX", "1")
        .env("PIP_USE_PEP517", "0");
    let generated = test.gen(&[]);
    assert_eq!(generated.code, 0, "{generated}");
    assert!(
        read(&test.app, "deploy.cmd").contains("\nVENV INSTALL .\r\n"),
        "{}",
        read(&test.app, "deploy.cmd")
    );
    let first = test.deploy(&[]);
    first.assert_success();
    assert_eq!(
        first.outcome("VENV INSTALL"),
        "VENV INSTALL .: done (no record of a successful install into this env)"
    );
    let installed = "import app, importlib.metadata as m; print(app.__file__, m.version('shop'))";
    assert_eq!(
        test.site_python(installed),
        Ok(format!("{} 1.0", test.site.join("app.py").display())),
        "installed editable: the env imports the site's own app.py"
    );
    assert!(test
        .deploy(&[])
        .outcome("VENV INSTALL")
        .starts_with("VENV INSTALL .: skipped (requirements unchanged"));
    test.write("setup.py", &setup("1.1"));
    assert_eq!(
        test.deploy(&["--dry-run"]).outcome("VENV INSTALL"),
        "VENV INSTALL .: would run (would install: `setup.py` changed)"
    );
    assert_eq!(
        test.deploy(&[]).outcome("VENV INSTALL"),
        "VENV INSTALL .: done (`setup.py` changed)"
    );
    assert_eq!(
        test.site_python(installed),
        Ok(format!("{} 1.1", test.site.join("app.py").display()))
    );
}
