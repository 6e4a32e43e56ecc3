//! Commands that are not builtins: a `.cmd`/`.bat` file is interpreted, anything else is
//! a program found on the current folder or PATH and run through [`crate::process`]:
//! arguments as a list (never a shell line), the interpreter's variables as environment,
//! its folder as working folder, output streamed line by line.

use super::expand::{self, Split};
use super::io::{Input, Io};
use super::machine::{Flow, Machine};
use crate::compat;
use crate::error::RuntimeErrorKind;
use crate::process::{Command, Stdin, StreamKind};
use std::path::{Path, PathBuf};
use std::time::Duration;

const BATCH_EXTENSIONS: [&str; 2] = [".cmd", ".bat"];
const WINDOWS_EXTENSIONS: [&str; 3] = [".exe", ".cmd", ".bat"];

impl Machine<'_> {
    /// Runs a batch file or a program named `name` with the argument text `args`.
    pub fn run_external(&mut self, name: &str, args: &str, io: &Io, calling: bool) -> Flow {
        let bare = expand::strip_quotes(name).to_string();
        if compat::is_drive_path(&bare) && self.options.windows_python.is_none() {
            return self.compat_failure(compat::CompatError::DriveLetter(bare));
        }
        let mapped =
            compat::is_mapped_command(&bare, &self.cwd, self.options.windows_python.as_deref());
        // An App Service path (`D:\home\site\tools\x.cmd`) names its Linux file.
        let mapped_program = if mapped {
            match self.path(&bare) {
                Ok(program) => Some(program),
                Err(flow) => return flow,
            }
        } else {
            None
        };
        let batch = match &mapped_program {
            Some(program) => is_batch(program).then(|| program.clone()),
            None => self.find_batch(&bare),
        };
        if let Some(batch) = batch {
            if let Err(flow) = self.check_sandbox(&batch) {
                return flow;
            }
            let flow = self.call_batch(&batch, name, args, io);
            return match flow {
                Flow::Normal if !calling => Flow::Return,
                other => other,
            };
        }
        let program = match mapped_program {
            Some(program) => Some(program).filter(|program| is_runnable(program)),
            None => self.find_program(&bare),
        };
        let Some(program) = program else {
            if self.options.dry_run {
                // A dry run goes on to show the rest of the plan; the program may be one a
                // real run provides (run-deploy's own tool links).
                let command = format!("{bare} {}", args.trim());
                self.would(&format!("run: {} (not found now)", command.trim_end()));
                return self.set_result(0);
            }
            self.stderr(&format!(
                "'{bare}' is not recognized as an internal or external command,"
            ));
            self.stderr("operable program or batch file.");
            return self.set_result(9009);
        };
        if self.options.sandbox_root.is_some() {
            return self.fail(
                RuntimeErrorKind::Sandbox,
                format!("`{bare}` is a program, and programs cannot run in the sandbox"),
            );
        }
        if self.options.dry_run {
            let command = format!("{bare} {}", args.trim());
            self.would(&format!("run: {}", command.trim_end()));
            return self.set_result(0);
        }
        let python = self.options.windows_python.clone();
        let mut words = Vec::new();
        for word in expand::split_words(args, Split::Program) {
            match compat::program_argument(&word, &self.cwd, python.as_deref()) {
                Ok(word) => words.push(word),
                Err(error) => return self.compat_failure(error),
            }
        }
        self.spawn_program(&program, &bare, words, io)
    }

    fn spawn_program(&mut self, program: &Path, name: &str, words: Vec<String>, io: &Io) -> Flow {
        let mut env = crate::process::Environment::new();
        for (key, value) in self.vars.environment() {
            let value = if compat::is_path_list(key) {
                compat::path_list_for_linux(value)
            } else {
                value.to_string()
            };
            env.insert(key.to_string(), value);
        }
        let stdin = match &io.stdin {
            Input::Inherit if self.options.inherit_stdin => Stdin::Inherit,
            Input::Inherit => Stdin::Null,
            Input::Bytes(bytes) => Stdin::Bytes(bytes.to_vec()),
            Input::File(path) => Stdin::File(path.clone()),
        };
        let idle = self
            .vars
            .get("SCM_COMMAND_IDLE_TIMEOUT")
            .and_then(|value| value.trim().parse::<u64>().ok())
            .filter(|seconds| *seconds > 0)
            .map(Duration::from_secs);
        let mut command = Command::new(program, &self.cwd, &env)
            .args(words)
            .stdin(stdin)
            .merge_stderr(io.stdout.same_as(&io.stderr))
            .idle_timeout(idle)
            .kill_grace(Duration::from_secs(3));
        if let Some(interrupt) = &self.options.interrupt {
            command = command.interrupt(interrupt);
        }
        let running = match command.spawn() {
            Ok(running) => running,
            Err(error) => {
                self.stderr(&format!("'{name}' could not be started: {error}"));
                return self.set_result(9009);
            }
        };
        let (stdout, stderr) = (io.stdout.clone(), io.stderr.clone());
        let finished = running.wait_streaming(&mut |kind, line| {
            let sink = if kind == StreamKind::Stdout {
                &stdout
            } else {
                &stderr
            };
            self.write(sink, &format!("{line}\n"));
        });
        let finished = match finished {
            Ok(finished) => finished,
            Err(error) => return self.fail(RuntimeErrorKind::ProgramFailed, error.to_string()),
        };
        if let Some(signal) = finished.interrupted {
            let error = self.interrupted(format!(
                "interrupted: stopped `{name}` and its process group"
            ));
            return Flow::Abort(128 + signal, Box::new(error));
        }
        if let Some(limit) = finished.idle_timed_out {
            let seconds = limit.as_secs();
            self.output.error(&format!(
                "`{name}` printed nothing for {seconds} seconds (`SCM_COMMAND_IDLE_TIMEOUT`), so it was stopped"
            ));
        }
        self.set_result(finished.exit_code)
    }

    /// The `.cmd`/`.bat` file a command word names, if one exists.
    fn find_batch(&self, word: &str) -> Option<PathBuf> {
        let lower = word.to_ascii_lowercase();
        let has_extension = BATCH_EXTENSIONS.iter().any(|ext| lower.ends_with(ext));
        let names: Vec<String> = if has_extension {
            vec![word.to_string()]
        } else {
            BATCH_EXTENSIONS
                .iter()
                .map(|ext| format!("{word}{ext}"))
                .collect()
        };
        for (index, folder) in self.search_folders(word).iter().enumerate() {
            for name in &names {
                let path = candidate(folder, name, index == 0);
                if path.is_file() && is_batch(&path) {
                    return Some(path);
                }
            }
        }
        None
    }

    /// The program a command word names: a path, or a name on the current folder or PATH
    /// (`X.exe`, `X.cmd` fall back to `X`).
    fn find_program(&self, word: &str) -> Option<PathBuf> {
        self.search(word).into_iter().next()
    }

    /// Every program a word names, in search order (WHERE).
    pub(crate) fn search_program_everywhere(&self, word: &str) -> Vec<PathBuf> {
        self.search(word)
    }

    fn search(&self, word: &str) -> Vec<PathBuf> {
        let lower = word.to_ascii_lowercase();
        let mut names = vec![word.to_string()];
        if let Some(ext) = WINDOWS_EXTENSIONS.iter().find(|ext| lower.ends_with(**ext)) {
            names.push(word[..word.len() - ext.len()].to_string());
        } else {
            names.extend(BATCH_EXTENSIONS.iter().map(|ext| format!("{word}{ext}")));
        }
        let mut found = Vec::new();
        for (index, folder) in self.search_folders(word).iter().enumerate() {
            for name in &names {
                let path = candidate(folder, name, index == 0);
                if is_runnable(&path) && !found.contains(&path) {
                    found.push(path);
                }
            }
        }
        found
    }

    /// Where a command word is looked for: its own folder when it has one, otherwise the
    /// current folder, then PATH.
    fn search_folders(&self, word: &str) -> Vec<PathBuf> {
        if word.contains(['/', '\\']) {
            return vec![self.cwd.clone()];
        }
        let mut folders = vec![self.cwd.clone()];
        if let Some(path) = self.vars.get("PATH") {
            for entry in compat::path_list_for_linux(path).split(':') {
                if !entry.is_empty() {
                    // Matched like any path, so that `%DEPLOYMENT_TARGET%\env\Scripts`
                    // on PATH is the env's `bin` (one stat when the folder exists).
                    folders.push(compat::match_existing(&self.cwd.join(entry)));
                }
            }
        }
        folders
    }
}

/// `name` in `folder`. The first folder (the current one, or the folder a path names) is
/// matched with the compatibility rules; PATH folders exactly, as Linux programs are
/// named exactly (and listing big PATH folders for each command would be slow).
fn candidate(folder: &Path, name: &str, compatible: bool) -> PathBuf {
    let path = folder.join(compat::slashes(name));
    if compatible {
        compat::match_existing(&path)
    } else {
        path
    }
}

fn is_batch(path: &Path) -> bool {
    let lower = path.to_string_lossy().to_ascii_lowercase();
    BATCH_EXTENSIONS.iter().any(|ext| lower.ends_with(ext))
}

fn is_runnable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    if is_batch(path) {
        return path.is_file();
    }
    std::fs::metadata(path)
        .map(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}
