//! One deploy at a time, across real processes: this test binary re-runs itself as the
//! other process (`lock_helper_process`, steered by environment variables), which takes
//! the same lock through the same code.

use deploy_script::report::mask::Masker;
use deploy_script::state::{Deployment, LockError, LockState, StateDir, Status};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};

use crate::common::deployment_site;

use deployment_site::{site, try_begin, Site};

const MODE: &str = "DEPLOYMENT_LOCK_TEST_MODE";
const TARGET: &str = "DEPLOYMENT_LOCK_TEST_TARGET";

fn begin(state: &StateDir, source: &Path, wait: bool) -> Result<Deployment, LockError> {
    try_begin(state, source, 20, Masker::default(), wait)
}

/// The other process; killed when dropped, so a failing test does not leave it behind.
struct Helper {
    child: Child,
    stdout: BufReader<ChildStdout>,
}

impl Helper {
    /// Runs this test binary as the other process, in `mode`, on `site`.
    fn spawn(site: &Site, mode: &str) -> Helper {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "deployment_lock::lock_helper_process",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(MODE, mode)
            .env(TARGET, &site.target)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Helper { child, stdout }
    }

    /// The word after `prefix` in the next line the helper printed that has it (the test
    /// harness may print its own text before it on the same line).
    fn expect(&mut self, prefix: &str) -> String {
        let mut line = String::new();
        loop {
            line.clear();
            let read = self.stdout.read_line(&mut line).unwrap();
            assert_ne!(read, 0, "the helper ended before printing `{prefix}`");
            if let Some((_, rest)) = line.split_once(prefix) {
                return rest
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_owned();
            }
        }
    }

    /// Closes its stdin (it then finishes its deployment) and waits for it to succeed.
    fn finish(&mut self) {
        drop(self.child.stdin.take());
        assert!(self.child.wait().unwrap().success());
    }
}

impl Drop for Helper {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// As a child process (MODE set): `hold` takes the lock, begins a deployment, prints
/// `locked <id>` (and `grandchild <pid>` for `hold-with-child`), and finishes it when stdin
/// closes; `wait` tries once without waiting, prints `held-by <pid>`, then waits, prints
/// `locked <id>` and finishes. Without MODE it checks the lock inside one process.
#[test]
fn lock_helper_process() {
    let Some(mode) = std::env::var_os(MODE) else {
        let site = site();
        let first = begin(&site.state, &site.source, false).unwrap();
        let second = begin(&site.state, &site.source, false).unwrap_err();
        assert!(
            matches!(&second, LockError::LockHeld { holder: Some(h), .. } if h.deployment == *first.id()),
            "{second}"
        );
        let id = first.id().clone();
        first.finish(Status::Succeeded, 0).unwrap();
        assert_eq!(site.state.lock_state().unwrap(), LockState::Free);
        assert_eq!(site.state.last_success().unwrap(), Some(id));
        return;
    };
    let target = std::env::var_os(TARGET).unwrap();
    let state = StateDir::new(Path::new(&target), None).unwrap();
    let source = Path::new(&target).parent().unwrap().join("repo");
    let mut grandchild = None;
    let deployment = match mode.to_str().unwrap() {
        "wait" => {
            let refused = begin(&state, &source, false).unwrap_err();
            let LockError::LockHeld {
                holder: Some(holder),
                ..
            } = refused
            else {
                panic!("expected the lock to be held: {refused}");
            };
            println!("held-by {}", holder.pid);
            begin(&state, &source, true).unwrap()
        }
        mode => {
            let deployment = begin(&state, &source, false).unwrap();
            if mode == "hold-with-child" {
                let child = Command::new("sleep").arg("60").spawn().unwrap();
                println!("grandchild {}", child.id());
                grandchild = Some(child);
            }
            deployment
        }
    };
    println!("locked {}", deployment.id());
    std::io::stdout().flush().unwrap();
    let mut rest = Vec::new();
    std::io::stdin().read_to_end(&mut rest).unwrap();
    if let Some(mut child) = grandchild {
        child.kill().unwrap();
        child.wait().unwrap();
    }
    deployment.finish(Status::Succeeded, 0).unwrap();
}

#[test]
fn a_second_process_is_refused_and_told_who_holds_the_lock() {
    let site = site();
    let mut helper = Helper::spawn(&site, "hold");
    let child_id = helper.expect("locked ");

    let err = begin(&site.state, &site.source, false).unwrap_err();
    let LockError::LockHeld {
        holder: Some(holder),
        ..
    } = &err
    else {
        panic!("expected LockHeld, got {err}");
    };
    assert_eq!(holder.pid, helper.child.id());
    assert_eq!(holder.deployment.as_str(), child_id);
    assert!(holder
        .command_line
        .iter()
        .any(|arg| arg == "deployment_lock::lock_helper_process"));
    let message = err.to_string();
    assert!(
        message.starts_with("another deploy holds the lock `"),
        "{message}"
    );
    assert!(
        message.contains(&format!("pid {} (deployment {child_id}", helper.child.id())),
        "{message}"
    );
    assert!(
        message.ends_with("run again without `--no-wait` to wait for it"),
        "{message}"
    );

    let records = site.state.deployments().unwrap();
    assert_eq!(records[0].id.as_str(), child_id);
    assert_eq!(records[0].status, Status::Running);

    helper.finish();
    let mine = begin(&site.state, &site.source, false).unwrap();
    assert_eq!(
        site.state.last_success().unwrap().unwrap().as_str(),
        child_id
    );
    mine.finish(Status::Failed, 1).unwrap();
}

#[test]
fn a_waiting_process_deploys_after_the_holder_finishes() {
    let site = site();
    let mine = begin(&site.state, &site.source, false).unwrap();
    let mut helper = Helper::spawn(&site, "wait");
    assert_eq!(helper.expect("held-by "), std::process::id().to_string());
    let my_id = mine.id().clone();
    mine.finish(Status::Succeeded, 0).unwrap();

    let child_id = helper.expect("locked ");
    assert!(child_id.as_str() > my_id.as_str());
    helper.finish();
    let statuses: Vec<_> = site
        .state
        .deployments()
        .unwrap()
        .into_iter()
        .map(|record| (record.id.to_string(), record.status))
        .collect();
    assert_eq!(
        statuses,
        [
            (child_id.clone(), Status::Succeeded),
            (my_id.to_string(), Status::Succeeded)
        ]
    );
    assert_eq!(
        site.state.last_success().unwrap().unwrap().as_str(),
        child_id
    );
}

#[test]
fn a_sigkilled_holder_leaves_the_lock_free_even_while_its_child_lives() {
    let site = site();
    let mut helper = Helper::spawn(&site, "hold-with-child");
    let grandchild: i32 = helper.expect("grandchild ").parse().unwrap();
    let child_id = helper.expect("locked ");
    assert!(matches!(
        site.state.lock_state().unwrap(),
        LockState::Held { holder: Some(_) }
    ));

    helper.child.kill().unwrap();
    helper.child.wait().unwrap();
    // The grandchild (`sleep 60`) still runs, and must not keep the lock alive.
    assert_eq!(
        unsafe { libc::kill(grandchild, 0) },
        0,
        "the grandchild should still run"
    );
    let state_after_kill = site.state.lock_state().unwrap();
    unsafe { libc::kill(grandchild, libc::SIGKILL) };
    assert_eq!(state_after_kill, LockState::Free);

    let record = &site.state.deployments().unwrap()[0];
    assert_eq!(record.id.as_str(), child_id);
    assert_eq!(record.status, Status::Interrupted);
    assert_eq!(record.exit_code, None);
    assert_eq!(site.state.last_success().unwrap(), None);

    let next = begin(&site.state, &site.source, false).unwrap();
    next.finish(Status::Succeeded, 0).unwrap();
    let statuses: Vec<Status> = site
        .state
        .deployments()
        .unwrap()
        .iter()
        .map(|record| record.status)
        .collect();
    assert_eq!(statuses, [Status::Succeeded, Status::Interrupted]);
}
