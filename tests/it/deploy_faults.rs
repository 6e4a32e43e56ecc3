//! Faults through the real `run-deploy`: a protected target file is named and fails the
//! deploy (the rest is rolled back); equal, nested and missing folders are refused with a
//! clear error, and a refused deploy leaves the repository as it was.

use crate::common::sync_tree;

use crate::common::test::{run_deploy_exe, Output, Test};
use std::path::Path;
use std::process::Command;
use sync_tree::{assert_same, snapshot, write};

/// Makes a file unchangeable for the length of a test: `chattr +i` as root (permission
/// bits do not stop root), else its folder read-only.
struct Protected(std::path::PathBuf, bool);

impl Protected {
    fn new(file: &Path) -> Protected {
        let root = unsafe { libc::geteuid() } == 0;
        if root {
            let status = Command::new("chattr").arg("+i").arg(file).status();
            assert!(status.unwrap().success(), "chattr +i failed");
            Protected(file.to_path_buf(), true)
        } else {
            let folder = file.parent().unwrap();
            set_mode(folder, 0o555);
            Protected(folder.to_path_buf(), false)
        }
    }
}

impl Drop for Protected {
    fn drop(&mut self) {
        if self.1 {
            _ = Command::new("chattr").arg("-i").arg(&self.0).status();
        } else {
            set_mode(&self.0, 0o755);
        }
    }
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Deploys `source` into `target` with SYNC, the state in `state`.
fn deploy(test: &Test, source: &Path, target: &Path, state: Option<&Path>) -> Output {
    let mut command = test.bare_command(run_deploy_exe());
    command
        .arg("--source")
        .arg(source)
        .arg("--target")
        .arg(target);
    if let Some(state) = state {
        command.arg("--state-dir").arg(state);
    }
    test.output(command)
}

#[test]
fn a_protected_target_file_is_named_and_fails_the_deploy() {
    let test = Test::with_folders("repo", "wwwroot");
    write(&test.app, "app/locked.txt", "version 1\n");
    write(&test.app, "app/other.txt", "version 1\n");
    test.write_script("deploy.cmd", "SYNC /QUIET\n");
    test.deploy(&[]).expect(0);
    let before = snapshot(&test.site);

    write(&test.app, "app/locked.txt", "version 2, longer\n");
    write(&test.app, "app/other.txt", "version 2, longer\n");
    let locked = test.site.join("app/locked.txt");
    let guard = Protected::new(&locked);
    let failed = test.deploy(&[]);
    drop(guard);
    assert_ne!(failed.code, 0, "{failed}");
    assert!(
        failed
            .stderr
            .contains("run-deploy: error: SYNC failed: cannot "),
        "{failed}"
    );
    let named = failed.stderr.lines().find(|l| l.contains("SYNC failed"));
    let named = named.unwrap();
    assert!(
        named.contains(&format!("`{}`", locked.display()))
            || named.contains(&format!("`{}`", test.site.join("app").display())),
        "names the file or its folder: {failed}"
    );
    assert_same(&snapshot(&test.site), &before, "the rest is rolled back");
    assert!(test.list_rows()[0].contains(" failed "));
}

#[test]
fn equal_nested_and_missing_folders_are_refused() {
    let test = Test::with_folders("repo", "wwwroot");
    let dir = test.root();
    write(&test.app, "app.py", "print('hello')\n");
    test.write_script("deploy.cmd", "SYNC\n");
    let repo_before = sync_tree::paths(&test.app);
    let state = dir.join("state");

    let equal = deploy(&test, &test.app, &test.app, Some(&state));
    assert_eq!(equal.code, 1, "{equal}");
    let message = format!(
        "run-deploy: error: SYNC failed: source and target are the same folder `{}`; give a different target",
        test.app.display()
    );
    assert!(equal.stderr.contains(&message), "{equal}");

    let inside = test.app.join("site");
    let nested = deploy(&test, &test.app, &inside, Some(&state));
    assert_eq!(nested.code, 1, "{nested}");
    let message = format!(
        "`{}` is inside `{}`; source and target must not be nested in each other",
        inside.display(),
        test.app.display()
    );
    assert!(nested.stderr.contains(&message), "{nested}");

    let outer = dir.join("outer");
    let within = outer.join("repo");
    write(&within, "deploy.cmd", "SYNC\r\n");
    let contained = deploy(&test, &within, &outer, Some(&state));
    assert_eq!(contained.code, 1, "{contained}");
    let message = format!(
        "`{}` is inside `{}`; source and target must not be nested in each other",
        within.display(),
        outer.display()
    );
    assert!(contained.stderr.contains(&message), "{contained}");

    // The default state folder of a target inside the source would be deployed.
    let default_state = deploy(&test, &test.app, &inside, None);
    assert_eq!(default_state.code, 1, "{default_state}");
    let message = format!(
        "run-deploy: error: the state folder `{}` is inside the source `{}`, so it would be deployed; pass a `--state-dir` outside the source",
        test.app.join(".deploy-state/site").display(),
        test.app.display()
    );
    assert_eq!(default_state.stderr.trim_end(), message);

    let missing = dir.join("no-such-repo");
    let absent = deploy(&test, &missing, &test.site, Some(&state));
    assert_eq!(absent.code, 66, "{absent}");
    assert_eq!(
        absent.stderr.trim_end(),
        format!(
            "run-deploy: error: the source folder `{}` does not exist",
            missing.display()
        )
    );

    test.write_script(
        "deploy.cmd",
        "SYNC \"%DEPLOYMENT_SOURCE%\\..\\no-such-folder\"\n",
    );
    let gone = test.deploy(&[]);
    assert_eq!(gone.code, 1, "{gone}");
    let message = format!(
        "SYNC failed: source folder `{}` does not exist; check the source path",
        test.app.join("../no-such-folder").display()
    );
    assert!(gone.stderr.contains(&message), "{gone}");

    assert_eq!(
        sync_tree::paths(&test.app),
        repo_before,
        "nothing added to the repository"
    );
}

#[test]
fn a_script_named_relative_to_the_current_folder_knows_its_own_folder() {
    let test = Test::with_folders("repo", "wwwroot");
    test.write_script("deploy.cmd", "echo script folder %~dp0\n");
    let mut command = test.command(&["repo/deploy.cmd"]);
    command.current_dir(test.dir.path());
    let ran = test.output(command);
    ran.expect(0);
    let expected = format!("script folder {}/", test.app.display());
    assert!(ran.stdout.lines().any(|l| l == expected), "{ran}");
}
