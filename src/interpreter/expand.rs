//! Expansion pieces that need no interpreter state: variable edits (`:~s,l`, `:a=b`),
//! `~` modifiers, `!VAR!` delayed expansion, and splitting expanded text into words.
//!
//! Splitting never produces operators: a `&`, `|`, `<`, `>` or `(` that came out of an
//! expansion stays text. Quotes group words and are the only thing splitting looks at.

use crate::ast::VariableEdit;
use std::path::Path;

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
                let inner = &after[..end];
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

/// Applies `~` modifiers (`f d p n x s a t z`, `$VAR:`) to a value naming a path.
/// Without letters the value only loses its quotes.
pub fn path_modifiers(
    value: &str,
    modifiers: &str,
    cwd: &Path,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> String {
    let bare = strip_quotes(value);
    let (letters, search) = match modifiers.find('$') {
        Some(at) => (
            &modifiers[..at],
            Some(modifiers[at + 1..].trim_end_matches(':')),
        ),
        None => (modifiers, None),
    };
    let letters = letters.to_ascii_lowercase();
    if letters.is_empty() && search.is_none() {
        return bare.to_string();
    }
    if bare.is_empty() {
        return String::new();
    }
    let forward = bare.replace('\\', "/");
    let mut full = if Path::new(&forward).is_absolute() {
        std::path::PathBuf::from(&forward)
    } else {
        cwd.join(&forward)
    };
    if let Some(variable) = search {
        let list = lookup(variable).unwrap_or_default();
        let found = list
            .split([';', ':'])
            .filter(|dir| !dir.is_empty())
            .map(|dir| Path::new(dir).join(&forward))
            .find(|candidate| candidate.exists());
        match found {
            Some(found) => full = found,
            None => return String::new(),
        }
    }
    let full = normalize(&full);
    let meta = std::fs::metadata(&full).ok();
    let name = full
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (stem, extension) = match name.rfind('.') {
        Some(at) if at > 0 => (name[..at].to_string(), name[at..].to_string()),
        _ => (name.clone(), String::new()),
    };
    let mut folder = full
        .parent()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !folder.ends_with('/') {
        folder.push('/');
    }
    let everything =
        letters.contains('f') || letters.contains('s') && !letters.contains(['d', 'p', 'n', 'x']);
    let wants_path = letters.contains(['f', 'd', 'p', 'n', 'x', 's']);
    let mut parts = Vec::new();
    if letters.contains('a') {
        parts.push(match &meta {
            Some(meta) if meta.is_dir() => "d--------".to_string(),
            Some(_) => "--a------".to_string(),
            None => String::new(),
        });
    }
    if letters.contains('t') {
        parts.push(
            meta.as_ref()
                .and_then(|m| m.modified().ok())
                .map(format_time)
                .unwrap_or_default(),
        );
    }
    if letters.contains('z') {
        parts.push(
            meta.as_ref()
                .filter(|m| m.is_file())
                .map(|m| m.len().to_string())
                .unwrap_or_default(),
        );
    }
    let mut path = String::new();
    if everything {
        path = full.to_string_lossy().into_owned();
    } else {
        if letters.contains('p') {
            path.push_str(&folder);
        }
        if letters.contains('n') {
            path.push_str(&stem);
        }
        if letters.contains('x') {
            path.push_str(&extension);
        }
    }
    if wants_path {
        parts.push(path);
    }
    parts.retain(|part| !part.is_empty());
    parts.join(" ")
}

/// `path` with `.` and `..` components resolved textually.
pub fn normalize(path: &Path) -> std::path::PathBuf {
    let mut out = std::path::PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn format_time(time: std::time::SystemTime) -> String {
    let time = time::OffsetDateTime::from(time);
    format!(
        "{:02}/{:02}/{:04} {:02}:{:02}",
        time.month() as u8,
        time.day(),
        time.year(),
        time.hour(),
        time.minute()
    )
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

    #[test]
    fn delayed_expansion_reads_at_run_time() {
        let lookup = |name: &str| (name.eq_ignore_ascii_case("x")).then(|| "value".to_string());
        assert_eq!(
            delayed("[!x!] [!y!] [!x:~1,2!] a^!b", &lookup),
            "[value] [] [al] a!b"
        );
    }
}
