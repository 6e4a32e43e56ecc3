//! Expansion pieces that need no interpreter state: variable edits (`:~s,l`, `:a=b`),
//! `~` modifiers, `!VAR!` delayed expansion, and splitting expanded text into words.
//!
//! Splitting never produces operators: a `&`, `|`, `<`, `>` or `(` that came out of an
//! expansion stays text. Quotes group words and are the only thing splitting looks at.

use crate::syntax::ast::VariableEdit;

mod modifiers;
mod words;

pub use modifiers::{normalize, path_modifiers};
pub use words::{first_word, split_words, strip_quotes, Split};

/// Applies `:~start,len` or `:old=new` to a value, as cmd does.
pub fn apply_edit(value: &str, edit: &VariableEdit) -> String {
    match edit {
        VariableEdit::Substring { start, len } => {
            let chars: Vec<char> = value.chars().collect();
            let count = chars.len() as i64;
            let from = if *start < 0 {
                (count + start).max(0)
            } else {
                (*start).min(count)
            };
            let to = match len {
                None => count,
                Some(len) if *len < 0 => (count + len).max(from),
                Some(len) => (from + len).min(count),
            };
            chars[from as usize..to.max(from) as usize].iter().collect()
        }
        VariableEdit::Replace {
            find,
            with,
            up_to_first,
        } => {
            if find.is_empty() {
                return value.to_string();
            }
            let lower_value = value.to_lowercase();
            let lower_find = find.to_lowercase();
            if lower_value.len() != value.len() || lower_find.len() != find.len() {
                // Lowercasing changed byte lengths: fall back to a case-sensitive edit.
                return if *up_to_first {
                    match value.find(find.as_str()) {
                        Some(at) => format!("{with}{}", &value[at + find.len()..]),
                        None => value.to_string(),
                    }
                } else {
                    value.replace(find.as_str(), with)
                };
            }
            if *up_to_first {
                return match lower_value.find(&lower_find) {
                    Some(at) => format!("{with}{}", &value[at + find.len()..]),
                    None => value.to_string(),
                };
            }
            let mut out = String::new();
            let mut rest = 0;
            for (at, _) in lower_value.match_indices(&lower_find) {
                if at < rest {
                    continue;
                }
                out.push_str(&value[rest..at]);
                out.push_str(with);
                rest = at + find.len();
            }
            out.push_str(&value[rest..]);
            out
        }
    }
}

/// Parses the edit of a delayed `!NAME:edit!` (the parser handles the `%` form).
fn parse_edit(text: &str) -> Option<VariableEdit> {
    if let Some(range) = text.strip_prefix('~') {
        let mut numbers = range.split(',').map(|n| n.trim().parse::<i64>());
        let start = numbers.next()?.ok()?;
        let len = match numbers.next() {
            Some(len) => Some(len.ok()?),
            None => None,
        };
        return Some(VariableEdit::Substring { start, len });
    }
    let (find, with) = text.split_once('=')?;
    let (find, up_to_first) = match find.strip_prefix('*') {
        Some(find) => (find, true),
        None => (find, false),
    };
    Some(VariableEdit::Replace {
        find: find.to_string(),
        with: with.to_string(),
        up_to_first,
    })
}

/// A `%` expansion pass over plain text (CALL expands its line a second time): `%%` is
/// `%`, `%NAME%` and `%NAME:edit%` read `lookup`, `%0`-`%9`, `%*` and `%~mods1` read
/// `parameter` (given the modifiers, the tilde and the index; `None` for `%*`).
pub fn percent_pass(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
    parameter: &dyn Fn(&str, bool, Option<u8>) -> String,
) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if let Some(tail) = after.strip_prefix('%') {
            out.push('%');
            rest = tail;
            continue;
        }
        if let Some(tail) = after.strip_prefix('*') {
            out.push_str(&parameter("", false, None));
            rest = tail;
            continue;
        }
        let (tilde, body) = match after.strip_prefix('~') {
            Some(body) => (true, body),
            None => (false, after),
        };
        let modifiers_len = if tilde {
            body.find(|c: char| !"fdpnxsatz".contains(c.to_ascii_lowercase()))
                .unwrap_or(body.len())
        } else {
            0
        };
        if let Some(digit) = body[modifiers_len..]
            .chars()
            .next()
            .filter(char::is_ascii_digit)
        {
            out.push_str(&parameter(
                &body[..modifiers_len],
                tilde,
                Some(digit as u8 - b'0'),
            ));
            rest = &body[modifiers_len + 1..];
            continue;
        }
        match after.find('%') {
            Some(end) if end > 0 => {
                push_variable(&after[..end], lookup, &mut out);
                rest = &after[end + 1..];
            }
            _ => rest = after,
        }
    }
    out.push_str(rest);
    out
}

/// Delayed expansion: replaces `!NAME!` and `!NAME:edit!` using `lookup`. An undefined
/// name expands to nothing, a lone `!` is dropped, and `^` escapes the next character
/// (cmd's caret pass when the text holds a `!`).
pub fn delayed(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    if !text.contains('!') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '^' => {
                if let Some((_, next)) = chars.next() {
                    out.push(next);
                }
            }
            '!' => {
                let rest = &text[at + 1..];
                match rest.find('!') {
                    Some(end) if end > 0 => {
                        let inner = &rest[..end];
                        push_variable(inner, lookup, &mut out);
                        for _ in 0..=inner.chars().count() {
                            chars.next();
                        }
                    }
                    _ => {}
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// Appends the value of `NAME` or `NAME:edit` (the text between the `%` or `!` marks);
/// an undefined name adds nothing.
fn push_variable(inner: &str, lookup: &dyn Fn(&str) -> Option<String>, out: &mut String) {
    let (name, edit) = match inner.split_once(':') {
        Some((name, edit)) => (name, parse_edit(edit)),
        None => (inner, None),
    };
    if let Some(value) = lookup(name) {
        match edit {
            Some(edit) => out.push_str(&apply_edit(&value, &edit)),
            None => out.push_str(&value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_substrings_and_replacements() {
        let sub = |start, len| VariableEdit::Substring { start, len };
        assert_eq!(apply_edit("abcdef", &sub(1, Some(3))), "bcd");
        assert_eq!(apply_edit("abcdef", &sub(-2, None)), "ef");
        assert_eq!(apply_edit("abcdef", &sub(0, Some(-2))), "abcd");
        let replace = VariableEdit::Replace {
            find: "B".into(),
            with: "x".into(),
            up_to_first: false,
        };
        assert_eq!(apply_edit("abcabc", &replace), "axcaxc");
    }

    #[test]
    fn call_expands_percent_a_second_time() {
        let lookup = |name: &str| (name == "X").then(|| "abcd".to_string());
        let parameter = |_: &str, _: bool, index: Option<u8>| match index {
            Some(n) => format!("<{n}>"),
            None => "<all>".to_string(),
        };
        assert_eq!(
            percent_pass("%X% %X:~1,2% %1 %* 100%% %Y% x", &lookup, &parameter),
            "abcd bc <1> <all> 100%  x"
        );
    }

    #[test]
    fn delayed_expansion_reads_at_run_time() {
        let lookup = |name: &str| (name.eq_ignore_ascii_case("x")).then(|| "value".to_string());
        assert_eq!(
            delayed("[!x!] [!y!] [!x:~1,2!] a^!b", &lookup),
            "[value] [] [al] a!b"
        );
    }
}
