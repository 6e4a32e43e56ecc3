//! Secret masking end to end with the real binary: a secret from the environment, a
//! `--mask` name and a secret the script sets itself never reach stdout, stderr or the
//! stored log, whether a program prints it, `echo` prints it or `--trace` shows it.

use crate::common::test::{Output, Test};

const SCRIPT: &str = "\
@echo off
SYNC /IGNORE deploy.cmd
python3 -c \"import os; print('db is', os.environ['DB_PASSWORD'])\"
python3 -c \"import os, sys; print('site is', os.environ['SITE_NAME'], file=sys.stderr)\"
echo echoed %DB_PASSWORD% for %SITE_NAME%
set API_TOKEN=tok-made-by-the-script-42
echo token %API_TOKEN%
python3 -c \"import os; print('child sees', os.environ['API_TOKEN'])\"
";

const SECRETS: [&str; 3] = [
    "hunter2-secret",
    "my-private-site",
    "tok-made-by-the-script-42",
];

fn assert_masked(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{what} shows `{secret}`:\n{text}");
    }
}

fn deploy_with_secrets(view: &str) -> (Test, Output) {
    let layout = Test::new().app_files(&[("deploy.cmd", SCRIPT), ("app.py", "print(1)\n")]);
    let mut flags = vec!["--trace", "--mask", "SITE_NAME"];
    if !view.is_empty() {
        flags.push(view);
    }
    let run = layout.deploy_with(
        &flags,
        &[
            ("DB_PASSWORD", "hunter2-secret"),
            ("SITE_NAME", "my-private-site"),
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    (layout, run)
}

fn stored_log(layout: &Test) -> String {
    let log = layout.subcommand("log", &[]);
    assert_eq!(log.code, 0, "{log:?}");
    log.stdout
}

#[test]
fn secrets_never_reach_the_human_output_or_the_log() {
    let (layout, run) = deploy_with_secrets("");
    assert_masked("stdout", &run.stdout);
    assert_masked("stderr", &run.stderr);
    let log = stored_log(&layout);
    assert_masked("the stored log", &log);
    assert_eq!(
        run.stdout,
        "db is ***\nechoed *** for ***\ntoken ***\nchild sees ***\n"
    );
    assert!(run.stderr.contains("site is ***\n"), "{}", run.stderr);
    // The trace shows each command expanded, masked, the SET line included.
    for line in [
        "+ deploy.cmd:5: echo echoed *** for ***",
        "+ deploy.cmd:6: set API_TOKEN=***",
        "+ deploy.cmd:7: echo token ***",
    ] {
        assert!(run.stderr.contains(line), "no `{line}` in:\n{}", run.stderr);
        assert!(log.contains(line), "no `{line}` in the log:\n{log}");
    }
    assert!(log.contains("db is ***"), "{log}");
    assert!(log.contains("child sees ***"), "{log}");
}

#[test]
fn secrets_never_reach_the_json_output() {
    let (layout, run) = deploy_with_secrets("--json");
    assert_masked("stdout", &run.stdout);
    assert_masked("stderr", &run.stderr);
    assert_masked("the stored log", &stored_log(&layout));
    assert!(
        run.stdout.contains(
            r#"{"event":"trace","location":"deploy.cmd:6","command":"set API_TOKEN=***"}"#
        ),
        "{}",
        run.stdout
    );
}
