//! SYNC's refusals and failures: each error names the file or folder and exits non-zero.

use crate::common::sync_tree;

use deploy_script::sync::{apply, plan, Journal, SyncError, SyncOptions};
use std::path::{Path, PathBuf};
use std::process::Command;
use sync_tree::{kudusync, write};
use tempfile::TempDir;

/// Makes a path unwritable for the length of a test: `chattr +i` as root (permission bits
/// do not stop root), `chmod a-w` otherwise.
struct ReadOnly(PathBuf, bool);

impl ReadOnly {
    fn new(path: &Path) -> ReadOnly {
        let root = unsafe { libc::geteuid() } == 0;
        if root {
            let status = Command::new("chattr")
                .arg("+i")
                .arg(path)
                .status()
                .expect("chattr runs");
            assert!(status.success(), "chattr +i failed");
        } else {
            sync_tree::chmod(
                path.parent().unwrap(),
                path.file_name().unwrap().to_str().unwrap(),
                0o555,
            );
        }
        ReadOnly(path.to_path_buf(), root)
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        if self.1 {
            _ = Command::new("chattr").arg("-i").arg(&self.0).status();
        } else {
            _ = std::fs::set_permissions(
                &self.0,
                std::os::unix::fs::PermissionsExt::from_mode(0o755),
            );
        }
    }
}

fn tree() -> (TempDir, PathBuf, PathBuf) {
    let dir = TempDir::new().unwrap();
    let (source, target) = (dir.path().join("repo"), dir.path().join("wwwroot"));
    write(&source, "sub/new.txt", "new");
    write(&source, "keep.txt", "v2 longer");
    write(&target, "keep.txt", "v1");
    std::fs::create_dir_all(target.join("sub")).unwrap();
    (dir, source, target)
}

fn run(source: &Path, target: &Path, manifest: &Path) -> (i32, String, String) {
    let (s, t, m) = (
        source.to_str().unwrap(),
        target.to_str().unwrap(),
        manifest.to_str().unwrap(),
    );
    kudusync(&["-f", s, "-t", t, "-n", m, "-q"])
}

#[test]
fn a_read_only_target_folder_is_named_and_exits_non_zero() {
    let (dir, source, target) = tree();
    let _guard = ReadOnly::new(&target.join("sub"));
    let (code, out, err) = run(&source, &target, &dir.path().join("m"));
    assert_eq!((code, out.as_str()), (1, ""));
    let file = target.join("sub/new.txt");
    let expected_root = format!("error: cannot write `{}`: operation not permitted; the file or folder is protected (immutable?), lift that and run again\n", file.display());
    let expected_user = format!("error: cannot write `{}`: permission denied; make it writable (or run as its owner) and run again\n", file.display());
    assert!(err == expected_root || err == expected_user, "{err}");
}

#[test]
fn a_protected_target_file_is_named_with_and_without_a_journal() {
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: only root can make a single file unreplaceable (chattr +i)");
        return;
    }
    let (dir, source, target) = tree();
    let _guard = ReadOnly::new(&target.join("keep.txt"));
    let planned = plan(&SyncOptions::new(&source, &target)).unwrap();
    let error = apply(&planned, None).unwrap_err().to_string();
    assert!(
        error.starts_with(&format!(
            "cannot write `{}`: operation not permitted",
            target.join("keep.txt").display()
        )),
        "{error}"
    );
    let journal = Journal::create(&dir.path().join("journal")).unwrap();
    let error = apply(&planned, Some(&journal)).unwrap_err().to_string();
    assert!(
        error.starts_with(&format!(
            "cannot move into the journal `{}`: operation not permitted",
            target.join("keep.txt").display()
        )),
        "{error}"
    );
    journal.rollback().unwrap();
}

#[test]
fn a_source_file_vanished_after_planning_is_named() {
    let (_dir, source, target) = tree();
    let planned = plan(&SyncOptions::new(&source, &target)).unwrap();
    std::fs::remove_file(source.join("sub/new.txt")).unwrap();
    let error = apply(&planned, None).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("source file `{}` vanished during the sync; something changed the source, run the sync again", source.join("sub/new.txt").display())
    );
    assert!(!target.join("sub/.new.txt.deploy-sync-tmp").exists());
}

#[test]
fn a_target_file_vanished_after_planning_is_named() {
    let (dir, source, target) = tree();
    let planned = plan(&SyncOptions::new(&source, &target)).unwrap();
    std::fs::remove_file(target.join("keep.txt")).unwrap();
    let journal = Journal::create(&dir.path().join("journal")).unwrap();
    let error = apply(&planned, Some(&journal)).unwrap_err();
    assert!(
        matches!(&error, SyncError::TargetVanished(p) if p == &target.join("keep.txt")),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        format!("target file `{}` vanished during the sync; another process changed the target, run the sync again", target.join("keep.txt").display())
    );
    journal.rollback().unwrap();
    assert!(!target.join("keep.txt").exists() && !target.join("sub/new.txt").exists());
}

#[test]
fn equal_nested_and_missing_folders_are_refused() {
    let (dir, source, target) = tree();
    let m = dir.path().join("m");
    let cases = [
        (
            source.clone(),
            source.clone(),
            format!(
                "error: source and target are the same folder `{}`; give a different target\n",
                source.display()
            ),
        ),
        (
            source.clone(),
            source.join("sub/site"),
            format!(
                "error: `{}` is inside `{}`; source and target must not be nested in each other\n",
                source.join("sub/site").display(),
                source.display()
            ),
        ),
        (
            target.join("sub"),
            target.clone(),
            format!(
                "error: `{}` is inside `{}`; source and target must not be nested in each other\n",
                target.join("sub").display(),
                target.display()
            ),
        ),
        (
            dir.path().join("nope"),
            target.clone(),
            format!(
                "error: source folder `{}` does not exist; check the source path\n",
                dir.path().join("nope").display()
            ),
        ),
        (
            source.join("keep.txt"),
            target.clone(),
            format!(
                "error: source `{}` is not a folder; give the folder to copy from\n",
                source.join("keep.txt").display()
            ),
        ),
    ];
    for (from, to, expected) in cases {
        assert_eq!(run(&from, &to, &m), (1, String::new(), expected));
    }
    // Without `-q` too, a refusal prints nothing on stdout (kudusync checks before its header).
    let missing = dir.path().join("nope");
    let (code, out, _) = kudusync(&[
        "-f",
        missing.to_str().unwrap(),
        "-t",
        target.to_str().unwrap(),
        "-n",
        m.to_str().unwrap(),
    ]);
    assert_eq!((code, out.as_str()), (1, ""));
    // The same folder reached through a symlink is still the same folder.
    std::os::unix::fs::symlink(&source, dir.path().join("alias")).unwrap();
    let error = plan(&SyncOptions::new(&source, dir.path().join("alias"))).unwrap_err();
    assert!(matches!(error, SyncError::SameFolder(_)));
    assert!(!m.exists());
}

#[test]
fn a_target_folder_holding_site_files_where_the_source_has_a_file_is_refused() {
    let (_dir, source, target) = tree();
    write(&source, "uploads", "now a file");
    write(&target, "uploads/user.png", "site file");
    let error = plan(&SyncOptions::new(&source, &target)).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("`{}` is a folder in the target but a file in the source, and the target one is not SYNC's to delete; move it away and run again", target.join("uploads").display())
    );
}

#[test]
fn missing_flags_and_unknown_options_print_usage_and_exit_1() {
    let (code, out, err) = kudusync(&["-f", "a", "-t", "b"]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(err.starts_with("error: missing required argument: give `-f`, `-t` and `-n` (or `-x`)\n\n  Usage: kudusync [options]"), "{err}");
    let (code, _, err) = kudusync(&["--frobnicate"]);
    assert_eq!(code, 1);
    assert!(err.starts_with("error: unknown option `--frobnicate`\n"));
    let (code, _, err) = kudusync(&["-f", "a", "-t", "b", "-n", "m", "-q", "-v", "3"]);
    assert_eq!(code, 1);
    assert!(err.starts_with("error: cannot use `--quiet` and `--verbose` together\n"));
}

#[test]
fn a_journal_inside_the_target_is_refused() {
    let (_dir, source, target) = tree();
    let journal = Journal::create(&target.join(".journal")).unwrap();
    let error = apply(
        &plan(&SyncOptions::new(&source, &target)).unwrap(),
        Some(&journal),
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "journal folder `{}` is inside `{}`; keep the journal in the deployment state folder",
            target.join(".journal").display(),
            target.canonicalize().unwrap().display()
        )
    );
    assert_eq!(
        std::fs::read_to_string(target.join("keep.txt")).unwrap(),
        "v1"
    );
}
