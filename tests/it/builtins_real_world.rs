//! Builtins and lines that real Kudu-era deploy.cmd files use (issue 12): TIME /T, DATE
//! /T, and `: text` comment lines.

use crate::common::test::{write, Test};
use std::process::Command;

/// The local clock as `date(1)` prints it with `format`.
fn clock(format: &str) -> String {
    let out = Command::new("date").arg(format).output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// `time /t` and `date /t` print the local time and date in cmd's en-US form; the
/// expected text is read from `date(1)` just before and just after the run (a minute may
/// turn over in between, so either reading is accepted).
#[test]
fn time_and_date_with_t_print_the_clock() {
    let test = Test::new();
    write(
        test.root(),
        "run.cmd",
        "@echo off\r\ntime /t\r\nDATE /T\r\n",
    );
    let before = clock("+%H:%M%n%a %m/%d/%Y");
    let ran = test.run_deploy(&["run.cmd"]);
    let after = clock("+%H:%M%n%a %m/%d/%Y");
    assert_eq!((ran.code, ran.stderr.as_str()), (0, ""), "{ran}");
    assert!(
        ran.stdout == before || ran.stdout == after,
        "{} is neither {before:?} nor {after:?}",
        ran.stdout
    );
}

/// Without /T cmd would prompt: `--check` refuses it, and a plain run says why and sets
/// ERRORLEVEL 1.
#[test]
fn time_and_date_without_t_are_errors() {
    let test = Test::new();
    write(
        test.root(),
        "run.cmd",
        "@echo off\r\ntime\r\necho %ERRORLEVEL%\r\ndate\r\necho %ERRORLEVEL%\r\nexit /b 0\r\n",
    );
    let check = test.run_deploy(&["--check", "run.cmd"]);
    assert_eq!(
        (check.code, check.stdout.as_str()),
        (
            1,
            "error: `TIME` without `/T` would prompt for a new value\n --> run.cmd:2:1\n  |\n2 | time\n  | ^^^^\n  |\n  = help: write `TIME /T` to print it\n\n\
error: `DATE` without `/T` would prompt for a new value\n --> run.cmd:4:1\n  |\n4 | date\n  | ^^^^\n  |\n  = help: write `DATE /T` to print it\n\n\
run.cmd: 2 errors; fails\n"
        ),
        "{check}"
    );
    let ran = test.run_deploy(&["run.cmd"]);
    assert_eq!(
        (ran.code, ran.stdout.as_str(), ran.stderr.as_str()),
        (
            0,
            "1\n1\n",
            "TIME without /T would prompt for a new time, and a deploy cannot answer: write `TIME /T`\n\
DATE without /T would prompt for a new date, and a deploy cannot answer: write `DATE /T`\n"
        ),
        "{ran}"
    );
}

/// `: Runtime setup` (a blank after the colon) is a comment-like line cmd never executes:
/// `--check` accepts it and the run goes past it.
#[test]
fn a_colon_and_a_blank_start_a_comment() {
    let test = Test::new();
    write(
        test.root(),
        "run.cmd",
        "@echo off\r\n: Runtime setup\r\necho after\r\n",
    );
    let check = test.run_deploy(&["--check", "--deny-warnings", "run.cmd"]);
    assert_eq!(
        (check.code, check.stdout.as_str()),
        (0, "run.cmd: ok\n"),
        "{check}"
    );
    let ran = test.run_deploy(&["run.cmd"]);
    assert_eq!(
        (ran.code, ran.stdout.as_str(), ran.stderr.as_str()),
        (0, "after\n", ""),
        "{ran}"
    );
}

/// `NUL` is the device `/dev/null`. Scripts write into it (`copy x NUL`, `>nul`), and
/// builtins must never replace or remove it: run as root, renaming a file over it or
/// unlinking it would break every program on the machine. After COPY, MOVE and DEL aimed at
/// NUL, `/dev/null` is still a character device, and the file MOVE could not move is kept.
#[test]
fn copy_move_and_del_never_replace_the_nul_device() {
    use std::os::unix::fs::FileTypeExt;
    let test = Test::new();
    write(
        test.root(),
        "run.cmd",
        "@echo off\r\necho data> a.txt\r\ncopy a.txt NUL\r\nmove a.txt NUL\r\ndel NUL\r\n\
         copy /Y a.txt nul >nul\r\nif exist a.txt type a.txt\r\nexit /b 0\r\n",
    );
    let ran = test.run_deploy(&["run.cmd"]);
    let null = std::fs::symlink_metadata("/dev/null").unwrap().file_type();
    assert!(null.is_char_device(), "/dev/null is now {null:?}; {ran}");
    assert_eq!(ran.code, 0, "{ran}");
    assert!(ran.stdout.ends_with("data\n"), "a.txt was lost: {ran}");
    assert!(test.root().join("a.txt").is_file(), "{ran}");
}

/// A file XCOPY cannot write stops it with ERRORLEVEL 5 and cmd's `File creation error`
/// line, so `|| goto error` sees the failed copy; `/C` goes on to the next file. (A file
/// where a folder should be: root may write anywhere else.)
#[test]
fn xcopy_stops_with_errorlevel_5_at_a_file_it_cannot_write() {
    let test = Test::new();
    let root = test.root();
    write(root, "src/a/one.txt", "1");
    write(root, "src/b/two.txt", "2");
    write(root, "dst/a", "a file where XCOPY needs the folder a");
    write(
        root,
        "run.cmd",
        "@echo off\r\nxcopy /e /i /y src dst || goto error\r\necho not reached\r\n:error\r\necho xcopy exit %ERRORLEVEL%\r\n\
         xcopy /e /i /y /c src dst2\r\necho with /C %ERRORLEVEL%\r\nxcopy /e /i /y /c src dst\r\necho with /C %ERRORLEVEL%\r\n",
    );
    let ran = test.run_deploy(&["run.cmd"]);
    assert_eq!(
        (ran.code, ran.stdout.as_str(), ran.stderr.as_str()),
        (
            0,
            "0 File(s) copied\nxcopy exit 5\n\
             src/a/one.txt\nsrc/b/two.txt\n2 File(s) copied\nwith /C 0\n\
             src/b/two.txt\n1 File(s) copied\nwith /C 0\n",
            "File creation error - Cannot create a file when that file already exists.\n\
             File creation error - Cannot create a file when that file already exists.\n"
        ),
        "{ran}"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("dst/b/two.txt")).unwrap(),
        "2"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("dst/a")).unwrap(),
        "a file where XCOPY needs the folder a"
    );
}
