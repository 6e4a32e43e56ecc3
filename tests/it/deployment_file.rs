//! `.deployment` as Kudu reads it, each form deploying for real through the real
//! `run-deploy`: `command` as a command line (a program with its arguments, or a `.cmd`
//! file with `%1`...), `project` naming the folder to deploy, and the other keys as
//! deployment settings that the environment overrides.

use crate::common::test::{files_under, read, Test};

#[test]
fn command_bash_deploy_sh_runs_bash_with_its_arguments() {
    let test = Test::new()
        .app_file("app.py", "print('hi')\n")
        .app_file(
            "deploy.sh",
            "set -e\nmkdir -p \"$DEPLOYMENT_TARGET\"\ncp app.py \"$DEPLOYMENT_TARGET/\"\necho \"bash deployed $DEPLOYMENT_SOURCE with: $*\"\n",
        )
        .app_file(
            ".deployment",
            "[config]\r\ncommand = bash deploy.sh %SCM_BUILD_KIND% two\r\nSCM_BUILD_KIND = release\r\n",
        );
    test.deploy(&["-q"])
        .assert(0, "bash deployed [TMP]/app with: release two\n", "");
    assert_eq!(read(&test.site, "app.py"), "print('hi')\n");
    assert!(test.last_success().is_some());

    // The program's exit code is the deploy's, and a failed deploy is rolled back.
    test.write(".deployment", "[config]\ncommand = bash -c \"exit 3\"\n");
    test.deploy(&["-q"]).expect(3);
}

#[test]
fn command_deploy_cmd_with_an_argument_is_interpreted_with_it_as_percent_1() {
    let test = Test::new()
        .app_file("app.py", "print('hi')\n")
        .app_file(
            ".deployment",
            "[config]\ncommand = deploy.cmd \"first arg\" two\n",
        )
        .script(
            "deploy.cmd",
            "@echo off\necho %%1=%1 %%~1=%~1 %%2=%2\nSYNC\nIF ERRORLEVEL 1 exit /b 1\n",
        );
    test.deploy(&["-q"])
        .assert(0, "%1=\"first arg\" %~1=first arg %2=two\n", "");
    assert_eq!(read(&test.site, "app.py"), "print('hi')\n");

    // `--check` checks the script the command names.
    test.write_script("deploy.cmd", "@echo off\ngoto nowhere\n");
    let app = test.app.display().to_string();
    let check = test.run_deploy(&["--check", "--source", &app]);
    assert_eq!(check.code, 1, "{check}");
    assert!(
        check.stdout.contains("deploy.cmd:2:6"),
        "the check names the script's line: {check}"
    );
}

#[test]
fn check_of_a_program_command_line_says_there_is_no_script_to_check() {
    let test = Test::new().app_file(".deployment", "[config]\ncommand = bash deploy.sh\n");
    let app = test.app.display().to_string();
    test.run_deploy(&["--check", "--source", &app]).assert(
        0,
        "",
        "run-deploy: .deployment runs the program command line `bash deploy.sh`, not a script: nothing to check\n",
    );
}

#[test]
fn project_names_the_folder_deployed_and_the_app_the_default_script_is_written_for() {
    let test = Test::with_folders("repo", "site")
        .app_file("src/app/app.py", "print('hi')\n")
        .app_file("src/app/requirements.txt", "flask\n")
        .app_file("docs/readme.txt", "not deployed\n")
        .app_file(".deployment", "[config]\nproject = src/app\n")
        .wheels(&["flask"]);
    test.deploy(&[]).expect(0);
    let mut files = files_under(&test.site);
    files.retain(|file| !file.starts_with("env/"));
    assert_eq!(files, vec!["app.py", "requirements.txt"]);
    assert_eq!(test.import_version("flask").as_deref(), Some("3.0.3"));

    test.write(".deployment", "[config]\nproject = src/missing\n");
    let missing = test.deploy(&["-q"]);
    missing.assert(
        66,
        "",
        "run-deploy: error: the project folder `src/missing` that `.deployment` names is not in `[TMP]/repo`\n",
    );
}

#[test]
fn settings_are_exported_below_the_environment() {
    let test = Test::new()
        .app_file(
            ".deployment",
            "[config]\ncommand = deploy.cmd\nMY_SETTING = from .deployment\nPYTHON_VERSION = 3.10\n",
        )
        .script(
            "deploy.cmd",
            "@echo off\nsetlocal enabledelayedexpansion\necho setting: %MY_SETTING%\nSYNC\nPYTHON SELECT\nIF !ERRORLEVEL! NEQ 0 exit /b 1\necho python: %PYTHON_VER%\n",
        );
    test.deploy(&["-q"])
        .assert(0, "setting: from .deployment\npython: 3.10\n", "");
    test.deploy_with(
        &["-q"],
        &[
            ("MY_SETTING", "from the environment"),
            ("PYTHON_VERSION", "3.12"),
        ],
    )
    .assert(0, "setting: from the environment\npython: 3.12\n", "");
}
