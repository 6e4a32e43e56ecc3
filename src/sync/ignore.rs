//! The `/IGNORE` list: `;`-separated globs, case-insensitive, as KuduSync users write them.

use super::error::SyncError;
use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use std::path::Path;

/// Compiled ignore globs. A pattern without `/` matches any path component's name (so
/// `.git` ignores `.git` at every depth, `*.pyc` every compiled file); a pattern with `/`
/// matches the whole path relative to the sync root. Matching ignores case; `*` does not
/// cross `/`. An ignored folder is not entered at all. As in KuduSync (minimatch), a name
/// starting with `.` is matched only by a name pattern that starts with `.` too (`*.pyc`
/// leaves `.x.pyc` alone); for patterns with `/` this rule is not applied.
///
/// Most lists are plain names (`.git;.hg;.deployment;deploy.cmd`): those are compared with
/// each name directly, and compiled as globs only if a name that is not ASCII comes up
/// (where case folding is Unicode's). Compiling a case-insensitive glob set builds a regex,
/// which was a tenth of a no-op deploy's instructions.
#[derive(Clone, Debug)]
pub struct IgnoreList {
    /// The patterns that are ASCII names without glob syntax.
    literal_names: Vec<String>,
    /// The same, compiled, for names that are not ASCII.
    literal_globs: std::sync::OnceLock<GlobSet>,
    /// The other patterns: names starting with `.`, other names, paths.
    by_dot_name: Option<GlobSet>,
    by_name: Option<GlobSet>,
    by_path: Option<GlobSet>,
    patterns: Vec<String>,
}

/// Characters with a meaning in a glob.
const GLOB_SYNTAX: &[char] = &['*', '?', '[', ']', '{', '}', '\\'];

impl IgnoreList {
    /// Compiles the patterns; each element may itself hold several patterns split by `;`.
    pub fn new<S: AsRef<str>>(lists: &[S]) -> Result<IgnoreList, SyncError> {
        let mut literal_names = Vec::new();
        let mut by_dot_name = Vec::new();
        let mut by_name = Vec::new();
        let mut by_path = Vec::new();
        let mut patterns = Vec::new();
        for pattern in lists
            .iter()
            .flat_map(|list| list.as_ref().split(';'))
            .map(str::trim)
            .filter(|pattern| !pattern.is_empty())
        {
            let glob = glob(pattern)?;
            if pattern.contains('/') {
                by_path.push(glob);
            } else if pattern.is_ascii() && !pattern.contains(GLOB_SYNTAX) {
                literal_names.push(pattern.to_string());
            } else if pattern.starts_with('.') {
                by_dot_name.push(glob);
            } else {
                by_name.push(glob);
            }
            patterns.push(pattern.to_string());
        }
        let build = |globs: Vec<Glob>| {
            if globs.is_empty() {
                return Ok(None);
            }
            let mut builder = GlobSetBuilder::new();
            for glob in globs {
                builder.add(glob);
            }
            builder
                .build()
                .map(Some)
                .map_err(|e| SyncError::BadPattern {
                    pattern: patterns.join(";"),
                    reason: e.to_string(),
                })
        };
        Ok(IgnoreList {
            by_dot_name: build(by_dot_name)?,
            by_name: build(by_name)?,
            by_path: build(by_path)?,
            literal_names,
            literal_globs: std::sync::OnceLock::new(),
            patterns,
        })
    }

    /// True when the entry at `relative` (its path from the sync root) is to be left alone.
    pub fn is_ignored(&self, relative: &Path) -> bool {
        if self.patterns.is_empty() {
            return false;
        }
        let matches =
            |set: &Option<GlobSet>, path: &Path| set.as_ref().is_some_and(|set| set.is_match(path));
        let name_hit = relative.file_name().is_some_and(|name| {
            let bytes = name.as_encoded_bytes();
            let name = Path::new(name);
            let literal = if bytes.is_ascii() {
                self.literal_names
                    .iter()
                    .any(|literal| literal.as_bytes().eq_ignore_ascii_case(bytes))
            } else {
                !self.literal_names.is_empty() && self.literal_globs().is_match(name)
            };
            literal
                || matches(&self.by_dot_name, name)
                || (!bytes.starts_with(b".") && matches(&self.by_name, name))
        });
        name_hit || matches(&self.by_path, relative)
    }

    /// [`IgnoreList::literal_names`] compiled (they compiled once already, in `new`).
    fn literal_globs(&self) -> &GlobSet {
        self.literal_globs.get_or_init(|| {
            let mut builder = GlobSetBuilder::new();
            for literal in &self.literal_names {
                if let Ok(glob) = glob(literal) {
                    builder.add(glob);
                }
            }
            builder.build().unwrap_or_else(|_| GlobSet::empty())
        })
    }

    /// The patterns as given, split and trimmed.
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }
}

/// One pattern as a glob: case-insensitive, `*` not crossing `/`.
fn glob(pattern: &str) -> Result<Glob, SyncError> {
    GlobBuilder::new(pattern)
        .case_insensitive(true)
        .literal_separator(true)
        .build()
        .map_err(|e| SyncError::BadPattern {
            pattern: pattern.to_string(),
            reason: e.kind().to_string(),
        })
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
    fn a_plain_name_matches_as_its_glob_does_ascii_or_not() {
        let list = IgnoreList::new(&["kelvin;.Git;x"]).unwrap();
        let glob = glob("kelvin").unwrap().compile_matcher();
        // A name that is not ASCII (U+212A KELVIN SIGN, which Unicode folds to `k`) is
        // left to the glob.
        for name in ["\u{212A}elvin", "kelvin\u{e9}", "KELVIN"] {
            assert_eq!(
                list.is_ignored(Path::new(name)),
                glob.is_match(name),
                "{name}"
            );
        }
        assert!(list.is_ignored(Path::new("a/KELVIN")));
        assert!(list.is_ignored(Path::new(".GIT")));
        assert!(list.is_ignored(Path::new("X")));
        assert!(!list.is_ignored(Path::new("kelvins")));
        assert!(!list.is_ignored(Path::new("\u{e9}kelvin")));
        assert!(!list.is_ignored(Path::new(".x")));
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
