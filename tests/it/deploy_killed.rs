//! A run-deploy killed with SIGKILL, through the real binary: in the middle of SYNC, after
//! it (its child still running), or while a KuduSync child syncs. No file is ever half
//! written, the lock is free, and the next run rolls the killed deploy back (waiting for a
//! KuduSync child still at work), says so, then deploys and deletes what the repository
//! deleted.

use crate::common::sync_tree;

use crate::common::test::Test;
use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;
use std::process::Stdio;
use sync_tree::{assert_tree_is_repo_plus_site_files, journal_records, snapshot, write, Snap};

/// The start of what run-deploy says when it rolls a killed deploy back.
const RECOVERED: &str =
    "run-deploy: warning: the last deploy did not finish: rolled its changes back first (";

/// The files of one version of a big repository: `files` small files in nested folders
/// (each naming its version, so the two versions differ in size) and, in version 2, one
/// 48 MiB file.
fn big_version(repo: &Path, version: u32, files: usize) {
    for i in 0..files {
        let text = format!("version {version} of file {i}\n").repeat(version as usize);
        write(repo, &format!("d{}/e{}/f{i}.txt", i % 10, i % 7), &text);
    }
    if version == 2 {
        let block: Vec<u8> = (0..1024 * 1024).map(|i| (i % 251) as u8).collect();
        std::fs::write(repo.join("big.bin"), block.repeat(48)).unwrap();
    }
}

/// Every regular file of a tree and its bytes.
fn contents(root: &Path) -> BTreeMap<String, Vec<u8>> {
    snapshot(root)
        .into_iter()
        .filter_map(|(path, snap)| match snap {
            Snap::File(bytes, _, _) => Some((path, bytes)),
            _ => None,
        })
        .collect()
}

/// Checks that every file of the target at its real name is whole: as version 1 had it, or
/// as version 2 has it. Returns how many were already version 2's, and the temporary
/// files (`.deploy-sync-tmp`) a reader never sees.
fn no_half_written_file(
    target: &Path,
    v1: &BTreeMap<String, Vec<u8>>,
    v2: &BTreeMap<String, Vec<u8>>,
) -> (Vec<String>, usize) {
    let (mut new, mut temporary) = (Vec::new(), 0);
    for (path, bytes) in contents(target) {
        if path.ends_with(".deploy-sync-tmp") {
            temporary += 1;
        } else if v2.get(&path) == Some(&bytes) && v1.get(&path) != Some(&bytes) {
            new.push(path);
        } else {
            assert_eq!(v1.get(&path), Some(&bytes), "`{path}` is half written");
        }
    }
    (new, temporary)
}

/// Polls `ready` until it gives a value, while the deploy `child` still runs: a deploy that
/// ends first is a test whose tree is too small to catch it in the middle.
fn while_running<T>(child: &mut std::process::Child, mut ready: impl FnMut() -> Option<T>) -> T {
    loop {
        if let Some(value) = ready() {
            return value;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the deploy ended before it could be killed: give it a bigger tree"
        );
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

#[test]
fn a_deploy_killed_in_the_middle_of_sync_is_rolled_back_by_the_next_run() {
    let test = Test::with_folders("repo", "wwwroot");
    big_version(&test.app, 1, 2000);
    write(&test.app, "gone.txt", "version 2 deletes this file\n");
    test.write_script("deploy.cmd", "SYNC /QUIET\nexit /b 0\n");
    test.deploy(&[]).expect(0);
    write(&test.site, "site-own.txt", "the site wrote this\n");
    let v1 = contents(&test.site);

    big_version(&test.app, 2, 2000);
    std::fs::remove_file(test.app.join("gone.txt")).unwrap();
    let v2 = contents(&test.app);
    let mut child = test.spawn_quietly(&[]);
    let records = while_running(&mut child, || {
        let records = journal_records(&test.state);
        (records >= 300).then_some(records)
    });
    child.kill().unwrap();
    child.wait().unwrap();
    let (new, temporary) = no_half_written_file(&test.site, &v1, &v2);
    assert!(
        !new.is_empty(),
        "killed after {records} records, no file was new yet"
    );
    assert!(test.site.join("gone.txt").is_file(), "deletes come last");
    eprintln!(
        "killed after {records} journal records: {} files already new, {temporary} temporary",
        new.len()
    );

    let replaced = new.iter().find(|path| v1.contains_key(*path)).unwrap();
    recover_and_deploy(&test, replaced, &v1[replaced], &["site-own.txt"]);
    let rows = test.list_rows();
    assert!(rows[1].contains(" interrupted "), "{rows:?}");
}

/// The run after a killed one: says it rolls back, puts `touched` back as version 1 had
/// it before the script runs (`TYPE` shows it), then deploys version 2 with `--no-wait` (the
/// killed run left the lock free) and deletes what version 2 deleted.
fn recover_and_deploy(test: &Test, touched: &str, old: &[u8], own: &[&str]) {
    let windows_path = touched.replace('/', "\\");
    test.write_script(
        "deploy.cmd",
        &format!("type \"%DEPLOYMENT_TARGET%\\{windows_path}\"\nSYNC /QUIET\nexit /b 0\n"),
    );
    let next = test.deploy(&["--no-wait"]);
    next.expect(0);
    assert!(next.stderr.starts_with(RECOVERED), "{next}");
    let old = String::from_utf8_lossy(old);
    assert!(
        next.stdout.contains(old.trim_end()),
        "restored first: {next}"
    );
    assert!(!test.site.join("gone.txt").exists());
    assert_tree_is_repo_plus_site_files(test, own);
    let log = test.subcommand("log", &[]);
    assert!(
        log.stdout.contains(&RECOVERED["run-deploy: ".len()..]),
        "{log}"
    );
}

/// Kills the process `pid` when dropped (the sleeping child a killed run-deploy leaves).
struct KillOnDrop(i32);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        unsafe { libc::kill(self.0, libc::SIGKILL) };
    }
}

#[test]
fn a_deploy_killed_after_sync_is_rolled_back_though_its_child_still_runs() {
    let test = Test::with_folders("repo", "wwwroot");
    write(&test.app, "changed.txt", "version 1\n");
    write(&test.app, "gone.txt", "version 2 deletes this file\n");
    test.write_script("deploy.cmd", "SYNC /QUIET\nexit /b 0\n");
    test.deploy(&[]).expect(0);
    let v1 = contents(&test.site);

    write(&test.app, "changed.txt", "version 2, longer\n");
    write(&test.app, "added.txt", "new in version 2\n");
    std::fs::remove_file(test.app.join("gone.txt")).unwrap();
    test.write_script("deploy.cmd", 
        "SYNC /QUIET\npython3 -c \"import os, time; print('sleeping', os.getpid(), flush=True); time.sleep(60)\"\nexit /b 0\n",
    );
    let mut child = test.command(&[]).stdout(Stdio::piped()).spawn().unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let sleeper = loop {
        let line = lines.next().expect("the script reaches its sleep").unwrap();
        if let Some(pid) = line.strip_prefix("sleeping ") {
            break KillOnDrop(pid.trim().parse().unwrap());
        }
    };
    assert!(!test.site.join("gone.txt").exists(), "SYNC is over");
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(
        unsafe { libc::kill(sleeper.0, 0) },
        0,
        "its child still runs"
    );

    recover_and_deploy(&test, "changed.txt", &v1["changed.txt"], &[]);
}

/// The pid of the running process started as `program`.
fn pid_of(program: &Path) -> Option<i32> {
    use std::os::unix::ffi::OsStrExt;
    std::fs::read_dir("/proc")
        .ok()?
        .flatten()
        .find_map(|entry| {
            let pid = entry.file_name().to_str()?.parse().ok()?;
            let cmdline = std::fs::read(entry.path().join("cmdline")).ok()?;
            let first = cmdline.split(|&byte| byte == 0).next()?;
            (first == program.as_os_str().as_bytes()).then_some(pid)
        })
}

#[test]
fn a_run_after_a_killed_deploy_waits_for_the_kudusync_child_it_left_running() {
    let test = Test::with_folders("repo", "wwwroot");
    big_version(&test.app, 1, 1000);
    write(&test.app, "gone.txt", "version 2 deletes this file\n");
    test.write_script(
        "deploy.cmd",
        concat!(
            "call \"%KUDU_SYNC_CMD%\" -q -f \"%DEPLOYMENT_SOURCE%\" -t \"%DEPLOYMENT_TARGET%\"",
            " -n \"%NEXT_MANIFEST_PATH%\" -p \"%PREVIOUS_MANIFEST_PATH%\"\nexit /b 0\n"
        ),
    );
    test.deploy(&[]).expect(0);

    big_version(&test.app, 2, 1000);
    std::fs::remove_file(test.app.join("gone.txt")).unwrap();
    let mut child = test.spawn_quietly(&[]);
    let kudu_sync = test.state.join("bin/kudusync");
    let sync = while_running(&mut child, || {
        if journal_records(&test.state) < 100 {
            return None;
        }
        pid_of(&kudu_sync).map(KillOnDrop)
    });
    // Its parent killed first (stopping a child whose parent then dies gets it a SIGHUP),
    // then stopped: the orphaned KuduSync stays in the middle of its sync while the next
    // run starts.
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(unsafe { libc::kill(sync.0, libc::SIGSTOP) }, 0);
    loop {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", sync.0)).unwrap_or_default();
        match stat
            .rsplit(") ")
            .next()
            .and_then(|rest| rest.chars().next())
        {
            Some('T') => break,
            Some('R' | 'S' | 'D') => std::thread::yield_now(),
            _ => panic!("the KuduSync child ended before it was stopped: {stat}"),
        }
    }
    let mut next = test
        .command(&[])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(next.stderr.take().unwrap()).lines();
    let first = lines.next().expect("the next run speaks").unwrap();
    assert_eq!(
        first,
        "run-deploy: warning: a KuduSync started by the last deploy, which did not finish, is still running; waiting for it to end before rolling back"
    );
    assert_eq!(unsafe { libc::kill(sync.0, libc::SIGCONT) }, 0);
    let rest: Vec<String> = lines.map(Result::unwrap).collect();
    assert_eq!(next.wait().unwrap().code(), Some(0), "{rest:#?}");
    assert!(rest[0].starts_with(RECOVERED), "{rest:#?}");
    assert!(!test.site.join("gone.txt").exists());
    assert_tree_is_repo_plus_site_files(&test, &[]);
    // It ended before the rollback; its pid must not be signalled again.
    std::mem::forget(sync);
}
