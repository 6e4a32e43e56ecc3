//! `--dry-run` with the real binary: it changes nothing (site, env and state folders are
//! the same, byte for byte and mtime for mtime), runs no program, and its plan is what the
//! next real run then does, step by step.

use crate::common::sync_tree::tree;
use crate::common::test::{write, Test};

const SCRIPT: &str = "\
@echo off
setlocal enabledelayedexpansion
SYNC /IGNORE \".git;deploy.cmd\"
IF !ERRORLEVEL! NEQ 0 goto error
PYTHON SELECT
VENV ENSURE
IF !ERRORLEVEL! NEQ 0 goto error
VENV INSTALL -r requirements.txt
IF !ERRORLEVEL! NEQ 0 goto error
echo built> \"%DEPLOYMENT_TARGET%\\build.txt\"
python3 -c \"print('program ran')\"
goto end
:error
exit /b 1
:end
";

fn app() -> Test {
    Test::new().app_files(&[
        ("deploy.cmd", SCRIPT),
        ("app.py", "print('v1')\n"),
        ("requirements.txt", ""),
        ("runtime.txt", "python-3.11\n"),
    ])
}

/// The step line the real run prints for a dry run's step line: the same step, the
/// planned outcome as it happens.
fn as_done(dry: &str) -> String {
    let (step, result) = dry.split_once(": ").expect("a step line");
    if !result.starts_with("would run (") {
        return dry.to_string();
    }
    let detail = &result["would run (".len()..result.len() - 1];
    let done = if let Some(counts) = detail.strip_suffix(" to delete") {
        let (copy, delete) = counts.split_once(" to copy, ").unwrap();
        if copy == "0" && delete == "0" {
            "skipped (no change)".to_string()
        } else {
            format!("done ({copy} copied, {delete} deleted)")
        }
    } else if let Some(rest) = detail.strip_prefix("would be ") {
        let (outcome, reason) = rest.split_once(": ").unwrap();
        format!("{outcome} ({reason})")
    } else if let Some(reason) = detail.strip_prefix("would skip: ") {
        format!("skipped ({reason})")
    } else if let Some(reason) = detail.strip_prefix("would install: ") {
        format!("done ({reason})")
    } else if let Some(choice) = detail.strip_prefix("would select: ") {
        format!("done ({choice})")
    } else {
        panic!("an unknown plan: {dry}")
    };
    format!("{step}: {done}")
}

/// Runs `--dry-run` then the real deploy with `flags`; checks that the dry run changed
/// nothing and planned what the real run did. Returns the real run's step lines.
fn dry_run_then_deploy(layout: &Test, flags: &[&str]) -> Vec<String> {
    let before = [tree(&layout.site), tree(&layout.state), tree(&layout.app)];
    let mut dry_flags = vec!["--dry-run"];
    dry_flags.extend_from_slice(flags);
    let dry = layout.deploy(&dry_flags);
    assert_eq!(dry.code, 0, "{dry:?}");
    let after = [tree(&layout.site), tree(&layout.state), tree(&layout.app)];
    assert!(before == after, "the dry run changed a folder: {dry:?}");
    assert!(
        dry.stderr
            .contains("deploy.cmd:11: would run: python3 -c \"print('program ran')\""),
        "{}",
        dry.stderr
    );
    assert!(
        dry.stderr.contains("deploy.cmd:10: would write to `"),
        "{}",
        dry.stderr
    );
    assert!(!dry.stdout.contains("program ran"), "{}", dry.stdout);
    assert!(dry.stderr.contains("dry run done"), "{}", dry.stderr);

    let real = layout.deploy(flags);
    assert_eq!(real.code, 0, "{real:?}");
    assert!(real.stdout.contains("program ran"), "{}", real.stdout);
    let planned: Vec<String> = dry.steps().iter().map(|l| as_done(l)).collect();
    let done = real.steps();
    assert_eq!(
        planned, done,
        "dry run:\n{}\nreal run:\n{}",
        dry.stderr, real.stderr
    );
    assert_eq!(done.len(), 4, "{}", real.stderr);
    done
}

#[test]
fn the_plan_is_what_the_next_run_does_and_the_dry_run_changes_nothing() {
    let layout = app();
    let first = layout.deploy(&[]);
    assert_eq!(first.code, 0, "{first:?}");

    // A no-op deploy: nothing to copy, the env is reused, pip is skipped.
    let done = dry_run_then_deploy(&layout, &[]);
    assert_eq!(
        done[0],
        "[1/4] SYNC /IGNORE .git;deploy.cmd: skipped (no change)"
    );
    assert!(
        done[2].starts_with("[3/4] VENV ENSURE: reused ("),
        "{done:?}"
    );
    assert!(done[3].starts_with("[4/4] VENV INSTALL -r requirements.txt: skipped ("));

    // One file changed: one copy planned and made.
    write(&layout.app, "app.py", "print('v2')\n");
    let done = dry_run_then_deploy(&layout, &[]);
    assert_eq!(
        done[0],
        "[1/4] SYNC /IGNORE .git;deploy.cmd: done (1 copied, 0 deleted)"
    );
    assert_eq!(
        std::fs::read_to_string(layout.site.join("app.py")).unwrap(),
        "print('v2')\n"
    );

    // A forced env removal: the env is rebuilt, so pip installs into the new one.
    let done = dry_run_then_deploy(&layout, &["--reset-env"]);
    assert_eq!(
        done[2],
        "[3/4] VENV ENSURE: rebuilt (removal forced by --reset-env)"
    );
    assert_eq!(
        done[3],
        "[4/4] VENV INSTALL -r requirements.txt: done (the env was built since the last install)"
    );
}

#[test]
fn a_dry_run_before_any_deploy_creates_nothing_and_runs_nothing() {
    let layout = Test::new().app_files(&[
        (
            "deploy.cmd",
            "@echo off\r\nmd \"%DEPLOYMENT_TARGET%\\logs\"\r\ncopy /y app.py \"%DEPLOYMENT_TARGET%\\app.py\"\r\n\
             echo x>> notes.txt\r\ndel app.py\r\nren app.py old.py\r\nmove app.py x.py\r\n\
             xcopy /y app.py \"%DEPLOYMENT_TARGET%\"\r\nrd /s /q static\r\n\
             type app.py\r\ndir /b static\r\nsh -c \"touch ran.txt\"\r\necho errorlevel %ERRORLEVEL%\r\n",
        ),
        ("app.py", "print('v1')\n"),
        ("static/site.css", "body {}\n"),
    ]);
    let app_before = tree(&layout.app);
    let dry = layout.deploy(&["--dry-run"]);
    assert_eq!(dry.code, 0, "{dry:?}");
    assert!(!layout.site.exists(), "the site was created");
    assert!(!layout.state.exists(), "the state folder was created");
    assert!(app_before == tree(&layout.app), "the app folder changed");
    let notes: Vec<String> = dry
        .stderr
        .lines()
        .filter(|line| line.contains(": would "))
        .map(|line| layout.redact(line))
        .collect();
    assert_eq!(
        notes,
        [
            "run-deploy: deploy.cmd:2: would md \"[TMP]/site\\logs\"".to_string(),
            "run-deploy: deploy.cmd:3: would copy /y app.py \"[TMP]/site\\app.py\"".to_string(),
            "run-deploy: deploy.cmd:4: would append to `[TMP]/app/notes.txt`".to_string(),
            "run-deploy: deploy.cmd:5: would del app.py".to_string(),
            "run-deploy: deploy.cmd:6: would ren app.py old.py".to_string(),
            "run-deploy: deploy.cmd:7: would move app.py x.py".to_string(),
            "run-deploy: deploy.cmd:8: would xcopy /y app.py \"[TMP]/site\"".to_string(),
            "run-deploy: deploy.cmd:9: would rd /s /q static".to_string(),
            "run-deploy: deploy.cmd:12: would run: sh -c \"touch ran.txt\"".to_string(),
        ],
        "{}",
        dry.stderr
    );
    // Reading builtins still work, and a program that would have run counts as success.
    assert_eq!(dry.stdout, "print('v1')\nsite.css\nerrorlevel 0\n");
}

/// Records what the interpreter tells its output, traces included.
#[derive(Default)]
struct Recorded {
    lines: Vec<String>,
}

impl deploy_script::report::output::Output for Recorded {
    fn stdout_line(&mut self, line: &str) {
        self.lines.push(format!("out: {line}"));
    }
    fn stderr_line(&mut self, line: &str) {
        self.lines.push(format!("err: {line}"));
    }
    fn note(&mut self, message: &str) {
        self.lines.push(format!("note: {message}"));
    }
    fn error(&mut self, message: &str) {
        self.lines.push(format!("error: {message}"));
    }
    fn trace(&mut self, location: &str, command: &str) {
        self.lines.push(format!("+ {location}: {command}"));
    }
    fn secret_set(&mut self, name: &str, value: &str) {
        self.lines.push(format!("set: {name}={value}"));
    }
}

#[test]
fn the_interpreter_in_dry_run_and_trace_mode_reports_instead_of_acting() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("kept.txt"), "kept\n").unwrap();
    let options = deploy_script::interpreter::RunOptions {
        cwd: Some(dir.path().to_path_buf()),
        dry_run: true,
        trace: true,
        ..Default::default()
    };
    let mut output = Recorded::default();
    let code = deploy_script::interpreter::run_text(
        std::path::Path::new("t.cmd"),
        "@echo off\nset NAME=x\nmd out\nif exist kept.txt echo there\necho made> out.txt\nfalse\nexit /b %ERRORLEVEL%\n",
        &[],
        &options,
        &mut output,
    )
    .unwrap();
    assert_eq!(code, 0);
    let before: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(before.len(), 1, "only kept.txt is there");
    let out = dir.path().join("out.txt").display().to_string();
    assert_eq!(
        output.lines,
        [
            "+ t.cmd:1: echo off".to_string(),
            "set: NAME=x".to_string(),
            "+ t.cmd:2: set NAME=x".to_string(),
            "set: NAME=x".to_string(),
            "+ t.cmd:3: md out".to_string(),
            "note: t.cmd:3: would md out".to_string(),
            "+ t.cmd:4: echo there".to_string(),
            "out: there".to_string(),
            "+ t.cmd:5: echo made".to_string(),
            format!("note: t.cmd:5: would write to `{out}`"),
            "+ t.cmd:6: false".to_string(),
            "note: t.cmd:6: would run: false".to_string(),
            "+ t.cmd:7: exit /b 0".to_string(),
        ]
    );
}
