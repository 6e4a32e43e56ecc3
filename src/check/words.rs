//! The words of a command's argument text as written in the source, with their positions,
//! for checks that point at one argument.

use crate::source::Source;
use crate::span::Span;
use crate::syntax::ast::Simple;

/// One argument word as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawWord {
    /// The word, quotes kept.
    pub text: String,
    /// Where it is.
    pub span: Span,
}

impl RawWord {
    /// Whether the word holds an expansion (`%` or `!`), so its value is known only at run time.
    pub fn is_dynamic(&self) -> bool {
        self.text.contains('%') || self.text.contains('!')
    }
}

/// The argument words of a simple command as written, redirections left out. For a
/// directive the subcommand (`ENSURE` in `VENV ENSURE`) is left out too.
pub fn raw_words(simple: &Simple, source: &Source) -> Vec<RawWord> {
    let range = simple.args.span.range();
    let Some(raw) = source.text().get(range.clone()) else {
        return Vec::new();
    };
    let mut words = split_with_offsets(raw)
        .into_iter()
        .filter(|(_, word)| !is_redirection(word))
        .map(|(offset, word)| RawWord {
            span: source.span(range.start + offset, range.start + offset + word.len()),
            text: word.to_string(),
        })
        .collect::<Vec<_>>();
    // Glued forms (`dir/b`) have the name inside the argument span: drop it.
    if let (Some(first), Some(name)) = (words.first_mut(), simple.name.literal()) {
        if first.text.len() >= name.len()
            && first.text.is_char_boundary(name.len())
            && first.text[..name.len()].eq_ignore_ascii_case(&name)
            && simple.args.span.offset <= simple.name.span.offset
        {
            let rest = first.text[name.len()..].to_string();
            first.span.offset += name.len();
            first.span.column += name.len() as u32;
            first.span.len = rest.len();
            first.text = rest;
        }
    }
    words.retain(|word| !word.text.is_empty());
    if matches!(simple.builtin, Some(crate::syntax::ast::Builtin::Directive(kind)) if kind.display_name().contains(' '))
        && !words.is_empty()
    {
        words.remove(0);
    }
    words
}

fn is_redirection(word: &str) -> bool {
    let rest = word.trim_start_matches(|c: char| c.is_ascii_digit());
    rest.starts_with('>') || rest.starts_with('<')
}

/// Splits on blanks outside quotes; `^x` keeps x in the word. Returns byte offsets.
fn split_with_offsets(raw: &str) -> Vec<(usize, &str)> {
    let mut words = Vec::new();
    let mut start = None;
    let mut in_quotes = false;
    let mut escaped = false;
    for (index, c) in raw.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        let blank = c == ' ' || c == '\t' || c == '\r' || c == '\n';
        if blank && !in_quotes {
            if let Some(from) = start.take() {
                words.push((from, &raw[from..index]));
            }
            continue;
        }
        if start.is_none() {
            start = Some(index);
        }
        match c {
            '"' => in_quotes = !in_quotes,
            '^' if !in_quotes => escaped = true,
            _ => {}
        }
    }
    if let Some(from) = start {
        words.push((from, &raw[from..]));
    }
    words
}

#[cfg(test)]
mod tests {
    use super::split_with_offsets;

    #[test]
    fn splits_on_blanks_outside_quotes() {
        assert_eq!(
            split_with_offsets(r#"/q /s "a b" c^ d"#),
            vec![(0, "/q"), (3, "/s"), (6, "\"a b\""), (12, "c^ d")]
        );
    }
}
