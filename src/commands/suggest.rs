//! "Did you mean": the closest known name to a misspelled one, by edit distance.

/// The known name closest to `written` (compared without case and without a leading
/// `/`), when it is close enough to be a typo: at most one edit, or one per five letters
/// of the known name. Words shorter than three letters get no suggestion (`/Z` is not a
/// typo of `/Y`).
pub fn closest<'a>(written: &str, known: &[&'a str]) -> Option<&'a str> {
    let plain = |word: &str| word.trim_start_matches('/').to_ascii_lowercase();
    let written = plain(written);
    if written.chars().count() < 3 {
        return None;
    }
    known
        .iter()
        .map(|candidate| (edit_distance(&written, &plain(candidate)), *candidate))
        .filter(|(distance, candidate)| {
            *distance > 0 && *distance <= 1.max(plain(candidate).chars().count() / 5)
        })
        .min()
        .map(|(_, candidate)| candidate)
}

/// The Levenshtein distance between two strings: the fewest single-character insertions,
/// deletions and substitutions that turn `a` into `b`.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            current.push(
                (previous[j] + cost)
                    .min(previous[j + 1] + 1)
                    .min(current[j] + 1),
            );
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_typos_only() {
        assert_eq!(edit_distance("selct", "select"), 1);
        assert_eq!(closest("SELCT", &["select"]), Some("select"));
        assert_eq!(
            closest("colectstatic", &["collectstatic"]),
            Some("collectstatic")
        );
        assert_eq!(
            closest("/INSTALER", &["/INSTALLER", "/SYNC"]),
            Some("/INSTALLER")
        );
        assert_eq!(closest("uninstall", &["install"]), None);
        assert_eq!(closest("/Z", &["/Y"]), None);
        assert_eq!(closest("select", &["select"]), None);
    }
}
