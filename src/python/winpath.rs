//! Windows interpreter paths that hand-edited App Service scripts hard-code
//! (`D:\home\python364x64\python.exe`, `D:\home\Python311\python.exe`,
//! `%SYSTEMDRIVE%\python27\python.exe`), mapped to the Python of that version found here.

use super::discover::{Discovery, Interpreter};
use super::version::VersionRequest;

/// Maps a hard-coded Windows interpreter path to the version it stands for
/// (`python364x64` -> 3.6, `Python27` -> 2.7, `Python311` -> 3.11); case-insensitive,
/// either slash, any drive letter or `%SYSTEMDRIVE%`. `None` for any other path.
pub fn map_windows_python(path: &str) -> Option<VersionRequest> {
    // Most words `--check` asks about are not interpreter paths: answer them without
    // building the lowercase copy.
    let bytes = path.trim().trim_matches('"').as_bytes();
    if bytes.len() < 10 || !bytes[bytes.len() - 10..].eq_ignore_ascii_case(b"python.exe") {
        return None;
    }
    let lower = path
        .trim()
        .trim_matches('"')
        .to_ascii_lowercase()
        .replace('/', "\\");
    let rest = match lower.strip_prefix("%systemdrive%") {
        Some(rest) => rest,
        None => {
            let mut chars = lower.chars();
            match (chars.next(), chars.next()) {
                (Some(drive), Some(':')) if drive.is_ascii_alphabetic() => &lower[2..],
                _ => return None,
            }
        }
    };
    let folder = rest
        .strip_prefix("\\home\\")
        .or_else(|| rest.strip_prefix('\\'))?
        .strip_suffix("\\python.exe")?;
    let tag = folder.strip_prefix("python")?;
    let digits = tag
        .strip_suffix("x64")
        .or_else(|| tag.strip_suffix("x86"))
        .unwrap_or(tag);
    version_from_digits(digits)
}

/// `27` -> 2.7, `311` -> 3.11, `364` -> 3.6 (site extensions name 3.x.y as three digits;
/// a second digit `1` means 3.10-3.19, the only two-digit minors that exist).
pub(crate) fn version_from_digits(digits: &str) -> Option<VersionRequest> {
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digit = |index: usize| digits[index..=index].parse::<u32>().ok();
    let (major, minor) = match digits.len() {
        2 => (digit(0)?, digit(1)?),
        3 | 4 if digits.as_bytes()[1] == b'1' => (digit(0)?, digits[1..3].parse().ok()?),
        3 => (digit(0)?, digit(1)?),
        _ => return None,
    };
    Some(VersionRequest {
        major,
        minor: Some(minor),
        patch: None,
    })
}

/// A hard-coded Windows path and the interpreter it runs here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowsPythonMapping {
    /// The path as the script wrote it.
    pub windows_path: String,
    /// The version it stands for.
    pub request: VersionRequest,
    /// The interpreter that runs instead.
    pub interpreter: Interpreter,
}

impl WindowsPythonMapping {
    /// The one note printed when the path is used: `` `D:\home\Python311\python.exe` runs
    /// python 3.11.7 at `/usr/bin/python3.11` ``.
    pub fn note(&self) -> String {
        format!(
            "`{}` runs python {} here",
            self.windows_path,
            self.interpreter.describe()
        )
    }
}

/// Resolves a hard-coded Windows path to an installed interpreter (newest of that version).
/// `Ok(None)` when the path is not one of those; an error when its version is not installed.
pub fn resolve_windows_python(
    path: &str,
    found: &Discovery,
) -> Result<Option<WindowsPythonMapping>, String> {
    let Some(request) = map_windows_python(path) else {
        return Ok(None);
    };
    let interpreter = found
        .interpreters
        .iter()
        .find(|interpreter| request.matches(&interpreter.version))
        .ok_or_else(|| {
            format!(
                "`{path}` stands for python {request}, which is not installed here; found: {}; install it (for example `pyenv install {request}`) or name its folder in DEPLOY_PYTHON_DIRS",
                found.found_list()
            )
        })?;
    Ok(Some(WindowsPythonMapping {
        windows_path: path.to_string(),
        request,
        interpreter: interpreter.clone(),
    }))
}
