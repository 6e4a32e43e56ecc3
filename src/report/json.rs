//! The `--json` view: one JSON object per line on stdout, nothing else. The schema is
//! documented in docs/events.md.

use super::event::Event;

/// The JSON line for an event (no line end).
pub fn render(event: &Event) -> String {
    serde_json::to_string(event).expect("events contain only strings, numbers and enums")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::event::{Decision, Outcome, Stream};

    #[test]
    fn events_are_tagged_objects() {
        let output = Event::Output {
            stream: Stream::Stderr,
            line: "a \"quoted\" line".into(),
        };
        assert_eq!(
            render(&output),
            r#"{"event":"output","stream":"stderr","line":"a \"quoted\" line"}"#
        );
        let step = Event::StepFinished {
            index: 1,
            total: 2,
            step: "SYNC".into(),
            outcome: Outcome::Skipped,
            detail: "no change".into(),
            decision: Some(Decision::NoChange),
            reason: Some("0 to copy, 0 to delete".into()),
            seconds: 0.5,
        };
        assert_eq!(
            render(&step),
            r#"{"event":"step_finished","index":1,"total":2,"step":"SYNC","outcome":"skipped","detail":"no change","decision":"no_change","reason":"0 to copy, 0 to delete","seconds":0.5}"#
        );
    }
}
