//! `VENV INSTALL` with real pip (and uv when on PATH), offline from wheels the tests build:
//! skipped when nothing changed, run when any input (nested ones too) changed, `/SYNC`
//! removing what is no longer listed before it installs (and failing when the env is left
//! broken), and `.` installed editable so that a code-only change is what the env imports.

use crate::common::python_env;
use crate::common::stand_ins::PSYCOPG2_VERSION;
use crate::common::test::Test;
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
        seed_cache: &[],
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
    // A fingerprint from before `.` was installed editable: its copy is replaced once.
    let stored = std::fs::read_to_string(&fingerprint).unwrap();
    let mut older: serde_json::Value = serde_json::from_str(&stored).unwrap();
    assert_eq!(older["editable"], true);
    older.as_object_mut().unwrap().remove("editable");
    std::fs::write(&fingerprint, older.to_string()).unwrap();
    assert_eq!(
        plan_pip(&request).unwrap(),
        install("the app was installed as a copy; it is now installed editable")
    );
    request.fingerprint().unwrap().write(&fingerprint).unwrap();
    std::fs::write(site.path().join("uv.lock"), "version = 2\n").unwrap();
    assert_eq!(plan_pip(&request).unwrap(), install("`uv.lock` changed"));

    let missing = tempfile::tempdir().unwrap();
    let inputs = InstallInput::parse_args(&[".".to_string()], missing.path()).unwrap();
    assert_eq!(
        input_files(&inputs).unwrap_err().to_string(),
        format!(
            "`VENV INSTALL .` needs a `pyproject.toml` or `setup.py` in `{}`; add one or install with `-r requirements.txt`",
            missing.path().display()
        )
    );
    // A setup.cfg alone declares no project; with a setup.py, both are its inputs.
    std::fs::write(missing.path().join("setup.cfg"), "[metadata]\nname = app\n").unwrap();
    assert!(input_files(&inputs).is_err());
    std::fs::write(
        missing.path().join("setup.py"),
        "from setuptools import setup\nsetup()\n",
    )
    .unwrap();
    assert_eq!(
        input_files(&inputs).unwrap(),
        [
            missing.path().join("setup.py"),
            missing.path().join("setup.cfg")
        ]
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
        seed_cache: &[],
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

/// A script that installs requirements.txt with `/SYNC` into the env it reuses.
const SYNC_SCRIPT: &str = "\
@echo off
SYNC /QUIET
PYTHON SELECT
VENV ENSURE
VENV INSTALL -r requirements.txt /SYNC
";

/// The psycopg2 -> psycopg2-binary switch of issue 13: both ship the module `psycopg2`.
/// `/SYNC` uninstalls psycopg2 before it installs psycopg2-binary, so the shared files are
/// psycopg2-binary's and stay; installing first and uninstalling after deleted them.
#[test]
fn sync_replacing_psycopg2_with_psycopg2_binary_keeps_the_shared_module_importable() {
    let test = Test::new()
        .wheels(&["psycopg2", "psycopg2-binary"])
        .app_file("requirements.txt", "psycopg2\n")
        .script("deploy.cmd", SYNC_SCRIPT);
    let first = test.deploy(&[]);
    first.expect(0);
    assert_eq!(
        first.outcome("VENV INSTALL"),
        "VENV INSTALL -r requirements.txt /SYNC: done (no record of a successful install into this env)"
    );
    assert_eq!(
        test.import_version("psycopg2").as_deref(),
        Some(PSYCOPG2_VERSION)
    );
    let build = test.build_id();
    let psycopg2_distributions = "from importlib import metadata; \
        print(sorted(d.metadata['Name'] for d in metadata.distributions() \
        if d.metadata['Name'].startswith('psycopg2')))";

    test.write("requirements.txt", "psycopg2-binary\n");
    let switched = test.deploy(&[]);
    switched.expect(0);
    assert_eq!(
        switched.outcome("VENV INSTALL"),
        "VENV INSTALL -r requirements.txt /SYNC: done (`requirements.txt` changed; removed 1: psycopg2)"
    );
    assert_eq!(
        test.site_python("import psycopg2.extensions; print(psycopg2.VERSION)"),
        Ok(PSYCOPG2_VERSION.to_string())
    );
    assert_eq!(
        test.site_python(psycopg2_distributions),
        Ok("['psycopg2-binary']".to_string())
    );
    assert_eq!(test.build_id(), build, "changed in place, not rebuilt");

    let again = test.deploy(&[]);
    again.expect(0);
    assert_eq!(
        again.outcome("VENV INSTALL"),
        "VENV INSTALL -r requirements.txt /SYNC: skipped (requirements unchanged since the last successful install (1 input file))"
    );
    assert_eq!(
        test.site_python("import psycopg2.extensions; print(psycopg2.VERSION)"),
        Ok(PSYCOPG2_VERSION.to_string())
    );
}

/// What `/SYNC` removes after installing (a dependency the new version of a package no
/// longer needs) can still share files with a package that stays: the check after the
/// install catches it, the step fails and no fingerprint is stored, so the next deploy
/// does not skip the install.
#[test]
fn a_sync_that_leaves_a_package_broken_fails_and_stores_no_fingerprint() {
    let (site, env_dir) = site_with_env();
    let house = wheels::WheelHouse::new();
    let module = |path: &str| (path.to_string(), "VERSION = \"1.0\"\n".to_string());
    wheels::build_wheel(
        house.path(),
        "alpha",
        "1.0",
        &["orphan"],
        &[module("alpha/__init__.py")],
    );
    wheels::build_wheel(
        house.path(),
        "alpha",
        "2.0",
        &[],
        &[module("alpha/__init__.py")],
    );
    wheels::build_wheel(
        house.path(),
        "orphan",
        "1.0",
        &[],
        &[module("orphan/__init__.py"), module("shared/__init__.py")],
    );
    wheels::build_wheel(
        house.path(),
        "keeper",
        "1.0",
        &[],
        &[module("shared/__init__.py")],
    );
    let environment = offline_environment(house.path());
    let state = tempfile::tempdir().unwrap();
    let fingerprint = state.path().join("pip-env.json");
    let requirements = site.path().join("requirements.txt");
    std::fs::write(&requirements, "alpha==1.0\n").unwrap();
    let inputs = [InstallInput::RequirementFile(requirements.clone())];
    let mut request = pip_request(&env_dir, site.path(), &inputs, &fingerprint, &environment);
    request.sync = true;
    plan_and_apply(&request);
    assert_eq!(
        imported_version(&env_dir, "orphan", &environment).as_deref(),
        Some("1.0")
    );

    std::fs::write(&requirements, "alpha==2.0\nkeeper\n").unwrap();
    let plan = plan_pip(&request).unwrap();
    assert_eq!(plan, install("`requirements.txt` changed"));
    let error = apply_pip(&plan, &request, &mut |_, _| {})
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("the env is broken after installing: ")
            && error.contains("`keeper` is missing shared/__init__.py")
            && error.ends_with(
                "\n  help: deploy again with `VENV REMOVE` uncommented to rebuild the env"
            ),
        "{error}"
    );
    assert_eq!(
        plan_pip(&request).unwrap(),
        install("`requirements.txt` changed"),
        "the failed install is not recorded"
    );
}

/// `VENV INSTALL .` installs the app editable: the env points at the site's code, so
/// after a deploy that changed only code (the install skipped), importing the app from
/// outside the site folder loads the new code. A copy in site-packages would be stale.
#[test]
fn the_app_installed_with_dot_imports_the_new_code_after_a_code_only_change() {
    let test = Test::new()
        .wheels(&["flask", "setuptools"])
        .app_files(&[
            (
                "pyproject.toml",
                "[project]\nname = \"shop\"\nversion = \"0.1.0\"\ndependencies = [\"flask>=3.0\"]\n\n\
                 [build-system]\nrequires = [\"setuptools>=61\"]\nbuild-backend = \"setuptools.build_meta\"\n",
            ),
            ("src/shop/__init__.py", ""),
            ("src/shop/main.py", "VERSION = 1\n"),
        ])
        .script(
            "deploy.cmd",
            "@echo off\nSYNC /QUIET\nPYTHON SELECT\nVENV ENSURE\nVENV INSTALL .\n",
        );
    let outside = tempfile::tempdir().unwrap();
    let import_from_outside = || {
        let mut command = test.bare_command(test.env_dir().join("bin/python"));
        command
            .args([
                "-c",
                "import shop.main, flask; print(shop.main.VERSION, shop.main.__file__)",
            ])
            .current_dir(outside.path());
        let output = test.output(command);
        output.expect(0);
        test.redact(output.stdout.trim())
    };
    let first = test.deploy(&[]);
    first.expect(0);
    assert_eq!(
        first.outcome("VENV INSTALL"),
        "VENV INSTALL .: done (no record of a successful install into this env)"
    );
    assert_eq!(import_from_outside(), "1 [TMP]/site/src/shop/main.py");
    assert!(
        !test.site_packages().join("shop").exists(),
        "no copy of the app in site-packages"
    );

    test.write("src/shop/main.py", "VERSION = 2\n");
    let second = test.deploy(&[]);
    second.expect(0);
    assert_eq!(
        second.outcome("VENV INSTALL"),
        "VENV INSTALL .: skipped (requirements unchanged since the last successful install (1 input file))"
    );
    assert_eq!(import_from_outside(), "2 [TMP]/site/src/shop/main.py");
}
