//! Deploys are transactions, through the real `run-deploy`: a step failing after SYNC, a
//! run-deploy killed with SIGKILL in the middle of SYNC or after it, and an unmodified Kudu
//! script syncing through `%KUDU_SYNC_CMD%` all leave the site as it was (byte for byte,
//! mode and time), and the next deploy starts from the last successful one.

mod common;
#[path = "common/deploy_run.rs"]
mod deploy_run;
#[path = "common/sync_tree.rs"]
mod sync_tree;

use deploy_run::{journal_records, Site};
use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;
use std::process::Stdio;
use sync_tree::{assert_same, set_mtime, snapshot, write, Snap};

/// The start of what run-deploy says when it rolls a killed deploy back.
const RECOVERED: &str =
    "run-deploy: warning: the last deploy did not finish: rolled its changes back first (";

#[test]
fn a_step_failing_after_sync_puts_every_file_sync_touched_back() {
    let site = Site::new();
    write(&site.repo, "same.txt", "the same in both versions\n");
    write(&site.repo, "changed.txt", "version 1\n");
    write(&site.repo, "gone.txt", "version 2 deletes this file\n");
    write(
        &site.repo,
        "old/inner.txt",
        "version 2 deletes this folder\n",
    );
    write(&site.repo, "run.sh", "#!/bin/sh\n");
    sync_tree::chmod(&site.repo, "run.sh", 0o750);
    site.script("SYNC\nexit /b 0\n");
    site.deploy(&[]).expect(0);
    write(&site.target, "site-own.txt", "the site wrote this\n");
    // Old times on every file: a file rewritten instead of put back would show.
    for (index, path) in [
        "same.txt",
        "changed.txt",
        "gone.txt",
        "old/inner.txt",
        "run.sh",
    ]
    .iter()
    .enumerate()
    {
        set_mtime(&site.target, path, 1_500_000_000 + index as i64);
    }
    let before = snapshot(&site.target);
    let success = site.last_success().expect("the first deploy succeeded");

    write(&site.repo, "changed.txt", "version 2, longer\n");
    write(&site.repo, "run.sh", "#!/bin/sh\necho 2\n");
    write(&site.repo, "added.txt", "new in version 2\n");
    write(&site.repo, "new/deeper/added.txt", "new folders too\n");
    std::fs::remove_file(site.repo.join("gone.txt")).unwrap();
    std::fs::remove_dir_all(site.repo.join("old")).unwrap();
    site.script("SYNC\nexit /b 3\n");
    let failed = site.deploy(&[]);
    failed.expect(3);
    for planned in [
        "copy file `changed.txt` (size differs)",
        "copy file `same.txt` (time differs)",
        "copy file `new/deeper/added.txt` (new)",
        "delete file `gone.txt` (removed from source, listed in previous manifest)",
        "delete file `old/inner.txt` (removed from source, listed in previous manifest)",
    ] {
        assert!(failed.stdout.contains(planned), "{planned}\n{failed}");
    }
    assert!(
        failed.stderr.contains(
            "run-deploy: the deploy failed, so the site was put back as it was: 6 file(s) restored,"
        ),
        "{failed}"
    );
    assert_same(&snapshot(&site.target), &before, "after the failed deploy");
    assert_eq!(site.last_success().as_deref(), Some(success.as_str()));
    let rows = site.list_rows();
    assert!(rows[0].contains(" failed "), "{rows:?}");
    assert!(rows[0].ends_with(" 3"), "the script's exit code: {rows:?}");
    assert!(rows[1].starts_with(&format!("* {success}")), "{rows:?}");
    assert_eq!(
        site.manifest_ids(),
        [success.as_str()],
        "no failed manifest"
    );

    // The next deploy starts from the last successful one: it deletes what version 2
    // deleted, and /QUIET keeps the plan lines out.
    site.script("SYNC /QUIET\necho previous=%PREVIOUS_MANIFEST_PATH%\nexit /b 0\n");
    let next = site.deploy(&[]);
    next.expect(0);
    let previous = site.state.join("manifests").join(&success);
    assert!(
        next.stdout
            .contains(&format!("previous={}", previous.display())),
        "{next}"
    );
    assert!(!next.stdout.contains("copy file"), "/QUIET: {next}");
    assert_tree_is_repo_plus_site_files(&site, &["site-own.txt"]);
}

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

/// After recovery and a successful deploy, the target is the repository (modes and times
/// too) plus the site's own files, and nothing else.
fn assert_tree_is_repo_plus_site_files(site: &Site, own: &[&str]) {
    let repo = snapshot(&site.repo);
    let mut target = snapshot(&site.target);
    for path in own {
        assert!(target.remove(*path).is_some(), "the site's `{path}` stays");
    }
    assert_same(&target, &repo, "the target after the deploy");
}

#[test]
fn a_deploy_killed_in_the_middle_of_sync_is_rolled_back_by_the_next_run() {
    let site = Site::new();
    big_version(&site.repo, 1, 3000);
    write(&site.repo, "gone.txt", "version 2 deletes this file\n");
    site.script("SYNC /QUIET\nexit /b 0\n");
    site.deploy(&[]).expect(0);
    write(&site.target, "site-own.txt", "the site wrote this\n");
    let v1 = contents(&site.target);

    big_version(&site.repo, 2, 3000);
    std::fs::remove_file(site.repo.join("gone.txt")).unwrap();
    let v2 = contents(&site.repo);
    let mut child = site.spawn_quietly(&[]);
    let records = loop {
        let records = journal_records(&site.state);
        if records >= 300 {
            break records;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the deploy ended before it could be killed: give it a bigger tree"
        );
        std::thread::sleep(std::time::Duration::from_millis(1));
    };
    child.kill().unwrap();
    child.wait().unwrap();
    let (new, temporary) = no_half_written_file(&site.target, &v1, &v2);
    assert!(
        !new.is_empty(),
        "killed after {records} records, no file was new yet"
    );
    assert!(site.target.join("gone.txt").is_file(), "deletes come last");
    eprintln!(
        "killed after {records} journal records: {} files already new, {temporary} temporary",
        new.len()
    );

    let replaced = new.iter().find(|path| v1.contains_key(*path)).unwrap();
    recover_and_deploy(&site, replaced, &v1[replaced], &["site-own.txt"]);
    let rows = site.list_rows();
    assert!(rows[1].contains(" interrupted "), "{rows:?}");
}

/// The run after a killed one: says it rolls back, puts `touched` back as version 1 had
/// it before the script runs (`TYPE` shows it), then deploys version 2 with `--no-wait` (the
/// killed run left the lock free) and deletes what version 2 deleted.
fn recover_and_deploy(site: &Site, touched: &str, old: &[u8], own: &[&str]) {
    let windows_path = touched.replace('/', "\\");
    site.script(&format!(
        "type \"%DEPLOYMENT_TARGET%\\{windows_path}\"\nSYNC /QUIET\nexit /b 0\n"
    ));
    let next = site.deploy(&["--no-wait"]);
    next.expect(0);
    assert!(next.stderr.starts_with(RECOVERED), "{next}");
    let old = String::from_utf8_lossy(old);
    assert!(
        next.stdout.contains(old.trim_end()),
        "restored first: {next}"
    );
    assert!(!site.target.join("gone.txt").exists());
    assert_tree_is_repo_plus_site_files(site, own);
    let log = site.subcommand("log", &[]);
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
    let site = Site::new();
    write(&site.repo, "changed.txt", "version 1\n");
    write(&site.repo, "gone.txt", "version 2 deletes this file\n");
    site.script("SYNC /QUIET\nexit /b 0\n");
    site.deploy(&[]).expect(0);
    let v1 = contents(&site.target);

    write(&site.repo, "changed.txt", "version 2, longer\n");
    write(&site.repo, "added.txt", "new in version 2\n");
    std::fs::remove_file(site.repo.join("gone.txt")).unwrap();
    site.script(
        "SYNC /QUIET\npython3 -c \"import os, time; print('sleeping', os.getpid(), flush=True); time.sleep(60)\"\nexit /b 0\n",
    );
    let mut child = site.command(&[]).stdout(Stdio::piped()).spawn().unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let sleeper = loop {
        let line = lines.next().expect("the script reaches its sleep").unwrap();
        if let Some(pid) = line.strip_prefix("sleeping ") {
            break KillOnDrop(pid.trim().parse().unwrap());
        }
    };
    assert!(!site.target.join("gone.txt").exists(), "SYNC is over");
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(
        unsafe { libc::kill(sleeper.0, 0) },
        0,
        "its child still runs"
    );

    recover_and_deploy(&site, "changed.txt", &v1["changed.txt"], &[]);
}

#[test]
fn an_unmodified_kudu_script_syncs_through_run_deploy_and_is_rolled_back() {
    let site = Site::new();
    common::kuduscript::generate(&site.repo, &["--basic"]);
    write(&site.repo, "index.html", "version 1\n");
    write(&site.repo, "old.html", "version 2 deletes this file\n");
    // The script checks `where node` before it starts; this `node` only says it ran.
    let bin = site.dir.path().join("bin");
    let ran = site.dir.path().join("node-ran");
    write(
        &bin,
        "node",
        &format!("#!/bin/sh\ntouch '{}'\nexit 1\n", ran.display()),
    );
    sync_tree::chmod(&bin, "node", 0o755);
    let deploy = || {
        let mut command = site.command(&[]);
        command.env("PATH", &bin);
        deploy_run::run(command)
    };
    let first = deploy();
    first.expect(0);
    for line in [
        "Handling Basic Web Site deployment.",
        &format!(
            "Kudu sync from: '{}' to: '{}'",
            site.repo.display(),
            site.target.display()
        ),
        "Copying file: 'old.html'",
        "Finished successfully.",
    ] {
        assert!(first.stdout.lines().any(|l| l == line), "{line}\n{first}");
    }
    let kudu_sync = site.state.join("bin/kudusync");
    assert_eq!(
        std::fs::read_link(&kudu_sync).unwrap(),
        Path::new(env!("CARGO_BIN_EXE_run-deploy"))
    );
    assert!(!ran.exists(), "node never ran");
    let before = snapshot(&site.target);

    write(&site.repo, "index.html", "version 2, longer\n");
    write(&site.repo, "new.html", "new in version 2\n");
    std::fs::remove_file(site.repo.join("old.html")).unwrap();
    // A later step fails: a post-deployment action, so the script stays Kudu's own.
    write(&site.state, "post-deploy/check.cmd", "exit /b 4\r\n");
    let failed = deploy();
    failed.expect(4);
    assert!(
        failed.stdout.contains("Deleting file: 'old.html'"),
        "{failed}"
    );
    assert!(
        failed
            .stderr
            .contains("put back as it was: 2 file(s) restored"),
        "{failed}"
    );
    assert_same(&snapshot(&site.target), &before, "after the failed deploy");

    std::fs::remove_file(site.state.join("post-deploy/check.cmd")).unwrap();
    deploy().expect(0);
    assert!(
        !site.target.join("old.html").exists(),
        "the repository deleted it"
    );
    assert_eq!(
        std::fs::read_to_string(site.target.join("new.html")).unwrap(),
        "new in version 2\n"
    );
    assert!(!ran.exists(), "node never ran");
}

#[test]
fn a_kudusync_child_and_sync_in_one_deploy_roll_back_together() {
    let site = Site::new();
    write(&site.repo, "a/x.txt", "version 1 of x\n");
    write(&site.repo, "b/y.txt", "version 1 of y\n");
    site.script("SYNC /QUIET\nexit /b 0\n");
    site.deploy(&[]).expect(0);
    let before = snapshot(&site.target);

    write(&site.repo, "a/x.txt", "version 2 of x, longer\n");
    write(&site.repo, "b/y.txt", "version 2 of y, longer\n");
    site.script(concat!(
        "call \"%KUDU_SYNC_CMD%\" -q -x -f \"%DEPLOYMENT_SOURCE%\\a\" -t \"%DEPLOYMENT_TARGET%\\a\"\n",
        "SYNC \"%DEPLOYMENT_SOURCE%\\b\" \"%DEPLOYMENT_TARGET%\\b\" /NOMANIFEST /QUIET\n",
        "type \"%DEPLOYMENT_TARGET%\\a\\x.txt\" \"%DEPLOYMENT_TARGET%\\b\\y.txt\"\n",
        "exit /b 1\n",
    ));
    let failed = site.deploy(&[]);
    failed.expect(1);
    assert!(failed.stdout.contains("version 2 of x"), "{failed}");
    assert!(failed.stdout.contains("version 2 of y"), "{failed}");
    assert!(failed.stderr.contains("2 file(s) restored"), "{failed}");
    assert_same(&snapshot(&site.target), &before, "after the failed deploy");
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
    let site = Site::new();
    big_version(&site.repo, 1, 1000);
    write(&site.repo, "gone.txt", "version 2 deletes this file\n");
    site.script(concat!(
        "call \"%KUDU_SYNC_CMD%\" -q -f \"%DEPLOYMENT_SOURCE%\" -t \"%DEPLOYMENT_TARGET%\"",
        " -n \"%NEXT_MANIFEST_PATH%\" -p \"%PREVIOUS_MANIFEST_PATH%\"\nexit /b 0\n"
    ));
    site.deploy(&[]).expect(0);

    big_version(&site.repo, 2, 1000);
    std::fs::remove_file(site.repo.join("gone.txt")).unwrap();
    let mut child = site.spawn_quietly(&[]);
    let kudu_sync = site.state.join("bin/kudusync");
    let sync = loop {
        if journal_records(&site.state) >= 100 {
            if let Some(pid) = pid_of(&kudu_sync) {
                break KillOnDrop(pid);
            }
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the deploy ended before it could be killed: give it a bigger tree"
        );
        std::thread::sleep(std::time::Duration::from_millis(1));
    };
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
    let mut next = site
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
    assert!(!site.target.join("gone.txt").exists());
    assert_tree_is_repo_plus_site_files(&site, &[]);
    // It ended before the rollback; its pid must not be signalled again.
    std::mem::forget(sync);
}
