//! Decoding a script's bytes into text, and mapping byte offsets to lines and columns.

use crate::span::Span;
use std::path::{Path, PathBuf};

/// A decoded script: its path (as the user named it), its text and a line index.
///
/// Decoding accepts UTF-8 with or without a byte-order mark, and UTF-16LE with one.
/// Line ends stay as they were (LF or CRLF); the grammar accepts both.
#[derive(Clone, Debug)]
pub struct Source {
    path: PathBuf,
    text: String,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
}

/// Why a script's bytes could not be read as text.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// UTF-16LE input with an odd number of bytes or an unpaired surrogate.
    #[error("the file starts with a UTF-16LE byte-order mark but is not valid UTF-16LE")]
    BadUtf16,
}

impl Source {
    /// Decodes `bytes` read from `path`. Bytes that are not valid UTF-8 are replaced with
    /// U+FFFD (the script may still parse; the replaced text will show in messages).
    pub fn decode(path: impl Into<PathBuf>, bytes: &[u8]) -> Result<Source, DecodeError> {
        let text = if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
            if rest.len() % 2 != 0 {
                return Err(DecodeError::BadUtf16);
            }
            let units: Vec<u16> = rest
                .chunks_exact(2)
                .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
                .collect();
            String::from_utf16(&units).map_err(|_| DecodeError::BadUtf16)?
        } else {
            let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
            String::from_utf8_lossy(body).into_owned()
        };
        Ok(Source::from_text(path, text))
    }

    /// Wraps text that is already decoded (scripts built in memory, tests).
    pub fn from_text(path: impl Into<PathBuf>, text: impl Into<String>) -> Source {
        let text = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Source {
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// Reads and decodes a file.
    pub fn read(path: &Path) -> anyhow::Result<Source> {
        use anyhow::Context;
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))?;
        Source::decode(path, &bytes).with_context(|| format!("cannot decode `{}`", path.display()))
    }

    /// The path the script was read from, as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The decoded text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line_index = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line_index];
        let column = self.text[start..offset].chars().count() + 1;
        (line_index as u32 + 1, column as u32)
    }

    /// A span for the byte range `start..end`.
    pub fn span(&self, start: usize, end: usize) -> Span {
        let (line, column) = self.line_column(start);
        Span {
            offset: start,
            len: end.saturating_sub(start),
            line,
            column,
        }
    }

    /// The text of 1-based line `line`, without its line end.
    pub fn line_text(&self, line: u32) -> &str {
        let index = (line as usize).saturating_sub(1);
        let Some(&start) = self.line_starts.get(index) else {
            return "";
        };
        let end = self
            .line_starts
            .get(index + 1)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_bom_and_utf16le() {
        let utf8 = Source::decode("a.cmd", b"\xEF\xBB\xBFecho hi\r\n").unwrap();
        assert_eq!(utf8.text(), "echo hi\r\n");
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "echo \u{e9}\r\n".encode_utf16() {
            utf16.extend(unit.to_le_bytes());
        }
        let decoded = Source::decode("b.cmd", &utf16).unwrap();
        assert_eq!(decoded.text(), "echo \u{e9}\r\n");
        assert!(matches!(
            Source::decode("c.cmd", &[0xFF, 0xFE, 0x41]),
            Err(DecodeError::BadUtf16)
        ));
    }

    #[test]
    fn maps_offsets_to_lines_and_character_columns() {
        let source = Source::from_text("x.cmd", "ab\r\n\u{e9}cd\nlast");
        assert_eq!(source.line_column(0), (1, 1));
        assert_eq!(source.line_column(4), (2, 1));
        // `c` comes after the two-byte é: column 2.
        assert_eq!(source.line_column(6), (2, 2));
        assert_eq!(source.line_column(9), (3, 1));
        assert_eq!(source.line_text(1), "ab");
        assert_eq!(source.line_text(3), "last");
        assert_eq!(source.line_text(9), "");
    }
}
