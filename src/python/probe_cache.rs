//! What each interpreter said it is, remembered: in memory for the life of the process,
//! and (when run-deploy names a file in the state folder) across deploys. An answer is
//! used only while the interpreter's real path, modification time and size are unchanged,
//! so an upgraded or replaced interpreter is asked again. Failures are never remembered.

use crate::atomic_write::write_atomic;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::SystemTime;

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

/// The stored form: a format number and the answers.
#[derive(Serialize, Deserialize)]
struct CacheFile {
    format: u32,
    answers: Vec<(ProbeKey, ProbeAnswer)>,
}

const FORMAT: u32 = 1;

#[derive(Default)]
struct Cache {
    answers: HashMap<ProbeKey, ProbeAnswer>,
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
    let stored = CacheFile {
        format: FORMAT,
        answers,
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
}
