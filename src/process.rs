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

/// The full environment a child process gets (nothing is inherited).
pub type Environment = BTreeMap<String, String>;

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
    inherit_stdin: bool,
}

/// How a child process ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finished {
    /// The exit code; a child killed by signal N reports 128 + N, as shells do.
    pub exit_code: i32,
    /// Every line in the order it was received, with its stream.
    pub lines: Vec<(StreamKind, String)>,
    /// Set when the child was killed for printing nothing for this long.
    pub idle_timed_out: Option<Duration>,
}

impl Finished {
    /// True when the child exited with code 0 and was not killed.
    pub fn success(&self) -> bool {
        self.exit_code == 0 && self.idle_timed_out.is_none()
    }

    /// The lines of one stream joined with `\n` (each line ends with one).
    pub fn text(&self, kind: StreamKind) -> String {
        let mut text = String::new();
        for (line_kind, line) in &self.lines {
            if *line_kind == kind {
                text.push_str(line);
                text.push('\n');
            }
        }
        text
    }

    /// The last `count` lines of both streams, for an error message.
    pub fn tail(&self, count: usize) -> String {
        let start = self.lines.len().saturating_sub(count);
        let tail: Vec<&str> = self.lines[start..]
            .iter()
            .map(|(_, l)| l.as_str())
            .collect();
        tail.join("\n")
    }
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
            inherit_stdin: false,
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
        self.inherit_stdin = inherit;
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
        let mut expression = duct::cmd(&self.program, &self.args)
            .dir(&self.dir)
            .full_env(&self.env)
            .stdout_file(out_writer)
            .stderr_file(err_writer)
            .unchecked()
            .before_spawn(|command| {
                command.process_group(0);
                Ok(())
            });
        if !self.inherit_stdin {
            expression = expression.stdin_null();
        }
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
}

/// Ends a child's whole process group; cheap to copy and safe to use from another thread.
#[derive(Debug, Clone, Copy)]
pub struct GroupKiller {
    pgid: i32,
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

    fn signal(&self, signal: i32) -> bool {
        // SAFETY: killpg only sends a signal; a stale group id fails with ESRCH.
        unsafe { libc::killpg(self.pgid, signal) == 0 }
    }
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
                    self.killer.kill(self.kill_grace);
                }
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
        let output = self.handle.wait().map_err(|source| ProcessError::Wait {
            program: self.program.clone(),
            source,
        })?;
        Ok(Finished {
            exit_code: exit_code(&output.status),
            lines,
            idle_timed_out,
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
