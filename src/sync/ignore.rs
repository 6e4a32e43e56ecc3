//! The `/IGNORE` list: `;`-separated globs, case-insensitive, as KuduSync users write them.

use super::error::SyncError;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use std::path::Path;

/// Compiled ignore globs. A pattern without `/` matches any path component's name (so
/// `.git` ignores `.git` at every depth, `*.pyc` every compiled file); a pattern with `/`
/// matches the whole path relative to the sync root. Matching ignores case; `*` does not
/// cross `/`. An ignored folder is not entered at all. As in KuduSync (minimatch), a name
/// starting with `.` is matched only by a name pattern that starts with `.` too (`*.pyc`
/// leaves `.x.pyc` alone); for patterns with `/` this rule is not applied.
#[derive(Clone, Debug)]
pub struct IgnoreList {
    by_dot_name: GlobSet,
    by_name: GlobSet,
    by_path: GlobSet,
    patterns: Vec<String>,
}

impl IgnoreList {
    /// Compiles the patterns; each element may itself hold several patterns split by `;`.
    pub fn new<S: AsRef<str>>(lists: &[S]) -> Result<IgnoreList, SyncError> {
        let mut by_dot_name = GlobSetBuilder::new();
        let mut by_name = GlobSetBuilder::new();
        let mut by_path = GlobSetBuilder::new();
        let mut patterns = Vec::new();
        for pattern in lists
            .iter()
            .flat_map(|list| list.as_ref().split(';'))
            .map(str::trim)
            .filter(|pattern| !pattern.is_empty())
        {
            let glob = GlobBuilder::new(pattern)
                .case_insensitive(true)
                .literal_separator(true)
                .build()
                .map_err(|e| SyncError::BadPattern {
                    pattern: pattern.to_string(),
                    reason: e.kind().to_string(),
                })?;
            if pattern.contains('/') {
                by_path.add(glob);
            } else if pattern.starts_with('.') {
                by_dot_name.add(glob);
            } else {
                by_name.add(glob);
            }
            patterns.push(pattern.to_string());
        }
        let build = |builder: GlobSetBuilder| {
            builder.build().map_err(|e| SyncError::BadPattern {
                pattern: patterns.join(";"),
                reason: e.to_string(),
            })
        };
        Ok(IgnoreList {
            by_dot_name: build(by_dot_name)?,
            by_name: build(by_name)?,
            by_path: build(by_path)?,
            patterns,
        })
    }

    /// True when the entry at `relative` (its path from the sync root) is to be left alone.
    pub fn is_ignored(&self, relative: &Path) -> bool {
        if self.patterns.is_empty() {
            return false;
        }
        let name_hit = relative.file_name().is_some_and(|name| {
            let name = Path::new(name);
            self.by_dot_name.is_match(name)
                || (!name.as_os_str().as_encoded_bytes().starts_with(b".")
                    && self.by_name.is_match(name))
        });
        name_hit || self.by_path.is_match(relative)
    }

    /// The patterns as given, split and trimmed.
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_without_slash_matches_any_component_name_ignoring_case() {
        let list = IgnoreList::new(&[".git;*.PYC; deploy.cmd"]).unwrap();
        assert!(list.is_ignored(Path::new(".git")));
        assert!(list.is_ignored(Path::new("sub/.GIT")));
        assert!(list.is_ignored(Path::new("a/b/x.pyc")));
        assert!(list.is_ignored(Path::new("Deploy.CMD")));
        assert!(!list.is_ignored(Path::new("a/x.py")));
        assert!(!list.is_ignored(Path::new("gitx")));
        assert!(!list.is_ignored(Path::new("a/.hidden.pyc")));
    }

    #[test]
    fn a_pattern_with_slash_matches_the_whole_relative_path() {
        let list = IgnoreList::new(&["static/*.map"]).unwrap();
        assert!(list.is_ignored(Path::new("static/app.map")));
        assert!(list.is_ignored(Path::new("STATIC/App.MAP")));
        assert!(!list.is_ignored(Path::new("x/static/app.map")));
        assert!(!list.is_ignored(Path::new("static/sub/app.map")));
    }

    #[test]
    fn a_bad_pattern_is_named_in_the_error() {
        let error = IgnoreList::new(&["ok;a[b"]).unwrap_err();
        assert!(error
            .to_string()
            .starts_with("ignore pattern `a[b` is not a valid glob"));
    }
}
