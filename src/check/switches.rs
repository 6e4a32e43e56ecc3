//! Command-level checks: the switches of known commands (read by the commands table's
//! own parser, the one the run uses), directive arguments, program lines meant as
//! directives (see [`super::directive_forms`]), ELSE without IF, and constructs this tool
//! does not run.

use super::walk::{each_command, Place};
use super::words::{raw_words, RawWord};
use crate::commands;
use crate::commands::args::parse_directive;
use crate::diagnostic::Diagnostic;
use crate::source::Source;
use crate::syntax::ast::{Builtin, CommandKind, Script};

/// Reports every command whose words the run would reject.
pub fn check(script: &Script, source: &Source, diagnostics: &mut Vec<Diagnostic>) {
    each_command(script, &mut |command, _place: Place| {
        let CommandKind::Simple(simple) = &command.kind else {
            return;
        };
        let Some(builtin) = simple.builtin else {
            super::directive_forms::check(simple, source, diagnostics);
            return;
        };
        match builtin {
            Builtin::Else => {
                diagnostics.push(
                    Diagnostic::error(simple.name.span, "`ELSE` without `IF`").with_help(
                        "put ELSE on the line of the `)` that closes the IF block: `) ELSE (`",
                    ),
                );
                return;
            }
            Builtin::Start => {
                diagnostics.push(
                    Diagnostic::error(
                        simple.name.span,
                        "`START` is not supported: a deploy runs one step at a time",
                    )
                    .with_help("run the program directly (it is waited for), or `CALL` a script"),
                );
                return;
            }
            _ => {}
        }
        let spec = commands::spec(builtin);
        if !spec.reads_switches {
            return;
        }
        let words = raw_words(simple, source);
        let plain: Vec<String> = words.iter().map(|w| w.text.replace('"', "")).collect();
        if let Err(error) = spec.parse(&plain) {
            // A word holding a variable is known only at run time: no verdict on it.
            let word = &words[error.index()];
            if !word.is_dynamic() {
                diagnostics.push(with_help(
                    Diagnostic::error(word.span, error.to_string()),
                    error.help(),
                ));
            }
            return;
        }
        // Without /T, TIME and DATE would prompt for a new value.
        if matches!(builtin, Builtin::Time | Builtin::Date)
            && !plain.iter().any(|word| word.eq_ignore_ascii_case("/T"))
        {
            diagnostics.push(
                Diagnostic::error(
                    simple.name.span,
                    format!(
                        "`{}` without `/T` would prompt for a new value",
                        spec.display
                    ),
                )
                .with_help(format!("write `{} /T` to print it", spec.display)),
            );
            return;
        }
        if let Builtin::Directive(kind) = builtin {
            if !words.iter().any(RawWord::is_dynamic) {
                if let Err(error) = parse_directive(kind, &plain) {
                    diagnostics.push(with_help(
                        Diagnostic::error(command.span, error.to_string()),
                        error.help(),
                    ));
                }
            }
        }
    });
}

fn with_help(diagnostic: Diagnostic, help: Option<String>) -> Diagnostic {
    match help {
        Some(help) => diagnostic.with_help(help),
        None => diagnostic,
    }
}
