//! Why gen-deploy cannot choose what installs the packages: two lock files, a lock file
//! beside a requirements.txt that disagrees with it, or `--installer` naming a lock the
//! app does not have. Each error names the files and how to choose.

use crate::app::LockKind;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Source;

/// The app's package files leave the choice open, or the flag asks for a lock that is not
/// there.
#[derive(Debug, thiserror::Error)]
pub enum PackageConflict {
    /// Two or three lock files.
    #[error(
        "{} lock the app's packages: the script installs one\n  help: choose with {}; or delete the lock you no longer use",
        list(&locks.iter().map(|kind| format!("`{}`", kind.lock_file())).collect::<Vec<_>>(), "and"),
        list(&locks.iter().map(|kind| format!("`--installer {}` (installs `{}`)", kind.tool(), kind.lock_file())).collect::<Vec<_>>(), "or"),
    )]
    TwoLocks {
        /// The locks, in [`LockKind::ALL`]'s order.
        locks: Vec<LockKind>,
    },
    /// A lock and a requirements.txt whose names or versions do not match it.
    #[error("{rendered}")]
    LockDisagrees {
        /// The diagnostic at the first line that disagrees, rendered (without `error: `,
        /// which the binary prints), with its help.
        rendered: String,
    },
    /// `--installer poetry` or `--installer pipenv` without that lock.
    #[error(
        "`--installer {}` installs `{}`, and there is none in the app\n  help: lock the app with `{}` and commit `{}`, or choose another installer",
        kind.tool(), kind.lock_file(), kind.relock_command(), kind.lock_file()
    )]
    NoLock {
        /// The lock the flag asks for.
        kind: LockKind,
    },
}

/// One way a requirement file disagrees with a lock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// 1-based line of the requirement.
    pub line: usize,
    /// The requirement as written (its first word: `flask==3.0.0`).
    pub written: String,
    /// What is wrong: `poetry.lock` locks 3.0.3, or the lock has no such package.
    pub problem: String,
}

impl PackageConflict {
    /// The error for `requirements` (its text `text`) disagreeing with `lock`: the first
    /// difference with a caret, the count of the others, and how to choose.
    pub fn disagrees(
        requirements: &str,
        text: &str,
        lock: LockKind,
        differences: &[Difference],
    ) -> PackageConflict {
        let source = Source::from_text(requirements, text);
        let first = &differences[0];
        let line_start = source
            .text()
            .lines()
            .take(first.line - 1)
            .map(|line| line.len() + 1)
            .sum::<usize>();
        let in_line = source
            .line_text(first.line as u32)
            .find(first.written.as_str())
            .unwrap_or(0);
        let start = line_start + in_line;
        let more = match differences.len() - 1 {
            0 => String::new(),
            1 => " (and 1 more difference)".to_string(),
            n => format!(" (and {n} more differences)"),
        };
        let message = format!(
            "`{requirements}` disagrees with `{lock}`: `{}` {}{more}",
            first.written, first.problem
        );
        let help = format!(
            "choose with `--installer {}` (installs `{lock}`) or `--installer pip` (installs `{requirements}`); \
             or make them agree ({}), or delete one",
            lock.tool(),
            export_command(lock, requirements)
        );
        let diagnostic = Diagnostic {
            severity: Severity::Error,
            message,
            span: source.span(start, start + first.written.len()),
            help: Some(help),
        };
        let rendered = diagnostic.render(&source);
        // The binary prints `error: ` before every error.
        let rendered = rendered
            .strip_prefix("error: ")
            .unwrap_or(&rendered)
            .to_string();
        PackageConflict::LockDisagrees { rendered }
    }
}

/// The command that writes the lock's set as a requirement file.
fn export_command(lock: LockKind, requirements: &str) -> String {
    match lock {
        LockKind::Uv => format!("`uv export --no-dev --no-emit-project -o {requirements}`"),
        LockKind::Poetry => {
            format!("`poetry export --only main -f requirements.txt -o {requirements}`")
        }
        LockKind::Pipenv => format!("`pipenv requirements > {requirements}`"),
    }
}

/// `a`, `a and b`, `a, b and c` (with `and` or `or`).
fn list(items: &[String], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [head @ .., last] => format!("{} {conjunction} {last}", head.join(", ")),
    }
}
