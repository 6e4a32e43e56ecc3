//! `VENV ENSURE` with real interpreters and real `python -m venv`: reuse, each rebuild
//! reason, shipped envs, refusals, and the safe swap (rollback, crash recovery).

use crate::common::python_env;
use crate::common::wheels;

use deploy_script::process::Environment;
use deploy_script::python::discover::Interpreter;
use deploy_script::python::env_swap::{aside_path, EnvSwap};
use deploy_script::python::installer::Installer;
use deploy_script::python::marker::{kudu_marker_labels, EnvMarker, MARKER_FILE};
use deploy_script::python::pip::{apply_pip, plan_pip};
use deploy_script::python::requirements::InstallInput;
use deploy_script::python::venv::{apply_venv, plan_venv, RemovalRequest, VenvPlan, VenvRequest};
use python_env::{
    env_python_version, imported_version, interpreter, offline_environment, pip_request,
    plan_and_apply, site_with_env,
};
use std::path::{Path, PathBuf};

fn request<'a>(
    env_dir: &'a Path,
    target: &'a Path,
    interpreter: &'a Interpreter,
    environment: &'a Environment,
) -> VenvRequest<'a> {
    VenvRequest {
        env_dir,
        target,
        interpreter,
        installer: Installer::Pip,
        removal: None,
        shipped: false,
        environment,
        seed_cache: &[],
    }
}

fn rebuild(reason: &str) -> VenvPlan {
    VenvPlan::Rebuild {
        reason: reason.to_string(),
    }
}

#[test]
fn a_built_env_is_reused_then_rebuilt_when_the_python_version_changes() {
    let site = tempfile::tempdir().unwrap();
    let env_dir = site.path().join("env");
    let environment = offline_environment(site.path());
    let (py311, py312) = (interpreter("3.11"), interpreter("3.12"));

    let first = request(&env_dir, site.path(), &py311, &environment);
    let plan = plan_venv(&first);
    assert_eq!(plan, rebuild("no `env` yet"));
    let applied = apply_venv(&plan, &first, &mut |_, _| {}).unwrap();
    assert!(!applied.swap.as_ref().unwrap().has_old_env());
    applied.swap.unwrap().commit().unwrap();
    assert_eq!(
        plan_venv(&first),
        VenvPlan::Reuse {
            reason: format!(
                "Found compatible virtual environment (python {}, pip)",
                py311.version
            )
        }
    );
    assert_eq!(kudu_marker_labels(&env_dir), ["python-3.11"]);

    let second = request(&env_dir, site.path(), &py312, &environment);
    let plan = plan_venv(&second);
    assert_eq!(
        plan,
        rebuild(&format!("python {} -> {}", py311.version, py312.version))
    );
    let applied = apply_venv(&plan, &second, &mut |_, _| {}).unwrap();
    assert!(
        aside_path(&env_dir).is_dir(),
        "the old env waits aside until commit"
    );
    applied.swap.unwrap().commit().unwrap();
    assert!(!aside_path(&env_dir).exists());
    assert_eq!(
        env_python_version(&env_dir, &environment),
        py312.version.to_string()
    );
    assert_eq!(kudu_marker_labels(&env_dir), ["python-3.12"]);
    assert!(matches!(plan_venv(&second), VenvPlan::Reuse { .. }));
}

#[test]
fn a_broken_env_python_forces_a_rebuild() {
    let (site, env_dir) = site_with_env();
    let environment = offline_environment(site.path());
    let py311 = interpreter("3.11");
    std::fs::remove_file(env_dir.join("bin/python")).unwrap();
    std::os::unix::fs::symlink("/nonexistent/python3.11", env_dir.join("bin/python")).unwrap();
    let plan = plan_venv(&request(&env_dir, site.path(), &py311, &environment));
    assert_eq!(plan, rebuild("env/bin/python does not run"));
}

#[test]
fn a_removal_request_forces_a_rebuild_with_its_reason() {
    let (site, env_dir) = site_with_env();
    let environment = offline_environment(site.path());
    let py311 = interpreter("3.11");
    let mut forced = request(&env_dir, site.path(), &py311, &environment);
    forced.removal = Some(RemovalRequest {
        reason: "removal forced by VENV REMOVE /ONCE 2026-11-24 (deploy.cmd:14)".into(),
    });
    assert_eq!(
        plan_venv(&forced),
        rebuild("removal forced by VENV REMOVE /ONCE 2026-11-24 (deploy.cmd:14)")
    );
}

#[test]
fn markers_decide_compatibility_and_kudus_marker_is_honoured() {
    let (site, env_dir) = site_with_env();
    let environment = offline_environment(site.path());
    let py311 = interpreter("3.11");
    let plain = request(&env_dir, site.path(), &py311, &environment);

    let mut uv = plain.clone();
    uv.installer = Installer::Uv;
    assert_eq!(plan_venv(&uv), rebuild("installer pip -> uv"));

    std::fs::remove_file(env_dir.join(MARKER_FILE)).unwrap();
    let plan = plan_venv(&plain);
    assert_eq!(
        plan,
        VenvPlan::Reuse {
            reason:
                "Found compatible virtual environment (Kudu's marker azure.env.python-3.11.txt)"
                    .into()
        }
    );
    apply_venv(&plan, &plain, &mut |_, _| {}).unwrap();
    assert_eq!(
        EnvMarker::read(&env_dir).unwrap().unwrap().version,
        py311.version
    );

    std::fs::remove_file(env_dir.join(MARKER_FILE)).unwrap();
    std::fs::rename(
        env_dir.join("azure.env.python-3.11.txt"),
        env_dir.join("azure.env.python-3.10.txt"),
    )
    .unwrap();
    assert_eq!(
        plan_venv(&plain),
        rebuild("kudu marker python-3.10 -> python-3.11")
    );

    std::fs::remove_file(env_dir.join("azure.env.python-3.10.txt")).unwrap();
    assert_eq!(plan_venv(&plain), rebuild("no marker"));
}

#[test]
fn a_shipped_env_is_used_as_it_is_unless_it_was_made_on_windows() {
    let (site, env_dir) = site_with_env();
    let environment = offline_environment(site.path());
    let py312 = interpreter("3.12");
    let mut shipped = request(&env_dir, site.path(), &py312, &environment);
    shipped.shipped = true;
    assert_eq!(
        plan_venv(&shipped),
        VenvPlan::UseShipped {
            reason: "the repository ships `env/` (pyvenv.cfg): using it, building nothing".into()
        }
    );
    shipped.removal = Some(RemovalRequest {
        reason: "removal forced by --reset-env".into(),
    });
    assert_eq!(
        plan_venv(&shipped),
        VenvPlan::UseShipped {
            reason: "the repository ships `env/` (pyvenv.cfg): using it, building nothing (removal forced by --reset-env does not apply to a shipped env)".into()
        }
    );

    let windows = tempfile::tempdir().unwrap();
    let windows_env = windows.path().join("env");
    std::fs::create_dir_all(windows_env.join("Scripts")).unwrap();
    std::fs::write(windows_env.join("Scripts/python.exe"), b"MZ").unwrap();
    std::fs::write(windows_env.join("pyvenv.cfg"), b"home = C:\\Python311\n").unwrap();
    let mut shipped_windows = request(&windows_env, windows.path(), &py312, &environment);
    shipped_windows.shipped = true;
    assert_eq!(
        plan_venv(&shipped_windows),
        VenvPlan::Unusable {
            reason: "the repository ships `env/` made on Windows (`Scripts\\python.exe`, no `bin/`), which cannot run on Linux; remove `env/` from the repository (and add it to .gitignore) so the deploy builds one, or commit an env made on Linux".into()
        }
    );
    shipped_windows.shipped = false;
    assert_eq!(
        plan_venv(&shipped_windows),
        rebuild("`env` was made on Windows (`Scripts\\python.exe`, no `bin/`)")
    );
}

#[test]
fn folders_that_are_not_envs_or_lie_outside_the_target_are_never_removed() {
    let site = tempfile::tempdir().unwrap();
    let environment = offline_environment(site.path());
    let py311 = interpreter("3.11");
    let not_env = site.path().join("env");
    std::fs::create_dir(&not_env).unwrap();
    std::fs::write(not_env.join("precious.txt"), b"keep me").unwrap();
    let plan = plan_venv(&request(&not_env, site.path(), &py311, &environment));
    assert_eq!(
        plan,
        VenvPlan::Unusable {
            reason: format!(
                "`env` is not a virtual environment (no pyvenv.cfg), but refusing to remove `{}`: it is not a virtual environment (no `pyvenv.cfg`); move it away or name another folder",
                not_env.display()
            )
        }
    );
    assert!(apply_venv(
        &plan,
        &request(&not_env, site.path(), &py311, &environment),
        &mut |_, _| {}
    )
    .is_err());
    assert!(not_env.join("precious.txt").is_file());

    let (elsewhere, env_dir) = site_with_env();
    let mut forced = request(&env_dir, site.path(), &py311, &environment);
    forced.removal = Some(RemovalRequest {
        reason: "removal forced by --reset-env".into(),
    });
    assert_eq!(
        plan_venv(&forced),
        VenvPlan::Unusable {
            reason: format!(
                "removal forced by --reset-env, but refusing to remove `{}`: it lies outside the target `{}`",
                env_dir.display(),
                site.path().display()
            )
        }
    );
    drop(elsewhere);
}

#[test]
fn a_failed_rebuild_puts_the_old_env_back_and_it_still_imports_its_package() {
    let (site, env_dir) = site_with_env();
    let wheels = wheels::WheelHouse::new();
    wheels.add("alpha", "1.0", &[]);
    let environment = offline_environment(wheels.path());
    let py311 = interpreter("3.11");
    let state = tempfile::tempdir().unwrap();
    let fingerprint = state.path().join("pip.json");
    std::fs::write(site.path().join("requirements.txt"), "alpha\n").unwrap();
    let inputs = [InstallInput::RequirementFile(
        site.path().join("requirements.txt"),
    )];
    let pip = pip_request(&env_dir, site.path(), &inputs, &fingerprint, &environment);
    plan_and_apply(&pip);
    assert_eq!(
        imported_version(&env_dir, "alpha", &environment).as_deref(),
        Some("1.0")
    );

    std::fs::write(
        site.path().join("requirements.txt"),
        "alpha\nmissing-package==9.9\n",
    )
    .unwrap();
    let mut forced = request(&env_dir, site.path(), &py311, &environment);
    forced.removal = Some(RemovalRequest {
        reason: "removal forced by VENV REMOVE (deploy.cmd:3)".into(),
    });
    let applied = apply_venv(&plan_venv(&forced), &forced, &mut |_, _| {}).unwrap();
    assert_eq!(
        imported_version(&env_dir, "alpha", &environment),
        None,
        "the new env starts empty"
    );
    let mut output = Vec::new();
    let error = apply_pip(&plan_pip(&pip).unwrap(), &pip, &mut |_, line| {
        output.push(line.to_string())
    })
    .unwrap_err()
    .to_string();
    assert!(
        error.starts_with(&format!("`{}", env_dir.join("bin/python").display())),
        "{error}"
    );
    assert!(error.ends_with("failed with exit code 1"), "{error}");
    assert!(
        output.iter().any(|line| line.contains("missing-package")),
        "{output:?}"
    );
    applied.swap.unwrap().rollback().unwrap();

    assert_eq!(
        imported_version(&env_dir, "alpha", &environment).as_deref(),
        Some("1.0")
    );
    assert!(!aside_path(&env_dir).exists());
    assert!(matches!(
        plan_venv(&request(&env_dir, site.path(), &py311, &environment)),
        VenvPlan::Reuse { .. }
    ));
}

#[test]
fn a_failed_env_build_restores_the_old_env_before_returning() {
    let (site, env_dir) = site_with_env();
    let environment = offline_environment(site.path());
    let mut broken = interpreter("3.11");
    broken.executable = PathBuf::from("/bin/false");
    let mut forced = request(&env_dir, site.path(), &broken, &environment);
    forced.removal = Some(RemovalRequest {
        reason: "removal forced by DEPLOY_RESET_ENV=1".into(),
    });
    let error = apply_venv(&plan_venv(&forced), &forced, &mut |_, _| {})
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        format!(
            "`/bin/false -m venv --without-pip {}` failed with exit code 1",
            env_dir.display()
        )
    );
    assert!(env_dir.join("bin/python").exists());
    assert!(!aside_path(&env_dir).exists());
}

#[test]
fn recover_restores_an_env_left_aside_by_a_crash() {
    let (site, env_dir) = site_with_env();
    let environment = offline_environment(site.path());
    assert!(matches!(EnvSwap::recover(&env_dir), Ok(None)));
    let swap = EnvSwap::begin(&env_dir, site.path()).unwrap();
    // A half-built env, then the process dies: no commit, no rollback, no Drop.
    std::fs::create_dir_all(env_dir.join("lib")).unwrap();
    std::fs::write(env_dir.join("pyvenv.cfg"), b"home = /half/built\n").unwrap();
    std::mem::forget(swap);

    let message = EnvSwap::recover(&env_dir).unwrap();
    assert_eq!(
        message,
        Some(format!(
            "restored the virtual environment `{}` left aside by an interrupted deploy",
            env_dir.display()
        ))
    );
    assert!(!aside_path(&env_dir).exists());
    let py311 = interpreter("3.11");
    assert!(matches!(
        plan_venv(&request(&env_dir, site.path(), &py311, &environment)),
        VenvPlan::Reuse { .. }
    ));

    let dropped = EnvSwap::begin(&env_dir, site.path()).unwrap();
    drop(dropped);
    assert!(
        env_dir.join("pyvenv.cfg").is_file(),
        "dropping an unfinished swap rolls back"
    );
}
