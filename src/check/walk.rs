//! Visiting every command of a script, with where it stands.

use crate::syntax::ast::{
    Command, CommandKind, Condition, ForVariant, RedirectKind, Script, StatementKind, Text,
};

/// Where a visited command stands.
#[derive(Clone, Copy, Debug, Default)]
pub struct Place {
    /// How many blocks `( ... )` enclose the command.
    pub block_depth: usize,
}

/// Calls `visit` for every command of the script, outermost first.
pub fn each_command(script: &Script, visit: &mut dyn FnMut(&Command, Place)) {
    for statement in &script.statements {
        if let StatementKind::Command(command) = &statement.kind {
            walk(command, Place::default(), visit);
        }
    }
}

/// Calls `visit` for `command` and every command inside it.
pub fn walk(command: &Command, place: Place, visit: &mut dyn FnMut(&Command, Place)) {
    visit(command, place);
    match &command.kind {
        CommandKind::Block(block) => {
            let inner = Place {
                block_depth: place.block_depth + 1,
            };
            for command in &block.body {
                walk(command, inner, visit);
            }
        }
        CommandKind::If(if_command) => {
            walk(&if_command.then, place, visit);
            if let Some(otherwise) = &if_command.otherwise {
                walk(otherwise, place, visit);
            }
        }
        CommandKind::For(for_command) => walk(&for_command.body, place, visit),
        CommandKind::Binary(binary) => {
            walk(&binary.left, place, visit);
            walk(&binary.right, place, visit);
        }
        CommandKind::Simple(_) | CommandKind::Comment(_) | CommandKind::EmptyBlock => {}
    }
}

/// The texts a command itself holds (not those of nested commands): name, arguments,
/// redirection targets, IF operands, FOR set.
pub fn own_texts(command: &Command) -> Vec<&Text> {
    let mut texts = Vec::new();
    match &command.kind {
        CommandKind::Simple(simple) => {
            texts.push(&simple.name);
            texts.push(&simple.args);
            texts.extend(
                simple
                    .redirects
                    .iter()
                    .filter_map(|r| redirect_text(&r.kind)),
            );
        }
        CommandKind::Block(block) => {
            texts.extend(
                block
                    .redirects
                    .iter()
                    .filter_map(|r| redirect_text(&r.kind)),
            );
        }
        CommandKind::If(if_command) => match &if_command.condition {
            Condition::Exist(text) | Condition::Defined(text) | Condition::ErrorLevel(text) => {
                texts.push(text)
            }
            Condition::Compare { left, right, .. } => {
                texts.push(left);
                texts.push(right);
            }
        },
        CommandKind::For(for_command) => {
            texts.push(&for_command.set);
            match &for_command.variant {
                ForVariant::Recursive(Some(text)) | ForVariant::Lines(Some(text)) => {
                    texts.push(text)
                }
                _ => {}
            }
        }
        CommandKind::Binary(_) | CommandKind::Comment(_) | CommandKind::EmptyBlock => {}
    }
    texts
}

fn redirect_text(kind: &RedirectKind) -> Option<&Text> {
    match kind {
        RedirectKind::Write(text) | RedirectKind::Append(text) | RedirectKind::Read(text) => {
            Some(text)
        }
        RedirectKind::Duplicate(_) => None,
    }
}
