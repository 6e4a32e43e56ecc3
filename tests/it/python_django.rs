//! `DJANGO COLLECTSTATIC` in a real env: when it runs, when it is skipped and why, and what
//! a failing manage.py reports. Django here is a wheel the test builds (module `django`).

use crate::common::python_env;
use crate::common::wheels;

use deploy_script::process::StreamKind;
use deploy_script::python::django::{apply_collectstatic, plan_collectstatic, CollectstaticPlan};
use deploy_script::python::requirements::InstallInput;
use python_env::{offline_environment, pip_request, plan_and_apply, site_with_env};

const MANAGE_PY: &str = r#"import os, sys
import django
if sys.argv[1:] != ["collectstatic", "--noinput"]:
    sys.exit("unexpected arguments: %r" % sys.argv[1:])
if os.path.exists("fail-collectstatic"):
    sys.exit("CommandError: STATIC_ROOT is not set")
os.makedirs("static", exist_ok=True)
with open(os.path.join("static", "collected.txt"), "w") as out:
    out.write("django " + django.VERSION)
print("1 static file copied to 'static'.")
"#;

fn skip(reason: &str) -> CollectstaticPlan {
    CollectstaticPlan::Skip {
        reason: reason.to_string(),
    }
}

#[test]
fn collectstatic_runs_only_with_manage_py_and_django_and_no_opt_out() {
    let (site, env_dir) = site_with_env();
    let app = site.path();
    let wheels = wheels::WheelHouse::new();
    wheels.add("Django", "1.0", &[]);
    let mut environment = offline_environment(wheels.path());

    assert_eq!(
        plan_collectstatic(app, &env_dir, &environment),
        skip("no manage.py")
    );
    std::fs::write(app.join("manage.py"), MANAGE_PY).unwrap();
    assert_eq!(
        plan_collectstatic(app, &env_dir, &environment),
        skip("django is not installed in the env")
    );

    std::fs::write(app.join("requirements.txt"), "Django\n").unwrap();
    let state = tempfile::tempdir().unwrap();
    let fingerprint = state.path().join("pip.json");
    let inputs = [InstallInput::RequirementFile(app.join("requirements.txt"))];
    plan_and_apply(&pip_request(
        &env_dir,
        app,
        &inputs,
        &fingerprint,
        &environment,
    ));

    let plan = plan_collectstatic(app, &env_dir, &environment);
    assert_eq!(
        plan,
        CollectstaticPlan::Run {
            reason: "manage.py and django found".into()
        }
    );
    let mut lines = Vec::new();
    apply_collectstatic(&plan, app, &env_dir, &environment, &mut |kind, line| {
        lines.push((kind, line.to_string()))
    })
    .unwrap();
    assert_eq!(
        lines,
        [(
            StreamKind::Stdout,
            "1 static file copied to 'static'.".to_string()
        )]
    );
    assert_eq!(
        std::fs::read_to_string(app.join("static/collected.txt")).unwrap(),
        "django 1.0"
    );

    environment.insert("DISABLE_COLLECTSTATIC".into(), "true".into());
    assert_eq!(
        plan_collectstatic(app, &env_dir, &environment),
        skip("DISABLE_COLLECTSTATIC is set")
    );
    environment.insert("DISABLE_COLLECTSTATIC".into(), "0".into());
    assert_eq!(plan, plan_collectstatic(app, &env_dir, &environment));
    std::fs::write(app.join(".skipDjango"), "").unwrap();
    assert_eq!(
        plan_collectstatic(app, &env_dir, &environment),
        skip(".skipDjango is present")
    );
    std::fs::remove_file(app.join(".skipDjango")).unwrap();

    std::fs::write(app.join("fail-collectstatic"), "").unwrap();
    let mut lines = Vec::new();
    let error = apply_collectstatic(&plan, app, &env_dir, &environment, &mut |kind, line| {
        lines.push((kind, line.to_string()))
    })
    .unwrap_err()
    .to_string();
    assert_eq!(
        error,
        "`manage.py collectstatic --noinput` failed with exit code 1; fix the error above or add `/IGNOREERRORS`"
    );
    assert_eq!(
        lines,
        [(
            StreamKind::Stderr,
            "CommandError: STATIC_ROOT is not set".to_string()
        )]
    );
}
