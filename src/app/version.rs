//! Python versions (`3.11.7`) and requests for one (`3.11`, `python-3.11`, `3`): what a
//! version file or `PYTHON_VERSION` asks for, and what an interpreter is.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A full interpreter version such as `3.11.7`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PythonVersion {
    /// `3` in `3.11.7`.
    pub major: u32,
    /// `11` in `3.11.7`.
    pub minor: u32,
    /// `7` in `3.11.7`.
    pub patch: u32,
}

impl PythonVersion {
    /// Parses `3.11.7` (a missing patch counts as 0).
    pub fn parse(text: &str) -> Option<Self> {
        let request = VersionRequest::parse(text)?;
        Some(PythonVersion {
            major: request.major,
            minor: request.minor?,
            patch: request.patch.unwrap_or(0),
        })
    }

    /// `3.11`, the value of PYTHON_VER.
    pub fn major_minor(&self) -> String {
        format!("{}.{}", self.major, self.minor)
    }

    /// `python-3.11`, the value of PYTHON_RUNTIME and Kudu's marker label.
    pub fn runtime_label(&self) -> String {
        format!("python-{}.{}", self.major, self.minor)
    }

    /// `venv`, or `virtualenv` for Python 2 (as Kudu's helper says).
    pub fn env_module(&self) -> &'static str {
        if self.major < 3 {
            "virtualenv"
        } else {
            "venv"
        }
    }
}

impl fmt::Display for PythonVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// A wanted version, as precise as the user wrote it: `3`, `3.11` or `3.11.7`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VersionRequest {
    /// The major version, always given.
    pub major: u32,
    /// The minor version, when given.
    pub minor: Option<u32>,
    /// The patch release, when given.
    pub patch: Option<u32>,
}

impl VersionRequest {
    /// Parses `3.11`, `3.11.7`, `python-3.11`, `python3.11`, `cpython-3.11.7`, `3.11.7-final`;
    /// `None` when it is not such a version.
    pub fn parse(text: &str) -> Option<Self> {
        let lower = text.trim().to_ascii_lowercase();
        let mut rest = lower.as_str();
        for prefix in ["cpython-", "cpython", "python-", "python"] {
            if let Some(stripped) = rest.strip_prefix(prefix) {
                rest = stripped;
                break;
            }
        }
        // Drop a trailing tag like `-final` or `+`: only the numbers count.
        let numbers = rest.split(['-', '+', ' ']).next().unwrap_or("");
        // The numbers are a PEP 440 release; a pre-release, post-release or local part
        // (`3.11rc1`) names no interpreter a version file can ask for.
        let version = pep440_rs::Version::from_str(numbers).ok()?;
        if version.epoch() != 0
            || version.any_prerelease()
            || version.is_post()
            || version.is_local()
            || !numbers.starts_with(|c: char| c.is_ascii_digit())
        {
            return None;
        }
        let part = |index: usize| -> Option<Option<u32>> {
            match version.release().get(index) {
                None => Some(None),
                Some(number) => u32::try_from(*number).ok().map(Some),
            }
        };
        if version.release().len() > 3 {
            return None;
        }
        let major = part(0)??;
        let minor = part(1)?;
        let patch = part(2)?;
        Some(VersionRequest {
            major,
            minor,
            patch,
        })
    }

    /// True when some version could satisfy both requests (every part given in both is
    /// equal): `3.11` and `3.11.7` can, `3.11` and `3.12` cannot.
    pub fn overlaps(&self, other: &VersionRequest) -> bool {
        let agree = |a: Option<u32>, b: Option<u32>| a.zip(b).map_or(true, |(a, b)| a == b);
        self.major == other.major
            && agree(self.minor, other.minor)
            && agree(self.patch, other.patch)
    }

    /// True when `version` is what was asked for (every given part equal).
    pub fn matches(&self, version: &PythonVersion) -> bool {
        self.major == version.major
            && self.minor.map_or(true, |minor| minor == version.minor)
            && self.patch.map_or(true, |patch| patch == version.patch)
    }
}

impl fmt::Display for VersionRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.major)?;
        if let Some(minor) = self.minor {
            write!(f, ".{minor}")?;
        }
        if let Some(patch) = self.patch {
            write!(f, ".{patch}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_spellings_users_write() {
        let want = |major, minor, patch| {
            Some(VersionRequest {
                major,
                minor,
                patch,
            })
        };
        assert_eq!(
            VersionRequest::parse("python-3.11"),
            want(3, Some(11), None)
        );
        assert_eq!(
            VersionRequest::parse("python-3.11.7\n"),
            want(3, Some(11), Some(7))
        );
        assert_eq!(VersionRequest::parse("Python3.12"), want(3, Some(12), None));
        assert_eq!(VersionRequest::parse("3"), want(3, None, None));
        assert_eq!(
            VersionRequest::parse("cpython-3.10.13"),
            want(3, Some(10), Some(13))
        );
        assert_eq!(VersionRequest::parse("pypy3.10"), None);
        assert_eq!(VersionRequest::parse("3.x"), None);
        assert_eq!(VersionRequest::parse("3.13rc1"), None);
        assert_eq!(VersionRequest::parse("3.11.7.1"), None);
        assert_eq!(
            VersionRequest::parse("3.11.7-final"),
            want(3, Some(11), Some(7))
        );
        assert_eq!(VersionRequest::parse(""), None);
    }

    #[test]
    fn a_request_matches_every_part_given() {
        let version = PythonVersion::parse("3.11.7").unwrap();
        assert!(VersionRequest::parse("3.11").unwrap().matches(&version));
        assert!(VersionRequest::parse("3").unwrap().matches(&version));
        assert!(!VersionRequest::parse("3.11.6").unwrap().matches(&version));
        assert_eq!(version.runtime_label(), "python-3.11");
        assert_eq!(
            PythonVersion::parse("2.7.18").unwrap().env_module(),
            "virtualenv"
        );
    }

    #[test]
    fn requests_overlap_when_every_part_given_in_both_agrees() {
        let request = |text| VersionRequest::parse(text).unwrap();
        assert!(request("3.11").overlaps(&request("3.11.7")));
        assert!(request("3").overlaps(&request("3.12")));
        assert!(request("3.11.7").overlaps(&request("3.11.7")));
        assert!(!request("3.11").overlaps(&request("3.12.1")));
        assert!(!request("3.11.7").overlaps(&request("3.11.6")));
        assert!(!request("2").overlaps(&request("3.11")));
    }
}
