//! Labels: GOTO and CALL targets that do not exist, labels defined twice, and code after
//! an unconditional jump that no label reaches.

use super::walk::{each_command, Place};
use super::words::{raw_words, RawWord};
use crate::commands::edit_distance;
use crate::diagnostic::Diagnostic;
use crate::source::Source;
use crate::syntax::ast::{Builtin, Command, CommandKind, Script, StatementKind};
use std::collections::HashMap;

pub fn check(script: &Script, source: &Source, diagnostics: &mut Vec<Diagnostic>) {
    let mut defined: HashMap<String, &crate::syntax::ast::Label> = HashMap::new();
    for statement in &script.statements {
        if let StatementKind::Label(label) = &statement.kind {
            let key = label.name.to_ascii_lowercase();
            if let Some(first) = defined.get(&key) {
                diagnostics.push(
                    Diagnostic::warning(
                        label.name_span,
                        format!(
                            "label `{}` is defined twice (first on line {})",
                            label.name, first.name_span.line
                        ),
                    )
                    .with_help("GOTO jumps to the first one after the current line, wrapping around; rename one of them"),
                );
            } else {
                defined.insert(key, label);
            }
        }
    }
    let names: Vec<&str> = defined.values().map(|label| label.name.as_str()).collect();
    each_command(script, &mut |command, _place: Place| {
        let Some((keyword, target)) = jump_target(command, source) else {
            return;
        };
        let name = target.text.trim_start_matches(':');
        let name = name.split('+').next().unwrap_or("");
        if name.eq_ignore_ascii_case("eof") || name.is_empty() {
            return;
        }
        if !defined.contains_key(&name.to_ascii_lowercase()) {
            let help = match closest(name, &names) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("add a line `:{name}` where {keyword} should continue"),
            };
            diagnostics.push(
                Diagnostic::error(target.span, format!("unknown label `{name}`")).with_help(help),
            );
        }
    });
    unreachable_after_jumps(script, diagnostics);
}

/// The label a GOTO or `CALL :label` names: the first word of its arguments, as written.
fn jump_target(command: &Command, source: &Source) -> Option<(&'static str, RawWord)> {
    let CommandKind::Simple(simple) = &command.kind else {
        return None;
    };
    let keyword = match simple.builtin? {
        Builtin::Goto => "GOTO",
        Builtin::Call => "CALL",
        _ => return None,
    };
    let word = raw_words(simple, source).into_iter().next()?;
    if word.is_dynamic() || (keyword == "CALL" && !word.text.starts_with(':')) {
        return None;
    }
    Some((keyword, word))
}

/// Warns once per run of statements that follow an unconditional GOTO or EXIT and that no
/// label reaches.
fn unreachable_after_jumps(script: &Script, diagnostics: &mut Vec<Diagnostic>) {
    let mut after_jump = false;
    for statement in &script.statements {
        match &statement.kind {
            StatementKind::Label(_) => after_jump = false,
            StatementKind::Comment(_) => {}
            StatementKind::Command(command) => {
                if after_jump {
                    diagnostics.push(
                        Diagnostic::warning(
                            statement.span,
                            "this line never runs: no label leads here after the jump above",
                        )
                        .with_help("add a label before it, or remove it"),
                    );
                    // One warning per unreachable run.
                    after_jump = false;
                    continue;
                }
                after_jump = is_unconditional_jump(command);
            }
        }
    }
}

fn is_unconditional_jump(command: &Command) -> bool {
    match &command.kind {
        CommandKind::Simple(simple) => {
            matches!(simple.builtin, Some(Builtin::Goto | Builtin::Exit))
        }
        _ => false,
    }
}

/// The defined label closest to `name` by edit distance, when it is close enough.
fn closest<'a>(name: &str, names: &[&'a str]) -> Option<&'a str> {
    let name = name.to_ascii_lowercase();
    names
        .iter()
        .map(|candidate| {
            (
                edit_distance(&name, &candidate.to_ascii_lowercase()),
                *candidate,
            )
        })
        .filter(|(distance, candidate)| *distance <= 2.max(candidate.len() / 4))
        .min()
        .map(|(_, candidate)| candidate)
}
