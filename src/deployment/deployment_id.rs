//! Deployment ids: UTC start time plus a short random suffix, e.g. `20261124T141744Z-3f2a`.
//! They sort by time as plain strings, and are safe as folder names.

use serde::{Deserialize, Serialize};
use std::fmt;
use time::OffsetDateTime;

/// The id of one deployment, also the name of its folder under `deployments/`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DeploymentId(String);

impl DeploymentId {
    /// A new id for a deployment starting at `at`; `attempt` varies the suffix when an id
    /// is already taken.
    pub fn new(at: OffsetDateTime, attempt: u32) -> DeploymentId {
        let at = at.to_offset(time::UtcOffset::UTC);
        let seed = format!("{}:{}", at.unix_timestamp_nanos(), std::process::id());
        // Adding the attempt (not hashing it) makes retries distinct for sure.
        let hash = xxhash_rust::xxh3::xxh3_64(seed.as_bytes());
        let suffix = hash.wrapping_add(u64::from(attempt)) & 0xffff;
        DeploymentId(format!(
            "{:04}{:02}{:02}T{:02}{:02}{:02}Z-{suffix:04x}",
            at.year(),
            u8::from(at.month()),
            at.day(),
            at.hour(),
            at.minute(),
            at.second()
        ))
    }

    /// Parses an id as written by [`DeploymentId::new`], or `None` when `text` is not one
    /// (folder names that are not ids are ignored, never touched).
    pub fn parse(text: &str) -> Option<DeploymentId> {
        let bytes = text.as_bytes();
        let shape_ok = bytes.len() == 21
            && bytes[8] == b'T'
            && bytes[15] == b'Z'
            && bytes[16] == b'-'
            && bytes[..8].iter().all(u8::is_ascii_digit)
            && bytes[9..15].iter().all(u8::is_ascii_digit)
            && bytes[17..].iter().all(|b| b.is_ascii_hexdigit());
        shape_ok.then(|| DeploymentId(text.to_owned()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DeploymentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_the_documented_shape_and_parse_back() {
        let at = time::macros::datetime!(2026-11-24 14:17:44 UTC);
        let id = DeploymentId::new(at, 0);
        assert!(id.as_str().starts_with("20261124T141744Z-"), "{id}");
        assert_eq!(DeploymentId::parse(id.as_str()), Some(id.clone()));
        assert_ne!(DeploymentId::new(at, 1), id);
        assert_eq!(DeploymentId::parse("latest"), None);
        assert_eq!(DeploymentId::parse("20261124T141744Z-3f2g"), None);
    }
}
