//! A fact about the app: a value and the file it was read from.

use serde::Serialize;

/// One fact: a value and the file (relative to the app folder) it was read from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fact<T> {
    /// What was found.
    pub value: T,
    /// The file or folder it was found in, relative to the app folder, `/`-separated.
    pub file: String,
}

impl<T> Fact<T> {
    /// A fact `value` read from `file`.
    pub fn new(value: T, file: impl Into<String>) -> Fact<T> {
        Fact {
            value,
            file: file.into(),
        }
    }
}
