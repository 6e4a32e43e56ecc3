//! Finding Python interpreters: on PATH, in pyenv's versions folder, and in the folders
//! named by `DEPLOY_PYTHON_DIRS`. Each candidate is asked what it is once (remembered by
//! [`super::probe_cache`]), and duplicates reached by several names are listed once.

use super::probe_cache::{self, ProbeAnswer, ProbeKey};
use super::version::{PythonVersion, VersionRequest};
use crate::process::{Command, Environment};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Where a candidate interpreter was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Origin {
    /// A folder named by `DEPLOY_PYTHON_DIRS`.
    DeployPythonDirs,
    /// `$PYENV_ROOT/versions/*/bin` (or `~/.pyenv`).
    Pyenv,
    /// A folder on PATH.
    Path,
}

/// An interpreter that ran and said what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interpreter {
    /// The interpreter's own real path (symlinks resolved), used as PYTHON_EXE.
    pub executable: PathBuf,
    /// The full version, e.g. 3.11.7.
    pub version: PythonVersion,
    /// `CPython`, `PyPy`, ...
    pub implementation: String,
    /// The platform tag, e.g. `linux-x86_64`.
    pub platform: String,
    /// The name it was found by (may be a symlink).
    pub found_as: PathBuf,
    /// Which search found it.
    pub origin: Origin,
}

impl Interpreter {
    /// One line for listings: `3.11.7 at `/usr/bin/python3.11``.
    pub fn describe(&self) -> String {
        format!("{} at `{}`", self.version, self.executable.display())
    }
}

/// The result of a search: interpreters newest first, and candidates that did not run.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    /// Every distinct interpreter, newest version first.
    pub interpreters: Vec<Interpreter>,
    /// One line per candidate that exists but did not answer.
    pub problems: Vec<String>,
}

impl Discovery {
    /// A readable list of what was found, for error messages (`none` when empty).
    pub fn found_list(&self) -> String {
        if self.interpreters.is_empty() {
            return "none".to_string();
        }
        let described: Vec<String> = self
            .interpreters
            .iter()
            .map(Interpreter::describe)
            .collect();
        described.join(", ")
    }
}

/// Why a candidate interpreter could not say what it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProbeError {
    /// Its path cannot be resolved (a broken link, a file that went away).
    #[error("`{path}` cannot be resolved: {reason}")]
    Unresolvable {
        /// The candidate's path.
        path: PathBuf,
        /// The operating system's reason.
        reason: String,
    },
    /// It could not be started.
    #[error("`{path}` cannot be started: {reason}")]
    NotStarted {
        /// The interpreter's path.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// It ran and failed.
    #[error("`{path}` does not run (exit code {exit_code}): {tail}")]
    Failed {
        /// The interpreter's path.
        path: PathBuf,
        /// Its exit code.
        exit_code: i32,
        /// The last lines it printed.
        tail: String,
    },
    /// Its answer could not be read.
    #[error("`{path}` gave an unreadable answer: {reason}")]
    Unreadable {
        /// The interpreter's path.
        path: PathBuf,
        /// What was wrong with it.
        reason: String,
    },
    /// It reported a version that is not one.
    #[error("`{path}` reported an unreadable version `{version}`")]
    BadVersion {
        /// The interpreter's path.
        path: PathBuf,
        /// What it reported.
        version: String,
    },
}

// Works on Python 2.7 too, so that old interpreters can be listed and chosen.
const PROBE_SCRIPT: &str = "import json, os, platform, sys, sysconfig\n\
v = sys.version_info\n\
print(json.dumps({'executable': os.path.realpath(sys.executable), \
'version': '%d.%d.%d' % (v[0], v[1], v[2]), \
'implementation': platform.python_implementation(), \
'platform': sysconfig.get_platform()}))";

/// Asks the interpreter at `path` what it is (remembered per real path, modification time
/// and size: see [`super::probe_cache`]).
pub fn probe(path: &Path, origin: Origin, env: &Environment) -> Result<Interpreter, ProbeError> {
    let found = probe_remembered(path, origin, env);
    probe_cache::save();
    found
}

fn probe_remembered(
    path: &Path,
    origin: Origin,
    env: &Environment,
) -> Result<Interpreter, ProbeError> {
    let real = std::fs::canonicalize(path).map_err(|error| unresolvable(path, error))?;
    match remembered(path, origin, real) {
        Known::Found(found) => found,
        Known::Unasked { real, key } => asked(path, origin, real, key, env),
    }
}

/// What is known of a candidate without running it.
enum Known {
    /// Its remembered answer (or why it cannot be used).
    Found(Result<Interpreter, ProbeError>),
    /// It must be asked: its real path and the key its answer is remembered under.
    Unasked { real: PathBuf, key: ProbeKey },
}

/// The candidate `path` (real path `real`) as far as remembered answers tell.
fn remembered(path: &Path, origin: Origin, real: PathBuf) -> Known {
    let key = ProbeKey::of(&real);
    match probe_cache::get(&key) {
        Some(answer) => Known::Found(interpret(path, origin, answer)),
        None => Known::Unasked { real, key },
    }
}

/// Runs the interpreter at `real` (found as `path`), remembers its answer under `key`.
fn asked(
    path: &Path,
    origin: Origin,
    real: PathBuf,
    key: ProbeKey,
    env: &Environment,
) -> Result<Interpreter, ProbeError> {
    let answer = ask_interpreter(&real, env)?;
    probe_cache::insert(key, answer.clone());
    interpret(path, origin, answer)
}

/// The interpreter an answer describes.
fn interpret(path: &Path, origin: Origin, answer: ProbeAnswer) -> Result<Interpreter, ProbeError> {
    let version = PythonVersion::parse(&answer.version).ok_or_else(|| ProbeError::BadVersion {
        path: path.to_path_buf(),
        version: answer.version.clone(),
    })?;
    Ok(Interpreter {
        executable: std::fs::canonicalize(&answer.executable).unwrap_or(answer.executable),
        version,
        implementation: answer.implementation,
        platform: answer.platform,
        found_as: path.to_path_buf(),
        origin,
    })
}

fn unresolvable(path: &Path, error: std::io::Error) -> ProbeError {
    ProbeError::Unresolvable {
        path: path.to_path_buf(),
        reason: error.to_string(),
    }
}

fn ask_interpreter(real: &Path, env: &Environment) -> Result<ProbeAnswer, ProbeError> {
    let finished = Command::new(real.as_os_str(), "/", env)
        .args(["-E", "-S", "-c", PROBE_SCRIPT])
        .run(&mut |_, _| {})
        .map_err(|error| ProbeError::NotStarted {
            path: real.to_path_buf(),
            reason: error.to_string(),
        })?;
    if !finished.success() {
        return Err(ProbeError::Failed {
            path: real.to_path_buf(),
            exit_code: finished.exit_code,
            tail: finished.tail(3),
        });
    }
    let stdout = finished.text(crate::process::StreamKind::Stdout);
    serde_json::from_str(stdout.trim()).map_err(|error| ProbeError::Unreadable {
        path: real.to_path_buf(),
        reason: error.to_string(),
    })
}

/// Finds every interpreter the environment `env` can see.
pub fn discover(env: &Environment) -> Discovery {
    discover_where(env, |_| true)
}

/// Finds the interpreters whose version, as their path tells it (pyenv's `versions/3.11.7`,
/// a `python3.11` name), `keep` accepts; a path that tells nothing is always asked.
/// Asking an interpreter costs a process, so a selection asks only those that can match.
pub fn discover_where(env: &Environment, keep: impl Fn(&VersionRequest) -> bool) -> Discovery {
    let mut candidates = candidates(env);
    candidates
        .retain(|(path, origin)| version_hint(path, *origin).map_or(true, |hint| keep(&hint)));
    // One interpreter reached by several names is asked once; the first name wins, as the
    // listing below keeps the first too.
    let mut reals = HashSet::new();
    let mut known = Vec::new();
    for (path, origin) in &candidates {
        match std::fs::canonicalize(path) {
            Ok(real) if reals.insert(real.clone()) => {
                known.push((path, *origin, remembered(path, *origin, real)));
            }
            Ok(_) => {}
            Err(error) => known.push((path, *origin, Known::Found(Err(unresolvable(path, error))))),
        }
    }
    // Asking costs a process each, so several are asked at once, each on its own thread;
    // a remembered answer (every one, on a redeploy) needs no thread.
    let unasked = known
        .iter()
        .filter(|(_, _, known)| matches!(known, Known::Unasked { .. }))
        .count();
    let answers: Vec<Result<Interpreter, ProbeError>> = std::thread::scope(|scope| {
        let pending: Vec<_> = known
            .into_iter()
            .map(|(path, origin, known)| match known {
                Known::Unasked { real, key } if unasked > 1 => {
                    Err(scope.spawn(move || asked(path, origin, real, key, env)))
                }
                Known::Unasked { real, key } => Ok(asked(path, origin, real, key, env)),
                Known::Found(found) => Ok(found),
            })
            .collect();
        pending
            .into_iter()
            .map(|pending| {
                pending.unwrap_or_else(|handle| {
                    handle.join().unwrap_or_else(|_| {
                        Err(ProbeError::NotStarted {
                            path: PathBuf::new(),
                            reason: "its probe thread failed".into(),
                        })
                    })
                })
            })
            .collect()
    });
    probe_cache::save();
    let mut discovery = Discovery::default();
    let mut seen = HashSet::new();
    for answer in answers {
        match answer {
            Ok(interpreter) => {
                if seen.insert(interpreter.executable.clone()) {
                    discovery.interpreters.push(interpreter);
                }
            }
            Err(problem) => discovery.problems.push(problem.to_string()),
        }
    }
    // Stable: among equal versions the earlier search (DEPLOY_PYTHON_DIRS, pyenv, PATH) wins.
    discovery
        .interpreters
        .sort_by_key(|interpreter| std::cmp::Reverse(interpreter.version));
    discovery
}

/// Candidate files in search order, each once.
fn candidates(env: &Environment) -> Vec<(PathBuf, Origin)> {
    let mut found = Vec::new();
    if let Some(dirs) = env.get("DEPLOY_PYTHON_DIRS") {
        let separator = if dirs.contains(';') { ';' } else { ':' };
        for dir in dirs.split(separator).filter(|d| !d.trim().is_empty()) {
            let dir = PathBuf::from(dir.trim());
            let bin = dir.join("bin");
            let dir = if bin.is_dir() { bin } else { dir };
            found.extend(
                pythons_in(&dir, true)
                    .into_iter()
                    .map(|p| (p, Origin::DeployPythonDirs)),
            );
        }
    }
    if let Some(root) = pyenv_root(env) {
        let mut versions: Vec<PathBuf> = std::fs::read_dir(root.join("versions"))
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| entry.path().join("bin"))
            .collect();
        versions.sort();
        for bin in versions {
            let python = ["python3", "python"]
                .iter()
                .map(|n| bin.join(n))
                .find(|p| is_executable(p));
            found.extend(python.map(|p| (p, Origin::Pyenv)));
        }
    }
    for dir in env
        .get("PATH")
        .map(|p| std::env::split_paths(p).collect::<Vec<_>>())
        .unwrap_or_default()
    {
        // Version-manager shims choose an interpreter by the current folder: the real
        // installs are found directly instead.
        if dir.file_name().is_some_and(|name| name == "shims") {
            continue;
        }
        found.extend(
            pythons_in(&dir, false)
                .into_iter()
                .map(|p| (p, Origin::Path)),
        );
    }
    let mut seen = HashSet::new();
    found.retain(|(path, _)| seen.insert(path.clone()));
    found
}

/// The version a candidate's path claims: pyenv's version folder, else a `python3.11` name.
fn version_hint(path: &Path, origin: Origin) -> Option<VersionRequest> {
    let from_folder = match origin {
        Origin::Pyenv => path
            .parent()
            .and_then(Path::parent)
            .and_then(Path::file_name)
            .and_then(|name| name.to_str())
            .filter(|name| name.starts_with(|c: char| c.is_ascii_digit()))
            .and_then(VersionRequest::parse),
        _ => None,
    };
    from_folder.or_else(|| {
        path.file_name()
            .and_then(|name| name.to_str())
            .filter(|name| name.starts_with("python3"))
            .and_then(VersionRequest::parse)
    })
}

/// `$PYENV_ROOT`, else `$HOME/.pyenv`.
pub fn pyenv_root(env: &Environment) -> Option<PathBuf> {
    match env.get("PYENV_ROOT").filter(|root| !root.is_empty()) {
        Some(root) => Some(PathBuf::from(root)),
        None => env.get("HOME").map(|home| Path::new(home).join(".pyenv")),
    }
}

/// `python3` and `python3.X` in `dir` (plus plain `python` when `any_python`).
fn pythons_in(dir: &Path, any_python: bool) -> Vec<PathBuf> {
    let mut names = python_names_in(dir);
    names.retain(|name| is_python_name(name) || (any_python && name == "python"));
    names
        .into_iter()
        .map(|name| dir.join(name))
        .filter(|path| is_executable(path))
        .collect()
}

/// The names in `dir` that can be interpreters (`python`, `python3`, `python3.X`), sorted.
/// Reading a big folder (`/usr/bin`) costs more than the rest of a redeploy's search, so
/// the names are remembered while the folder's modification time is unchanged (an entry
/// added, removed or renamed changes it; see [`probe_cache::remember_listing`]).
fn python_names_in(dir: &Path) -> Vec<String> {
    let looked = std::time::SystemTime::now();
    let modified = std::fs::metadata(dir).and_then(|m| m.modified()).ok();
    if let Some(names) = modified.and_then(|modified| probe_cache::listing(dir, modified)) {
        return names;
    }
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| is_python_name(name) || name == "python")
        .collect();
    names.sort();
    if let Some(modified) = modified {
        probe_cache::remember_listing(dir, modified, looked, names.clone());
    }
    names
}

fn is_python_name(name: &str) -> bool {
    match name.strip_prefix("python3") {
        Some("") => true,
        Some(rest) => rest
            .strip_prefix('.')
            .is_some_and(|minor| !minor.is_empty() && minor.bytes().all(|b| b.is_ascii_digit())),
        None => false,
    }
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch_executable(path: &Path) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, b"").unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    #[test]
    fn candidates_come_from_deploy_dirs_then_pyenv_then_path_without_shims() {
        let root = tempfile::tempdir().unwrap();
        let at = |relative: &str| root.path().join(relative);
        for file in [
            "install/bin/python3",
            "install/bin/python3-config",
            "plain/python",
            "pyenv/versions/3.12.1/bin/python3",
            "pyenv/versions/2.7.18/bin/python",
            "pyenv/shims/python3",
            "path/python3.11",
            "path/python2",
        ] {
            touch_executable(&at(file));
        }
        let mut env = Environment::new();
        env.insert(
            "DEPLOY_PYTHON_DIRS".into(),
            format!("{};{}", at("install").display(), at("plain").display()),
        );
        env.insert("PYENV_ROOT".into(), at("pyenv").display().to_string());
        env.insert(
            "PATH".into(),
            format!("{}:{}", at("pyenv/shims").display(), at("path").display()),
        );
        let found: Vec<(PathBuf, Origin)> = candidates(&env);
        assert_eq!(
            found,
            [
                (at("install/bin/python3"), Origin::DeployPythonDirs),
                (at("plain/python"), Origin::DeployPythonDirs),
                (at("pyenv/versions/2.7.18/bin/python"), Origin::Pyenv),
                (at("pyenv/versions/3.12.1/bin/python3"), Origin::Pyenv),
                (at("path/python3.11"), Origin::Path),
            ]
        );
    }

    #[test]
    fn only_python3_names_are_candidates() {
        assert!(is_python_name("python3"));
        assert!(is_python_name("python3.11"));
        assert!(!is_python_name("python3.11-config"));
        assert!(!is_python_name("python3-config"));
        assert!(!is_python_name("python2.7"));
    }

    #[test]
    fn paths_tell_versions_by_pyenv_folder_or_python3_name() {
        let hint =
            |path: &str, origin| version_hint(Path::new(path), origin).map(|v| v.to_string());
        assert_eq!(
            hint("/p/versions/3.11.7/bin/python3", Origin::Pyenv).as_deref(),
            Some("3.11.7")
        );
        assert_eq!(
            hint("/p/versions/pypy3.10-7.3/bin/python3", Origin::Pyenv).as_deref(),
            Some("3")
        );
        assert_eq!(
            hint("/usr/bin/python3.12", Origin::Path).as_deref(),
            Some("3.12")
        );
        assert_eq!(hint("/opt/py/bin/python", Origin::DeployPythonDirs), None);
    }
}
