//! Warnings for the traps batch authors fall into. None stops a script from running
//! (unless `--deny-warnings`):
//! - `%VAR%` read in the same line or block that sets VAR: it was expanded when the line
//!   was read, before the SET ran (suggest `!VAR!`);
//! - `!VAR!` where delayed expansion is off: it stays literal text;
//! - `IF %ERRORLEVEL%` inside a block: read when the block starts, not after the command
//!   before it;
//! - a Windows-only absolute path (`C:\...`, `%SYSTEMDRIVE%`) that cannot work on Linux
//!   (a Windows Python interpreter path runs the installed Python: a note says so).

use super::walk::{own_texts, walk, Place};
use crate::diagnostic::Diagnostic;
use crate::source::Source;
use crate::span::Span;
use crate::syntax::ast::{
    Builtin, Command, CommandKind, Condition, Part, Script, StatementKind, Text,
};

pub fn check(script: &Script, source: &Source, diagnostics: &mut Vec<Diagnostic>) {
    let mut delayed_stack: Vec<bool> = Vec::new();
    let mut delayed = false;
    for statement in &script.statements {
        let StatementKind::Command(command) = &statement.kind else {
            continue;
        };
        read_before_set(command, diagnostics);
        walk(command, Place::default(), &mut |command, place| {
            track_setlocal(command, &mut delayed, &mut delayed_stack);
            errorlevel_in_block(command, place, diagnostics);
            for text in own_texts(command) {
                if !delayed {
                    delayed_without_setlocal(text, source, diagnostics);
                }
                windows_paths(text, source, diagnostics);
            }
        });
    }
}

/// Follows SETLOCAL / ENDLOCAL in source order to know whether `!VAR!` expands.
fn track_setlocal(command: &Command, delayed: &mut bool, stack: &mut Vec<bool>) {
    let CommandKind::Simple(simple) = &command.kind else {
        return;
    };
    match simple.builtin {
        Some(Builtin::Setlocal) => {
            stack.push(*delayed);
            let args = simple
                .args
                .literal()
                .unwrap_or_default()
                .to_ascii_lowercase();
            if args.contains("enabledelayedexpansion") {
                *delayed = true;
            } else if args.contains("disabledelayedexpansion") {
                *delayed = false;
            }
        }
        Some(Builtin::Endlocal) => *delayed = stack.pop().unwrap_or(false),
        _ => {}
    }
}

/// `%VAR%` read after a SET of VAR within the same top-level line or block.
fn read_before_set(statement: &Command, diagnostics: &mut Vec<Diagnostic>) {
    let mut sets: Vec<(String, usize)> = Vec::new();
    let mut reads: Vec<(String, Span)> = Vec::new();
    walk(statement, Place::default(), &mut |command, _| {
        if let Some(name) = set_target(command) {
            sets.push((name, command.span.offset + command.span.len));
        }
        for text in own_texts(command) {
            for part in &text.parts {
                if let Part::Variable { name, span, .. } = part {
                    reads.push((name.clone(), *span));
                }
            }
        }
    });
    for (name, span) in reads {
        let set_before = sets
            .iter()
            .any(|(set, end)| set.eq_ignore_ascii_case(&name) && *end <= span.offset);
        if set_before {
            let shown = &name;
            diagnostics.push(
                Diagnostic::warning(
                    span,
                    format!("`%{shown}%` is expanded when the line or block is read, before the SET above it runs"),
                )
                .with_help(format!(
                    "use `!{shown}!` with `SETLOCAL ENABLEDELAYEDEXPANSION` to read the new value"
                )),
            );
        }
    }
}

/// The variable a `SET NAME=value` (or `SET "NAME=value"`, `SET /A`, `SET /P`) assigns.
fn set_target(command: &Command) -> Option<String> {
    let CommandKind::Simple(simple) = &command.kind else {
        return None;
    };
    if simple.builtin != Some(Builtin::Set) {
        return None;
    }
    let first = match simple.args.parts.first()? {
        Part::Literal(text) => text.as_str(),
        _ => return None,
    };
    let mut rest = first.trim_start();
    for switch in ["/a", "/p"] {
        if rest
            .get(..2)
            .is_some_and(|word| word.eq_ignore_ascii_case(switch))
        {
            rest = rest[2..].trim_start();
        }
    }
    let rest = rest.trim_start_matches('"');
    let name = rest.split('=').next()?;
    (rest.contains('=') && !name.is_empty()).then(|| name.trim().to_ascii_lowercase())
}

/// `IF %ERRORLEVEL% ...` nested in a block.
fn errorlevel_in_block(command: &Command, place: Place, diagnostics: &mut Vec<Diagnostic>) {
    if place.block_depth == 0 {
        return;
    }
    let CommandKind::If(if_command) = &command.kind else {
        return;
    };
    let Condition::Compare { left, right, .. } = &if_command.condition else {
        return;
    };
    for text in [left, right] {
        for part in &text.parts {
            if let Part::Variable { name, span, .. } = part {
                if name.eq_ignore_ascii_case("errorlevel") {
                    diagnostics.push(
                        Diagnostic::warning(
                            *span,
                            "`%ERRORLEVEL%` inside a block is read when the block starts, not after the command before it",
                        )
                        .with_help("use `IF ERRORLEVEL 1` or `!ERRORLEVEL!` (with delayed expansion)"),
                    );
                }
            }
        }
    }
}

/// `!VAR!` in text while delayed expansion is off.
fn delayed_without_setlocal(text: &Text, source: &Source, diagnostics: &mut Vec<Diagnostic>) {
    let Some(raw) = source.text().get(text.span.range()) else {
        return;
    };
    let mut search = 0;
    while let Some(open) = raw[search..].find('!').map(|i| i + search) {
        let after = &raw[open + 1..];
        let Some(close) = after.find('!') else {
            break;
        };
        let name = &after[..close];
        if !name.is_empty() && !name.contains([' ', '\t', '"', '%']) {
            let start = text.span.offset + open;
            diagnostics.push(
                Diagnostic::warning(
                    source.span(start, start + close + 2),
                    format!("`!{name}!` stays literal text: delayed expansion is off here"),
                )
                .with_help("add `SETLOCAL ENABLEDELAYEDEXPANSION` before it, or use `%NAME%`"),
            );
            search = open + close + 2;
        } else {
            search = open + 1;
        }
    }
}

/// `C:\...` or `%SYSTEMDRIVE%` in text.
fn windows_paths(text: &Text, source: &Source, diagnostics: &mut Vec<Diagnostic>) {
    for part in &text.parts {
        if let Part::Variable { name, span, .. } = part {
            if name.eq_ignore_ascii_case("systemdrive") && !python_path_at(source, span.offset) {
                diagnostics.push(windows_path_warning(*span));
            }
        }
    }
    let Some(raw) = source.text().get(text.span.range()) else {
        return;
    };
    let bytes = raw.as_bytes();
    for index in 0..bytes.len().saturating_sub(2) {
        let starts_word = index == 0 || !bytes[index - 1].is_ascii_alphanumeric();
        if starts_word
            && bytes[index].is_ascii_alphabetic()
            && bytes[index + 1] == b':'
            && matches!(bytes[index + 2], b'\\' | b'/')
        {
            let start = text.span.offset + index;
            let end = raw[index..]
                .find([' ', '\t', '"', '\r', '\n'])
                .map_or(text.span.offset + raw.len(), |len| start + len);
            if !python_path_at(source, start) {
                diagnostics.push(windows_path_warning(source.span(start, end)));
            }
        }
    }
}

/// Whether the word starting at `offset` is a Windows Python interpreter path, which runs
/// the installed Python of that version (a note says so) rather than failing.
fn python_path_at(source: &Source, offset: usize) -> bool {
    let rest = source.text().get(offset..).unwrap_or_default();
    let end = rest
        .find([' ', '\t', '"', '\r', '\n', '&', '|', '>', '<', '(', ')'])
        .unwrap_or(rest.len());
    // A quoted path may hold spaces (`"D:\Program Files (x86)\python27\python.exe"`).
    let quoted_end = rest.find(['"', '\r', '\n']).unwrap_or(rest.len());
    crate::compat::is_mapped_windows_path(&rest[..end])
        || crate::compat::is_mapped_windows_path(&rest[..quoted_end])
}

fn windows_path_warning(span: Span) -> Diagnostic {
    Diagnostic::warning(span, "a Windows drive path cannot work on Linux")
        .with_help("use a path relative to `%~dp0` or a variable such as `%DEPLOYMENT_TARGET%`")
}
