//! The human view of a deploy: one line per step with its outcome and time, messages,
//! and a summary at the end. These lines go to stderr; the script's and its programs'
//! output go to stdout untouched.

#[cfg(test)]
use super::event::Decision;
use super::event::{Event, FinalStatus, Level, Outcome, Summary};
use anstyle::{AnsiColor, Style};

/// How much to show, and whether in colour.
#[derive(Clone, Copy, Debug, Default)]
pub struct HumanStyle {
    /// Colour the outcome words (only on a terminal, never with NO_COLOR).
    pub color: bool,
    /// Show step starts and info messages too.
    pub verbose: bool,
    /// Show only errors.
    pub quiet: bool,
}

/// The stderr line for an event, if this style shows it. Output events are not rendered
/// here: they go to stdout as they are.
pub fn render(event: &Event, style: HumanStyle) -> Option<String> {
    match event {
        Event::DeployStarted {
            script,
            script_source,
            source,
            target,
            dry_run,
            ..
        } => {
            if style.quiet {
                return None;
            }
            let what = if *dry_run { "dry run of" } else { "running" };
            let mut line = format!("run-deploy: {what} {script} ({script_source})");
            if let (Some(source), Some(target)) = (source, target) {
                line.push_str(&format!(": {source} -> {target}"));
            }
            Some(line)
        }
        Event::StepStarted {
            index,
            total,
            step,
            location,
        } => (style.verbose && !style.quiet)
            .then(|| format!("[{index}/{total}] {step} ({location})")),
        Event::StepFinished {
            index,
            total,
            step,
            outcome,
            detail,
            seconds,
            ..
        } => {
            if style.quiet && *outcome != Outcome::Failed {
                return None;
            }
            let word = paint(outcome_word(*outcome), outcome_style(*outcome), style.color);
            let detail = if detail.is_empty() {
                String::new()
            } else {
                format!(" ({detail})")
            };
            Some(format!(
                "[{index}/{total}] {step}: {word}{detail} {seconds:.2}s"
            ))
        }
        Event::Output { .. } => None,
        Event::Message {
            level,
            text,
            location,
            place,
        } => {
            let shown = match level {
                Level::Error => true,
                Level::Warning => !style.quiet,
                Level::Info => !style.quiet,
                Level::Detail => style.verbose && !style.quiet,
            };
            if !shown {
                return None;
            }
            let prefix = match level {
                Level::Error => paint("error: ", error_style(), style.color),
                Level::Warning => paint("warning: ", warning_style(), style.color),
                Level::Info | Level::Detail => String::new(),
            };
            // An error found while the script ran: with its line and caret, as `--check`
            // shows one; in one line under `--quiet`.
            if let Some(place) = place {
                if style.quiet {
                    return Some(format!("run-deploy: {prefix}{}", place.one_line));
                }
                return Some(format!("run-deploy: {prefix}{text}\n{}", place.excerpt));
            }
            let at = location
                .as_ref()
                .map(|location| format!(" ({location})"))
                .unwrap_or_default();
            Some(format!("run-deploy: {prefix}{text}{at}"))
        }
        Event::Trace { location, command } => Some(format!("+ {location}: {command}")),
        Event::DeployFinished {
            exit_code,
            status,
            seconds,
            summary,
        } => {
            if style.quiet && *status != FinalStatus::Failed && *status != FinalStatus::Interrupted
            {
                return None;
            }
            Some(finish_line(
                *exit_code,
                *status,
                *seconds,
                summary,
                style.color,
            ))
        }
    }
}

fn finish_line(
    exit_code: i32,
    status: FinalStatus,
    seconds: f64,
    summary: &Summary,
    color: bool,
) -> String {
    let mut facts = vec![plural(summary.steps, "step")];
    if summary.files_copied > 0 || summary.files_deleted > 0 {
        facts.push(format!(
            "{} copied, {} deleted",
            plural(summary.files_copied as usize, "file"),
            summary.files_deleted
        ));
    }
    if let Some(environment) = &summary.environment {
        facts.push(format!("env {environment}"));
    }
    let facts = facts.join(", ");
    match status {
        FinalStatus::Succeeded => format!(
            "run-deploy: {} in {seconds:.2}s: {facts}",
            paint("succeeded", success_style(), color)
        ),
        FinalStatus::Planned => {
            format!("run-deploy: dry run done in {seconds:.2}s: nothing was changed")
        }
        FinalStatus::Failed => format!(
            "run-deploy: {} (exit {exit_code}) in {seconds:.2}s: {facts}",
            paint("FAILED", error_style(), color)
        ),
        FinalStatus::Interrupted => format!(
            "run-deploy: {} (exit {exit_code}) in {seconds:.2}s: {facts}",
            paint("INTERRUPTED", error_style(), color)
        ),
    }
}

fn outcome_word(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Done => "done",
        Outcome::Skipped => "skipped",
        Outcome::Reused => "reused",
        Outcome::Rebuilt => "rebuilt",
        Outcome::Failed => "FAILED",
        Outcome::Planned => "would run",
    }
}

fn outcome_style(outcome: Outcome) -> Style {
    match outcome {
        Outcome::Done | Outcome::Reused | Outcome::Skipped => success_style(),
        Outcome::Rebuilt | Outcome::Planned => warning_style(),
        Outcome::Failed => error_style(),
    }
}

fn success_style() -> Style {
    Style::new().fg_color(Some(AnsiColor::Green.into()))
}

fn warning_style() -> Style {
    Style::new().fg_color(Some(AnsiColor::Yellow.into()))
}

fn error_style() -> Style {
    Style::new().fg_color(Some(AnsiColor::Red.into())).bold()
}

fn paint(text: &str, style: Style, color: bool) -> String {
    if color {
        format!("{style}{text}{style:#}")
    } else {
        text.to_string()
    }
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_line_shows_outcome_reason_and_time() {
        let event = Event::StepFinished {
            index: 3,
            total: 5,
            step: "VENV ENSURE env".into(),
            outcome: Outcome::Reused,
            detail: "python 3.11.7, marker ok".into(),
            decision: Some(Decision::Reuse),
            reason: Some("python 3.11.7, marker ok".into()),
            seconds: 0.012,
        };
        assert_eq!(
            render(&event, HumanStyle::default()).unwrap(),
            "[3/5] VENV ENSURE env: reused (python 3.11.7, marker ok) 0.01s"
        );
        let colored = render(
            &event,
            HumanStyle {
                color: true,
                ..HumanStyle::default()
            },
        )
        .unwrap();
        assert_eq!(
            colored,
            "[3/5] VENV ENSURE env: \u{1b}[32mreused\u{1b}[0m (python 3.11.7, marker ok) 0.01s"
        );
        let quiet = HumanStyle {
            quiet: true,
            ..HumanStyle::default()
        };
        assert_eq!(render(&event, quiet), None);
    }
}
