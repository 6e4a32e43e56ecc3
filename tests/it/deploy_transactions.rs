//! Deploys are transactions, through the real `run-deploy`: a step failing after SYNC and
//! an unmodified Kudu script syncing through `%KUDU_SYNC_CMD%` leave the site as it was
//! (byte for byte, mode and time), and the next deploy starts from the last successful one.
//! (Killed deploys: deploy_killed.rs.)

use crate::common;
use crate::common::sync_tree;

use crate::common::test::Test;
use std::path::Path;
use sync_tree::{assert_same, assert_tree_is_repo_plus_site_files, set_mtime, snapshot, write};

#[test]
fn a_step_failing_after_sync_puts_every_file_sync_touched_back() {
    let test = Test::with_folders("repo", "wwwroot");
    write(&test.app, "same.txt", "the same in both versions\n");
    write(&test.app, "changed.txt", "version 1\n");
    write(&test.app, "gone.txt", "version 2 deletes this file\n");
    write(
        &test.app,
        "old/inner.txt",
        "version 2 deletes this folder\n",
    );
    write(&test.app, "run.sh", "#!/bin/sh\n");
    sync_tree::chmod(&test.app, "run.sh", 0o750);
    test.write_script("deploy.cmd", "SYNC\nexit /b 0\n");
    test.deploy(&[]).expect(0);
    write(&test.site, "site-own.txt", "the site wrote this\n");
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
        set_mtime(&test.site, path, 1_500_000_000 + index as i64);
    }
    let before = snapshot(&test.site);
    let success = test.last_success().expect("the first deploy succeeded");

    write(&test.app, "changed.txt", "version 2, longer\n");
    write(&test.app, "run.sh", "#!/bin/sh\necho 2\n");
    write(&test.app, "added.txt", "new in version 2\n");
    write(&test.app, "new/deeper/added.txt", "new folders too\n");
    std::fs::remove_file(test.app.join("gone.txt")).unwrap();
    std::fs::remove_dir_all(test.app.join("old")).unwrap();
    test.write_script("deploy.cmd", "SYNC\nexit /b 3\n");
    // Each file SYNC copies or deletes is a detail of the verbose view, on stderr.
    let failed = test.deploy(&["--verbose"]);
    failed.expect(3);
    for planned in [
        "copy file `changed.txt` (size differs)",
        "copy file `same.txt` (time differs)",
        "copy file `new/deeper/added.txt` (new)",
        "delete file `gone.txt` (removed from source, listed in previous manifest)",
        "delete file `old/inner.txt` (removed from source, listed in previous manifest)",
    ] {
        assert!(
            failed.stderr.contains(&format!("run-deploy: {planned}\n")),
            "{planned}\n{failed}"
        );
    }
    assert!(
        failed.stderr.contains(
            "run-deploy: the deploy failed, so the site was put back as it was: 6 file(s) restored,"
        ),
        "{failed}"
    );
    assert_same(&snapshot(&test.site), &before, "after the failed deploy");
    assert_eq!(test.last_success().as_deref(), Some(success.as_str()));
    let rows = test.list_rows();
    assert!(rows[0].contains(" failed "), "{rows:?}");
    assert!(rows[0].ends_with(" 3"), "the script's exit code: {rows:?}");
    assert!(rows[1].starts_with(&format!("* {success}")), "{rows:?}");
    assert_eq!(
        test.manifest_ids(),
        [success.as_str()],
        "no failed manifest"
    );

    // The next deploy starts from the last successful one: it deletes what version 2
    // deleted, and /QUIET keeps the plan lines out.
    test.write_script(
        "deploy.cmd",
        "SYNC /QUIET\necho previous=%PREVIOUS_MANIFEST_PATH%\nexit /b 0\n",
    );
    let next = test.deploy(&[]);
    next.expect(0);
    let previous = test.state.join("manifests").join(&success);
    assert!(
        next.stdout
            .contains(&format!("previous={}", previous.display())),
        "{next}"
    );
    assert!(!next.stdout.contains("copy file"), "/QUIET: {next}");
    assert_tree_is_repo_plus_site_files(&test, &["site-own.txt"]);
}

#[test]
fn an_unmodified_kudu_script_syncs_through_run_deploy_and_is_rolled_back() {
    let test = Test::with_folders("repo", "wwwroot");
    common::kuduscript::generate(&test.app, &["--basic"]);
    write(&test.app, "index.html", "version 1\n");
    write(&test.app, "old.html", "version 2 deletes this file\n");
    // The script checks `where node` before it starts; this `node` only says it ran.
    let bin = test.dir.path().join("bin");
    let ran = test.dir.path().join("node-ran");
    write(
        &bin,
        "node",
        &format!("#!/bin/sh\ntouch '{}'\nexit 1\n", ran.display()),
    );
    sync_tree::chmod(&bin, "node", 0o755);
    let deploy = || {
        let mut command = test.command(&[]);
        command.env("PATH", &bin);
        test.output(command)
    };
    let first = deploy();
    first.expect(0);
    for line in [
        "Handling Basic Web Site deployment.",
        &format!(
            "Kudu sync from: '{}' to: '{}'",
            test.app.display(),
            test.site.display()
        ),
        "Copying file: 'old.html'",
        "Finished successfully.",
    ] {
        assert!(first.stdout.lines().any(|l| l == line), "{line}\n{first}");
    }
    let kudu_sync = test.state.join("bin/kudusync");
    assert_eq!(
        std::fs::read_link(&kudu_sync).unwrap(),
        Path::new(env!("CARGO_BIN_EXE_run-deploy"))
    );
    assert!(!ran.exists(), "node never ran");
    let before = snapshot(&test.site);

    write(&test.app, "index.html", "version 2, longer\n");
    write(&test.app, "new.html", "new in version 2\n");
    std::fs::remove_file(test.app.join("old.html")).unwrap();
    // A later step fails: a post-deployment action, so the script stays Kudu's own.
    write(&test.state, "post-deploy/check.cmd", "exit /b 4\r\n");
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
    assert_same(&snapshot(&test.site), &before, "after the failed deploy");

    std::fs::remove_file(test.state.join("post-deploy/check.cmd")).unwrap();
    deploy().expect(0);
    assert!(
        !test.site.join("old.html").exists(),
        "the repository deleted it"
    );
    assert_eq!(
        std::fs::read_to_string(test.site.join("new.html")).unwrap(),
        "new in version 2\n"
    );
    assert!(!ran.exists(), "node never ran");
}

#[test]
fn a_kudusync_child_and_sync_in_one_deploy_roll_back_together() {
    let test = Test::with_folders("repo", "wwwroot");
    write(&test.app, "a/x.txt", "version 1 of x\n");
    write(&test.app, "b/y.txt", "version 1 of y\n");
    test.write_script("deploy.cmd", "SYNC /QUIET\nexit /b 0\n");
    test.deploy(&[]).expect(0);
    let before = snapshot(&test.site);

    write(&test.app, "a/x.txt", "version 2 of x, longer\n");
    write(&test.app, "b/y.txt", "version 2 of y, longer\n");
    test.write_script("deploy.cmd", concat!(
        "call \"%KUDU_SYNC_CMD%\" -q -x -f \"%DEPLOYMENT_SOURCE%\\a\" -t \"%DEPLOYMENT_TARGET%\\a\"\n",
        "SYNC \"%DEPLOYMENT_SOURCE%\\b\" \"%DEPLOYMENT_TARGET%\\b\" /NOMANIFEST /QUIET\n",
        "type \"%DEPLOYMENT_TARGET%\\a\\x.txt\" \"%DEPLOYMENT_TARGET%\\b\\y.txt\"\n",
        "exit /b 1\n",
    ));
    let failed = test.deploy(&[]);
    failed.expect(1);
    assert!(failed.stdout.contains("version 2 of x"), "{failed}");
    assert!(failed.stdout.contains("version 2 of y"), "{failed}");
    assert!(failed.stderr.contains("2 file(s) restored"), "{failed}");
    assert_same(&snapshot(&test.site), &before, "after the failed deploy");
}
