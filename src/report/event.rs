//! The events of a deploy: one stream that the human view, the JSON view and the
//! deployment log are all made from. The JSON form is documented in docs/events.md and
//! is stable: fields are only ever added.

use crate::error::RuntimeError;
use serde::Serialize;

/// The version of the JSON event schema; bumped only for incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

/// Something that happened during a deploy.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// The deploy (or dry run) began.
    DeployStarted {
        /// Schema version of these events.
        schema: u32,
        /// The deployment's id, when a deployment record is kept.
        id: Option<String>,
        /// The script being run.
        script: String,
        /// Why that script (`command line`, `.deployment`, `default`, `built-in`).
        script_source: String,
        /// DEPLOYMENT_SOURCE, when deploying.
        source: Option<String>,
        /// DEPLOYMENT_TARGET, when deploying.
        target: Option<String>,
        /// Only planning, nothing changed.
        dry_run: bool,
    },
    /// A deploy step (a directive) began.
    StepStarted {
        /// 1-based position among the script's steps.
        index: usize,
        /// Number of steps in the script.
        total: usize,
        /// The step as written, e.g. `VENV ENSURE env`.
        step: String,
        /// `file:line` of the directive.
        location: String,
    },
    /// A deploy step ended.
    StepFinished {
        /// 1-based position among the script's steps.
        index: usize,
        /// Number of steps in the script.
        total: usize,
        /// The step as written.
        step: String,
        /// What happened.
        outcome: Outcome,
        /// Why, in one line: `python 3.11.7, marker ok`, `requirements.txt changed`.
        detail: String,
        /// What the step's plan decided: the same in a dry run and in the real run that
        /// follows it. `None` when the step failed before it could decide.
        decision: Option<Decision>,
        /// Why it decided so, in one line (the plan's reason, the same in both runs).
        reason: Option<String>,
        /// How long it took.
        seconds: f64,
    },
    /// A line a program or the script printed.
    Output {
        /// Which stream.
        stream: Stream,
        /// The line, without its line end.
        line: String,
    },
    /// A message of run-deploy's own.
    Message {
        /// How serious.
        level: Level,
        /// The message.
        text: String,
        /// `file:line` it is about, if any.
        location: Option<String>,
        /// For an error found while the script ran: its file, line, column and help.
        #[serde(flatten)]
        place: Option<ErrorPlace>,
    },
    /// A command about to run, under `--trace` or `echo on`.
    Trace {
        /// `file:line`.
        location: String,
        /// The command after expansion.
        command: String,
    },
    /// The deploy ended.
    DeployFinished {
        /// run-deploy's exit code.
        exit_code: i32,
        /// How it ended.
        status: FinalStatus,
        /// How long it took.
        seconds: f64,
        /// What it did.
        summary: Summary,
    },
}

impl Event {
    /// The message event of a failure found while the script ran: the JSON view gets its
    /// file, line and column; the human view and the log its rendering with a caret.
    pub fn runtime_error(level: Level, error: &RuntimeError) -> Event {
        let place = error.at.as_ref().map(|excerpt| ErrorPlace {
            file: excerpt.path.clone(),
            line: excerpt.span.line,
            column: excerpt.span.column,
            help: error.help.clone(),
            excerpt: error.excerpt(),
            one_line: error.one_line(),
        });
        Event::Message {
            level,
            text: error.message.clone(),
            location: error
                .at
                .as_ref()
                .map(|excerpt| format!("{}:{}", excerpt.path, excerpt.span.line)),
            place,
        }
    }
}

/// Where in the script an error happened, as `message` fields (`file`, `line`, `column`,
/// `help`), with the two renderings the human view picks from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ErrorPlace {
    /// The script, as the user or the script named it (`deploy.cmd`).
    pub file: String,
    /// 1-based line of the command.
    pub line: u32,
    /// 1-based column (in characters) of the command.
    pub column: u32,
    /// What to do about it, when that is knowable.
    pub help: Option<String>,
    /// The lines under the title: `-->`, the command's line, the caret and the help.
    #[serde(skip)]
    pub excerpt: String,
    /// The error in one line (`file:line: message`), for `--quiet`.
    #[serde(skip)]
    pub one_line: String,
}

/// The outcome of a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// It did its work.
    Done,
    /// Nothing needed doing (pip skipped, env reused, sync found no change).
    Skipped,
    /// The existing environment was kept.
    Reused,
    /// The environment was built anew.
    Rebuilt,
    /// It failed; the deploy fails.
    Failed,
    /// Dry run: what it would do.
    Planned,
}

/// What a directive's plan decided. A dry run and the real run that follows it decide
/// the same; [`Decision::applied`] is the one place that says what each decision becomes
/// when it is carried out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// SYNC: copy or delete files.
    Copy,
    /// SYNC: the target already matches.
    NoChange,
    /// PYTHON SELECT: use this interpreter.
    Select,
    /// VENV REMOVE: the next VENV ENSURE of that env rebuilds it.
    Remove,
    /// VENV REMOVE: not this time.
    Keep,
    /// VENV ENSURE: keep the env.
    Reuse,
    /// VENV ENSURE: use the env the repository ships.
    UseShipped,
    /// VENV ENSURE: build the env anew.
    Rebuild,
    /// VENV INSTALL: run the installer.
    Install,
    /// VENV INSTALL, DJANGO COLLECTSTATIC: nothing to do.
    Skip,
    /// DJANGO COLLECTSTATIC: run it.
    Run,
}

impl Decision {
    /// The outcome a real run reports when it carries the decision out.
    pub fn applied(self) -> Outcome {
        match self {
            Decision::Copy | Decision::Select | Decision::Remove => Outcome::Done,
            Decision::Install | Decision::Run => Outcome::Done,
            Decision::NoChange | Decision::Keep | Decision::Skip => Outcome::Skipped,
            Decision::Reuse | Decision::UseShipped => Outcome::Reused,
            Decision::Rebuild => Outcome::Rebuilt,
        }
    }

    /// The words a dry run puts before the reason: `would install`, `would be reused`.
    pub fn would(self) -> &'static str {
        match self {
            Decision::Copy | Decision::NoChange => "would sync",
            Decision::Select => "would select",
            Decision::Remove => "would remove",
            Decision::Keep => "would keep",
            Decision::Reuse | Decision::UseShipped => "would be reused",
            Decision::Rebuild => "would be rebuilt",
            Decision::Install => "would install",
            Decision::Skip => "would skip",
            Decision::Run => "would run",
        }
    }
}

/// An output stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

/// The level of a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Information.
    Info,
    /// Something to look at.
    Warning,
    /// A failure.
    Error,
    /// Per-item detail of a step (each file SYNC copies): shown only with `--verbose`,
    /// always in `--json` and in the deployment log.
    Detail,
}

/// How a deploy ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FinalStatus {
    /// Exit code 0.
    Succeeded,
    /// Non-zero exit code; the site was restored.
    Failed,
    /// Stopped by a signal.
    Interrupted,
    /// A dry run ended.
    Planned,
}

/// What a deploy did, for the summary line and the finish event.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Steps that ran.
    pub steps: usize,
    /// Files SYNC copied.
    pub files_copied: u64,
    /// Files SYNC deleted.
    pub files_deleted: u64,
    /// `reused (...)` or `rebuilt (reason)`, when an environment step ran.
    pub environment: Option<String>,
}
