//! Linux compatibility rules, so Windows-written scripts run unmodified.
//!
//! Every rule lives here, in one module that builtins and program arguments both use, so
//! a rule holds everywhere by construction. Each rule is a [`CompatRule`] with a
//! description, and [`rules_applying_to`] says which rules a piece of script text meets,
//! for `run-deploy --check`.
//!
//! The rules:
//! - `\` in a path word becomes `/` (switches of known commands, `/Q`, are not paths);
//! - a path that does not exist as written is resolved case-insensitively, component by
//!   component, when exactly one entry matches;
//! - inside a Python virtual environment, `Scripts` is `bin`, `X.exe` is `X` and
//!   `lib\site-packages` is `lib/pythonX.Y/site-packages`;
//! - `NUL` is `/dev/null`;
//! - `%APPDATA%`, `%TEMP%`, `%USERPROFILE%`, `%HOMEDRIVE%%HOMEPATH%` have Linux meanings;
//! - `;` separates entries in PATH-like values the script sets;
//! - a command word naming an existing `X.cmd`/`X.bat` is interpreted, otherwise program
//!   `X` is looked up on PATH (`X.exe` and `X.cmd` fall back to `X`);
//! - App Service's paths (`D:\home\site\wwwroot`, `D:\home\python364x64\python.exe`,
//!   `%DEPLOYMENT_TARGET%\..\Python36`, ...) are mapped by the one table in [`app_service`];
//!   any other drive-letter path fails at once, with the table as help.

pub mod app_service;
mod notes;

pub use app_service::{
    classify, AppServiceLayout, AppServicePaths, AppServiceRow, WindowsPathMap, APP_SERVICE_PATHS,
};
pub use notes::{rules_applying_to, CompatNote, CompatRule};

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// A typed failure of a compatibility rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompatError {
    /// A drive-letter path that no rule maps.
    #[error(
        "`{0}` is a Windows drive path, which does not exist on Linux; use a Linux path instead"
    )]
    DriveLetter(String),
    /// An App Service path whose folder this run does not have.
    #[error("`{path}` stands for {problem}")]
    AppServicePath {
        /// The path as written.
        path: String,
        /// What it stands for and why that cannot be used.
        problem: String,
    },
    /// An App Service interpreter path whose Python version is not installed.
    #[error("`{path}` stands for python {version}, which is not installed here; found: {found}; install it (for example `pyenv install {version}`) or name its folder in DEPLOY_PYTHON_DIRS")]
    PythonMissing {
        /// The path as written.
        path: String,
        /// The version it stands for.
        version: String,
        /// The interpreters found, for the message.
        found: String,
    },
    /// A path outside the sandbox root.
    #[error("`{0}` is outside the folder this run may touch")]
    OutsideSandbox(String),
}

impl CompatError {
    /// What to do about the error, when there is more to say than its message: a drive
    /// path no rule maps gets the table of those that are.
    pub fn help(&self) -> Option<String> {
        match self {
            CompatError::DriveLetter(_) => Some(app_service::table_help()),
            _ => None,
        }
    }
}

/// The Windows variables whose values this module gives Linux meanings, when the
/// environment does not set them.
const WINDOWS_VARIABLES: [&str; 10] = [
    "APPDATA",
    "LOCALAPPDATA",
    "TEMP",
    "TMP",
    "USERPROFILE",
    "HOMEDRIVE",
    "HOMEPATH",
    "SYSTEMDRIVE",
    "ProgramFiles",
    "ProgramFiles(x86)",
];

/// Adds Linux values for `%APPDATA%`, `%TEMP%`, `%USERPROFILE%`, `%HOMEDRIVE%%HOMEPATH%`
/// (and `%LOCALAPPDATA%`, `%TMP%`, `%SYSTEMDRIVE%`) to an environment that lacks them.
/// `%SYSTEMDRIVE%` is `C:` and `%ProgramFiles%` `C:\Program Files`, so a path built from
/// them goes through App Service's table ([`app_service`]) or fails as a drive path.
pub fn add_windows_variables(env: &mut BTreeMap<String, String>) {
    let home = env
        .get("HOME")
        .cloned()
        .unwrap_or_else(|| "/root".to_string());
    let temp = env
        .get("TMPDIR")
        .cloned()
        .unwrap_or_else(|| "/tmp".to_string());
    let config = env
        .get("XDG_CONFIG_HOME")
        .cloned()
        .unwrap_or_else(|| format!("{home}/.config"));
    let data = env
        .get("XDG_DATA_HOME")
        .cloned()
        .unwrap_or_else(|| format!("{home}/.local/share"));
    let values = [
        config,
        data,
        temp.clone(),
        temp,
        home.clone(),
        String::new(),
        home,
        "C:".into(),
        r"C:\Program Files".into(),
        r"C:\Program Files (x86)".into(),
    ];
    for (name, value) in WINDOWS_VARIABLES.iter().zip(values) {
        if !env.keys().any(|key| key.eq_ignore_ascii_case(name)) {
            env.insert(name.to_string(), value);
        }
    }
}

/// Whether a variable holds a list of folders (`PATH`, `PYTHONPATH`), whose `;`
/// separators become `:` for Linux programs.
pub fn is_path_list(name: &str) -> bool {
    ["PATH", "PYTHONPATH"]
        .iter()
        .any(|n| n.eq_ignore_ascii_case(name))
}

/// A PATH-like value as Linux programs expect it: entries split at `;` (and `:`), each
/// with `\` read as `/`, joined with `:`; empty entries dropped.
pub fn path_list_for_linux(value: &str) -> String {
    value
        .split([';', ':'])
        .filter(|entry| !entry.is_empty())
        .map(|entry| entry.replace('\\', "/"))
        .collect::<Vec<_>>()
        .join(":")
}

/// Whether `word` starts with a drive letter (`C:\x`, `c:/x`, `D:`).
pub fn is_drive_path(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes.len() >= 2
        && bytes[0].is_ascii_alphabetic()
        && bytes[1] == b':'
        && (bytes.len() == 2 || bytes[2] == b'\\' || bytes[2] == b'/')
}

/// Whether `word` is one of the Windows Python interpreter paths App Service scripts
/// hard-code (`D:\home\python364x64\python.exe`, `%SYSTEMDRIVE%\python27\python.exe`).
pub fn is_windows_python_path(word: &str) -> bool {
    crate::python::winpath::map_windows_python(word).is_some()
}

/// Whether `word` (script text, variables not expanded) is a Windows path that a run
/// maps: a row of App Service's table ([`app_service::read_word`]), or a Windows Python
/// interpreter path.
pub fn is_mapped_windows_path(word: &str) -> bool {
    app_service::read_word(word).is_some() || is_windows_python_path(word)
}

/// Whether `word` names the null device (`NUL`, `nul`, `NUL:`).
pub fn is_nul(word: &str) -> bool {
    let word = word.strip_suffix(':').unwrap_or(word);
    word.eq_ignore_ascii_case("nul")
}

/// Turns `\` into `/` in a path word.
pub fn slashes(word: &str) -> String {
    word.replace('\\', "/")
}

/// Resolves a path word against `cwd` with every rule: NUL, `\`, drive letters (with the
/// Python hook), the virtual environment layout and case-insensitive matching. The result
/// may not exist (the command decides what that means).
pub fn resolve_path(
    word: &str,
    cwd: &Path,
    paths: Option<&dyn WindowsPathMap>,
) -> Result<PathBuf, CompatError> {
    if is_nul(word) {
        return Ok(PathBuf::from("/dev/null"));
    }
    if is_drive_path(word) {
        if let Some(map) = paths {
            if let Some(mapped) = map.map(word)? {
                return Ok(match_existing(&mapped));
            }
        }
        return Err(CompatError::DriveLetter(word.to_string()));
    }
    let forward = slashes(word);
    let path = PathBuf::from(&forward);
    let joined = if path.is_absolute() {
        path
    } else {
        cwd.join(path)
    };
    if let Some(mapped) = map_missing(&joined, paths)? {
        return Ok(match_existing(&mapped));
    }
    let matched = match_existing(&joined);
    // A trailing separator names a folder: keep it, so a file does not match.
    if forward.ends_with('/') && !matched.is_dir() {
        return Ok(PathBuf::from(format!("{}/", matched.display())));
    }
    Ok(matched)
}

/// The App Service path that a Linux path which does not exist stands for
/// (`<target>/../Python36/python.exe`, `$HOME/site/wwwroot`), if any.
fn map_missing(
    path: &Path,
    paths: Option<&dyn WindowsPathMap>,
) -> Result<Option<PathBuf>, CompatError> {
    match paths {
        Some(map) if path.symlink_metadata().is_err() => map.map_linux(path),
        _ => Ok(None),
    }
}

/// Whether a command word is a Windows path the run maps to a Linux one (a program named
/// by its App Service path: `D:\home\python364x64\python.exe`,
/// `%DEPLOYMENT_TARGET%\..\Python36\python.exe` expanded).
pub fn is_mapped_command(word: &str, cwd: &Path, paths: Option<&dyn WindowsPathMap>) -> bool {
    let Some(map) = paths else {
        return false;
    };
    if is_drive_path(word) {
        return true;
    }
    if !word.contains(['\\', '/']) {
        return false;
    }
    let path = cwd.join(slashes(word));
    !matches!(map_missing(&path, Some(map)), Ok(None))
}

/// Whether a program argument holding `\` is a path: one word of path characters, no
/// quotes, brackets or spaces (`'err\n'` in a `python -c` program is not a path).
fn looks_like_path(word: &str) -> bool {
    !word.contains(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '\'' | '"'
                    | '('
                    | ')'
                    | '['
                    | ']'
                    | '{'
                    | '}'
                    | ';'
                    | ','
                    | '$'
                    | '|'
                    | '<'
                    | '>'
                    | '&'
                    | '^'
            )
    })
}

/// `path` with each component that does not exist replaced by the one entry of its folder
/// that matches it case-insensitively (or by the virtual environment's Linux name).
/// Components after the first one that cannot be matched are kept as written.
pub fn match_existing(path: &Path) -> PathBuf {
    if path.symlink_metadata().is_ok() {
        return path.to_path_buf();
    }
    let mut resolved = PathBuf::new();
    let mut matching = true;
    for component in path.components() {
        let name = match component {
            Component::Normal(name) => name.to_string_lossy().into_owned(),
            other => {
                resolved.push(other.as_os_str());
                continue;
            }
        };
        let exact = resolved.join(&name);
        if !matching || exact.symlink_metadata().is_ok() {
            resolved = exact;
            continue;
        }
        match venv_name(&resolved, &name).or_else(|| unique_case_match(&resolved, &name)) {
            Some(found) => resolved.push(found),
            None => {
                matching = false;
                resolved = exact;
            }
        }
    }
    resolved
}

/// The Linux name of `name` inside a virtual environment, when `folder` is part of one.
fn venv_name(folder: &Path, name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    if folder.join("pyvenv.cfg").is_file() {
        if lower == "scripts" && folder.join("bin").is_dir() {
            return Some("bin".into());
        }
        if lower == "lib" && folder.join("lib").is_dir() {
            return Some("lib".into());
        }
    }
    let parent = folder.parent()?;
    if parent.join("pyvenv.cfg").is_file() {
        if folder.ends_with("bin") {
            for suffix in [".exe", ".cmd", ".bat"] {
                if let Some(stem) = lower.strip_suffix(suffix) {
                    let stem = &name[..stem.len()];
                    if folder.join(stem).exists() {
                        return Some(stem.to_string());
                    }
                }
            }
        }
        if folder.ends_with("lib") && lower == "site-packages" {
            let versioned = std::fs::read_dir(folder).ok()?.flatten().find_map(|entry| {
                let file = entry.file_name().to_string_lossy().into_owned();
                let site = entry.path().join("site-packages");
                (file.starts_with("python") && site.is_dir())
                    .then(|| format!("{file}/site-packages"))
            });
            return versioned;
        }
    }
    None
}

/// The one entry of `folder` whose name equals `name` ignoring case.
fn unique_case_match(folder: &Path, name: &str) -> Option<String> {
    let folder = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    let mut found = None;
    for entry in std::fs::read_dir(folder).ok()?.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        if file.eq_ignore_ascii_case(name) {
            if found.is_some() {
                return None;
            }
            found = Some(file);
        }
    }
    found
}

/// A program argument as the program should get it: a word that names a path (it holds
/// `\`, or names NUL) goes through [`resolve_path`] rules, spelled relative when it was.
pub fn program_argument(
    word: &str,
    cwd: &Path,
    python: Option<&dyn WindowsPathMap>,
) -> Result<String, CompatError> {
    if is_nul(word) {
        return Ok("/dev/null".into());
    }
    if is_drive_path(word) {
        return resolve_path(word, cwd, python).map(|p| p.to_string_lossy().into_owned());
    }
    // `--opt=C:\x` and `-fC:\x` hide a drive path after a switch.
    if let Some((switch, value)) = word.split_once('=') {
        if is_drive_path(value) {
            let value = resolve_path(value, cwd, python)?;
            return Ok(format!("{switch}={}", value.display()));
        }
    }
    if let Some((switch, value)) = word.split_once('=') {
        if value.contains('\\') && looks_like_path(value) {
            let value = program_argument(value, cwd, python)?;
            return Ok(format!("{switch}={value}"));
        }
    }
    if !word.contains('\\') || !looks_like_path(word) || word.contains('=') {
        return Ok(word.to_string());
    }
    let forward = slashes(word);
    let path = Path::new(&forward);
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    if absolute.symlink_metadata().is_ok() {
        return Ok(forward);
    }
    if let Some(mapped) = map_missing(&absolute, python)? {
        return Ok(match_existing(&mapped).to_string_lossy().into_owned());
    }
    let matched = match_existing(&absolute);
    if path.is_absolute() {
        return Ok(matched.to_string_lossy().into_owned());
    }
    Ok(matched
        .strip_prefix(cwd)
        .map(|relative| relative.to_string_lossy().into_owned())
        .unwrap_or(forward))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_case_insensitively_and_through_venv_layout() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("env/bin")).unwrap();
        std::fs::create_dir_all(root.join("env/lib/python3.11/site-packages/django")).unwrap();
        std::fs::write(root.join("env/pyvenv.cfg"), "home = /usr/bin\n").unwrap();
        std::fs::write(root.join("env/bin/pip"), "").unwrap();
        std::fs::write(root.join("Requirements.txt"), "").unwrap();
        let resolve = |word: &str| resolve_path(word, root, None).unwrap();
        assert_eq!(resolve("env\\Scripts\\pip.exe"), root.join("env/bin/pip"));
        assert_eq!(resolve("requirements.TXT"), root.join("Requirements.txt"));
        assert_eq!(
            resolve("env\\lib\\site-packages\\django"),
            root.join("env/lib/python3.11/site-packages/django")
        );
        assert_eq!(resolve("NUL"), PathBuf::from("/dev/null"));
        assert_eq!(resolve("missing\\x"), root.join("missing/x"));
        assert_eq!(
            program_argument("env\\Scripts\\pip", root, None).unwrap(),
            "env/bin/pip"
        );
    }

    #[test]
    fn drive_letters_fail_unless_the_python_map_knows_them() {
        struct Map;
        impl WindowsPathMap for Map {
            fn map(&self, path: &str) -> Result<Option<PathBuf>, CompatError> {
                Ok(is_windows_python_path(path).then(|| PathBuf::from("/usr/bin/python3")))
            }
        }
        let cwd = Path::new("/tmp");
        assert!(matches!(
            resolve_path("C:\\x", cwd, None),
            Err(CompatError::DriveLetter(_))
        ));
        assert_eq!(
            resolve_path("D:\\home\\python364x64\\python.exe", cwd, Some(&Map)).unwrap(),
            PathBuf::from("/usr/bin/python3")
        );
        assert!(is_windows_python_path("D:\\Python34\\python.exe"));
        assert!(!is_windows_python_path("D:\\home\\site\\app.py"));
        let notes = rules_applying_to("%SYSTEMDRIVE%\\python27\\python.exe -m venv env");
        assert_eq!(notes[0].rule, CompatRule::WindowsPython);
    }

    #[test]
    fn path_lists_and_notes() {
        assert_eq!(
            path_list_for_linux("/usr/bin:/bin;C\\x;;tools\\bin"),
            "/usr/bin:/bin:C/x:tools/bin"
        );
        let rules: Vec<CompatRule> = rules_applying_to("copy %TEMP%\\a.txt NUL")
            .into_iter()
            .map(|note| note.rule)
            .collect();
        assert_eq!(
            rules,
            vec![
                CompatRule::Backslash,
                CompatRule::Nul,
                CompatRule::WindowsVariable
            ]
        );
    }
}
