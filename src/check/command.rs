//! `run-deploy --check`: parse and check a script without running anything, print every
//! problem, and say whether it passes.

use crate::check::check_source;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Source;
use std::io::Write;
use std::path::PathBuf;

/// What `--check` was asked to do.
#[derive(Clone, Debug)]
pub struct CheckConfig {
    /// The script to check.
    pub script: PathBuf,
    /// Warnings fail the check too.
    pub deny_warnings: bool,
}

/// Checks the script and writes every diagnostic, then a summary line, to `out`.
/// Returns the exit code: 0 when it passes, 1 when it does not.
pub fn run_check(config: &CheckConfig, out: &mut dyn Write) -> anyhow::Result<i32> {
    let source = Source::read(&config.script)?;
    check_and_report(&source, config.deny_warnings, out)
}

/// [`run_check`] for a script already in memory (run-deploy's default script, which is
/// never written to disk); the summary line names `source`'s path.
pub fn check_and_report(
    source: &Source,
    deny_warnings: bool,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    let report = check_source(source);
    for diagnostic in &report.diagnostics {
        writeln!(out, "{}\n", diagnostic.render(source))?;
    }
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let notes = report.count(Severity::Note);
    let passes = report.passes(deny_warnings);
    writeln!(
        out,
        "{}: {}",
        source.path().display(),
        summary(errors, warnings, notes, passes, deny_warnings)
    )?;
    Ok(if passes { 0 } else { 1 })
}

/// The verdict line: `ok`, `ok (3 notes)`, or the counts and whether the script passes.
/// Notes are counted but never change the verdict.
fn summary(
    errors: usize,
    warnings: usize,
    notes: usize,
    passes: bool,
    deny_warnings: bool,
) -> String {
    let noted = if notes > 0 {
        format!(" ({})", plural(notes, "note"))
    } else {
        String::new()
    };
    if errors == 0 && warnings == 0 {
        return format!("ok{noted}");
    }
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(plural(errors, "error"));
    }
    if warnings > 0 {
        parts.push(plural(warnings, "warning"));
    }
    let verdict = if passes {
        "passes"
    } else if errors == 0 && deny_warnings {
        "fails (warnings denied)"
    } else {
        "fails"
    };
    format!("{}; {verdict}{noted}", parts.join(", "))
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// Renders diagnostics of another check (used by the runner before it runs a script).
pub fn render_errors(diagnostics: &[Diagnostic], source: &Source) -> String {
    diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{}\n", d.render(source)))
        .collect::<Vec<_>>()
        .join("\n")
}
