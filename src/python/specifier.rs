//! `requires-python` specifiers from pyproject.toml (`>=3.9,<3.13`, `~=3.10`, `==3.11.*`).

use super::version::PythonVersion;
use std::cmp::Ordering;

/// One clause of a specifier, such as `>=3.9`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Clause {
    operator: Operator,
    parts: Vec<u32>,
    wildcard: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operator {
    Compatible,
    Equal,
    NotEqual,
    LessEqual,
    GreaterEqual,
    Less,
    Greater,
}

/// A parsed `requires-python` value: every clause must hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequiresPython {
    text: String,
    clauses: Vec<Clause>,
}

impl RequiresPython {
    /// Parses a comma-separated specifier; the error says which clause is not understood.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut clauses = Vec::new();
        for raw in text.split(',') {
            let clause = raw.trim();
            if clause.is_empty() {
                continue;
            }
            clauses.push(parse_clause(clause).ok_or_else(|| {
                format!(
                    "cannot read `{clause}` in requires-python `{}`",
                    text.trim()
                )
            })?);
        }
        if clauses.is_empty() {
            return Err(format!(
                "requires-python `{}` names no version",
                text.trim()
            ));
        }
        Ok(RequiresPython {
            text: text.trim().to_string(),
            clauses,
        })
    }

    /// The specifier as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// True when `version` satisfies every clause.
    pub fn matches(&self, version: &PythonVersion) -> bool {
        let have = [version.major, version.minor, version.patch];
        self.clauses.iter().all(|clause| clause.matches(&have))
    }
}

fn parse_clause(clause: &str) -> Option<Clause> {
    const OPERATORS: [(&str, Operator); 8] = [
        ("~=", Operator::Compatible),
        ("===", Operator::Equal),
        ("==", Operator::Equal),
        ("!=", Operator::NotEqual),
        ("<=", Operator::LessEqual),
        (">=", Operator::GreaterEqual),
        ("<", Operator::Less),
        (">", Operator::Greater),
    ];
    let (operator, rest) = OPERATORS
        .iter()
        .find_map(|(token, op)| clause.strip_prefix(token).map(|rest| (*op, rest.trim())))?;
    let (numbers, wildcard) = match rest.strip_suffix(".*") {
        Some(numbers) => (numbers, true),
        None => (rest, false),
    };
    if wildcard && !matches!(operator, Operator::Equal | Operator::NotEqual) {
        return None;
    }
    let parts: Vec<u32> = numbers
        .split('.')
        .map(|part| part.parse().ok())
        .collect::<Option<_>>()?;
    if parts.is_empty() || (operator == Operator::Compatible && parts.len() < 2) {
        return None;
    }
    Some(Clause {
        operator,
        parts,
        wildcard,
    })
}

/// Compares versions as PEP 440 does for release numbers: missing parts are zeros.
fn compare(have: &[u32], want: &[u32]) -> Ordering {
    let length = have.len().max(want.len());
    let at = |list: &[u32], index: usize| list.get(index).copied().unwrap_or(0);
    (0..length)
        .map(|index| at(have, index).cmp(&at(want, index)))
        .find(|ordering| ordering.is_ne())
        .unwrap_or(Ordering::Equal)
}

fn prefix_matches(have: &[u32], prefix: &[u32]) -> bool {
    prefix
        .iter()
        .enumerate()
        .all(|(index, part)| have.get(index).copied().unwrap_or(0) == *part)
}

impl Clause {
    fn matches(&self, have: &[u32]) -> bool {
        let ordering = compare(have, &self.parts);
        match self.operator {
            Operator::Equal if self.wildcard => prefix_matches(have, &self.parts),
            Operator::NotEqual if self.wildcard => !prefix_matches(have, &self.parts),
            Operator::Equal => ordering.is_eq(),
            Operator::NotEqual => !ordering.is_eq(),
            Operator::LessEqual => ordering.is_le(),
            Operator::GreaterEqual => ordering.is_ge(),
            Operator::Less => ordering.is_lt(),
            Operator::Greater => ordering.is_gt(),
            Operator::Compatible => {
                let prefix = &self.parts[..self.parts.len() - 1];
                ordering.is_ge() && prefix_matches(have, prefix)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepts(spec: &str, version: &str) -> bool {
        RequiresPython::parse(spec)
            .unwrap()
            .matches(&PythonVersion::parse(version).unwrap())
    }

    #[test]
    fn clauses_follow_pep_440_release_rules() {
        assert!(accepts(">=3.9,<3.13", "3.12.1"));
        assert!(!accepts(">=3.9,<3.13", "3.13.0"));
        assert!(accepts("~=3.10", "3.12.1"));
        assert!(!accepts("~=3.10", "3.9.18"));
        assert!(accepts("~=3.10.2", "3.10.13"));
        assert!(!accepts("~=3.10.2", "3.11.7"));
        assert!(accepts("==3.11.*", "3.11.7"));
        assert!(!accepts("!=3.11.*", "3.11.7"));
        assert!(accepts(">3.10", "3.10.13"));
    }

    #[test]
    fn unreadable_clauses_are_named() {
        assert_eq!(
            RequiresPython::parse(">=3.9, banana").unwrap_err(),
            "cannot read `banana` in requires-python `>=3.9, banana`"
        );
        assert!(RequiresPython::parse("~=3").is_err());
    }
}
