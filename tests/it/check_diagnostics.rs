//! `run-deploy --check`: every diagnostic kind, with its location and message pinned, run
//! through the real binary.

use std::path::Path;
use std::process::Command;

/// Runs `run-deploy --check [flags] deploy.cmd` on `script` in a fresh folder and returns
/// (exit code, stdout, stderr).
fn check(script: &str, flags: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("deploy.cmd"), script).unwrap();
    run_check(dir.path(), flags, Some("deploy.cmd"))
}

fn run_check(dir: &Path, flags: &[&str], script: Option<&str>) -> (i32, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_run-deploy"));
    command.current_dir(dir).arg("--check").args(flags);
    command.args(script);
    let output = command.env_remove("COMMAND").output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn clean_script_passes() {
    let (code, out, err) = check("@echo off\r\nsetlocal\r\necho hi\r\ngoto :EOF\r\n", &[]);
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (0, "deploy.cmd: ok\n", "")
    );
}

#[test]
fn unknown_label_suggests_the_close_one() {
    let (code, out, _) = check("goto deploymnet\n:deployment\necho x\n", &[]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "error: unknown label `deploymnet`\n --> deploy.cmd:1:6\n  |\n1 | goto deploymnet\n  |      ^^^^^^^^^^\n  |\n  = help: did you mean `deployment`?\n\ndeploy.cmd: 1 error; fails\n"
    );
}

#[test]
fn call_to_missing_label_and_eof_builtin() {
    let (code, out, _) = check("call :setup a b\ngoto :eof\n", &[]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "error: unknown label `setup`\n --> deploy.cmd:1:6\n  |\n1 | call :setup a b\n  |      ^^^^^^\n  |\n  = help: add a line `:setup` where CALL should continue\n\ndeploy.cmd: 1 error; fails\n"
    );
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let script = "if \"%A%\"==\"b\" (\necho \"open\nrd /s /x dir\necho ok\n";
    let (code, out, _) = check(script, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "error: unbalanced parentheses: this `(` is never closed\n --> deploy.cmd:1:15\n  |\n1 | if \"%A%\"==\"b\" (\n  |               ^\n  |\n  = help: close the block with `)`, or escape the parenthesis as `^(`\n\n\
error: unterminated quote: this `\"` is never closed\n --> deploy.cmd:2:6\n  |\n2 | echo \"open\n  |      ^\n  |\n  = help: add the closing `\"` on the same line\n\n\
error: unknown switch `/x` for `RD`\n --> deploy.cmd:3:7\n  |\n3 | rd /s /x dir\n  |       ^^\n  |\n  = help: its switches are /S /Q\n\n\
deploy.cmd: 3 errors; fails\n"
    );
}

#[test]
fn stray_close_and_else_without_if() {
    let (code, out, _) = check("echo a\n)\nelse echo b\n", &[]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "error: unbalanced parentheses: this `)` closes no block\n --> deploy.cmd:2:1\n  |\n2 | )\n  | ^\n  |\n  = help: remove it, or escape it as `^)`\n\n\
error: `ELSE` without `IF`\n --> deploy.cmd:3:1\n  |\n3 | else echo b\n  | ^^^^\n  |\n  = help: put ELSE on the line of the `)` that closes the IF block: `) ELSE (`\n\n\
deploy.cmd: 2 errors; fails\n"
    );
}

#[test]
fn malformed_if_and_unsupported_start() {
    let (code, out, _) = check("if exist\nstart notepad.exe\n", &[]);
    assert_eq!(code, 1);
    assert!(
        out.contains("error: malformed IF command\n --> deploy.cmd:1:1\n"),
        "{out}"
    );
    assert!(
        out.contains("error: `START` is not supported: a deploy runs one step at a time\n --> deploy.cmd:2:1\n"),
        "{out}"
    );
    assert!(out.ends_with("deploy.cmd: 2 errors; fails\n"), "{out}");
}

#[test]
fn directive_switches_are_checked() {
    let (code, out, _) = check(
        "VENV REMOVE env /ONCEE 2026\nVENV INSTALL -r requirements.txt /SYNC\n",
        &[],
    );
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "error: unknown switch `/ONCEE` for `VENV REMOVE`\n --> deploy.cmd:1:17\n  |\n1 | VENV REMOVE env /ONCEE 2026\n  |                 ^^^^^^\n  |\n  = help: did you mean `/ONCE`? its switches are /ONCE /IFCHANGED /IGNOREERRORS\n\ndeploy.cmd: 1 error; fails\n"
    );
}

#[test]
fn linux_paths_are_not_switches() {
    let (code, out, _) = check("cd /tmp\nmd /srv/site\ncopy /y a.txt /tmp/b.txt\n", &[]);
    assert_eq!((code, out.as_str()), (0, "deploy.cmd: ok\n"));
}

#[test]
fn read_time_expansion_after_set_in_the_same_block() {
    let script = "setlocal\nif 1==1 (\n  set X=new\n  echo %X%\n)\n";
    let (code, out, _) = check(script, &[]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "warning: `%X%` is expanded when the line or block is read, before the SET above it runs\n --> deploy.cmd:4:8\n  |\n4 |   echo %X%\n  |        ^^^\n  |\n  = help: use `!X!` with `SETLOCAL ENABLEDELAYEDEXPANSION` to read the new value\n\ndeploy.cmd: 1 warning; passes\n"
    );
}

#[test]
fn delayed_expansion_needs_setlocal() {
    let script = "echo !A!\nsetlocal enabledelayedexpansion\necho !A!\nendlocal\necho !B!\n";
    let (code, out, _) = check(script, &[]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "warning: `!A!` stays literal text: delayed expansion is off here\n --> deploy.cmd:1:6\n  |\n1 | echo !A!\n  |      ^^^\n  |\n  = help: add `SETLOCAL ENABLEDELAYEDEXPANSION` before it, or use `%NAME%`\n\n\
warning: `!B!` stays literal text: delayed expansion is off here\n --> deploy.cmd:5:6\n  |\n5 | echo !B!\n  |      ^^^\n  |\n  = help: add `SETLOCAL ENABLEDELAYEDEXPANSION` before it, or use `%NAME%`\n\n\
deploy.cmd: 2 warnings; passes\n"
    );
}

#[test]
fn errorlevel_variable_inside_a_block() {
    let script = "if exist x (\n  call build.cmd\n  if %ERRORLEVEL% NEQ 0 goto :EOF\n)\n";
    let (code, out, _) = check(script, &["--deny-warnings"]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "warning: `%ERRORLEVEL%` inside a block is read when the block starts, not after the command before it\n --> deploy.cmd:3:6\n  |\n3 |   if %ERRORLEVEL% NEQ 0 goto :EOF\n  |      ^^^^^^^^^^^^\n  |\n  = help: use `IF ERRORLEVEL 1` or `!ERRORLEVEL!` (with delayed expansion)\n\ndeploy.cmd: 1 warning; fails (warnings denied)\n"
    );
}

#[test]
fn windows_drive_paths_warn() {
    let (code, out, _) = check("copy C:\\site\\a.txt .\nset P=%SYSTEMDRIVE%\\tools\n", &[]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "warning: a Windows drive path cannot work on Linux\n --> deploy.cmd:1:6\n  |\n1 | copy C:\\site\\a.txt .\n  |      ^^^^^^^^^^^^^\n  |\n  = help: use a path relative to `%~dp0` or a variable such as `%DEPLOYMENT_TARGET%`\n\n\
warning: a Windows drive path cannot work on Linux\n --> deploy.cmd:2:7\n  |\n2 | set P=%SYSTEMDRIVE%\\tools\n  |       ^^^^^^^^^^^^^\n  |\n  = help: use a path relative to `%~dp0` or a variable such as `%DEPLOYMENT_TARGET%`\n\n\
deploy.cmd: 2 warnings; passes\n"
    );
}

#[test]
fn duplicate_label_and_unreachable_code() {
    let script = ":a\ngoto b\necho never\necho also never\n:b\nexit /b 0\n:A\n";
    let (code, out, _) = check(script, &[]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "warning: this line never runs: no label leads here after the jump above\n --> deploy.cmd:3:1\n  |\n3 | echo never\n  | ^^^^^^^^^^\n  |\n  = help: add a label before it, or remove it\n\n\
warning: label `A` is defined twice (first on line 1)\n --> deploy.cmd:7:2\n  |\n7 | :A\n  |  ^\n  |\n  = help: GOTO jumps to the first one after the current line, wrapping around; rename one of them\n\n\
deploy.cmd: 2 warnings; passes\n"
    );
}

#[test]
fn default_script_comes_from_dot_deployment() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".deployment"),
        "[config]\ncommand = build.cmd\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("build.cmd"), "goto nowhere\n").unwrap();
    let (code, out, _) = run_check(dir.path(), &[], None);
    assert_eq!(code, 1);
    assert!(out.contains("--> "), "{out}");
    assert!(out.contains("build.cmd:1:6"), "{out}");
}

#[test]
fn missing_script_and_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = run_check(dir.path(), &[], None);
    assert_eq!((code, out.as_str()), (1, ""));
    // No script and no Python app to write the default script for.
    assert!(err.starts_with("run-deploy: error: `"), "{err}");
    assert!(
        err.contains("` has no deploy.cmd and gen-deploy cannot write a default one: no python app found in `"),
        "{err}"
    );
    let (code, _, err) = run_check(dir.path(), &["--no-such-flag"], None);
    assert_eq!(code, 2);
    assert!(
        err.contains("unexpected argument '--no-such-flag'"),
        "{err}"
    );
}

#[test]
fn directive_arguments_are_validated() {
    let (code, out, _) = check(
        "VENV INSTALL gunicorn\nVENV REMOVE /ONCE\nSYNC /QUIET\n",
        &[],
    );
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "error: `VENV INSTALL` takes `-r file` or `.`, not `gunicorn`; to run pip itself, write `\"%PYTHON_EXE%\" -m pip install gunicorn` or add it to requirements.txt\n --> deploy.cmd:1:1\n  |\n1 | VENV INSTALL gunicorn\n  | ^^^^^^^^^^^^^^^^^^^^^\n\n\
error: `/ONCE` needs a value\n --> deploy.cmd:2:13\n  |\n2 | VENV REMOVE /ONCE\n  |             ^^^^^\n\n\
deploy.cmd: 2 errors; fails\n"
    );
}

#[test]
fn a_compatibility_rule_is_a_note_with_its_full_text() {
    let (code, out, err) = check(
        "@echo off\r\nenv\\scripts\\pip install -r requirements.txt\r\n",
        &[],
    );
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (
            0,
            "note: `env\\scripts\\pip` is read as `env/scripts/pip`\n --> deploy.cmd:2:1\n  |\n2 | env\\scripts\\pip install -r requirements.txt\n  | ^^^^^^^^^^^^^^^\n\n\
note: inside a virtual environment `Scripts` is `bin`, `X.exe` is `X` and `lib\\site-packages` is `lib/pythonX.Y/site-packages`\n --> deploy.cmd:2:5\n  |\n2 | env\\scripts\\pip install -r requirements.txt\n  |     ^^^^^^^\n\n\
deploy.cmd: ok (2 notes)\n",
            ""
        )
    );
}

#[test]
fn a_windows_python_path_says_which_python_it_runs() {
    let (code, out, _) = check(
        "D:\\home\\Python311\\python.exe -m venv env\n",
        &["--deny-warnings"],
    );
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "note: `D:\\home\\Python311\\python.exe` runs the Python 3.11 installed here (found on PATH, by pyenv or in `DEPLOY_PYTHON_DIRS`); the run fails if there is none\n --> deploy.cmd:1:1\n  |\n1 | D:\\home\\Python311\\python.exe -m venv env\n  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n\ndeploy.cmd: ok (1 note)\n"
    );
}

#[test]
fn notes_never_fail_a_check_even_with_deny_warnings() {
    let script = "copy NUL empty.txt >NUL 2>nul\necho %TEMP%\ntype dir\\a.txt\n";
    let (code, out, _) = check(script, &["--deny-warnings"]);
    assert_eq!(code, 0, "{out}");
    // One note per rule per line: line 1 holds NUL three times and gets one note.
    let notes: Vec<&str> = out.lines().filter(|l| l.starts_with("note: ")).collect();
    assert_eq!(
        notes,
        [
            "note: `NUL` is `/dev/null`",
            "note: `%TEMP%` has a Linux value",
            "note: `dir\\a.txt` is read as `dir/a.txt`",
        ]
    );
    assert_eq!(out.lines().last(), Some("deploy.cmd: ok (3 notes)"));
}

#[test]
fn notes_are_counted_beside_warnings_and_errors() {
    let (code, out, _) = check("copy C:\\x.txt NUL\ngoto nowhere\n", &[]);
    assert_eq!(code, 1);
    assert!(
        out.contains("warning: a Windows drive path cannot work on Linux"),
        "{out}"
    );
    assert!(!out.contains("note: `C:"), "{out}");
    assert_eq!(
        out.lines().last(),
        Some("deploy.cmd: 1 error, 1 warning; fails (1 note)")
    );
}

#[test]
fn echo_and_set_text_is_not_a_path() {
    let (code, out, _) = check("echo copy a\\b\nset X=a\\b\n", &[]);
    assert_eq!((code, out.as_str()), (0, "deploy.cmd: ok\n"));
}
