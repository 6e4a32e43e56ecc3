//! The interpreter: runs a parsed script with cmd's meaning and real processes.
//!
//! Read in order: [`variables`] (names, SETLOCAL scopes, read-time views), [`expand`]
//! (edits, modifiers, `!VAR!`, word splitting), `machine` (the statement loop, GOTO,
//! CALL frames, expansion of a command), `redirect` (where a command's streams go),
//! `builtins` (one file per family), `program` (running programs through
//! [`crate::process`]), [`directive`] (the hook for deploy directives) and [`crate::report::output`].

mod builtins;
mod condition;
pub mod directive;
pub mod expand;
pub(crate) mod io;
mod machine;

mod program;
mod redirect;
mod values;
pub mod variables;

pub use crate::report::output::{CapturedOutput, ConsoleOutput, Output, OutputLine};
pub use directive::{DirectiveContext, DirectiveRunner, NoDirectives};

use crate::compat::WindowsPathMap;
use crate::process::Interrupt;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How to run a script (what was validated from the command line).
#[derive(Clone, Default)]
pub struct RunOptions {
    /// The starting folder (default: the current folder).
    pub cwd: Option<PathBuf>,
    /// The starting environment (default: this process's, with Windows variables added).
    pub env: Option<BTreeMap<String, String>>,
    /// Stop with an error after this many commands (fuzzing, runaway loops).
    pub max_steps: Option<u64>,
    /// Refuse every path outside this folder and every program, and never wait (fuzzing).
    pub sandbox_root: Option<PathBuf>,
    /// Maps App Service's Windows paths and interpreters ([`crate::compat::app_service`]).
    pub windows_python: Option<Arc<dyn WindowsPathMap>>,
    /// Raised by Ctrl-C or SIGTERM: the running program's group is killed and the run
    /// ends with 130 or 143.
    pub interrupt: Option<Interrupt>,
    /// Let programs and `SET /P` read this process's stdin (default: empty stdin).
    pub inherit_stdin: bool,
    /// `--dry-run`: run no program and change no file; report each as `would ...`
    /// (builtins that only read, and the script's own logic, still run).
    pub dry_run: bool,
    /// `--trace`: report each simple command, expanded, with its `file:line` before it runs.
    pub trace: bool,
}

impl std::fmt::Debug for RunOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunOptions")
            .field("cwd", &self.cwd)
            .field("max_steps", &self.max_steps)
            .field("sandbox_root", &self.sandbox_root)
            .field("inherit_stdin", &self.inherit_stdin)
            .field("dry_run", &self.dry_run)
            .field("trace", &self.trace)
            .finish_non_exhaustive()
    }
}

/// Runs the script at `path` with `args` as `%1`..., the way `cmd /c SCRIPT ARGS` would,
/// printing to `output`; returns the script's exit code. Deploy directives fail with
/// "not available in this build"; use [`run_script_with`] to provide them.
pub fn run_script(
    path: &Path,
    args: &[String],
    options: &RunOptions,
    output: &mut dyn Output,
) -> anyhow::Result<i32> {
    run_script_with(path, args, options, output, &mut NoDirectives)
}

/// [`run_script`] with a runner for the deploy directives.
pub fn run_script_with(
    path: &Path,
    args: &[String],
    options: &RunOptions,
    output: &mut dyn Output,
    directives: &mut dyn DirectiveRunner,
) -> anyhow::Result<i32> {
    machine::Machine::new(options, output, directives)?.run_file(path, args)
}

/// Runs script text held in memory as if it were the file `path` (tests, `FOR /F`).
pub fn run_text(
    path: &Path,
    text: &str,
    args: &[String],
    options: &RunOptions,
    output: &mut dyn Output,
) -> anyhow::Result<i32> {
    let source = crate::source::Source::from_text(path, text);
    machine::Machine::new(options, output, &mut NoDirectives)?.run_source(source, args)
}

/// [`run_text`] with a runner for the deploy directives (a script held in memory, such as
/// the default script of an app that has none).
pub fn run_text_with(
    path: &Path,
    text: &str,
    args: &[String],
    options: &RunOptions,
    output: &mut dyn Output,
    directives: &mut dyn DirectiveRunner,
) -> anyhow::Result<i32> {
    run_parsed_with(path, text, None, args, options, output, directives)
}

/// [`run_text_with`] for a script parsed already, when `script` is given: what the parser
/// made of `text` (a deploy checks its script before it runs it, and runs what the check
/// parsed).
pub fn run_parsed_with(
    path: &Path,
    text: &str,
    script: Option<crate::syntax::ast::Script>,
    args: &[String],
    options: &RunOptions,
    output: &mut dyn Output,
    directives: &mut dyn DirectiveRunner,
) -> anyhow::Result<i32> {
    let source = crate::source::Source::from_text(path, text);
    machine::Machine::new(options, output, directives)?.run_script(source, script, args)
}
