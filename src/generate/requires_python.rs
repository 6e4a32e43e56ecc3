//! Whether a Python version satisfies a `requires-python` specifier (`>=3.10,<3.13`).
//! Only what version files can say is compared: release numbers, no pre-releases.

/// `Some(true)` when `version` (`3.11`, `3.11.7`) satisfies every clause of `spec`,
/// `Some(false)` when one clause fails, `None` when either cannot be read.
pub fn satisfies(version: &str, spec: &str) -> Option<bool> {
    let have = numbers(version)?;
    let mut all = true;
    for clause in spec
        .split(',')
        .map(str::trim)
        .filter(|clause| !clause.is_empty())
    {
        let operator_len = clause
            .find(|c: char| c.is_ascii_digit())
            .filter(|len| *len > 0)?;
        let operator = clause[..operator_len].trim();
        let wanted_text = clause[operator_len..].trim();
        let (wanted_text, wildcard) = match wanted_text.strip_suffix(".*") {
            Some(prefix) => (prefix, true),
            None => (wanted_text, false),
        };
        let wanted = numbers(wanted_text)?;
        let ok = match operator {
            "==" | "===" if wildcard => have.starts_with(&wanted),
            "!=" if wildcard => !have.starts_with(&wanted),
            "==" | "===" => compare(&have, &wanted).is_eq(),
            "!=" => compare(&have, &wanted).is_ne(),
            ">=" => compare(&have, &wanted).is_ge(),
            "<=" => compare(&have, &wanted).is_le(),
            ">" => compare(&have, &wanted).is_gt(),
            "<" => compare(&have, &wanted).is_lt(),
            "~=" => {
                // ~=3.11 means >=3.11, ==3.*; ~=3.11.2 means >=3.11.2, ==3.11.*
                let prefix = &wanted[..wanted.len().saturating_sub(1).max(1)];
                compare(&have, &wanted).is_ge() && have.starts_with(prefix)
            }
            _ => return None,
        };
        all &= ok;
    }
    Some(all)
}

/// `3.11.7` -> `[3, 11, 7]`; `None` when not all parts are numbers.
fn numbers(text: &str) -> Option<Vec<u64>> {
    text.split('.').map(|part| part.parse().ok()).collect()
}

/// Compares release numbers, missing parts counting as zero.
fn compare(left: &[u64], right: &[u64]) -> std::cmp::Ordering {
    let len = left.len().max(right.len());
    let at = |parts: &[u64], index: usize| parts.get(index).copied().unwrap_or(0);
    (0..len)
        .map(|index| at(left, index).cmp(&at(right, index)))
        .find(|order| order.is_ne())
        .unwrap_or(std::cmp::Ordering::Equal)
}

#[cfg(test)]
mod tests {
    use super::satisfies;

    #[test]
    fn clauses() {
        assert_eq!(satisfies("3.11", ">=3.10"), Some(true));
        assert_eq!(satisfies("3.9", ">=3.10"), Some(false));
        assert_eq!(satisfies("3.12.1", ">=3.10,<3.12"), Some(false));
        assert_eq!(satisfies("3.11.7", "==3.11.*"), Some(true));
        assert_eq!(satisfies("3.12", "~=3.11"), Some(true));
        assert_eq!(satisfies("3.12", "~=3.11.2"), Some(false));
        assert_eq!(satisfies("3.11", "!=3.11.*"), Some(false));
    }

    #[test]
    fn unreadable_is_none() {
        assert_eq!(satisfies("newest installed", ">=3.10"), None);
        assert_eq!(satisfies("3.11", "^3.10"), None);
    }
}
