//! Errors found while a script runs: a kind, the span of the command that failed and a
//! help text, rendered by the same renderer as `--check`'s diagnostics:
//!
//! ```text
//! error: VENV INSTALL failed: pip exited with code 1
//!  --> deploy.cmd:31:1
//!    |
//! 31 | VENV INSTALL -r requirements.txt
//!    | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
//!    = help: pip's output above names the requirement it could not install
//! ```

use crate::commands::DirectiveKind;
use crate::diagnostic::{Excerpt, Severity};
use annotate_snippets::Renderer;

/// What kind of failure stopped the run or a deploy step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuntimeErrorKind {
    /// A deploy directive (VENV INSTALL, VENV ENSURE, ...) failed.
    DirectiveFailed,
    /// SYNC failed (the source, the target or a file in them).
    SyncFailed,
    /// A deploy directive ran in a build that has no runner for directives.
    DirectiveUnavailable,
    /// GOTO or CALL named a label the script does not have.
    MissingLabel,
    /// The abort idiom: a line holding only `()` stops every CALL level.
    Aborted,
    /// A path or program cannot be used on Linux (a drive letter, a Windows Python).
    WindowsPath,
    /// A path outside the folder a sandboxed run may touch, or a program in the sandbox.
    Sandbox,
    /// A program could not be run to its end.
    ProgramFailed,
    /// A script named by CALL or as a command cannot be read.
    ScriptUnreadable,
    /// CALLs nest too deep: a subroutine probably calls itself without end.
    CallDepth,
    /// The run took more steps than allowed: a loop probably never ends.
    StepLimit,
    /// Ctrl-C or SIGTERM stopped the run.
    Interrupted,
}

impl RuntimeErrorKind {
    /// The kind of a failed deploy directive.
    pub fn for_directive(kind: DirectiveKind) -> RuntimeErrorKind {
        match kind {
            DirectiveKind::Sync => RuntimeErrorKind::SyncFailed,
            _ => RuntimeErrorKind::DirectiveFailed,
        }
    }
}

/// A failure at run time: its kind, what happened, where and what to do about it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RuntimeError {
    /// What kind of failure.
    pub kind: RuntimeErrorKind,
    /// Lowercase, code in backticks, no trailing period.
    pub message: String,
    /// What to do about it, when that is knowable.
    pub help: Option<String>,
    /// The command that failed, when the failure belongs to one (boxed: errors travel
    /// in `Result`s and `Flow`s, which stay small).
    pub at: Option<Box<Excerpt>>,
}

impl RuntimeError {
    /// A failure of `kind` that belongs to no command (yet).
    pub fn new(kind: RuntimeErrorKind, message: impl Into<String>) -> RuntimeError {
        RuntimeError {
            kind,
            message: message.into(),
            help: None,
            at: None,
        }
    }

    /// Places the failure at a command.
    pub fn at(mut self, excerpt: Option<Excerpt>) -> RuntimeError {
        self.at = excerpt.map(Box::new);
        self
    }

    /// Adds advice on what to do.
    pub fn with_help(mut self, help: impl Into<String>) -> RuntimeError {
        self.help = Some(help.into());
        self
    }

    /// Adds the advice that fits a failed deploy directive, when there is one: a step
    /// that runs a program points at that program's output; SYNC's own messages already
    /// say what to change.
    pub fn with_directive_help(self, kind: DirectiveKind) -> RuntimeError {
        let help = match kind {
            DirectiveKind::VenvInstall => {
                "the installer's output above says why; fix that and deploy again"
            }
            DirectiveKind::VenvEnsure | DirectiveKind::DjangoCollectstatic => {
                "the program's output above says why it failed"
            }
            DirectiveKind::Sync | DirectiveKind::PythonSelect | DirectiveKind::VenvRemove => {
                return self
            }
        };
        self.with_help(help)
    }

    /// The full rendering, without colour: `error: message`, then the `-->` line, the
    /// command's line with a caret and the help, when the failure has a place.
    pub fn render(&self) -> String {
        self.render_as(Severity::Error)
    }

    /// [`RuntimeError::render`] with another severity (a failure the run goes on after).
    pub fn render_as(&self, severity: Severity) -> String {
        match &self.at {
            Some(excerpt) => excerpt.render(
                severity,
                &self.message,
                self.help.as_deref(),
                &Renderer::plain(),
            ),
            None => {
                let title = match severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Note => "note",
                };
                let mut text = format!("{title}: {}", self.message);
                if let Some(help) = &self.help {
                    text.push_str(&format!("\n  = help: {help}"));
                }
                text
            }
        }
    }

    /// The rendering under the title line (`-->`, the command's line, caret, help), for a
    /// view that prints the title itself; empty when the failure has no place.
    pub fn excerpt(&self) -> String {
        let full = self.render();
        match (&self.at, full.split_once('\n')) {
            (Some(_), Some((_, rest))) => rest.to_string(),
            _ => String::new(),
        }
    }

    /// One line, for `--quiet`: `file:line: message` (cmd's conventions for the abort
    /// idiom, whose message names its own place).
    pub fn one_line(&self) -> String {
        match &self.at {
            Some(excerpt) if self.kind != RuntimeErrorKind::Aborted => {
                format!("{}:{}: {}", excerpt.path, excerpt.span.line, self.message)
            }
            _ => self.message.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Source;

    #[test]
    fn renders_like_a_check_diagnostic() {
        let source = Source::from_text("/abs/deploy.cmd", "@echo off\r\ncall :nope\r\n");
        let span = source.span(11, 21);
        let error = RuntimeError::new(RuntimeErrorKind::MissingLabel, "no label `:nope`")
            .at(Some(Excerpt::new(&source, span, "deploy.cmd")))
            .with_help("add a line `:nope`, or fix the name");
        assert_eq!(
            error.render(),
            "error: no label `:nope`\n --> deploy.cmd:2:1\n  |\n2 | call :nope\n  | ^^^^^^^^^^\n  |\n  = help: add a line `:nope`, or fix the name"
        );
        assert_eq!(
            error.excerpt(),
            " --> deploy.cmd:2:1\n  |\n2 | call :nope\n  | ^^^^^^^^^^\n  |\n  = help: add a line `:nope`, or fix the name"
        );
        assert_eq!(error.one_line(), "deploy.cmd:2: no label `:nope`");
        let nowhere = RuntimeError::new(RuntimeErrorKind::Interrupted, "interrupted");
        assert_eq!(nowhere.render(), "error: interrupted");
        assert_eq!(nowhere.excerpt(), "");
    }
}
