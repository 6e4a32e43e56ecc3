//! gen-deploy and run-deploy together, with the real binaries, a real env and wheels built
//! by the test: a generated script deploys, a second gen-deploy refuses to overwrite it,
//! `--force` keeps the first as a backup; and an app without any script deploys with the
//! default script run from memory, which behaves as the one `gen-deploy --stdout` prints.

use crate::common::stand_ins;

use crate::common::test::{read, Test};

/// A fixture whose module is a package (`web/`) and whose requirement asks for an extra
/// (`Flask[async]>=3`); it names no Python version, so any machine can deploy it.
const APP: &str = "flask-in-package";

#[test]
fn generate_deploy_generate_again_refuses_then_force_keeps_a_backup() {
    let site = Test::fixture(APP);
    let first = site.gen(&[]);
    first.assert(
        0,
        "wrote deploy.cmd\nwrote .deployment\nFlask app; Python newest installed (no version file); `gen-deploy --explain` says why\n",
        "",
    );
    let first_script = read(&site.app, "deploy.cmd");
    let first_deployment = read(&site.app, ".deployment");
    assert_eq!(first_deployment, "[config]\ncommand = deploy.cmd\n");

    let deployed = site.deploy(&[]);
    deployed.assert_success();
    assert_eq!(
        deployed.steps(),
        [
            "[1/4] SYNC /IGNORE .git;.hg;.deployment;deploy.cmd: done (3 copied, 0 deleted)",
            deployed.step("PYTHON SELECT").as_str(),
            "[3/4] VENV ENSURE: rebuilt (no `env` yet)",
            "[4/4] VENV INSTALL -r requirements.txt: done (no record of a successful install into this env)",
        ]
    );
    let python = deployed.step("PYTHON SELECT");
    assert!(
        python.ends_with("(no version asked for, newest found))"),
        "{python}"
    );
    assert_eq!(
        site.site_python("import web, flask; print(web.app.import_name, flask.VERSION)"),
        Ok(format!("web {}", stand_ins::version_of("flask")))
    );

    let again = site.gen(&[]);
    again.assert(
        1,
        "",
        "error: `deploy.cmd` and `.deployment` already exist in `flask-in-package`; pass `--force` to replace them (each old file is kept as `<name>.bak`), or `--stdout` to print the script instead\n",
    );
    assert_eq!(read(&site.app, "deploy.cmd"), first_script);
    assert!(!site.app.join("deploy.cmd.bak").exists());

    let forced = site.gen(&["--force"]);
    forced.assert(
        0,
        "wrote deploy.cmd\n  kept the old one as deploy.cmd.bak\nwrote .deployment\n  kept the old one as .deployment.bak\nFlask app; Python newest installed (no version file); `gen-deploy --explain` says why\n",
        "",
    );
    assert_eq!(read(&site.app, "deploy.cmd.bak"), first_script);
    assert_eq!(read(&site.app, ".deployment.bak"), first_deployment);
    assert_eq!(
        read(&site.app, "deploy.cmd"),
        site.gen(&["--stdout"]).stdout
    );

    // The new script deploys over the first deploy, keeping its env. The backups are
    // ordinary files of the app, so SYNC copies them into the site like any other.
    let redeployed = site.deploy(&[]);
    redeployed.assert_success();
    assert_eq!(
        redeployed.step("SYNC"),
        "[1/4] SYNC /IGNORE .git;.hg;.deployment;deploy.cmd: done (2 copied, 0 deleted)"
    );
    assert!(redeployed.step("VENV ENSURE").contains(": reused ("));
    assert_eq!(read(&site.site, "deploy.cmd.bak"), first_script);
}

#[test]
fn an_app_without_a_script_deploys_with_the_default_one_from_memory() {
    let in_memory = Test::sample("flask-app");
    for file in ["deploy.cmd", ".deployment"] {
        std::fs::remove_file(in_memory.app.join(file)).unwrap();
    }
    let deployed = in_memory.deploy(&[]);
    deployed.assert_success();
    let app = in_memory.app.clone();
    let opening: Vec<&str> = deployed.stderr.lines().take(2).collect();
    assert_eq!(
        opening,
        [
            "run-deploy: no deploy.cmd in the source: running the default script (see it with `gen-deploy --stdout`)".to_string(),
            format!(
                "run-deploy: running {} (built-in (gen-deploy)): {} -> {}",
                app.join("deploy.cmd").display(),
                app.display(),
                in_memory.site.display()
            ),
        ]
    );
    assert!(!app.join("deploy.cmd").exists(), "nothing was written");
    assert_eq!(
        in_memory.site_python("import app, flask, gunicorn; print(sorted(app.app.views))"),
        Ok("['/']".to_string())
    );

    // The same app with the script `gen-deploy --stdout` prints, written as deploy.cmd.
    let written = Test::sample("flask-app");
    std::fs::remove_file(written.app.join(".deployment")).unwrap();
    std::fs::remove_file(written.app.join("deploy.cmd")).unwrap();
    let printed = written.gen(&["--stdout"]);
    assert_eq!(printed.code, 0, "{}", printed.stderr);
    std::fs::write(written.app.join("deploy.cmd"), &printed.stdout).unwrap();
    let from_file = written.deploy(&[]);
    from_file.assert_success();

    assert_eq!(deployed.steps(), from_file.steps());
    assert_eq!(
        in_memory.redact(&deployed.stdout),
        written.redact(&from_file.stdout)
    );
}

/// `run-deploy --check` in an app without a script checks the script a deploy would run
/// (the default one, in memory) instead of failing to read a deploy.cmd that is not there;
/// a named script that is missing exits 66, as a deploy does.
#[test]
fn check_in_an_app_without_a_script_checks_the_default_one() {
    let site = Test::sample("django-app");
    for file in ["deploy.cmd", ".deployment"] {
        std::fs::remove_file(site.app.join(file)).unwrap();
    }
    let check = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_run-deploy"))
            .args(args)
            .current_dir(&site.app)
            .env_remove("COMMAND")
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    let app = site.app.clone();
    assert_eq!(
        check(&["--check", "--deny-warnings"]),
        (
            Some(0),
            format!(
                "note: `%DEPLOYMENT_TARGET%\\.skipPythonDeployment` is read as `%DEPLOYMENT_TARGET%/.skipPythonDeployment`\n  --> {script}:13:11\n   |\n13 | IF EXIST \"%DEPLOYMENT_TARGET%\\.skipPythonDeployment\" goto end\n   |           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n\n{script}: ok (1 note)\n",
                script = app.join("deploy.cmd").display()
            ),
            "run-deploy: no deploy.cmd in the source: checking the default script (see it with `gen-deploy --stdout`)\n".to_string()
        )
    );
    assert!(!app.join("deploy.cmd").exists(), "nothing was written");
    assert_eq!(
        check(&["--check", "missing.cmd"]),
        (
            Some(66),
            String::new(),
            "run-deploy: error: there is no script `missing.cmd` (chosen by command line); name one, or run in the folder that holds it\n".to_string()
        )
    );
}
