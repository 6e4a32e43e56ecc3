//! What expansions read: `%VAR%` as the line was read, `!VAR!` as it is now, dynamic
//! variables (`%CD%`, `%RANDOM%`, `%DATE%`, `%TIME%`, `%ERRORLEVEL%`), batch parameters
//! and FOR variables with their `~` modifiers.

use super::expand;
use super::machine::Machine;
use crate::syntax::ast::{ParameterIndex, Part, Text};

impl Machine<'_> {
    /// Expands a text for the command running: `%...%` as read, FOR variables of the
    /// current pass, then `!VAR!` when delayed expansion is on.
    pub fn expand(&mut self, text: &Text) -> String {
        let mut out = String::new();
        for part in &text.parts {
            match part {
                Part::Literal(literal) => out.push_str(literal),
                Part::Variable { name, edit, .. } => {
                    let value = self.lookup_read_time(name);
                    if let Some(value) = value {
                        match edit {
                            Some(edit) => out.push_str(&expand::apply_edit(&value, edit)),
                            None => out.push_str(&value),
                        }
                    }
                }
                Part::Parameter {
                    index,
                    modifiers,
                    tilde,
                    ..
                } => out.push_str(&self.parameter(*index, modifiers, *tilde)),
                Part::ForVariable {
                    letter,
                    modifiers,
                    tilde,
                    ..
                } => match self.for_vars.iter().rev().find(|(l, _)| l == letter) {
                    Some((_, value)) => {
                        let value = value.clone();
                        out.push_str(&self.modify(&value, modifiers, *tilde));
                    }
                    None => {
                        out.push('%');
                        if *tilde {
                            out.push('~');
                            out.push_str(modifiers);
                        }
                        out.push(*letter);
                    }
                },
            }
        }
        if self.delayed {
            let this = &*self;
            out = expand::delayed(&out, &|name| this.lookup_now(name));
        }
        out
    }

    fn modify(&self, value: &str, modifiers: &str, tilde: bool) -> String {
        if !tilde {
            return value.to_string();
        }
        expand::path_modifiers(value, modifiers, &self.cwd, &|name| {
            self.vars.get(name).map(str::to_string)
        })
    }

    /// CALL's second `%` pass over an already expanded line.
    pub fn expand_again(&self, text: &str) -> String {
        expand::percent_pass(
            text,
            &|name| self.lookup_now(name),
            &|modifiers, tilde, index| {
                let index = index.map_or(ParameterIndex::All, ParameterIndex::Digit);
                self.parameter(index, modifiers, tilde)
            },
        )
    }

    fn parameter(&self, index: ParameterIndex, modifiers: &str, tilde: bool) -> String {
        let Some(frame) = self.frames.last() else {
            return String::new();
        };
        match index {
            ParameterIndex::All => frame.all_args.clone(),
            ParameterIndex::Digit(0) if tilde && !modifiers.is_empty() && frame.shift == 0 => {
                // `%~dp0` names the script file even inside a CALLed subroutine.
                let script = frame.loaded.source.path().to_string_lossy().into_owned();
                self.modify(&script, modifiers, true)
            }
            ParameterIndex::Digit(digit) => {
                let position = digit as usize + frame.shift;
                let value = frame.args.get(position).cloned().unwrap_or_default();
                self.modify(&value, modifiers, tilde)
            }
        }
    }

    /// A variable as `%NAME%` reads it: the value when the line was read, or a dynamic
    /// variable (`%CD%`, `%ERRORLEVEL%`, ...) the script did not set.
    fn lookup_read_time(&self, name: &str) -> Option<String> {
        if let Some(value) = self.vars.get_read_time(name) {
            return Some(value);
        }
        if name.eq_ignore_ascii_case("errorlevel") {
            let level = self.vars.read_time_errorlevel().unwrap_or(self.errorlevel);
            return Some(level.to_string());
        }
        self.dynamic(name)
    }

    /// A variable as `!NAME!` and `IF DEFINED` read it: its value now.
    pub fn lookup_now(&self, name: &str) -> Option<String> {
        match self.vars.get(name) {
            Some(value) => Some(value.to_string()),
            None => self.dynamic(name),
        }
    }

    fn dynamic(&self, name: &str) -> Option<String> {
        let upper = name.to_ascii_uppercase();
        Some(match upper.as_str() {
            "ERRORLEVEL" => self.errorlevel.to_string(),
            "CD" => self.cwd.to_string_lossy().into_owned(),
            "RANDOM" => (random() % 32768).to_string(),
            "DATE" | "TIME" => date_time(&upper),
            "CMDEXTVERSION" => "2".into(),
            "CMDCMDLINE" => "cmd /c".into(),
            _ => return None,
        })
    }
}

/// A cheap pseudo-random number (for `%RANDOM%`, which needs no quality).
fn random() -> u32 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    hasher.finish() as u32
}

/// `%DATE%` (`Tue 11/24/2026`) or `%TIME%` (`14:05:09.27`), as cmd in the US locale.
fn date_time(which: &str) -> String {
    let now = time::OffsetDateTime::now_local().unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    if which == "DATE" {
        let day = &now.weekday().to_string()[..3];
        format!(
            "{day} {:02}/{:02}/{:04}",
            now.month() as u8,
            now.day(),
            now.year()
        )
    } else {
        format!(
            "{:2}:{:02}:{:02}.{:02}",
            now.hour(),
            now.minute(),
            now.second(),
            now.millisecond() / 10
        )
    }
}
