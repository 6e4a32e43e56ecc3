//! App Service's filesystem, mapped (src/compat/app_service.rs): each row of the table
//! noted by `--check` where a script uses it, and used for real by a deploy through the
//! real `run-deploy`: the home root, the site, the state folder, the tools folder on PATH,
//! and the installed interpreters of each spelling (run with real Pythons from pyenv).

use crate::common::test::{read, redact_durations, Test};

#[test]
fn check_notes_each_row_of_the_table_with_a_caret_on_the_path() {
    let test = Test::new().script(
        "deploy.cmd",
        r#"@echo off
mkdir D:\home\LogFiles\deploy
copy web.config D:\home\site\wwwroot\web.config
dir D:\home\site\deployments
xcopy build.cmd D:\home\site\tools\ /Y
D:\home\python364x64\Scripts\pip.exe --version
"%DEPLOYMENT_TARGET%\..\Python36\python.exe" --version
C:\Python27\python.exe --version
"D:\Program Files (x86)\python27\python.exe" --version
%SYSTEMDRIVE%\python27\Scripts\virtualenv.exe env
cd %WEBROOT_PATH%
type %HOME%\site\wwwroot\web.config
"#,
    );
    test.run_deploy(&["--check", "app/deploy.cmd"]).assert(
        0,
        r#"note: `D:\home\LogFiles\deploy` is `LogFiles/deploy` in App Service's home root
 --> app/deploy.cmd:2:7
  |
2 | mkdir D:\home\LogFiles\deploy
  |       ^^^^^^^^^^^^^^^^^^^^^^^

note: `D:\home\site\wwwroot\web.config` is `web.config` in the site (`DEPLOYMENT_TARGET`)
 --> app/deploy.cmd:3:17
  |
3 | copy web.config D:\home\site\wwwroot\web.config
  |                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

note: `D:\home\site\deployments` is the state folder
 --> app/deploy.cmd:4:5
  |
4 | dir D:\home\site\deployments
  |     ^^^^^^^^^^^^^^^^^^^^^^^^

note: `D:\home\site\tools\` is the tools folder (on PATH)
 --> app/deploy.cmd:5:17
  |
5 | xcopy build.cmd D:\home\site\tools\ /Y
  |                 ^^^^^^^^^^^^^^^^^^^

note: `D:\home\python364x64\Scripts\pip.exe` is `Scripts/pip.exe` in the Python 3.6 installed here
 --> app/deploy.cmd:6:1
  |
6 | D:\home\python364x64\Scripts\pip.exe --version
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

note: `%DEPLOYMENT_TARGET%\..\Python36\python.exe` is `python.exe` in the Python 3.6 installed here
 --> app/deploy.cmd:7:2
  |
7 | "%DEPLOYMENT_TARGET%\..\Python36\python.exe" --version
  |  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

note: `C:\Python27\python.exe` runs the Python 2.7 installed here (found on PATH, by pyenv or in `DEPLOY_PYTHON_DIRS`); the run fails if there is none
 --> app/deploy.cmd:8:1
  |
8 | C:\Python27\python.exe --version
  | ^^^^^^^^^^^^^^^^^^^^^^

note: `D:\Program Files (x86)\python27\python.exe` is `python.exe` in the Python 2.7 installed here
 --> app/deploy.cmd:9:2
  |
9 | "D:\Program Files (x86)\python27\python.exe" --version
  |  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

note: `%SYSTEMDRIVE%\python27\Scripts\virtualenv.exe` is `Scripts/virtualenv.exe` in the Python 2.7 installed here
  --> app/deploy.cmd:10:1
   |
10 | %SYSTEMDRIVE%\python27\Scripts\virtualenv.exe env
   | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

note: `%WEBROOT_PATH%` is the site (`DEPLOYMENT_TARGET`)
  --> app/deploy.cmd:11:4
   |
11 | cd %WEBROOT_PATH%
   |    ^^^^^^^^^^^^^^

note: `%HOME%\site\wwwroot\web.config` is `web.config` in the site (`DEPLOYMENT_TARGET`)
  --> app/deploy.cmd:12:6
   |
12 | type %HOME%\site\wwwroot\web.config
   |      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

app/deploy.cmd: ok (11 notes)
"#,
        "",
    );
}

#[test]
fn a_deploy_into_site_wwwroot_maps_every_row_to_its_folder_or_interpreter() {
    let test = Test::with_folders("repo", "home/site/wwwroot")
        .app_file("app.py", "print(\"hi\")\n")
        .script("tool.cmd", "@echo off\necho hello from the tools folder\n")
        .script(
            "deploy.cmd",
            r#"@echo off
setlocal enabledelayedexpansion
SYNC
IF !ERRORLEVEL! NEQ 0 exit /b 1
if exist D:\home\site\wwwroot\app.py echo D:\home\site\wwwroot is the target
mkdir D:\home\LogFiles
echo logged> D:\home\LogFiles\deploy.log
echo recorded> D:\home\site\deployments\mark.txt
mkdir D:\home\site\tools
copy tool.cmd D:\home\site\tools\hello-tool.cmd >NUL
call hello-tool
D:\home\python311\python.exe -c "import sys; print(sys.version_info[:2])"
"%DEPLOYMENT_TARGET%\..\Python310\python.exe" -c "import sys; print(sys.version_info[:2])"
C:\Python312\python.exe -c "import sys; print(sys.version_info[:2])"
"D:\Program Files (x86)\python36\python.exe" -c "import sys; print(sys.version_info[:2])"
%SYSTEMDRIVE%\python27\python.exe -c "import sys; print(sys.version_info[:2])"
D:\home\python311\Scripts\pip.exe --version >NUL
echo pip exit code %ERRORLEVEL%
if "%WEBROOT_PATH%"=="%DEPLOYMENT_TARGET%" echo WEBROOT_PATH is the target
type %HOME%\site\wwwroot\app.py
"#,
        );
    test.deploy(&["-q"]).assert(
        0,
        "D:\\home\\site\\wwwroot is the target\nhello from the tools folder\n(3, 11)\n(3, 10)\n(3, 12)\n(3, 6)\n(2, 7)\npip exit code 0\nWEBROOT_PATH is the target\nprint(\"hi\")\n",
        "",
    );
    // The home root is the folder above `site`; the state folder is `--state-dir`.
    assert_eq!(read(test.root(), "home/LogFiles/deploy.log"), "logged\n");
    assert_eq!(read(&test.state, "mark.txt"), "recorded\n");
    assert!(test.root().join("home/site/tools/hello-tool.cmd").is_file());
}

#[test]
fn the_home_root_is_in_the_state_folder_unless_home_names_it() {
    let test = Test::new().script(
        "deploy.cmd",
        "@echo off\nmkdir D:\\home\\data\necho kept> C:\\home\\data\\note.txt\n",
    );
    test.deploy(&["-q"]).assert(0, "", "");
    assert_eq!(read(&test.state, "home/data/note.txt"), "kept\n");
    let home = test.root().join("elsewhere");
    test.deploy(&["-q", "--home", &home.display().to_string()])
        .assert(0, "", "");
    assert_eq!(read(&home, "data/note.txt"), "kept\n");
}

#[test]
fn a_python_version_not_installed_is_named_with_how_to_install_it() {
    let test = Test::new().script(
        "deploy.cmd",
        "@echo off\nD:\\home\\python199x64\\python.exe --version\n",
    );
    let output = test.deploy(&["-q"]);
    output.expect(1);
    assert!(
        output.stderr.starts_with(
            "run-deploy: error: deploy.cmd:2: `D:\\home\\python199x64\\python.exe` stands for python 1.9, which is not installed here; found: "
        ),
        "{output}"
    );
    assert!(
        output
            .stderr
            .contains("; install it (for example `pyenv install 1.9`) or name its folder in DEPLOY_PYTHON_DIRS\n"),
        "{output}"
    );
}

#[test]
fn a_drive_path_outside_the_table_fails_with_the_table_as_help() {
    let test = Test::new().script("deploy.cmd", "@echo off\ncopy C:\\Windows\\win.ini .\n");
    let output = test.deploy(&[]);
    assert_eq!(output.code, 1, "{output}");
    assert_eq!(
        redact_durations(&output.redact(&output.stderr)),
        r#"run-deploy: running [TMP]/app/deploy.cmd (default): [TMP]/app -> [TMP]/site
run-deploy: error: `C:\Windows\win.ini` is a Windows drive path, which does not exist on Linux; use a Linux path instead
 --> deploy.cmd:2:1
  |
2 | copy C:\Windows\win.ini .
  | ^^^^^^^^^^^^^^^^^^^^^^^^^
  |
  = help: App Service paths that are mapped here:
            D:\home, C:\home, %HOME% (for its site\... and pythonXY folders): the home root: `--home DIR`, else the folder above `site` when the target is `.../site/wwwroot`, else `home` in the state folder
            D:\home\site\wwwroot: the target (`DEPLOYMENT_TARGET`)
            D:\home\site\deployments: the state folder (`--state-dir`)
            D:\home\site\tools: `site/tools` in the home root, on PATH in a deploy
            D:\home\pythonXYZx64, D:\home\PythonXY, ..\PythonXY beside the target, C:\PythonXY, D:\PythonXY, D:\Program Files (x86)\pythonXY: the Python X.Y installed here, found as PYTHON SELECT finds it: `python.exe` is the interpreter, `Scripts\pip.exe` and `Scripts\virtualenv.exe` its pip and virtualenv, the folder its prefix
            %SYSTEMDRIVE%, %ProgramFiles%, %ProgramFiles(x86)%, %WEBROOT_PATH%: `C:`, `C:\Program Files`, `C:\Program Files (x86)` (whose paths this table maps) and the target
run-deploy: the deploy failed, so the site was put back as it was: 0 file(s) restored, 0 added file(s) removed, 0 environment(s) restored
run-deploy: FAILED (exit 1) in [T]s: 0 steps
"#
    );
}
