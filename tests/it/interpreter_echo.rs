//! ECHO ON (Kudu's scripts keep it on when `SCM_TRACE_LEVEL` is 4): each line is shown
//! after `%` expansion, after a blank line and the prompt, as Wine's cmd shows it (with a
//! Linux folder as the prompt).

use std::process::{Command, Stdio};

#[test]
fn echo_on_shows_each_line_expanded_with_the_prompt() {
    let dir = tempfile::tempdir().unwrap();
    let script =
        "set X=1\r\necho %X%\r\nif 1==1 (\r\n  echo in block\r\n)\r\n@echo off\r\necho done\r\n";
    std::fs::write(dir.path().join("e.cmd"), script).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_run-deploy"))
        .args(["--quiet", "e.cmd"])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let prompt = format!("{}>", dir.path().display());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!(
            "\n{prompt}set X=1 \n\n{prompt}echo 1 \n1\n\n{prompt}if 1==1 ( \n  echo in block\n)\nin block\ndone\n"
        )
    );
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}
