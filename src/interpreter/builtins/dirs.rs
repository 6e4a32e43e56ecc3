//! The current folder: CD (CHDIR) with `/D`, PUSHD and POPD.

use crate::interpreter::expand::{normalize, strip_quotes};
use crate::interpreter::io::Io;
use crate::interpreter::machine::{Flow, Machine};

impl Machine<'_> {
    /// `CD [/D] [path]`: without a path, prints the current folder.
    pub(super) fn cd(&mut self, args: &str, io: &Io) -> Flow {
        let mut target = args.trim();
        // `get` rather than slicing: the argument may start with a character of more than
        // one byte (`cd [\u{fffd}`, found by the long fuzz run).
        if target
            .get(..2)
            .is_some_and(|switch| switch.eq_ignore_ascii_case("/d"))
        {
            target = target[2..].trim_start();
        }
        let target = strip_quotes(target).trim_end();
        if target.is_empty() {
            let cwd = self.cwd.display().to_string();
            self.write(&io.stdout, &format!("{cwd}\n"));
            return self.succeed();
        }
        self.change_folder(target)
    }

    /// Changes the current folder; cmd's message and ERRORLEVEL 1 when it does not exist.
    fn change_folder(&mut self, target: &str) -> Flow {
        let path = match self.path(target) {
            Ok(path) => path,
            Err(flow) => return flow,
        };
        if !path.is_dir() {
            self.stderr("The system cannot find the path specified.");
            return self.set_result(1);
        }
        self.cwd = normalize(&path);
        self.set_result(0)
    }

    /// `PUSHD path`: remembers the current folder, then changes to `path`.
    pub(super) fn pushd(&mut self, args: &str, io: &Io) -> Flow {
        let target = strip_quotes(args.trim()).to_string();
        if target.is_empty() {
            for dir in self.dir_stack.clone().iter().rev() {
                self.write(&io.stdout, &format!("{}\n", dir.display()));
            }
            return self.succeed();
        }
        let previous = self.cwd.clone();
        let flow = self.change_folder(&target);
        if self.status == 0 && flow == Flow::Normal {
            self.dir_stack.push(previous);
        }
        flow
    }

    /// `POPD`: goes back to the folder the last PUSHD left.
    pub(super) fn popd(&mut self) -> Flow {
        if let Some(dir) = self.dir_stack.pop() {
            self.cwd = dir;
        }
        self.succeed()
    }
}
