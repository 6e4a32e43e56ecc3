//! Trees of real files: build them and take exact snapshots of them, for the sync, deploy
//! and dry-run tests.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Everything a test compares about one entry of a tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Snap {
    /// A file: content, permission bits, modification time in nanoseconds.
    File(Vec<u8>, u32, i128),
    /// A folder and its permission bits.
    Dir(u32),
    /// A folder, its permission bits and modification time (a file added or removed in
    /// it changes the time), as [`tree`] takes them.
    TimedDir(u32, i128),
    /// A symlink and where it points.
    Link(PathBuf),
}

/// Every entry under `root` (not following symlinks), by relative path.
pub fn snapshot(root: &Path) -> BTreeMap<String, Snap> {
    walk(root, 1, false)
}

/// Every entry under `root` and the root itself (as ""), folders with their times: what a
/// run that must change nothing is held to. Empty when `root` does not exist.
pub fn tree(root: &Path) -> BTreeMap<String, Snap> {
    if !root.exists() {
        return BTreeMap::new();
    }
    walk(root, 0, true)
}

/// The entries of `root` from `min_depth` down, folders timed or not.
fn walk(root: &Path, min_depth: usize, timed_dirs: bool) -> BTreeMap<String, Snap> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(root).min_depth(min_depth) {
        let entry = entry.unwrap();
        let meta = entry.path().symlink_metadata().unwrap();
        let rel = entry
            .path()
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let mtime = meta.mtime() as i128 * 1_000_000_000 + meta.mtime_nsec() as i128;
        let snap = if meta.file_type().is_symlink() {
            Snap::Link(std::fs::read_link(entry.path()).unwrap())
        } else if meta.is_dir() && timed_dirs {
            Snap::TimedDir(meta.mode() & 0o7777, mtime)
        } else if meta.is_dir() {
            Snap::Dir(meta.mode() & 0o7777)
        } else {
            Snap::File(
                std::fs::read(entry.path()).unwrap(),
                meta.mode() & 0o7777,
                mtime,
            )
        };
        out.insert(rel, snap);
    }
    out
}

pub use super::test::write;

/// Sets a file's modification time to a fixed number of seconds since 1970.
pub fn set_mtime(root: &Path, rel: &str, seconds: i64) {
    let time = filetime::FileTime::from_unix_time(seconds, 0);
    filetime::set_file_mtime(root.join(rel), time).unwrap();
}

/// Sets a file's permission bits.
pub fn chmod(root: &Path, rel: &str, mode: u32) {
    std::fs::set_permissions(root.join(rel), std::fs::Permissions::from_mode(mode)).unwrap();
}

/// The relative paths of a tree, sorted.
pub fn paths(root: &Path) -> Vec<String> {
    snapshot(root).into_keys().collect()
}

/// The lines of a manifest file, sorted.
pub fn manifest_lines(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines.sort();
    lines
}

/// Runs `kudusync_main` and returns (exit code, stdout, stderr).
pub fn kudusync(args: &[&str]) -> (i32, String, String) {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = deploy_script::sync::kudusync_main_with(&args, None, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

/// Asserts two snapshots are equal, naming only the paths that differ.
#[track_caller]
pub fn assert_same(actual: &BTreeMap<String, Snap>, expected: &BTreeMap<String, Snap>, what: &str) {
    let differing: Vec<&String> = actual
        .keys()
        .chain(expected.keys())
        .filter(|path| actual.get(*path) != expected.get(*path))
        .collect();
    assert!(
        differing.is_empty(),
        "{what}: these paths differ: {differing:?}"
    );
}

/// After recovery and a successful deploy, the target is the repository (modes and times
/// too) plus the site's own files, and nothing else.
#[track_caller]
pub fn assert_tree_is_repo_plus_site_files(test: &super::test::Test, own: &[&str]) {
    let repo = snapshot(&test.app);
    let mut target = snapshot(&test.site);
    for path in own {
        assert!(target.remove(*path).is_some(), "the site's `{path}` stays");
    }
    assert_same(&target, &repo, "the target after the deploy");
}

/// Lines of the journal index, while a deploy runs (0 when there is none).
pub fn journal_records(state: &Path) -> usize {
    std::fs::read(state.join("journal/index"))
        .map(|bytes| bytes.iter().filter(|&&b| b == b'\n').count())
        .unwrap_or(0)
}
