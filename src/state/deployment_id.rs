//! Deployment ids: UTC start time plus four hex digits of the second's fraction, e.g.
//! `20261124T141744Z-3f2a`. They sort by start time as plain strings (pruning relies on
//! it), and are safe as folder names.

use serde::{Deserialize, Serialize};
use std::fmt;
use time::OffsetDateTime;

/// The id of one deployment, also the name of its folder under `deployments/`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DeploymentId(String);

impl DeploymentId {
    /// A new id for a deployment starting at `at`; `attempt` (0 first) moves the suffix
    /// on when an id is already taken, keeping the order.
    pub fn new(at: OffsetDateTime, attempt: u16) -> DeploymentId {
        let at = at.to_offset(time::UtcOffset::UTC);
        // The fraction of the second in 1/65536ths: later starts get larger suffixes.
        let fraction = (u64::from(at.nanosecond()) << 16) / 1_000_000_000;
        let suffix = fraction.saturating_add(u64::from(attempt)).min(0xffff);
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

    /// The id with the same time and the next suffix, if the suffix is not at its end.
    pub fn successor(&self) -> Option<DeploymentId> {
        let (time, suffix) = self.0.split_at(17);
        let next = u16::from_str_radix(suffix, 16).ok()?.checked_add(1)?;
        Some(DeploymentId(format!("{time}{next:04x}")))
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
        let at = time::macros::datetime!(2026-11-24 14:17:44.25 UTC);
        let id = DeploymentId::new(at, 0);
        assert_eq!(id.as_str(), "20261124T141744Z-4000");
        assert_eq!(DeploymentId::parse(id.as_str()), Some(id.clone()));
        assert!(DeploymentId::new(at, 1) > id);
        assert!(DeploymentId::new(at + time::Duration::milliseconds(1), 0) > id);
        assert_eq!(id.successor().unwrap().as_str(), "20261124T141744Z-4001");
        assert_eq!(DeploymentId::new(at, u16::MAX).successor(), None);
        assert_eq!(DeploymentId::parse("latest"), None);
        assert_eq!(DeploymentId::parse("20261124T141744Z-3f2g"), None);
    }
}
