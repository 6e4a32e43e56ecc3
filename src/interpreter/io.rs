//! The streams a command runs with: where its output goes (the console, a file, memory or
//! nowhere) and where its input comes from. [`super::redirect`] opens them from a
//! command's redirections.

use std::cell::RefCell;
use std::fs::File;
use std::path::PathBuf;
use std::rc::Rc;

/// What an output stream is connected to.
#[derive(Clone, Debug)]
pub(crate) enum Sink {
    /// The script's stdout.
    Stdout,
    /// The script's stderr.
    Stderr,
    /// Nowhere (`>NUL`).
    Null,
    /// A file or memory, shared by every stream pointed at it (`>f 2>&1`).
    Shared(Rc<RefCell<Target>>),
}

/// A file or a memory buffer.
#[derive(Debug)]
pub(crate) enum Target {
    /// An open file.
    File(File),
    /// Bytes kept in memory.
    Capture(Vec<u8>),
}

impl Sink {
    /// A sink that keeps what is written.
    pub fn capture() -> Sink {
        Sink::Shared(Rc::new(RefCell::new(Target::Capture(Vec::new()))))
    }

    /// Whether two sinks are the same place (`2>&1`).
    pub fn same_as(&self, other: &Sink) -> bool {
        match (self, other) {
            (Sink::Shared(a), Sink::Shared(b)) => Rc::ptr_eq(a, b),
            (Sink::Stdout, Sink::Stdout)
            | (Sink::Stderr, Sink::Stderr)
            | (Sink::Null, Sink::Null) => true,
            _ => false,
        }
    }

    /// What a capture sink kept (empty for other sinks).
    pub fn take_bytes(&self) -> Vec<u8> {
        match self {
            Sink::Shared(target) => match &mut *target.borrow_mut() {
                Target::Capture(bytes) => std::mem::take(bytes),
                Target::File(_) => Vec::new(),
            },
            _ => Vec::new(),
        }
    }
}

/// Where a command reads its stdin from.
#[derive(Clone, Debug)]
pub(crate) enum Input {
    /// The run's own stdin (empty unless the options let it through).
    Inherit,
    /// These bytes (the left side of a pipe).
    Bytes(Rc<Vec<u8>>),
    /// A file (`<file`).
    File(PathBuf),
}

/// A command's three streams.
#[derive(Clone, Debug)]
pub(crate) struct Io {
    pub stdin: Input,
    pub stdout: Sink,
    pub stderr: Sink,
}

impl Io {
    /// The script's own streams.
    pub fn console() -> Io {
        Io {
            stdin: Input::Inherit,
            stdout: Sink::Stdout,
            stderr: Sink::Stderr,
        }
    }
}
