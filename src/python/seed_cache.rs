//! The wheels `python -m ensurepip` would install into a new env (pip, and setuptools
//! before Python 3.12), unpacked and byte-compiled once per interpreter, so that a new env
//! gets them by a file copy ([`super::seed`]) instead of a pip run: what virtualenv's
//! app-data seeder does. A deploy keeps the cache in its state folder (`<state>/seeds/`);
//! without one, a temporary folder serves one build.
//!
//! # An entry
//! ```text
//! seeds/<key>/entry.json      the interpreter, its version, every file with size and hash
//! seeds/<key>/site-packages/  the wheels' files, INSTALLER, REQUESTED, RECORD and the *.pyc
//! ```
//! `<key>` is a hash of the interpreter's real path and version. An entry is built in a
//! temporary folder (`.tmp-*`) and renamed into place whole, so it is there complete or not
//! at all. Its files are not synced one by one; instead each is checked against its size
//! and hash every time it is copied out, so a corrupt or partial entry (a power cut after
//! the rename, a hand edit) is detected and rebuilt, never used.
//!
//! # Sharing
//! Deploys of several sites may use the cache at once. Building takes `seeds/.lock`, so
//! builds take turns: a deploy that waited for another's build uses that entry instead of
//! building again, and leftovers of a killed build are removed only under the lock. Reading
//! takes no lock: an entry replaced while it is being copied reads as corrupt, and the
//! reader then takes the lock and uses (or builds) the entry that is there.

use super::discover::Interpreter;
use super::seed_error::SeedError;
use super::version::PythonVersion;
use crate::atomic_write::TEMP_PREFIX;
use crate::process::{variable, Command, Environment, StreamKind};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The format of entry.json; an entry of another format is rebuilt.
const FORMAT: u32 = 1;
/// An entry's description, written last.
const ENTRY_FILE: &str = "entry.json";
/// An entry's files, laid out as in an env's site-packages.
const SITE_PACKAGES: &str = "site-packages";
/// The lock file builds take turns on.
const LOCK_FILE: &str = ".lock";
/// The variable that names the seed cache folder.
pub const CACHE_VARIABLE: &str = "DEPLOY_SEED_CACHE";
/// What `INSTALLER` says: the same as after ensurepip's own `pip install`, so pip treats
/// the seeded pip as one it installed (it upgrades and uninstalls it).
const INSTALLER: &str = "pip\n";

/// The seed cache: one folder, one entry per interpreter.
#[derive(Debug)]
pub struct SeedCache {
    root: PathBuf,
    /// Set when the cache was made for one build; removed with it.
    _temporary: Option<tempfile::TempDir>,
}

/// What [`SeedCache::build`] did.
#[derive(Debug)]
pub enum Build {
    /// Built this entry.
    Now(SeedEntry),
    /// Found this entry, put there by another deploy while this one waited for the lock.
    ByAnother(SeedEntry),
    /// Nothing: the interpreter has no wheels for ensurepip to install.
    NotBundled,
}

/// One interpreter's seed: its wheels unpacked and compiled, as entry.json describes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedEntry {
    /// [`FORMAT`].
    pub format: u32,
    /// The interpreter's real path.
    pub interpreter: PathBuf,
    /// Its version.
    pub version: PythonVersion,
    /// The modification time (seconds since 1970) of every file, in the cache and in each
    /// env seeded from it: the time the `*.pyc` were compiled against.
    pub modified: u64,
    /// The wheels, in the order ensurepip names them.
    pub wheels: Vec<SeedWheel>,
}

/// One unpacked wheel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedWheel {
    /// `pip`.
    pub name: String,
    /// `23.2.1`.
    pub version: String,
    /// `pip-23.2.1.dist-info`.
    pub dist_info: String,
    /// Its `[console_scripts]`.
    pub console_scripts: Vec<ConsoleScript>,
    /// Its files under site-packages, `*.pyc`, INSTALLER, REQUESTED and RECORD included.
    pub files: Vec<SeedFile>,
}

/// One `name = module:function` line of a wheel's `[console_scripts]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleScript {
    /// `pip3`.
    pub name: String,
    /// `pip._internal.cli.main`.
    pub module: String,
    /// `main`.
    pub function: String,
}

/// One cached file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedFile {
    /// Relative to site-packages, `/`-separated.
    pub path: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its xxh3 hash.
    pub hash: u64,
    /// Whether the wheel marks it executable.
    pub executable: bool,
}

/// Where one wheel ensurepip installs lies, as `seed_wheels.py` prints it.
#[derive(Debug, Deserialize)]
struct BundledWheel {
    name: String,
    version: String,
    path: PathBuf,
}

impl SeedCache {
    /// The cache in `root`, created when first written.
    pub fn at(root: &Path) -> SeedCache {
        SeedCache {
            root: root.to_path_buf(),
            _temporary: None,
        }
    }

    /// The cache in the first of `folders` that is a folder or can be made one; a
    /// temporary one when none can. The caches in the folders after it are removed: the
    /// state folder's `seeds/`, which deploys before the user's cache existed (or while
    /// it could not be made) filled, and which nothing reads while that one works.
    pub fn first_usable(folders: &[PathBuf]) -> Result<SeedCache, SeedError> {
        let Some(chosen) = folders
            .iter()
            .position(|folder| std::fs::create_dir_all(folder).is_ok())
        else {
            return SeedCache::temporary();
        };
        let folder = &folders[chosen];
        for unused in folders[chosen + 1..].iter().filter(|f| *f != folder) {
            if unused.is_dir() {
                // Only disk space depends on it.
                let _ = std::fs::remove_dir_all(unused);
            }
        }
        Ok(SeedCache::at(folder))
    }

    /// A cache for one build (no state folder), removed when dropped.
    pub fn temporary() -> Result<SeedCache, SeedError> {
        let dir = tempfile::Builder::new()
            .prefix("deploy-script-seeds-")
            .tempdir()
            .map_err(SeedError::io("create", &std::env::temp_dir()))?;
        Ok(SeedCache {
            root: dir.path().to_path_buf(),
            _temporary: Some(dir),
        })
    }

    /// The cache's folder; `None` for a temporary one.
    pub fn folder(&self) -> Option<&Path> {
        self._temporary.is_none().then_some(self.root.as_path())
    }

    /// The folder of `interpreter`'s entry.
    pub fn entry_dir(&self, interpreter: &Interpreter) -> PathBuf {
        let mut identity = interpreter
            .executable
            .as_os_str()
            .as_encoded_bytes()
            .to_vec();
        identity.push(0);
        identity.extend_from_slice(interpreter.version.to_string().as_bytes());
        let key = xxhash_rust::xxh3::xxh3_64(&identity);
        self.root.join(format!("{key:016x}"))
    }

    /// `interpreter`'s entry as entry.json describes it, if there is one of this format for
    /// this interpreter (its files are checked as they are copied: [`read_checked`]).
    pub fn load(&self, interpreter: &Interpreter) -> Option<SeedEntry> {
        let bytes = std::fs::read(self.entry_dir(interpreter).join(ENTRY_FILE)).ok()?;
        let entry: SeedEntry = serde_json::from_slice(&bytes).ok()?;
        (entry.format == FORMAT
            && entry.interpreter == interpreter.executable
            && entry.version == interpreter.version)
            .then_some(entry)
    }

    /// Builds `interpreter`'s entry afresh, replacing `seen` (what [`SeedCache::load`] gave
    /// before, found missing or corrupt), under the cache's lock. When another deploy put
    /// a different entry in place meanwhile, that one is returned instead.
    pub fn build(
        &self,
        interpreter: &Interpreter,
        environment: &Environment,
        seen: Option<&SeedEntry>,
    ) -> Result<Build, SeedError> {
        std::fs::create_dir_all(&self.root).map_err(SeedError::io("create", &self.root))?;
        let _turn = self.lock()?;
        if let Some(there) = self.load(interpreter) {
            if seen != Some(&there) {
                return Ok(Build::ByAnother(there));
            }
        }
        let bundled = bundled_wheels(interpreter, environment)?;
        if bundled.is_empty() {
            return Ok(Build::NotBundled);
        }
        remove_leftovers(&self.root);
        let building = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .tempdir_in(&self.root)
            .map_err(SeedError::io("create a folder in", &self.root))?;
        let site_packages = building.path().join(SITE_PACKAGES);
        let modified = std::fs::metadata(&bundled[0].path)
            .and_then(|m| m.modified())
            .map_err(SeedError::io("read", &bundled[0].path))?;
        let modified = modified
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        let mut wheels = Vec::new();
        for wheel in &bundled {
            wheels.push(unpack(wheel, &site_packages, modified)?);
        }
        compile(interpreter, &site_packages, environment)?;
        let compiled = compiled_by_source(&site_packages);
        for wheel in &mut wheels {
            finish_wheel(wheel, &site_packages, &compiled)?;
        }
        let entry = SeedEntry {
            format: FORMAT,
            interpreter: interpreter.executable.clone(),
            version: interpreter.version,
            modified,
            wheels,
        };
        let json = serde_json::to_vec_pretty(&entry).map_err(|error| SeedError::Io {
            doing: "serialise",
            path: building.path().join(ENTRY_FILE),
            source: error.into(),
        })?;
        let entry_file = building.path().join(ENTRY_FILE);
        std::fs::write(&entry_file, json).map_err(SeedError::io("write", &entry_file))?;
        self.put_in_place(building, &self.entry_dir(interpreter))?;
        Ok(Build::Now(entry))
    }

    /// Waits for the cache's lock, held until the returned file is dropped.
    fn lock(&self) -> Result<std::fs::File, SeedError> {
        use fs4::fs_std::FileExt;
        let path = self.root.join(LOCK_FILE);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(SeedError::io("create", &path))?;
        FileExt::lock_exclusive(&file).map_err(SeedError::io("lock", &path))?;
        Ok(file)
    }

    /// Renames the finished `building` folder to `entry_dir`, moving an old entry aside
    /// first and removing it after.
    fn put_in_place(&self, building: tempfile::TempDir, entry_dir: &Path) -> Result<(), SeedError> {
        let old = self.root.join(format!(
            "{TEMP_PREFIX}old-{}",
            entry_dir.file_name().unwrap_or_default().to_string_lossy()
        ));
        if entry_dir.exists() {
            let _ = std::fs::remove_dir_all(&old);
            std::fs::rename(entry_dir, &old).map_err(SeedError::io("move aside", entry_dir))?;
        }
        std::fs::rename(building.path(), entry_dir).map_err(SeedError::io("create", entry_dir))?;
        // Kept: it is the entry now.
        let _ = building.keep();
        let _ = std::fs::remove_dir_all(&old);
        if let Ok(folder) = std::fs::File::open(&self.root) {
            // Only speed depends on the rename surviving a power cut: a lost entry is rebuilt.
            let _ = folder.sync_all();
        }
        Ok(())
    }
}

/// The folders a deploy's seed cache may be in, best first ([`SeedCache::first_usable`]):
/// `DEPLOY_SEED_CACHE` when set (relative to `cwd`); else the user's cache folder,
/// `$XDG_CACHE_HOME/deploy-script/seeds` (when that is absolute, as the XDG specification
/// asks) or `$HOME/.cache/deploy-script/seeds`; then `state_seeds`, the state folder's
/// `seeds/`.
pub fn cache_folders(
    environment: &Environment,
    cwd: &Path,
    state_seeds: Option<PathBuf>,
) -> Vec<PathBuf> {
    let named = variable(environment, CACHE_VARIABLE).map(|folder| cwd.join(folder));
    let users = variable(environment, "XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|folder| folder.is_absolute())
        .or_else(|| {
            variable(environment, "HOME")
                .map(PathBuf::from)
                .filter(|home| home.is_absolute())
                .map(|home| home.join(".cache"))
        })
        .map(|cache| cache.join("deploy-script").join("seeds"));
    named.or(users).into_iter().chain(state_seeds).collect()
}

/// Reads `file` of `entry_dir`, checking it against the entry: [`SeedError::Corrupt`] when
/// it is missing or differs.
pub fn read_checked(entry_dir: &Path, file: &SeedFile) -> Result<Vec<u8>, SeedError> {
    let path = entry_dir.join(SITE_PACKAGES).join(&file.path);
    let corrupt = |problem: String| SeedError::Corrupt {
        path: path.clone(),
        problem,
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(corrupt("is missing".into()))
        }
        Err(source) => {
            return Err(SeedError::Io {
                doing: "read",
                path,
                source,
            })
        }
    };
    if bytes.len() as u64 != file.size {
        return Err(corrupt(format!(
            "has {} bytes, not {}",
            bytes.len(),
            file.size
        )));
    }
    if xxhash_rust::xxh3::xxh3_64(&bytes) != file.hash {
        return Err(corrupt("has changed".into()));
    }
    Ok(bytes)
}

/// One line of a RECORD: `path,sha256=<urlsafe base64, unpadded>,size`.
pub fn record_line(path: &str, bytes: &[u8]) -> String {
    use base64::Engine;
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    let hash = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest);
    format!("{path},sha256={hash},{}\n", bytes.len())
}

/// The modification time every seeded file gets.
pub fn modified_time(entry: &SeedEntry) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(entry.modified)
}

/// Asks `interpreter` which wheels its ensurepip installs.
fn bundled_wheels(
    interpreter: &Interpreter,
    environment: &Environment,
) -> Result<Vec<BundledWheel>, SeedError> {
    let python = &interpreter.executable;
    let dir = python.parent().unwrap_or(Path::new("/"));
    let finished = Command::new(python.as_os_str(), dir, environment)
        .args(["-E", "-s", "-c", include_str!("seed_wheels.py")])
        .die_with_parent(true)
        .run(&mut |_, _| {})
        .map_err(|source| SeedError::Locate {
            python: python.clone(),
            source,
        })?;
    let answer = finished.text(StreamKind::Stdout);
    match serde_json::from_str(answer.trim()) {
        Ok(wheels) if finished.success() => Ok(wheels),
        _ => Err(SeedError::LocateAnswer {
            python: python.clone(),
            exit_code: finished.exit_code,
            output: finished.tail(5),
        }),
    }
}

/// Removes what a killed build left in the cache folder.
fn remove_leftovers(root: &Path) {
    for entry in std::fs::read_dir(root).into_iter().flatten().flatten() {
        if entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Unpacks `wheel` into `site_packages`, every file modified at `modified`. Its file list
/// is completed by [`finish_wheel`] once the files are compiled.
fn unpack(
    wheel: &BundledWheel,
    site_packages: &Path,
    modified: u64,
) -> Result<SeedWheel, SeedError> {
    let path = &wheel.path;
    let unsupported = |problem: String| SeedError::UnsupportedWheel {
        path: path.clone(),
        problem,
    };
    let zip_error = |source| SeedError::Wheel {
        path: path.clone(),
        source,
    };
    let file = std::fs::File::open(path).map_err(SeedError::io("open", path))?;
    let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(zip_error)?;
    let mut files = Vec::new();
    let mut dist_info = None;
    let mut entry_points = String::new();
    let time = UNIX_EPOCH + Duration::from_secs(modified);
    for index in 0..archive.len() {
        let mut member = archive.by_index(index).map_err(zip_error)?;
        let name = member.name().to_string();
        if member.enclosed_name().is_none() {
            return Err(unsupported(format!(
                "the member `{name}` would land outside the env"
            )));
        }
        let top = name.split('/').next().unwrap_or_default();
        if top.ends_with(".data") {
            return Err(unsupported(format!("`{top}/` is not for site-packages")));
        }
        if member.is_dir() {
            continue;
        }
        if top.ends_with(".dist-info") {
            dist_info = Some(top.to_string());
        }
        let mut bytes = Vec::with_capacity(member.size() as usize);
        member
            .read_to_end(&mut bytes)
            .map_err(SeedError::io("read", path))?;
        if name.ends_with(".dist-info/entry_points.txt") {
            entry_points = String::from_utf8_lossy(&bytes).into_owned();
        }
        let executable = member.unix_mode().is_some_and(|mode| mode & 0o111 != 0);
        write_file(&site_packages.join(&name), &bytes, executable, Some(time))?;
        files.push(SeedFile {
            path: name,
            size: 0,
            hash: 0,
            executable,
        });
    }
    let Some(dist_info) = dist_info else {
        return Err(unsupported("it has no `.dist-info` folder".into()));
    };
    for (name, text) in [("INSTALLER", INSTALLER), ("REQUESTED", "")] {
        let rel = format!("{dist_info}/{name}");
        write_file(
            &site_packages.join(&rel),
            text.as_bytes(),
            false,
            Some(time),
        )?;
        files.push(SeedFile {
            path: rel,
            size: 0,
            hash: 0,
            executable: false,
        });
    }
    Ok(SeedWheel {
        name: wheel.name.clone(),
        version: wheel.version.clone(),
        dist_info,
        console_scripts: console_scripts(&entry_points),
        files,
    })
}

/// Writes `bytes` to `path` (creating its folder), with mode 0777 or 0666 less the umask,
/// modified at `time` when given.
pub fn write_file(
    path: &Path,
    bytes: &[u8],
    executable: bool,
    time: Option<SystemTime>,
) -> Result<(), SeedError> {
    use std::os::unix::fs::OpenOptionsExt;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(SeedError::io("create", parent))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(if executable { 0o777 } else { 0o666 })
        .open(path)
        .map_err(SeedError::io("create", path))?;
    file.write_all(bytes)
        .and_then(|()| time.map_or(Ok(()), |time| file.set_modified(time)))
        .map_err(SeedError::io("write", path))
}

/// The `[console_scripts]` of an entry_points.txt.
fn console_scripts(entry_points: &str) -> Vec<ConsoleScript> {
    let mut section = "";
    let mut scripts = Vec::new();
    for line in entry_points.lines().map(str::trim) {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name;
            continue;
        }
        if section != "console_scripts" {
            continue;
        }
        let Some((name, target)) = line.split_once('=') else {
            continue;
        };
        // `module:function [extra]`: extras do not change the script.
        let target = target.split('[').next().unwrap_or_default().trim();
        if let Some((module, function)) = target.split_once(':') {
            scripts.push(ConsoleScript {
                name: name.trim().to_string(),
                module: module.trim().to_string(),
                function: function.trim().to_string(),
            });
        }
    }
    scripts
}

/// Byte-compiles what pip imports to run an install (`seed_compile.py`). Compiling the
/// rest too, as ensurepip does, would cost a cold deploy about a second more for files an
/// install never reads; they are compiled when first imported. A failure leaves files to be
/// compiled when imported, so only a failure to start is an error.
fn compile(
    interpreter: &Interpreter,
    site_packages: &Path,
    environment: &Environment,
) -> Result<(), SeedError> {
    Command::new(
        interpreter.executable.as_os_str(),
        site_packages,
        environment,
    )
    .args(["-E", "-s", "-c", include_str!("seed_compile.py")])
    .arg(site_packages.as_os_str())
    .die_with_parent(true)
    .run(&mut |_, _| {})
    .map(|_| ())
    .map_err(SeedError::Compile)
}

/// Adds the `*.pyc` compiled from `wheel`'s files to its list, writes its RECORD (the
/// wheel's, plus INSTALLER, REQUESTED and the `*.pyc`), and fills in every size and hash.
fn finish_wheel(
    wheel: &mut SeedWheel,
    site_packages: &Path,
    compiled: &HashMap<String, Vec<String>>,
) -> Result<(), SeedError> {
    let record_path = format!("{}/RECORD", wheel.dist_info);
    let mut added = Vec::new();
    for file in &wheel.files {
        if file.path == record_path {
            continue;
        }
        if file.path.starts_with(&wheel.dist_info) {
            added.push(file.path.clone());
        }
        if let Some(pycs) = compiled.get(&file.path) {
            added.extend(pycs.iter().cloned());
        }
    }
    let record_file = site_packages.join(&record_path);
    let mut record =
        std::fs::read_to_string(&record_file).map_err(SeedError::io("read", &record_file))?;
    if !record.is_empty() && !record.ends_with('\n') {
        record.push('\n');
    }
    let listed: std::collections::HashSet<&str> = record
        .lines()
        .filter_map(|line| line.split(',').next())
        .collect();
    let added: Vec<String> = added
        .into_iter()
        .filter(|path| !listed.contains(path.as_str()))
        .collect();
    for path in added {
        if path.ends_with(".pyc") {
            // As pip records the files it compiles: no hash, no size.
            record.push_str(&format!("{path},,\n"));
            wheel.files.push(SeedFile {
                path,
                size: 0,
                hash: 0,
                executable: false,
            });
        } else {
            // INSTALLER and REQUESTED, already in the list.
            let file = site_packages.join(&path);
            let bytes = std::fs::read(&file).map_err(SeedError::io("read", &file))?;
            record.push_str(&record_line(&path, &bytes));
        }
    }
    let time = std::fs::metadata(&record_file)
        .and_then(|m| m.modified())
        .map_err(SeedError::io("read", &record_file))?;
    write_file(&record_file, record.as_bytes(), false, Some(time))?;
    for file in &mut wheel.files {
        let path = site_packages.join(&file.path);
        let bytes = std::fs::read(&path).map_err(SeedError::io("read", &path))?;
        file.size = bytes.len() as u64;
        file.hash = xxhash_rust::xxh3::xxh3_64(&bytes);
    }
    Ok(())
}

/// Every `*.pyc` under `site_packages`, by the source it was compiled from:
/// `a/__pycache__/b.cpython-311.pyc` under `a/b.py`.
fn compiled_by_source(site_packages: &Path) -> HashMap<String, Vec<String>> {
    let mut compiled: HashMap<String, Vec<String>> = HashMap::new();
    for entry in walkdir::WalkDir::new(site_packages)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        let Ok(relative) = entry.path().strip_prefix(site_packages) else {
            continue;
        };
        let relative = relative.to_string_lossy().into_owned();
        let Some((folder, file)) = relative.rsplit_once("__pycache__/") else {
            continue;
        };
        if let Some((module, _tag)) = file.strip_suffix(".pyc").and_then(|f| f.split_once('.')) {
            compiled
                .entry(format!("{folder}{module}.py"))
                .or_default()
                .push(relative.clone());
        }
    }
    compiled
}

#[cfg(test)]
mod tests {
    use super::*;

    fn environment(variables: &[(&str, &str)]) -> Environment {
        variables
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    }

    #[test]
    fn the_cache_folder_is_the_named_one_else_the_users_then_the_state_folders() {
        let cwd = Path::new("/srv/app");
        let state = || Some(PathBuf::from("/srv/.deploy-state/site/seeds"));
        let folders = |variables: &[(&str, &str)]| {
            cache_folders(&environment(variables), cwd, state())
                .into_iter()
                .map(|folder| folder.display().to_string())
                .collect::<Vec<_>>()
        };
        let everything = [
            ("deploy_seed_cache", "seeds"),
            ("XDG_CACHE_HOME", "/var/cache/web"),
            ("HOME", "/home/web"),
        ];
        assert_eq!(
            folders(&everything),
            ["/srv/app/seeds", "/srv/.deploy-state/site/seeds"],
            "named (any case, relative to the current folder)"
        );
        assert_eq!(
            folders(&everything[1..]),
            [
                "/var/cache/web/deploy-script/seeds",
                "/srv/.deploy-state/site/seeds"
            ]
        );
        assert_eq!(
            folders(&[("XDG_CACHE_HOME", "cache"), ("HOME", "/home/web")]),
            [
                "/home/web/.cache/deploy-script/seeds",
                "/srv/.deploy-state/site/seeds"
            ],
            "a relative XDG_CACHE_HOME is ignored, as the XDG specification asks"
        );
        assert_eq!(
            folders(&[
                ("DEPLOY_SEED_CACHE", ""),
                ("XDG_CACHE_HOME", ""),
                ("HOME", "")
            ]),
            ["/srv/.deploy-state/site/seeds"],
            "empty is unset"
        );
        assert!(cache_folders(&environment(&[]), cwd, None).is_empty());
    }

    #[test]
    fn the_first_folder_that_can_be_made_is_used_else_a_temporary_one() {
        let dir = tempfile::TempDir::new().unwrap();
        let file = dir.path().join("file");
        std::fs::write(&file, "").unwrap();
        let made = dir.path().join("made/seeds");
        let state_seeds = dir.path().join("state/seeds");
        std::fs::create_dir_all(state_seeds.join("0123456789abcdef")).unwrap();
        let folders = [file.join("seeds"), made.clone(), state_seeds.clone()];
        let cache = SeedCache::first_usable(&folders).unwrap();
        assert_eq!(cache.folder(), Some(made.as_path()));
        assert!(made.is_dir());
        assert!(
            !state_seeds.exists(),
            "the unused cache after it is removed"
        );
        let same = [state_seeds.clone(), state_seeds.clone()];
        assert_eq!(
            SeedCache::first_usable(&same).unwrap().folder(),
            Some(state_seeds.as_path())
        );
        assert!(state_seeds.is_dir(), "the chosen folder is kept");
        let temporary = SeedCache::first_usable(&[file.join("seeds")]).unwrap();
        assert_eq!(temporary.folder(), None);
        assert!(temporary.root.is_dir());
    }
}
