//! Every batch script Kudu's generator writes passes `run-deploy --check` with no error.

mod common;

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
        // The only warning Kudu's scripts earn is the python script's fallback interpreter,
        // `%SYSTEMDRIVE%\python27\python.exe`, which cannot exist on Linux.
        let last = stdout.lines().last().unwrap_or_default();
        if kind == "python" {
            assert_eq!(last, "deploy.cmd: 1 warning; passes", "{stdout}");
            assert!(
                stdout.contains("%SYSTEMDRIVE%\\python27\\python.exe"),
                "{stdout}"
            );
        } else {
            assert_eq!(last, "deploy.cmd: ok", "{kind}: {stdout}");
        }
    }
}
