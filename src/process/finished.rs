//! How a child process ended: exit code, every line it printed, and whether it was
//! killed for being silent too long.

use super::StreamKind;
use std::time::Duration;

/// How a child process ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finished {
    /// The exit code; a child killed by signal N reports 128 + N, as shells do.
    pub exit_code: i32,
    /// Every line in the order it was received, with its stream.
    pub lines: Vec<(StreamKind, String)>,
    /// Set when the child was killed for printing nothing for this long.
    pub idle_timed_out: Option<Duration>,
    /// Set when the child's group was killed because this process got that signal.
    pub interrupted: Option<i32>,
}

impl Finished {
    /// True when the child exited with code 0 and was not killed.
    pub fn success(&self) -> bool {
        self.exit_code == 0 && self.idle_timed_out.is_none() && self.interrupted.is_none()
    }

    /// The lines of one stream joined with `\n` (each line ends with one).
    pub fn text(&self, kind: StreamKind) -> String {
        let mut text = String::new();
        for (line_kind, line) in &self.lines {
            if *line_kind == kind {
                text.push_str(line);
                text.push('\n');
            }
        }
        text
    }

    /// The last `count` lines of both streams, for an error message.
    pub fn tail(&self, count: usize) -> String {
        let start = self.lines.len().saturating_sub(count);
        let tail: Vec<&str> = self.lines[start..]
            .iter()
            .map(|(_, l)| l.as_str())
            .collect();
        tail.join("\n")
    }
}
