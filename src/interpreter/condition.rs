//! IF: its conditions (EXIST, DEFINED, ERRORLEVEL, comparisons) and its branches.

use super::expand;
use super::io::Io;
use super::machine::{Flow, Machine};
use crate::syntax::ast::{CompareOp, Condition, If};
use std::path::Path;

impl Machine<'_> {
    pub(crate) fn exec_if(&mut self, if_command: &If, io: &Io) -> Flow {
        let holds = match &if_command.condition {
            Condition::Exist(path) => {
                let word = self.expand(path);
                let word = expand::strip_quotes(&word).to_string();
                match self.path(&word) {
                    Ok(path) => exists_with_wildcards(&path),
                    Err(flow) => return flow,
                }
            }
            Condition::Defined(name) => {
                let name = self.expand(name);
                self.lookup_now(&name).is_some()
            }
            Condition::ErrorLevel(level) => {
                let level = self.expand(level);
                match super::builtins::set::parse_number(level.trim()) {
                    Some(level) => self.errorlevel as i64 >= level,
                    None => false,
                }
            }
            Condition::Compare { left, op, right } => {
                let left = self.expand(left);
                let right = self.expand(right);
                compare(&left, *op, &right, if_command.case_insensitive)
            }
        };
        if holds != if_command.negated {
            self.exec(&if_command.then, io)
        } else if let Some(otherwise) = &if_command.otherwise {
            self.exec(otherwise, io)
        } else {
            Flow::Normal
        }
    }
}

/// Whether a path exists; a name with `*` or `?` exists when something matches it.
fn exists_with_wildcards(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !name.contains(['*', '?']) {
        return path.exists();
    }
    let folder = path.parent().unwrap_or(Path::new("."));
    super::builtins::files::matching(folder, &name, |_| true)
        .next()
        .is_some()
}

/// IF's comparison: numbers when both sides are numbers, text otherwise.
fn compare(left: &str, op: CompareOp, right: &str, case_insensitive: bool) -> bool {
    use std::cmp::Ordering;
    let numbers = (
        super::builtins::set::parse_number(left),
        super::builtins::set::parse_number(right),
    );
    let ordering = match (op, numbers) {
        (CompareOp::StrEq, _) => {
            return if case_insensitive {
                left.to_lowercase() == right.to_lowercase()
            } else {
                left == right
            }
        }
        (_, (Some(a), Some(b))) => a.cmp(&b),
        _ if case_insensitive => left.to_lowercase().cmp(&right.to_lowercase()),
        _ => left.cmp(right),
    };
    match op {
        CompareOp::StrEq | CompareOp::Equ => ordering == Ordering::Equal,
        CompareOp::Neq => ordering != Ordering::Equal,
        CompareOp::Lss => ordering == Ordering::Less,
        CompareOp::Leq => ordering != Ordering::Greater,
        CompareOp::Gtr => ordering == Ordering::Greater,
        CompareOp::Geq => ordering != Ordering::Less,
    }
}
