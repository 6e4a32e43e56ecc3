//! The Windows programs deploy scripts call to wait: `TIMEOUT /T n` waits n seconds;
//! `PAUSE` continues at once when there is no terminal to press a key on.

use super::files::Words;
use crate::interpreter::io::Io;
use crate::interpreter::machine::{Flow, Machine};
use crate::syntax::ast::Builtin;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

impl Machine<'_> {
    /// `TIMEOUT [/T] n [/NOBREAK]`.
    pub(super) fn timeout(&mut self, args: &str, io: &Io) -> Flow {
        let words = Words::new(args, Builtin::Timeout);
        let seconds = words
            .value("/T")
            .into_iter()
            .chain(words.paths.iter().map(String::as_str))
            .find_map(|word| word.parse::<i64>().ok());
        let Some(seconds) = seconds else {
            self.stderr(
                "ERROR: Invalid syntax. Default option is not allowed more than '1' time(s).",
            );
            return self.set_result(1);
        };
        // A sandboxed run (fuzzing) never waits.
        if seconds > 0 && self.options.sandbox_root.is_none() {
            self.write(
                &io.stdout,
                &format!("\nWaiting for {seconds} seconds, press a key to continue ...\n"),
            );
            let deadline = Instant::now() + Duration::from_secs(seconds as u64);
            while Instant::now() < deadline {
                if let Some(code) = self.options.interrupt.as_ref().and_then(|i| i.exit_code()) {
                    return Flow::Abort(code, Box::new(self.interrupted("interrupted")));
                }
                std::thread::sleep(Duration::from_millis(50).min(deadline - Instant::now()));
            }
        }
        self.set_result(0)
    }

    /// `PAUSE`: waits for a line only when stdin is a terminal the run may read.
    pub(super) fn pause(&mut self, io: &Io) -> Flow {
        self.write(&io.stdout, "Press any key to continue . . . ");
        if self.options.inherit_stdin && std::io::stdin().is_terminal() {
            let mut line = String::new();
            let _ = std::io::stdin().read_line(&mut line);
        }
        self.write(&io.stdout, "\n");
        self.succeed()
    }
}
