//! `requires-python` from pyproject.toml (`>=3.9,<3.13`, `~=3.10`, `==3.11.*`), read and
//! compared by PEP 440's rules (the `pep440_rs` crate).

use super::version::{PythonVersion, VersionRequest};
use pep440_rs::{Version, VersionSpecifiers};
use std::str::FromStr;

/// A parsed `requires-python` value: every clause must hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequiresPython {
    /// The specifier as written, trimmed.
    text: String,
    /// The clauses.
    specifiers: VersionSpecifiers,
}

/// Why a `requires-python` value cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequiresPythonError {
    /// Nothing but commas and spaces.
    #[error("requires-python `{0}` names no version")]
    Empty(String),
    /// Not a PEP 440 specifier.
    #[error("cannot read requires-python `{text}`: {reason}")]
    Invalid {
        /// The value as written.
        text: String,
        /// What pep440_rs said, on one line.
        reason: String,
    },
}

impl RequiresPython {
    /// Parses a comma-separated PEP 440 specifier.
    pub fn parse(text: &str) -> Result<RequiresPython, RequiresPythonError> {
        let text = text.trim();
        let specifiers =
            VersionSpecifiers::from_str(text).map_err(|error| RequiresPythonError::Invalid {
                text: text.to_string(),
                // pep440_rs draws a caret under the line; the first line says what is wrong.
                reason: error
                    .to_string()
                    .lines()
                    .next()
                    .unwrap_or("")
                    .trim_end_matches(':')
                    .to_string(),
            })?;
        if specifiers.is_empty() {
            return Err(RequiresPythonError::Empty(text.to_string()));
        }
        Ok(RequiresPython {
            text: text.to_string(),
            specifiers,
        })
    }

    /// The specifier as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether an interpreter of `version` satisfies every clause.
    pub fn matches(&self, version: &PythonVersion) -> bool {
        self.specifiers.contains(&Version::new(
            [version.major, version.minor, version.patch].map(u64::from),
        ))
    }

    /// Whether the version a version file asks for (`3.11`, `3.11.7`) satisfies every
    /// clause, the parts it leaves out counting as zeros, as PEP 440 compares releases.
    pub fn admits(&self, request: &VersionRequest) -> bool {
        let release: Vec<u64> = [Some(request.major), request.minor, request.patch]
            .into_iter()
            .flatten()
            .map(u64::from)
            .collect();
        self.specifiers.contains(&Version::new(release))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepts(spec: &str, version: &str) -> bool {
        RequiresPython::parse(spec)
            .unwrap()
            .matches(&PythonVersion::parse(version).unwrap())
    }

    fn admits(spec: &str, request: &str) -> bool {
        RequiresPython::parse(spec)
            .unwrap()
            .admits(&VersionRequest::parse(request).unwrap())
    }

    #[test]
    fn interpreters_are_matched_by_pep_440_release_rules() {
        assert!(accepts(">=3.9,<3.13", "3.12.1"));
        assert!(!accepts(">=3.9,<3.13", "3.13.0"));
        assert!(accepts("~=3.10", "3.12.1"));
        assert!(!accepts("~=3.10", "3.9.18"));
        assert!(accepts("~=3.10.2", "3.10.13"));
        assert!(!accepts("~=3.10.2", "3.11.7"));
        assert!(accepts("==3.11.*", "3.11.7"));
        assert!(!accepts("!=3.11.*", "3.11.7"));
        assert!(accepts(">3.10", "3.10.13"));
        assert!(accepts(">= 3.10 , < 4", "3.12.0"));
    }

    #[test]
    fn pre_release_bounds_are_understood() {
        assert!(accepts(">=3.13.0rc1", "3.13.0"));
        assert!(!accepts("<3.13.0rc1", "3.13.0"));
        assert!(accepts("<3.13.0rc1", "3.12.7"));
    }

    #[test]
    fn version_file_requests_are_admitted_by_their_release() {
        assert!(admits(">=3.10", "3.11"));
        assert!(!admits(">=3.10", "3.9"));
        assert!(!admits(">=3.10,<3.12", "3.12.1"));
        assert!(admits("==3.11.*", "3.11.7"));
        assert!(admits("~=3.11", "3.12"));
        assert!(!admits("~=3.11.2", "3.12"));
        assert!(!admits("!=3.11.*", "3.11"));
    }

    #[test]
    fn what_is_not_a_specifier_is_named() {
        let error = RequiresPython::parse(">=3.9, banana").unwrap_err();
        assert!(
            matches!(&error, RequiresPythonError::Invalid { text, .. } if text == ">=3.9, banana"),
            "{error:?}"
        );
        assert!(error
            .to_string()
            .starts_with("cannot read requires-python `>=3.9, banana`: "));
        assert!(RequiresPython::parse("~=3").is_err());
        assert!(RequiresPython::parse("^3.10").is_err());
        assert_eq!(
            RequiresPython::parse(" ").unwrap_err().to_string(),
            "requires-python `` names no version"
        );
    }
}
