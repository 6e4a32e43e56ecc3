//! The one way this crate starts a child process (it wraps `duct`).
//!
//! A [`Command`] names a program, its arguments as a list (never a shell line), a working
//! folder and the child's whole environment. [`Command::spawn`] starts it in its own process
//! group; [`Running::wait_streaming`] hands every stdout and stderr line to a callback as it
//! arrives, keeps them, and returns a [`Finished`]. [`GroupKiller`] ends the whole group
//! (SIGTERM, then SIGKILL after a grace period): dropping a duct handle does not kill the
//! child, and killing the child alone does not reach its children.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

mod finished;
mod group_killer;
mod interrupt;

pub use finished::Finished;
pub use group_killer::GroupKiller;
pub use interrupt::Interrupt;

/// The full environment a child process gets (nothing is inherited).
pub type Environment = BTreeMap<String, String>;

/// A variable of `environment` by case-insensitive name (as cmd compares them), when set
/// and not empty.
pub fn variable(environment: &Environment, name: &str) -> Option<String> {
    environment
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.clone())
        .filter(|value| !value.is_empty())
}

/// Which output stream a line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamKind {
    /// The child's standard output.
    Stdout,
    /// The child's standard error.
    Stderr,
}

/// How long output may keep trickling in after the child itself has exited.
const LINGER: Duration = Duration::from_secs(1);

/// This process's own environment, as a starting point for a child's.
pub fn current_environment() -> Environment {
    std::env::vars().collect()
}

/// A failure to start or supervise a child process.
#[derive(Debug, thiserror::Error)]
pub enum ProcessError {
    /// The program could not be started (not found, not executable, bad folder).
    #[error("cannot start `{program}` in `{dir}`: {source}")]
    Spawn {
        /// The program as given.
        program: String,
        /// The working folder asked for.
        dir: String,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// Waiting for the child or reading its output failed.
    #[error("lost track of `{program}`: {source}")]
    Wait {
        /// The program as given.
        program: String,
        /// What the operating system said.
        source: std::io::Error,
    },
}

/// What to run: program, arguments, folder and environment.
#[derive(Debug, Clone)]
pub struct Command {
    program: OsString,
    args: Vec<OsString>,
    dir: PathBuf,
    env: Environment,
    idle_timeout: Option<Duration>,
    kill_grace: Duration,
    stdin: Stdin,
    die_with_parent: bool,
    interrupt: Option<Interrupt>,
    merge_stderr: bool,
}

/// Where a child's standard input comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stdin {
    /// Empty input (the default).
    Null,
    /// This process's own stdin.
    Inherit,
    /// These bytes, then end of input (the left side of a pipe).
    Bytes(Vec<u8>),
    /// The contents of a file (`<file`).
    File(PathBuf),
}

impl Command {
    /// A command running `program` in `dir` with exactly the environment `env`.
    pub fn new(program: impl Into<OsString>, dir: impl AsRef<Path>, env: &Environment) -> Self {
        Command {
            program: program.into(),
            args: Vec::new(),
            dir: dir.as_ref().to_path_buf(),
            env: env.clone(),
            idle_timeout: None,
            kill_grace: Duration::from_secs(5),
            stdin: Stdin::Null,
            die_with_parent: false,
            interrupt: None,
            merge_stderr: false,
        }
    }

    /// Adds one argument.
    pub fn arg(mut self, arg: impl Into<OsString>) -> Self {
        self.args.push(arg.into());
        self
    }

    /// Adds several arguments.
    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Kills the process group when it prints nothing for `timeout` (Kudu's
    /// `SCM_COMMAND_IDLE_TIMEOUT`).
    pub fn idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// How long a SIGTERM'd group gets before SIGKILL (default 5 seconds).
    pub fn kill_grace(mut self, grace: Duration) -> Self {
        self.kill_grace = grace;
        self
    }

    /// Lets the child read this process's stdin (default: stdin is empty).
    pub fn inherit_stdin(mut self, inherit: bool) -> Self {
        self.stdin = if inherit { Stdin::Inherit } else { Stdin::Null };
        self
    }

    /// Sets where the child's stdin comes from.
    pub fn stdin(mut self, stdin: Stdin) -> Self {
        self.stdin = stdin;
        self
    }

    /// Sends the child's stderr into its stdout pipe (`2>&1`), so the two keep their
    /// order; every line then arrives as [`StreamKind::Stdout`].
    pub fn merge_stderr(mut self, merge: bool) -> Self {
        self.merge_stderr = merge;
        self
    }

    /// Kills the child's group (SIGTERM, then SIGKILL after the grace period) as soon as
    /// `interrupt` is raised; [`Finished::interrupted`] then names the signal.
    pub fn interrupt(mut self, interrupt: &Interrupt) -> Self {
        self.interrupt = Some(interrupt.clone());
        self
    }

    /// Asks Linux to SIGKILL the child when the thread that spawned it ends (including when
    /// this whole process is killed), so no build keeps writing after a crash. Spawn from a
    /// thread that outlives the child: the signal follows the spawning thread, not the process.
    pub fn die_with_parent(mut self, die: bool) -> Self {
        self.die_with_parent = die;
        self
    }

    /// The program and arguments as one display line, for logs and errors.
    pub fn display(&self) -> String {
        let mut words = vec![self.program.to_string_lossy().into_owned()];
        words.extend(self.args.iter().map(|a| a.to_string_lossy().into_owned()));
        words.join(" ")
    }

    /// Starts the child in its own process group with stdout and stderr piped.
    pub fn spawn(&self) -> Result<Running, ProcessError> {
        let spawn_error = |source| ProcessError::Spawn {
            program: self.program.to_string_lossy().into_owned(),
            dir: self.dir.display().to_string(),
            source,
        };
        let (out_reader, out_writer) = os_pipe::pipe().map_err(spawn_error)?;
        let (err_reader, err_writer) = os_pipe::pipe().map_err(spawn_error)?;
        let err_writer = if self.merge_stderr {
            out_writer.try_clone().map_err(spawn_error)?
        } else {
            err_writer
        };
        let die_with_parent = self.die_with_parent;
        let mut expression = duct::cmd(&self.program, &self.args)
            .dir(&self.dir)
            .full_env(&self.env)
            .stdout_file(out_writer)
            .stderr_file(err_writer)
            .unchecked()
            .before_spawn(move |command| {
                command.process_group(0);
                if die_with_parent {
                    set_parent_death_signal(command);
                }
                Ok(())
            });
        expression = match &self.stdin {
            Stdin::Null => expression.stdin_null(),
            Stdin::Inherit => expression,
            Stdin::Bytes(bytes) => expression.stdin_bytes(bytes.clone()),
            Stdin::File(path) => expression.stdin_path(path),
        };
        let handle = expression.start().map_err(spawn_error)?;
        // The expression owns our copies of the pipe writers: drop it so readers see EOF.
        drop(expression);
        let pid = handle.pids().first().copied().unwrap_or(0);
        let (sender, receiver) = mpsc::channel();
        spawn_line_reader(out_reader, StreamKind::Stdout, sender.clone());
        spawn_line_reader(err_reader, StreamKind::Stderr, sender);
        Ok(Running {
            handle,
            receiver,
            killer: GroupKiller { pgid: pid as i32 },
            program: self.program.to_string_lossy().into_owned(),
            idle_timeout: self.idle_timeout,
            kill_grace: self.kill_grace,
            interrupt: self.interrupt.clone(),
        })
    }

    /// Runs the command to the end, handing each line to `on_line` as it arrives.
    pub fn run(&self, on_line: &mut dyn FnMut(StreamKind, &str)) -> Result<Finished, ProcessError> {
        self.spawn()?.wait_streaming(on_line)
    }
}

/// One message from a reader thread.
enum ReaderEvent {
    Line(StreamKind, String),
    Closed,
}

fn spawn_line_reader(
    pipe: impl Read + Send + 'static,
    kind: StreamKind,
    sender: mpsc::Sender<ReaderEvent>,
) {
    thread::spawn(move || {
        let mut reader = BufReader::new(pipe);
        let mut buffer = Vec::new();
        loop {
            buffer.clear();
            match reader.read_until(b'\n', &mut buffer) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    while matches!(buffer.last(), Some(b'\n' | b'\r')) {
                        buffer.pop();
                    }
                    let line = String::from_utf8_lossy(&buffer).into_owned();
                    if sender.send(ReaderEvent::Line(kind, line)).is_err() {
                        return;
                    }
                }
            }
        }
        let _ = sender.send(ReaderEvent::Closed);
    });
}

/// A started child process.
pub struct Running {
    handle: duct::Handle,
    receiver: mpsc::Receiver<ReaderEvent>,
    killer: GroupKiller,
    program: String,
    idle_timeout: Option<Duration>,
    kill_grace: Duration,
    interrupt: Option<Interrupt>,
}

impl Running {
    /// The handle that ends this child's process group.
    pub fn killer(&self) -> GroupKiller {
        self.killer
    }

    /// Streams output to `on_line` until the child exits and its pipes close.
    pub fn wait_streaming(
        self,
        on_line: &mut dyn FnMut(StreamKind, &str),
    ) -> Result<Finished, ProcessError> {
        let mut lines = Vec::new();
        let mut open_streams = 2;
        let mut last_activity = Instant::now();
        let mut exited_at: Option<Instant> = None;
        let mut idle_timed_out = None;
        let mut force_at: Option<Instant> = None;
        let mut interrupted = None;
        while open_streams > 0 {
            match self.receiver.recv_timeout(Duration::from_millis(50)) {
                Ok(ReaderEvent::Line(kind, line)) => {
                    on_line(kind, &line);
                    lines.push((kind, line));
                    last_activity = Instant::now();
                }
                Ok(ReaderEvent::Closed) => open_streams -= 1,
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
                Err(mpsc::RecvTimeoutError::Timeout) => {}
            }
            if let (Some(limit), None) = (self.idle_timeout, idle_timed_out) {
                if last_activity.elapsed() >= limit {
                    idle_timed_out = Some(limit);
                    // Not the blocking `kill`: this loop must keep reaping and reading.
                    self.killer.terminate();
                    force_at = Some(Instant::now() + self.kill_grace);
                }
            }
            if let (Some(interrupt), None) = (&self.interrupt, interrupted) {
                if let Some(signal) = interrupt.received() {
                    interrupted = Some(signal);
                    self.killer.terminate();
                    force_at = Some(Instant::now() + self.kill_grace);
                }
            }
            if force_at.is_some_and(|at| Instant::now() >= at) {
                self.killer.force();
                force_at = None;
            }
            match exited_at {
                // A grandchild that keeps our pipes open must not hold us forever.
                Some(at) if at.elapsed() > LINGER && last_activity.elapsed() > LINGER => break,
                Some(_) => {}
                None => {
                    if self.try_exited()? {
                        exited_at = Some(Instant::now());
                    }
                }
            }
        }
        if force_at.is_some() {
            // The child is gone but members of its group may still ignore SIGTERM.
            self.killer.force();
        }
        let output = self.handle.wait().map_err(|source| ProcessError::Wait {
            program: self.program.clone(),
            source,
        })?;
        Ok(Finished {
            exit_code: exit_code(&output.status),
            lines,
            idle_timed_out,
            interrupted,
        })
    }

    fn try_exited(&self) -> Result<bool, ProcessError> {
        self.handle
            .try_wait()
            .map(|status| status.is_some())
            .map_err(|source| ProcessError::Wait {
                program: self.program.clone(),
                source,
            })
    }
}

fn exit_code(status: &std::process::ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt;
    status
        .code()
        .or_else(|| status.signal().map(|signal| 128 + signal))
        .unwrap_or(1)
}

#[cfg(target_os = "linux")]
fn set_parent_death_signal(command: &mut std::process::Command) {
    // SAFETY: the hook runs between fork and exec and only makes async-signal-safe system
    // calls (prctl, getppid, kill on itself).
    let parent = unsafe { libc::getpid() };
    unsafe {
        command.pre_exec(move || {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            // The parent may have died before prctl took effect.
            if libc::getppid() != parent {
                libc::kill(libc::getpid(), libc::SIGKILL);
            }
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn set_parent_death_signal(_command: &mut std::process::Command) {}
