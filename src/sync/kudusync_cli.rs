//! KuduSync's command line on top of the SYNC engine, so `"%KUDU_SYNC_CMD%" -v 50 -f ...`
//! in an unmodified Kudu script runs it. Flags and output lines follow kudusync 0.2.3 (npm);
//! `-x` (`--ignoreManifest`) comes from KuduSync.NET; `--checksum` is ours (`/CHECKSUM`).
//!
//! Differences from kudusync 0.2.3, on purpose: errors go to stderr as `error: ...`
//! (kudusync prints `Error: ...` to stdout); a missing required flag exits 1 (kudusync
//! exits 0); source equal to target is refused (kudusync writes an empty manifest);
//! copy lines come before delete lines instead of interleaving folder by folder.
//!
//! When the environment variable `DEPLOY_SYNC_JOURNAL` names a folder (run-deploy sets
//! it), every sync is recorded in the journal there, created or continued, for run-deploy
//! to roll back or commit when the deploy ends; the journal is held for writing while the
//! sync runs, so a run that recovers from a killed run-deploy waits for it.

use super::apply::apply;
use super::journal::Journal;
use super::options::SyncOptions;
use super::plan::{plan, EntryKind};
use std::io::Write;
use std::time::{Duration, Instant};

/// The environment variable naming the journal folder that KuduSync-style syncs record into.
pub const JOURNAL_ENV: &str = "DEPLOY_SYNC_JOURNAL";

const USAGE: &str = "
  Usage: kudusync [options]

  Options:

    -h, --help                                   output usage information
    -V, --version                                output the version number
    -f, --fromDir <dir path>                     Source directory to sync
    -t, --toDir <dir path>                       Destination directory to sync
    -n, --nextManifest <manifest file path>      Next manifest file path
    -p, --previousManifest [manifest file path]  Previous manifest file path
    -x, --ignoreManifest                         Delete anything the source lacks (no manifest)
    -i, --ignore [patterns]                      List of files/directories to ignore and not sync, delimited by ;
    -q, --quiet                                  No logging
    -v, --verbose [maxLines]                     Verbose logging with maximum number of output lines
    -w, --whatIf                                 Only log without actual copy/remove of files
        --checksum                               Also compare content when size and time are equal
    --perf                                       Print out the time it took to complete KuduSync operation
";

/// Runs KuduSync's command line (`args` without the program name) and returns the exit
/// code. Records into the journal named by `DEPLOY_SYNC_JOURNAL` when it is set.
pub fn kudusync_main(args: &[String], stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    let journal = match std::env::var_os(JOURNAL_ENV).filter(|dir| !dir.is_empty()) {
        None => None,
        Some(dir) => match Journal::resume(std::path::Path::new(&dir))
            .and_then(|journal| journal.hold_while_writing().map(|()| journal))
        {
            Ok(journal) => Some(journal),
            Err(e) => {
                _ = writeln!(stderr, "error: {e}");
                return 1;
            }
        },
    };
    kudusync_main_with(args, journal.as_ref(), stdout, stderr)
}

/// [`kudusync_main`] with the journal given by the caller (or none).
pub fn kudusync_main_with(
    args: &[String],
    journal: Option<&Journal>,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    let parsed = match parse(args) {
        Ok(Parsed::Run(parsed)) => parsed,
        Ok(Parsed::Exit(text)) => {
            _ = write!(stdout, "{text}");
            return 0;
        }
        Err(error) => {
            _ = writeln!(stderr, "error: {error}");
            _ = write!(stderr, "{USAGE}");
            return 1;
        }
    };
    let started = Instant::now();
    let mut log = Log::new(stdout, &parsed.options);
    let result = plan(&parsed.options).and_then(|plan| {
        // After the refusals (missing, nested folders), as in kudusync.
        log.line(&format!(
            "Kudu sync from: '{}' to: '{}'",
            parsed.options.source.display(),
            parsed.options.target.display()
        ));
        for ignored in &plan.ignored {
            log.line(&format!("Ignoring: {}", ignored.display()));
        }
        for note in &plan.notes {
            log.line(&format!("Note: {note}"));
        }
        for copy in &plan.copies {
            log.line(&format!("Copying file: '{}'", copy.path.display()));
        }
        for delete in plan.clear_first.iter().chain(&plan.deletes) {
            let word = if delete.kind == EntryKind::Dir {
                "directory"
            } else {
                "file"
            };
            log.line(&format!("Deleting {word}: '{}'", delete.path.display()));
        }
        let outcome = apply(&plan, journal)?;
        for note in outcome.notes.iter().filter(|_| !plan.options.whatif) {
            log.line(&format!("Note: {note}"));
        }
        Ok(())
    });
    if let Err(e) = result {
        _ = writeln!(stderr, "error: {e}");
        return 1;
    }
    if parsed.perf {
        log.always(&format!(
            "Operation took {} seconds",
            started.elapsed().as_millis() as f64 / 1000.0
        ));
    }
    0
}

/// A parsed command line.
struct Run {
    options: SyncOptions,
    perf: bool,
}

/// What [`parse`] found: a sync to run, or text to print and exit 0 (`--help`, `--version`).
enum Parsed {
    Run(Run),
    Exit(String),
}

/// A command line kudusync cannot run; printed as `error: ...` before the usage text.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
enum UsageError {
    /// A flag that takes a value came last, with none.
    #[error("option `{0}` needs a value")]
    MissingValue(String),
    /// `-v` with a value that is not a number.
    #[error("`-v` takes a number of lines, not `{0}`")]
    BadVerbose(String),
    /// A flag kudusync does not have.
    #[error("unknown option `{0}`")]
    UnknownOption(String),
    /// `--quiet` with `--verbose`.
    #[error("cannot use `--quiet` and `--verbose` together")]
    QuietAndVerbose,
    /// `-f` or `-t` missing, or `-n` missing without `-x`.
    #[error("missing required argument: give `-f`, `-t` and `-n` (or `-x`)")]
    MissingRequired,
}

fn parse(args: &[String]) -> Result<Parsed, UsageError> {
    let mut options = SyncOptions {
        use_manifest: true,
        ..SyncOptions::default()
    };
    let (mut from, mut to, mut perf) = (None, None, false);
    let mut i = 0;
    while i < args.len() {
        let (flag, inline) = match args[i].split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_string())),
            _ => (args[i].as_str(), None),
        };
        i += 1;
        // commander: `<value>` is required, `[value]` is taken when the next word is not a flag.
        let mut value = |required: bool| -> Result<Option<String>, UsageError> {
            if inline.is_some() {
                return Ok(inline.clone());
            }
            match args.get(i) {
                Some(next) if required || !next.starts_with('-') => {
                    i += 1;
                    Ok(Some(next.clone()))
                }
                _ if required => Err(UsageError::MissingValue(flag.to_string())),
                _ => Ok(None),
            }
        };
        match flag {
            "-f" | "--fromDir" => from = value(true)?,
            "-t" | "--toDir" => to = value(true)?,
            "-n" | "--nextManifest" => options.next_manifest = value(true)?.map(Into::into),
            "-p" | "--previousManifest" => {
                options.previous_manifest = value(false)?.map(Into::into)
            }
            "-i" | "--ignore" => options.ignore.extend(value(false)?),
            "-x" | "--ignoreManifest" => options.use_manifest = false,
            "-q" | "--quiet" => options.quiet = true,
            // A bare `-v` logs everything, as in kudusync.
            "-v" | "--verbose" => match value(false)? {
                Some(lines) => {
                    let parsed = lines.parse();
                    options.verbose = Some(parsed.map_err(|_| UsageError::BadVerbose(lines))?);
                }
                None => options.verbose = Some(0),
            },
            "-w" | "--whatIf" => options.whatif = true,
            "--checksum" => options.checksum = true,
            "--perf" => perf = true,
            "-h" | "--help" => return Ok(Parsed::Exit(USAGE.to_string())),
            "-V" | "--version" => {
                return Ok(Parsed::Exit(format!("{}\n", env!("CARGO_PKG_VERSION"))))
            }
            other => return Err(UsageError::UnknownOption(other.to_string())),
        }
    }
    if options.quiet && options.verbose.is_some() {
        return Err(UsageError::QuietAndVerbose);
    }
    match (from, to) {
        (Some(from), Some(to)) if options.next_manifest.is_some() || !options.use_manifest => {
            options.source = from.into();
            options.target = to.into();
            Ok(Parsed::Run(Run { options, perf }))
        }
        _ => Err(UsageError::MissingRequired),
    }
}

/// kudusync's logger: everything, nothing (`-q`), or at most N lines then a progress line
/// every 20 seconds (`-v N`).
struct Log<'a> {
    out: &'a mut dyn Write,
    quiet: bool,
    limit: Option<usize>,
    counter: usize,
    next_progress: Instant,
}

impl<'a> Log<'a> {
    fn new(out: &'a mut dyn Write, options: &SyncOptions) -> Log<'a> {
        Log {
            out,
            quiet: options.quiet,
            limit: options.verbose.filter(|&n| n > 0),
            counter: 0,
            next_progress: Instant::now(),
        }
    }

    fn line(&mut self, text: &str) {
        if self.quiet {
            return;
        }
        let Some(limit) = self.limit else {
            return self.always(text);
        };
        if self.counter < limit {
            self.always(text);
        } else if self.counter == limit {
            self.always("Omitting next output lines...");
            self.next_progress = Instant::now() + Duration::from_secs(20);
        } else if Instant::now() >= self.next_progress {
            self.always(&format!("Processed {} files...", self.counter - 1));
            self.next_progress = Instant::now() + Duration::from_secs(20);
        }
        self.counter += 1;
    }

    fn always(&mut self, text: &str) {
        _ = writeln!(self.out, "{text}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(args: &[&str]) -> Vec<String> {
        args.iter().map(|arg| arg.to_string()).collect()
    }

    #[test]
    fn a_command_line_it_cannot_run_is_a_typed_error_with_kudusyncs_text() {
        let unknown = parse(&words(&["--bogus"])).err().unwrap();
        assert_eq!(unknown, UsageError::UnknownOption("--bogus".into()));
        assert_eq!(unknown.to_string(), "unknown option `--bogus`");
        let no_value = parse(&words(&["-f"])).err().unwrap();
        assert_eq!(no_value.to_string(), "option `-f` needs a value");
        let verbose = parse(&words(&["-v", "many"])).err().unwrap();
        assert_eq!(
            verbose.to_string(),
            "`-v` takes a number of lines, not `many`"
        );
        let both = parse(&words(&["-q", "-v", "3", "-f", "a", "-t", "b", "-x"])).err();
        assert_eq!(both, Some(UsageError::QuietAndVerbose));
        let missing = parse(&words(&["-f", "a", "-t", "b"])).err();
        assert_eq!(missing, Some(UsageError::MissingRequired));
    }
}
