//! Real-world-shaped scripts: each `.cmd` under tests/real_world/ imitates how Kudu users
//! wrote or hand-edited their deploy.cmd (its header says which pattern), and each one here
//! deploys a sample app end to end with `run-deploy --target`: real Python, real venvs and
//! pip, stand-in wheels built by the test, no network. A deploy that works asserts exit 0,
//! the site's files and the env importing the app's packages; a script that needs a runtime
//! this machine lacks asserts the failure names what is missing.
//!
//! A script that fails here but would run on App Service is our bug: its test states the
//! correct behaviour and is ignored with the feature and the branch that bring it.

use crate::common::stand_ins::{add_python2_builds, version_of};
use crate::common::test::{read, repo_dir, Output, Test};
use std::path::PathBuf;

/// The folder of the scripts.
fn scripts_dir() -> PathBuf {
    repo_dir().join("tests/real_world")
}

/// The sample app a script deploys.
#[derive(Clone, Copy, Debug)]
enum App {
    /// samples/flask-app: Flask and gunicorn, runtime.txt python-3.11, `static/index.html`.
    Flask,
    /// samples/django-app: Django, runtime.txt python-3.11, `manage.py`, `static/css/site.css`.
    Django,
    /// samples/fastapi-app: FastAPI, uvicorn and gunicorn, no version file.
    FastApi,
}

impl App {
    /// The sample's folder name under samples/.
    fn sample(self) -> &'static str {
        match self {
            App::Flask => "flask-app",
            App::Django => "django-app",
            App::FastApi => "fastapi-app",
        }
    }

    /// The packages its requirements name, as modules the env must import.
    fn modules(self) -> &'static [&'static str] {
        match self {
            App::Flask => &["flask", "gunicorn"],
            App::Django => &["django"],
            App::FastApi => &["fastapi", "uvicorn", "gunicorn"],
        }
    }

    /// Files of the app the site must hold, byte for byte.
    fn files(self) -> &'static [&'static str] {
        match self {
            App::Flask => &["app.py", "requirements.txt", "static/index.html"],
            App::Django => &["manage.py", "mysite/settings.py", "static/css/site.css"],
            App::FastApi => &["main.py", "requirements.txt"],
        }
    }
}

/// A copy of `app`'s sample whose deploy.cmd is the real-world script `script`, as it is
/// on disk (CRLF line ends), with every stand-in wheel.
fn site(script: &str, app: App) -> Test {
    let test = Test::sample(app.sample());
    let bytes = std::fs::read(scripts_dir().join(script))
        .unwrap_or_else(|error| panic!("read tests/real_world/{script}: {error}"));
    std::fs::write(test.app.join("deploy.cmd"), bytes).unwrap();
    test
}

/// Asserts that `deployed` exited 0 with the script's own success line, that the site
/// holds the app's files, and that its env imports each of the app's packages at the
/// stand-in's version.
#[track_caller]
fn assert_deployed(test: &Test, app: App, deployed: &Output) {
    deployed.assert_success();
    assert!(
        deployed.stderr.ends_with("run-deploy: succeeded\n")
            || deployed.stderr.contains("run-deploy: succeeded"),
        "{deployed}"
    );
    for file in app.files() {
        assert_eq!(read(&test.site, file), read(&test.app, file), "{file}");
    }
    for module in app.modules() {
        assert_eq!(
            test.import_version(module).as_deref(),
            Some(version_of(module)),
            "the env imports {module}:\n{deployed}"
        );
    }
}

/// Deploys `script` with `app` and asserts it deployed; returns the site and the run.
#[track_caller]
fn deploys(script: &str, app: App) -> (Test, Output) {
    let test = site(script, app);
    let deployed = test.run();
    assert_deployed(&test, app, &deployed);
    (test, deployed)
}

/// Deploys `test` and asserts it failed with exit code 1, nothing left in the site, and a
/// line of stderr naming what this machine lacks: it starts with `missing` (the rest lists
/// the interpreters found here, which differ between machines), or ends with it when
/// the line starts with an interpreter's path.
#[track_caller]
fn fails_naming(test: &Test, missing: &str) -> Output {
    let deployed = test.run();
    assert_eq!(deployed.code, 1, "{deployed}");
    assert!(
        deployed
            .stderr
            .lines()
            .any(|line| line.starts_with(missing) || line.ends_with(missing)),
        "no line naming `{missing}` in:\n{deployed}"
    );
    let last = deployed.stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("run-deploy: FAILED (exit 1) in ") && last.ends_with(": 0 steps"),
        "{deployed}"
    );
    assert!(!test.env_dir().exists(), "no env is left:\n{deployed}");
    assert!(
        !test.site.join("app.py").exists(),
        "the site is put back:\n{deployed}"
    );
    deployed
}

/// The major.minor of the site env's python.
fn env_minor(test: &Test) -> String {
    let version = test.env_python_version();
    let mut parts = version.split('.');
    format!("{}.{}", parts.next().unwrap(), parts.next().unwrap())
}

// ------------------------------------------------------------ kuduscript, lightly edited

#[test]
fn kudu_python_kept() {
    let (test, deployed) = deploys("kudu-python-kept.cmd", App::Flask);
    assert!(deployed
        .stdout
        .contains("Creating python-3.11 virtual environment.\n"));
    assert!(test.site.join("env/azure.env.python-3.11.txt").is_file());
    let again = test.run();
    assert_deployed(&test, App::Flask, &again);
    assert!(
        again
            .stdout
            .contains("Found compatible virtual environment.\n"),
        "{again}"
    );
}

#[test]
fn kudu_python_django() {
    let (test, deployed) = deploys("kudu-python-django.cmd", App::Django);
    assert!(
        deployed.stdout.contains(&format!(
            "1 static file copied to '{}'.\n",
            test.site.join("staticfiles").display()
        )),
        "{deployed}"
    );
    assert_eq!(
        read(&test.site, "staticfiles/css/site.css"),
        read(&test.app, "static/css/site.css")
    );
}

#[test]
fn kudu_upgrade_pip_first() {
    let (_, deployed) = deploys("kudu-upgrade-pip-first.cmd", App::Flask);
    assert!(
        deployed
            .stdout
            .contains("Requirement already satisfied: pip"),
        "{deployed}"
    );
}

#[test]
fn kudu_pip_exe() {
    deploys("kudu-pip-exe.cmd", App::Flask);
}

#[test]
fn kudu_always_rebuild_env() {
    let (test, _) = deploys("kudu-always-rebuild-env.cmd", App::Flask);
    std::fs::write(test.env_dir().join("left-by-the-last-env"), "").unwrap();
    let again = test.run();
    assert_deployed(&test, App::Flask, &again);
    assert!(!test.env_dir().join("left-by-the-last-env").exists());
}

#[test]
fn kudu_execute_every_step() {
    deploys("kudu-execute-every-step.cmd", App::Flask);
}

#[test]
fn kudu_python_m_pip() {
    let (_, deployed) = deploys("kudu-python-m-pip.cmd", App::Flask);
    assert!(deployed.stdout.contains("pip "), "{deployed}");
}

#[test]
fn kudu_time_stamps() {
    let (_, deployed) = deploys("kudu-time-stamps.cmd", App::Flask);
    assert!(deployed.stdout.contains("Deployment started at "));
    assert!(deployed.stdout.contains(" Packages installed.\n"));
}

#[test]
fn kudu_time_t() {
    let (_, deployed) = deploys("kudu-time-t.cmd", App::Flask);
    assert!(!deployed.stderr.contains("cannot run"), "{deployed}");
}

#[test]
fn kudu_web_config_per_version() {
    let test = site("kudu-web-config-per-version.cmd", App::Flask)
        .app_file("web.config", "<configuration>generic</configuration>\r\n")
        .app_file(
            "web.3.11.config",
            "<configuration>python 3.11</configuration>\r\n",
        );
    let deployed = test.run();
    assert_deployed(&test, App::Flask, &deployed);
    assert!(deployed
        .stdout
        .contains("Overwriting web.config with web.3.11.config\n"));
    assert_eq!(
        read(&test.site, "web.config"),
        "<configuration>python 3.11</configuration>\r\n"
    );
}

#[test]
fn kudu_skip_python_deployment() {
    let test =
        site("kudu-skip-python-deployment.cmd", App::Flask).app_file(".skipPythonDeployment", "");
    let deployed = test.run();
    deployed.assert_success();
    assert_eq!(read(&test.site, "app.py"), read(&test.app, "app.py"));
    assert!(!deployed.stdout.contains("Detected requirements.txt"));
    assert!(!test.env_dir().exists(), "no env is built");
}

#[test]
fn kudu_short_defaults() {
    deploys("kudu-short-defaults.cmd", App::Flask);
}

#[test]
fn kudu_echo_delimiters() {
    let (_, deployed) = deploys("kudu-echo-delimiters.cmd", App::Flask);
    assert!(
        deployed.stdout.contains("\nInstalling requirements\n\n"),
        "{deployed}"
    );
    assert!(deployed.stdout.contains("\nInstalled.\n"), "{deployed}");
}

#[test]
fn kudu_spaced_labels() {
    deploys("kudu-spaced-labels.cmd", App::Flask);
}

#[test]
fn kudu_django_migrate() {
    let (_, deployed) = deploys("kudu-django-migrate.cmd", App::Django);
    assert!(
        deployed.stdout.contains("No migrations to apply.\n"),
        "{deployed}"
    );
}

#[test]
fn kudu_django_collectstatic_python() {
    let (test, _) = deploys("kudu-django-collectstatic-python.cmd", App::Django);
    assert_eq!(
        read(&test.site, "staticfiles/css/site.css"),
        read(&test.app, "static/css/site.css")
    );
}

#[test]
fn kudu_bare_pip_on_path() {
    deploys("kudu-bare-pip-on-path.cmd", App::Flask);
}

#[test]
fn kudu_xcopy_static() {
    let (test, _) = deploys("kudu-xcopy-static.cmd", App::Flask);
    assert_eq!(
        read(&test.site, "static/index.html"),
        read(&test.app, "static/index.html")
    );
}

#[test]
fn kudu_xcopy_file_star() {
    let (test, _) = deploys("kudu-xcopy-file-star.cmd", App::Flask);
    assert_eq!(read(&test.site, "app_backup.py"), read(&test.app, "app.py"));
}

#[test]
fn robocopy_mirror() {
    let (test, _) = deploys("robocopy-mirror.cmd", App::Flask);
    assert!(!test.site.join("deploy.cmd").exists());
}

#[test]
fn robocopy_then_kudusync() {
    deploys("robocopy-then-kudusync.cmd", App::Flask);
}

#[test]
fn kudu_runtime_python34_missing() {
    let test =
        site("kudu-runtime-python34-missing.cmd", App::Flask).app_file("runtime.txt", "python-3.4");
    fails_naming(
        &test,
        "error: no installed python matches 3.4 (runtime.txt says python-3.4); found: ",
    );
}

#[test]
fn website_variables() {
    let (_, deployed) = deploys("website-variables.cmd", App::Flask);
    assert!(
        deployed
            .stdout
            .starts_with("Handling python deployment.\nDeploying outside App Service.\n"),
        "{deployed}"
    );
}

// ------------------------------------------------------------ App Service paths and runtimes

#[test]
fn app_service_python364() {
    // pip 18.1 (this machine's Python 3.6 has it) crashes on PIP_NO_CACHE_DIR=1, which
    // the harness sets (`expected str, bytes or os.PathLike object, not int`); old pips
    // take a false-looking value instead.
    let test = site("app-service-python364.cmd", App::Flask).env("PIP_NO_CACHE_DIR", "off");
    let deployed = test.run();
    assert_deployed(&test, App::Flask, &deployed);
    assert_eq!(env_minor(&test), "3.6");
}

#[test]
fn app_service_python364_pip() {
    // Kudu's way for 3.4-3.6: `python -m virtualenv`, which .ci/setup installs into this
    // machine's 3.6 as App Service's runtime had it.
    let (test, deployed) = deploys("app-service-python364-pip.cmd", App::Flask);
    assert_eq!(env_minor(&test), "3.6");
    assert!(
        deployed
            .stdout
            .contains("created virtual environment CPython3.6"),
        "{deployed}"
    );
}

#[test]
fn app_service_wwwroot_paths() {
    deploys("app-service-wwwroot-paths.cmd", App::Flask);
}

#[test]
fn app_service_home_var() {
    deploys("app-service-home-var.cmd", App::Flask);
}

#[test]
fn app_service_site_tools() {
    let (_, deployed) = deploys("app-service-site-tools.cmd", App::Flask);
    assert!(
        deployed.stdout.contains("Site tools are on PATH.\n"),
        "{deployed}"
    );
}

#[test]
fn app_service_python36_beside_wwwroot() {
    // PIP_NO_CACHE_DIR=off for Python 3.6's pip 18.1: see app_service_python364.
    let test =
        site("app-service-python36-beside-wwwroot.cmd", App::Flask).env("PIP_NO_CACHE_DIR", "off");
    let deployed = test.run();
    assert_deployed(&test, App::Flask, &deployed);
    assert_eq!(env_minor(&test), "3.6");
}

#[test]
fn app_service_python27_virtualenv() {
    let test = site("app-service-python27-virtualenv.cmd", App::Flask)
        .app_file("runtime.txt", "python-2.7");
    add_python2_builds(test.wheels.as_ref().unwrap(), &["flask", "gunicorn"]);
    let deployed = test.run();
    assert_deployed(&test, App::Flask, &deployed);
    assert_eq!(env_minor(&test), "2.7");
    assert!(
        deployed
            .stdout
            .contains("Creating python-2.7 virtual environment.\n"),
        "{deployed}"
    );
    assert!(test.site.join("env/azure.env.python-2.7.txt").is_file());
}

#[test]
fn app_service_systemdrive_python27() {
    let test = site("app-service-systemdrive-python27.cmd", App::Flask);
    add_python2_builds(test.wheels.as_ref().unwrap(), &["flask", "gunicorn"]);
    let deployed = test.run();
    assert_deployed(&test, App::Flask, &deployed);
    assert_eq!(env_minor(&test), "2.7");
    assert!(test.site.join("env/azure.env.python-2.7.txt").is_file());
}

#[test]
fn app_service_python354_missing() {
    let test = site("app-service-python354-missing.cmd", App::Flask);
    fails_naming(
        &test,
        "run-deploy: error: `D:\\home\\python354x64\\python.exe` stands for python 3.5, which is not installed here; found: ",
    );
}

// ------------------------------------------------------------ gen-deploy --kudu shaped

#[test]
fn for_each_requirements_file() {
    let test = site("for-each-requirements-file.cmd", App::Flask)
        .app_file("requirements.txt", "Flask>=3.0\n")
        .app_file("requirements-server.txt", "gunicorn>=21\n");
    let deployed = test.run();
    assert_deployed(&test, App::Flask, &deployed);
    assert!(deployed
        .stdout
        .contains("Installing requirements-server.txt\n"));
}

#[test]
fn for_f_runtime_txt() {
    let (_, deployed) = deploys("for-f-runtime-txt.cmd", App::Flask);
    assert!(deployed
        .stdout
        .contains("runtime.txt asks for Python 3.11.\nenv has 3.11\n"));
}

#[test]
fn or_goto_error() {
    deploys("or-goto-error.cmd", App::Flask);
}

#[test]
fn find_links_wheelhouse() {
    deploys("find-links-wheelhouse.cmd", App::Flask);
}

#[test]
fn delete_pyc_and_compileall() {
    let test = site("delete-pyc-and-compileall.cmd", App::Flask).app_file("stale.pyc", "old");
    let deployed = test.run();
    assert_deployed(&test, App::Flask, &deployed);
    assert!(!test.site.join("stale.pyc").exists());
    assert_eq!(
        crate::common::test::names_in(&test.site.join("__pycache__")).len(),
        1,
        "app.py was compiled"
    );
}

#[test]
fn deploy_log_file() {
    let (test, deployed) = deploys("deploy-log-file.cmd", App::Flask);
    let log = read(&test.site, "logs/deploy.log");
    assert!(log.starts_with("Install started "), "{log}");
    assert!(log.ends_with("Install ended \n"), "{log}");
    assert!(deployed.stdout.contains(&log), "TYPE printed the log");
}

#[test]
fn pythonpath_import_check() {
    let (_, deployed) = deploys("pythonpath-import-check.cmd", App::Flask);
    assert!(
        deployed.stdout.contains("app imports with ['/']\n"),
        "{deployed}"
    );
}

#[test]
fn upgrade_setuptools() {
    let (test, _) = deploys("upgrade-setuptools.cmd", App::Flask);
    assert_eq!(
        test.import_version("setuptools").as_deref(),
        Some(crate::common::stand_ins::SETUPTOOLS_VERSION)
    );
}

#[test]
fn fastapi_check_import() {
    let (_, deployed) = deploys("fastapi-check-import.cmd", App::FastApi);
    assert!(deployed.stdout.contains(&format!(
        "fastapi {} uvicorn {}\n",
        version_of("fastapi"),
        version_of("uvicorn")
    )));
}

#[test]
fn where_python_check() {
    deploys("where-python-check.cmd", App::Flask);
}

#[test]
fn exit_b_zero() {
    deploys("exit-b-zero.cmd", App::Flask);
}

// ------------------------------------------------------------ our directives, mixed in

#[test]
fn directives_then_pip_line() {
    deploys("directives-then-pip-line.cmd", App::Flask);
}

#[test]
fn directives_with_time_stamps() {
    let (_, deployed) = deploys("directives-with-time-stamps.cmd", App::Flask);
    assert_eq!(deployed.steps().len(), 4, "{deployed}");
}

#[test]
fn directives_django_manage() {
    let (test, deployed) = deploys("directives-django-manage.cmd", App::Django);
    assert!(
        deployed.stdout.contains("No migrations to apply.\n"),
        "{deployed}"
    );
    assert_eq!(
        read(&test.site, "staticfiles/css/site.css"),
        read(&test.app, "static/css/site.css")
    );
}

// ------------------------------------------------------------ the corpus itself

/// Every script is on disk as Windows wrote it (CRLF line ends only), opens with a
/// `:: Imitates:` header within its first three lines, and has a test in this module.
#[test]
fn every_script_is_windows_shaped_and_tested() {
    let this_module = include_str!("real_world.rs");
    let mut names: Vec<String> = std::fs::read_dir(scripts_dir())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 40, "{} scripts", names.len());
    for name in &names {
        assert!(name.ends_with(".cmd"), "{name}");
        let bytes = std::fs::read(scripts_dir().join(name)).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(
            text.matches('\n').count(),
            text.matches("\r\n").count(),
            "{name} has a line end without CR"
        );
        assert!(text.ends_with("\r\n"), "{name}");
        assert!(
            text.lines()
                .take(3)
                .any(|line| line.starts_with(":: Imitates: ")),
            "{name} has no `:: Imitates:` header"
        );
        assert!(
            this_module.contains(&format!("\"{name}\"")),
            "{name} has no test in real_world.rs"
        );
    }
}
