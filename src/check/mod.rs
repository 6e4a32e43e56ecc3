//! Static checks of a parsed script: problems found without running anything.
//!
//! Errors (the script cannot run as written): GOTO or CALL to a missing label, unknown
//! switches of known commands, ELSE without IF, unsupported constructs. Warnings (the
//! traps batch authors fall into): see [`lints`]. Notes (never failing a check): where a
//! Linux compatibility rule changes what a line does, see [`notes`].

pub mod command;
mod directive_forms;
mod labels;
mod lints;
mod notes;
mod switches;
mod walk;
mod words;

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Source;
use crate::syntax::ast::Script;
use crate::syntax::parser;

pub use words::{raw_words, RawWord};

/// Everything known about a script before it runs: parse problems and check findings.
#[derive(Debug)]
pub struct CheckReport {
    /// The parsed script (lines that did not parse are left out).
    pub script: Script,
    /// Every problem, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckReport {
    /// Number of diagnostics of the given severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// True when nothing stops the script from running (warnings allowed unless `deny`).
    pub fn passes(&self, deny_warnings: bool) -> bool {
        self.count(Severity::Error) == 0 && (!deny_warnings || self.count(Severity::Warning) == 0)
    }
}

/// Parses and checks a script.
pub fn check_source(source: &Source) -> CheckReport {
    let parsed = parser::parse(source);
    let mut diagnostics = parsed.diagnostics;
    diagnostics.extend(check_script(&parsed.script, source));
    diagnostics.sort_by_key(|d| (d.span.offset, d.severity));
    CheckReport {
        script: parsed.script,
        diagnostics,
    }
}

/// Runs every check on an already parsed script.
pub fn check_script(script: &Script, source: &Source) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    labels::check(script, source, &mut diagnostics);
    switches::check(script, source, &mut diagnostics);
    lints::check(script, source, &mut diagnostics);
    notes::check(script, source, &mut diagnostics);
    diagnostics
}

/// Calls `visit` for `command` and every command nested in it (blocks, IF and FOR bodies,
/// both sides of operators).
pub fn each_command_in(
    command: &crate::syntax::ast::Command,
    visit: &mut dyn FnMut(&crate::syntax::ast::Command),
) {
    walk::walk(command, walk::Place::default(), &mut |command, _| {
        visit(command)
    });
}
