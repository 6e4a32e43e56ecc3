//! The process module runs real programs: argument lists, full environments, streamed
//! lines, exit codes, process-group kills and the idle timeout.

use deploy_script::process::{Command, Environment, ProcessError, StreamKind};
use std::time::Duration;

fn base_env() -> Environment {
    let mut env = Environment::new();
    env.insert("PATH".into(), "/usr/bin:/bin".into());
    env
}

#[test]
fn lines_stream_in_order_with_their_stream_and_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let mut seen = Vec::new();
    let finished = Command::new("sh", dir.path(), &base_env())
        .args([
            "-c",
            "echo one; echo two >&2; sleep 0.2; printf 'three\\r\\nfour'; exit 3",
        ])
        .run(&mut |kind, line| seen.push((kind, line.to_string())))
        .unwrap();
    assert_eq!(finished.exit_code, 3);
    assert!(!finished.success());
    assert_eq!(seen, finished.lines);
    assert_eq!(finished.text(StreamKind::Stdout), "one\nthree\nfour\n");
    assert_eq!(finished.text(StreamKind::Stderr), "two\n");
}

#[test]
fn the_child_gets_exactly_the_given_environment_folder_and_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let mut env = base_env();
    env.insert("ONLY_THIS".into(), "value with spaces".into());
    let finished = Command::new("sh", dir.path(), &env)
        .args(["-c", "pwd; env | sort; echo \"$1\"", "sh", "a ; b $HOME"])
        .run(&mut |_, _| {})
        .unwrap();
    let canonical = std::fs::canonicalize(dir.path()).unwrap();
    // `env` itself adds PWD, SHLVL and `_` in some shells: keep only our names.
    let stdout = finished.text(StreamKind::Stdout);
    let lines: Vec<&str> = stdout
        .lines()
        .filter(|line| {
            !line.starts_with("PWD=") && !line.starts_with("SHLVL=") && !line.starts_with("_=")
        })
        .collect();
    assert_eq!(
        lines,
        [
            canonical.to_str().unwrap(),
            "ONLY_THIS=value with spaces",
            "PATH=/usr/bin:/bin",
            "a ; b $HOME"
        ]
    );
}

#[test]
fn a_missing_program_is_a_spawn_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let error = Command::new("no-such-program-here", dir.path(), &base_env())
        .run(&mut |_, _| {})
        .unwrap_err();
    assert!(matches!(error, ProcessError::Spawn { .. }));
    assert!(
        error
            .to_string()
            .starts_with("cannot start `no-such-program-here` in `"),
        "{error}"
    );
}

#[test]
fn a_silent_child_is_killed_by_the_idle_timeout_with_its_children() {
    let dir = tempfile::tempdir().unwrap();
    let finished = Command::new("sh", dir.path(), &base_env())
        // Both ignore SIGTERM (the disposition is inherited): only the SIGKILL ends them.
        .args(["-c", "trap '' TERM; echo started; sleep 60 & echo $!; wait"])
        .idle_timeout(Some(Duration::from_millis(300)))
        .kill_grace(Duration::from_millis(200))
        .run(&mut |_, _| {})
        .unwrap();
    assert_eq!(finished.idle_timed_out, Some(Duration::from_millis(300)));
    assert_eq!(finished.exit_code, 128 + 9);
    assert!(!finished.success());
    let grandchild: i32 = finished
        .text(StreamKind::Stdout)
        .lines()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        !process_alive(grandchild),
        "grandchild {grandchild} survived"
    );
}

#[test]
fn the_group_killer_ends_a_running_tree_from_another_thread() {
    let dir = tempfile::tempdir().unwrap();
    let running = Command::new("sh", dir.path(), &base_env())
        .args(["-c", "trap '' TERM; sleep 60 & echo $!; wait"])
        .kill_grace(Duration::from_millis(200))
        .spawn()
        .unwrap();
    let killer = running.killer();
    let mut first_line = None;
    let (sender, receiver) = std::sync::mpsc::channel();
    let waiter = std::thread::spawn(move || {
        running.wait_streaming(&mut |_, line| {
            let _ = sender.send(line.to_string());
        })
    });
    if let Ok(line) = receiver.recv() {
        first_line = Some(line);
    }
    // The shell ignores SIGTERM, so only the SIGKILL after the grace period ends it.
    killer.kill(Duration::from_millis(200));
    let finished = waiter.join().unwrap().unwrap();
    assert_eq!(finished.exit_code, 128 + 9);
    let grandchild: i32 = first_line.unwrap().parse().unwrap();
    assert!(!process_alive(grandchild));
}

/// True when `pid` is still running after waiting (up to 10 s) for a delivered SIGKILL to
/// take effect: signal delivery is asynchronous.
fn process_alive(pid: i32) -> bool {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while running_now(pid) {
        if std::time::Instant::now() > deadline {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

fn running_now(pid: i32) -> bool {
    // A zombie still answers signal 0; ask /proc for its state instead.
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|stat| {
            !stat
                .split_whitespace()
                .nth(2)
                .is_some_and(|state| state == "Z")
        })
        .unwrap_or(false)
}

#[test]
fn a_child_set_to_die_with_its_parent_ends_when_the_spawning_thread_ends() {
    let dir = tempfile::tempdir().unwrap();
    let command = Command::new("sleep", dir.path(), &base_env())
        .arg("60")
        .die_with_parent(true);
    // The thread that spawned the child ends at once, as a killed run-deploy would.
    let running = std::thread::spawn(move || command.spawn().unwrap())
        .join()
        .unwrap();
    let finished = running.wait_streaming(&mut |_, _| {}).unwrap();
    assert_eq!(finished.exit_code, 128 + 9);
}
