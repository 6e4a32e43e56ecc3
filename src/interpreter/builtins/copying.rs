//! Copying builtins: COPY, XCOPY, MOVE, REN. Copies write a temporary file and rename
//! it, so an interrupted copy leaves no half-written file.

use super::files::{copy_atomically, has_wildcard, is_special, matching, Words};
use crate::interpreter::io::Io;
use crate::interpreter::machine::{Flow, Machine};
use crate::syntax::ast::Builtin;
use std::path::{Path, PathBuf};

impl Machine<'_> {
    /// `COPY [/Y] source [target]`; `copy NUL file` makes an empty file. Its other
    /// switches are accepted and change nothing here (see the commands table).
    pub(super) fn copy(&mut self, args: &str, io: &Io) -> Flow {
        let words = Words::new(args, Builtin::Copy);
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

    /// `XCOPY source target [/E] [/S] [/I] [/Y] [/D] [/Q] [/F] [/EXCLUDE:file[+file]]`;
    /// `target*` (a trailing `*`) after one source file says the target is a file, where
    /// cmd would otherwise ask whether it is a file or a folder.
    pub(super) fn xcopy(&mut self, args: &str, io: &Io) -> Flow {
        let words = Words::new(args, Builtin::Xcopy);
        let Some(source_word) = words.paths.first().cloned() else {
            self.stderr("Invalid number of parameters");
            return self.set_result(4);
        };
        let target_word = words.paths.get(1).cloned().unwrap_or_else(|| ".".into());
        // `xcopy a.txt b.txt*`: the `*` says b.txt is a file, where cmd would otherwise ask.
        let (target_word, target_is_file) = match target_word.strip_suffix('*') {
            Some(file) if !file.is_empty() && !has_wildcard(file) => (file.to_string(), true),
            _ => (target_word, false),
        };
        let (source, target) = match (self.path(&source_word), self.path(&target_word)) {
            (Ok(source), Ok(target)) => (source, target),
            (Err(flow), _) | (_, Err(flow)) => return flow,
        };
        let excluded = match words.value("/EXCLUDE") {
            Some(lists) => match self.exclude_strings(lists) {
                Ok(strings) => strings,
                Err(unreadable) => {
                    self.stderr(&format!("Can't read file: {unreadable}"));
                    self.write(&io.stdout, "0 File(s) copied\n");
                    return self.set_result(4);
                }
            },
            None => Vec::new(),
        };
        // A folder's path ends with `/`, so `\.git\` leaves the folder out too.
        let is_excluded = |path: &Path, is_dir: bool| {
            let mut text = path.to_string_lossy().to_lowercase();
            if is_dir {
                text.push('/');
            }
            excluded.iter().any(|string| text.contains(string.as_str()))
        };
        let recursive = words.has("/S") || words.has("/E");
        // Each file with its target and the name XCOPY prints: the source as typed, then
        // the path below it (`static\css\site.css`).
        let separator = if source_word.contains('\\') {
            "\\"
        } else {
            "/"
        };
        let typed = source_word.trim_end_matches(['\\', '/']);
        let typed_folder = source_word
            .rfind(['\\', '/'])
            .map_or("", |end| &source_word[..=end]);
        let mut files: Vec<(PathBuf, PathBuf, String)> = Vec::new();
        if source.is_dir() {
            let walker = walkdir::WalkDir::new(&source)
                .min_depth(1)
                .sort_by_file_name();
            for entry in walker.into_iter().flatten() {
                let relative = entry.path().strip_prefix(&source).unwrap_or(entry.path());
                if !recursive && relative.components().count() > 1 {
                    continue;
                }
                if is_excluded(entry.path(), entry.file_type().is_dir()) {
                    continue;
                }
                if entry.file_type().is_dir() {
                    if words.has("/E") {
                        let _ = std::fs::create_dir_all(target.join(relative));
                    }
                } else {
                    let below = relative.to_string_lossy().replace('/', separator);
                    let shown = format!("{typed}{separator}{below}");
                    files.push((entry.path().to_path_buf(), target.join(relative), shown));
                }
            }
        } else {
            for file in self.expand_pattern(&source, true) {
                if is_excluded(&file, false) {
                    continue;
                }
                let name = file.file_name().unwrap_or_default().to_os_string();
                let shown = format!("{typed_folder}{}", name.to_string_lossy());
                let many = sources_many(&source_word);
                let into_folder = target.is_dir() || words.has("/I") || many;
                let destination = if into_folder && (many || !target_is_file) {
                    target.join(name)
                } else {
                    target.clone()
                };
                files.push((file, destination, shown));
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
        for (from, to, shown) in files {
            if let Err(flow) = self.check_sandbox(&to) {
                return flow;
            }
            if words.has("/D") && is_not_newer(&from, &to) {
                continue;
            }
            let written = match to.parent() {
                Some(parent) => std::fs::create_dir_all(parent),
                None => Ok(()),
            }
            .and_then(|()| copy_atomically(&from, &to));
            match written {
                Ok(()) => {
                    copied += 1;
                    if words.has("/F") {
                        let line = format!("{} -> {}\n", from.display(), to.display());
                        self.write(&io.stdout, &line);
                    } else if !words.has("/Q") {
                        self.write(&io.stdout, &format!("{shown}\n"));
                    }
                }
                // xcopy stops at a file it cannot write and exits 5 ("disk write error"),
                // so `|| goto error` and `IF ERRORLEVEL 1` see it; /C goes on past it.
                Err(error) => {
                    self.stderr(&format!("File creation error - {}", system_message(&error)));
                    if !words.has("/C") {
                        self.write(&io.stdout, &format!("{copied} File(s) copied\n"));
                        return self.set_result(5);
                    }
                }
            }
        }
        self.write(&io.stdout, &format!("{copied} File(s) copied\n"));
        self.set_result(0)
    }

    /// `MOVE [/Y] source target`.
    pub(super) fn move_files(&mut self, args: &str, io: &Io) -> Flow {
        let words = Words::new(args, Builtin::Move);
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
            // `move x NUL` must not rename over the device.
            if !is_special(&destination) && std::fs::rename(file, &destination).is_ok() {
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
        let words = Words::new(args, Builtin::Ren);
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
}

impl Machine<'_> {
    /// XCOPY /EXCLUDE: the lines of the `+`-separated files, lower-case with `\\` as
    /// `/`; a path containing one of them is left out. Err names a file it cannot read.
    fn exclude_strings(&mut self, lists: &str) -> Result<Vec<String>, String> {
        let mut strings = Vec::new();
        for name in lists.split('+').filter(|name| !name.is_empty()) {
            let text = self
                .path(name)
                .ok()
                .and_then(|path| std::fs::read_to_string(path).ok())
                .ok_or_else(|| name.to_string())?;
            strings.extend(
                text.lines()
                    .map(|line| line.trim_end().replace('\\', "/").to_lowercase())
                    .filter(|line| !line.is_empty()),
            );
        }
        Ok(strings)
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

/// What Windows says for a failed file operation, for the kinds a copy meets.
fn system_message(error: &std::io::Error) -> &'static str {
    match error.kind() {
        std::io::ErrorKind::PermissionDenied => "Access is denied.",
        std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory => {
            "The system cannot find the path specified."
        }
        std::io::ErrorKind::AlreadyExists => "Cannot create a file when that file already exists.",
        std::io::ErrorKind::StorageFull => "There is not enough space on the disk.",
        std::io::ErrorKind::ReadOnlyFilesystem => "The media is write protected.",
        _ => "The system cannot write to the specified device.",
    }
}
