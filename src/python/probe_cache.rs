//! What each interpreter said it is, remembered: in memory for the life of the process,
//! and (when run-deploy names a file in the state folder) across deploys. An answer is
//! used only while the interpreter's real path, modification time and size are unchanged,
//! so an upgraded or replaced interpreter is asked again. Failures are never remembered.
//! The interpreter names a folder holds are remembered the same way, while the folder's
//! modification time is unchanged.

use crate::atomic_write::write_atomic;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, SystemTime};

/// What an interpreter says about itself, as its probe prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProbeAnswer {
    /// `os.path.realpath(sys.executable)`.
    pub executable: PathBuf,
    /// `X.Y.Z`.
    pub version: String,
    /// `CPython`, `PyPy`, ...
    pub implementation: String,
    /// `sysconfig.get_platform()`.
    pub platform: String,
}

/// Which file an answer belongs to: the interpreter's real path, its modification time
/// and its size.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ProbeKey {
    /// The real path (symlinks resolved).
    pub path: PathBuf,
    /// Its modification time, when the file system has one.
    pub modified: Option<SystemTime>,
    /// Its size in bytes.
    pub size: u64,
}

impl ProbeKey {
    /// The key of the file at `real` as it is now.
    pub fn of(real: &Path) -> ProbeKey {
        let metadata = std::fs::metadata(real).ok();
        ProbeKey {
            path: real.to_path_buf(),
            modified: metadata.as_ref().and_then(|m| m.modified().ok()),
            size: metadata.map_or(0, |m| m.len()),
        }
    }
}

/// The interpreter names a folder held when its modification time was `modified`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Listing {
    modified: SystemTime,
    names: Vec<String>,
}

/// The stored form: a format number, the answers and the folders' listings (absent from
/// files written before listings were remembered).
#[derive(Serialize, Deserialize)]
struct CacheFile {
    format: u32,
    answers: Vec<(ProbeKey, ProbeAnswer)>,
    #[serde(default)]
    listings: Vec<(PathBuf, Listing)>,
}

const FORMAT: u32 = 1;

#[derive(Default)]
struct Cache {
    answers: HashMap<ProbeKey, ProbeAnswer>,
    listings: HashMap<PathBuf, Listing>,
    file: Option<PathBuf>,
    unsaved: bool,
}

fn cache() -> &'static Mutex<Cache> {
    static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// Remembers answers in `file` too, and reads what it holds (an unreadable or
/// missing file counts as empty).
pub fn use_file(file: &Path) {
    let stored: Option<CacheFile> = std::fs::read(file)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok());
    let mut cache = cache().lock().unwrap_or_else(|e| e.into_inner());
    cache.file = Some(file.to_path_buf());
    if let Some(stored) = stored.filter(|stored| stored.format == FORMAT) {
        for (key, answer) in stored.answers {
            cache.answers.entry(key).or_insert(answer);
        }
        for (dir, listing) in stored.listings {
            cache.listings.entry(dir).or_insert(listing);
        }
    }
}

/// The remembered answer for `key`.
pub fn get(key: &ProbeKey) -> Option<ProbeAnswer> {
    let cache = cache().lock().unwrap_or_else(|e| e.into_inner());
    cache.answers.get(key).cloned()
}

/// Remembers `answer` for `key` (in memory; [`save`] writes the file).
pub fn insert(key: ProbeKey, answer: ProbeAnswer) {
    let mut cache = cache().lock().unwrap_or_else(|e| e.into_inner());
    cache.answers.insert(key, answer);
    cache.unsaved = true;
}

/// The names remembered for `dir`, when its modification time is still `modified`.
pub fn listing(dir: &Path, modified: SystemTime) -> Option<Vec<String>> {
    let cache = cache().lock().unwrap_or_else(|e| e.into_inner());
    cache
        .listings
        .get(dir)
        .filter(|listing| listing.modified == modified)
        .map(|listing| listing.names.clone())
}

/// How long before a listing was read the folder must have last changed for the listing
/// to be remembered: a change made within the same tick of the file system's clock as
/// the last one would leave the modification time as it was.
const SETTLED: Duration = Duration::from_secs(2);

/// Remembers that `dir`, modified at `modified`, holds `names`, as read after `looked`
/// (taken before its modification time was read). A folder changed less than [`SETTLED`]
/// before is not remembered: a change after the reading could keep its modification time.
pub fn remember_listing(dir: &Path, modified: SystemTime, looked: SystemTime, names: Vec<String>) {
    if looked
        .duration_since(modified)
        .map_or(true, |age| age < SETTLED)
    {
        return;
    }
    let mut cache = cache().lock().unwrap_or_else(|e| e.into_inner());
    let listing = Listing { modified, names };
    if cache.listings.get(dir) != Some(&listing) {
        cache.listings.insert(dir.to_path_buf(), listing);
        cache.unsaved = true;
    }
}

/// Writes the file named by [`use_file`] when it lacks answers learnt since. Answers for
/// interpreters whose file changed or vanished are dropped. A failure to write only
/// costs speed, so it is ignored.
pub fn save() {
    let mut cache = cache().lock().unwrap_or_else(|e| e.into_inner());
    let Some(file) = cache.file.clone().filter(|_| cache.unsaved) else {
        return;
    };
    let mut answers: Vec<(ProbeKey, ProbeAnswer)> = cache
        .answers
        .iter()
        .filter(|(key, _)| ProbeKey::of(&key.path) == **key)
        .map(|(key, answer)| (key.clone(), answer.clone()))
        .collect();
    answers.sort_by(|a, b| a.0.path.cmp(&b.0.path));
    let mut listings: Vec<(PathBuf, Listing)> = cache
        .listings
        .iter()
        .filter(|(dir, listing)| {
            std::fs::metadata(dir).and_then(|m| m.modified()).ok() == Some(listing.modified)
        })
        .map(|(dir, listing)| (dir.clone(), listing.clone()))
        .collect();
    listings.sort_by(|a, b| a.0.cmp(&b.0));
    let stored = CacheFile {
        format: FORMAT,
        answers,
        listings,
    };
    if let Ok(json) = serde_json::to_vec_pretty(&stored) {
        if write_atomic(&file, &json).is_ok() {
            cache.unsaved = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_stored_and_used_only_while_the_interpreter_file_is_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let python = dir.path().join("python3.11");
        std::fs::write(&python, "one").unwrap();
        let file = dir.path().join("probes.json");
        use_file(&file);
        let key = ProbeKey::of(&python);
        let answer = ProbeAnswer {
            executable: python.clone(),
            version: "3.11.7".into(),
            implementation: "CPython".into(),
            platform: "linux-x86_64".into(),
        };
        insert(key.clone(), answer.clone());
        save();
        let stored: CacheFile = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        assert_eq!(stored.format, FORMAT);
        assert!(stored.answers.contains(&(key.clone(), answer.clone())));
        assert_eq!(get(&key), Some(answer));

        std::fs::write(&python, "a different build").unwrap();
        let changed = ProbeKey::of(&python);
        assert_ne!(changed, key);
        assert_eq!(get(&changed), None);
    }

    #[test]
    fn a_folder_listing_is_used_only_while_the_folder_is_unchanged_and_settled() {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        let modified = |path: &Path| std::fs::metadata(path).unwrap().modified().unwrap();
        let names = vec!["python3".to_string()];
        // Just changed: not remembered, a change in the same clock tick could follow.
        let now = SystemTime::now();
        remember_listing(&bin, modified(&bin), now, names.clone());
        assert_eq!(listing(&bin, modified(&bin)), None);
        // Settled: remembered, and used while the modification time is the same.
        let old = now - Duration::from_secs(60);
        filetime::set_file_mtime(&bin, filetime::FileTime::from_system_time(old)).unwrap();
        remember_listing(&bin, modified(&bin), now, names.clone());
        assert_eq!(listing(&bin, modified(&bin)), Some(names));
        std::fs::write(bin.join("python3.12"), "").unwrap();
        assert_eq!(listing(&bin, modified(&bin)), None);
    }
}
