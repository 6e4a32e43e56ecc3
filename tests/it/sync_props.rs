//! Properties of SYNC on generated trees (proptest, real files): after a sync the target is
//! the source plus the site's own files; after a rollback it is byte-for-byte what it was.

use crate::common::sync_tree;

use deploy_script::sync::{apply, plan, Journal, SyncOptions};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use sync_tree::snapshot;
use tempfile::TempDir;

/// A tree: relative file paths (names from a small alphabet, so versions overlap) and bytes.
fn tree() -> impl Strategy<Value = BTreeMap<String, Vec<u8>>> {
    let name = prop::sample::select(vec!["a", "b", "C", "d.txt", "e.py"]);
    let path = prop::collection::vec(name, 1..4).prop_map(|parts| parts.join("/"));
    prop::collection::btree_map(path, prop::collection::vec(any::<u8>(), 0..40), 0..12)
}

/// Writes the files, skipping any that would need a file to also be a folder.
fn write_tree(root: &Path, files: &BTreeMap<String, Vec<u8>>, mtime: i64) {
    std::fs::create_dir_all(root).unwrap();
    for (path, bytes) in files {
        let full = root.join(path);
        let blocked = full.ancestors().skip(1).any(|a| a.is_file()) || full.is_dir();
        if blocked {
            continue;
        }
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(&full, bytes).unwrap();
        filetime::set_file_mtime(&full, filetime::FileTime::from_unix_time(mtime, 0)).unwrap();
    }
}

fn options(root: &Path, next: &str, previous: Option<&str>) -> SyncOptions {
    SyncOptions {
        next_manifest: Some(root.join(next)),
        previous_manifest: previous.map(|p| root.join(p)),
        ..SyncOptions::new(root.join("repo"), root.join("www"))
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn sync_mirrors_the_source_keeps_site_files_and_rolls_back_exactly(v1 in tree(), v2 in tree()) {
        let dir = TempDir::new().unwrap();
        let (repo, www) = (dir.path().join("repo"), dir.path().join("www"));
        write_tree(&repo, &v1, 1_000_000_000);
        apply(&plan(&options(dir.path(), "m1", None)).unwrap(), None).unwrap();
        std::fs::write(www.join("site-own.log"), b"site").unwrap();
        let before = snapshot(&www);

        std::fs::remove_dir_all(&repo).unwrap();
        write_tree(&repo, &v2, 1_100_000_000);
        let journal = Journal::create(&dir.path().join("journal")).unwrap();
        apply(&plan(&options(dir.path(), "m2", Some("m1"))).unwrap(), Some(&journal)).unwrap();

        let mut expected = snapshot(&repo);
        expected.insert("site-own.log".into(), before["site-own.log"].clone());
        prop_assert_eq!(&snapshot(&www), &expected);
        prop_assert!(plan(&options(dir.path(), "m3", Some("m2"))).unwrap().is_noop());

        journal.rollback().unwrap();
        prop_assert_eq!(&snapshot(&www), &before);
    }
}
