//! TIME /T and DATE /T: the current local time (`14:05`) and date (`Wed 12/02/2026`,
//! en-US order). Without /T cmd would prompt for a new time or date, which a deploy
//! cannot answer: that is an error saying so.

use super::super::io::Io;
use super::super::machine::{Flow, Machine};
use crate::syntax::ast::Builtin;
use time::macros::format_description;
use time::OffsetDateTime;

impl Machine<'_> {
    /// TIME or DATE: prints the clock's value under /T, refuses to prompt otherwise.
    pub(super) fn clock(&mut self, builtin: Builtin, args: &str, io: &Io) -> Flow {
        let name = if builtin == Builtin::Time {
            "TIME"
        } else {
            "DATE"
        };
        if !args
            .split_whitespace()
            .any(|word| word.eq_ignore_ascii_case("/T"))
        {
            self.stderr(&format!(
                "{name} without /T would prompt for a new {}, and a deploy cannot answer: write `{name} /T`",
                name.to_ascii_lowercase()
            ));
            return self.set_result(1);
        }
        let now = OffsetDateTime::now_local().unwrap_or_else(|_| OffsetDateTime::now_utc());
        let text = if builtin == Builtin::Time {
            now.format(format_description!("[hour]:[minute]"))
        } else {
            now.format(format_description!(
                "[weekday repr:short] [month]/[day]/[year]"
            ))
        }
        .expect("a fixed format always formats");
        self.write(&io.stdout, &format!("{text}\n"));
        self.succeed()
    }
}
