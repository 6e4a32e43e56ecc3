//! Splitting expanded text into words: batch parameters, builtin arguments, program
//! arguments. Quotes group words; nothing here ever produces an operator.

/// Removes one pair of surrounding quotes (or a leading quote with no partner), as `%~1`.
pub fn strip_quotes(word: &str) -> &str {
    let word = word.strip_prefix('"').unwrap_or(word);
    word.strip_suffix('"').unwrap_or(word)
}

/// How a command line is split into words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    /// Batch parameters (`%1`...): separated by blanks, `,`, `;` and `=`; quotes kept.
    Parameters,
    /// Builtin arguments: separated by blanks; quotes group and are removed.
    Builtin,
    /// Program arguments, as a Windows program parses its command line: blanks separate,
    /// quotes group and are removed, `\"` is a literal quote.
    Program,
}

/// Splits expanded text into words. Never produces operators.
pub fn split_words(text: &str, how: Split) -> Vec<String> {
    let is_separator = |c: char| match how {
        Split::Parameters => matches!(c, ' ' | '\t' | ',' | ';' | '=' | '\u{0B}' | '\u{0C}'),
        _ => matches!(c, ' ' | '\t' | '\u{0B}' | '\u{0C}'),
    };
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && how == Split::Program {
            let mut slashes = 1;
            while chars.peek() == Some(&'\\') {
                chars.next();
                slashes += 1;
            }
            if chars.peek() == Some(&'"') {
                word.push_str(&"\\".repeat(slashes / 2));
                if slashes % 2 == 1 {
                    chars.next();
                    word.push('"');
                }
            } else {
                word.push_str(&"\\".repeat(slashes));
            }
            in_word = true;
            continue;
        }
        if c == '"' {
            quoted = !quoted;
            in_word = true;
            if how == Split::Parameters {
                word.push(c);
            }
            continue;
        }
        if !quoted && is_separator(c) {
            if in_word {
                words.push(std::mem::take(&mut word));
                in_word = false;
            }
            continue;
        }
        word.push(c);
        in_word = true;
    }
    if in_word {
        words.push(word);
    }
    words
}

/// The first word of a command line (quotes kept) and the rest after one separator.
pub fn first_word(text: &str) -> (&str, &str) {
    let text = text.trim_start_matches([' ', '\t']);
    let mut quoted = false;
    for (at, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ' ' | '\t' if !quoted => return (&text[..at], &text[at + 1..]),
            _ => {}
        }
    }
    (text, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_without_operators() {
        assert_eq!(
            split_words("a \"b c\" & d", Split::Builtin),
            ["a", "b c", "&", "d"]
        );
        assert_eq!(
            split_words("a,b;c=d \"e f\"", Split::Parameters),
            ["a", "b", "c", "d", "\"e f\""]
        );
        assert_eq!(
            split_words(r#"x\"y "a\\" z"#, Split::Program),
            ["x\"y", "a\\", "z"]
        );
    }
}
