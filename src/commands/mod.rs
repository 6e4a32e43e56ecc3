//! The one table of commands: every builtin and every deploy directive, declared once
//! with its names, its switches and the kind of value each takes, and what `--dry-run`
//! does with it. The parser's keywords, `--check`'s switch validation, the builtins' and
//! directives' switch parsing, the dry-run list and the switch table of docs/language.md
//! all read it, so `--check` cannot accept what the run rejects.
//!
//! A new command is one entry in [`table`] plus the file that runs it.

pub mod args;
mod builtin;
mod docs;
pub mod render;
mod suggest;
mod switch;
mod table;

pub use builtin::{Builtin, DirectiveKind};
pub use docs::switch_table_markdown;
pub use suggest::{closest, edit_distance};
pub use switch::{parse_words, switch_name, GivenSwitch, Item, Switch, SwitchError, Value};

/// What `--dry-run` does with a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DryRun {
    /// It runs: it only reads, prints or changes the script's own state (SET, ECHO, CD).
    Runs,
    /// It would create, change or remove files: the dry run prints `would ...` instead.
    Reported,
    /// A deploy directive: the dry run prints its plan.
    Planned,
}

/// One command of the dialect.
#[derive(Debug)]
pub struct CommandSpec {
    /// What the parser calls it.
    pub builtin: Builtin,
    /// Its names, lower-case, the usual one first (`md`, `mkdir`); for a two-word
    /// directive, its keyword (`python`).
    pub names: &'static [&'static str],
    /// A two-word directive's subcommand (`select`).
    pub subcommand: Option<&'static str>,
    /// How messages and docs write it (`XCOPY`, `PYTHON SELECT`).
    pub display: &'static str,
    /// Whether its words are read against [`CommandSpec::switches`]: false for commands
    /// whose text is not words (ECHO, GOTO, IF's friends), which take any text.
    pub reads_switches: bool,
    /// Only the first word may be a switch (`SET /A X=8/2`: the rest is an expression).
    pub leading_switch_only: bool,
    /// The switches it accepts.
    pub switches: &'static [Switch],
    /// What `--dry-run` does with it.
    pub dry_run: DryRun,
    /// The ERRORLEVEL the run sets when a switch is wrong (XCOPY's is 4, as in cmd).
    pub bad_switch_errorlevel: i32,
}

impl CommandSpec {
    /// The switch called `name` (upper-case, with `/`).
    pub fn switch(&self, name: &str) -> Option<&'static Switch> {
        self.switches
            .iter()
            .find(|switch| switch.name.eq_ignore_ascii_case(name))
    }

    /// Reads the command's words against its switches (see [`parse_words`]).
    pub fn parse(&self, words: &[String]) -> Result<Vec<Item>, SwitchError> {
        parse_words(self, words)
    }
}

/// Every command, builtins first, then the directives.
pub fn all() -> &'static [CommandSpec] {
    table::COMMANDS
}

/// The table entry of a builtin or directive (every one has exactly one).
pub fn spec(builtin: Builtin) -> &'static CommandSpec {
    table::COMMANDS
        .iter()
        .find(|spec| spec.builtin == builtin)
        .expect("every builtin has an entry in the commands table")
}

/// The one-word command called `name`: a builtin in any case (`echo`, `ECHO`), or the
/// directive `SYNC` written in capitals (`sync` is the Linux program).
pub fn by_name(name: &str) -> Option<&'static CommandSpec> {
    table::COMMANDS.iter().find(|spec| {
        spec.subcommand.is_none()
            && spec.names.iter().any(|n| match spec.builtin {
                Builtin::Directive(_) => is_capitals_of(name, n),
                _ => n.eq_ignore_ascii_case(name),
            })
    })
}

/// The two-word directive `keyword subcommand`, both written in capitals as the table
/// spells them: `PYTHON SELECT`, `VENV ENSURE`. Any other case is a program call
/// (`python select.py`, `Venv install`).
pub fn directive(keyword: &str, subcommand: &str) -> Option<DirectiveKind> {
    two_word_directives()
        .find(|spec| {
            is_capitals_of(keyword, spec.names[0])
                && spec
                    .subcommand
                    .is_some_and(|s| is_capitals_of(subcommand, s))
        })
        .and_then(|spec| match spec.builtin {
            Builtin::Directive(kind) => Some(kind),
            _ => None,
        })
}

/// Whether `name` is one of the directive keywords the dialect reserves (`SYNC`,
/// `PYTHON`, `VENV`, `DJANGO`).
pub fn is_directive_keyword(name: &str) -> bool {
    table::COMMANDS.iter().any(|spec| {
        matches!(spec.builtin, Builtin::Directive(_))
            && spec.names.iter().any(|n| n.eq_ignore_ascii_case(name))
    })
}

/// The two-word directive whose keyword and subcommand are `keyword word` in another
/// case than capitals (`venv ensure`, `Python Select`): a program call that surely meant
/// the directive.
pub fn directive_in_wrong_case(keyword: &str, word: &str) -> Option<&'static CommandSpec> {
    two_word_directives().find(|spec| {
        spec.names[0].eq_ignore_ascii_case(keyword)
            && spec
                .subcommand
                .is_some_and(|s| s.eq_ignore_ascii_case(word))
            && !(is_capitals_of(keyword, spec.names[0])
                && spec.subcommand.is_some_and(|s| is_capitals_of(word, s)))
    })
}

/// Whether `written` is `name` (a lower-case table name) in capitals, as directives are
/// written: `VENV` for `venv`, not `Venv` or `venv`.
fn is_capitals_of(written: &str, name: &str) -> bool {
    written.len() == name.len()
        && written
            .bytes()
            .zip(name.bytes())
            .all(|(w, n)| w == n.to_ascii_uppercase())
}

/// The directive that `keyword word` is a typo of (`PYTHON SELCT` -> `PYTHON SELECT`).
/// Only a plain word counts: `python manage.py`, `python -m venv`, `pip uninstall` and
/// `pip freeze` are program calls.
pub fn misspelled_directive(keyword: &str, word: &str) -> Option<&'static CommandSpec> {
    if word.is_empty() || !word.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let candidates: Vec<&'static CommandSpec> = two_word_directives()
        .filter(|spec| spec.names[0].eq_ignore_ascii_case(keyword))
        .collect();
    let subcommands: Vec<&'static str> = candidates.iter().filter_map(|s| s.subcommand).collect();
    let suggestion = closest(word, &subcommands)?;
    candidates
        .into_iter()
        .find(|spec| spec.subcommand == Some(suggestion))
}

fn two_word_directives() -> impl Iterator<Item = &'static CommandSpec> {
    table::COMMANDS
        .iter()
        .filter(|spec| spec.subcommand.is_some())
}

/// Whether some command has the switch `upper` (upper-case, with `/`) and it is longer
/// than two letters: such words are switches even in lower case (`/nobreak`).
fn is_long_switch(upper: &str) -> bool {
    upper.len() > 3
        && table::COMMANDS
            .iter()
            .flat_map(|spec| spec.switches)
            .any(|switch| switch.name == upper)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_keywords_come_from_the_table() {
        assert_eq!(Builtin::from_name("MKDIR"), Some(Builtin::Md));
        assert_eq!(
            Builtin::from_name("SYNC"),
            Some(Builtin::Directive(DirectiveKind::Sync))
        );
        assert_eq!(Builtin::from_name("sync"), None);
        assert_eq!(Builtin::from_name("Sync"), None);
        assert_eq!(Builtin::from_name("python"), None);
        assert_eq!(directive("VENV", "REMOVE"), Some(DirectiveKind::VenvRemove));
        assert_eq!(directive("Venv", "remove"), None);
        assert_eq!(directive("VENV", "remove"), None);
        assert_eq!(
            directive_in_wrong_case("Venv", "remove").map(|s| s.display),
            Some("VENV REMOVE")
        );
        assert!(directive_in_wrong_case("VENV", "REMOVE").is_none());
        assert!(directive_in_wrong_case("python", "select.py").is_none());
        assert_eq!(directive("python", "manage.py"), None);
        assert!(is_directive_keyword("DJANGO"));
        assert!(!is_directive_keyword("select"));
        assert_eq!(
            misspelled_directive("PYTHON", "SELCT").map(|s| s.display),
            Some("PYTHON SELECT")
        );
        assert!(misspelled_directive("pip", "uninstall").is_none());
        assert!(misspelled_directive("python", "select.py").is_none());
    }

    #[test]
    fn every_switch_is_upper_case_and_declared_once_per_command() {
        for spec in all() {
            for (index, switch) in spec.switches.iter().enumerate() {
                assert_eq!(switch.name, switch.name.to_ascii_uppercase());
                assert_eq!(switch_name(switch.name).as_deref(), Some(switch.name));
                assert!(spec.switches[..index].iter().all(|s| s.name != switch.name));
            }
        }
    }
}
