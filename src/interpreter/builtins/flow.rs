//! Control flow builtins: GOTO, CALL, EXIT, SETLOCAL, ENDLOCAL, SHIFT.

use crate::error::RuntimeErrorKind;
use crate::interpreter::expand::{self, Split};
use crate::interpreter::io::Io;
use crate::interpreter::machine::{Flow, Frame, Machine};
use crate::syntax::ast::Builtin;

impl Machine<'_> {
    /// `GOTO label` / `GOTO :EOF`.
    pub(super) fn goto(&mut self, args: &str) -> Flow {
        let label = args
            .trim_start_matches([' ', '\t'])
            .split([' ', '\t', '&'])
            .next()
            .unwrap_or("");
        if label.trim_start_matches(':').is_empty() {
            self.stderr("The system cannot find the batch label specified - ");
            return self.set_result(1);
        }
        // A GOTO that finds its label succeeds: the run's exit code sees 0 (a missing label
        // sets 1 where the jump fails).
        self.status = 0;
        Flow::Goto(label.to_string())
    }

    /// `CALL :label args`, `CALL file.cmd args`, `CALL command args`.
    pub(super) fn call(&mut self, args: &str, io: &Io) -> Flow {
        let args = self.expand_again(args);
        let (first, rest) = expand::first_word(&args);
        if first.is_empty() {
            return Flow::Normal;
        }
        if let Some(label) = first.strip_prefix(':') {
            return self.call_label(first, label, rest, io);
        }
        let builtin = Builtin::from_name(expand::strip_quotes(first));
        let flow = self.run_named(first, rest, builtin, io, true);
        if builtin.is_some() && self.status == 0 {
            // `CALL builtin` resets ERRORLEVEL on success.
            self.errorlevel = 0;
        }
        match flow {
            Flow::Return => Flow::Normal,
            other => other,
        }
    }

    fn call_label(&mut self, written: &str, label: &str, rest: &str, io: &Io) -> Flow {
        let Some(frame) = self.frames.last() else {
            return Flow::Normal;
        };
        let loaded = frame.loaded.clone();
        let start = if label.eq_ignore_ascii_case("eof") {
            None
        } else {
            loaded.find_label(label, 0)
        };
        let Some(start) = start else {
            self.missing_label(label, "CALL sets ERRORLEVEL 1 and the script goes on");
            return self.set_result(1);
        };
        let mut args = vec![written.to_string()];
        args.extend(expand::split_words(rest, Split::Parameters));
        let frame = Frame {
            loaded,
            args,
            shift: 0,
            all_args: trim_parameters(rest).to_string(),
        };
        let io = io.clone();
        match self.run_frame(frame, start + 1, &io) {
            Flow::Exit(code) => Flow::Exit(code),
            Flow::Abort(code, error) => Flow::Abort(code, error),
            _ => Flow::Normal,
        }
    }

    /// Runs a batch file in a new frame; it returns when the file ends.
    pub(crate) fn call_batch(
        &mut self,
        path: &std::path::Path,
        written: &str,
        rest: &str,
        io: &Io,
    ) -> Flow {
        let display = path
            .strip_prefix(&self.cwd)
            .map(|relative| relative.display().to_string())
            .unwrap_or_else(|_| path.display().to_string());
        let loaded = match self.load_file(path, &display) {
            Ok(loaded) => loaded,
            Err(error) => {
                return self.fail(RuntimeErrorKind::ScriptUnreadable, format!("{error:#}"))
            }
        };
        let mut args = vec![written.to_string()];
        args.extend(expand::split_words(rest, Split::Parameters));
        let frame = Frame {
            loaded,
            args,
            shift: 0,
            all_args: trim_parameters(rest).to_string(),
        };
        match self.run_frame(frame, 0, io) {
            Flow::Exit(code) => Flow::Exit(code),
            Flow::Abort(code, error) => Flow::Abort(code, error),
            _ => Flow::Normal,
        }
    }

    /// `EXIT [/B] [n]`.
    pub(super) fn exit(&mut self, args: &str) -> Flow {
        let words = expand::split_words(args, Split::Builtin);
        let batch_only = words.first().is_some_and(|w| w.eq_ignore_ascii_case("/b"));
        let number = words
            .get(usize::from(batch_only))
            .map(|word| super::set::parse_number(word).unwrap_or(0) as i32);
        if batch_only {
            if let Some(code) = number {
                self.errorlevel = code;
                self.status = code;
            }
            return Flow::Return;
        }
        Flow::Exit(number.unwrap_or(self.errorlevel))
    }

    /// `SETLOCAL [ENABLEDELAYEDEXPANSION | DISABLEDELAYEDEXPANSION | ...]`.
    pub(super) fn setlocal(&mut self, args: &str) -> Flow {
        let depth = self.frames.len();
        self.vars.setlocal(self.cwd.clone(), self.delayed, depth);
        let words = expand::split_words(args, Split::Builtin);
        let mut result = None::<i32>;
        for word in &words {
            match word.to_ascii_lowercase().as_str() {
                "enabledelayedexpansion" => self.delayed = true,
                "disabledelayedexpansion" => self.delayed = false,
                "enableextensions" | "disableextensions" => {}
                _ => result = Some(1),
            }
        }
        self.set_result(result.unwrap_or(0))
    }

    /// `ENDLOCAL`: ends the innermost SETLOCAL of this frame.
    pub(super) fn endlocal(&mut self) -> Flow {
        if let Some(saved) = self.vars.endlocal(self.frames.len()) {
            self.restore(saved);
        }
        self.succeed()
    }

    /// `SHIFT`: `%2` becomes `%1` (`%*` is not affected).
    pub(super) fn shift(&mut self, _args: &str) -> Flow {
        if let Some(frame) = self.frames.last_mut() {
            frame.shift += 1;
        }
        self.succeed()
    }
}

/// `%*`: the argument text without leading separators.
fn trim_parameters(rest: &str) -> &str {
    rest.trim_start_matches([' ', '\t', ',', ';', '='])
}
