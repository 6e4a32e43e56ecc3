//! File builtins: MD, RD, DEL, TYPE, and what every file builtin shares (switches,
//! wildcards, atomic copies); COPY, XCOPY, MOVE, REN are in `copying`, WHERE and DIR in
//! `listing`.
//!
//! Paths go through [`crate::compat`] (via [`Machine::path`]); which words are switches
//! is the commands table's rule ([`crate::commands::switch_name`]), so `/tmp/x` stays a path.

use crate::commands::{self, GivenSwitch, Item};
use crate::interpreter::expand::{split_words, Split};
use crate::interpreter::io::Io;
use crate::interpreter::machine::{Flow, Machine};
use crate::syntax::ast::Builtin;
use std::path::{Path, PathBuf};

/// A command's words read against its switches in the commands table: the paths, and
/// the switches it was given with their values. The dispatcher has already rejected a
/// line with a wrong switch, so every `/x` here is one the command has.
pub(super) struct Words {
    pub(super) paths: Vec<String>,
    switches: Vec<GivenSwitch>,
}

impl Words {
    pub(super) fn new(args: &str, builtin: Builtin) -> Words {
        let words = split_words(args, Split::Builtin);
        let items = commands::spec(builtin)
            .parse(&words)
            .unwrap_or_else(|_| words.into_iter().map(Item::Word).collect());
        let mut parsed = Words {
            paths: Vec::new(),
            switches: Vec::new(),
        };
        for item in items {
            match item {
                Item::Switch(switch) => parsed.switches.push(switch),
                Item::Word(word) => parsed.paths.push(word),
            }
        }
        parsed
    }

    /// Whether the switch `name` (as the table writes it: `/E`) was given.
    pub(super) fn has(&self, name: &str) -> bool {
        self.switches.iter().any(|s| s.name == name)
    }

    /// Every value of the switch `name`, in order, over all the times it was given
    /// (`/XF a b /XF c`: a, b, c).
    pub(super) fn values(&self, name: &str) -> Vec<String> {
        self.switches
            .iter()
            .filter(|s| s.name == name)
            .flat_map(|s| s.values.iter().cloned())
            .collect()
    }

    /// The value of the switch `name` (the last one given), when it has one.
    pub(super) fn value(&self, name: &str) -> Option<&str> {
        self.switches
            .iter()
            .rev()
            .find(|s| s.name == name)
            .and_then(|s| s.values.first())
            .map(String::as_str)
    }
}

/// Whether `name` matches a cmd wildcard pattern (`*`, `?`), ignoring case.
pub(crate) fn wildcard_match(pattern: &str, name: &str) -> bool {
    let pattern: Vec<char> = pattern.to_lowercase().chars().collect();
    let name: Vec<char> = name.to_lowercase().chars().collect();
    let (mut p, mut n, mut star, mut mark) = (0, 0, None, 0);
    while n < name.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == name[n]) {
            p += 1;
            n += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some(p);
            mark = n;
            p += 1;
        } else if let Some(s) = star {
            p = s + 1;
            mark += 1;
            n = mark;
        } else {
            return false;
        }
    }
    // `*.*` matches names without a dot, as in cmd.
    pattern[p..].iter().all(|c| *c == '*' || *c == '.')
}

/// The entries of `folder` whose names match `pattern`, sorted by name, kept by `keep`.
pub(crate) fn matching(
    folder: &Path,
    pattern: &str,
    keep: impl Fn(&Path) -> bool,
) -> impl Iterator<Item = PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| wildcard_match(pattern, &entry.file_name().to_string_lossy()))
        .map(|entry| entry.path())
        .filter(|path| keep(path))
        .collect();
    found.sort_by_key(|path| path.file_name().map(|n| n.to_string_lossy().to_lowercase()));
    found.into_iter()
}

/// Whether `path` is something other than a file, folder or link: a device such as
/// `/dev/null` (what `NUL` names). Builtins write into one but never rename over it or
/// delete it: run as root, that would replace the machine's `/dev/null` with a file.
pub(crate) fn is_special(path: &Path) -> bool {
    std::fs::symlink_metadata(path)
        .map(|meta| {
            let kind = meta.file_type();
            !(kind.is_file() || kind.is_dir() || kind.is_symlink())
        })
        .unwrap_or(false)
}

/// Copies a file by writing a temporary file beside the target and renaming it; into a
/// device (`copy x NUL`), by writing into it.
pub(crate) fn copy_atomically(from: &Path, to: &Path) -> std::io::Result<()> {
    if is_special(to) {
        let mut device = std::fs::OpenOptions::new().write(true).open(to)?;
        std::io::copy(&mut std::fs::File::open(from)?, &mut device)?;
        return Ok(());
    }
    let folder = to.parent().unwrap_or(Path::new("."));
    let mut temporary = tempfile::NamedTempFile::new_in(folder)?;
    std::io::copy(&mut std::fs::File::open(from)?, temporary.as_file_mut())?;
    if let Ok(meta) = std::fs::metadata(from) {
        let _ = temporary.as_file().set_permissions(meta.permissions());
        if let Ok(modified) = meta.modified() {
            let _ = temporary.as_file().set_modified(modified);
        }
    }
    temporary.persist(to).map_err(|error| error.error)?;
    Ok(())
}

pub(super) fn has_wildcard(word: &str) -> bool {
    word.contains(['*', '?'])
}

impl Machine<'_> {
    /// The files a pattern names: the path itself, or its wildcard matches.
    pub(super) fn expand_pattern(&self, path: &Path, files_only: bool) -> Vec<PathBuf> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !has_wildcard(&name) {
            return if path.exists() {
                vec![path.to_path_buf()]
            } else {
                Vec::new()
            };
        }
        let folder = path.parent().unwrap_or(Path::new("."));
        matching(folder, &name, |p| !files_only || p.is_file()).collect()
    }

    pub(super) fn paths(&mut self, words: &[String]) -> Result<Vec<PathBuf>, Flow> {
        words.iter().map(|word| self.path(word)).collect()
    }

    /// `MD path...`: makes the folders and their parents.
    pub(super) fn md(&mut self, args: &str, _io: &Io) -> Flow {
        let words = Words::new(args, Builtin::Md);
        if words.paths.is_empty() {
            self.stderr("The syntax of the command is incorrect.");
            return self.set_result(1);
        }
        let mut code = 0;
        for (word, path) in words.paths.iter().zip(match self.paths(&words.paths) {
            Ok(paths) => paths,
            Err(flow) => return flow,
        }) {
            if path.exists() {
                self.stderr(&format!("A subdirectory or file {word} already exists."));
                code = 1;
            } else if std::fs::create_dir_all(&path).is_err() {
                self.stderr("The system cannot find the path specified.");
                code = 1;
            }
        }
        self.set_result(code)
    }

    /// `RD [/S] [/Q] path...`.
    pub(super) fn rd(&mut self, args: &str, _io: &Io) -> Flow {
        let words = Words::new(args, Builtin::Rd);
        let paths = match self.paths(&words.paths) {
            Ok(paths) => paths,
            Err(flow) => return flow,
        };
        let mut failed = false;
        for path in paths {
            if !path.is_dir() {
                let message = if path.exists() {
                    "The directory name is invalid."
                } else {
                    "The system cannot find the file specified."
                };
                self.stderr(message);
                failed = true;
                continue;
            }
            let result = if words.has("/S") {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_dir(&path)
            };
            if result.is_err() {
                self.stderr("The directory is not empty.");
                failed = true;
            }
        }
        // RD leaves ERRORLEVEL alone even when it fails (only `||` sees the failure).
        self.status = i32::from(failed);
        Flow::Normal
    }

    /// `DEL [/Q] [/F] [/S] pattern...`: missing files print "Could Not Find" and leave
    /// ERRORLEVEL alone, as in cmd.
    pub(super) fn del(&mut self, args: &str, _io: &Io) -> Flow {
        let words = Words::new(args, Builtin::Del);
        if words.paths.is_empty() {
            self.stderr("The syntax of the command is incorrect.");
            return self.set_result(1);
        }
        let paths = match self.paths(&words.paths) {
            Ok(paths) => paths,
            Err(flow) => return flow,
        };
        for path in paths {
            let mut targets = if path.is_dir() {
                matching(&path, "*", |p| p.is_file()).collect()
            } else {
                self.expand_pattern(&path, true)
            };
            if words.has("/S") {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let root = path.parent().unwrap_or(Path::new(".")).to_path_buf();
                for entry in walkdir::WalkDir::new(&root)
                    .min_depth(1)
                    .into_iter()
                    .flatten()
                {
                    if entry.file_type().is_dir() {
                        targets.extend(matching(entry.path(), &name, |p| p.is_file()));
                    }
                }
            }
            if targets.is_empty() {
                self.stderr(&format!("Could Not Find {}", path.display()));
                continue;
            }
            // `del NUL` deletes nothing: a device is never unlinked.
            for target in targets.into_iter().filter(|target| !is_special(target)) {
                let _ = std::fs::remove_file(&target);
            }
        }
        // DEL resets ERRORLEVEL even when a file was missing.
        self.set_result(0)
    }

    /// `TYPE file...`: several files are each preceded by their name on stderr.
    pub(super) fn type_files(&mut self, args: &str, io: &Io) -> Flow {
        let words = Words::new(args, Builtin::Type);
        let paths = match self.paths(&words.paths) {
            Ok(paths) => paths,
            Err(flow) => return flow,
        };
        let mut code = 0;
        let many = paths.len() > 1;
        for (word, path) in words.paths.iter().zip(paths) {
            match std::fs::read(&path) {
                Ok(bytes) => {
                    if many {
                        self.stderr(&format!("\n{word}\n\n"));
                    }
                    let text = String::from_utf8_lossy(&bytes).replace("\r\n", "\n");
                    self.write(&io.stdout, &text);
                }
                Err(_) if path.is_dir() => {
                    self.stderr("Access is denied.");
                    code = 1;
                }
                Err(_) => {
                    self.stderr("The system cannot find the file specified.");
                    if many {
                        self.stderr(&format!("Error occurred while processing: {word}."));
                    }
                    code = 1;
                }
            }
        }
        self.set_result(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_like_cmd() {
        assert!(wildcard_match("*.txt", "A.TXT"));
        assert!(wildcard_match("a?c", "abc"));
        assert!(wildcard_match("*.*", "noext"));
        assert!(!wildcard_match("*.py", "a.pyc"));
    }
}
