//! The deployment record through the real `run-deploy`: one deploy at a time across real
//! processes (`--no-wait` refuses naming the holder, else the second waits and deploys),
//! `run-deploy log` shows a deploy's full log, and `--keep` prunes.

use crate::common::sync_tree;

use crate::common::test::Test;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use sync_tree::write;

/// A script that syncs, says it holds the deploy, then waits until the file `release`
/// appears beside the repository (or the repository is gone: a failed test's leftovers end).
const HOLD: &str = "SYNC /QUIET\necho holding\npython3 -c \"import os, time; [time.sleep(0.02) for _ in iter(lambda: os.path.exists('../release') or not os.path.exists('deploy.cmd'), True)]\"\nexit /b 0\n";

/// Kills a child left running when a test fails.
struct Reap(Child);

impl Drop for Reap {
    fn drop(&mut self) {
        _ = self.0.kill();
        _ = self.0.wait();
    }
}

/// Reads `stream` line by line until a line starts with `prefix`.
fn wait_for_line(stream: impl std::io::Read, prefix: &str) -> String {
    for line in BufReader::new(stream).lines() {
        let line = line.unwrap();
        if line.starts_with(prefix) {
            return line;
        }
    }
    panic!("the process ended without printing `{prefix}`");
}

#[test]
fn a_second_deploy_is_refused_with_no_wait_and_otherwise_waits_then_deploys() {
    let test = Test::with_folders("repo", "wwwroot");
    write(&test.app, "app.py", "print('hello')\n");
    // The python line runs with the source as its folder: `..` holds `release`.
    test.write_script("deploy.cmd", HOLD);
    let mut holder = Reap(test.command(&[]).stdout(Stdio::piped()).spawn().unwrap());
    wait_for_line(holder.0.stdout.take().unwrap(), "holding");

    let refused = test.deploy(&["--no-wait"]);
    refused.expect(75);
    let holder_pid = format!("pid {} (deployment ", holder.0.id());
    assert!(
        refused
            .stderr
            .starts_with("run-deploy: error: another deploy holds the lock `"),
        "{refused}"
    );
    assert!(refused.stderr.contains(&holder_pid), "{refused}");
    assert!(
        refused.stderr.trim_end().ends_with("(--no-wait)"),
        "{refused}"
    );

    let mut waiter = Reap(test.command(&[]).stderr(Stdio::piped()).spawn().unwrap());
    wait_for_line(
        waiter.0.stderr.take().unwrap(),
        "run-deploy: another deploy is running; waiting for it to finish",
    );
    assert!(waiter.0.try_wait().unwrap().is_none(), "it waits");
    write(test.dir.path(), "release", "");
    assert_eq!(holder.0.wait().unwrap().code(), Some(0));
    assert_eq!(waiter.0.wait().unwrap().code(), Some(0));

    let rows = test.list_rows();
    assert_eq!(rows.len(), 2, "the refused run recorded nothing: {rows:?}");
    assert!(
        rows.iter().all(|row| row.contains(" succeeded ")),
        "{rows:?}"
    );
}

#[test]
fn a_sigkilled_deploy_does_not_leave_the_lock_held() {
    let test = Test::with_folders("repo", "wwwroot");
    write(&test.app, "app.py", "print('hello')\n");
    test.write_script("deploy.cmd", HOLD);
    let mut holder = Reap(test.command(&[]).stdout(Stdio::piped()).spawn().unwrap());
    wait_for_line(holder.0.stdout.take().unwrap(), "holding");
    holder.0.kill().unwrap();
    holder.0.wait().unwrap();
    // Its python child still waits for `release`; the lock must be free all the same.
    test.write_script("deploy.cmd", "SYNC /QUIET\nexit /b 0\n");
    let next = test.deploy(&["--no-wait"]);
    next.expect(0);
    write(test.dir.path(), "release", "");
    let rows = test.list_rows();
    assert!(rows[0].contains(" succeeded "), "{rows:?}");
    assert!(rows[1].contains(" interrupted "), "{rows:?}");
}

#[test]
fn log_shows_a_deploys_full_log_and_keep_prunes_old_deployments() {
    let test = Test::with_folders("repo", "wwwroot");
    test.write_script("deploy.cmd", "SYNC\necho deploy number %1\nexit /b 0\n");
    let script = test.app.join("deploy.cmd");
    let mut ids = Vec::new();
    for number in 1..=3 {
        write(&test.app, "app.py", &format!("print({number})\n"));
        let script = script.to_str().unwrap();
        let run = test.deploy(&["--keep", "2", script, &number.to_string()]);
        run.expect(0);
        ids.push(test.last_success().unwrap());
    }
    assert_eq!(test.deployment_ids(), ids[1..], "the oldest was pruned");
    assert_eq!(test.manifest_ids(), ids[1..], "with its manifest");

    let log = test.subcommand("log", &[&ids[1]]);
    log.expect(0);
    for line in [
        format!(
            "run-deploy: running {} (command line): {} -> {}",
            script.display(),
            test.app.display(),
            test.site.display()
        ),
        "copy file `app.py` (".to_string(),
        "deploy number 2".to_string(),
        "run-deploy: succeeded in ".to_string(),
    ] {
        assert!(log.stdout.contains(&line), "{line}\n{log}");
    }
    assert!(!log.stdout.contains("deploy number 3"), "{log}");
    let newest = test.subcommand("log", &[]);
    assert!(newest.stdout.contains("deploy number 3"), "{newest}");
    let pruned = test.subcommand("log", &[&ids[0]]);
    assert_ne!(pruned.code, 0, "{pruned}");
    assert!(pruned.stderr.contains(&ids[0]), "{pruned}");
}
