//! Failures found while a deploy runs render as `--check`'s diagnostics do: the message,
//! `--> file:line:column`, the command's line with a caret and a help, in the terminal
//! (stderr) and in `run-deploy log`; `--json` gives the place as `file`, `line` and
//! `column` fields of the error message. Real binaries, real pip (offline), real folders.

use crate::common::test::{redact_durations, Output, Test};
use serde_json::Value;

/// The site of these tests: the app in `repo/`, the site `wwwroot/`, state in `state/`.
fn site() -> Test {
    Test::with_folders("repo", "wwwroot")
}

/// `text` from `output` with the temporary folder shown as `[TMP]` and every duration
/// (`0.15s`) as `[T]s`.
fn redact(output: &Output, text: &str) -> String {
    redact_durations(&output.redact(text))
}

/// `run-deploy log` of the site's last deployment: its status and exit lines, and the
/// log itself (the lines after the header), redacted.
fn last_log(test: &Test) -> (Vec<String>, String) {
    let output = test.subcommand("log", &[]);
    output.expect(0);
    let (header, body) = output
        .stdout
        .split_once("\n\n")
        .expect("a header, a blank line, the log");
    let facts = header
        .lines()
        .filter(|line| line.starts_with("status:") || line.starts_with("exit:"))
        .map(str::to_string)
        .collect();
    (facts, redact(&output, body))
}

#[test]
fn a_sync_into_its_own_source_points_at_the_sync_line() {
    let site = site().script(
        "deploy.cmd",
        "@echo off\necho syncing\nSYNC . sub /NOMANIFEST\nif errorlevel 1 exit /b 1\n",
    );
    let run = site.deploy(&[]);
    run.expect(1);
    assert_eq!(run.stdout, "syncing\n");
    let expected = "\
run-deploy: running [TMP]/repo/deploy.cmd (default): [TMP]/repo -> [TMP]/wwwroot
[1/1] SYNC . sub /NOMANIFEST: FAILED (`[TMP]/repo/sub` is inside `[TMP]/repo/.`; source and target must not be nested in each other) [T]s
run-deploy: error: SYNC failed: `[TMP]/repo/sub` is inside `[TMP]/repo/.`; source and target must not be nested in each other
 --> deploy.cmd:3:1
  |
3 | SYNC . sub /NOMANIFEST
  | ^^^^^^^^^^^^^^^^^^^^^^
run-deploy: the deploy failed, so the site was put back as it was: 0 file(s) restored, 0 added file(s) removed, 0 environment(s) restored
run-deploy: FAILED (exit 1) in [T]s: 1 step
";
    assert_eq!(redact(&run, &run.stderr), expected);

    let (facts, log) = last_log(&site);
    assert_eq!(facts, ["status:   failed", "exit:     1"]);
    let expected_log = "\
run-deploy: running [TMP]/repo/deploy.cmd (default): [TMP]/repo -> [TMP]/wwwroot
syncing
[1/1] SYNC . sub /NOMANIFEST (deploy.cmd:3)
[1/1] SYNC . sub /NOMANIFEST: FAILED (`[TMP]/repo/sub` is inside `[TMP]/repo/.`; source and target must not be nested in each other) [T]s
run-deploy: error: SYNC failed: `[TMP]/repo/sub` is inside `[TMP]/repo/.`; source and target must not be nested in each other
 --> deploy.cmd:3:1
  |
3 | SYNC . sub /NOMANIFEST
  | ^^^^^^^^^^^^^^^^^^^^^^
run-deploy: the deploy failed, so the site was put back as it was: 0 file(s) restored, 0 added file(s) removed, 0 environment(s) restored
run-deploy: FAILED (exit 1) in [T]s: 1 step
";
    assert_eq!(log, expected_log);
}

#[test]
fn a_missing_call_label_points_at_the_call() {
    let site = site().script(
        "deploy.cmd",
        "@echo off\nset STEP=build\ncall :%STEP%\nexit /b %ERRORLEVEL%\n:other\necho other\n",
    );
    let run = site.deploy(&[]);
    run.expect(1);
    assert_eq!(run.stdout, "");
    let expected = "\
run-deploy: running [TMP]/repo/deploy.cmd (default): [TMP]/repo -> [TMP]/wwwroot
The system cannot find the batch label specified - build
run-deploy: warning: there is no label `:build`: CALL sets ERRORLEVEL 1 and the script goes on
 --> deploy.cmd:3:1
  |
3 | call :%STEP%
  | ^^^^^^^^^^^^
  |
  = help: add a line `:build`, or fix the name
run-deploy: the deploy failed, so the site was put back as it was: 0 file(s) restored, 0 added file(s) removed, 0 environment(s) restored
run-deploy: FAILED (exit 1) in [T]s: 0 steps
";
    assert_eq!(redact(&run, &run.stderr), expected);

    let (facts, log) = last_log(&site);
    assert_eq!(facts, ["status:   failed", "exit:     1"]);
    assert_eq!(log, expected);

    // `--quiet` keeps cmd's own line only, as the conformance suite pins it.
    let quiet = site.deploy(&["--quiet"]);
    quiet.expect(1);
    assert_eq!(
        redact(&quiet, &quiet.stderr),
        "The system cannot find the batch label specified - build\nrun-deploy: FAILED (exit 1) in [T]s: 0 steps\n"
    );
}

#[test]
fn a_failing_venv_install_points_at_its_line() {
    // The app in `repo/`, the site `site/`, state where run-deploy keeps it by default.
    let app = Test::with_folders("repo", "site")
        .default_state_dir()
        .wheels(&["flask", "gunicorn", "django"]);
    app.write(
        "deploy.cmd",
        "@echo off\r\nSYNC\r\nPYTHON SELECT\r\nVENV ENSURE env\r\n\r\nVENV INSTALL -r requirements.txt\r\nif errorlevel 1 exit /b 1\r\n",
    );
    app.write("requirements.txt", "nosuchpkg==1\n");
    let run = app.deploy(&[]);
    assert_eq!(run.code, 1, "{run}");
    let error = "\
run-deploy: error: VENV INSTALL failed: `[TMP]/site/env/bin/python -m pip install -r [TMP]/site/requirements.txt --disable-pip-version-check` failed with exit code 1
 --> deploy.cmd:6:1
  |
6 | VENV INSTALL -r requirements.txt
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  |
  = help: the installer's output above says why; fix that and deploy again
run-deploy: the deploy failed, so the site was put back as it was:";
    let stderr = redact(&run, &run.stderr);
    assert!(stderr.contains(error), "{stderr}");
    assert!(
        stderr.contains("ERROR: No matching distribution found for nosuchpkg==1\n"),
        "{stderr}"
    );

    let (facts, log) = last_log(&app);
    assert_eq!(facts, ["status:   failed", "exit:     1"]);
    assert!(log.contains(error), "{log}");
}

#[test]
fn a_venv_install_whose_inputs_are_missing_says_what_to_add_and_points_at_no_program() {
    let app = Test::with_folders("repo", "site")
        .default_state_dir()
        .wheels(&["flask"]);
    app.write(
        "deploy.cmd",
        "@echo off\r\nSYNC\r\nPYTHON SELECT\r\nVENV ENSURE env\r\nVENV INSTALL .\r\nif errorlevel 1 exit /b 1\r\n",
    );
    app.write("app.py", "print('no project file')\n");
    let run = app.deploy(&[]);
    assert_eq!(run.code, 1, "{run}");
    let error = "\
run-deploy: error: VENV INSTALL failed: `VENV INSTALL .` needs a `pyproject.toml` or `setup.py` in `[TMP]/site`; add one or install with `-r requirements.txt`
 --> deploy.cmd:5:1
  |
5 | VENV INSTALL .
  | ^^^^^^^^^^^^^^
run-deploy: the deploy failed, so the site was put back as it was:";
    let stderr = redact(&run, &run.stderr);
    assert!(stderr.contains(error), "{stderr}");
    assert!(
        !stderr.contains("output above"),
        "no program ran:\n{stderr}"
    );
}

#[test]
fn a_json_error_event_carries_file_line_and_column() {
    let site = site().script(
        "deploy.cmd",
        "@echo off\n  SYNC . sub /NOMANIFEST\nif errorlevel 1 exit /b 1\n",
    );
    let run = site.deploy(&["--json"]);
    run.expect(1);
    assert_eq!(run.stderr, "");
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/docs/events.schema.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<Value> = run
        .stdout
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .filter(|event| event["event"] == "message" && event["level"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{}", run.stdout);
    let error = &errors[0];
    assert!(validator.is_valid(error), "{error}");
    let text = format!(
        "SYNC failed: `{0}/sub` is inside `{0}/.`; source and target must not be nested in each other",
        site.app.display()
    );
    assert_eq!(
        *error,
        serde_json::json!({
            "event": "message",
            "level": "error",
            "text": text,
            "location": "deploy.cmd:2",
            "file": "deploy.cmd",
            "line": 2,
            "column": 3,
            "help": null,
        })
    );
}
