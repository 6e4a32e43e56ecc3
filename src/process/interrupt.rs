//! Ctrl-C and SIGTERM as a flag: signal handlers set it, and a child being waited for is
//! killed, with its whole process group, as soon as it is set.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// A flag that signal handlers set to the number of the signal received (SIGINT or
/// SIGTERM).
#[derive(Debug, Clone, Default)]
pub struct Interrupt {
    signal: Arc<AtomicUsize>,
}

impl Interrupt {
    /// A flag no handler sets yet (tests set it with [`Interrupt::raise`]).
    pub fn new() -> Interrupt {
        Interrupt::default()
    }

    /// A flag set by SIGINT (Ctrl-C) and SIGTERM for the rest of this process's life.
    pub fn from_signals() -> std::io::Result<Interrupt> {
        let interrupt = Interrupt::new();
        for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
            signal_hook::flag::register_usize(signal, interrupt.signal.clone(), signal as usize)?;
        }
        Ok(interrupt)
    }

    /// Records that `signal` arrived.
    pub fn raise(&self, signal: i32) {
        self.signal.store(signal.max(0) as usize, Ordering::SeqCst);
    }

    /// The signal received, if any.
    pub fn received(&self) -> Option<i32> {
        match self.signal.load(Ordering::SeqCst) {
            0 => None,
            signal => Some(signal as i32),
        }
    }

    /// The exit code a shell reports for the signal received: 130 for SIGINT, 143 for
    /// SIGTERM.
    pub fn exit_code(&self) -> Option<i32> {
        self.received().map(|signal| 128 + signal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raised_signal_gives_the_shell_exit_code() {
        let interrupt = Interrupt::new();
        assert_eq!(interrupt.exit_code(), None);
        interrupt.clone().raise(libc::SIGTERM);
        assert_eq!(interrupt.received(), Some(libc::SIGTERM));
        assert_eq!(interrupt.exit_code(), Some(143));
    }
}
