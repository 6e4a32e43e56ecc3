//! The one sink every byte a deploy prints goes through: it masks secrets, then shows the
//! event in the chosen view (human lines on stderr with the script's output on stdout, or
//! JSON lines on stdout) and appends it to the deployment log.

use super::event::{ErrorPlace, Event, Level, Stream};
use super::human::{self, HumanStyle};
use super::json;
use super::mask::Masker;
use super::output::Output;
use crate::error::RuntimeError;
use indicatif::{ProgressBar, ProgressStyle};
use std::cell::RefCell;
use std::io::{IsTerminal, Write};
use std::rc::Rc;
use std::time::Duration;

/// How a deploy is shown.
#[derive(Clone, Copy, Debug)]
pub enum View {
    /// Step lines and messages on stderr, the script's output on stdout.
    Human(HumanStyle),
    /// JSON lines on stdout and nothing else.
    Json,
}

impl View {
    /// The human view for this process's stderr: colour only on a terminal and never with
    /// NO_COLOR.
    pub fn human(verbose: bool, quiet: bool) -> View {
        let terminal = std::io::stderr().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
        View::Human(HumanStyle {
            color: terminal && !no_color,
            verbose,
            quiet,
        })
    }
}

/// Where a deploy's events go.
pub struct Reporter {
    view: View,
    masker: Masker,
    log: Option<Box<dyn Write>>,
    spinner: Option<ProgressBar>,
    spinners_allowed: bool,
}

impl Reporter {
    /// A reporter for `view` that masks what `masker` knows.
    pub fn new(view: View, masker: Masker) -> Reporter {
        let spinners_allowed =
            matches!(view, View::Human(style) if !style.quiet) && std::io::stderr().is_terminal();
        Reporter {
            view,
            masker,
            log: None,
            spinner: None,
            spinners_allowed,
        }
    }

    /// Also append every event, as plain text, to `log` (the deployment record's log).
    pub fn set_log(&mut self, log: Box<dyn Write>) {
        self.log = Some(log);
    }

    /// Masks `value` from now on (a secret the script set while running).
    pub fn add_secret(&mut self, value: &str) {
        self.masker.add_secret(value);
    }

    /// Masks the value of variable `name` from now on if it is a secret (by its name, or
    /// because `--mask` named it).
    pub fn add_variable(&mut self, name: &str, value: &str) {
        self.masker.add_variable(name, value);
    }

    /// Shows and logs one event.
    pub fn emit(&mut self, event: Event) {
        let event = self.mask(event);
        self.log_event(&event);
        match self.view {
            View::Json => {
                let line = json::render(&event);
                let mut out = std::io::stdout().lock();
                let _ = writeln!(out, "{line}");
                let _ = out.flush();
            }
            View::Human(style) => self.show_human(&event, style),
        }
    }

    fn show_human(&mut self, event: &Event, style: HumanStyle) {
        if let Event::StepStarted {
            index, total, step, ..
        } = event
        {
            if self.spinners_allowed {
                let spinner = ProgressBar::new_spinner();
                spinner.set_style(
                    ProgressStyle::with_template("{spinner} [{prefix}] {msg} {elapsed}")
                        .expect("the spinner template is valid"),
                );
                spinner.set_prefix(format!("{index}/{total}"));
                spinner.set_message(step.clone());
                spinner.enable_steady_tick(Duration::from_millis(120));
                self.spinner = Some(spinner);
            }
        }
        if matches!(
            event,
            Event::StepFinished { .. } | Event::DeployFinished { .. }
        ) {
            if let Some(spinner) = self.spinner.take() {
                spinner.finish_and_clear();
            }
        }
        let write = |event: &Event| match event {
            Event::Output {
                stream: Stream::Stdout,
                line,
            } => {
                let mut out = std::io::stdout().lock();
                let _ = writeln!(out, "{line}");
                let _ = out.flush();
            }
            Event::Output {
                stream: Stream::Stderr,
                line,
            } => {
                let _ = writeln!(std::io::stderr().lock(), "{line}");
            }
            other => {
                if let Some(line) = human::render(other, style) {
                    let _ = writeln!(std::io::stderr().lock(), "{line}");
                }
            }
        };
        match &self.spinner {
            Some(spinner) => spinner.suspend(|| write(event)),
            None => write(event),
        }
    }

    fn log_event(&mut self, event: &Event) {
        let Some(log) = self.log.as_mut() else {
            return;
        };
        let line = match event {
            Event::Output { line, .. } => Some(line.clone()),
            other => human::render(
                other,
                HumanStyle {
                    color: false,
                    verbose: true,
                    quiet: false,
                },
            ),
        };
        if let Some(line) = line {
            let _ = writeln!(log, "{line}");
            let _ = log.flush();
        }
    }

    fn mask(&self, event: Event) -> Event {
        if self.masker.is_empty() {
            return event;
        }
        let mask = |text: String| self.masker.mask(&text).into_owned();
        match event {
            Event::Output { stream, line } => Event::Output {
                stream,
                line: mask(line),
            },
            Event::Message {
                level,
                text,
                location,
                place,
            } => Event::Message {
                level,
                text: mask(text),
                location,
                place: place.map(|place| ErrorPlace {
                    excerpt: mask(place.excerpt),
                    one_line: mask(place.one_line),
                    help: place.help.map(mask),
                    ..place
                }),
            },
            Event::Trace { location, command } => Event::Trace {
                location,
                command: mask(command),
            },
            Event::StepStarted {
                index,
                total,
                step,
                location,
            } => Event::StepStarted {
                index,
                total,
                step: mask(step),
                location,
            },
            Event::StepFinished {
                index,
                total,
                step,
                outcome,
                detail,
                decision,
                reason,
                seconds,
            } => Event::StepFinished {
                index,
                total,
                step: mask(step),
                outcome,
                detail: mask(detail),
                decision,
                reason: reason.map(mask),
                seconds,
            },
            other => other,
        }
    }
}

/// A [`Reporter`] shared between the interpreter (as its [`Output`]) and the deploy
/// directives (which emit step events).
#[derive(Clone)]
pub struct SharedReporter(pub Rc<RefCell<Reporter>>);

impl SharedReporter {
    /// Wraps a reporter.
    pub fn new(reporter: Reporter) -> SharedReporter {
        SharedReporter(Rc::new(RefCell::new(reporter)))
    }

    /// Shows and logs one event.
    pub fn emit(&self, event: Event) {
        self.0.borrow_mut().emit(event);
    }

    /// A message of run-deploy's own.
    pub fn message(&self, level: Level, text: impl Into<String>) {
        self.emit(Event::Message {
            level,
            text: text.into(),
            location: None,
            place: None,
        });
    }
}

impl Output for SharedReporter {
    fn stdout_line(&mut self, line: &str) {
        self.emit(Event::Output {
            stream: Stream::Stdout,
            line: line.to_string(),
        });
    }

    fn stderr_line(&mut self, line: &str) {
        self.emit(Event::Output {
            stream: Stream::Stderr,
            line: line.to_string(),
        });
    }

    fn note(&mut self, message: &str) {
        self.message(Level::Info, message);
    }

    fn error(&mut self, message: &str) {
        let message = message.strip_prefix("error: ").unwrap_or(message);
        self.message(Level::Error, message);
    }

    fn runtime_error(&mut self, error: &RuntimeError) {
        self.emit(Event::runtime_error(Level::Error, error));
    }

    fn runtime_warning(&mut self, error: &RuntimeError) {
        self.emit(Event::runtime_error(Level::Warning, error));
    }

    fn trace(&mut self, location: &str, command: &str) {
        self.emit(Event::Trace {
            location: location.to_string(),
            command: command.to_string(),
        });
    }

    fn secret_set(&mut self, name: &str, value: &str) {
        self.0.borrow_mut().add_variable(name, value);
    }
}
