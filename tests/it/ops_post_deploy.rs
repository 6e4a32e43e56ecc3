//! Post-deployment actions with the real binary: after a successful deploy every
//! `*.cmd`/`*.bat` (interpreted) and executable `*.sh` in `<state>/post-deploy/` runs, in
//! name order; a failing one fails the deploy, which is then rolled back.

use crate::common::test::{write, Test};
use std::os::unix::fs::PermissionsExt;

fn executable(path: &std::path::Path) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn actions_run_in_name_order_and_a_failing_one_fails_and_rolls_back_the_deploy() {
    let layout = Test::new().app_files(&[
        ("deploy.cmd", "@echo off\nSYNC /IGNORE deploy.cmd\n"),
        ("app.py", "VERSION = 1\n"),
    ]);
    let order = layout.dir.path().join("order.txt");
    let actions = layout.state.join("post-deploy");
    write(
        &actions,
        "10-first.cmd",
        "@echo off\r\necho 10-first.cmd in %CD%>> \"%ORDER_FILE%\"\r\n",
    );
    write(
        &actions,
        "20-second.sh",
        "#!/bin/sh\necho \"20-second.sh in $(pwd)\" >> \"$ORDER_FILE\"\n",
    );
    executable(&actions.join("20-second.sh"));
    write(&actions, "15-not-executable.sh", "#!/bin/sh\nexit 9\n");
    write(
        &actions,
        "30-third.bat",
        "@echo off\necho 30-third.bat>> \"%ORDER_FILE%\"\n",
    );
    write(&actions, "notes.txt", "not an action\n");
    let envs = [("ORDER_FILE", order.to_str().unwrap())];

    let deployed = layout.deploy_with(&[], &envs);
    assert_eq!(deployed.code, 0, "{deployed:?}");
    let site = std::fs::canonicalize(&layout.site).unwrap();
    assert_eq!(
        std::fs::read_to_string(&order).unwrap(),
        format!(
            "10-first.cmd in {0}\n20-second.sh in {0}\n30-third.bat\n",
            site.display()
        )
    );
    let stderr = layout.redact(&deployed.stderr);
    assert!(
        stderr
            .contains("run-deploy: post-deployment action `[TMP]/state/post-deploy/10-first.cmd`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: `[TMP]/state/post-deploy/15-not-executable.sh`"),
        "{stderr}"
    );

    // A failing action fails the deploy: the actions after it do not run, and the site
    // is put back as it was.
    std::fs::remove_file(&order).unwrap();
    write(
        &actions,
        "25-fail.sh",
        "#!/bin/sh\necho failing >&2\nexit 4\n",
    );
    executable(&actions.join("25-fail.sh"));
    write(&layout.app, "app.py", "VERSION = 2\n");
    let failed = layout.deploy_with(&[], &envs);
    assert_eq!(failed.code, 4, "{failed:?}");
    assert_eq!(
        std::fs::read_to_string(&order).unwrap(),
        format!("10-first.cmd in {0}\n20-second.sh in {0}\n", site.display())
    );
    let stderr = layout.redact(&failed.stderr);
    for expected in [
        "failing\n",
        "run-deploy: error: post-deployment action `[TMP]/state/post-deploy/25-fail.sh` failed with exit code 4",
        "run-deploy: the deploy failed, so the site was put back as it was: 1 file(s) restored",
        "run-deploy: FAILED (exit 4)",
    ] {
        assert!(stderr.contains(expected), "no `{expected}` in:\n{stderr}");
    }
    assert_eq!(
        std::fs::read_to_string(layout.site.join("app.py")).unwrap(),
        "VERSION = 1\n"
    );
}
