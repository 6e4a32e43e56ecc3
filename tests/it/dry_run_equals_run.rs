//! Dry run equals run: for each kind of change a user makes between two deploys,
//! `run-deploy --dry-run --json` decides, step by step, exactly what the real run that
//! follows decides (the `decision` and `reason` of each `step_finished` event). Real
//! binaries, real Python, venv and pip, offline wheels. Also one test per bug the plan ->
//! apply reshaping fixed.

use crate::common::test::{write, Test};
use std::path::Path;

/// One step's decision as a `step_finished` event tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Decided {
    step: String,
    decision: Option<String>,
    reason: Option<String>,
}

/// The `step_finished` events of a `--json` run, with their outcomes.
fn steps(stdout: &str) -> Vec<(Decided, String)> {
    stdout
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).expect("a JSON line"))
        .filter(|event| event["event"] == "step_finished")
        .map(|event| {
            let text = |name: &str| event[name].as_str().map(str::to_string);
            (
                Decided {
                    step: text("step").unwrap(),
                    decision: text("decision"),
                    reason: text("reason"),
                },
                text("outcome").unwrap(),
            )
        })
        .collect()
}

/// Runs `--dry-run --json`, then the real run with `--json`, both with `args`; asserts
/// that every step decided the same, that the dry run planned and the real run did what
/// each decision means; returns the decisions and the real run's exit code.
fn dry_run_then_run(app: &Test, args: &[&str], envs: &[(&str, &str)]) -> (Vec<Decided>, i32) {
    let run = |extra: &[&str]| app.deploy_with(&[args, extra].concat(), envs);
    let dry = run(&["--dry-run", "--json"]);
    let real = run(&["--json"]);
    let planned = steps(&dry.stdout);
    let done = steps(&real.stdout);
    let decisions = |steps: &[(Decided, String)]| -> Vec<Decided> {
        steps.iter().map(|(decided, _)| decided.clone()).collect()
    };
    assert_eq!(
        decisions(&planned),
        decisions(&done),
        "dry run:\n{dry}\nreal run:\n{real}"
    );
    assert_eq!(dry.code, real.code, "dry run:\n{dry}\nreal run:\n{real}");
    for (decided, outcome) in &planned {
        let expected = if decided.decision.is_some() {
            "planned"
        } else {
            "failed"
        };
        assert_eq!(outcome, expected, "{decided:?}\n{dry}");
    }
    for (decided, outcome) in &done {
        let expected = match decided.decision.as_deref() {
            Some("copy" | "select" | "remove" | "install" | "run") => "done",
            Some("no_change" | "keep" | "skip") => "skipped",
            Some("reuse" | "use_shipped") => "reused",
            Some("rebuild") => "rebuilt",
            Some(other) => panic!("an unknown decision `{other}`"),
            None => "failed",
        };
        assert_eq!(outcome, expected, "{decided:?}\n{real}");
    }
    (decisions(&done), real.code)
}

/// The flask sample, deployed once.
fn deployed_flask() -> Test {
    let app = Test::sample("flask-app");
    app.run().expect(0);
    app
}

/// The decision and reason of the step whose text starts with `step`.
fn decision_of(decisions: &[Decided], step: &str) -> (String, String) {
    let decided = decisions
        .iter()
        .find(|decided| decided.step.starts_with(step))
        .unwrap_or_else(|| panic!("no `{step}` in {decisions:?}"));
    (
        decided.decision.clone().unwrap_or_default(),
        decided.reason.clone().unwrap_or_default(),
    )
}

fn pair(decision: &str, reason: &str) -> (String, String) {
    (decision.to_string(), reason.to_string())
}

#[test]
fn nothing_changed() {
    let app = deployed_flask();
    let (decisions, code) = dry_run_then_run(&app, &[], &[]);
    assert_eq!(code, 0);
    assert_eq!(
        decision_of(&decisions, "SYNC"),
        pair("no_change", "0 to copy, 0 to delete")
    );
    assert_eq!(
        decision_of(&decisions, "VENV INSTALL"),
        pair(
            "skip",
            "requirements unchanged since the last successful install (1 input file)"
        )
    );
}

#[test]
fn one_app_file_changed() {
    let app = deployed_flask();
    app.write("app.py", "print('v2')\n");
    let (decisions, _) = dry_run_then_run(&app, &[], &[]);
    assert_eq!(
        decision_of(&decisions, "SYNC"),
        pair("copy", "1 to copy, 0 to delete")
    );
}

#[test]
fn a_file_deleted() {
    let app = deployed_flask();
    std::fs::remove_file(app.app.join("README.md")).unwrap();
    let (decisions, _) = dry_run_then_run(&app, &[], &[]);
    assert_eq!(
        decision_of(&decisions, "SYNC"),
        pair("copy", "0 to copy, 1 to delete")
    );
    assert!(!app.site.join("README.md").exists());
}

#[test]
fn requirements_txt_changed() {
    let app = deployed_flask();
    app.write("requirements.txt", "Flask>=3.0\n");
    let (decisions, code) = dry_run_then_run(&app, &[], &[]);
    assert_eq!(code, 0);
    assert_eq!(
        decision_of(&decisions, "VENV INSTALL"),
        pair("install", "`requirements.txt` changed")
    );
}

#[test]
fn runtime_txt_changed() {
    let app = deployed_flask();
    app.write("runtime.txt", "python-3.12\n");
    let (decisions, code) = dry_run_then_run(&app, &[], &[]);
    assert_eq!(code, 0);
    let (decision, reason) = decision_of(&decisions, "VENV ENSURE");
    assert_eq!(decision, "rebuild");
    assert!(reason.starts_with("python 3.11."), "{reason}");
    assert_eq!(
        decision_of(&decisions, "VENV INSTALL"),
        pair("install", "the env was built since the last install")
    );
}

#[test]
fn a_venv_remove_once_token_changed() {
    let app = Test::sample("flask-app");
    app.uncomment("VENV REMOVE /ONCE 2026-11-24");
    app.run().expect(0);
    let (decisions, _) = dry_run_then_run(&app, &[], &[]);
    assert_eq!(
        decision_of(&decisions, "VENV REMOVE"),
        pair("keep", "token 2026-11-24 already used")
    );
    let path = app.app.join("deploy.cmd");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("/ONCE 2026-11-24", "/ONCE 2026-12-02")).unwrap();
    let (decisions, _) = dry_run_then_run(&app, &[], &[]);
    assert_eq!(
        decision_of(&decisions, "VENV REMOVE"),
        pair(
            "remove",
            "removal forced by VENV REMOVE /ONCE 2026-12-02 (deploy.cmd:24)"
        )
    );
    assert_eq!(
        decision_of(&decisions, "VENV ENSURE"),
        pair(
            "rebuild",
            "removal forced by VENV REMOVE /ONCE 2026-12-02 (deploy.cmd:24)"
        )
    );
}

#[test]
fn an_ifchanged_file_changed() {
    let app = Test::sample("flask-app");
    app.uncomment("VENV REMOVE /IFCHANGED requirements.txt");
    app.run().expect(0);
    app.write("requirements.txt", "Flask>=3.0\n");
    let (decisions, _) = dry_run_then_run(&app, &[], &[]);
    assert_eq!(
        decision_of(&decisions, "VENV REMOVE"),
        pair(
            "remove",
            "removal forced by VENV REMOVE /IFCHANGED: requirements.txt changed since the last successful deploy (deploy.cmd:26)"
        )
    );
    assert_eq!(
        decision_of(&decisions, "VENV INSTALL"),
        pair("install", "the env was built since the last install")
    );
}

/// Issue 13: `VENV REMOVE /IFCHANGED` uncommented in the same push that drops a package
/// from requirements.txt. The first deploy ran without the line, yet it recorded the
/// app's install inputs, so this deploy has a baseline: the env is rebuilt and the dropped
/// package is gone.
#[test]
fn an_ifchanged_line_uncommented_with_the_change_it_watches() {
    let app = deployed_flask();
    assert_eq!(app.import_version("gunicorn").as_deref(), Some("21.2.0"));
    app.write("requirements.txt", "Flask>=3.0\n");
    app.uncomment("VENV REMOVE /IFCHANGED requirements.txt");
    let (decisions, code) = dry_run_then_run(&app, &[], &[]);
    assert_eq!(code, 0);
    let forced = "removal forced by VENV REMOVE /IFCHANGED: requirements.txt changed since the last successful deploy (deploy.cmd:26)";
    assert_eq!(
        decision_of(&decisions, "VENV REMOVE"),
        pair("remove", forced)
    );
    assert_eq!(
        decision_of(&decisions, "VENV ENSURE"),
        pair("rebuild", forced)
    );
    assert_eq!(
        app.import_version("gunicorn"),
        None,
        "gunicorn must be gone"
    );
    assert_eq!(app.import_version("flask").as_deref(), Some("3.0.3"));
}

#[test]
fn reset_env() {
    let app = deployed_flask();
    let (decisions, _) = dry_run_then_run(&app, &["--reset-env"], &[]);
    assert_eq!(
        decision_of(&decisions, "VENV ENSURE"),
        pair("rebuild", "removal forced by --reset-env")
    );
}

#[test]
fn the_env_deleted_by_hand() {
    let app = deployed_flask();
    std::fs::remove_dir_all(app.env_dir()).unwrap();
    let (decisions, _) = dry_run_then_run(&app, &[], &[]);
    assert_eq!(
        decision_of(&decisions, "VENV ENSURE"),
        pair("rebuild", "no `env` yet")
    );
}

#[test]
fn a_shipped_env_added() {
    let app = deployed_flask();
    let made = std::process::Command::new("python3.11")
        .args(["-m", "venv"])
        .arg(app.app.join("env"))
        .status()
        .unwrap();
    assert!(made.success());
    let (decisions, code) = dry_run_then_run(&app, &[], &[]);
    assert_eq!(code, 0);
    let (decision, _) = decision_of(&decisions, "SYNC");
    assert_eq!(decision, "copy");
    assert_eq!(
        decision_of(&decisions, "VENV ENSURE"),
        pair(
            "use_shipped",
            "the repository ships `env/` (pyvenv.cfg): using it, building nothing"
        )
    );
}

#[test]
fn the_selected_interpreter_removed() {
    let app = Test::sample("flask-app");
    app.write("runtime.txt", "python-3.10\n");
    // A pyenv of its own whose only 3.10 is a link this test can take away.
    let pyenv = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(pyenv.path().join("versions")).unwrap();
    let link = pyenv.path().join("versions/3.10.13");
    std::os::unix::fs::symlink(Path::new("/root/.pyenv/versions/3.10.13"), &link).unwrap();
    let envs = [("PYENV_ROOT", pyenv.path().to_str().unwrap())];
    app.deploy_with(&[], &envs).expect(0);
    assert!(app.env_python_version().starts_with("3.10."));
    std::fs::remove_file(&link).unwrap();
    let (decisions, code) = dry_run_then_run(&app, &[], &envs);
    assert_eq!(code, 1);
    let select = decisions
        .iter()
        .find(|decided| decided.step == "PYTHON SELECT")
        .unwrap();
    assert_eq!(select.decision, None, "{decisions:?}");
}

#[test]
fn a_dry_run_plans_pip_from_the_requirements_sync_would_copy() {
    let app = deployed_flask();
    app.write("requirements.txt", "Flask>=3.0\n");
    let dry = app.deploy(&["--dry-run"]);
    assert_eq!(dry.code, 0, "{dry}");
    assert_eq!(
        dry.outcome("VENV INSTALL"),
        "VENV INSTALL -r requirements.txt: would run (would install: `requirements.txt` changed)"
    );
    let real = app.deploy(&[]);
    real.expect(0);
    assert_eq!(
        real.outcome("VENV INSTALL"),
        "VENV INSTALL -r requirements.txt: done (`requirements.txt` changed)"
    );
}

#[test]
fn a_dry_run_says_venv_remove_would_remove() {
    let app = Test::sample("flask-app");
    app.uncomment("VENV REMOVE");
    let dry = app.deploy(&["--dry-run"]);
    assert_eq!(dry.code, 0, "{dry}");
    assert_eq!(
        dry.outcome("VENV REMOVE"),
        "VENV REMOVE: would run (would remove: removal forced by VENV REMOVE (deploy.cmd:22))"
    );
}

#[test]
fn deploy_reset_env_is_reported_with_the_value_given() {
    let app = deployed_flask();
    let run = app.deploy_with(&[], &[("DEPLOY_RESET_ENV", "yes")]);
    run.expect(0);
    assert_eq!(
        run.outcome("VENV ENSURE"),
        "VENV ENSURE: rebuilt (removal forced by DEPLOY_RESET_ENV=yes)"
    );
}

#[test]
fn a_failed_venv_ensure_is_not_summarised_as_rebuilt() {
    let layout = Test::new().app_files(&[
        (
            "deploy.cmd",
            "@echo off\r\nSYNC /IGNORE deploy.cmd\r\nPYTHON SELECT\r\nVENV ENSURE /INSTALLER uv\r\n",
        ),
        ("runtime.txt", "python-3.11\n"),
    ]);
    // A `uv` that fails, first on PATH.
    let bin = layout.root().join("bin");
    write(
        &bin,
        "uv",
        "#!/bin/sh\necho uv cannot build here >&2\nexit 3\n",
    );
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(bin.join("uv"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let run = layout.deploy_with(&[], &[("PATH", &path)]);
    assert_eq!(run.code, 1, "{run:?}");
    let lines = run.steps();
    assert!(
        lines[2].starts_with("[3/3] VENV ENSURE /INSTALLER uv: FAILED (`"),
        "{lines:?}"
    );
    let summary = run
        .stderr
        .lines()
        .find(|line| line.starts_with("run-deploy: FAILED (exit 1)"))
        .expect("a summary line");
    let summary = summary.split_once(" in ").unwrap().1;
    let facts = summary.split_once(": ").unwrap().1;
    assert_eq!(facts, "3 steps, 1 file copied, 0 deleted", "{}", run.stderr);
}

#[test]
fn a_rollback_after_a_sync_without_change_removes_nothing() {
    let layout = Test::new().app_files(&[
        (
            "deploy.cmd",
            "@echo off\r\nSYNC /IGNORE deploy.cmd\r\nif \"%FAIL%\"==\"1\" exit /b 1\r\n",
        ),
        ("app.py", "print('v1')\n"),
    ]);
    let first = layout.run();
    assert_eq!(first.code, 0, "{first:?}");
    let failed = layout.deploy_with(&[], &[("FAIL", "1")]);
    assert_eq!(failed.code, 1, "{failed:?}");
    assert_eq!(
        failed.steps(),
        ["[1/1] SYNC /IGNORE deploy.cmd: skipped (no change)"]
    );
    assert!(
        failed.stderr.contains(
            "run-deploy: the deploy failed, so the site was put back as it was: 0 file(s) restored, 0 added file(s) removed, 0 environment(s) restored\n"
        ),
        "{}",
        failed.stderr
    );
}

#[test]
fn after_a_failed_reset_env_deploy_the_env_is_reused_and_pip_skipped() {
    let app = Test::sample("flask-app");
    let path = app.app.join("deploy.cmd");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace(
            "\r\ngoto end\r\n",
            "\r\nif \"%FAIL%\"==\"1\" exit /b 1\r\ngoto end\r\n",
        ),
    )
    .unwrap();
    app.run().expect(0);
    let failed = app.deploy_with(&["--reset-env"], &[("FAIL", "1")]);
    assert_eq!(failed.code, 1, "{failed}");
    assert_eq!(
        failed.outcome("VENV INSTALL"),
        "VENV INSTALL -r requirements.txt: done (the env was built since the last install)"
    );
    let (decisions, code) = dry_run_then_run(&app, &[], &[]);
    assert_eq!(code, 0);
    assert_eq!(decision_of(&decisions, "VENV ENSURE").0, "reuse");
    assert_eq!(
        decision_of(&decisions, "VENV INSTALL"),
        pair(
            "skip",
            "requirements unchanged since the last successful install (1 input file)"
        )
    );
}

#[test]
fn a_first_deploy_prints_copied_files_only_in_the_verbose_view() {
    let app = Test::sample("flask-app");
    let first = app.deploy(&[]);
    first.expect(0);
    assert!(!first.stdout.contains("copy file"), "{first}");
    assert!(!first.stderr.contains("copy file"), "{first}");
    std::fs::remove_dir_all(&app.site).unwrap();
    let verbose = app.deploy(&["--verbose"]);
    verbose.expect(0);
    assert!(!verbose.stdout.contains("copy file"), "{verbose}");
    assert!(
        verbose
            .stderr
            .lines()
            .any(|line| line == "run-deploy: copy file `app.py` (new)"),
        "{verbose}"
    );
}
