//! Ending a child's whole process group: SIGTERM, a grace period, then SIGKILL.

use std::thread;
use std::time::{Duration, Instant};

/// Ends a child's whole process group; cheap to copy and safe to use from another thread.
#[derive(Debug, Clone, Copy)]
pub struct GroupKiller {
    pub(super) pgid: i32,
}

impl GroupKiller {
    /// The process group id (equal to the child's pid).
    pub fn pgid(&self) -> i32 {
        self.pgid
    }

    /// Sends SIGTERM to the group, waits up to `grace` for it to disappear, then SIGKILL.
    pub fn kill(&self, grace: Duration) {
        if self.pgid <= 0 || !self.signal(libc::SIGTERM) {
            return;
        }
        let deadline = Instant::now() + grace;
        while Instant::now() < deadline {
            // Signal 0 only asks whether any member of the group is still alive.
            if !self.signal(0) {
                return;
            }
            thread::sleep(Duration::from_millis(20));
        }
        self.signal(libc::SIGKILL);
    }

    /// Sends SIGTERM to the group; false when no member is left.
    pub fn terminate(&self) -> bool {
        self.pgid > 0 && self.signal(libc::SIGTERM)
    }

    /// Sends SIGKILL to the group.
    pub fn force(&self) {
        if self.pgid > 0 {
            self.signal(libc::SIGKILL);
        }
    }

    fn signal(&self, signal: i32) -> bool {
        // SAFETY: killpg only sends a signal; a stale group id fails with ESRCH.
        unsafe { libc::killpg(self.pgid, signal) == 0 }
    }
}
