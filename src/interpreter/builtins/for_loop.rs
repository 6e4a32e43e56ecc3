//! FOR in all its forms: items and wildcards, `/D`, `/R`, `/L`, and `/F` over files,
//! strings and a command's output with `tokens=`, `delims=`, `skip=`, `eol=`, `usebackq`.

use super::files::{matching, wildcard_match};
use super::for_options::{parse_line_options, split_line, LineOptions};
use crate::interpreter::expand::{self, Split};
use crate::interpreter::io::{Input, Io, Sink};
use crate::interpreter::machine::{Flow, Machine};
use crate::syntax::ast::{For, ForVariant, StatementKind};
use std::rc::Rc;

impl Machine<'_> {
    /// Runs a FOR command.
    pub fn exec_for(&mut self, command: &For, io: &Io) -> Flow {
        let set = self.expand(&command.set);
        let passes: Vec<Vec<String>> = match &command.variant {
            ForVariant::Plain | ForVariant::Dirs => {
                let dirs = command.variant == ForVariant::Dirs;
                self.items(&set, dirs)
                    .into_iter()
                    .map(|item| vec![item])
                    .collect()
            }
            ForVariant::Recursive(root) => {
                let root = match root {
                    Some(root) => expand::strip_quotes(&self.expand(root)).to_string(),
                    None => ".".into(),
                };
                match self.recursive_items(&root, &set) {
                    Ok(items) => items.into_iter().map(|item| vec![item]).collect(),
                    Err(flow) => return flow,
                }
            }
            ForVariant::Range => return self.exec_range(command, &set, io),
            ForVariant::Lines(options) => {
                let options = match options {
                    Some(text) => {
                        let text = self.expand(text);
                        match parse_line_options(&text) {
                            Ok(options) => options,
                            Err(error) => {
                                self.stderr(&error.to_string());
                                return self.set_result(1);
                            }
                        }
                    }
                    None => LineOptions::default(),
                };
                match self.lines(&set, &options, io) {
                    Ok(lines) => lines,
                    Err(flow) => return flow,
                }
            }
        };
        for values in passes {
            let mut letter = command.variable;
            let bound = values.len();
            for value in values {
                self.for_vars.push((letter, value));
                letter = char::from_u32(letter as u32 + 1).unwrap_or(letter);
            }
            let flow = self.exec(&command.body, io);
            self.for_vars.truncate(self.for_vars.len() - bound);
            if flow != Flow::Normal {
                return flow;
            }
        }
        Flow::Normal
    }

    fn items(&self, set: &str, dirs: bool) -> Vec<String> {
        let mut items = Vec::new();
        for word in expand::split_words(set, Split::Parameters) {
            if !word.contains(['*', '?']) {
                if !dirs {
                    items.push(word);
                }
                continue;
            }
            let bare = expand::strip_quotes(&word);
            let cut = bare.rfind(['/', '\\']).map_or(0, |at| at + 1);
            let (prefix, pattern) = bare.split_at(cut);
            let folder = match self.path(if prefix.is_empty() { "." } else { prefix }) {
                Ok(folder) => folder,
                Err(_) => continue,
            };
            for found in matching(&folder, pattern, |p| p.is_dir() == dirs) {
                let name = found
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                items.push(format!("{prefix}{name}"));
            }
        }
        items
    }

    fn recursive_items(&self, root: &str, set: &str) -> Result<Vec<String>, Flow> {
        let root = self.path(root)?;
        let mut items = Vec::new();
        let words = expand::split_words(set, Split::Parameters);
        let walker = walkdir::WalkDir::new(&root).sort_by_file_name();
        for entry in walker
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_dir())
        {
            let folder = entry.path();
            for word in &words {
                if word.contains(['*', '?']) {
                    let found = std::fs::read_dir(folder).into_iter().flatten().flatten();
                    let mut names: Vec<String> = found
                        .filter(|e| e.path().is_file())
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .filter(|name| wildcard_match(word, name))
                        .collect();
                    names.sort_by_key(|name| name.to_lowercase());
                    items.extend(
                        names
                            .into_iter()
                            .map(|name| folder.join(name).display().to_string()),
                    );
                } else {
                    items.push(format!(
                        "{}/{}",
                        folder.display(),
                        expand::strip_quotes(word)
                    ));
                }
            }
        }
        Ok(items)
    }

    fn lines(
        &mut self,
        set: &str,
        options: &LineOptions,
        io: &Io,
    ) -> Result<Vec<Vec<String>>, Flow> {
        let set = set.trim();
        let (command_quote, string_quote) = if options.usebackq {
            ('`', '\'')
        } else {
            ('\'', '"')
        };
        let text = if let Some(command) = set
            .strip_prefix(command_quote)
            .and_then(|s| s.strip_suffix(command_quote))
        {
            self.capture_command(command, io)?
        } else if let Some(string) = set
            .strip_prefix(string_quote)
            .and_then(|s| s.strip_suffix(string_quote))
        {
            string.to_string()
        } else {
            let mut text = String::new();
            for word in expand::split_words(set, Split::Builtin) {
                let path = self.path(&word)?;
                match std::fs::read(&path) {
                    Ok(bytes) => text.push_str(&String::from_utf8_lossy(&bytes)),
                    Err(_) => {
                        self.stderr(&format!("The system cannot find the file {word}."));
                        self.errorlevel = 1;
                        return Ok(Vec::new());
                    }
                }
                if !text.ends_with('\n') {
                    text.push('\n');
                }
            }
            text
        };
        Ok(text
            .lines()
            .skip(options.skip)
            .map(|line| line.trim_end_matches('\r'))
            .filter_map(|line| split_line(line, options))
            .collect())
    }

    /// Runs a command line and returns what it printed on stdout.
    fn capture_command(&mut self, command: &str, io: &Io) -> Result<String, Flow> {
        let source = crate::source::Source::from_text("FOR /F command", command);
        let script = crate::syntax::parser::parse(&source).script;
        let captured = Sink::capture();
        let capture_io = Io {
            stdin: Input::Bytes(Rc::new(Vec::new())),
            stdout: captured.clone(),
            stderr: io.stderr.clone(),
        };
        for statement in &script.statements {
            if let StatementKind::Command(command) = &statement.kind {
                match self.exec(command, &capture_io) {
                    Flow::Exit(code) => return Err(Flow::Exit(code)),
                    Flow::Abort(code, error) => return Err(Flow::Abort(code, error)),
                    _ => {}
                }
            }
        }
        Ok(String::from_utf8_lossy(&captured.take_bytes()).into_owned())
    }
}

impl Machine<'_> {
    /// `FOR /L`: runs the body for each value, one at a time.
    fn exec_range(&mut self, command: &For, set: &str, io: &Io) -> Flow {
        let (start, step, end) = range_bounds(set);
        let mut value = start;
        while step >= 0 && value <= end || step < 0 && value >= end {
            self.for_vars.push((command.variable, value.to_string()));
            let flow = self.exec(&command.body, io);
            self.for_vars.pop();
            if flow != Flow::Normal {
                return flow;
            }
            // A zero step loops forever, as in cmd (the step limit, if any, ends it).
            value += step;
        }
        Flow::Normal
    }
}

/// `FOR /L` bounds: `(start,step,end)`.
fn range_bounds(set: &str) -> (i64, i64, i64) {
    let numbers: Vec<i64> = set
        .split([',', ' ', '\t'])
        .filter(|n| !n.is_empty())
        .map(|n| super::set::parse_number(n).unwrap_or(0))
        .collect();
    match numbers.as_slice() {
        [start, step, end, ..] => (*start, *step, *end),
        [start, step] => (*start, *step, 0),
        [start] => (*start, 0, 0),
        [] => (0, 0, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_bounds_read_start_step_end() {
        assert_eq!(range_bounds("1,2,7"), (1, 2, 7));
        assert_eq!(range_bounds("5"), (5, 0, 0));
    }
}
