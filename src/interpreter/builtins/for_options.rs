//! The options of `FOR /F` (`tokens=`, `delims=`, `skip=`, `eol=`, `usebackq`) and how a
//! line is cut into the values of the loop variables.

use crate::interpreter::expand;

/// The options of `FOR /F`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LineOptions {
    /// Token numbers (1-based, sorted) to assign.
    pub tokens: Vec<usize>,
    /// `*` after the last token: the rest of the line goes to the next variable.
    pub rest: bool,
    /// Characters that separate tokens.
    pub delims: Vec<char>,
    /// Lines to skip at the start.
    pub skip: usize,
    /// Lines starting with this character are ignored.
    pub eol: Option<char>,
    /// Back quotes run commands, double quotes name files.
    pub usebackq: bool,
}

impl Default for LineOptions {
    fn default() -> Self {
        LineOptions {
            tokens: vec![1],
            rest: false,
            delims: vec![' ', '\t'],
            skip: 0,
            eol: Some(';'),
            usebackq: false,
        }
    }
}

/// An option text `FOR /F` cannot use. Its text is cmd's own message, which the script's
/// stderr shows (the loop does not run and ERRORLEVEL is 1).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum LineOptionsError {
    /// A word that is no option (`tokenz=1`).
    #[error("{0} was unexpected at this time.")]
    UnknownOption(String),
    /// An option whose value is not a number or a token list (`skip=x`, `tokens=a`).
    #[error("{0} was unexpected at this time.")]
    BadValue(String),
}

const KEYWORDS: [&str; 5] = ["tokens=", "delims=", "skip=", "eol=", "usebackq"];

/// Parses `"tokens=1,2* delims=, skip=1 eol=# usebackq"`.
pub(crate) fn parse_line_options(text: &str) -> Result<LineOptions, LineOptionsError> {
    let mut options = LineOptions::default();
    let mut rest = expand::strip_quotes(text.trim());
    while !rest.is_empty() {
        rest = rest.trim_start_matches(' ');
        let lower = rest.to_ascii_lowercase();
        let Some(keyword) = KEYWORDS.iter().find(|k| lower.starts_with(**k)) else {
            if rest.is_empty() {
                break;
            }
            return Err(LineOptionsError::UnknownOption(rest.to_string()));
        };
        rest = &rest[keyword.len()..];
        // A value runs to the next space, except delims and eol, which may hold a space.
        let end = if *keyword == "delims=" {
            next_keyword(rest).unwrap_or(rest.len())
        } else if *keyword == "eol=" {
            rest.chars().next().map_or(0, char::len_utf8)
        } else {
            rest.find(' ').unwrap_or(rest.len())
        };
        let value = &rest[..end];
        rest = &rest[end..];
        match *keyword {
            "tokens=" => parse_tokens(value, &mut options)?,
            "delims=" => options.delims = value.chars().collect(),
            "skip=" => {
                options.skip = value
                    .parse()
                    .map_err(|_| LineOptionsError::BadValue(value.to_string()))?
            }
            "eol=" => options.eol = value.chars().next(),
            _ => options.usebackq = true,
        }
    }
    Ok(options)
}

fn next_keyword(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    lower
        .match_indices(' ')
        .map(|(at, _)| at)
        .find(|at| KEYWORDS.iter().any(|k| lower[at + 1..].starts_with(k)))
}

fn parse_tokens(value: &str, options: &mut LineOptions) -> Result<(), LineOptionsError> {
    let mut tokens = Vec::new();
    let mut spec = value;
    if let Some(stripped) = spec.strip_suffix('*') {
        options.rest = true;
        spec = stripped.trim_end_matches(',');
    }
    for item in spec.split(',').filter(|item| !item.is_empty()) {
        let bad = || LineOptionsError::BadValue(value.to_string());
        match item.split_once('-') {
            Some((from, to)) => {
                let (from, to): (usize, usize) = (
                    from.parse().map_err(|_| bad())?,
                    to.parse().map_err(|_| bad())?,
                );
                tokens.extend(from.max(1)..=to.min(31));
            }
            None => tokens.push(item.parse::<usize>().map_err(|_| bad())?.max(1)),
        }
    }
    tokens.sort_unstable();
    tokens.dedup();
    options.tokens = tokens;
    Ok(())
}

/// The values one line gives the loop variables, or `None` when the line is skipped.
pub(crate) fn split_line(line: &str, options: &LineOptions) -> Option<Vec<String>> {
    if line.is_empty() || options.eol.is_some_and(|eol| line.starts_with(eol)) {
        return None;
    }
    let is_delim = |c: char| options.delims.contains(&c);
    // Start offsets and texts of the tokens.
    let mut tokens: Vec<(usize, &str)> = Vec::new();
    let mut start = None;
    for (at, c) in line.char_indices() {
        match (is_delim(c), start) {
            (true, Some(from)) => {
                tokens.push((from, &line[from..at]));
                start = None;
            }
            (false, None) => start = Some(at),
            _ => {}
        }
    }
    if let Some(from) = start {
        tokens.push((from, &line[from..]));
    }
    let mut values: Vec<String> = options
        .tokens
        .iter()
        .map(|n| {
            tokens
                .get(n - 1)
                .map_or(String::new(), |(_, t)| t.to_string())
        })
        .collect();
    if options.rest {
        let last = options.tokens.last().copied().unwrap_or(0);
        let rest = match tokens.get(last) {
            Some((from, _)) => line[*from..].to_string(),
            None => String::new(),
        };
        values.push(rest);
    }
    if values.iter().all(String::is_empty) {
        return None;
    }
    Some(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_options_and_splits_lines() {
        let options = parse_line_options("\"tokens=1,3* delims=,; skip=1 eol=#\"").unwrap();
        assert_eq!(options.tokens, vec![1, 3]);
        assert!(options.rest);
        assert_eq!(options.delims, vec![',', ';']);
        assert_eq!(options.skip, 1);
        assert_eq!(options.eol, Some('#'));
        assert_eq!(
            parse_line_options("skip=x").unwrap_err().to_string(),
            "x was unexpected at this time."
        );
        assert_eq!(
            parse_line_options("tokenz=1").unwrap_err(),
            LineOptionsError::UnknownOption("tokenz=1".into())
        );
        assert_eq!(
            split_line("a,b;c,d e", &options),
            Some(vec!["a".into(), "c".into(), "d e".into()])
        );
        assert_eq!(split_line("#comment", &options), None);
        let whole = parse_line_options("tokens=* delims=").unwrap();
        assert_eq!(
            split_line("  two words", &whole),
            Some(vec!["  two words".into()])
        );
    }
}
