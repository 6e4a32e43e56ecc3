//! A compact AST printer for parser tests: one line per node, indented by depth, each
//! with its span as `@line:col`, so a reviewer reads a snapshot at a glance.
//!
//! Text is shown between `«` and `»` exactly as parsed (quotes kept, escapes resolved),
//! with expansions inline: `{var A}`, `{var A:~-3,2}`, `{param ~dp 0}`, `{param *}`,
//! `{forvar ~nx a}`. Control characters and literal braces are escaped (`\r`, `\{`).

#![allow(dead_code)]

use deploy_script::diagnostic::render_all;
use deploy_script::source::Source;
use deploy_script::span::Span;
use deploy_script::syntax::ast::*;
use deploy_script::syntax::parser::Parsed;
use std::fmt::Write as _;

/// The printed AST of a whole script.
pub fn print_script(script: &Script) -> String {
    let mut out = String::new();
    for statement in &script.statements {
        match &statement.kind {
            StatementKind::Label(label) => {
                line(
                    &mut out,
                    0,
                    &format!("label {}", label.name),
                    label.name_span,
                );
            }
            StatementKind::Comment(text) => {
                line(
                    &mut out,
                    0,
                    &format!("comment «{}»", escape(text)),
                    statement.span,
                );
            }
            StatementKind::Command(command) => print_command(&mut out, 0, command),
        }
    }
    out
}

/// The printed AST followed by every diagnostic, rendered as users see them.
pub fn print_parsed(parsed: &Parsed, source: &Source) -> String {
    let mut out = print_script(&parsed.script);
    if !parsed.diagnostics.is_empty() {
        out.push_str("--- diagnostics ---\n");
        out.push_str(&render_all(&parsed.diagnostics, source));
    }
    out
}

/// One command node and its children.
pub fn print_command(out: &mut String, depth: usize, command: &Command) {
    let quiet = if command.quiet { "@" } else { "" };
    match &command.kind {
        CommandKind::Simple(simple) => {
            let mut head = format!("{quiet}simple {}", name(&simple.name));
            if let Some(builtin) = simple.builtin {
                let _ = write!(head, " [{}]", builtin_name(builtin));
            }
            if !simple.args.is_empty() {
                let _ = write!(head, " args={}", text(&simple.args));
            }
            line(out, depth, &head, command.span);
            for redirect in &simple.redirects {
                print_redirect(out, depth + 1, redirect);
            }
        }
        CommandKind::If(if_command) => {
            let mut head = format!("{quiet}if");
            if if_command.case_insensitive {
                head.push_str(" /i");
            }
            if if_command.negated {
                head.push_str(" not");
            }
            head.push(' ');
            head.push_str(&condition(&if_command.condition));
            line(out, depth, &head, command.span);
            indent(out, depth + 1);
            out.push_str("then\n");
            print_command(out, depth + 2, &if_command.then);
            if let Some(otherwise) = &if_command.otherwise {
                indent(out, depth + 1);
                out.push_str("else\n");
                print_command(out, depth + 2, otherwise);
            }
        }
        CommandKind::For(for_command) => {
            let mut head = format!("{quiet}for");
            match &for_command.variant {
                ForVariant::Plain => {}
                ForVariant::Dirs => head.push_str(" /d"),
                ForVariant::Range => head.push_str(" /l"),
                ForVariant::Recursive(root) => {
                    head.push_str(" /r");
                    if let Some(root) = root {
                        let _ = write!(head, " root={}", text(root));
                    }
                }
                ForVariant::Lines(options) => {
                    head.push_str(" /f");
                    if let Some(options) = options {
                        let _ = write!(head, " options={}", text(options));
                    }
                }
            }
            let _ = write!(
                head,
                " var={} set={}",
                for_command.variable,
                text(&for_command.set)
            );
            line(out, depth, &head, command.span);
            print_command(out, depth + 1, &for_command.body);
        }
        CommandKind::Block(block) => {
            line(out, depth, &format!("{quiet}block"), command.span);
            for inner in &block.body {
                print_command(out, depth + 1, inner);
            }
            for redirect in &block.redirects {
                print_redirect(out, depth + 1, redirect);
            }
        }
        CommandKind::Binary(binary) => {
            let op = match binary.op {
                Operator::Then => "&",
                Operator::And => "&&",
                Operator::Or => "||",
                Operator::Pipe => "|",
            };
            line(out, depth, &format!("{quiet}{op}"), command.span);
            print_command(out, depth + 1, &binary.left);
            print_command(out, depth + 1, &binary.right);
        }
        CommandKind::Comment(comment) => {
            line(
                out,
                depth,
                &format!("{quiet}comment «{}»", escape(comment)),
                command.span,
            );
        }
        CommandKind::EmptyBlock => line(out, depth, &format!("{quiet}empty-block"), command.span),
    }
}

fn print_redirect(out: &mut String, depth: usize, redirect: &Redirect) {
    let fd = redirect.fd;
    let head = match &redirect.kind {
        RedirectKind::Write(target) => format!("redirect {fd}> write {}", text(target)),
        RedirectKind::Append(target) => format!("redirect {fd}>> append {}", text(target)),
        RedirectKind::Read(target) => format!("redirect {fd}< read {}", text(target)),
        RedirectKind::Duplicate(to) => format!("redirect {fd}>&{to} duplicate"),
    };
    line(out, depth, &head, redirect.span);
}

fn condition(condition: &Condition) -> String {
    match condition {
        Condition::Exist(path) => format!("exist {}", text(path)),
        Condition::Defined(name) => format!("defined {}", text(name)),
        Condition::ErrorLevel(level) => format!("errorlevel {}", text(level)),
        Condition::Compare { left, op, right } => {
            let op = match op {
                CompareOp::StrEq => "==",
                CompareOp::Equ => "EQU",
                CompareOp::Neq => "NEQ",
                CompareOp::Lss => "LSS",
                CompareOp::Leq => "LEQ",
                CompareOp::Gtr => "GTR",
                CompareOp::Geq => "GEQ",
            };
            format!("compare {} {op} {}", text(left), text(right))
        }
    }
}

fn builtin_name(builtin: Builtin) -> String {
    match builtin {
        Builtin::Directive(kind) => kind.display_name().to_string(),
        other => format!("{other:?}"),
    }
}

/// Text as `«...»` with its expansions inline.
pub fn text(text: &Text) -> String {
    let mut out = String::from("«");
    for part in &text.parts {
        match part {
            Part::Literal(literal) => out.push_str(&escape(literal)),
            Part::Variable { name, edit, .. } => {
                let _ = write!(out, "{{var {}", escape(name));
                match edit {
                    None => {}
                    Some(VariableEdit::Substring { start, len: None }) => {
                        let _ = write!(out, ":~{start}");
                    }
                    Some(VariableEdit::Substring {
                        start,
                        len: Some(len),
                    }) => {
                        let _ = write!(out, ":~{start},{len}");
                    }
                    Some(VariableEdit::Replace {
                        find,
                        with,
                        up_to_first,
                    }) => {
                        let star = if *up_to_first { "*" } else { "" };
                        let _ = write!(out, ":{star}{}={}", escape(find), escape(with));
                    }
                }
                out.push('}');
            }
            Part::Parameter {
                index,
                modifiers,
                tilde,
                ..
            } => {
                let index = match index {
                    ParameterIndex::Digit(digit) => digit.to_string(),
                    ParameterIndex::All => "*".to_string(),
                };
                let _ = write!(out, "{{param {}{index}}}", tilde_prefix(*tilde, modifiers));
            }
            Part::ForVariable {
                letter,
                modifiers,
                tilde,
                ..
            } => {
                let _ = write!(
                    out,
                    "{{forvar {}{letter}}}",
                    tilde_prefix(*tilde, modifiers)
                );
            }
        }
    }
    out.push('»');
    out
}

/// A command name: bare when it is a plain word, as [`text`] otherwise.
fn name(name: &Text) -> String {
    match name.literal() {
        Some(word) if !word.is_empty() && !word.contains([' ', '\t', '«', '»', '{', '}']) => {
            escape(&word)
        }
        _ => text(name),
    }
}

fn tilde_prefix(tilde: bool, modifiers: &str) -> String {
    if tilde {
        format!("~{modifiers} ")
    } else {
        String::new()
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '{' => out.push_str("\\{"),
            '}' => out.push_str("\\}"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn line(out: &mut String, depth: usize, head: &str, span: Span) {
    indent(out, depth);
    let _ = writeln!(out, "{head} @{}:{}", span.line, span.column);
}
