//! A command's switches: what a switch is, what value it takes, and the one parser that
//! reads a command's words against its table entry. `--check` and the run both call
//! [`parse_words`], so an unknown or misspelled switch is the same error from both.

use super::suggest::closest;
use super::CommandSpec;

/// One switch a command accepts.
#[derive(Debug)]
pub struct Switch {
    /// The switch as documented, upper-case with its `/` (`/EXCLUDE`, `/-Y`).
    pub name: &'static str,
    /// What value it takes.
    pub value: Value,
    /// What it does, one line for docs/language.md.
    pub what: &'static str,
}

/// The kinds of value a switch takes.
#[derive(Debug, PartialEq, Eq)]
pub enum Value {
    /// No value: `/Y`.
    None,
    /// A value glued on with `:` (`/EXCLUDE:file`); optional when `required` is false
    /// (`/A` or `/A:D`). The text names the value in the docs.
    Attached {
        /// How the docs name the value.
        placeholder: &'static str,
        /// Whether the switch needs it.
        required: bool,
    },
    /// The next word (or a value glued on with `:`): `/T 5`, `/ONCE token`.
    Next(&'static str),
    /// The next word, one of a fixed set (any case): `/INSTALLER pip|uv`.
    OneOf(&'static [&'static str]),
    /// The following words that are not switches, `min` to `max` of them:
    /// `/MANIFEST next [previous]`, `/IFCHANGED file...`.
    Words {
        /// How the docs name the words.
        placeholder: &'static str,
        /// The fewest words it needs.
        min: usize,
        /// The most it takes (`None`: all up to the next switch).
        max: Option<usize>,
    },
}

impl Switch {
    /// The switch with its value as the docs write it: `/T n`, `/INSTALLER pip|uv`.
    pub fn usage(&self) -> String {
        match &self.value {
            Value::None => self.name.to_string(),
            Value::Attached {
                placeholder,
                required: true,
            } => format!("{}:{placeholder}", self.name),
            Value::Attached { placeholder, .. } => format!("{}[:{placeholder}]", self.name),
            Value::Next(placeholder) => format!("{} {placeholder}", self.name),
            Value::OneOf(allowed) => format!("{} {}", self.name, allowed.join("|")),
            Value::Words { placeholder, .. } => format!("{} {placeholder}", self.name),
        }
    }
}

/// A switch as given on a command line, with its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GivenSwitch {
    /// The table's switch (`/EXCLUDE`).
    pub name: &'static str,
    /// The word as written (`/exclude:a.txt`).
    pub written: String,
    /// Its value words: none, one (`/T 5`, `/EXCLUDE:a.txt`, `/INSTALLER uv` lower-cased),
    /// or several (`/IFCHANGED a b`).
    pub values: Vec<String>,
}

/// One word of a command line after its switches were read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// A switch and its value.
    Switch(GivenSwitch),
    /// Any other word (a path, a number, a file), as written.
    Word(String),
}

/// Why a command's words do not fit its switches.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SwitchError {
    /// A switch the command does not have.
    #[error("unknown switch `{written}` for `{command}`")]
    Unknown {
        /// The command as written in messages (`XCOPY`).
        command: &'static str,
        /// The word as written.
        written: String,
        /// The command's switches, for the help.
        known: Vec<&'static str>,
        /// The known switch closest to it, when one is close.
        suggestion: Option<&'static str>,
        /// Which word (0-based).
        index: usize,
    },
    /// A switch that needs a value got none.
    #[error("`{written}` needs a value")]
    MissingValue {
        /// The switch as written.
        written: String,
        /// Which word.
        index: usize,
    },
    /// A switch that takes no value got one glued on (`/Y:x`).
    #[error("`{written}` takes no value")]
    UnexpectedValue {
        /// The word as written.
        written: String,
        /// Which word.
        index: usize,
    },
    /// A value outside the switch's fixed set.
    #[error("`{value}` is not one of {}", allowed.join(", "))]
    NotOneOf {
        /// The value as written.
        value: String,
        /// The values it may take.
        allowed: &'static [&'static str],
        /// Which word (the value's).
        index: usize,
    },
}

impl SwitchError {
    /// The word the error is about (0-based), for a caret under it.
    pub fn index(&self) -> usize {
        match self {
            SwitchError::Unknown { index, .. }
            | SwitchError::MissingValue { index, .. }
            | SwitchError::UnexpectedValue { index, .. }
            | SwitchError::NotOneOf { index, .. } => *index,
        }
    }

    /// What to do about it, when that is knowable.
    pub fn help(&self) -> Option<String> {
        let SwitchError::Unknown {
            known, suggestion, ..
        } = self
        else {
            return None;
        };
        let listed = if known.is_empty() {
            "it takes no switches".to_string()
        } else {
            format!("its switches are {}", known.join(" "))
        };
        Some(match suggestion {
            Some(suggestion) => format!("did you mean `{suggestion}`? {listed}"),
            None => listed,
        })
    }
}

/// The switch a word is, upper-cased without its value (`/A:D` -> `/A`), or `None` when
/// the word is not a switch (a Linux path such as `/tmp/x` is not one).
pub fn switch_name(word: &str) -> Option<String> {
    let body = word.strip_prefix('/')?;
    let name: String = body
        .chars()
        .take_while(|c| c.is_ascii_alphabetic() || *c == '-' || *c == '?')
        .collect();
    let rest = &body[name.len()..];
    if name.is_empty() || rest.contains('/') || !(rest.is_empty() || rest.starts_with(':')) {
        return None;
    }
    let upper = format!("/{}", name.to_ascii_uppercase());
    // `/tmp` is a Linux path, `/q` a switch: longer names count only when some command
    // knows them, or when written in capitals as directive switches are.
    let looks_like_switch = name.len() <= 2
        || super::is_long_switch(&upper)
        || name.chars().all(|c| c.is_ascii_uppercase());
    looks_like_switch.then_some(upper)
}

/// Reads a command's words (expanded, quotes removed) against its switches, in order.
/// Only the first word may be a switch for commands that say so (`SET /A`).
pub fn parse_words(spec: &CommandSpec, words: &[String]) -> Result<Vec<Item>, SwitchError> {
    let mut items = Vec::new();
    let mut index = 0;
    while index < words.len() {
        let word = &words[index];
        let may_be_switch = !spec.leading_switch_only || index == 0;
        let Some(name) = switch_name(word).filter(|_| may_be_switch) else {
            items.push(Item::Word(word.clone()));
            index += 1;
            continue;
        };
        let Some(switch) = spec.switch(&name) else {
            let known: Vec<&'static str> = spec.switches.iter().map(|s| s.name).collect();
            return Err(SwitchError::Unknown {
                command: spec.display,
                written: word.clone(),
                suggestion: closest(&name, &known),
                known,
                index,
            });
        };
        let glued = word
            .find(':')
            .map(|colon| word[colon + 1..].to_string())
            .filter(|value| !value.is_empty());
        let start = index;
        index += 1;
        let next_value = |index: &mut usize| -> Option<String> {
            let word = words.get(*index).filter(|w| switch_name(w).is_none())?;
            *index += 1;
            Some(word.clone())
        };
        let missing = || SwitchError::MissingValue {
            written: word.clone(),
            index: start,
        };
        let values = match &switch.value {
            Value::None if glued.is_some() => {
                return Err(SwitchError::UnexpectedValue {
                    written: word.clone(),
                    index: start,
                })
            }
            Value::None => Vec::new(),
            Value::Attached { required, .. } => match glued {
                Some(value) => vec![value],
                None if *required => return Err(missing()),
                None => Vec::new(),
            },
            Value::Next(_) => vec![glued
                .or_else(|| next_value(&mut index))
                .ok_or_else(missing)?],
            Value::OneOf(allowed) => {
                let value_index = if glued.is_some() { start } else { index };
                let value = glued
                    .or_else(|| next_value(&mut index))
                    .ok_or_else(missing)?;
                let lower = value.to_ascii_lowercase();
                if !allowed.contains(&lower.as_str()) {
                    return Err(SwitchError::NotOneOf {
                        value,
                        allowed,
                        index: value_index,
                    });
                }
                vec![lower]
            }
            Value::Words { min, max, .. } => {
                let mut values: Vec<String> = glued.into_iter().collect();
                while max.map_or(true, |max| values.len() < max) {
                    let Some(value) = next_value(&mut index) else {
                        break;
                    };
                    values.push(value);
                }
                if values.len() < *min {
                    return Err(missing());
                }
                values
            }
        };
        items.push(Item::Switch(GivenSwitch {
            name: switch.name,
            written: word.clone(),
            values,
        }));
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::switch_name;

    #[test]
    fn tells_switches_from_linux_paths() {
        assert_eq!(switch_name("/q").as_deref(), Some("/Q"));
        assert_eq!(switch_name("/A:D").as_deref(), Some("/A"));
        assert_eq!(switch_name("/-Y").as_deref(), Some("/-Y"));
        assert_eq!(switch_name("/tmp/site"), None);
        assert_eq!(switch_name("/tmp"), None);
        assert_eq!(switch_name("/once").as_deref(), Some("/ONCE"));
        assert_eq!(switch_name("/CHECKSUMS").as_deref(), Some("/CHECKSUMS"));
        assert_eq!(switch_name("file"), None);
    }
}
