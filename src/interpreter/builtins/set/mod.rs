//! SET: assignment, listing, `SET /P` (a line of input) and `SET /A` (integer expressions).

use crate::interpreter::io::{Input, Io};
use crate::interpreter::machine::{Flow, Machine};
use std::io::BufRead;

mod arithmetic;

pub(crate) use arithmetic::parse_number;

impl Machine<'_> {
    /// `SET`, `SET prefix`, `SET name=value`, `SET "name=value"`, `SET /A`, `SET /P`.
    pub(super) fn set(&mut self, args: &str, io: &Io) -> Flow {
        let trimmed = args.trim_start_matches([' ', '\t']);
        let switch = trimmed.get(..2).map(str::to_ascii_lowercase);
        let after_switch = trimmed.get(2..).unwrap_or("");
        let switch_ends = after_switch.is_empty() || after_switch.starts_with([' ', '\t', '"']);
        match switch.as_deref() {
            Some("/a") if switch_ends => return self.set_arithmetic(after_switch),
            Some("/p") if switch_ends => return self.set_prompt(after_switch, io),
            _ => {}
        }
        let content = unquote_assignment(trimmed);
        let Some((name, value)) = content.split_once('=') else {
            return self.list_variables(content.trim_end(), io);
        };
        if name.is_empty() {
            self.stderr("The syntax of the command is incorrect.");
            return self.set_result(1);
        }
        self.vars.set(name, value);
        self.output.secret_set(name, value);
        self.set_result(0)
    }

    /// Tells the output about the variable a `SET name=value` is about to set (so that a
    /// trace of the command can already mask a secret value).
    pub(super) fn declare_assignment(&mut self, args: &str) {
        let trimmed = args.trim_start_matches([' ', '\t']);
        if trimmed.starts_with('/') {
            return;
        }
        if let Some((name, value)) = unquote_assignment(trimmed).split_once('=') {
            if !name.is_empty() {
                self.output.secret_set(name, value);
            }
        }
    }

    fn list_variables(&mut self, prefix: &str, io: &Io) -> Flow {
        let upper = prefix.to_uppercase();
        let lines: Vec<String> = self
            .vars
            .sorted()
            .into_iter()
            .filter(|(name, _)| name.to_uppercase().starts_with(&upper))
            .map(|(name, value)| format!("{name}={value}\n"))
            .collect();
        if lines.is_empty() {
            self.stderr(&format!("Environment variable {prefix} not defined"));
            return self.set_result(1);
        }
        for line in lines {
            self.write(&io.stdout, &line);
        }
        self.set_result(0)
    }

    fn set_arithmetic(&mut self, expression: &str) -> Flow {
        let expression = expression.trim();
        let result = {
            let vars = &mut self.vars;
            arithmetic::evaluate(expression, vars)
        };
        match result {
            Ok(_) => self.set_result(0),
            Err(error) => {
                self.stderr(error.message());
                self.set_result(error.code())
            }
        }
    }

    fn set_prompt(&mut self, rest: &str, io: &Io) -> Flow {
        let content = unquote_assignment(rest.trim_start());
        let Some((name, prompt)) = content.split_once('=') else {
            self.stderr("The syntax of the command is incorrect.");
            return self.set_result(1);
        };
        let prompt = super::super::expand::strip_quotes(prompt).to_string();
        if !prompt.is_empty() {
            self.write(&io.stdout, &prompt);
        }
        let line = match &io.stdin {
            Input::Bytes(bytes) => first_line(&bytes[..]),
            Input::File(path) => std::fs::File::open(path)
                .ok()
                .and_then(|file| first_line(std::io::BufReader::new(file))),
            Input::Inherit if self.options.inherit_stdin => first_line(std::io::stdin().lock()),
            Input::Inherit => None,
        };
        match line {
            Some(line) if !line.is_empty() => {
                self.vars.set(name, &line);
                self.output.secret_set(name, &line);
                self.set_result(0)
            }
            _ => self.set_result(1),
        }
    }
}

/// `"name=value" trailing` -> `name=value`; text without a leading quote is unchanged.
fn unquote_assignment(text: &str) -> &str {
    match text.strip_prefix('"') {
        Some(inner) => match inner.rfind('"') {
            Some(end) => &inner[..end],
            None => inner,
        },
        None => text,
    }
}

fn first_line(mut reader: impl BufRead) -> Option<String> {
    let mut line = String::new();
    match reader.read_line(&mut line) {
        Ok(0) | Err(_) => None,
        Ok(_) => Some(line.trim_end_matches(['\n', '\r']).to_string()),
    }
}
