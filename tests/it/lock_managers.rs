//! `VENV INSTALL poetry.lock` and `VENV INSTALL Pipfile.lock`: the env holds exactly what
//! the lock pins for the app's main packages. The real tool (Poetry, Pipenv) locks the app
//! at test time against a package index the test serves on localhost from stand-in wheels
//! (Poetry reads no `file://` source); at deploy time the real tool checks and exports the
//! lock and real pip installs it, offline. For each manager the same five scenarios: a
//! package dropped from the lock is uninstalled in place (the env's build id unchanged), a
//! version bump is installed, a Windows-only package and a dev package are never
//! installed, a redeploy with nothing changed runs no tool (the tool is not even on PATH),
//! a stale lock fails with the tool's own words and leaves the env working, a missing tool
//! fails before the env is touched, and `--dry-run` decides what the run then does.
//! PYTHON SELECT takes the version from Poetry's python constraint or from Pipfile.lock's
//! `python_version`. (uv.lock has its own module, lock_uv.rs: uv locks without an index.)

use crate::common::lock_tools::{install_reason, path_without, tool_version};
use crate::common::package_index::PackageIndex;
use crate::common::test::Test;

/// What differs between the managers; the scenarios below are the same for each.
struct Manager {
    /// The program, as on PATH.
    tool: &'static str,
    /// The lock file the script installs.
    lock: &'static str,
    /// The file the lock is made from.
    manifest: &'static str,
    /// How the step names both files when they changed.
    both_changed: &'static str,
    /// The manifest for `index` with these main packages (`name = "spec"` lines); gunicorn
    /// is a dev package.
    manifest_text: fn(&PackageIndex, &str) -> String,
    /// `requests` pinned to 2.32.0, as the manifest writes it.
    requests_bumped: &'static str,
    /// The arguments of the lock command.
    lock_args: &'static [&'static str],
    /// Its variables naming the folders it writes (cache, envs): folders of the test's
    /// folder, not of the app (which SYNC copies).
    lock_folders: &'static [(&'static str, &'static str)],
    /// Its other variables.
    lock_settings: &'static [(&'static str, &'static str)],
    /// How PYTHON SELECT names the source of the version.
    python_source: &'static str,
    /// The step's reason for a stale lock.
    stale: &'static str,
    /// How the step says to install the tool.
    install_hint: &'static str,
}

const POETRY: Manager = Manager {
    tool: "poetry",
    lock: "poetry.lock",
    manifest: "pyproject.toml",
    both_changed: "`poetry.lock`, `pyproject.toml` changed",
    manifest_text: pyproject,
    requests_bumped: "requests = \"2.32.0\"",
    lock_args: &["lock", "--no-interaction"],
    lock_folders: &[("POETRY_CACHE_DIR", "poetry-cache")],
    lock_settings: &[("POETRY_VIRTUALENVS_CREATE", "false")],
    python_source: "pyproject.toml [tool.poetry.dependencies] python says ~3.11",
    stale: "`poetry check --lock --no-interaction` failed (exit code 1): Error: pyproject.toml changed significantly since poetry.lock was last generated. Run `poetry lock` to fix the lock file.; bring `poetry.lock` up to date with `poetry lock` (run where `pyproject.toml` is) and commit it; the env was left as it was",
    install_hint: "pip install poetry poetry-plugin-export",
};

const PIPENV: Manager = Manager {
    tool: "pipenv",
    lock: "Pipfile.lock",
    manifest: "Pipfile",
    both_changed: "`Pipfile`, `Pipfile.lock` changed",
    manifest_text: pipfile,
    requests_bumped: "requests = \"==2.32.0\"",
    lock_args: &["lock"],
    lock_folders: &[("WORKON_HOME", "pipenv-envs"), ("PIPENV_CACHE_DIR", "pipenv-cache")],
    lock_settings: &[
        ("PIPENV_VERBOSITY", "-1"),
        ("PIPENV_YES", "1"),
        ("PIPENV_NOSPIN", "1"),
    ],
    python_source: "Pipfile.lock python_version says 3.11",
    stale: "`pipenv verify` failed (exit code 1): Pipfile.lock is out-of-date. Run $ pipenv lock to update.; bring `Pipfile.lock` up to date with `pipenv lock` (run where `Pipfile` is) and commit it; the env was left as it was",
    install_hint: "pip install pipenv",
};

/// A Poetry app (no package of its own) whose main dependencies are `dependencies`.
fn pyproject(index: &PackageIndex, dependencies: &str) -> String {
    format!(
        "[tool.poetry]\npackage-mode = false\n\n[tool.poetry.dependencies]\npython = \"~3.11\"\n{dependencies}\n\
         [tool.poetry.group.dev.dependencies]\ngunicorn = \"*\"\n\n\
         [[tool.poetry.source]]\nname = \"stand-ins\"\nurl = \"{}\"\npriority = \"primary\"\n",
        index.url
    )
}

/// A Pipfile whose packages are `packages`.
fn pipfile(index: &PackageIndex, packages: &str) -> String {
    format!(
        "[[source]]\nurl = \"{}\"\nverify_ssl = false\nname = \"stand-ins\"\n\n\
         [packages]\n{packages}\n[dev-packages]\ngunicorn = \"*\"\n\n\
         [requires]\npython_version = \"3.11\"\n",
        index.url
    )
}

/// The main packages at first: flask, requests (which needs idna), and pywin32 on Windows
/// only (the same line in pyproject.toml and in a Pipfile).
const PACKAGES: &str =
    "flask = \"*\"\nrequests = \"*\"\npywin32 = { version = \"*\", markers = \"sys_platform == 'win32'\" }\n";

impl Manager {
    fn script(&self) -> String {
        format!(
            "@echo off\nSYNC\nPYTHON SELECT\nVENV ENSURE\nVENV INSTALL {}\n",
            self.lock
        )
    }

    /// An app locked with this manager: flask (stand-in), requests 2.31.0, idna 3.6 and
    /// pywin32 306 served by a local index; gunicorn only as a dev package.
    fn locked_app(&self) -> (Test, PackageIndex) {
        let test = Test::new().wheels(&["flask", "gunicorn"]);
        let house = test.wheels.as_ref().unwrap();
        house.add("requests", "2.31.0", &["idna"]);
        house.add("idna", "3.6", &[]);
        house.add("pywin32", "306", &[]);
        let index = PackageIndex::serve(house);
        let test = test
            .app_file(self.manifest, &(self.manifest_text)(&index, PACKAGES))
            .script("deploy.cmd", &self.script());
        self.lock(&test);
        (test, index)
    }

    /// Writes the manifest with these main packages.
    fn write_manifest(&self, test: &Test, index: &PackageIndex, packages: &str) {
        test.write(self.manifest, &(self.manifest_text)(index, packages));
    }

    /// The tool's lock command in the app, against the local index.
    fn lock(&self, test: &Test) {
        let mut command = test.bare_command(self.tool);
        command.args(self.lock_args).current_dir(&test.app);
        for (name, folder) in self.lock_folders {
            command.env(name, test.root().join(folder));
        }
        command.envs(self.lock_settings.iter().copied());
        let out = test.output(command);
        assert_eq!(out.code, 0, "{} lock:\n{out}", self.tool);
    }
}

/// The interpreter the site env was built from (its marker's `interpreter`).
fn selected_exe(test: &Test) -> String {
    let text = std::fs::read_to_string(test.env_dir().join("deploy-script-env.json")).unwrap();
    let marker: serde_json::Value = serde_json::from_str(&text).unwrap();
    marker["interpreter"].as_str().unwrap().to_string()
}

fn a_version_bump_is_installed_and_a_dropped_package_removed_in_place(manager: &Manager) {
    let (test, index) = manager.locked_app();
    let tool = tool_version(&test, manager.tool);
    let lock = manager.lock;
    let first = test.run();
    first.expect(0);
    let python = test.env_python_version();
    assert_eq!(
        first.outcome("PYTHON SELECT"),
        format!(
            "PYTHON SELECT: done (python {python} at `{}` ({}))",
            selected_exe(&test),
            manager.python_source
        )
    );
    assert_eq!(
        first.outcome("VENV INSTALL"),
        format!("VENV INSTALL {lock}: done (no record of a successful install into this env; {tool}: added 3: flask==3.0.3, idna==3.6, requests==2.31.0, upgraded 0, removed 0)")
    );
    assert_eq!(test.import_version("requests").as_deref(), Some("2.31.0"));
    assert_eq!(
        test.import_version("pywin32"),
        None,
        "a Windows-only package"
    );
    assert_eq!(test.import_version("gunicorn"), None, "a dev package");
    let build = test.build_id();

    test.wheels
        .as_ref()
        .unwrap()
        .add("requests", "2.32.0", &["idna"]);
    let bumped_packages = PACKAGES.replace("requests = \"*\"", manager.requests_bumped);
    manager.write_manifest(&test, &index, &bumped_packages);
    manager.lock(&test);
    let bumped = test.run();
    bumped.expect(0);
    let changed = manager.both_changed;
    assert_eq!(
        bumped.outcome("VENV INSTALL"),
        format!("VENV INSTALL {lock}: done ({changed}; {tool}: added 0, upgraded 1: requests 2.31.0 -> 2.32.0, removed 0)")
    );
    assert_eq!(test.import_version("requests").as_deref(), Some("2.32.0"));

    manager.write_manifest(&test, &index, "flask = \"*\"\n");
    manager.lock(&test);
    let dropped = test.run();
    dropped.expect(0);
    assert_eq!(
        dropped.outcome("VENV INSTALL"),
        format!("VENV INSTALL {lock}: done ({changed}; {tool}: added 0, upgraded 0, removed 2: idna, requests)")
    );
    assert_eq!(test.import_version("requests"), None);
    assert_eq!(test.import_version("idna"), None);
    assert_eq!(test.import_version("flask").as_deref(), Some("3.0.3"));
    assert_eq!(test.build_id(), build, "the env was not rebuilt");
}

fn a_redeploy_with_nothing_changed_runs_no_tool(manager: &Manager) {
    let (test, _index) = manager.locked_app();
    test.run().expect(0);
    let again = test.deploy_with(&[], &[("PATH", &path_without(manager.tool))]);
    again.expect(0);
    assert_eq!(
        again.outcome("VENV INSTALL"),
        format!(
            "VENV INSTALL {}: skipped (requirements unchanged since the last successful install (2 input files))",
            manager.lock
        )
    );
}

fn a_stale_lock_fails_with_the_tools_words_and_the_env_keeps_working(manager: &Manager) {
    let (test, index) = manager.locked_app();
    test.run().expect(0);
    manager.write_manifest(&test, &index, "flask = \"*\"\n");
    let stale = test.run();
    stale.expect(1);
    assert_eq!(
        stale.outcome("VENV INSTALL"),
        format!("VENV INSTALL {}: FAILED ({})", manager.lock, manager.stale)
    );
    assert_eq!(test.import_version("requests").as_deref(), Some("2.31.0"));
}

fn without_the_tool_the_step_says_so_before_touching_the_env(manager: &Manager) {
    let (test, _index) = manager.locked_app();
    let out = test.deploy_with(&[], &[("PATH", &path_without(manager.tool))]);
    out.expect(1);
    assert_eq!(
        out.outcome("VENV INSTALL"),
        format!(
            "VENV INSTALL {}: FAILED (`{}` is not on PATH; install it with `{}`, or install from a requirements file instead)",
            manager.lock, manager.tool, manager.install_hint
        )
    );
    assert!(
        !test.env_dir().exists(),
        "the failed first deploy leaves no env behind"
    );
}

fn the_dry_run_names_the_packages_and_equals_the_run(manager: &Manager) {
    let (test, index) = manager.locked_app();
    test.run().expect(0);
    manager.write_manifest(&test, &index, "flask = \"*\"\ngunicorn = \"*\"\n");
    manager.lock(&test);
    let tool = tool_version(&test, manager.tool);
    let dry = test.deploy(&["--dry-run", "--json"]);
    assert_eq!(dry.code, 0, "{dry}");
    assert_eq!(test.import_version("requests").as_deref(), Some("2.31.0"));
    assert_eq!(test.import_version("gunicorn"), None);
    let real = test.deploy(&["--json"]);
    assert_eq!(real.code, 0, "{real}");
    assert_eq!(
        install_reason(&dry.stdout),
        format!(
            "{}; {tool}: added 1: gunicorn==21.2.0, upgraded 0, removed 2: idna, requests",
            manager.both_changed
        )
    );
    assert_eq!(install_reason(&dry.stdout), install_reason(&real.stdout));
    assert_eq!(test.import_version("gunicorn").as_deref(), Some("21.2.0"));
    assert_eq!(test.import_version("requests"), None);
}

/// The five scenarios as tests of one manager.
macro_rules! scenarios {
    ($module:ident, $manager:expr) => {
        mod $module {
            #[test]
            fn a_version_bump_is_installed_and_a_dropped_package_removed_in_place() {
                super::a_version_bump_is_installed_and_a_dropped_package_removed_in_place(
                    &$manager,
                );
            }

            #[test]
            fn a_redeploy_with_nothing_changed_runs_no_tool() {
                super::a_redeploy_with_nothing_changed_runs_no_tool(&$manager);
            }

            #[test]
            fn a_stale_lock_fails_with_the_tools_words_and_the_env_keeps_working() {
                super::a_stale_lock_fails_with_the_tools_words_and_the_env_keeps_working(&$manager);
            }

            #[test]
            fn without_the_tool_the_step_says_so_before_touching_the_env() {
                super::without_the_tool_the_step_says_so_before_touching_the_env(&$manager);
            }

            #[test]
            fn the_dry_run_names_the_packages_and_equals_the_run() {
                super::the_dry_run_names_the_packages_and_equals_the_run(&$manager);
            }
        }
    };
}

scenarios!(poetry, super::POETRY);
scenarios!(pipenv, super::PIPENV);
