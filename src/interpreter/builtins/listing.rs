//! Listing builtins: WHERE and DIR.

use super::files::{matching, Words};
use crate::interpreter::io::Io;
use crate::interpreter::machine::{Flow, Machine};
use crate::syntax::ast::Builtin;
use std::path::{Path, PathBuf};

impl Machine<'_> {
    /// `WHERE [/Q] name...`: every match on the current folder and PATH; ERRORLEVEL 1
    /// when none.
    pub(super) fn where_program(&mut self, args: &str, io: &Io) -> Flow {
        let words = Words::new(args, Builtin::Where);
        let mut found_all = !words.paths.is_empty();
        for word in &words.paths {
            let found = self.search_program_everywhere(word);
            if found.is_empty() {
                found_all = false;
            }
            if !words.has("/Q") {
                for path in found {
                    self.write(&io.stdout, &format!("{}\n", path.display()));
                }
            }
        }
        if !found_all {
            if !words.has("/Q") {
                self.stderr("INFO: Could not find files for the given pattern(s).");
            }
            return self.set_result(1);
        }
        self.set_result(0)
    }

    /// `DIR [/B] [/S] [/AD | /A-D | /A[:D|-D]] [/O] [path]`.
    pub(super) fn dir(&mut self, args: &str, io: &Io) -> Flow {
        let words = Words::new(args, Builtin::Dir);
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
        let attributes = words.value("/A").map(str::to_ascii_uppercase);
        let dirs_only = words.has("/AD") || attributes.as_deref() == Some("D");
        let files_only = words.has("/A-D") || attributes.as_deref() == Some("-D");
        let keep = |p: &Path| (!dirs_only || p.is_dir()) && (!files_only || !p.is_dir());
        let recursive = words.has("/S");
        // `/S`: the folder and every folder below it, each listed in name order.
        let folders: Vec<PathBuf> = if recursive {
            walkdir::WalkDir::new(&folder)
                .sort_by_file_name()
                .into_iter()
                .flatten()
                .filter(|entry| entry.file_type().is_dir())
                .map(|entry| entry.into_path())
                .collect()
        } else {
            vec![folder.clone()]
        };
        let entries: Vec<PathBuf> = folders
            .iter()
            .flat_map(|folder| matching(folder, &pattern, &keep))
            .collect();
        if entries.is_empty() {
            self.stderr("File Not Found");
            return self.set_result(1);
        }
        for entry in entries {
            // With `/S`, cmd names each entry by its full path.
            let name = if recursive {
                entry.display().to_string()
            } else {
                entry
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned()
            };
            if words.has("/B") {
                self.write(&io.stdout, &format!("{name}\n"));
            } else {
                let kind = if entry.is_dir() { "<DIR>" } else { "" };
                self.write(&io.stdout, &format!("{kind:>14} {name}\n"));
            }
        }
        self.set_result(0)
    }
}
