//! `VENV INSTALL` with real pip (and uv when on PATH), offline from wheels the tests build:
//! skipped when nothing changed, run when any input (nested ones too) changed, and
//! `/SYNC` removing what is no longer listed.

use crate::common::python_env;
use crate::common::wheels;

use deploy_script::python::installer::{find_uv, Installer};
use deploy_script::python::marker::EnvMarker;
use deploy_script::python::pip::{apply_pip, plan_pip, PipPlan};
use deploy_script::python::requirements::{input_files, InstallInput};
use deploy_script::python::venv::{apply_venv, plan_venv, RemovalRequest, VenvRequest};
use python_env::{
    imported_version, interpreter, offline_environment, pip_request, plan_and_apply, site_with_env,
};

fn install(label: &str) -> PipPlan {
    PipPlan::Install {
        reason: label.to_string(),
    }
}

#[test]
fn pip_is_skipped_until_a_requirement_file_or_a_nested_one_changes() {
    let (site, env_dir) = site_with_env();
    let wheels = wheels::WheelHouse::new();
    for name in ["alpha", "beta", "gamma"] {
        wheels.add(name, "1.0", &[]);
    }
    let environment = offline_environment(wheels.path());
    let state = tempfile::tempdir().unwrap();
    let fingerprint = state.path().join("pip-env.json");
    std::fs::create_dir(site.path().join("reqs")).unwrap();
    std::fs::write(
        site.path().join("requirements.txt"),
        "-r reqs/base.txt\nalpha\n",
    )
    .unwrap();
    std::fs::write(site.path().join("reqs/base.txt"), "beta  # shared\n").unwrap();
    let inputs = InstallInput::parse_args(&[], site.path()).unwrap();
    let request = pip_request(&env_dir, site.path(), &inputs, &fingerprint, &environment);

    assert_eq!(
        plan_and_apply(&request),
        install("no record of a successful install into this env")
    );
    assert_eq!(
        imported_version(&env_dir, "beta", &environment).as_deref(),
        Some("1.0")
    );
    assert_eq!(
        plan_pip(&request).unwrap(),
        PipPlan::Skip {
            reason: "requirements unchanged since the last successful install (2 input files)"
                .into()
        }
    );

    std::fs::write(site.path().join("reqs/base.txt"), "beta\ngamma\n").unwrap();
    assert_eq!(plan_and_apply(&request), install("`reqs/base.txt` changed"));
    assert_eq!(
        imported_version(&env_dir, "gamma", &environment).as_deref(),
        Some("1.0")
    );
    assert!(matches!(plan_pip(&request).unwrap(), PipPlan::Skip { .. }));

    std::fs::write(
        site.path().join("requirements.txt"),
        "-r reqs/base.txt\nalpha==1.0\n",
    )
    .unwrap();
    assert_eq!(
        plan_and_apply(&request),
        install("`requirements.txt` changed")
    );

    let mut marker = EnvMarker::read(&env_dir).unwrap().unwrap();
    marker.build_id = "a later build".into();
    marker.write(&env_dir).unwrap();
    assert_eq!(
        plan_pip(&request).unwrap(),
        install("the env was built since the last install")
    );
}

#[test]
fn a_dropped_package_stays_after_a_plain_install_and_goes_with_sync_or_a_rebuild() {
    let (site, env_dir) = site_with_env();
    let wheels = wheels::WheelHouse::new();
    wheels.add("alpha", "1.0", &["delta>=1"]);
    wheels.add("beta", "1.0", &[]);
    wheels.add("delta", "1.0", &[]);
    let environment = offline_environment(wheels.path());
    let state = tempfile::tempdir().unwrap();
    let fingerprint = state.path().join("pip-env.json");
    let requirements = site.path().join("requirements.txt");
    std::fs::write(&requirements, "alpha\nbeta\n").unwrap();
    let inputs = [InstallInput::RequirementFile(requirements.clone())];
    let mut request = pip_request(&env_dir, site.path(), &inputs, &fingerprint, &environment);
    plan_and_apply(&request);

    std::fs::write(&requirements, "alpha\n").unwrap();
    assert_eq!(
        plan_and_apply(&request),
        install("`requirements.txt` changed")
    );
    assert_eq!(
        imported_version(&env_dir, "beta", &environment).as_deref(),
        Some("1.0"),
        "pip never removes"
    );

    request.sync = true;
    let plan = plan_pip(&request).unwrap();
    assert_eq!(plan, install("/SYNC asked for, not done before"));
    let applied = apply_pip(&plan, &request, &mut |_, _| {}).unwrap();
    assert_eq!(applied.removed, ["beta"]);
    assert_eq!(imported_version(&env_dir, "beta", &environment), None);
    assert_eq!(
        imported_version(&env_dir, "delta", &environment).as_deref(),
        Some("1.0"),
        "a dependency stays"
    );
    assert_eq!(
        imported_version(&env_dir, "alpha", &environment).as_deref(),
        Some("1.0")
    );

    // The same drop without /SYNC, fixed by a forced rebuild instead.
    request.sync = false;
    std::fs::write(&requirements, "alpha\nbeta\n").unwrap();
    plan_and_apply(&request);
    std::fs::write(&requirements, "alpha\n").unwrap();
    let py311 = interpreter("3.11");
    let venv = VenvRequest {
        env_dir: &env_dir,
        target: site.path(),
        interpreter: &py311,
        installer: Installer::Pip,
        removal: Some(RemovalRequest {
            reason: "removal forced by VENV REMOVE /IFCHANGED requirements.txt (deploy.cmd:9)"
                .into(),
        }),
        shipped: false,
        environment: &environment,
        seed_cache: None,
    };
    let applied = apply_venv(&plan_venv(&venv), &venv, &mut |_, _| {}).unwrap();
    assert_eq!(
        plan_and_apply(&request),
        install("the env was built since the last install")
    );
    applied.swap.unwrap().commit().unwrap();
    assert_eq!(imported_version(&env_dir, "beta", &environment), None);
    assert_eq!(
        imported_version(&env_dir, "alpha", &environment).as_deref(),
        Some("1.0")
    );
}

#[test]
fn the_project_input_is_pyproject_and_uv_lock() {
    let (site, env_dir) = site_with_env();
    let environment = offline_environment(site.path());
    let state = tempfile::tempdir().unwrap();
    let fingerprint = state.path().join("pip-env.json");
    std::fs::write(
        site.path().join("pyproject.toml"),
        "[project]\nname = \"app\"\nversion = \"1\"\n",
    )
    .unwrap();
    let inputs = InstallInput::parse_args(&[".".to_string()], site.path()).unwrap();
    assert_eq!(
        input_files(&inputs).unwrap(),
        [site.path().join("pyproject.toml")]
    );
    std::fs::write(site.path().join("uv.lock"), "version = 1\n").unwrap();
    assert_eq!(
        input_files(&inputs).unwrap(),
        [
            site.path().join("pyproject.toml"),
            site.path().join("uv.lock")
        ]
    );

    let request = pip_request(&env_dir, site.path(), &inputs, &fingerprint, &environment);
    // Stands in for a successful install: building `.` needs a build backend from an index.
    request.fingerprint().unwrap().write(&fingerprint).unwrap();
    assert!(matches!(plan_pip(&request).unwrap(), PipPlan::Skip { .. }));
    std::fs::write(site.path().join("uv.lock"), "version = 2\n").unwrap();
    assert_eq!(plan_pip(&request).unwrap(), install("`uv.lock` changed"));

    let missing = tempfile::tempdir().unwrap();
    let inputs = InstallInput::parse_args(&[".".to_string()], missing.path()).unwrap();
    assert_eq!(
        input_files(&inputs).unwrap_err().to_string(),
        format!(
            "`VENV INSTALL .` needs `{}`; add a pyproject.toml or install with `-r requirements.txt`",
            missing.path().join("pyproject.toml").display()
        )
    );
}

#[test]
fn uv_builds_installs_and_syncs_when_it_is_on_path() {
    let wheels = wheels::WheelHouse::new();
    wheels.add("alpha", "1.0", &[]);
    wheels.add("beta", "1.0", &[]);
    let environment = offline_environment(wheels.path());
    if find_uv(&environment).is_none() {
        eprintln!("skipped: `uv` is not on PATH (CI installs it; install uv to run this test)");
        return;
    }
    let site = tempfile::tempdir().unwrap();
    let env_dir = site.path().join("env");
    let py312 = interpreter("3.12");
    let venv = VenvRequest {
        env_dir: &env_dir,
        target: site.path(),
        interpreter: &py312,
        installer: Installer::Uv,
        removal: None,
        shipped: false,
        environment: &environment,
        seed_cache: None,
    };
    apply_venv(&plan_venv(&venv), &venv, &mut |_, _| {})
        .unwrap()
        .swap
        .unwrap()
        .commit()
        .unwrap();
    assert!(env_dir.join("pyvenv.cfg").is_file());

    let state = tempfile::tempdir().unwrap();
    let fingerprint = state.path().join("pip-env.json");
    let requirements = site.path().join("requirements.txt");
    std::fs::write(&requirements, "alpha\nbeta\n").unwrap();
    let inputs = [InstallInput::RequirementFile(requirements.clone())];
    let mut request = pip_request(&env_dir, site.path(), &inputs, &fingerprint, &environment);
    assert_eq!(
        apply_pip(&plan_pip(&request).unwrap(), &request, &mut |_, _| {}).unwrap_err().to_string(),
        format!(
            "the env `{}` has no pip (envs built by uv have none); use `VENV INSTALL ... /INSTALLER uv` or build the env with `VENV ENSURE /INSTALLER pip`",
            env_dir.display()
        )
    );
    request.installer = Installer::Uv;
    plan_and_apply(&request);
    assert_eq!(
        imported_version(&env_dir, "beta", &environment).as_deref(),
        Some("1.0")
    );
    assert!(matches!(plan_pip(&request).unwrap(), PipPlan::Skip { .. }));

    std::fs::write(&requirements, "alpha\n").unwrap();
    request.sync = true;
    let plan = plan_pip(&request).unwrap();
    let applied = apply_pip(&plan, &request, &mut |_, _| {}).unwrap();
    assert_eq!(applied.removed, ["beta"]);
    assert_eq!(imported_version(&env_dir, "beta", &environment), None);
    assert_eq!(
        imported_version(&env_dir, "alpha", &environment).as_deref(),
        Some("1.0")
    );
}
