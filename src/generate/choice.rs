//! A decision and the reason `--explain` gives for it: the one shape every gen-deploy
//! decision takes.

use serde::Serialize;

/// A decision and why it was made (`runtime.txt`, `--python`, `the default`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Choice<T> {
    /// What was decided.
    pub value: T,
    /// Why: the file or flag that decided it.
    pub because: String,
}

impl<T> Choice<T> {
    /// `value`, decided `because`.
    pub fn new(value: T, because: impl Into<String>) -> Choice<T> {
        Choice {
            value,
            because: because.into(),
        }
    }
}
