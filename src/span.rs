//! Source positions carried by every AST node and diagnostic.

use serde::Serialize;

/// A range of a script's text: where a node or a problem is.
///
/// `line` and `column` are 1-based and count characters, as an editor shows them;
/// `offset` and `len` are byte positions into the decoded text, for slicing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    /// Byte offset of the first character in the decoded source text.
    pub offset: usize,
    /// Length in bytes.
    pub len: usize,
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub column: u32,
}

impl Span {
    /// The byte range this span covers, for slicing the source text.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.offset..self.offset + self.len
    }

    /// The smallest span that covers both `self` and `other` (`self` must start first).
    pub fn to(&self, other: Span) -> Span {
        let end = (other.offset + other.len).max(self.offset + self.len);
        Span {
            len: end - self.offset,
            ..*self
        }
    }
}
