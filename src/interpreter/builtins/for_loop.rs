//! FOR in all its forms: items and wildcards, `/D`, `/R`, `/L`, and `/F` over files,
//! strings and a command's output with `tokens=`, `delims=`, `skip=`, `eol=`, `usebackq`.

use super::files::{matching, wildcard_match};
use crate::ast::{For, ForVariant, StatementKind};
use crate::interpreter::expand::{self, Split};
use crate::interpreter::machine::{Flow, Machine};
use crate::interpreter::redirect::{Input, Io, Sink};
use std::rc::Rc;

/// The options of `FOR /F`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LineOptions {
    /// Token numbers (1-based, sorted) to assign.
    pub tokens: Vec<usize>,
    /// `*` after the last token: the rest of the line goes to the next variable.
    pub rest: bool,
    /// Characters that separate tokens.
    pub delims: Vec<char>,
    /// Lines to skip at the start.
    pub skip: usize,
    /// Lines starting with this character are ignored.
    pub eol: Option<char>,
    /// Back quotes run commands, double quotes name files.
    pub usebackq: bool,
}

impl Default for LineOptions {
    fn default() -> Self {
        LineOptions {
            tokens: vec![1],
            rest: false,
            delims: vec![' ', '\t'],
            skip: 0,
            eol: Some(';'),
            usebackq: false,
        }
    }
}

const KEYWORDS: [&str; 5] = ["tokens=", "delims=", "skip=", "eol=", "usebackq"];

/// Parses `"tokens=1,2* delims=, skip=1 eol=# usebackq"`.
pub(crate) fn parse_line_options(text: &str) -> Result<LineOptions, String> {
    let mut options = LineOptions::default();
    let mut rest = expand::strip_quotes(text.trim());
    while !rest.is_empty() {
        rest = rest.trim_start_matches(' ');
        let lower = rest.to_ascii_lowercase();
        let Some(keyword) = KEYWORDS.iter().find(|k| lower.starts_with(**k)) else {
            if rest.is_empty() {
                break;
            }
            return Err(format!("{rest} was unexpected at this time."));
        };
        rest = &rest[keyword.len()..];
        // A value runs to the next space, except delims and eol, which may hold a space.
        let end = if *keyword == "delims=" {
            next_keyword(rest).unwrap_or(rest.len())
        } else if *keyword == "eol=" {
            rest.chars().next().map_or(0, char::len_utf8)
        } else {
            rest.find(' ').unwrap_or(rest.len())
        };
        let value = &rest[..end];
        rest = &rest[end..];
        match *keyword {
            "tokens=" => parse_tokens(value, &mut options)?,
            "delims=" => options.delims = value.chars().collect(),
            "skip=" => {
                options.skip = value
                    .parse()
                    .map_err(|_| format!("{value} was unexpected at this time."))?
            }
            "eol=" => options.eol = value.chars().next(),
            _ => options.usebackq = true,
        }
    }
    Ok(options)
}

fn next_keyword(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    lower
        .match_indices(' ')
        .map(|(at, _)| at)
        .find(|at| KEYWORDS.iter().any(|k| lower[at + 1..].starts_with(k)))
}

fn parse_tokens(value: &str, options: &mut LineOptions) -> Result<(), String> {
    let mut tokens = Vec::new();
    let mut spec = value;
    if let Some(stripped) = spec.strip_suffix('*') {
        options.rest = true;
        spec = stripped.trim_end_matches(',');
    }
    for item in spec.split(',').filter(|item| !item.is_empty()) {
        let bad = || format!("{value} was unexpected at this time.");
        match item.split_once('-') {
            Some((from, to)) => {
                let (from, to): (usize, usize) = (
                    from.parse().map_err(|_| bad())?,
                    to.parse().map_err(|_| bad())?,
                );
                tokens.extend(from.max(1)..=to.min(31));
            }
            None => tokens.push(item.parse::<usize>().map_err(|_| bad())?.max(1)),
        }
    }
    tokens.sort_unstable();
    tokens.dedup();
    options.tokens = tokens;
    Ok(())
}

/// The values one line gives the loop variables, or `None` when the line is skipped.
pub(crate) fn split_line(line: &str, options: &LineOptions) -> Option<Vec<String>> {
    if line.is_empty() || options.eol.is_some_and(|eol| line.starts_with(eol)) {
        return None;
    }
    let is_delim = |c: char| options.delims.contains(&c);
    // Start offsets and texts of the tokens.
    let mut tokens: Vec<(usize, &str)> = Vec::new();
    let mut start = None;
    for (at, c) in line.char_indices() {
        match (is_delim(c), start) {
            (true, Some(from)) => {
                tokens.push((from, &line[from..at]));
                start = None;
            }
            (false, None) => start = Some(at),
            _ => {}
        }
    }
    if let Some(from) = start {
        tokens.push((from, &line[from..]));
    }
    let mut values: Vec<String> = options
        .tokens
        .iter()
        .map(|n| {
            tokens
                .get(n - 1)
                .map_or(String::new(), |(_, t)| t.to_string())
        })
        .collect();
    if options.rest {
        let last = options.tokens.last().copied().unwrap_or(0);
        let rest = match tokens.get(last) {
            Some((from, _)) => line[*from..].to_string(),
            None => String::new(),
        };
        values.push(rest);
    }
    if values.iter().all(String::is_empty) {
        return None;
    }
    Some(values)
}

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
                            Err(message) => {
                                self.stderr(&message);
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
        let script = crate::parser::parse(&source).script;
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
                    Flow::Abort(code, message) => return Err(Flow::Abort(code, message)),
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
    fn parses_options_and_splits_lines() {
        let options = parse_line_options("\"tokens=1,3* delims=,; skip=1 eol=#\"").unwrap();
        assert_eq!(options.tokens, vec![1, 3]);
        assert!(options.rest);
        assert_eq!(options.delims, vec![',', ';']);
        assert_eq!(options.skip, 1);
        assert_eq!(options.eol, Some('#'));
        assert_eq!(
            split_line("a,b;c,d e", &options),
            Some(vec!["a".into(), "c".into(), "d e".into()])
        );
        assert_eq!(split_line("#comment", &options), None);
        let whole = parse_line_options("tokens=* delims=").unwrap();
        assert_eq!(
            split_line("  two words", &whole),
            Some(vec!["  two words".into()])
        );
        assert_eq!(range_bounds("1,2,7"), (1, 2, 7));
    }
}
