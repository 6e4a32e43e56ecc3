//! SYNC's transaction journal: rollback puts every touched file back byte-for-byte, also
//! after the syncing process was killed with SIGKILL.

use crate::common::sync_tree;

use deploy_script::sync::{apply, plan, Journal, SyncOptions};
use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};
use sync_tree::{chmod, set_mtime, snapshot, write, Snap};
use tempfile::TempDir;

fn options(root: &Path, next: &str, previous: Option<&str>) -> SyncOptions {
    SyncOptions {
        next_manifest: Some(root.join("state").join(next)),
        previous_manifest: previous.map(|p| root.join("state").join(p)),
        ..SyncOptions::new(root.join("repo"), root.join("wwwroot"))
    }
}

/// Deploys version 1 and lets the site write its own files; returns the options of the
/// next sync after the source became version 2 (changed, deleted, added, kind-changed).
fn two_versions(root: &Path) -> SyncOptions {
    let repo = root.join("repo");
    write(&repo, "app.py", "version = 1");
    write(&repo, "static/site.css", "body {}");
    write(&repo, "static/old/logo.svg", "<svg/>");
    write(&repo, "lib/util.py", "def f(): pass");
    write(&repo, "becomes_dir", "a file for now");
    write(&repo, "tool.sh", "#!/bin/sh\necho 1");
    chmod(&repo, "tool.sh", 0o755);
    std::os::unix::fs::symlink("app.py", repo.join("link")).unwrap();
    let first = plan(&options(root, "m1", None)).unwrap();
    apply(&first, None).unwrap();
    write(&root.join("wwwroot"), "media/upload.png", "site bytes");
    set_mtime(&root.join("wwwroot"), "app.py", 1_400_000_000);

    write(&repo, "app.py", "version = 2, longer");
    std::fs::remove_dir_all(repo.join("static/old")).unwrap();
    std::fs::remove_file(repo.join("lib/util.py")).unwrap();
    std::fs::remove_file(repo.join("becomes_dir")).unwrap();
    write(&repo, "becomes_dir/inner.py", "inner");
    write(&repo, "new/deep/file.txt", "new");
    write(&repo, "tool.sh", "#!/bin/sh\necho 2");
    std::fs::remove_file(repo.join("link")).unwrap();
    std::os::unix::fs::symlink("tool.sh", repo.join("link")).unwrap();
    options(root, "m2", Some("m1"))
}

#[test]
fn rollback_after_a_later_step_fails_puts_every_file_back_byte_for_byte() {
    let root = TempDir::new().unwrap();
    let next = two_versions(root.path());
    let target = root.path().join("wwwroot");
    let before = snapshot(&target);

    let journal = Journal::create(&root.path().join("state/journal")).unwrap();
    let planned = plan(&next).unwrap();
    let outcome = apply(&planned, Some(&journal)).unwrap();
    assert!(
        outcome.copied >= 4 && outcome.files_deleted >= 3,
        "{outcome:?}"
    );
    assert_ne!(snapshot(&target), before);
    // The deploy's next step (`exit /b 1`) fails: run-deploy rolls SYNC back.
    let report = journal.rollback().unwrap();

    sync_tree::assert_same(&snapshot(&target), &before, "after rollback");
    assert!(report.restored >= 6, "{report:?}");
    assert!(!root.path().join("state/journal").exists());
}

#[test]
fn commit_keeps_the_new_site_and_drops_the_journal() {
    let root = TempDir::new().unwrap();
    let next = two_versions(root.path());
    let journal = Journal::create(&root.path().join("state/journal")).unwrap();
    apply(&plan(&next).unwrap(), Some(&journal)).unwrap();
    journal.commit().unwrap();

    let mut expected = snapshot(&root.path().join("repo"));
    expected.insert("media".into(), Snap::Dir(0o755));
    expected.insert(
        "media/upload.png".into(),
        snapshot(&root.path().join("wwwroot"))["media/upload.png"].clone(),
    );
    assert_eq!(snapshot(&root.path().join("wwwroot")), expected);
    assert!(!root.path().join("state/journal").exists());
    assert!(Journal::open_unfinished(&root.path().join("state/journal"))
        .unwrap()
        .is_none());
}

#[test]
fn an_unfinished_journal_must_be_rolled_back_before_a_new_one() {
    let root = TempDir::new().unwrap();
    let next = two_versions(root.path());
    let dir = root.path().join("state/journal");
    let journal = Journal::create(&dir).unwrap();
    apply(&plan(&next).unwrap(), Some(&journal)).unwrap();
    drop(journal);

    let error = Journal::create(&dir).unwrap_err().to_string();
    assert_eq!(
        error,
        format!(
            "journal folder `{}` holds an unfinished journal; roll it back first",
            dir.display()
        )
    );
    let found = Journal::open_unfinished(&dir)
        .unwrap()
        .expect("the unfinished journal");
    found.rollback().unwrap();
    Journal::create(&dir).unwrap().commit().unwrap();
}

#[test]
fn a_journal_on_another_filesystem_copies_says_so_and_still_rolls_back() {
    let shm = Path::new("/dev/shm");
    let root = TempDir::new().unwrap();
    let on_other_fs =
        shm.is_dir() && shm.metadata().unwrap().dev() != root.path().metadata().unwrap().dev();
    if !on_other_fs {
        eprintln!("skipped: /dev/shm is missing or on the same filesystem as the temporary folder");
        return;
    }
    let next = two_versions(root.path());
    let before = snapshot(&root.path().join("wwwroot"));
    let journal_root = TempDir::new_in(shm).unwrap();
    let journal = Journal::create(&journal_root.path().join("journal")).unwrap();

    let outcome = apply(&plan(&next).unwrap(), Some(&journal)).unwrap();
    assert_eq!(outcome.notes.len(), 1, "{outcome:?}");
    assert!(outcome.notes[0].contains("is on another filesystem than the target: replaced and deleted files are copied into it, not moved"));
    journal.rollback().unwrap();
    sync_tree::assert_same(
        &snapshot(&root.path().join("wwwroot")),
        &before,
        "after rollback",
    );
}

const CHILD_ENV: &str = "SYNC_JOURNAL_TEST_CHILD";

/// The sync a child process runs before being killed: a big version 2 over version 1.
fn big_versions(root: &Path, new_files: usize) -> SyncOptions {
    let repo = root.join("repo");
    let block = "x".repeat(64 * 1024);
    for i in 0..600 {
        write(&repo, &format!("d{}/f{i}.txt", i % 20), &format!("v1 {i}"));
    }
    apply(&plan(&options(root, "m1", None)).unwrap(), None).unwrap();
    write(&root.join("wwwroot"), "site/own.txt", "site");
    for i in 0..600 {
        if i % 3 == 0 {
            std::fs::remove_file(repo.join(format!("d{}/f{i}.txt", i % 20))).unwrap();
        } else {
            write(
                &repo,
                &format!("d{}/f{i}.txt", i % 20),
                &format!("v2 {i} {block}"),
            );
        }
    }
    for i in 0..new_files {
        write(&repo, &format!("n{}/g{i}.bin", i % 30), &block);
    }
    options(root, "m2", Some("m1"))
}

/// Child role: sync with a journal, then wait (a later deploy step) to be killed.
fn sync_then_wait_to_be_killed(root: &Path) {
    let journal = Journal::create(&root.join("state/journal")).unwrap();
    let options = options(root, "m2", Some("m1"));
    apply(&plan(&options).unwrap(), Some(&journal)).unwrap();
    std::fs::write(root.join("applied"), "").unwrap();
    std::thread::sleep(Duration::from_secs(60));
}

#[test]
fn a_sync_killed_with_sigkill_leaves_no_half_file_and_is_rolled_back_by_the_next_run() {
    match std::env::var_os(CHILD_ENV) {
        Some(root) => sync_then_wait_to_be_killed(Path::new(&root)),
        None => kill_a_syncing_child_and_recover(
            "a_sync_killed_with_sigkill_leaves_no_half_file_and_is_rolled_back_by_the_next_run",
            40,
            1500,
        ),
    }
}

#[test]
fn a_deploy_killed_after_sync_is_rolled_back_by_the_next_run() {
    match std::env::var_os(CHILD_ENV) {
        Some(root) => sync_then_wait_to_be_killed(Path::new(&root)),
        None => kill_a_syncing_child_and_recover(
            "a_deploy_killed_after_sync_is_rolled_back_by_the_next_run",
            usize::MAX,
            30,
        ),
    }
}

/// Runs the sync in a child process (this test binary, `--exact test_name`), kills it with
/// SIGKILL once the journal holds `kill_at_records` records (or the sync is over), then
/// checks no half-written file, rolls back as the next run would, and deploys again.
fn kill_a_syncing_child_and_recover(test_name: &str, kill_at_records: usize, new_files: usize) {
    let root = TempDir::new().unwrap();
    let next = big_versions(root.path(), new_files);
    let target = root.path().join("wwwroot");
    let before = snapshot(&target);
    let new_source = snapshot(&root.path().join("repo"));
    let index = root.path().join("state/journal/index");

    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            &format!("sync_journal::{test_name}"),
            "--nocapture",
        ])
        .env(CHILD_ENV, root.path())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let started =
        |min_lines| std::fs::read_to_string(&index).is_ok_and(|t| t.lines().count() >= min_lines);
    while !started(kill_at_records) && !root.path().join("applied").exists() {
        assert!(Instant::now() < deadline, "the child never started syncing");
        assert!(
            child.try_wait().unwrap().is_none(),
            "the child exited early"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
    child.wait().unwrap();
    let phase = if root.path().join("applied").exists() {
        "after SYNC"
    } else {
        "during SYNC"
    };
    eprintln!("killed {phase}");

    // No half-written file: every file is wholly the old or wholly the new version.
    let killed = snapshot(&target);
    for (path, snap) in &killed {
        if path.ends_with(".deploy-sync-tmp") {
            continue;
        }
        let whole = [before.get(path), new_source.get(path)].contains(&Some(snap))
            || matches!(snap, Snap::Dir(_));
        assert!(
            whole,
            "`{path}` is neither the old nor the new version after the kill ({phase})"
        );
    }
    if phase == "during SYNC" {
        // The union manifest, written before any change, lists everything version 1 had.
        let union = std::fs::read_to_string(root.path().join("state/m2")).unwrap();
        let m1 = std::fs::read_to_string(root.path().join("state/m1")).unwrap();
        assert!(m1.lines().all(|line| union.lines().any(|u| u == line)));
    }

    // The next run finds the unfinished journal, rolls it back, then deploys again.
    let journal = Journal::open_unfinished(&root.path().join("state/journal"))
        .unwrap()
        .expect("unfinished journal");
    journal.rollback().unwrap();
    sync_tree::assert_same(&snapshot(&target), &before, "after rollback");
    assert!(
        !root.path().join("state/m2").exists(),
        "the rollback removes the new manifest"
    );
    apply(&plan(&next).unwrap(), None).unwrap();
    let mut expected: BTreeMap<_, _> = new_source;
    for site_path in ["site", "site/own.txt"] {
        expected.insert(site_path.to_string(), before[site_path].clone());
    }
    sync_tree::assert_same(&snapshot(&target), &expected, "after the next run");
}

const CLI_CHILD_ENV: &str = "SYNC_JOURNAL_TEST_CLI_CHILD";

#[test]
fn kudusync_command_line_records_into_the_journal_run_deploy_names() {
    if let Some(args) = std::env::var_os(CLI_CHILD_ENV) {
        // Child role: the KuduSync command line, as `%KUDU_SYNC_CMD%` runs it.
        let args: Vec<String> = args
            .to_str()
            .unwrap()
            .split('\n')
            .map(str::to_string)
            .collect();
        let code = deploy_script::sync::kudusync_main(
            &args,
            &mut std::io::stdout(),
            &mut std::io::stderr(),
        );
        std::process::exit(code);
    }
    let root = TempDir::new().unwrap();
    let next = two_versions(root.path());
    let target = root.path().join("wwwroot");
    let before = snapshot(&target);
    let journal_dir = root.path().join("state/journal");
    let args = [
        "-f",
        next.source.to_str().unwrap(),
        "-t",
        target.to_str().unwrap(),
        "-n",
        next.next_manifest.as_ref().unwrap().to_str().unwrap(),
        "-p",
        next.previous_manifest.as_ref().unwrap().to_str().unwrap(),
        "-q",
    ]
    .join("\n");
    for _ in 0..2 {
        // Two syncs of one deploy continue the same journal.
        let status = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "sync_journal::kudusync_command_line_records_into_the_journal_run_deploy_names",
            ])
            .env(CLI_CHILD_ENV, &args)
            .env(deploy_script::sync::JOURNAL_ENV, &journal_dir)
            .status()
            .unwrap();
        assert!(status.success());
    }
    assert_ne!(snapshot(&target), before);
    // The deploy failed later: run-deploy rolls back what both syncs did.
    Journal::open_unfinished(&journal_dir)
        .unwrap()
        .expect("the journal the syncs wrote")
        .rollback()
        .unwrap();
    sync_tree::assert_same(&snapshot(&target), &before, "after rollback");
}
