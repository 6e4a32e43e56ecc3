//! SYNC's manifest semantics (issue 5 "Must show"), on real trees.

use crate::common::sync_tree;

use deploy_script::sync::{apply, plan, CopyReason, DeleteReason, SyncOptions};
use std::path::Path;
use sync_tree::{manifest_lines, paths, set_mtime, snapshot, write, Snap};
use tempfile::TempDir;

/// A source, a target and a state folder for manifests.
struct Site {
    _dir: TempDir,
    source: std::path::PathBuf,
    target: std::path::PathBuf,
    state: std::path::PathBuf,
}

impl Site {
    fn new() -> Site {
        let dir = TempDir::new().unwrap();
        let (source, target, state) = (
            dir.path().join("repo"),
            dir.path().join("wwwroot"),
            dir.path().join("state"),
        );
        std::fs::create_dir_all(&source).unwrap();
        std::fs::create_dir_all(&state).unwrap();
        Site {
            _dir: dir,
            source,
            target,
            state,
        }
    }

    fn options(&self, next: &str, previous: Option<&str>) -> SyncOptions {
        SyncOptions {
            next_manifest: Some(self.state.join(next)),
            previous_manifest: previous.map(|p| self.state.join(p)),
            ignore: vec![".git;.hg;.deployment;deploy.cmd".to_string()],
            ..SyncOptions::new(&self.source, &self.target)
        }
    }

    fn sync(&self, options: &SyncOptions) -> deploy_script::sync::SyncPlan {
        let planned = plan(options).unwrap();
        apply(&planned, None).unwrap();
        planned
    }
}

#[test]
fn a_file_deleted_from_the_source_goes_and_a_file_the_site_wrote_stays() {
    let site = Site::new();
    write(&site.source, "app.py", "print(1)");
    write(&site.source, "old.py", "old");
    site.sync(&site.options("m1", None));
    write(&site.target, "uploads.db", "site data");
    std::fs::remove_file(site.source.join("old.py")).unwrap();

    let planned = site.sync(&site.options("m2", Some("m1")));

    assert_eq!(paths(&site.target), ["app.py", "uploads.db"]);
    assert_eq!(planned.deletes.len(), 1);
    assert_eq!(planned.deletes[0].reason, DeleteReason::RemovedListed);
    assert_eq!(
        planned.deletes[0].reason.text(),
        "removed from source, listed in previous manifest"
    );
    assert_eq!(manifest_lines(&site.state.join("m2")), ["app.py"]);
}

#[test]
fn an_ignored_file_is_neither_copied_nor_deleted() {
    let site = Site::new();
    write(&site.source, ".git/HEAD", "ref");
    write(&site.source, "deploy.cmd", "@echo off");
    write(&site.source, "sub/DEPLOY.CMD", "@echo off");
    write(&site.source, "index.html", "hi");
    write(&site.target, "deploy.cmd", "the site's own");
    // Even a manifest listing it (an older sync without the ignore) does not make it go.
    std::fs::write(site.state.join("m0"), "deploy.cmd\nindex.html").unwrap();

    let planned = site.sync(&site.options("m1", Some("m0")));

    assert_eq!(paths(&site.target), ["deploy.cmd", "index.html", "sub"]);
    assert_eq!(
        std::fs::read_to_string(site.target.join("deploy.cmd")).unwrap(),
        "the site's own"
    );
    let ignored: Vec<_> = planned
        .ignored
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    assert_eq!(ignored, [".git", "deploy.cmd", "sub/DEPLOY.CMD"]);
    assert_eq!(
        manifest_lines(&site.state.join("m1")),
        ["index.html", "sub"]
    );
}

#[test]
fn a_folder_emptied_by_the_repository_goes_and_one_with_site_files_stays() {
    let site = Site::new();
    write(&site.source, "gone/a/x.py", "x");
    write(&site.source, "kept/y.py", "y");
    write(&site.source, "main.py", "m");
    site.sync(&site.options("m1", None));
    write(&site.target, "kept/site-cache.bin", "cache");
    std::fs::remove_dir_all(site.source.join("gone")).unwrap();
    std::fs::remove_dir_all(site.source.join("kept")).unwrap();

    let planned = site.sync(&site.options("m2", Some("m1")));

    assert_eq!(
        paths(&site.target),
        ["kept", "kept/site-cache.bin", "main.py"]
    );
    let deleted: Vec<_> = planned
        .deletes
        .iter()
        .map(|d| d.path.to_string_lossy().into_owned())
        .collect();
    assert_eq!(deleted, ["gone/a/x.py", "gone/a", "gone", "kept/y.py"]);
    assert_eq!(manifest_lines(&site.state.join("m2")), ["main.py"]);
}

#[test]
fn without_a_previous_manifest_nothing_is_deleted_and_with_nomanifest_everything_extra_is() {
    let site = Site::new();
    write(&site.source, "a.txt", "a");
    write(&site.target, "stray.txt", "s");
    write(&site.target, "dir/stray.txt", "s");

    site.sync(&site.options("m1", None));
    assert_eq!(
        paths(&site.target),
        ["a.txt", "dir", "dir/stray.txt", "stray.txt"]
    );

    let planned = site.sync(&SyncOptions {
        use_manifest: false,
        ..site.options("m2", None)
    });
    assert_eq!(paths(&site.target), ["a.txt"]);
    assert!(planned
        .deletes
        .iter()
        .all(|d| d.reason == DeleteReason::RemovedNoManifest));
}

#[test]
fn same_size_and_time_is_copied_only_with_checksum() {
    let site = Site::new();
    write(&site.source, "settings.py", "DEBUG = 0");
    site.sync(&site.options("m1", None));
    // A build tool rewrites the file and resets its time: same size, same time.
    write(&site.source, "settings.py", "DEBUG = 1");
    let mtime = std::fs::metadata(site.target.join("settings.py"))
        .unwrap()
        .modified()
        .unwrap();
    filetime::set_file_mtime(
        site.source.join("settings.py"),
        filetime::FileTime::from_system_time(mtime),
    )
    .unwrap();

    let without = site.sync(&site.options("m2", Some("m1")));
    assert!(
        without.copies.is_empty(),
        "without /CHECKSUM equal size and time never copy"
    );
    assert_eq!(
        std::fs::read_to_string(site.target.join("settings.py")).unwrap(),
        "DEBUG = 0"
    );

    let with = site.sync(&SyncOptions {
        checksum: true,
        ..site.options("m3", Some("m2"))
    });
    assert_eq!(with.copies.len(), 1);
    assert_eq!(with.copies[0].reason, CopyReason::ContentDiffers);
    assert_eq!(
        std::fs::read_to_string(site.target.join("settings.py")).unwrap(),
        "DEBUG = 1"
    );

    let again = plan(&SyncOptions {
        checksum: true,
        ..site.options("m4", Some("m3"))
    })
    .unwrap();
    assert!(again.is_noop());
}

#[test]
fn copies_keep_mode_time_and_symlinks_and_say_why() {
    let site = Site::new();
    write(&site.source, "run.sh", "#!/bin/sh");
    sync_tree::chmod(&site.source, "run.sh", 0o750);
    set_mtime(&site.source, "run.sh", 1_600_000_000);
    write(&site.source, "size.txt", "longer");
    write(&site.source, "time.txt", "same");
    std::os::unix::fs::symlink("/etc/hostname", site.source.join("outside")).unwrap();
    std::os::unix::fs::symlink("run.sh", site.source.join("inside")).unwrap();
    write(&site.target, "size.txt", "short");
    write(&site.target, "time.txt", "same");
    set_mtime(&site.target, "time.txt", 1_500_000_000);

    let planned = site.sync(&site.options("m1", None));

    let reasons: Vec<_> = planned
        .copies
        .iter()
        .map(|c| (c.path.to_string_lossy().into_owned(), c.reason.text()))
        .collect();
    assert_eq!(
        reasons,
        [
            ("inside".into(), "new"),
            ("outside".into(), "new"),
            ("run.sh".into(), "new"),
            ("size.txt".into(), "size differs"),
            ("time.txt".into(), "time differs")
        ]
    );
    let (source, target) = (snapshot(&site.source), snapshot(&site.target));
    assert_eq!(source, target);
    assert_eq!(target["outside"], Snap::Link("/etc/hostname".into()));
    assert!(plan(&site.options("m2", Some("m1"))).unwrap().is_noop());
}

#[test]
fn the_manifest_lists_folders_then_files_in_kudusync_order() {
    let site = Site::new();
    write(&site.source, "b/z.txt", "z");
    write(&site.source, "b/c/y.txt", "y");
    write(&site.source, "a.txt", "a");
    site.sync(&site.options("m1", None));
    let text = std::fs::read_to_string(site.state.join("m1")).unwrap();
    assert_eq!(text, "a.txt\nb\nb/z.txt\nb/c\nb/c/y.txt");
}

#[test]
fn whatif_plans_and_changes_nothing() {
    let site = Site::new();
    write(&site.source, "a.txt", "a");
    let planned = plan(&SyncOptions {
        whatif: true,
        ..site.options("m1", None)
    })
    .unwrap();
    let outcome = apply(&planned, None).unwrap();
    assert_eq!(planned.lines(), ["copy file `a.txt` (new)"]);
    let json = serde_json::to_value(&planned).unwrap();
    assert_eq!(
        json["copies"][0],
        serde_json::json!({"path": "a.txt", "kind": "file", "reason": "new", "replaces": false, "size": 1})
    );
    assert_eq!(json["counts"]["copies"], 1);
    assert_eq!(outcome.copied, 0);
    assert!(!site.target.exists());
    assert!(!Path::new(&site.state.join("m1")).exists());
}

#[test]
fn a_case_only_rename_is_copied_and_the_old_name_deleted() {
    let site = Site::new();
    write(&site.source, "App.py", "same bytes");
    site.sync(&site.options("m1", None));
    std::fs::rename(site.source.join("App.py"), site.source.join("app.py")).unwrap();
    site.sync(&site.options("m2", Some("m1")));
    assert_eq!(paths(&site.target), ["app.py"]);
}

#[test]
fn kudusync_x_flag_deletes_whatever_the_source_lacks() {
    let site = Site::new();
    write(&site.source, "a.txt", "a");
    write(&site.target, "stray/x.txt", "x");
    let (s, t) = (site.source.to_str().unwrap(), site.target.to_str().unwrap());
    let (code, out, err) = sync_tree::kudusync(&["-f", s, "-t", t, "-x"]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(
        out,
        format!("Kudu sync from: '{s}' to: '{t}'\nCopying file: 'a.txt'\nDeleting file: 'stray/x.txt'\nDeleting directory: 'stray'\n")
    );
    assert_eq!(paths(&site.target), ["a.txt"]);
}

#[test]
fn a_temporary_file_left_by_a_killed_run_is_removed_by_the_next() {
    let site = Site::new();
    write(&site.source, "big.bin", "whole");
    write(&site.target, ".big.bin.deploy-sync-tmp", "wh");
    let planned = site.sync(&site.options("m1", None));
    assert_eq!(planned.clear_first.len(), 1);
    assert_eq!(planned.clear_first[0].reason, DeleteReason::LeftoverTemp);
    assert_eq!(paths(&site.target), ["big.bin"]);
}
