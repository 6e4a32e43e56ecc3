//! Problems found in a script, rendered one way everywhere:
//!
//! ```text
//! error: unknown label `deploymnet`
//!  --> deploy.cmd:12:6
//!    |
//! 12 | goto deploymnet
//!    |      ^^^^^^^^^^
//! ```

use crate::source::Source;
use crate::span::Span;
use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The script cannot run as written.
    Error,
    /// The script runs, but probably not as its author meant.
    Warning,
    /// Information about how a line will be run here (a compatibility rule applies).
    Note,
}

/// One problem or remark about a script, with where it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error, warning or note.
    pub severity: Severity,
    /// Lowercase, code in backticks, no trailing period.
    pub message: String,
    /// Where in the script.
    pub span: Span,
    /// What to do about it, when that is knowable.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span,
            help: None,
        }
    }

    /// A warning at `span`.
    pub fn warning(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            message: message.into(),
            span,
            help: None,
        }
    }

    /// A note at `span`.
    pub fn note(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Note,
            message: message.into(),
            span,
            help: None,
        }
    }

    /// Adds advice on what to do.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Renders the diagnostic against its source, without colour.
    pub fn render(&self, source: &Source) -> String {
        self.render_with(source, &Renderer::plain())
    }

    /// Renders the diagnostic against its source with the given renderer (plain or styled).
    pub fn render_with(&self, source: &Source, renderer: &Renderer) -> String {
        let path = source.path().display().to_string();
        Excerpt::new(source, self.span, path).render(
            self.severity,
            &self.message,
            self.help.as_deref(),
            renderer,
        )
    }
}

/// The line of a script a span starts on, kept with the span and the file's name as the
/// user knows it: everything needed to render a diagnostic's location and caret, so an
/// error found while the script runs renders exactly as one `--check` finds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Excerpt {
    /// The script, as the user or the script named it (`deploy.cmd`).
    pub path: String,
    /// The span the caret marks.
    pub span: Span,
    /// The text of the span's first line, without its line end.
    line_text: String,
    /// Byte offset of that line in the source text.
    line_start: usize,
}

impl Excerpt {
    /// The excerpt of `source` at `span`, its file named `path`.
    pub fn new(source: &Source, span: Span, path: impl Into<String>) -> Excerpt {
        let line = span.line.max(1);
        let line_start = source.text()[..span.offset.min(source.text().len())]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        Excerpt {
            path: path.into(),
            span,
            line_text: source.line_text(line).to_string(),
            line_start,
        }
    }

    /// `file:line:column`, as the rendering's `-->` line shows it.
    pub fn location(&self) -> String {
        format!("{}:{}:{}", self.path, self.span.line, self.span.column)
    }

    /// Renders `message` (and `help`) at this excerpt: title, `-->` line, the source line
    /// and a caret under the span (clipped to its first line).
    pub fn render(
        &self,
        severity: Severity,
        message: &str,
        help: Option<&str>,
        renderer: &Renderer,
    ) -> String {
        let level = match severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Note => Level::NOTE,
        };
        let line_text = self.line_text.as_str();
        // The caret range, relative to the start of the line, clipped to the line.
        let from = floor_char_boundary(
            line_text,
            (self.span.offset.saturating_sub(self.line_start)).min(line_text.len()),
        );
        let to = (from + self.span.len.max(1)).min(line_text.len()).max(from);
        // A span's length is in bytes: widen it to the end of the character it ends in.
        let to = (to..=line_text.len())
            .find(|&end| line_text.is_char_boundary(end))
            .unwrap_or(line_text.len());
        let snippet = Snippet::source(line_text)
            .line_start(self.span.line.max(1) as usize)
            .path(self.path.as_str())
            .annotation(AnnotationKind::Primary.span(from..to));
        let mut group = level.primary_title(message).element(snippet);
        if let Some(help) = help {
            group = group.element(Level::HELP.message(help));
        }
        renderer.render(&[group]).to_string()
    }
}

/// The largest character boundary of `text` at or before `index`.
fn floor_char_boundary(text: &str, index: usize) -> usize {
    (0..=index)
        .rev()
        .find(|&at| text.is_char_boundary(at))
        .unwrap_or(0)
}

/// Renders every diagnostic, each followed by a blank line, in the order given.
pub fn render_all(diagnostics: &[Diagnostic], source: &Source) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        out.push_str(&diagnostic.render(source));
        out.push_str("\n\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_a_span_that_ends_inside_a_character() {
        // One byte of the two-byte `é`: the caret covers the whole character.
        let source = Source::from_text("x.cmd", "()\u{e9}\n");
        let rendered = Diagnostic::error(source.span(2, 3), "unexpected `\u{e9}`").render(&source);
        assert_eq!(
            rendered,
            "error: unexpected `\u{e9}`\n --> x.cmd:1:3\n  |\n1 | ()\u{e9}\n  |   ^"
        );
    }

    #[test]
    fn renders_location_line_and_caret() {
        let source = Source::from_text("deploy.cmd", "@echo off\r\ngoto deploymnet\r\n");
        let span = source.span(16, 26);
        let rendered = Diagnostic::error(span, "unknown label `deploymnet`")
            .with_help("add a line `:deploymnet`, or fix the name")
            .render(&source);
        assert_eq!(
            rendered,
            "error: unknown label `deploymnet`\n --> deploy.cmd:2:6\n  |\n2 | goto deploymnet\n  |      ^^^^^^^^^^\n  |\n  = help: add a line `:deploymnet`, or fix the name"
        );
    }
}
