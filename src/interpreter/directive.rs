//! The deploy directives (SYNC, PYTHON SELECT, VENV ENSURE / REMOVE / INSTALL, DJANGO COLLECTSTATIC)
//! are not the interpreter's: it hands each to a [`DirectiveRunner`] that the deploy
//! module provides.

use super::variables::Variables;
use crate::diagnostic::Excerpt;
use crate::error::{RuntimeError, RuntimeErrorKind};
use crate::report::output::Output;
use crate::span::Span;
use crate::syntax::ast::DirectiveKind;
use std::path::{Path, PathBuf};

/// What a directive may see and change of the running script.
pub struct DirectiveContext<'a> {
    /// The script's variables (get/set through [`DirectiveContext::get`] and `set`).
    pub(crate) variables: &'a mut Variables,
    /// The interpreter's current folder.
    pub cwd: PathBuf,
    /// The script running the directive, as the user or the script named it (for
    /// `file:line` in messages).
    pub script: &'a Path,
    /// The directive's line in that script (1-based).
    pub line: u32,
    /// The directive's span in that script.
    pub span: Span,
    /// The directive's place, for an error rendered with a caret.
    pub excerpt: Option<Excerpt>,
    /// Where to print.
    pub output: &'a mut dyn Output,
}

impl DirectiveContext<'_> {
    /// A variable's value (case-insensitive name).
    pub fn get(&self, name: &str) -> Option<String> {
        self.variables.get(name).map(str::to_string)
    }

    /// Every variable, as the environment a child process of the script gets.
    pub fn environment(&self) -> std::collections::BTreeMap<String, String> {
        self.variables
            .environment()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    }

    /// An error of `kind` at the directive, rendered with its line and a caret.
    pub fn error(&self, kind: RuntimeErrorKind, message: impl Into<String>) -> RuntimeError {
        RuntimeError::new(kind, message).at(self.excerpt.clone())
    }

    /// Sets a variable (an empty value removes it).
    pub fn set(&mut self, name: &str, value: &str) {
        self.variables.set(name, value);
    }
}

/// Runs deploy directives for the interpreter.
pub trait DirectiveRunner {
    /// Runs `kind` with its argument words (quotes removed, expansions done); returns the
    /// ERRORLEVEL it leaves. An `Err` stops the run with that error (build it with
    /// [`DirectiveContext::error`], so it points at the directive).
    fn run(
        &mut self,
        kind: DirectiveKind,
        words: Vec<String>,
        context: &mut DirectiveContext,
    ) -> Result<i32, RuntimeError>;
}

/// The runner of a build without deploy directives: each fails with a clear error.
#[derive(Debug, Default)]
pub struct NoDirectives;

impl DirectiveRunner for NoDirectives {
    fn run(
        &mut self,
        kind: DirectiveKind,
        _words: Vec<String>,
        context: &mut DirectiveContext,
    ) -> Result<i32, RuntimeError> {
        Err(context.error(
            RuntimeErrorKind::DirectiveUnavailable,
            format!("`{}` is not available in this build", kind.display_name()),
        ))
    }
}
