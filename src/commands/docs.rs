//! The switch table of docs/language.md, rendered from the commands table (a test keeps
//! the docs equal to it).

use super::{all, CommandSpec};

/// The markdown table of every command that reads switches: one row per switch, with
/// its value as written (`/T n`, `/INSTALLER pip|uv`) and what it does.
pub fn switch_table_markdown() -> String {
    let mut out = String::from("| Command | Switch | What it does |\n|---|---|---|\n");
    for spec in all().iter().filter(|spec| spec.reads_switches) {
        let command = command_cell(spec);
        if spec.switches.is_empty() {
            out.push_str(&format!("| {command} | | takes no switches |\n"));
        }
        for (index, switch) in spec.switches.iter().enumerate() {
            let command = if index == 0 { command.as_str() } else { "" };
            let usage = switch.usage().replace('|', "\\|");
            let what = switch.what.replace('|', "\\|");
            out.push_str(&format!("| {command} | `{usage}` | {what} |\n"));
        }
    }
    out
}

/// `MD` / `MKDIR`, or a directive's two words.
fn command_cell(spec: &CommandSpec) -> String {
    if spec.subcommand.is_some() || spec.names.len() == 1 {
        return format!("`{}`", spec.display);
    }
    spec.names
        .iter()
        .map(|name| format!("`{}`", name.to_ascii_uppercase()))
        .collect::<Vec<_>>()
        .join(" / ")
}
