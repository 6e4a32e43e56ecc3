//! File builtins: MD, RD, DEL, COPY, XCOPY, MOVE, REN, TYPE, WHERE, DIR.
//!
//! Paths go through [`crate::compat`] (via [`Machine::path`]); a word is a switch only
//! when it is one of the command's known switches, so `/tmp/x` stays a path. Copies write
//! a temporary file and rename it, so an interrupted copy leaves no half-written file.

use crate::interpreter::expand::{split_words, Split};
use crate::interpreter::machine::{Flow, Machine};
use crate::interpreter::redirect::Io;
use std::path::{Path, PathBuf};

/// A command's words, split into paths and the known switches it was given (lowercase,
/// without `/`).
struct Words {
    paths: Vec<String>,
    switches: Vec<String>,
}

impl Words {
    fn new(args: &str, known: &[&str]) -> Words {
        let mut words = Words {
            paths: Vec::new(),
            switches: Vec::new(),
        };
        for word in split_words(args, Split::Builtin) {
            let lower = word.to_ascii_lowercase();
            let switch = lower.strip_prefix('/').map(|s| s.replace(':', ""));
            match switch {
                Some(switch) if known.contains(&switch.as_str()) => words.switches.push(switch),
                _ => words.paths.push(word),
            }
        }
        words
    }

    fn has(&self, switch: &str) -> bool {
        self.switches.iter().any(|s| s == switch)
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

/// Copies a file by writing a temporary file beside the target and renaming it.
pub(crate) fn copy_atomically(from: &Path, to: &Path) -> std::io::Result<()> {
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

fn has_wildcard(word: &str) -> bool {
    word.contains(['*', '?'])
}

impl Machine<'_> {
    /// The files a pattern names: the path itself, or its wildcard matches.
    fn expand_pattern(&self, path: &Path, files_only: bool) -> Vec<PathBuf> {
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

    fn paths(&mut self, words: &[String]) -> Result<Vec<PathBuf>, Flow> {
        words.iter().map(|word| self.path(word)).collect()
    }

    /// `MD path...`: makes the folders and their parents.
    pub(super) fn md(&mut self, args: &str, _io: &Io) -> Flow {
        let words = Words::new(args, &[]);
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
        let words = Words::new(args, &["s", "q"]);
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
            let result = if words.has("s") {
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
        let words = Words::new(args, &["q", "f", "s", "p", "a"]);
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
            if words.has("s") {
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
            for target in targets {
                let _ = std::fs::remove_file(&target);
            }
        }
        // DEL resets ERRORLEVEL even when a file was missing.
        self.set_result(0)
    }

    /// `COPY [/Y] source [target]`; `copy NUL file` makes an empty file.
    pub(super) fn copy(&mut self, args: &str, io: &Io) -> Flow {
        let words = Words::new(args, &["y", "-y", "v", "b", "a", "z"]);
        let Some(source_word) = words.paths.first().cloned() else {
            self.stderr("The syntax of the command is incorrect.");
            return self.set_result(1);
        };
        let target_word = words.paths.get(1).cloned().unwrap_or_else(|| ".".into());
        let (source, target) = match (self.path(&source_word), self.path(&target_word)) {
            (Ok(source), Ok(target)) => (source, target),
            (Err(flow), _) | (_, Err(flow)) => return flow,
        };
        let sources = if source == Path::new("/dev/null") {
            vec![source]
        } else if source.is_dir() {
            matching(&source, "*", |p| p.is_file()).collect()
        } else {
            self.expand_pattern(&source, true)
        };
        if sources.is_empty() {
            self.stderr("The system cannot find the file specified.");
            self.write(&io.stdout, "        0 file(s) copied.\n");
            return self.set_result(1);
        }
        let mut copied = 0;
        for file in &sources {
            let destination = if target.is_dir() {
                target.join(file.file_name().unwrap_or_default())
            } else {
                target.clone()
            };
            if let Err(error) = self.check_sandbox(&destination) {
                return error;
            }
            if copy_atomically(file, &destination).is_ok() {
                copied += 1;
            } else {
                self.stderr("The system cannot find the path specified.");
            }
        }
        self.write(&io.stdout, &format!("        {copied} file(s) copied.\n"));
        self.set_result(if copied == sources.len() { 0 } else { 1 })
    }

    /// `XCOPY source target [/E] [/S] [/I] [/Y] [/D] [/Q]`.
    pub(super) fn xcopy(&mut self, args: &str, io: &Io) -> Flow {
        let known = ["e", "s", "i", "y", "-y", "d", "q", "f", "h", "r", "k", "c"];
        let words = Words::new(args, &known);
        let Some(source_word) = words.paths.first().cloned() else {
            self.stderr("Invalid number of parameters");
            return self.set_result(4);
        };
        let target_word = words.paths.get(1).cloned().unwrap_or_else(|| ".".into());
        let (source, target) = match (self.path(&source_word), self.path(&target_word)) {
            (Ok(source), Ok(target)) => (source, target),
            (Err(flow), _) | (_, Err(flow)) => return flow,
        };
        let recursive = words.has("s") || words.has("e");
        let mut files: Vec<(PathBuf, PathBuf)> = Vec::new();
        if source.is_dir() {
            let walker = walkdir::WalkDir::new(&source)
                .min_depth(1)
                .sort_by_file_name();
            for entry in walker.into_iter().flatten() {
                let relative = entry.path().strip_prefix(&source).unwrap_or(entry.path());
                if !recursive && relative.components().count() > 1 {
                    continue;
                }
                if entry.file_type().is_dir() {
                    if words.has("e") {
                        let _ = std::fs::create_dir_all(target.join(relative));
                    }
                } else {
                    files.push((entry.path().to_path_buf(), target.join(relative)));
                }
            }
        } else {
            for file in self.expand_pattern(&source, true) {
                let name = file.file_name().unwrap_or_default().to_os_string();
                let destination = if target.is_dir() || words.has("i") || sources_many(&source_word)
                {
                    target.join(name)
                } else {
                    target.clone()
                };
                files.push((file, destination));
            }
        }
        if files.is_empty() && !source.exists() {
            self.stderr(&format!(
                "File not found - {}",
                source.file_name().unwrap_or_default().to_string_lossy()
            ));
            self.write(&io.stdout, "0 File(s) copied\n");
            return self.set_result(4);
        }
        let mut copied = 0;
        for (from, to) in files {
            if let Err(flow) = self.check_sandbox(&to) {
                return flow;
            }
            if words.has("d") && is_not_newer(&from, &to) {
                continue;
            }
            if let Some(parent) = to.parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            if copy_atomically(&from, &to).is_ok() {
                copied += 1;
                if !words.has("q") {
                    self.write(&io.stdout, &format!("{}\n", from.display()));
                }
            }
        }
        self.write(&io.stdout, &format!("{copied} File(s) copied\n"));
        self.set_result(0)
    }

    /// `MOVE [/Y] source target`.
    pub(super) fn move_files(&mut self, args: &str, io: &Io) -> Flow {
        let words = Words::new(args, &["y", "-y"]);
        let [source_word, target_word] = words.paths.as_slice() else {
            self.stderr("The syntax of the command is incorrect.");
            return self.set_result(1);
        };
        let (source, target) = match (self.path(source_word), self.path(target_word)) {
            (Ok(source), Ok(target)) => (source, target),
            (Err(flow), _) | (_, Err(flow)) => return flow,
        };
        let sources = self.expand_pattern(&source, false);
        if sources.is_empty() {
            self.stderr("The system cannot find the file specified.");
            return self.set_result(1);
        }
        let mut moved = 0;
        for file in &sources {
            let destination = if target.is_dir() {
                target.join(file.file_name().unwrap_or_default())
            } else {
                target.clone()
            };
            if std::fs::rename(file, &destination).is_ok() {
                moved += 1;
            } else {
                self.stderr("Access is denied.");
            }
        }
        if source.is_dir() {
            self.write(&io.stdout, &format!("        {moved} dir(s) moved.\n"));
        } else {
            self.write(&io.stdout, &format!("        {moved} file(s) moved.\n"));
        }
        self.set_result(if moved == sources.len() { 0 } else { 1 })
    }

    /// `REN path newname`.
    pub(super) fn ren(&mut self, args: &str, _io: &Io) -> Flow {
        let words = Words::new(args, &[]);
        let [source_word, new_name] = words.paths.as_slice() else {
            self.stderr("The syntax of the command is incorrect.");
            return self.set_result(1);
        };
        if new_name.contains(['\\', '/']) {
            self.stderr("The syntax of the command is incorrect.");
            return self.set_result(1);
        }
        let source = match self.path(source_word) {
            Ok(source) => source,
            Err(flow) => return flow,
        };
        let destination = source.with_file_name(new_name);
        if let Err(flow) = self.check_sandbox(&destination) {
            return flow;
        }
        if !source.exists() {
            self.stderr("The system cannot find the file specified.");
            return self.set_result(1);
        }
        if destination.exists() {
            self.stderr("A duplicate file name exists, or the file cannot be found.");
            return self.set_result(1);
        }
        match std::fs::rename(&source, &destination) {
            Ok(()) => self.set_result(0),
            Err(_) => {
                self.stderr("Access is denied.");
                self.set_result(1)
            }
        }
    }

    /// `TYPE file...`: several files are each preceded by their name on stderr.
    pub(super) fn type_files(&mut self, args: &str, io: &Io) -> Flow {
        let words = Words::new(args, &[]);
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

    /// `WHERE [/Q] name...`: every match on the current folder and PATH; ERRORLEVEL 1
    /// when none.
    pub(super) fn where_program(&mut self, args: &str, io: &Io) -> Flow {
        let words = Words::new(args, &["q"]);
        let mut found_all = !words.paths.is_empty();
        for word in &words.paths {
            let found = self.search_program_everywhere(word);
            if found.is_empty() {
                found_all = false;
            }
            if !words.has("q") {
                for path in found {
                    self.write(&io.stdout, &format!("{}\n", path.display()));
                }
            }
        }
        if !found_all {
            if !words.has("q") {
                self.stderr("INFO: Could not find files for the given pattern(s).");
            }
            return self.set_result(1);
        }
        self.set_result(0)
    }

    /// `DIR [/B] [/AD | /A-D] [/S] [path]`.
    pub(super) fn dir(&mut self, args: &str, io: &Io) -> Flow {
        let known = ["b", "ad", "a-d", "a", "s", "o", "on", "og", "ogn", "w"];
        let words = Words::new(args, &known);
        let word = words.paths.first().cloned().unwrap_or_else(|| ".".into());
        let path = match self.path(&word) {
            Ok(path) => path,
            Err(flow) => return flow,
        };
        let (folder, pattern) = if path.is_dir() {
            (path.clone(), "*".to_string())
        } else {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (path.parent().unwrap_or(Path::new(".")).to_path_buf(), name)
        };
        let dirs_only = words.has("ad");
        let files_only = words.has("a-d");
        let entries: Vec<PathBuf> = matching(&folder, &pattern, |p| {
            (!dirs_only || p.is_dir()) && (!files_only || !p.is_dir())
        })
        .collect();
        if entries.is_empty() {
            self.stderr("File Not Found");
            return self.set_result(1);
        }
        for entry in entries {
            let name = entry
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            if words.has("b") {
                self.write(&io.stdout, &format!("{name}\n"));
            } else {
                let kind = if entry.is_dir() { "<DIR>" } else { "" };
                self.write(&io.stdout, &format!("{kind:>14} {name}\n"));
            }
        }
        self.set_result(0)
    }
}

fn sources_many(word: &str) -> bool {
    has_wildcard(word)
}

/// XCOPY /D: the target exists and is at least as new as the source.
fn is_not_newer(from: &Path, to: &Path) -> bool {
    let modified = |path: &Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    match (modified(from), modified(to)) {
        (Some(source), Some(target)) => source <= target,
        _ => false,
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
