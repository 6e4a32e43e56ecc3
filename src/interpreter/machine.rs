//! The statement loop: frames for the script and each CALL, GOTO, the abort idiom, the
//! command tree (blocks, IF, operators, pipes) and expansion of a command's text.

use super::directive::DirectiveRunner;
use super::expand;
use super::io::{Input, Io, Sink};
use super::variables::Variables;
use super::RunOptions;
use crate::diagnostic::Excerpt;
use crate::error::{RuntimeError, RuntimeErrorKind};
use crate::report::output::Output;
use crate::source::Source;
use crate::span::Span;
use crate::syntax::ast::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// How deep CALLs may nest (cmd stops at a similar depth with its own message).
const MAX_CALL_DEPTH: usize = 1000;

/// How a command ended, for the commands around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Flow {
    /// Go on with the next command.
    Normal,
    /// `GOTO label`: the frame loop jumps.
    Goto(String),
    /// `GOTO :EOF` or `EXIT /B`: the current frame ends.
    Return,
    /// `EXIT n`: the whole run ends with n.
    Exit(i32),
    /// The run stops at once with this exit code and error (`()`, a fatal error).
    Abort(i32, Box<RuntimeError>),
}

/// A parsed script with its label index.
pub(crate) struct Loaded {
    /// The script, its path made absolute (so `%~dp0` survives CD).
    pub source: Source,
    pub script: Script,
    /// The path as the user or the script named it, for messages.
    pub display: String,
    /// Statement indexes of each label (lowercase), in order.
    labels: HashMap<String, Vec<usize>>,
}

impl Loaded {
    fn new(source: Source, display: String) -> Loaded {
        let script = crate::syntax::parser::parse(&source).script;
        Loaded::parsed(source, script, display)
    }

    /// `script`, parsed from `source` already.
    fn parsed(source: Source, script: Script, display: String) -> Loaded {
        let mut labels: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, statement) in script.statements.iter().enumerate() {
            if let StatementKind::Label(label) = &statement.kind {
                labels
                    .entry(label.name.to_lowercase())
                    .or_default()
                    .push(index);
            }
        }
        Loaded {
            source,
            script,
            display,
            labels,
        }
    }

    /// The statement index of `label`: the first one after `from`, else the first one
    /// (cmd searches forward from the GOTO, then wraps around).
    pub fn find_label(&self, label: &str, from: usize) -> Option<usize> {
        let indexes = self.labels.get(&label.to_lowercase())?;
        indexes
            .iter()
            .find(|index| **index >= from)
            .or(indexes.first())
            .copied()
    }
}

/// One running script or CALLed subroutine.
pub(crate) struct Frame {
    pub loaded: Rc<Loaded>,
    /// `%0`, `%1`, ... as written (quotes kept).
    pub args: Vec<String>,
    /// How many SHIFTs ran.
    pub shift: usize,
    /// `%*`.
    pub all_args: String,
}

/// The interpreter's state.
pub(crate) struct Machine<'a> {
    pub vars: Variables,
    pub cwd: PathBuf,
    pub delayed: bool,
    pub echo_on: bool,
    pub errorlevel: i32,
    /// The exit status of the last command, for `&&` and `||`.
    pub status: i32,
    pub dir_stack: Vec<PathBuf>,
    pub frames: Vec<Frame>,
    /// FOR variables of the loops running, innermost last.
    pub for_vars: Vec<(char, String)>,
    pub options: &'a RunOptions,
    pub output: &'a mut dyn Output,
    pub directives: &'a mut dyn DirectiveRunner,
    pub steps: u64,
    /// The command running, for messages.
    pub span: Span,
    /// Unfinished console lines (stdout, stderr).
    pub partial: [String; 2],
    /// Where the running command's own messages go (its stderr after redirections).
    pub err_sink: Sink,
    /// The command running is on the left of `||` in its own script or subroutine: its
    /// failure is handled there (a directive's failure then does not fail the deploy).
    pub left_of_or: bool,
    scripts: HashMap<PathBuf, Rc<Loaded>>,
}

impl<'a> Machine<'a> {
    /// A machine with the options' folder and environment.
    pub fn new(
        options: &'a RunOptions,
        output: &'a mut dyn Output,
        directives: &'a mut dyn DirectiveRunner,
    ) -> anyhow::Result<Machine<'a>> {
        use anyhow::Context;
        let cwd = match &options.cwd {
            Some(cwd) => cwd.clone(),
            None => std::env::current_dir().context("cannot read the current folder")?,
        };
        let mut env = options
            .env
            .clone()
            .unwrap_or_else(crate::process::current_environment);
        crate::compat::add_windows_variables(&mut env);
        Ok(Machine {
            vars: Variables::from_env(&env),
            cwd,
            delayed: false,
            echo_on: true,
            errorlevel: 0,
            status: 0,
            dir_stack: Vec::new(),
            frames: Vec::new(),
            for_vars: Vec::new(),
            options,
            output,
            directives,
            steps: 0,
            span: Span::default(),
            partial: [String::new(), String::new()],
            err_sink: Sink::Stderr,
            left_of_or: false,
            scripts: HashMap::new(),
        })
    }

    /// Runs a script file to its end; returns its exit code.
    pub fn run_file(self, path: &Path, args: &[String]) -> anyhow::Result<i32> {
        let source = crate::source::Source::read(path)?;
        self.run_source(source, args)
    }

    /// Runs a decoded script to its end; returns its exit code.
    pub fn run_source(self, source: Source, args: &[String]) -> anyhow::Result<i32> {
        self.run_script(source, None, args)
    }

    /// [`Machine::run_source`] with `source` parsed already (`script`, when given).
    pub fn run_script(
        mut self,
        source: Source,
        script: Option<Script>,
        args: &[String],
    ) -> anyhow::Result<i32> {
        let written = source.path().to_path_buf();
        let absolute = self.cwd.join(&written);
        let source = Source::from_text(&absolute, source.text());
        let display = written.display().to_string();
        let loaded = match script {
            Some(script) => {
                let loaded = Rc::new(Loaded::parsed(source, script, display));
                self.scripts.insert(absolute.clone(), loaded.clone());
                loaded
            }
            None => self.load(&absolute, source, display),
        };
        let mut all = vec![written.to_string_lossy().into_owned()];
        all.extend(args.iter().cloned());
        let frame = Frame {
            loaded,
            all_args: args.join(" "),
            args: all,
            shift: 0,
        };
        let code = match self.run_frame(frame, 0, &Io::console()) {
            Flow::Exit(code) => code,
            Flow::Abort(code, error) => {
                self.flush_console();
                self.output.runtime_error(&error);
                code
            }
            // As `cmd /c`: the result of the last command run.
            _ => self.status,
        };
        self.flush_console();
        Ok(code)
    }

    fn load(&mut self, path: &Path, source: Source, display: String) -> Rc<Loaded> {
        self.scripts
            .entry(path.to_path_buf())
            .or_insert_with(|| Rc::new(Loaded::new(source, display)))
            .clone()
    }

    /// Loads (once) and returns the script file at `path` (absolute), named `display`
    /// in messages.
    pub fn load_file(&mut self, path: &Path, display: &str) -> anyhow::Result<Rc<Loaded>> {
        if let Some(loaded) = self.scripts.get(path) {
            return Ok(loaded.clone());
        }
        let source = Source::read(path)?;
        Ok(self.load(path, source, display.to_string()))
    }

    /// Runs `frame` from statement `start` until it returns; the implicit ENDLOCAL of
    /// its scopes follows.
    pub fn run_frame(&mut self, frame: Frame, start: usize, io: &Io) -> Flow {
        if self.frames.len() >= MAX_CALL_DEPTH {
            return self.fail(
                RuntimeErrorKind::CallDepth,
                format!(
                    "batch recursion exceeds {MAX_CALL_DEPTH} levels of CALL: a subroutine may call itself without end"
                ),
            );
        }
        let loaded = frame.loaded.clone();
        // `call :sub || echo` handles the CALL's result, not each command of `:sub`.
        let left_of_or = std::mem::take(&mut self.left_of_or);
        self.frames.push(frame);
        let depth = self.frames.len();
        let mut pc = start;
        let mut result = Flow::Normal;
        while let Some(statement) = loaded.script.statements.get(pc) {
            pc += 1;
            let command = match &statement.kind {
                StatementKind::Command(command) => command,
                StatementKind::Comment(_) => {
                    // REM is a command that succeeds (the run's exit code sees it); a `::`
                    // line is a label, which never runs.
                    if is_rem(&loaded.source, statement.span) {
                        self.status = 0;
                    }
                    continue;
                }
                _ => continue,
            };
            if self.echo_on && !command.quiet {
                self.echo_command(&loaded.source, statement.span);
            }
            self.vars.begin_read(self.errorlevel);
            let flow = self.exec(command, io);
            self.vars.end_read();
            match flow {
                Flow::Normal => {}
                Flow::Goto(label) => {
                    let name = label.trim_start_matches(':').to_lowercase();
                    if name == "eof" {
                        break;
                    }
                    match loaded.find_label(&name, pc) {
                        Some(index) => pc = index + 1,
                        None => {
                            self.missing_label(
                                &label,
                                "GOTO sets ERRORLEVEL 1 and ends the script or subroutine",
                            );
                            self.errorlevel = 1;
                            self.status = 1;
                            break;
                        }
                    }
                }
                Flow::Return => break,
                other => {
                    result = other;
                    break;
                }
            }
        }
        while let Some(saved) = self.vars.endlocal(depth) {
            self.restore(saved);
        }
        self.frames.pop();
        self.left_of_or = left_of_or;
        result
    }

    /// ECHO ON: shows the line (a block: all its lines) after `%` expansion, after a blank
    /// line and the prompt, as cmd does.
    fn echo_command(&mut self, source: &Source, span: Span) {
        let text = source.text().get(span.range()).unwrap_or("");
        let expanded = self.expand_again(text.trim_start_matches([' ', '\t']));
        let mut lines = expanded.lines().map(|line| line.trim_end_matches('\r'));
        let first = lines.next().unwrap_or("").trim_end();
        let mut shown = format!("\n{}>{first} \n", self.cwd.display());
        for line in lines {
            shown.push_str(line);
            shown.push('\n');
        }
        self.write(&Sink::Stdout, &shown);
    }

    /// Puts back what SETLOCAL saved: the folder and the expansion mode.
    pub fn restore(&mut self, saved: super::variables::Saved) {
        if saved.dir.is_dir() {
            self.cwd = saved.dir;
        }
        self.delayed = saved.delayed;
    }

    /// Counts one step; stops the run past the step limit or on a signal.
    fn step(&mut self) -> Option<Flow> {
        self.steps += 1;
        if let Some(code) = self.options.interrupt.as_ref().and_then(|i| i.exit_code()) {
            return Some(Flow::Abort(code, Box::new(self.interrupted("interrupted"))));
        }
        match self.options.max_steps {
            Some(max) if self.steps > max => Some(self.fail(
                RuntimeErrorKind::StepLimit,
                format!("the run took more than {max} steps: a loop may never end"),
            )),
            _ => None,
        }
    }

    /// The command running, as a place for an error: its script (as the user or the
    /// script named it), its span and its line.
    pub fn excerpt(&self) -> Option<Excerpt> {
        let frame = self.frames.last()?;
        Some(Excerpt::new(
            &frame.loaded.source,
            self.span,
            frame.loaded.display.as_str(),
        ))
    }

    /// An error of `kind` at the command running.
    pub fn error(&self, kind: RuntimeErrorKind, message: impl Into<String>) -> RuntimeError {
        RuntimeError::new(kind, message).at(self.excerpt())
    }

    /// An error at the command running that stops the run with exit code 1.
    pub fn fail(&self, kind: RuntimeErrorKind, message: impl Into<String>) -> Flow {
        Flow::Abort(1, Box::new(self.error(kind, message)))
    }

    /// The error of a run stopped by Ctrl-C or SIGTERM, at the command running.
    pub fn interrupted(&self, message: impl Into<String>) -> RuntimeError {
        self.error(RuntimeErrorKind::Interrupted, message)
    }

    /// GOTO or CALL named a missing label: cmd's own message on the command's stderr, as
    /// cmd prints it, then run-deploy's warning with the place and `what_next` (the run goes
    /// on, as in cmd; `--quiet` leaves only cmd's line).
    pub fn missing_label(&mut self, label: &str, what_next: &str) {
        self.stderr(&format!(
            "The system cannot find the batch label specified - {label}"
        ));
        let name = label.trim_start_matches(':');
        let warning = self
            .error(
                RuntimeErrorKind::MissingLabel,
                format!("there is no label `:{name}`: {what_next}"),
            )
            .with_help(format!("add a line `:{name}`, or fix the name"));
        self.flush_console();
        self.output.runtime_warning(&warning);
    }

    /// `file:line` of the command running, the file as the user or the script named it.
    pub fn location(&self) -> String {
        let file = self
            .frames
            .last()
            .map(|frame| frame.loaded.display.as_str())
            .unwrap_or("");
        format!("{file}:{}", self.span.line)
    }

    /// Under `--dry-run`: reports what the command at hand would have done instead of
    /// doing it.
    pub fn would(&mut self, what: &str) {
        self.flush_console();
        let message = format!("{}: would {what}", self.location());
        self.output.note(&message);
    }

    /// The source text of the command running.
    pub fn command_source(&self) -> &str {
        self.frames
            .last()
            .and_then(|frame| frame.loaded.source.text().get(self.span.range()))
            .unwrap_or("")
    }

    /// Runs one node of a command tree. Nested blocks and CALLs recurse through here, so
    /// the stack grows on the heap when it runs low: no script can overflow it.
    pub fn exec(&mut self, command: &Command, io: &Io) -> Flow {
        stacker::maybe_grow(256 * 1024, 4 * 1024 * 1024, || self.exec_node(command, io))
    }

    fn exec_node(&mut self, command: &Command, io: &Io) -> Flow {
        if let Some(flow) = self.step() {
            return flow;
        }
        self.span = command.span;
        match &command.kind {
            CommandKind::Simple(simple) => self.exec_simple(simple, io),
            CommandKind::If(if_command) => self.exec_if(if_command, io),
            CommandKind::For(for_command) => self.exec_for(for_command, io),
            CommandKind::Block(block) => {
                let io = match self.open_redirects(&block.redirects, io) {
                    Ok(io) => io,
                    Err(flow) => return flow,
                };
                for command in &block.body {
                    let flow = self.exec(command, &io);
                    if flow != Flow::Normal {
                        return flow;
                    }
                }
                Flow::Normal
            }
            CommandKind::Binary(binary) => self.exec_binary(binary, io),
            CommandKind::Comment(_) => Flow::Normal,
            CommandKind::EmptyBlock => {
                let code = if self.errorlevel == 0 {
                    1
                } else {
                    self.errorlevel
                };
                let line = command.span.line;
                let script = self
                    .frames
                    .last()
                    .map(|frame| frame.loaded.display.clone())
                    .unwrap_or_default();
                let error = self.error(
                    RuntimeErrorKind::Aborted,
                    format!("the script aborted at {script}:{line} (a line holding only `()`), exit code {code}"),
                );
                Flow::Abort(code, Box::new(error))
            }
        }
    }

    fn exec_binary(&mut self, binary: &Binary, io: &Io) -> Flow {
        match binary.op {
            Operator::Then => match self.exec(&binary.left, io) {
                Flow::Normal => self.exec(&binary.right, io),
                other => other,
            },
            Operator::And | Operator::Or => {
                let outer = self.left_of_or;
                self.left_of_or = outer || binary.op == Operator::Or;
                let flow = self.exec(&binary.left, io);
                self.left_of_or = outer;
                if flow != Flow::Normal {
                    return flow;
                }
                let succeeded = self.status == 0;
                if succeeded == (binary.op == Operator::And) {
                    if !succeeded {
                        // cmd copies a failure's return code into ERRORLEVEL before `||`.
                        self.errorlevel = self.status;
                    }
                    self.exec(&binary.right, io)
                } else {
                    Flow::Normal
                }
            }
            Operator::Pipe => {
                let captured = Sink::capture();
                let left_io = Io {
                    stdout: captured.clone(),
                    ..io.clone()
                };
                let flow = self.exec(&binary.left, &left_io);
                if matches!(flow, Flow::Exit(_) | Flow::Abort(..)) {
                    return flow;
                }
                let right_io = Io {
                    stdin: Input::Bytes(Rc::new(captured.take_bytes())),
                    ..io.clone()
                };
                self.exec(&binary.right, &right_io)
            }
        }
    }

    /// A path word as a builtin uses it: compatibility rules, then the sandbox.
    pub fn path(&self, word: &str) -> Result<PathBuf, Flow> {
        let python = self.options.windows_python.as_deref();
        let path = crate::compat::resolve_path(word, &self.cwd, python)
            .map_err(|error| self.compat_failure(error))?;
        self.check_sandbox(&path)?;
        Ok(path)
    }

    /// The run-stopping error for a compatibility rule; a drive path is named as the
    /// source writes it (`%SYSTEMDRIVE%\x`), when the command's text shows it.
    pub fn compat_failure(&self, error: crate::compat::CompatError) -> Flow {
        if let crate::compat::CompatError::DriveLetter(expanded) = &error {
            let source = self.command_source();
            let written = expand::split_words(source, expand::Split::Builtin)
                .into_iter()
                .flat_map(|word| {
                    word.split(['=', '>', '<', '(', ')'])
                        .map(str::to_string)
                        .collect::<Vec<_>>()
                })
                .find(|word| {
                    crate::compat::is_drive_path(word)
                        || word.to_ascii_uppercase().contains("%SYSTEMDRIVE%")
                })
                .unwrap_or_else(|| expanded.clone());
            let error = crate::compat::CompatError::DriveLetter(written);
            let failure = self.error(RuntimeErrorKind::WindowsPath, error.to_string());
            return Flow::Abort(
                1,
                Box::new(failure.with_help(error.help().unwrap_or_default())),
            );
        }
        let kind = match error {
            crate::compat::CompatError::OutsideSandbox(_) => RuntimeErrorKind::Sandbox,
            _ => RuntimeErrorKind::WindowsPath,
        };
        self.fail(kind, error.to_string())
    }

    /// Refuses a path outside the sandbox root, when there is one.
    pub fn check_sandbox(&self, path: &Path) -> Result<(), Flow> {
        let Some(root) = &self.options.sandbox_root else {
            return Ok(());
        };
        let normal = expand::normalize(path);
        if normal.starts_with(root) || normal == Path::new("/dev/null") {
            return Ok(());
        }
        let error = crate::compat::CompatError::OutsideSandbox(path.display().to_string());
        Err(self.fail(RuntimeErrorKind::Sandbox, error.to_string()))
    }
}

/// True when the comment statement at `span` is a REM command, not a `::` label line.
fn is_rem(source: &Source, span: Span) -> bool {
    let text = source.text().get(span.range()).unwrap_or("");
    let text = text.trim_start_matches(['@', ' ', '\t']);
    text.get(..3)
        .is_some_and(|word| word.eq_ignore_ascii_case("rem"))
}
