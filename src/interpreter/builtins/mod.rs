//! cmd's builtin commands, one file per family, and the dispatch from a simple command
//! to a builtin, a deploy directive, a batch file or a program.

mod clock;
mod copying;
mod dirs;
mod echo;
pub(crate) mod files;
mod flow;
mod for_loop;
mod for_options;
mod listing;
mod robocopy;
pub(crate) mod set;
mod wait;

use super::expand::{self, Split};
use super::io::Io;
use super::machine::{Flow, Machine};
use crate::commands::{self, DryRun};
use crate::syntax::ast::{Builtin, DirectiveKind, Simple};

impl Machine<'_> {
    /// Runs a simple command: expansion, redirections, then the builtin or program.
    pub fn exec_simple(&mut self, simple: &Simple, io: &Io) -> Flow {
        // cmd expands the whole line before it opens any redirection.
        let name = self.expand(&simple.name);
        let args = self.expand(&simple.args);
        if self.options.trace {
            self.trace_simple(simple, &name, &args);
        }
        let io = match self.open_redirects(&simple.redirects, io) {
            Ok(io) => io,
            Err(flow) => return flow,
        };
        let outer = std::mem::replace(&mut self.err_sink, io.stderr.clone());
        let flow = self.exec_simple_with(simple, name, args, &io);
        self.err_sink = outer;
        flow
    }

    fn exec_simple_with(&mut self, simple: &Simple, name: String, args: String, io: &Io) -> Flow {
        let io = io.clone();
        if simple.builtin == Some(Builtin::Echo) {
            return self.echo_text(&args, self.glued(simple), &io);
        }
        if simple.builtin.is_some() || simple.name.literal().is_some() {
            return self.run_named(&name, &args, simple.builtin, &io, false);
        }
        // The name came from an expansion: its words are split now, never into operators.
        let line = if args.is_empty() {
            name
        } else {
            format!("{name} {args}")
        };
        let (first, rest) = expand::first_word(&line);
        let builtin = Builtin::from_name(expand::strip_quotes(first));
        self.run_named(first, rest, builtin, &io, false)
    }

    /// Under `--trace`: shows the command, expanded, before it runs. A secret the command
    /// sets is made known first, so the trace line itself is masked.
    fn trace_simple(&mut self, simple: &Simple, name: &str, args: &str) {
        let name = match simple.builtin {
            Some(Builtin::Directive(kind)) => kind.display_name().to_string(),
            _ => name.to_string(),
        };
        if simple.builtin == Some(Builtin::Set) {
            self.declare_assignment(args);
        }
        self.flush_console();
        let args = args.trim_matches([' ', '\t']);
        let command = if args.is_empty() {
            name
        } else {
            format!("{name} {args}")
        };
        let location = self.location();
        self.output.trace(&location, &command);
    }

    /// Whether a command's name runs straight into its arguments (`echo.`, `echo(`).
    fn glued(&self, simple: &Simple) -> bool {
        let Some(frame) = self.frames.last() else {
            return false;
        };
        let end = simple.name.span.offset + simple.name.span.len;
        let next = frame
            .loaded
            .source
            .text()
            .get(end..)
            .and_then(|rest| rest.chars().next());
        next.is_some_and(|c| !matches!(c, ' ' | '\t' | '\r' | '\n' | '&' | '|' | '<' | '>' | ')'))
    }

    /// Runs a command by name: a builtin, a directive, a batch file or a program.
    /// `calling` is set under CALL: a batch file then returns here when it ends.
    pub fn run_named(
        &mut self,
        name: &str,
        args: &str,
        builtin: Option<Builtin>,
        io: &Io,
        calling: bool,
    ) -> Flow {
        let Some(builtin) = builtin else {
            if name.is_empty() {
                return Flow::Normal;
            }
            return self.run_external(name, args, io, calling);
        };
        if let Err(flow) = self.check_switches(builtin, args) {
            return flow;
        }
        if self.options.dry_run && commands::spec(builtin).dry_run == DryRun::Reported {
            let command = format!("{} {}", name.to_lowercase(), args.trim());
            self.would(command.trim_end());
            return self.set_result(0);
        }
        match builtin {
            Builtin::Set => self.set(args, io),
            Builtin::Echo => self.echo(args, io),
            Builtin::Goto => self.goto(args),
            Builtin::Call => self.call(args, io),
            Builtin::Exit => self.exit(args),
            Builtin::Setlocal => self.setlocal(args),
            Builtin::Endlocal => self.endlocal(),
            Builtin::Shift => self.shift(args),
            Builtin::Cd => self.cd(args, io),
            Builtin::Pushd => self.pushd(args, io),
            Builtin::Popd => self.popd(),
            Builtin::Md => self.md(args, io),
            Builtin::Rd => self.rd(args, io),
            Builtin::Del => self.del(args, io),
            Builtin::Copy => self.copy(args, io),
            Builtin::Xcopy => self.xcopy(args, io),
            Builtin::Robocopy => self.robocopy(args, io),
            Builtin::Move => self.move_files(args, io),
            Builtin::Ren => self.ren(args, io),
            Builtin::Type => self.type_files(args, io),
            Builtin::Where => self.where_program(args, io),
            Builtin::Dir => self.dir(args, io),
            Builtin::Timeout => self.timeout(args, io),
            Builtin::Pause => self.pause(io),
            Builtin::Time | Builtin::Date => self.clock(builtin, args, io),
            Builtin::Cls | Builtin::Title | Builtin::Verify => self.succeed(),
            Builtin::Ver => {
                self.write(
                    &io.stdout,
                    "\nMicrosoft Windows [Version 10.0 (deploy-script)]\n",
                );
                self.succeed()
            }
            Builtin::Start => self.start(args, io),
            Builtin::Else => {
                self.stderr("'else' is not recognized as an internal or external command,");
                self.stderr("operable program or batch file.");
                self.set_result(9009)
            }
            Builtin::Directive(kind) => self.directive(kind, args),
        }
    }

    /// Rejects a builtin's wrong switch with the words `--check` uses for it, before
    /// anything runs (directives report theirs when they parse their words).
    fn check_switches(&mut self, builtin: Builtin, args: &str) -> Result<(), Flow> {
        let spec = commands::spec(builtin);
        if !spec.reads_switches || matches!(builtin, Builtin::Directive(_)) {
            return Ok(());
        }
        let words = expand::split_words(args, Split::Builtin);
        match spec.parse(&words) {
            Ok(_) => Ok(()),
            Err(error) => {
                self.stderr(&error.to_string());
                Err(self.set_result(spec.bad_switch_errorlevel))
            }
        }
    }

    /// Success that leaves ERRORLEVEL as it was (ECHO, CLS, ...).
    pub fn succeed(&mut self) -> Flow {
        self.status = 0;
        Flow::Normal
    }

    /// Sets both ERRORLEVEL and the command's status to `code`.
    pub fn set_result(&mut self, code: i32) -> Flow {
        self.errorlevel = code;
        self.status = code;
        Flow::Normal
    }

    fn start(&mut self, args: &str, io: &Io) -> Flow {
        // START runs a program; deploy scripts use `start /wait`, which is a plain run.
        let mut rest = args.trim_start();
        loop {
            let (word, after) = expand::first_word(rest);
            let is_title = word.starts_with('"') && !rest.is_empty();
            if word.starts_with('/') || is_title {
                rest = after;
            } else {
                break;
            }
        }
        let (name, after) = expand::first_word(rest);
        let builtin = Builtin::from_name(name);
        self.run_named(name, after, builtin, io, true)
    }

    fn directive(&mut self, kind: DirectiveKind, args: &str) -> Flow {
        let words = expand::split_words(args, Split::Builtin);
        let (script, line) = match self.frames.last() {
            Some(frame) => (
                std::path::PathBuf::from(&frame.loaded.display),
                self.span.line,
            ),
            None => (std::path::PathBuf::new(), self.span.line),
        };
        let excerpt = self.excerpt();
        let mut context = super::directive::DirectiveContext {
            variables: &mut self.vars,
            cwd: self.cwd.clone(),
            script: &script,
            line,
            span: self.span,
            excerpt,
            output: &mut *self.output,
            failure_handled: self.left_of_or,
        };
        match self.directives.run(kind, words, &mut context) {
            Ok(code) => self.set_result(code),
            Err(error) => Flow::Abort(1, Box::new(error)),
        }
    }
}
