//! Every batch script Kudu's generator writes passes `run-deploy --check` with no error.

use crate::common;

use common::kuduscript::{generate, KINDS};
use std::process::Command;

#[test]
fn every_kuduscript_batch_script_checks_without_errors() {
    for (kind, flags) in KINDS {
        let dir = tempfile::tempdir().unwrap();
        let script = generate(dir.path(), flags);
        let output = Command::new(env!("CARGO_BIN_EXE_run-deploy"))
            .current_dir(dir.path())
            .args(["--check", "deploy.cmd"])
            .env_remove("COMMAND")
            .output()
            .unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert_eq!(output.status.code(), Some(0), "{kind}: {stdout}");
        assert!(!stdout.contains("error:"), "{kind}: {stdout}");
        assert!(script.is_file());
        // Kudu's scripts earn no warning; notes say where a Linux rule applies. The python
        // script's fallback interpreter, `%SYSTEMDRIVE%\python27\python.exe`, runs the
        // installed Python 2.7 here, and the note says so.
        assert!(!stdout.contains("warning:"), "{kind}: {stdout}");
        let last = stdout.lines().last().unwrap_or_default();
        let notes = stdout.matches("\nnote: ").count() + usize::from(stdout.starts_with("note: "));
        let expected = match notes {
            0 => "deploy.cmd: ok".to_string(),
            1 => "deploy.cmd: ok (1 note)".to_string(),
            n => format!("deploy.cmd: ok ({n} notes)"),
        };
        assert_eq!(last, expected, "{kind}: {stdout}");
        if kind == "python" {
            assert!(
                stdout.contains("note: `%SYSTEMDRIVE%\\python27\\python.exe` runs the Python 2.7 installed here"),
                "{stdout}"
            );
            assert!(stdout.contains("note: `NUL` is `/dev/null`"), "{stdout}");
        }
    }
}
