//! ECHO: text, an empty line (`echo.`), the echo state (`echo`, `echo on`, `echo off`).

use crate::interpreter::io::Io;
use crate::interpreter::machine::{Flow, Machine};

impl Machine<'_> {
    /// `ECHO text`; `glued` is set for `echo.`-style forms, which never report the state.
    pub(super) fn echo_text(&mut self, args: &str, glued: bool, io: &Io) -> Flow {
        if !glued {
            let word = args.trim();
            if word.is_empty() {
                let state = if self.echo_on { "on" } else { "off" };
                self.write(&io.stdout, &format!("ECHO is {state}.\n"));
                return self.succeed();
            }
            if word.eq_ignore_ascii_case("on") || word.eq_ignore_ascii_case("off") {
                self.echo_on = word.eq_ignore_ascii_case("on");
                return self.succeed();
            }
        }
        self.write(&io.stdout, &format!("{args}\n"));
        self.succeed()
    }

    /// `ECHO` reached by name (CALL ECHO, an expanded command name).
    pub(super) fn echo(&mut self, args: &str, io: &Io) -> Flow {
        self.echo_text(args, false, io)
    }
}
