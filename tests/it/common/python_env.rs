//! Test support for the Python tests: an offline environment, interpreters by version,
//! and asking an env what it can import.
//!
//! Use from a test file with `#[path = "common/python_env.rs"] mod python_env;`.
#![allow(dead_code)]

use super::test::{cleared_variables, offline_variables};
use deploy_script::process::{current_environment, Command, Environment, StreamKind};
use deploy_script::python::discover::{discover, Discovery, Interpreter};
use deploy_script::python::installer::Installer;
use deploy_script::python::pip::{apply_pip, plan_pip, PipPlan, PipRequest};
use deploy_script::python::requirements::InstallInput;
use deploy_script::python::venv::{apply_venv, plan_venv, VenvRequest};
use deploy_script::python::version::VersionRequest;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// This process's environment, made offline: pip reads only `wheels`, and no selection
/// setting leaks in from the developer's shell.
pub fn offline_environment(wheels: &Path) -> Environment {
    let mut env = current_environment();
    for name in cleared_variables() {
        env.remove(*name);
    }
    for (name, value) in offline_variables(wheels, None) {
        env.insert(name.into(), value);
    }
    env
}

/// Every interpreter this machine has (discovered once per test binary).
pub fn discovery() -> &'static Discovery {
    static FOUND: OnceLock<Discovery> = OnceLock::new();
    FOUND.get_or_init(|| discover(&current_environment()))
}

/// The newest installed interpreter of `version` (`3.11`); the machine must have it
/// (pyenv here, the CI image in CI).
pub fn interpreter(version: &str) -> Interpreter {
    let request = VersionRequest::parse(version).unwrap();
    discovery()
        .interpreters
        .iter()
        .find(|interpreter| request.matches(&interpreter.version))
        .unwrap_or_else(|| {
            panic!(
                "python {version} is needed by this test; found {}",
                discovery().found_list()
            )
        })
        .clone()
}

/// What `import <module>; print(module.VERSION)` prints inside the env, or `None` when the
/// import fails.
pub fn imported_version(env_dir: &Path, module: &str, environment: &Environment) -> Option<String> {
    let finished = Command::new(env_dir.join("bin/python").as_os_str(), env_dir, environment)
        .args(["-c", &format!("import {module}; print({module}.VERSION)")])
        .run(&mut |_, _| {})
        .ok()?;
    finished
        .success()
        .then(|| finished.text(StreamKind::Stdout).trim().to_string())
}

/// The version the env's own python reports (`3.12.1`).
pub fn env_python_version(env_dir: &Path, environment: &Environment) -> String {
    let finished = Command::new(env_dir.join("bin/python").as_os_str(), env_dir, environment)
        .args(["-c", "import platform; print(platform.python_version())"])
        .run(&mut |_, _| {})
        .unwrap();
    finished.text(StreamKind::Stdout).trim().to_string()
}

/// The folder holding the shared template env (`<it>/env`, python 3.11, pip), kept up to
/// date with the library's own `VENV ENSURE` logic under `CARGO_TARGET_TMPDIR`, so that
/// test processes (nextest runs one per test) share one build. Hold the returned lock while
/// reading the template.
fn locked_template_site() -> (std::fs::File, PathBuf) {
    use deploy_script::python::env_swap::EnvSwap;
    use deploy_script::python::venv::VenvPlan;
    use fs4::fs_std::FileExt;
    let site = Path::new(env!("CARGO_TARGET_TMPDIR")).join("python-env-template");
    std::fs::create_dir_all(&site).unwrap();
    let lock = std::fs::File::create(site.join(".lock")).unwrap();
    lock.lock_exclusive().unwrap();
    let env_dir = site.join("env");
    EnvSwap::recover(&env_dir).unwrap();
    let environment = offline_environment(&site);
    let py311 = interpreter("3.11");
    let request = VenvRequest {
        env_dir: &env_dir,
        target: &site,
        interpreter: &py311,
        installer: Installer::Pip,
        removal: None,
        shipped: false,
        environment: &environment,
        seed_cache: &[],
    };
    let plan = plan_venv(&request);
    if !matches!(plan, VenvPlan::Reuse { .. }) {
        let applied = apply_venv(&plan, &request, &mut |_, _| {}).unwrap();
        applied.swap.unwrap().commit().unwrap();
    }
    (lock, site)
}

/// A fresh site folder holding a copy of the template env at `<site>/env` (a venv's
/// `bin/python` is a symlink to the base interpreter, so the copy runs).
pub fn site_with_env() -> (tempfile::TempDir, PathBuf) {
    let site = tempfile::tempdir().unwrap();
    let (_lock, template) = locked_template_site();
    let copied = std::process::Command::new("cp")
        .arg("-a")
        .arg(template.join("env"))
        .arg(site.path())
        .status()
        .unwrap();
    assert!(copied.success());
    let env_dir = site.path().join("env");
    (site, env_dir)
}

/// A pip install of `inputs` into `env_dir` for the app in `app_dir`, with pip and without
/// `/SYNC`, its fingerprint at `fingerprint_path`.
pub fn pip_request<'a>(
    env_dir: &'a Path,
    app_dir: &'a Path,
    inputs: &'a [InstallInput],
    fingerprint_path: &'a Path,
    environment: &'a Environment,
) -> PipRequest<'a> {
    PipRequest {
        env_dir,
        app_dir,
        inputs,
        installer: Installer::Pip,
        sync: false,
        fingerprint_path,
        environment,
    }
}

/// Plans `request`, applies the plan (which must succeed) and returns it.
pub fn plan_and_apply(request: &PipRequest) -> PipPlan {
    let plan = plan_pip(request).unwrap();
    apply_pip(&plan, request, &mut |_, _| {}).unwrap();
    plan
}
