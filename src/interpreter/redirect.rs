//! Redirections (`>`, `>>`, `<`, `2>`, `2>&1`, `NUL`) applied in the order written, and
//! writing to a command's streams ([`super::io`]): the console (through [`super::Output`]),
//! a file, memory (the left side of a pipe, `FOR /F` over a command) or nowhere.

use super::io::{Input, Io, Sink, Target};
use super::machine::{Flow, Machine};
use crate::syntax::ast::{Redirect, RedirectKind};
use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;

impl Machine<'_> {
    /// Writes text to a sink; console text goes to the output line by line.
    pub fn write(&mut self, sink: &Sink, text: &str) {
        match sink {
            Sink::Stdout | Sink::Stderr => {
                let index = usize::from(matches!(sink, Sink::Stderr));
                self.partial[index].push_str(text);
                while let Some(end) = self.partial[index].find('\n') {
                    let line: String = self.partial[index].drain(..=end).collect();
                    let line = line.trim_end_matches(['\n', '\r']);
                    if index == 0 {
                        self.output.stdout_line(line);
                    } else {
                        self.output.stderr_line(line);
                    }
                }
            }
            Sink::Null => {}
            Sink::Shared(target) => match &mut *target.borrow_mut() {
                Target::File(file) => {
                    let _ = file.write_all(text.as_bytes());
                }
                Target::Capture(bytes) => bytes.extend_from_slice(text.as_bytes()),
            },
        }
    }

    /// Writes a line to the running command's stderr (cmd's own messages).
    pub fn stderr(&mut self, line: &str) {
        let sink = self.err_sink.clone();
        self.write(&sink, &format!("{line}\n"));
    }

    /// Sends unfinished console lines to the output.
    pub fn flush_console(&mut self) {
        for index in 0..2 {
            if !self.partial[index].is_empty() {
                let line = std::mem::take(&mut self.partial[index]);
                if index == 0 {
                    self.output.stdout_line(&line);
                } else {
                    self.output.stderr_line(&line);
                }
            }
        }
    }

    /// Applies redirections, in order, to `io`. A file that cannot be opened prints cmd's
    /// message, sets ERRORLEVEL 1 and the command does not run (`Err(Flow::Normal)`).
    pub fn open_redirects(&mut self, redirects: &[Redirect], io: &Io) -> Result<Io, Flow> {
        let mut io = io.clone();
        for redirect in redirects {
            let sink = match &redirect.kind {
                RedirectKind::Duplicate(to) => match to {
                    0 => continue,
                    1 => io.stdout.clone(),
                    _ => io.stderr.clone(),
                },
                RedirectKind::Read(target) => {
                    let word = self.expand(target);
                    let path = self.path(super::expand::strip_quotes(word.trim()))?;
                    if !path.is_file() && path != std::path::Path::new("/dev/null") {
                        self.stderr("The system cannot find the file specified.");
                        self.status = 1;
                        return Err(Flow::Normal);
                    }
                    io.stdin = Input::File(path);
                    continue;
                }
                RedirectKind::Write(target) | RedirectKind::Append(target) => {
                    let append = matches!(redirect.kind, RedirectKind::Append(_));
                    let word = self.expand(target);
                    let word = super::expand::strip_quotes(word.trim()).to_string();
                    if crate::compat::is_nul(&word) {
                        Sink::Null
                    } else if self.options.dry_run {
                        let path = self.path(&word)?;
                        let verb = if append { "append to" } else { "write to" };
                        self.would(&format!("{verb} `{}`", path.display()));
                        Sink::Null
                    } else {
                        let path = self.path(&word)?;
                        let file = std::fs::OpenOptions::new()
                            .create(true)
                            .write(true)
                            .append(append)
                            .truncate(!append)
                            .open(&path);
                        match file {
                            Ok(file) => Sink::Shared(Rc::new(RefCell::new(Target::File(file)))),
                            Err(_) => {
                                self.stderr("The system cannot find the path specified.");
                                self.status = 1;
                                return Err(Flow::Normal);
                            }
                        }
                    }
                }
            };
            match redirect.fd {
                1 => io.stdout = sink,
                2 => io.stderr = sink,
                _ => {}
            }
        }
        Ok(io)
    }
}
