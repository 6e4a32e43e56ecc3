//! The version files: `runtime.txt` (Kudu's) and `.python-version` (pyenv's and uv's). Both
//! are read the same way: the first line that is neither blank nor a `#` comment names the
//! version, in any spelling [`VersionRequest::parse`] reads (`python-3.11`, `3.11.7`).

use super::version::VersionRequest;

/// The version files, in the order `PYTHON SELECT` reads them.
pub const VERSION_FILES: [&str; 2] = ["runtime.txt", ".python-version"];

/// What a version file asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionFile {
    /// The line as written, trimmed (`python-3.11.7`).
    pub line: String,
    /// The version it names.
    pub request: VersionRequest,
}

/// Why a version file names no version.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VersionFileError {
    /// Only blank lines and comments.
    #[error("is empty; write a version such as `python-3.11`")]
    Empty,
    /// A line that is not a Python version (`node-18`, `pypy3.10`).
    #[error("holds `{0}`, not a Python version such as `python-3.11` or `3.11.7`; it is ignored")]
    NotAVersion(String),
}

impl VersionFileError {
    /// The line the file holds, as written (empty for an empty file).
    pub fn line(&self) -> &str {
        match self {
            VersionFileError::NotAVersion(line) => line,
            VersionFileError::Empty => "",
        }
    }
}

/// Reads a version file's text (byte-order mark already dropped).
pub fn parse_version_file(text: &str) -> Result<VersionFile, VersionFileError> {
    let line = text
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with('#'))
        .ok_or(VersionFileError::Empty)?;
    match VersionRequest::parse(line) {
        Some(request) => Ok(VersionFile {
            line: line.to_string(),
            request,
        }),
        None => Err(VersionFileError::NotAVersion(line.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(text: &str) -> Option<String> {
        parse_version_file(text)
            .ok()
            .map(|file| file.request.to_string())
    }

    #[test]
    fn reads_kudu_and_pyenv_forms() {
        assert_eq!(request("python-3.11").as_deref(), Some("3.11"));
        assert_eq!(request("3.11.7").as_deref(), Some("3.11.7"));
        assert_eq!(request("cpython-3.12").as_deref(), Some("3.12"));
        assert_eq!(request("Python-3.9").as_deref(), Some("3.9"));
        assert_eq!(request("pypy3.10"), None);
        assert_eq!(request(">=3.11"), None);
    }

    #[test]
    fn skips_comments_and_blank_lines() {
        let file = parse_version_file("# pinned\n\n  python-3.11.7  \r\n").unwrap();
        assert_eq!(file.line, "python-3.11.7");
        assert_eq!(file.request.to_string(), "3.11.7");
        assert_eq!(
            parse_version_file("\n# nothing\n"),
            Err(VersionFileError::Empty)
        );
        assert_eq!(
            parse_version_file("node-18\n").unwrap_err().to_string(),
            "holds `node-18`, not a Python version such as `python-3.11` or `3.11.7`; it is ignored"
        );
    }
}
