//! Programs run by the interpreter are real processes: arguments as a list with no shell
//! (an injected `& rm -rf ~` is just words), the interpreter's variables and folder,
//! pipes and redirections between builtins and programs, SIGTERM and Ctrl-C reaching the
//! whole process group, and Kudu's idle timeout.

use std::path::Path;
use std::process::{Command, Stdio};

fn run_deploy(dir: &Path, script: &str) -> Command {
    std::fs::write(dir.join("t.cmd"), script).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_run-deploy"));
    command
        .args(["--quiet", "t.cmd"])
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

#[test]
fn an_injected_command_is_only_words_for_the_program() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("keep.txt");
    std::fs::write(&marker, "x").unwrap();
    let script = "@echo off\r\n\
        set \"V=x & del /q keep.txt & rm -rf ~\"\r\n\
        python3 -c \"import sys; print(sys.argv[1:])\" %V%\r\n\
        echo %V%\r\n";
    let output = run_deploy(dir.path(), script).output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "['x', '&', 'del', '/q', 'keep.txt', '&', 'rm', '-rf', '~']\nx & del /q keep.txt & rm -rf ~\n"
    );
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    assert!(marker.is_file());
}

#[test]
fn programs_get_variables_folder_pipes_and_redirections() {
    let dir = tempfile::tempdir().unwrap();
    let script = "@echo off\r\n\
        set GREETING=hello from the script\r\n\
        set PATH=%PATH%;extra\\bin\r\n\
        md sub\r\n\
        cd sub\r\n\
        python3 -c \"import os; print(os.environ['GREETING']); print(os.path.basename(os.getcwd())); print(os.environ['PATH'].endswith(':extra/bin'))\"\r\n\
        (echo b& echo a) | sort > sorted.txt\r\n\
        type sorted.txt\r\n\
        python3 -c \"import sys; print(sys.stdin.read().upper(), end='')\" < sorted.txt\r\n\
        python3 -c \"import sys; sys.stderr.write('to the log\\n'); sys.exit(3)\" 2>> log.txt\r\n\
        echo exit %ERRORLEVEL%\r\n\
        type log.txt\r\n";
    let output = run_deploy(dir.path(), script).output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "hello from the script\nsub\nTrue\na\nb\nA\nB\nexit 3\nto the log\n"
    );
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    assert_eq!(output.status.code(), Some(0));
}

fn alive(pid: i32) -> bool {
    // A zombie (state Z) has exited; only its parent's bookkeeping is left.
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !stat
            .rsplit(')')
            .next()
            .unwrap_or("")
            .trim_start()
            .starts_with('Z'),
        Err(_) => false,
    }
}

fn wait_for_file(path: &Path) -> String {
    loop {
        if let Ok(text) = std::fs::read_to_string(path) {
            if text.ends_with('\n') {
                return text;
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn terminate_while_a_grandchild_sleeps(signal: i32, expected_code: i32) {
    let dir = tempfile::tempdir().unwrap();
    // sh starts sleep in the background (a grandchild of run-deploy) and waits for it.
    let script = "@echo off\r\necho started\r\nsh -c \"sleep 60 & echo $! > sleeper.pid; wait\"\r\necho not reached\r\n";
    let child = run_deploy(dir.path(), script).spawn().unwrap();
    let sleeper: i32 = wait_for_file(&dir.path().join("sleeper.pid"))
        .trim()
        .parse()
        .unwrap();
    assert!(alive(sleeper));
    // SAFETY: sends a signal to the run-deploy child this test started.
    unsafe { libc::kill(child.id() as i32, signal) };
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(expected_code));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "started\n");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("interrupted: stopped `sh` and its process group"),
        "{stderr}"
    );
    while alive(sleeper) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn sigterm_kills_the_whole_group_and_exits_143() {
    terminate_while_a_grandchild_sleeps(libc::SIGTERM, 143);
}

#[test]
fn ctrl_c_kills_the_whole_group_and_exits_130() {
    terminate_while_a_grandchild_sleeps(libc::SIGINT, 130);
}

#[test]
fn a_silent_program_is_killed_after_the_idle_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let script = "@echo off\r\nset SCM_COMMAND_IDLE_TIMEOUT=1\r\nsleep 60\r\necho errorlevel %ERRORLEVEL%\r\n";
    let output = run_deploy(dir.path(), script).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout), "errorlevel 143\n");
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "run-deploy: error: `sleep` printed nothing for 1 seconds (`SCM_COMMAND_IDLE_TIMEOUT`), so it was stopped\n"
    );
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn exit_codes_outside_a_byte_never_read_as_success() {
    let dir = tempfile::tempdir().unwrap();
    for (script, code) in [
        ("@echo off\r\nexit /b 3\r\n", 3),
        ("@echo off\r\nexit /b 256\r\n", 255),
        ("@echo off\r\nexit /b -1\r\n", 255),
        ("@echo off\r\nno_such_program_zz 2>nul\r\n", 255),
    ] {
        let output = run_deploy(dir.path(), script).output().unwrap();
        assert_eq!(output.status.code(), Some(code), "{script}");
    }
}

#[test]
fn a_missing_script_says_so_and_exits_66() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_run-deploy"))
        .arg("missing.cmd")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(66));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "run-deploy: error: there is no script `missing.cmd` (chosen by command line); name one, or run in the folder that holds it\n"
    );
}

#[test]
fn windows_python_paths_run_the_installed_python_of_that_version() {
    let dir = tempfile::tempdir().unwrap();
    let script = "@echo off\r\n\
        D:\\home\\Python311\\python.exe -c \"import sys; print(sys.version_info[:2])\"\r\n\
        D:\\home\\python25\\python.exe -c \"print(1)\"\r\n\
        echo not reached\r\n";
    let output = run_deploy(dir.path(), script).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout), "(3, 11)\n");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("run-deploy: error: t.cmd:3: `D:\\home\\python25\\python.exe` stands for python 2.5, which is not installed here"),
        "{stderr}"
    );
    assert_eq!(output.status.code(), Some(1));
}
