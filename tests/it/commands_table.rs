//! The commands table (src/commands/) against the real binary: for every command and
//! every switch it declares, and one unknown switch per command, `run-deploy --check` and
//! a real run of the same line agree, with one error text. Misspelled directives get a
//! suggestion, XCOPY's `/EXCLUDE` and COPY's `/D` work, and docs/language.md's switch
//! table is the table's own rendering.

use crate::common::test::{repo_dir, write, Output, Test};
use deploy_script::commands::{self, CommandSpec, Switch, Value};

/// A switch no command has.
const UNKNOWN: &str = "/J";

/// The line that exercises `spec` with `switch` (its value filled in): a plain use of
/// the command on the files [`folder`] makes. A command added to the table fails here
/// until it has a line.
fn line_for(spec: &CommandSpec, switch: &str) -> String {
    let template = match spec.display {
        "SET" => "set {} X=1",
        "EXIT" => "exit {} 0",
        "SHIFT" => "shift {}",
        "PUSHD" => "pushd {} sub",
        "POPD" => "popd {}",
        "CD" => "cd {} sub",
        "MD" => "md {} newdir",
        "RD" => "rd {} olddir",
        "DEL" => "del {} a.txt",
        "COPY" => "copy {} a.txt c.txt",
        "XCOPY" => "xcopy {} src dst",
        "ROBOCOPY" => "robocopy src dst {}",
        "MOVE" => "move {} a.txt m.txt",
        "REN" => "ren {} a.txt r.txt",
        "TYPE" => "type {} a.txt",
        "WHERE" => "where {} sh",
        "DIR" => "dir {} src",
        "TIMEOUT" => "timeout {} 0",
        "TIME" => "time {}",
        "DATE" => "date {}",
        "SYNC" => "SYNC {} src out",
        "PYTHON SELECT" => "PYTHON SELECT {}",
        // `blocker` is a file: the env cannot be made, so no env is built.
        "VENV ENSURE" => "VENV ENSURE blocker/env {}",
        "VENV REMOVE" => "VENV REMOVE {}",
        // requirements.txt is missing: the install stops after reading its words.
        "VENV INSTALL" => "VENV INSTALL -r requirements.txt {}",
        "DJANGO COLLECTSTATIC" => "DJANGO COLLECTSTATIC {}",
        other => panic!("no test line for `{other}`: add one to commands_table.rs"),
    };
    template.replace("{}", switch)
}

/// The switch as a script writes it, with a value of the kind it takes.
fn written(switch: &Switch) -> String {
    match &switch.value {
        Value::None => switch.name.to_string(),
        Value::Attached { .. } => match switch.name {
            "/EXCLUDE" => "/EXCLUDE:excl.txt".to_string(),
            "/A" => "/A:D".to_string(),
            "/R" | "/W" => format!("{}:2", switch.name),
            other => panic!("no sample value for `{other}`"),
        },
        Value::Next(_) if switch.name == "/IGNORE" => "/IGNORE .git".to_string(),
        Value::Next(_) => format!("{} 0", switch.name),
        Value::OneOf(allowed) => format!("{} {}", switch.name, allowed[0]),
        Value::Words { .. } if switch.name == "/MANIFEST" => "/MANIFEST next.txt".to_string(),
        Value::Words { .. } => format!("{} requirements.txt", switch.name),
    }
}

/// A test whose temporary folder holds the files the test lines use; run-deploy runs
/// there, as [`Test::run_deploy`] does.
fn folder() -> Test {
    let test = Test::new();
    let root = test.root();
    for folder in ["src", "sub", "olddir"] {
        std::fs::create_dir(root.join(folder)).unwrap();
    }
    write(root, "a.txt", "a\n");
    write(root, "src/x.txt", "x\n");
    write(root, "excl.txt", ".pyc\n");
    write(root, "blocker", "");
    test
}

/// `run-deploy --check check.cmd` of a script holding `line`.
fn check_line(test: &Test, line: &str) -> Output {
    write(test.root(), "check.cmd", &format!("{line}\r\n"));
    test.run_deploy(&["--check", "check.cmd"])
}

/// `run-deploy run.cmd` of a script holding `@echo off` and `line`.
fn run_line(test: &Test, line: &str) -> Output {
    write(test.root(), "run.cmd", &format!("@echo off\r\n{line}\r\n"));
    test.run_deploy(&["run.cmd"])
}

/// The texts a wrong switch produces, from `--check` or from the run.
const SWITCH_ERRORS: [&str; 4] = [
    "unknown switch",
    "needs a value",
    "is not one of",
    "takes no value",
];

#[test]
fn check_accepts_a_line_exactly_when_the_run_accepts_its_switches() {
    let mut lines = 0;
    for spec in commands::all().iter().filter(|spec| spec.reads_switches) {
        for switch in spec.switches {
            let line = line_for(spec, &written(switch));
            let test = folder();
            let check = check_line(&test, &line);
            assert_eq!(
                (check.code, check.stdout.as_str()),
                (0, "check.cmd: ok\n"),
                "--check rejects `{line}`:\n{check}"
            );
            let ran = run_line(&test, &line);
            assert!(
                !SWITCH_ERRORS.iter().any(|text| ran.stderr.contains(text)),
                "the run rejects `{line}`, --check accepts it:\n{ran}"
            );
            lines += 1;
        }
        let line = line_for(spec, UNKNOWN);
        let test = folder();
        let message = format!("unknown switch `{UNKNOWN}` for `{}`", spec.display);
        let check = check_line(&test, &line);
        assert_eq!(check.code, 1, "--check accepts `{line}`:\n{check}");
        assert!(
            check.stdout.starts_with(&format!("error: {message}\n")),
            "--check of `{line}`:\n{check}"
        );
        let ran = run_line(&test, &line);
        assert!(
            ran.stderr.contains(&message),
            "the run of `{line}` does not say `{message}`:\n{ran}"
        );
        lines += 1;
    }
    assert!(
        lines > 60,
        "only {lines} lines: the table lost its switches"
    );
}

#[test]
fn a_wrong_switch_of_a_builtin_stops_only_that_command() {
    let test = folder();
    let ran = run_line(
        &test,
        "xcopy /Z src dst\r\necho xcopy: %ERRORLEVEL%\r\ndel /P a.txt\r\necho del: %ERRORLEVEL%",
    );
    assert_eq!(
        (ran.code, ran.stdout.as_str(), ran.stderr.as_str()),
        (
            0,
            "xcopy: 4\ndel: 1\n",
            "unknown switch `/Z` for `XCOPY`\nunknown switch `/P` for `DEL`\n"
        )
    );
    assert!(!test.root().join("dst").exists());
    assert!(test.root().join("a.txt").exists());
}

#[test]
fn misspelled_directives_and_switches_get_a_suggestion() {
    let test = folder();
    let script = "PYTHON SELCT\r\nvenv remov env\r\nDJANGO COLECTSTATIC\r\nVENV INSTALL -r requirements.txt /INSTALER uv\r\n";
    write(test.root(), "deploy.cmd", script);
    let check = test.run_deploy(&["--check", "deploy.cmd"]);
    assert_eq!(
        (check.code, check.stdout.as_str()),
        (
            1,
            "error: unknown directive `PYTHON SELCT`\n --> deploy.cmd:1:1\n  |\n1 | PYTHON SELCT\n  | ^^^^^^^^^^^^\n  |\n  = help: did you mean `PYTHON SELECT`?\n\n\
error: unknown directive `venv remov`\n --> deploy.cmd:2:1\n  |\n2 | venv remov env\n  | ^^^^^^^^^^\n  |\n  = help: did you mean `VENV REMOVE`?\n\n\
error: unknown directive `DJANGO COLECTSTATIC`\n --> deploy.cmd:3:1\n  |\n3 | DJANGO COLECTSTATIC\n  | ^^^^^^^^^^^^^^^^^^^\n  |\n  = help: did you mean `DJANGO COLLECTSTATIC`?\n\n\
error: unknown switch `/INSTALER` for `VENV INSTALL`\n --> deploy.cmd:4:34\n  |\n4 | VENV INSTALL -r requirements.txt /INSTALER uv\n  |                                  ^^^^^^^^^\n  |\n  = help: did you mean `/INSTALLER`? its switches are /INSTALLER /SYNC /IGNOREERRORS\n\n\
deploy.cmd: 4 errors; fails\n"
        ),
        "{check}"
    );
}

#[test]
fn program_calls_after_a_directive_keyword_stay_program_calls() {
    let test = folder();
    let script = "python manage.py migrate\r\npython -m venv env\r\npip install -r requirements.txt\r\npip uninstall -y flask\r\npip freeze\r\npython select.py\r\nvenv\r\n";
    write(test.root(), "deploy.cmd", script);
    let check = test.run_deploy(&["--check", "--deny-warnings", "deploy.cmd"]);
    assert_eq!(
        (check.code, check.stdout.as_str()),
        (0, "deploy.cmd: ok\n"),
        "{check}"
    );
}

#[test]
fn xcopy_exclude_leaves_out_paths_holding_a_listed_line() {
    let test = folder();
    let root = test.root();
    for (path, text) in [
        ("app/main.py", "main\n"),
        ("app/main.pyc", "compiled\n"),
        ("app/.git/config", "git\n"),
        ("app/pkg/mod.py", "mod\n"),
        ("app/pkg/mod.PYC", "compiled\n"),
    ] {
        write(root, path, text);
    }
    write(root, "more.txt", "\\.git\\\r\n\r\n");
    let line = "xcopy /EXCLUDE:excl.txt+more.txt /E /I /Y /Q app dst\r\necho %ERRORLEVEL%";
    let ran = run_line(&test, line);
    assert_eq!(
        (ran.code, ran.stdout.as_str(), ran.stderr.as_str()),
        (0, "2 File(s) copied\n0\n", "")
    );
    let mut copied: Vec<String> = walkdir::WalkDir::new(root.join("dst"))
        .min_depth(1)
        .into_iter()
        .map(|entry| {
            let entry = entry.unwrap();
            let relative = entry.path().strip_prefix(root.join("dst")).unwrap();
            relative.to_string_lossy().into_owned()
        })
        .collect();
    copied.sort();
    assert_eq!(copied, ["main.py", "pkg", "pkg/mod.py"]);

    let ran = run_line(
        &test,
        "xcopy /EXCLUDE:missing.txt /E /I app dst2\r\necho %ERRORLEVEL%",
    );
    assert_eq!(
        (ran.stdout.as_str(), ran.stderr.as_str()),
        ("0 File(s) copied\n4\n", "Can't read file: missing.txt\n")
    );
}

#[test]
fn copy_d_is_accepted_and_copies() {
    let test = folder();
    let ran = run_line(&test, "copy /D a.txt c.txt\r\necho %ERRORLEVEL%");
    assert_eq!(
        (ran.code, ran.stdout.as_str(), ran.stderr.as_str()),
        (0, "        1 file(s) copied.\n0\n", "")
    );
    assert_eq!(
        std::fs::read_to_string(test.root().join("c.txt")).unwrap(),
        "a\n"
    );
}

const BEGIN: &str = "<!-- commands-table:begin -->\n";
const END: &str = "<!-- commands-table:end -->";

#[test]
fn the_docs_switch_table_is_rendered_from_the_commands_table() {
    let path = repo_dir().join("docs/language.md");
    let docs = std::fs::read_to_string(&path).unwrap();
    let start = docs
        .find(BEGIN)
        .expect("docs/language.md has the begin marker")
        + BEGIN.len();
    let end = docs[start..].find(END).expect("and the end marker") + start;
    let expected = commands::switch_table_markdown();
    assert!(
        docs[start..end] == expected,
        "docs/language.md's switch table differs from the commands table; paste this \
         between the markers:\n{expected}"
    );
}

/// Real program lines that start with a directive keyword in lower or mixed case, or with
/// `pip install`: each runs the program of that name (a stand-in on PATH that prints its
/// name and arguments), none is read as a directive, and `--check` finds nothing.
#[test]
fn program_lines_with_a_directive_keyword_run_the_program() {
    let test = folder();
    let bin = test.root().join("bin");
    let names = [
        "sync",
        "Sync",
        "python",
        "Python",
        "venv",
        "Venv",
        "pip",
        "Pip",
        "django",
        "Django",
        "django-admin",
    ];
    for name in names {
        let stand_in = bin.join(name);
        write(
            test.root(),
            &format!("bin/{name}"),
            "#!/bin/sh\nprintf '%s' \"$(basename \"$0\")\"\nfor a in \"$@\"; do printf ' %s' \"$a\"; done\necho\n",
        );
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&stand_in, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let test = test.env("PATH", &path);
    let lines = [
        "sync",
        "sync -f",
        "Sync --data",
        "python select.py",
        "python -m venv env",
        "Python manage.py migrate",
        "python ensure.py",
        "venv --clear env",
        "Venv env",
        "pip install --upgrade pip",
        "pip install -r requirements.txt",
        "Pip Install -r requirements.txt",
        "pip uninstall -y flask",
        "pip freeze",
        "django --version",
        "Django collectstatic.py",
        "django-admin collectstatic --noinput",
    ];
    let script = lines.join("\r\n");
    let ran = run_line(&test, &script);
    let expected: String = lines.iter().map(|line| format!("{line}\n")).collect();
    assert_eq!(
        (ran.code, ran.stdout.as_str(), ran.stderr.as_str()),
        (0, expected.as_str(), ""),
        "{ran}"
    );
    let check = test.run_deploy(&["--check", "--deny-warnings", "run.cmd"]);
    assert_eq!(
        (check.code, check.stdout.as_str()),
        (0, "run.cmd: ok\n"),
        "{check}"
    );
}

/// The old install directive, and directives written in lower or mixed case, are
/// `--check` errors naming the form to write; typos still get a suggestion; a deploy
/// refuses such a script.
#[test]
fn the_old_pip_install_and_lower_case_directives_are_errors_naming_the_new_form() {
    let test = folder();
    write(
        test.root(),
        "deploy.cmd",
        "PIP INSTALL -r requirements.txt\r\npip install -r requirements.txt /SYNC\r\nvenv ensure\r\nPython Select\r\nsync /IGNORE .git\r\nPYTHON SELCT\r\n",
    );
    let check = test.run_deploy(&["--check", "deploy.cmd"]);
    assert_eq!(
        (check.code, check.stdout.as_str()),
        (
            1,
            "error: `PIP INSTALL` is now `VENV INSTALL`\n --> deploy.cmd:1:1\n  |\n1 | PIP INSTALL -r requirements.txt\n  | ^^^^^^^^^^^\n  |\n  = help: write `VENV INSTALL -r requirements.txt`; to run pip itself, write `pip install` in lower case without the directive's switches\n\n\
error: `PIP INSTALL` is now `VENV INSTALL`\n --> deploy.cmd:2:1\n  |\n2 | pip install -r requirements.txt /SYNC\n  | ^^^^^^^^^^^\n  |\n  = help: write `VENV INSTALL -r requirements.txt /SYNC`; to run pip itself, write `pip install` in lower case without the directive's switches\n\n\
error: `venv ensure` is not a directive: directives are written in capitals\n --> deploy.cmd:3:1\n  |\n3 | venv ensure\n  | ^^^^^^^^^^^\n  |\n  = help: write `VENV ENSURE`\n\n\
error: `Python Select` is not a directive: directives are written in capitals\n --> deploy.cmd:4:1\n  |\n4 | Python Select\n  | ^^^^^^^^^^^^^\n  |\n  = help: write `PYTHON SELECT`\n\n\
error: `sync` runs the program `sync`, not the directive: directives are written in capitals\n --> deploy.cmd:5:1\n  |\n5 | sync /IGNORE .git\n  | ^^^^\n  |\n  = help: write `SYNC`\n\n\
error: unknown directive `PYTHON SELCT`\n --> deploy.cmd:6:1\n  |\n6 | PYTHON SELCT\n  | ^^^^^^^^^^^^\n  |\n  = help: did you mean `PYTHON SELECT`?\n\n\
deploy.cmd: 6 errors; fails\n"
        ),
        "{check}"
    );
    let deploy = Test::with_folders("repo", "site").script(
        "deploy.cmd",
        "@echo off\r\nPIP INSTALL -r requirements.txt\r\necho ran\r\n",
    );
    let run = deploy.run();
    assert_eq!(run.code, deploy_script::exit_code::SCRIPT_INVALID, "{run}");
    assert!(!run.stdout.contains("ran"), "{run}");
    assert!(
        run.stderr
            .contains("error: `PIP INSTALL` is now `VENV INSTALL`\n --> "),
        "{run}"
    );
}
