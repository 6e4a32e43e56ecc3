//! Side by side with the real `kudusync` (npm 0.2.3) on the same trees: the same files
//! copied, the same deleted, the same manifest, except for documented fixed defects
//! (we keep file modes; kudusync does not). Skips, saying why, where kudusync is missing.

use crate::common::sync_tree;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use sync_tree::{kudusync, snapshot, write, Snap};
use tempfile::TempDir;

const IGNORE: &str = ".git;.hg;.deployment;deploy.cmd;*.PYC;static/*.map";

fn have_kudusync() -> bool {
    let found = Command::new("kudusync")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("skipped: `kudusync` is not on PATH (npm install -g kudusync@0.2.3 to run this comparison)");
    }
    found
}

/// Runs both with the same flags on their own target; returns (theirs, ours) stdout.
fn both(root: &Path, next: &str, previous: Option<&str>) -> (String, String) {
    let mut results = Vec::new();
    for who in ["theirs", "ours"] {
        let target = root.join(format!("target-{who}"));
        let mut args = vec![
            "-f".to_string(),
            root.join("repo").display().to_string(),
            "-t".to_string(),
            target.display().to_string(),
            "-n".to_string(),
            root.join(format!("{who}-{next}")).display().to_string(),
            "-i".to_string(),
            IGNORE.to_string(),
        ];
        if let Some(previous) = previous {
            args.extend([
                "-p".to_string(),
                root.join(format!("{who}-{previous}")).display().to_string(),
            ]);
        }
        let out = if who == "theirs" {
            let output = Command::new("kudusync").args(&args).output().unwrap();
            assert!(output.status.success(), "kudusync failed: {output:?}");
            String::from_utf8(output.stdout).unwrap()
        } else {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let (code, out, err) = kudusync(&args);
            assert_eq!((code, err.as_str()), (0, ""));
            out
        };
        results.push(out);
    }
    (results.remove(0), results.remove(0))
}

/// The lines of one kind (`Copying file`, `Deleting file`, ...), as a set.
fn lines(out: &str, prefix: &str) -> BTreeSet<String> {
    out.lines()
        .filter(|l| l.starts_with(prefix))
        .map(str::to_string)
        .collect()
}

fn assert_same_run(root: &Path, theirs: &str, ours: &str, next: &str) {
    for prefix in [
        "Copying file",
        "Deleting file",
        "Deleting directory",
        "Ignoring",
    ] {
        assert_eq!(
            lines(ours, prefix),
            lines(theirs, prefix),
            "`{prefix}` lines differ"
        );
    }
    let manifest = |who: &str| std::fs::read_to_string(root.join(format!("{who}-{next}"))).unwrap();
    assert_eq!(manifest("ours"), manifest("theirs"), "manifests differ");
    // Same paths, same bytes; modes and sub-millisecond times are ours to keep.
    let content = |who: &str| -> Vec<(String, Option<Vec<u8>>)> {
        snapshot(&root.join(format!("target-{who}")))
            .into_iter()
            .map(|(path, snap)| {
                (
                    path,
                    if let Snap::File(bytes, ..) = snap {
                        Some(bytes)
                    } else {
                        None
                    },
                )
            })
            .collect()
    };
    assert_eq!(content("ours"), content("theirs"), "targets differ");
}

#[test]
fn same_copies_deletes_and_manifest_as_kudusync() {
    if !have_kudusync() {
        return;
    }
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    let repo = root.join("repo");
    for (path, text) in [
        ("app.py", "app"),
        ("requirements.txt", "flask"),
        ("deploy.cmd", "@echo off"),
        (".git/HEAD", "ref"),
        ("pkg/__init__.py", ""),
        ("pkg/mod.py", "x = 1"),
        ("pkg/mod.pyc", "compiled"),
        ("pkg/.hidden.pyc", "minimatch: `*` skips a leading dot"),
        ("pkg/deep/er/leaf.txt", "leaf"),
        ("static/app.js", "js"),
        ("static/app.js.map", "map"),
        ("static/img/logo.svg", "<svg/>"),
        ("old/gone.txt", "gone"),
        ("old/sub/gone2.txt", "gone"),
        ("Upper Case/Name With Space.TXT", "spaces"),
    ] {
        write(&repo, path, text);
    }
    std::fs::create_dir_all(repo.join("empty")).unwrap();
    for who in ["theirs", "ours"] {
        write(&root.join(format!("target-{who}")), "site/log.txt", "site");
    }

    let (theirs, ours) = both(root, "m1", None);
    assert_same_run(root, &theirs, &ours, "m1");
    assert!(lines(&ours, "Copying file").len() >= 10);

    std::fs::remove_dir_all(repo.join("old")).unwrap();
    std::fs::remove_file(repo.join("pkg/mod.py")).unwrap();
    write(&repo, "app.py", "app version 2");
    write(&repo, "new/thing.txt", "new");
    for who in ["theirs", "ours"] {
        write(
            &root.join(format!("target-{who}")),
            "old/site-wrote-this.txt",
            "site",
        );
        write(
            &root.join(format!("target-{who}")),
            "pkg/mod.pyc",
            "site compiled it",
        );
    }
    let (theirs, ours) = both(root, "m2", Some("m1"));
    assert_same_run(root, &theirs, &ours, "m2");
    assert!(lines(&ours, "Deleting file").contains("Deleting file: 'pkg/mod.py'"));

    let (theirs, ours) = both(root, "m3", Some("m2"));
    assert_same_run(root, &theirs, &ours, "m3");
    assert!(lines(&ours, "Copying file").is_empty());
}

#[test]
fn output_lines_follow_kudusync() {
    let dir = TempDir::new().unwrap();
    let (repo, target) = (dir.path().join("repo"), dir.path().join("www"));
    write(&repo, "a.txt", "a");
    write(&repo, "b/c.txt", "c");
    write(&repo, ".git/HEAD", "ref");
    let (s, t, m) = (
        repo.display().to_string(),
        target.display().to_string(),
        dir.path().join("m").display().to_string(),
    );
    let (code, out, err) = kudusync(&["-f", &s, "-t", &t, "-n", &m, "-i", ".git"]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(out, format!("Kudu sync from: '{s}' to: '{t}'\nIgnoring: .git\nCopying file: 'a.txt'\nCopying file: 'b/c.txt'\n"));

    std::fs::remove_dir_all(repo.join("b")).unwrap();
    let m2 = dir.path().join("m2").display().to_string();
    let (code, out, _) = kudusync(&["-f", &s, "-t", &t, "-n", &m2, "-p", &m, "-v", "2"]);
    assert_eq!(code, 0);
    assert_eq!(out, format!("Kudu sync from: '{s}' to: '{t}'\nCopying file: '.git/HEAD'\nOmitting next output lines...\n"));
    assert_eq!(
        std::fs::read_to_string(&m2).unwrap(),
        "a.txt\n.git\n.git/HEAD"
    );
}
