//! ROBOCOPY: copies a folder (and with /S, /E or /MIR its tree) into another, skipping
//! files whose size and time already match, each copy atomic as COPY's and XCOPY's are;
//! /PURGE and /MIR delete what the source no longer has. Its exit code is robocopy's
//! bitmask: 1 files copied, 2 extra files or folders in the target, 4 mismatches, 8 copies
//! that failed, 16 a fatal error (nothing copied). Below 8 is success.

use super::files::{copy_atomically, is_special, wildcard_match, Words};
use crate::interpreter::io::Io;
use crate::interpreter::machine::{Flow, Machine};
use crate::syntax::ast::Builtin;
use std::path::{Path, PathBuf};

/// Robocopy's exit code bits.
const FILES_COPIED: i32 = 1;
const EXTRAS: i32 = 2;
const MISMATCHES: i32 = 4;
const FAILURES: i32 = 8;
const FATAL: i32 = 16;

/// What ROBOCOPY was asked to do, read from its words.
struct Request {
    source: PathBuf,
    target: PathBuf,
    /// The file name patterns (`*.*` when none is given).
    files: Vec<String>,
    /// Into subfolders (/S, /E, /MIR).
    recursive: bool,
    /// Empty subfolders too (/E, /MIR).
    empty_folders: bool,
    /// Delete what the source lacks (/PURGE, /MIR).
    purge: bool,
    /// Folders left out (/XD).
    excluded_folders: Vec<Exclusion>,
    /// Files left out (/XF).
    excluded_files: Vec<Exclusion>,
    list_files: bool,
    list_folders: bool,
    header: bool,
    summary: bool,
}

/// One name of a /XD or /XF list.
enum Exclusion {
    /// A name, wildcards allowed (`.git`, `*.pyc`), matched in every folder.
    Name(String),
    /// A path (`%DEPLOYMENT_TARGET%\env`): that one file or folder.
    Path(PathBuf),
}

/// The counts of robocopy's closing table, and what the exit code is made of.
#[derive(Default)]
struct Tally {
    folders: usize,
    folders_made: usize,
    files: usize,
    copied: usize,
    mismatches: usize,
    failed: usize,
    extra_files: usize,
    extra_folders: usize,
}

impl Tally {
    /// Robocopy's exit code for this run.
    fn exit_code(&self) -> i32 {
        let mut code = 0;
        if self.copied > 0 {
            code |= FILES_COPIED;
        }
        if self.extra_files + self.extra_folders > 0 {
            code |= EXTRAS;
        }
        if self.mismatches > 0 {
            code |= MISMATCHES;
        }
        if self.failed > 0 {
            code |= FAILURES;
        }
        code
    }
}

impl Machine<'_> {
    /// `ROBOCOPY source target [file...] [/S | /E | /MIR] [/PURGE] [/XD folder...]
    /// [/XF file...] [/NFL] [/NDL] [/NJH] [/NJS] [/NP] [/R:n] [/W:n]`.
    pub(super) fn robocopy(&mut self, args: &str, io: &Io) -> Flow {
        let words = Words::new(args, Builtin::Robocopy);
        let [source_word, target_word, patterns @ ..] = words.paths.as_slice() else {
            self.stderr("ERROR : No Destination Directory Specified.");
            return self.set_result(FATAL);
        };
        let (source, target) = match (self.path(source_word), self.path(target_word)) {
            (Ok(source), Ok(target)) => (source, target),
            (Err(flow), _) | (_, Err(flow)) => return flow,
        };
        let mirror = words.has("/MIR");
        let (excluded_folders, excluded_files) = match (
            self.exclusions(&words.values("/XD")),
            self.exclusions(&words.values("/XF")),
        ) {
            (Ok(folders), Ok(files)) => (folders, files),
            (Err(flow), _) | (_, Err(flow)) => return flow,
        };
        let request = Request {
            source,
            target,
            files: if patterns.is_empty() {
                vec!["*.*".to_string()]
            } else {
                patterns.to_vec()
            },
            recursive: mirror || words.has("/E") || words.has("/S"),
            empty_folders: mirror || words.has("/E"),
            purge: mirror || words.has("/PURGE"),
            excluded_folders,
            excluded_files,
            list_files: !words.has("/NFL"),
            list_folders: !words.has("/NDL"),
            header: !words.has("/NJH"),
            summary: !words.has("/NJS"),
        };
        if request.header {
            let header = format!(
                "{RULE}\n   ROBOCOPY     ::     Robust File Copy (run-deploy)\n{RULE}\n\n  \
                 Source : {source_word}\n    Dest : {target_word}\n\n   Files : {}\n\n{RULE}\n\n",
                request.files.join(" ")
            );
            self.write(&io.stdout, &header);
        }
        if !request.source.is_dir() {
            self.stderr(&format!(
                "ERROR 2 (0x00000002) Accessing Source Directory {source_word}"
            ));
            self.stderr("The system cannot find the path specified.");
            return self.set_result(FATAL);
        }
        if is_special(&request.target) || request.target.is_file() {
            self.stderr(&format!(
                "ERROR 267 (0x0000010B) Accessing Destination Directory {target_word}"
            ));
            self.stderr("The directory name is invalid.");
            return self.set_result(FATAL);
        }
        let mut tally = Tally::default();
        let source = request.source.clone();
        let target = request.target.clone();
        if let Err(flow) = self.robocopy_folder(&request, &source, &target, io, &mut tally) {
            return flow;
        }
        if request.summary {
            let summary = format!(
                "{RULE}\n\n{:>20}{:>10}{:>10}{:>10}{:>10}{:>10}\n    Dirs :{:>11}{:>10}{:>10}{:>10}{:>10}{:>10}\n   Files :{:>11}{:>10}{:>10}{:>10}{:>10}{:>10}\n\n",
                "Total", "Copied", "Skipped", "Mismatch", "FAILED", "Extras",
                tally.folders,
                tally.folders_made,
                tally.folders.saturating_sub(tally.folders_made),
                0,
                0,
                tally.extra_folders,
                tally.files,
                tally.copied,
                tally
                    .files
                    .saturating_sub(tally.copied + tally.mismatches + tally.failed),
                tally.mismatches,
                tally.failed,
                tally.extra_files,
            );
            self.write(&io.stdout, &summary);
        }
        self.set_result(tally.exit_code())
    }

    /// A /XD or /XF list: names and wildcards as written, paths mapped to this machine's.
    fn exclusions(&self, written: &[String]) -> Result<Vec<Exclusion>, Flow> {
        written
            .iter()
            .map(|word| {
                if word.contains(['\\', '/']) {
                    Ok(Exclusion::Path(self.path(word)?))
                } else {
                    Ok(Exclusion::Name(word.clone()))
                }
            })
            .collect()
    }

    /// Copies the folder `from` into `to` (made when the source has something for it, or
    /// always with /E), then its subfolders when recursive, then purges or counts extras.
    fn robocopy_folder(
        &mut self,
        request: &Request,
        from: &Path,
        to: &Path,
        io: &Io,
        tally: &mut Tally,
    ) -> Result<(), Flow> {
        self.check_sandbox(to)?;
        tally.folders += 1;
        let mut files = Vec::new();
        let mut folders = Vec::new();
        for entry in sorted_entries(from) {
            let name = entry
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            if entry.is_dir() {
                if request.recursive && !excluded(&request.excluded_folders, &entry, &name) {
                    folders.push((entry, name));
                }
            } else if entry.is_file()
                && request.files.iter().any(|p| wildcard_match(p, &name))
                && !excluded(&request.excluded_files, &entry, &name)
            {
                files.push((entry, name));
            }
        }
        let is_root = from == request.source;
        if !is_root && to.exists() && !to.is_dir() {
            // A folder of the source is a file in the target.
            tally.mismatches += 1;
            return Ok(());
        }
        let make = !to.is_dir() && (is_root || request.empty_folders || !files.is_empty());
        if make {
            if std::fs::create_dir_all(to).is_err() {
                self.stderr(&format!(
                    "ERROR 5 (0x00000005) Creating Destination Directory {}",
                    to.display()
                ));
                tally.failed += files.len().max(1);
                return Ok(());
            }
            tally.folders_made += 1;
        }
        if request.list_folders && (make || !files.is_empty()) {
            let class = if make { "New Dir" } else { "" };
            let line = format!("\t{class:>12}{:>10}\t{}/\n", files.len(), from.display());
            self.write(&io.stdout, &line);
        }
        for (file, name) in &files {
            tally.files += 1;
            let destination = to.join(name);
            self.check_sandbox(&destination)?;
            let Some(class) = change_class(file, &destination) else {
                continue;
            };
            if class == "*Mismatch" {
                tally.mismatches += 1;
            } else if copy_atomically(file, &destination).is_ok() {
                tally.copied += 1;
            } else {
                tally.failed += 1;
                self.stderr(&format!(
                    "ERROR 5 (0x00000005) Copying File {}",
                    file.display()
                ));
                self.stderr("Access is denied.");
                continue;
            }
            if request.list_files {
                let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
                self.write(&io.stdout, &format!("\t{class:>12}{size:>10}\t{name}\n"));
            }
        }
        if to.is_dir() {
            self.robocopy_extras(request, &files, &folders, to, io, tally)?;
        }
        for (folder, name) in &folders {
            self.robocopy_folder(request, folder, &to.join(name), io, tally)?;
        }
        Ok(())
    }

    /// The target's entries that the source lacks: counted as extras, and deleted with
    /// /PURGE or /MIR. Excluded names are left alone, and a device is never deleted.
    fn robocopy_extras(
        &mut self,
        request: &Request,
        files: &[(PathBuf, String)],
        folders: &[(PathBuf, String)],
        to: &Path,
        io: &Io,
        tally: &mut Tally,
    ) -> Result<(), Flow> {
        let in_source = |list: &[(PathBuf, String)], name: &str| {
            list.iter()
                .any(|(_, known)| known.eq_ignore_ascii_case(name))
        };
        for entry in sorted_entries(to) {
            let name = entry
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let kind = std::fs::symlink_metadata(&entry).map(|m| m.file_type());
            let is_folder = kind.as_ref().is_ok_and(|kind| kind.is_dir());
            let extra = if is_folder {
                request.recursive
                    && !in_source(folders, &name)
                    && !excluded(&request.excluded_folders, &entry, &name)
                    && !in_source(files, &name)
            } else {
                request.files.iter().any(|p| wildcard_match(p, &name))
                    && !in_source(files, &name)
                    && !in_source(folders, &name)
                    && !excluded(&request.excluded_files, &entry, &name)
                    && !is_special(&entry)
            };
            if !extra {
                continue;
            }
            self.check_sandbox(&entry)?;
            let (class, listed) = if is_folder {
                tally.extra_folders += 1;
                ("*EXTRA Dir", request.list_folders)
            } else {
                tally.extra_files += 1;
                ("*EXTRA File", request.list_files)
            };
            if listed {
                let line = format!("\t{class:>12}{:>10}\t{name}\n", "");
                self.write(&io.stdout, &line);
            }
            if request.purge {
                let removed = if is_folder {
                    std::fs::remove_dir_all(&entry)
                } else {
                    std::fs::remove_file(&entry)
                };
                if removed.is_err() {
                    tally.failed += 1;
                    self.stderr(&format!(
                        "ERROR 5 (0x00000005) Deleting Extra {}",
                        entry.display()
                    ));
                }
            }
        }
        Ok(())
    }
}

/// The line under and over robocopy's header and summary.
const RULE: &str = "------------------------------------------------------------------------------";

/// The entries of `folder`, sorted by name (case-insensitive), none when unreadable.
fn sorted_entries(folder: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .collect();
    entries.sort_by_key(|path| path.file_name().map(|n| n.to_string_lossy().to_lowercase()));
    entries
}

/// Whether a /XD or /XF list leaves `path` (named `name`) out.
fn excluded(exclusions: &[Exclusion], path: &Path, name: &str) -> bool {
    exclusions.iter().any(|exclusion| match exclusion {
        Exclusion::Name(pattern) => wildcard_match(pattern, name),
        Exclusion::Path(excluded) => {
            excluded.to_string_lossy().to_lowercase() == path.to_string_lossy().to_lowercase()
        }
    })
}

/// How robocopy classes the source file `from` against `to`: `None` when both have the
/// same size and time (skipped), else the class its log line shows.
fn change_class(from: &Path, to: &Path) -> Option<&'static str> {
    let Ok(target) = std::fs::symlink_metadata(to) else {
        return Some("New File");
    };
    if target.is_dir() {
        return Some("*Mismatch");
    }
    let source = std::fs::metadata(from).ok()?;
    let (source_time, target_time) = (source.modified().ok(), target.modified().ok());
    if source.len() == target.len() && source_time == target_time {
        return None;
    }
    Some(match source_time.cmp(&target_time) {
        std::cmp::Ordering::Greater => "Newer",
        std::cmp::Ordering::Less => "Older",
        std::cmp::Ordering::Equal => "Changed",
    })
}
