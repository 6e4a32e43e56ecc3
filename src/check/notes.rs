//! Notes: where a Linux compatibility rule ([`crate::compat`]) changes what a line does.
//! A note never fails a check; it tells the reader how the line runs here. One note per
//! rule per line, at the first word the rule applies to.

use super::walk::{own_texts, walk, Place};
use crate::compat::{rules_applying_to, CompatNote, CompatRule};
use crate::diagnostic::Diagnostic;
use crate::python::winpath::map_windows_python;
use crate::source::Source;
use crate::span::Span;
use crate::syntax::ast::{Builtin, Command, CommandKind, Script, StatementKind};

/// Adds a note for each rule that applies to a line of `script`, once per rule per line.
pub fn check(script: &Script, source: &Source, diagnostics: &mut Vec<Diagnostic>) {
    let mut seen: Vec<(u32, CompatRule)> = Vec::new();
    for statement in &script.statements {
        let StatementKind::Command(command) = &statement.kind else {
            continue;
        };
        walk(command, Place::default(), &mut |command, _| {
            for (span, note) in command_notes(command, source) {
                let key = (span.line, note.rule);
                if !seen.contains(&key) {
                    seen.push(key);
                    diagnostics.push(Diagnostic::note(span, message(&note)));
                }
            }
        });
    }
}

/// The rules that apply to one command's own texts, each with where it applies.
fn command_notes(command: &Command, source: &Source) -> Vec<(Span, CompatNote)> {
    let mut found = Vec::new();
    let builtin = match &command.kind {
        CommandKind::Simple(simple) => simple.builtin,
        _ => None,
    };
    for (index, text) in own_texts(command).into_iter().enumerate() {
        let Some(raw) = source.text().get(text.span.range()) else {
            continue;
        };
        // SET's rules are judged on the whole line (`SET PATH=a;b`), not its value alone.
        let judged = if builtin == Some(Builtin::Set) && index == 1 {
            std::borrow::Cow::Owned(format!("SET {raw}"))
        } else {
            std::borrow::Cow::Borrowed(raw)
        };
        let is_name = index == 0 && matches!(command.kind, CommandKind::Simple(_));
        for note in rules_applying_to(&judged) {
            if applies(note.rule, builtin, is_name) {
                let span = locate(&note, raw, text.span.offset, source);
                found.push((span, note));
            }
        }
    }
    found
}

/// Whether a rule changes what this text does. ECHO prints its text as written and SET
/// stores it (its paths are rewritten where they are used, though a Windows Python path is
/// noted where it is set); a drive-letter path already
/// earns a warning; `X.exe` falls back to program `X` only as a command name.
fn applies(rule: CompatRule, builtin: Option<Builtin>, is_name: bool) -> bool {
    match rule {
        CompatRule::DriveLetter => false,
        CompatRule::ProgramExtension => is_name && builtin.is_none(),
        CompatRule::WindowsVariable | CompatRule::WindowsPython | CompatRule::AppServicePath => {
            true
        }
        CompatRule::PathListSeparator => builtin == Some(Builtin::Set),
        _ => !matches!(
            builtin,
            Some(Builtin::Echo | Builtin::Set | Builtin::Goto | Builtin::Title)
        ),
    }
}

/// The note's text: the rule's own message, and for a Windows Python path, the version
/// it runs.
fn message(note: &CompatNote) -> String {
    if note.rule != CompatRule::WindowsPython {
        return note.message.clone();
    }
    let word = quoted(&note.message).unwrap_or_default();
    match map_windows_python(word) {
        Some(version) => format!(
            "`{word}` runs the Python {version} installed here (found on PATH, by pyenv or in `DEPLOY_PYTHON_DIRS`); the run fails if there is none"
        ),
        None => note.message.clone(),
    }
}

/// The span of the first word the note quotes, found in `raw` ignoring case; the whole
/// text when it is not there.
fn locate(note: &CompatNote, raw: &str, offset: usize, source: &Source) -> Span {
    let whole = source.span(offset, offset + raw.len());
    let Some(word) = quoted(&note.message) else {
        return whole;
    };
    let lower_raw = raw.to_ascii_lowercase();
    match lower_raw.find(&word.to_ascii_lowercase()) {
        Some(at) => source.span(offset + at, offset + at + word.len()),
        None => whole,
    }
}

/// The first text between backticks in a message.
fn quoted(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(&message[start..start + len])
}
