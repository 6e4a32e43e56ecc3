//! Where the script's output goes: an [`Output`] sink that the reporter implements, and
//! two plain implementations (the console, and memory for tests and logs).

use crate::diagnostic::Severity;
use crate::error::RuntimeError;
use std::io::Write;

/// Receives every line a script and its programs print, and run-deploy's own messages.
pub trait Output {
    /// A line the script or one of its programs wrote to stdout (no line end).
    fn stdout_line(&mut self, line: &str);
    /// A line the script or one of its programs wrote to stderr (no line end).
    fn stderr_line(&mut self, line: &str);
    /// A message of run-deploy's own (not the script's): `--quiet` silences it.
    fn note(&mut self, message: &str);
    /// An error of run-deploy's own: always shown.
    fn error(&mut self, message: &str);
    /// A failure that ends the run or a deploy step: by default [`Output::error`] with its
    /// full rendering (`error: ...`, `-->`, the command's line and a caret).
    fn runtime_error(&mut self, error: &RuntimeError) {
        self.error(&error.render());
    }
    /// A failure the run goes on after (cmd's rules): by default [`Output::note`] with its
    /// rendering as a warning, so `--quiet` silences it.
    fn runtime_warning(&mut self, error: &RuntimeError) {
        self.note(&error.render_as(Severity::Warning));
    }
    /// Under `--trace`: the command at `location` (`file:line`) is about to run, expanded.
    fn trace(&mut self, location: &str, command: &str) {
        let _ = (location, command);
    }
    /// The script set variable `name` to `value` (a sink that masks secrets learns it).
    fn secret_set(&mut self, name: &str, value: &str) {
        let _ = (name, value);
    }
}

/// Writes the script's lines to the real stdout and stderr, and run-deploy's own messages
/// to stderr prefixed `run-deploy: `.
#[derive(Debug, Default)]
pub struct ConsoleOutput {
    /// Silence [`Output::note`].
    pub quiet: bool,
}

impl Output for ConsoleOutput {
    fn stdout_line(&mut self, line: &str) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
    }

    fn stderr_line(&mut self, line: &str) {
        let _ = writeln!(std::io::stderr().lock(), "{line}");
    }

    fn note(&mut self, message: &str) {
        if !self.quiet {
            let _ = writeln!(std::io::stderr().lock(), "run-deploy: {message}");
        }
    }

    fn error(&mut self, message: &str) {
        let _ = writeln!(std::io::stderr().lock(), "run-deploy: {message}");
    }

    fn runtime_error(&mut self, error: &RuntimeError) {
        if self.quiet {
            self.error(&format!("error: {}", error.one_line()));
        } else {
            self.error(&error.render());
        }
    }
}

/// One line kept by [`CapturedOutput`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutputLine {
    /// A stdout line.
    Stdout(String),
    /// A stderr line.
    Stderr(String),
    /// A note of run-deploy's own.
    Note(String),
    /// An error of run-deploy's own.
    Error(String),
}

/// Keeps every line in memory, in order (tests, deploy logs).
#[derive(Clone, Debug, Default)]
pub struct CapturedOutput {
    /// The lines, in the order they came.
    pub lines: Vec<OutputLine>,
}

impl CapturedOutput {
    /// The stdout lines, each followed by `\n`.
    pub fn stdout(&self) -> String {
        self.collect(|line| match line {
            OutputLine::Stdout(text) => Some(text),
            _ => None,
        })
    }

    /// The stderr lines and run-deploy's errors (as the console shows them), each
    /// followed by `\n`.
    pub fn stderr(&self) -> String {
        let mut text = String::new();
        for line in &self.lines {
            match line {
                OutputLine::Stderr(line) => text.push_str(line),
                OutputLine::Error(line) => {
                    text.push_str("run-deploy: ");
                    text.push_str(line);
                }
                _ => continue,
            }
            text.push('\n');
        }
        text
    }

    fn collect(&self, pick: impl Fn(&OutputLine) -> Option<&String>) -> String {
        let mut text = String::new();
        for line in self.lines.iter().filter_map(pick) {
            text.push_str(line);
            text.push('\n');
        }
        text
    }
}

impl Output for CapturedOutput {
    fn stdout_line(&mut self, line: &str) {
        self.lines.push(OutputLine::Stdout(line.to_string()));
    }

    fn stderr_line(&mut self, line: &str) {
        self.lines.push(OutputLine::Stderr(line.to_string()));
    }

    fn note(&mut self, message: &str) {
        self.lines.push(OutputLine::Note(message.to_string()));
    }

    fn error(&mut self, message: &str) {
        self.lines.push(OutputLine::Error(message.to_string()));
    }
}
