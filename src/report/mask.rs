//! Secret masking: the values of secret-looking variables never reach an output or a log.
//!
//! A [`Masker`] is built from the environment: the value of every variable whose name
//! contains `PASSWORD`, `SECRET`, `TOKEN` or `KEY` (case-insensitive), plus the variables
//! named with `--mask NAME`, is replaced by `***` wherever it appears. Output is masked at
//! the sink (the reporter and the deployment log), so program output and `--trace` lines
//! are covered by construction.
//!
//! Values that are not worth masking are skipped, because masking them would garble every
//! line and hide nothing:
//! - values shorter than [`MIN_SECRET_LEN`] (4) bytes, after trimming whitespace;
//! - for name-matched variables only (not `--mask` ones), the flag words `true`, `false`,
//!   `yes`, `no`, `none`, `null`, `on`, `off` (case-insensitive): `USE_KEY_VAULT=true` is a
//!   switch, not a secret.
//!
//! A multi-line value (a PEM key) is also masked line by line, so a line-oriented sink that
//! sees one line at a time still hides each of its lines. Matching uses one Aho-Corasick
//! automaton, leftmost-longest, so the cost per line does not grow with the number of
//! secrets.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::borrow::Cow;
use std::io::{self, Write};

/// What a secret is replaced by.
pub const MASK: &str = "***";

/// Values shorter than this many bytes (after trimming) are never masked.
pub const MIN_SECRET_LEN: usize = 4;

/// Substrings that make a variable name look secret (compared case-insensitively).
const SECRET_NAME_PARTS: [&str; 4] = ["PASSWORD", "SECRET", "TOKEN", "KEY"];

/// Values of secret-looking names that are switches, not secrets.
const FLAG_WORDS: [&str; 8] = ["true", "false", "yes", "no", "none", "null", "on", "off"];

/// Replaces known secret values by `***` in text; see the module documentation for which.
#[derive(Clone, Debug, Default)]
pub struct Masker {
    secrets: Vec<String>,
    automaton: Option<AhoCorasick>,
    /// The `--mask` names, for variables the script sets later.
    extra_names: Vec<String>,
}

impl Masker {
    /// A masker for the secrets found in `vars` (name, value pairs): values of names that
    /// look secret, and of the names listed in `extra_names` (`--mask`, case-insensitive).
    pub fn from_env<I, K, V>(vars: I, extra_names: &[String]) -> Masker
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut masker = Masker {
            extra_names: extra_names.to_vec(),
            ..Masker::default()
        };
        for (name, value) in vars {
            let (name, value) = (name.as_ref(), value.as_ref());
            if masker.is_secret(name, value) {
                masker.push(value);
            }
        }
        masker.rebuild();
        masker
    }

    /// Masks the value of variable `name` from now on, when it is a secret by the rules
    /// [`Masker::from_env`] uses (a variable the script `SET` while it ran).
    pub fn add_variable(&mut self, name: &str, value: &str) {
        if self.is_secret(name, value) {
            self.add_secret(value);
        }
    }

    fn is_secret(&self, name: &str, value: &str) -> bool {
        let explicit = self
            .extra_names
            .iter()
            .any(|n| n.eq_ignore_ascii_case(name));
        explicit || (name_looks_secret(name) && !is_flag_word(value))
    }

    /// Adds one secret value (a variable the script set while it ran, for example).
    /// Trivial values are ignored as described in the module documentation.
    pub fn add_secret(&mut self, value: &str) {
        if self.push(value) {
            self.rebuild();
        }
    }

    /// True when `name` looks like the name of a secret variable.
    pub fn is_secret_name(name: &str) -> bool {
        name_looks_secret(name)
    }

    /// How many distinct values are masked.
    pub fn len(&self) -> usize {
        self.secrets.len()
    }

    /// True when nothing is masked.
    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }

    /// `text` with every secret replaced by `***`; borrowed when nothing matched.
    pub fn mask<'a>(&self, text: &'a str) -> Cow<'a, str> {
        match &self.automaton {
            Some(automaton) if automaton.is_match(text) => {
                Cow::Owned(automaton.replace_all(text, &self.replacements()))
            }
            _ => Cow::Borrowed(text),
        }
    }

    /// Like [`Masker::mask`], for output that need not be UTF-8.
    pub fn mask_bytes<'a>(&self, bytes: &'a [u8]) -> Cow<'a, [u8]> {
        match &self.automaton {
            Some(automaton) if automaton.is_match(bytes) => {
                Cow::Owned(automaton.replace_all_bytes(bytes, &self.replacements()))
            }
            _ => Cow::Borrowed(bytes),
        }
    }

    /// One `***` per secret, as Aho-Corasick's `replace_all` wants (only built on a match).
    fn replacements(&self) -> Vec<&'static str> {
        vec![MASK; self.secrets.len()]
    }

    fn push(&mut self, value: &str) -> bool {
        let mut added = false;
        let candidates = std::iter::once(value).chain(value.lines());
        for candidate in candidates {
            let candidate = candidate.trim();
            if candidate.len() >= MIN_SECRET_LEN && !self.secrets.iter().any(|s| s == candidate) {
                self.secrets.push(candidate.to_owned());
                added = true;
            }
        }
        added
    }

    fn rebuild(&mut self) {
        self.automaton = if self.secrets.is_empty() {
            None
        } else {
            // Leftmost-longest: a secret that contains another is masked whole.
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&self.secrets)
                .ok()
        };
    }
}

fn name_looks_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    SECRET_NAME_PARTS.iter().any(|part| upper.contains(part))
}

fn is_flag_word(value: &str) -> bool {
    FLAG_WORDS
        .iter()
        .any(|w| w.eq_ignore_ascii_case(value.trim()))
}

/// A writer that masks secrets in what passes through it, a whole line at a time so that a
/// secret split across two writes is still found. The unfinished last line is masked and
/// written on [`flush`](Write::flush) and when the writer is dropped.
pub struct MaskingWriter<W: Write> {
    inner: W,
    masker: Masker,
    pending: Vec<u8>,
}

impl<W: Write> MaskingWriter<W> {
    /// Wraps `inner` so that everything written to it is masked by `masker`.
    pub fn new(inner: W, masker: Masker) -> MaskingWriter<W> {
        MaskingWriter {
            inner,
            masker,
            pending: Vec::new(),
        }
    }

    fn write_pending(&mut self, upto: usize) -> io::Result<()> {
        let masked = self.masker.mask_bytes(&self.pending[..upto]);
        self.inner.write_all(&masked)?;
        self.pending.drain(..upto);
        Ok(())
    }
}

impl<W: Write> Write for MaskingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if let Some(last_newline) = self.pending.iter().rposition(|&b| b == b'\n') {
            self.write_pending(last_newline + 1)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.write_pending(self.pending.len())?;
        self.inner.flush()
    }
}

impl<W: Write> Drop for MaskingWriter<W> {
    fn drop(&mut self) {
        // Errors cannot be reported from drop; callers that care call flush first.
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masker(vars: &[(&str, &str)], extra: &[&str]) -> Masker {
        let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        Masker::from_env(vars.iter().copied(), &extra)
    }

    #[test]
    fn secret_looking_names_are_masked_in_every_line() {
        let m = masker(
            &[
                ("DB_Password", "hunter2!x"),
                ("github_token", "ghp_abcdef"),
                ("API_KEY", "k3y-value"),
                ("PATH", "/usr/bin"),
            ],
            &[],
        );
        let text = "connect hunter2!x\nuse ghp_abcdef and k3y-value twice k3y-value\n/usr/bin";
        assert_eq!(
            m.mask(text),
            "connect ***\nuse *** and *** twice ***\n/usr/bin"
        );
    }

    #[test]
    fn trivial_values_and_flag_words_are_skipped_but_mask_names_are_honoured() {
        let m = masker(
            &[
                ("SHORT_KEY", "abc"),
                ("EMPTY_SECRET", ""),
                ("USE_KEY_VAULT", "true"),
                ("CONN", "Server=db;Pwd=abcd"),
                ("FLAG", "true"),
            ],
            &["conn", "FLAG"],
        );
        assert_eq!(m.len(), 2);
        assert_eq!(m.mask("abc true Server=db;Pwd=abcd"), "abc *** ***");
    }

    #[test]
    fn longest_secret_wins_and_multi_line_values_mask_each_line() {
        let m = masker(
            &[
                ("A_TOKEN", "abcd"),
                ("B_TOKEN", "abcdefgh"),
                ("PRIVATE_KEY", "-----BEGIN-----\nMIIEsecret\n-----END-----"),
            ],
            &[],
        );
        assert_eq!(m.mask("xabcdefghy abcd"), "x***y ***");
        assert_eq!(m.mask("line: MIIEsecret"), "line: ***");
    }

    #[test]
    fn writer_masks_a_secret_split_across_writes() {
        let m = masker(&[("MY_SECRET", "s3cr3t-value")], &[]);
        let mut out = Vec::new();
        {
            let mut writer = MaskingWriter::new(&mut out, m);
            writer.write_all(b"one s3cr3").unwrap();
            writer.write_all(b"t-value two\nthree s3cr3t-").unwrap();
            writer.write_all(b"value").unwrap();
        }
        assert_eq!(String::from_utf8(out).unwrap(), "one *** two\nthree ***");
    }
}
