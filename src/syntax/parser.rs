//! Text to AST: runs the pest grammar (grammar/deploy.pest) and turns its pairs into the
//! plain [`crate::syntax::ast`]. This is the only module that sees pest pairs.
//!
//! Parsing never stops at the first problem: a line that does not parse becomes a
//! diagnostic, and the lines after it are parsed as usual.

use crate::diagnostic::Diagnostic;
use crate::source::Source;
use crate::span::Span;
use crate::syntax::ast::*;
use pest::iterators::{Pair, Pairs};
use pest::Parser as _;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/deploy.pest"]
struct DeployParser;

/// The result of parsing: the AST of every line that parsed, and a diagnostic for each
/// problem found on the way (lines that did not parse, unterminated quotes, ...).
#[derive(Debug)]
pub struct Parsed {
    /// The script; lines that did not parse are left out.
    pub script: Script,
    /// Errors found while parsing, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses a decoded script.
pub fn parse(source: &Source) -> Parsed {
    let mut builder = Builder {
        source,
        diagnostics: Vec::new(),
    };
    // Nesting is bounded before pest runs: the grammar, the AST and every walk over it
    // recurse once per level, and a stack must never overflow on any input.
    if let Some(at) = nesting_beyond(source.text(), MAX_NESTING) {
        builder.diagnostics.push(
            Diagnostic::error(
                source.span(at, at + 1),
                format!("blocks are nested more than {MAX_NESTING} deep here"),
            )
            .with_help("split the script into subroutines (`CALL :label`)"),
        );
        return Parsed {
            script: Script {
                statements: Vec::new(),
            },
            diagnostics: builder.diagnostics,
        };
    }
    let statements = match DeployParser::parse(Rule::script, source.text()) {
        Ok(mut pairs) => {
            let script = pairs.next().expect("the script rule always yields a pair");
            builder.parse_script(script)
        }
        Err(error) => {
            // The grammar accepts any text (bad lines are a rule of their own), so this
            // only happens when pest's own limits are hit, such as nesting depth.
            let span = builder.error_span(&error, 0);
            builder.diagnostics.push(Diagnostic::error(
                span,
                "the script is too deeply nested to parse",
            ));
            Vec::new()
        }
    };
    builder.diagnostics.sort_by_key(|d| d.span.offset);
    Parsed {
        script: Script { statements },
        diagnostics: builder.diagnostics,
    }
}

struct Builder<'s> {
    source: &'s Source,
    diagnostics: Vec<Diagnostic>,
}

impl<'s> Builder<'s> {
    fn span(&self, pair: &Pair<Rule>) -> Span {
        let span = pair.as_span();
        self.source.span(span.start(), span.end())
    }

    fn parse_script(&mut self, script: Pair<Rule>) -> Vec<Statement> {
        script
            .into_inner()
            .filter(|pair| pair.as_rule() == Rule::statement)
            .filter_map(|pair| self.parse_statement(pair))
            .collect()
    }

    fn parse_statement(&mut self, statement: Pair<Rule>) -> Option<Statement> {
        let span = self.span(&statement);
        let inner = statement.into_inner().next()?;
        let kind = match inner.as_rule() {
            Rule::label_line => {
                let name = inner
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::label_name)?;
                if name.as_str().is_empty() {
                    self.diagnostics.push(
                        Diagnostic::error(span, "a label needs a name after `:`")
                            .with_help("write `:name`, or `::` to start a comment"),
                    );
                    return None;
                }
                StatementKind::Label(Label {
                    name: name.as_str().to_string(),
                    name_span: self.span(&name),
                })
            }
            Rule::comment_line => StatementKind::Comment(comment_text(inner.as_str())),
            Rule::stray_close => {
                self.diagnostics.push(
                    Diagnostic::error(
                        self.source.span(span.offset, span.offset + 1),
                        "unbalanced parentheses: this `)` closes no block",
                    )
                    .with_help("remove it, or escape it as `^)`"),
                );
                return None;
            }
            Rule::command_line => {
                let chain = inner.into_inner().next()?;
                StatementKind::Command(self.parse_chain(chain))
            }
            Rule::bad_line => {
                self.explain_bad_line(span);
                return None;
            }
            _ => return None,
        };
        Some(Statement { span, kind })
    }

    fn parse_chain(&mut self, chain: Pair<Rule>) -> Command {
        let span = self.span(&chain);
        let mut pairs = chain.into_inner();
        let first = pairs.next().expect("a chain starts with a command");
        let mut command = self.parse_and_or(first);
        for pair in pairs {
            if pair.as_rule() == Rule::and_or {
                let right = self.parse_and_or(pair);
                command = binary(Operator::Then, command, right, span);
            }
        }
        command
    }

    fn parse_and_or(&mut self, and_or: Pair<Rule>) -> Command {
        let span = self.span(&and_or);
        let mut pairs = and_or.into_inner();
        let first = pairs.next().expect("an and-or list starts with a pipeline");
        let mut command = self.parse_pipeline(first);
        let mut op = Operator::And;
        for pair in pairs {
            match pair.as_rule() {
                Rule::op_and => op = Operator::And,
                Rule::op_or => op = Operator::Or,
                Rule::pipeline => {
                    let right = self.parse_pipeline(pair);
                    command = binary(op, command, right, span);
                }
                _ => {}
            }
        }
        command
    }

    fn parse_pipeline(&mut self, pipeline: Pair<Rule>) -> Command {
        let span = self.span(&pipeline);
        let mut pairs = pipeline.into_inner();
        let first = pairs.next().expect("a pipeline starts with a command");
        let mut command = self.parse_command(first);
        for pair in pairs {
            if pair.as_rule() == Rule::command {
                let right = self.parse_command(pair);
                command = binary(Operator::Pipe, command, right, span);
            }
        }
        command
    }

    fn parse_command(&mut self, command: Pair<Rule>) -> Command {
        let span = self.span(&command);
        let mut quiet = false;
        let mut kind = CommandKind::Comment(String::new());
        for pair in command.into_inner() {
            match pair.as_rule() {
                Rule::at_sign => quiet = true,
                Rule::block => kind = self.parse_block(pair),
                Rule::if_command => kind = self.parse_if(pair),
                Rule::for_command => kind = self.parse_for(pair),
                Rule::comment => kind = CommandKind::Comment(comment_text(pair.as_str())),
                Rule::simple => kind = self.parse_simple(pair),
                _ => {}
            }
        }
        Command { span, quiet, kind }
    }

    fn parse_block(&mut self, block: Pair<Rule>) -> CommandKind {
        let open = self.span(&block);
        let mut body = Vec::new();
        let mut redirects = Vec::new();
        for pair in block.into_inner() {
            match pair.as_rule() {
                Rule::block_body => {
                    for item in pair.into_inner() {
                        match item.as_rule() {
                            Rule::chain => body.push(self.parse_chain(item)),
                            Rule::block_bad_line => {
                                let span = self.span(&item);
                                self.explain_bad_line(span);
                            }
                            Rule::block_label => {
                                let span = self.span(&item);
                                body.push(Command {
                                    span,
                                    quiet: false,
                                    kind: CommandKind::Comment(comment_text(item.as_str())),
                                });
                            }
                            _ => {}
                        }
                    }
                }
                Rule::redirect => redirects.push(self.parse_redirect(pair)),
                Rule::block_unclosed => {
                    self.explain_unclosed_paren(Span { len: 1, ..open });
                }
                _ => {}
            }
        }
        if body.is_empty() && redirects.is_empty() {
            return CommandKind::EmptyBlock;
        }
        CommandKind::Block(Block { body, redirects })
    }

    fn parse_if(&mut self, if_command: Pair<Rule>) -> CommandKind {
        let mut negated = false;
        let mut case_insensitive = false;
        let mut condition = None;
        let mut then = None;
        let mut otherwise = None;
        for pair in if_command.into_inner() {
            match pair.as_rule() {
                Rule::if_not => negated = true,
                Rule::if_case => case_insensitive = true,
                Rule::condition => condition = Some(self.parse_condition(pair)),
                Rule::block => then = Some(self.command_from(pair)),
                Rule::chain => then = Some(self.parse_chain(pair)),
                Rule::else_clause => {
                    let branch = pair.into_inner().next().expect("ELSE has a command");
                    otherwise = Some(match branch.as_rule() {
                        Rule::block => self.command_from(branch),
                        _ => self.parse_chain(branch),
                    });
                }
                _ => {}
            }
        }
        CommandKind::If(Box::new(If {
            negated,
            case_insensitive,
            condition: condition.expect("IF has a condition"),
            then: then.expect("IF has a command"),
            otherwise,
        }))
    }

    /// A block pair as a command of its own (IF and FOR bodies, ELSE branches).
    fn command_from(&mut self, block: Pair<Rule>) -> Command {
        let span = self.span(&block);
        Command {
            span,
            quiet: false,
            kind: self.parse_block(block),
        }
    }

    fn parse_condition(&mut self, condition: Pair<Rule>) -> Condition {
        let inner = condition
            .into_inner()
            .next()
            .expect("a condition has a kind");
        let rule = inner.as_rule();
        let mut operands = Vec::new();
        let mut op = CompareOp::StrEq;
        for pair in inner.into_inner() {
            match pair.as_rule() {
                Rule::operand => operands.push(self.parse_text(pair)),
                Rule::compare_op_word => {
                    op = match pair.as_str().to_ascii_lowercase().as_str() {
                        "equ" => CompareOp::Equ,
                        "neq" => CompareOp::Neq,
                        "lss" => CompareOp::Lss,
                        "leq" => CompareOp::Leq,
                        "gtr" => CompareOp::Gtr,
                        _ => CompareOp::Geq,
                    }
                }
                _ => {}
            }
        }
        let mut operands = operands.into_iter();
        let first = operands.next().unwrap_or_default();
        match rule {
            Rule::cond_exist => Condition::Exist(first),
            Rule::cond_defined => Condition::Defined(first),
            Rule::cond_errorlevel => Condition::ErrorLevel(first),
            _ => Condition::Compare {
                left: first,
                op,
                right: operands.next().unwrap_or_default(),
            },
        }
    }

    fn parse_for(&mut self, for_command: Pair<Rule>) -> CommandKind {
        let mut variant = ForVariant::Plain;
        let mut variable = 'i';
        let mut set = Text::default();
        let mut body = None;
        for pair in for_command.into_inner() {
            match pair.as_rule() {
                Rule::for_dirs => variant = ForVariant::Dirs,
                Rule::for_range => variant = ForVariant::Range,
                Rule::for_recursive => {
                    let root = pair.into_inner().next().map(|root| self.parse_text(root));
                    variant = ForVariant::Recursive(root);
                }
                Rule::for_lines => {
                    let options = pair.into_inner().next().map(|options| {
                        let span = self.span(&options);
                        self.text_from(std::iter::once(options), span)
                    });
                    variant = ForVariant::Lines(options);
                }
                Rule::for_variable_name => {
                    variable = pair.as_str().chars().last().unwrap_or('i');
                }
                Rule::for_set => set = self.parse_text(pair),
                Rule::block => body = Some(self.command_from(pair)),
                Rule::chain => body = Some(self.parse_chain(pair)),
                _ => {}
            }
        }
        CommandKind::For(Box::new(For {
            variant,
            variable,
            set,
            body: body.expect("FOR has a body"),
        }))
    }

    fn parse_simple(&mut self, simple: Pair<Rule>) -> CommandKind {
        let mut redirects = Vec::new();
        let mut name = Text::default();
        let mut tail: Vec<Pair<Rule>> = Vec::new();
        let mut tail_span = Span::default();
        for pair in simple.into_inner() {
            match pair.as_rule() {
                Rule::redirect => redirects.push(self.parse_redirect(pair)),
                Rule::command_name => name = self.parse_text(pair),
                Rule::command_tail => {
                    tail_span = self.span(&pair);
                    for piece in pair.into_inner() {
                        if piece.as_rule() == Rule::redirect {
                            redirects.push(self.parse_redirect(piece));
                        } else {
                            tail.push(piece);
                        }
                    }
                }
                _ => {}
            }
        }
        let mut args = self.text_from(tail.into_iter(), tail_span);
        // cmd takes exactly one separator character after the name; ECHO shows the rest.
        if let Some(Part::Literal(first)) = args.parts.first_mut() {
            if first.starts_with([' ', '\t']) {
                first.remove(0);
            }
        }
        let builtin = self.classify(&mut name, &mut args);
        if let Some(keyword) = name.literal() {
            let lower = keyword.to_ascii_lowercase();
            if lower == "if" || lower == "for" {
                let span = name.span.to(args.span);
                // Only a `(` of this command explains it; a later unclosed one is its own error.
                if !self.explain_unclosed_paren(span) {
                    self.diagnostics.push(malformed(&lower, span));
                }
            } else if lower == "rem" {
                return CommandKind::Comment(String::new());
            }
        }
        CommandKind::Simple(Simple {
            name,
            builtin,
            args,
            redirects,
        })
    }

    /// Decides what a command name is, splitting glued forms (`echo.`, `cd..`, `dir/b`)
    /// and recognising two-word directives (`VENV ENSURE`).
    fn classify(&mut self, name: &mut Text, args: &mut Text) -> Option<Builtin> {
        let Some(Part::Literal(first)) = name.parts.first().cloned() else {
            return None;
        };
        if name.parts.len() == 1 {
            if let Some(builtin) = Builtin::from_name(&first) {
                return Some(builtin);
            }
            if Builtin::is_directive_keyword(&first) {
                let subcommand = args
                    .parts
                    .first()
                    .and_then(|part| match part {
                        Part::Literal(text) => text
                            .trim_start_matches([' ', '\t'])
                            .split([' ', '\t'])
                            .next(),
                        _ => None,
                    })
                    .unwrap_or("")
                    .to_string();
                if let Some(kind) = Builtin::directive(&first, &subcommand) {
                    if let Some(Part::Literal(text)) = args.parts.first_mut() {
                        let rest = text.trim_start_matches([' ', '\t'])[subcommand.len()..]
                            .trim_start_matches([' ', '\t']);
                        *text = rest.to_string();
                    }
                    return Some(Builtin::Directive(kind));
                }
            }
        }
        // Glued forms: the name runs into its first argument. `;`, `,` and `=` are cmd's
        // token delimiters; only ECHO takes one as its separator (`echo;text`, `echo=`).
        let glue = first.find(['.', '(', '/', ':', '+', '\\', '[', ']', ';', ',', '='])?;
        let builtin = Builtin::from_name(&first[..glue])?;
        let delimiter = first[glue..].starts_with([';', ',', '=']);
        if !builtin.splits_glued_argument() || (delimiter && builtin != Builtin::Echo) {
            return None;
        }
        let mut rest = first[glue..].to_string();
        if builtin == Builtin::Echo {
            rest.remove(0);
        }
        let mut glued = name.parts[1..].to_vec();
        glued.insert(0, Part::Literal(rest));
        let name_text = first[..glue].to_string();
        let name_span = Span {
            len: glue,
            ..name.span
        };
        let original_tail = std::mem::take(&mut args.parts);
        let tail_text = self.source.text()[args.span.range()].to_string();
        glued.extend(self.restore_separator(original_tail, &tail_text));
        *args = Text {
            span: name.span.to(args.span),
            parts: merge_literals(glued),
        };
        *name = Text {
            span: name_span,
            parts: vec![Part::Literal(name_text)],
        };
        Some(builtin)
    }

    /// Puts back the one separator that [`Builder::parse_simple`] removed from an argument
    /// text, for glued forms where the name's own delimiter was the separator.
    fn restore_separator(&self, mut parts: Vec<Part>, tail_text: &str) -> Vec<Part> {
        if let Some(separator) = tail_text.chars().next().filter(|c| *c == ' ' || *c == '\t') {
            match parts.first_mut() {
                Some(Part::Literal(text)) => text.insert(0, separator),
                _ => parts.insert(0, Part::Literal(separator.to_string())),
            }
        }
        parts
    }

    fn parse_redirect(&mut self, redirect: Pair<Rule>) -> Redirect {
        let span = self.span(&redirect);
        let inner = redirect.into_inner().next().expect("a redirect has a kind");
        let duplicate = inner.as_rule() == Rule::redirect_duplicate;
        let mut fds = Vec::new();
        let mut op = Rule::redirect_write;
        let mut target = Text::default();
        for pair in inner.into_inner() {
            match pair.as_rule() {
                Rule::redirect_fd => fds.push(pair.as_str().as_bytes()[0] - b'0'),
                Rule::redirect_append | Rule::redirect_write | Rule::redirect_read => {
                    op = pair.as_rule()
                }
                Rule::redirect_target => target = self.parse_text(pair),
                _ => {}
            }
        }
        if duplicate {
            let (fd, to) = match fds.as_slice() {
                [fd, to] => (*fd, *to),
                [to] => (1, *to),
                _ => (1, 1),
            };
            return Redirect {
                span,
                fd,
                kind: RedirectKind::Duplicate(to),
            };
        }
        let default_fd = if op == Rule::redirect_read { 0 } else { 1 };
        let fd = fds.first().copied().unwrap_or(default_fd);
        let kind = match op {
            Rule::redirect_append => RedirectKind::Append(target),
            Rule::redirect_read => RedirectKind::Read(target),
            _ => RedirectKind::Write(target),
        };
        Redirect { span, fd, kind }
    }

    /// A text-bearing pair (operand, name, target, set) as [`Text`].
    fn parse_text(&mut self, pair: Pair<Rule>) -> Text {
        let span = self.span(&pair);
        self.text_from(pair.into_inner(), span)
    }

    /// Builds text from a run of pieces: literal runs, quotes, escapes, expansions.
    fn text_from<'a>(&mut self, pieces: impl Iterator<Item = Pair<'a, Rule>>, span: Span) -> Text {
        let mut parts = Vec::new();
        for piece in pieces {
            self.push_piece(piece, &mut parts);
        }
        Text {
            span,
            parts: merge_literals(parts),
        }
    }

    fn push_piece(&mut self, piece: Pair<Rule>, parts: &mut Vec<Part>) {
        match piece.as_rule() {
            Rule::quoted => {
                let open = piece.as_span().start();
                parts.push(Part::Literal("\"".into()));
                let mut closed = false;
                for inner in piece.into_inner() {
                    if inner.as_rule() == Rule::quote_close {
                        closed = true;
                        parts.push(Part::Literal("\"".into()));
                    } else {
                        self.push_piece(inner, parts);
                    }
                }
                if !closed {
                    self.diagnostics.push(
                        Diagnostic::error(
                            self.source.span(open, open + 1),
                            "unterminated quote: this `\"` is never closed",
                        )
                        .with_help("add the closing `\"` on the same line"),
                    );
                }
            }
            Rule::escape => {
                let escaped = piece.as_str()[1..].to_string();
                parts.push(Part::Literal(escaped));
            }
            Rule::continuation | Rule::lone_percent => {}
            Rule::percent_literal => parts.push(Part::Literal("%".into())),
            Rule::for_variable => {
                let span = self.span(&piece);
                let letter = piece.as_str().chars().last().unwrap_or('i');
                let (tilde, modifiers) = modifiers_of(piece.into_inner());
                parts.push(Part::ForVariable {
                    letter,
                    modifiers,
                    tilde,
                    span,
                });
            }
            Rule::parameter => {
                let span = self.span(&piece);
                let last = piece.as_str().chars().last().unwrap_or('0');
                let index = match last.to_digit(10) {
                    Some(digit) => ParameterIndex::Digit(digit as u8),
                    None => ParameterIndex::All,
                };
                let (tilde, modifiers) = modifiers_of(piece.into_inner());
                parts.push(Part::Parameter {
                    index,
                    modifiers,
                    tilde,
                    span,
                });
            }
            Rule::variable => parts.push(self.parse_variable(piece)),
            Rule::quote_close => parts.push(Part::Literal("\"".into())),
            Rule::quoted_text
            | Rule::name_text
            | Rule::arg_text
            | Rule::arg_blank
            | Rule::operand_text
            | Rule::target_text
            | Rule::for_set_text => parts.push(Part::Literal(piece.as_str().to_string())),
            _ => {
                // Literal runs: quoted_text, name_text, arg_text, arg_blank, operand_text, ...
                if piece.clone().into_inner().next().is_some() {
                    for inner in piece.into_inner() {
                        self.push_piece(inner, parts);
                    }
                } else {
                    parts.push(Part::Literal(piece.as_str().to_string()));
                }
            }
        }
    }

    fn parse_variable(&mut self, variable: Pair<Rule>) -> Part {
        let span = self.span(&variable);
        let mut name = String::new();
        let mut edit = None;
        for pair in variable.into_inner() {
            match pair.as_rule() {
                Rule::variable_name => name = pair.as_str().to_string(),
                Rule::substring => {
                    let numbers: Vec<i64> = pair
                        .into_inner()
                        .filter_map(|n| n.as_str().parse().ok())
                        .collect();
                    edit = Some(VariableEdit::Substring {
                        start: numbers.first().copied().unwrap_or(0),
                        len: numbers.get(1).copied(),
                    });
                }
                Rule::replacement => {
                    let mut find = String::new();
                    let mut with = String::new();
                    let mut up_to_first = false;
                    for inner in pair.into_inner() {
                        match inner.as_rule() {
                            Rule::replace_star => up_to_first = true,
                            Rule::replace_find => find = inner.as_str().to_string(),
                            Rule::replace_with => with = inner.as_str().to_string(),
                            _ => {}
                        }
                    }
                    edit = Some(VariableEdit::Replace {
                        find,
                        with,
                        up_to_first,
                    });
                }
                _ => {}
            }
        }
        Part::Variable { name, edit, span }
    }

    /// Says why a line did not parse, as precisely as it can.
    fn explain_bad_line(&mut self, span: Span) {
        if self.explain_unclosed_paren(span) {
            return;
        }
        let text = self.source.text();
        let line = &text[span.offset..span.offset + span.len];
        let diagnostic = match DeployParser::parse(Rule::strict_line, line) {
            Ok(_) => Diagnostic::error(span, "cannot parse this line"),
            Err(error) => {
                let at = self.error_span(&error, span.offset);
                if text[at.offset..].starts_with(')') {
                    self.diagnostics.push(
                        Diagnostic::error(at, "unbalanced parentheses: this `)` closes no block")
                            .with_help("inside a block, `)` ends the block: escape it as `^)` or put the text in quotes"),
                    );
                    return;
                }
                let lower = line
                    .trim_start_matches(['@', ' ', '\t'])
                    .to_ascii_lowercase();
                if lower.starts_with("if ") || lower.starts_with("if\t") {
                    malformed("if", at)
                } else if lower.starts_with("for ") || lower.starts_with("for\t") {
                    malformed("for", at)
                } else {
                    Diagnostic::error(at, format!("cannot parse this line: {}", expected(&error)))
                }
            }
        };
        self.diagnostics.push(diagnostic);
    }

    /// Reports the first `(` from `offset` on that no `)` closes, if there is one.
    fn explain_unclosed_paren(&mut self, span: Span) -> bool {
        // Only the command's own text: a block that never closes parses (to the end of the
        // script) and is reported by `parse_block`, and scanning to the end of the script
        // for every bad line would be quadratic.
        let Some(open) = unclosed_paren(&self.source.text()[span.range()]) else {
            return false;
        };
        let at = span.offset + open;
        self.diagnostics.push(
            Diagnostic::error(
                self.source.span(at, at + 1),
                "unbalanced parentheses: this `(` is never closed",
            )
            .with_help("close the block with `)`, or escape the parenthesis as `^(`"),
        );
        true
    }

    fn error_span(&self, error: &pest::error::Error<Rule>, base: usize) -> Span {
        let at = match error.location {
            pest::error::InputLocation::Pos(pos) => pos,
            pest::error::InputLocation::Span((start, _)) => start,
        };
        let text = self.source.text();
        let at = (base + at).min(text.len());
        // One whole character (none at the end of the script), so the span slices the text.
        let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
        self.source.span(at, end)
    }
}

fn binary(op: Operator, left: Command, right: Command, span: Span) -> Command {
    let span = left.span.to(right.span).to(span);
    Command {
        span: Span {
            offset: left.span.offset,
            len: right.span.offset + right.span.len - left.span.offset,
            ..span
        },
        // `@` binds loosest, as in cmd: `@echo a & echo b` is quiet as a whole.
        quiet: left.quiet,
        kind: CommandKind::Binary(Box::new(Binary { op, left, right })),
    }
}

fn malformed(keyword: &str, span: Span) -> Diagnostic {
    let (what, help) = if keyword == "if" {
        (
            "IF",
            "write `IF [/I] [NOT] a==b command`, `IF EXIST path command`, `IF DEFINED name command` or `IF ERRORLEVEL n command`",
        )
    } else {
        (
            "FOR",
            "write `FOR %%i IN (set) DO command` (with /D, /R, /L or /F \"options\" after FOR)",
        )
    };
    Diagnostic::error(span, format!("malformed {what} command")).with_help(help)
}

/// The `~` flag and modifier letters of a parameter or FOR variable.
fn modifiers_of(pairs: Pairs<Rule>) -> (bool, String) {
    let mut tilde = false;
    let mut modifiers = String::new();
    for pair in pairs {
        match pair.as_rule() {
            Rule::tilde => tilde = true,
            Rule::parameter_modifiers | Rule::for_modifiers => {
                modifiers = pair.as_str().to_string()
            }
            _ => {}
        }
    }
    (tilde, modifiers)
}

/// The text of a comment, without `REM`/`::` and the separator.
fn comment_text(raw: &str) -> String {
    let raw = raw.trim_start_matches(['@', ' ', '\t']);
    let body = if let Some(rest) = raw.strip_prefix("::") {
        rest
    } else if raw
        .get(..3)
        .is_some_and(|word| word.eq_ignore_ascii_case("rem"))
    {
        &raw[3..]
    } else {
        raw.strip_prefix(':').unwrap_or(raw)
    };
    body.trim().to_string()
}

/// Joins adjacent literal parts.
fn merge_literals(parts: Vec<Part>) -> Vec<Part> {
    let mut merged: Vec<Part> = Vec::with_capacity(parts.len());
    for part in parts {
        if let (Part::Literal(text), Some(Part::Literal(previous))) = (&part, merged.last_mut()) {
            previous.push_str(text);
            continue;
        }
        merged.push(part);
    }
    merged
}

/// The offset (in `text`) of the first `(` that no `)` closes, counting across lines and
/// skipping quoted text and `^` escapes.
fn unclosed_paren(text: &str) -> Option<usize> {
    let mut open: Vec<usize> = Vec::new();
    let mut in_quotes = false;
    let mut chars = text.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        match c {
            '"' => in_quotes = !in_quotes,
            '\n' => in_quotes = false,
            '^' if !in_quotes => {
                chars.next();
            }
            '(' if !in_quotes => open.push(index),
            ')' if !in_quotes => {
                open.pop();
            }
            _ => {}
        }
    }
    open.first().copied()
}

/// "expected ..." for a pest error, with friendly names.
fn expected(error: &pest::error::Error<Rule>) -> String {
    match &error.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } if !positives.is_empty() => {
            let mut names: Vec<&str> = positives.iter().map(|rule| rule_name(*rule)).collect();
            names.sort_unstable();
            names.dedup();
            format!("expected {}", names.join(" or "))
        }
        pest::error::ErrorVariant::CustomError { message } => message.clone(),
        _ => "unexpected text".to_string(),
    }
}

/// The name of a grammar rule as users should read it in a message.
fn rule_name(rule: Rule) -> &'static str {
    match rule {
        Rule::operand | Rule::operand_text => "an operand",
        Rule::compare_op_str => "`==`",
        Rule::compare_op_word => "a comparison (`EQU`, `NEQ`, `LSS`, `LEQ`, `GTR`, `GEQ`)",
        Rule::block | Rule::block_body => "a block `( ... )`",
        Rule::chain | Rule::command | Rule::simple | Rule::command_name => "a command",
        Rule::redirect_target => "a file name after the redirection",
        Rule::quote_close => "a closing `\"`",
        Rule::for_variable_name => "a loop variable such as `%%i`",
        Rule::for_set => "the set of the FOR loop",
        Rule::else_clause => "`ELSE`",
        Rule::EOI => "the end of the script",
        _ => "valid batch syntax",
    }
}

/// The deepest nesting of blocks (and of IF / FOR inside one line) a script may have.
pub const MAX_NESTING: usize = 200;

/// The offset where `text` first nests deeper than `limit`: parentheses outside quotes,
/// and IF / FOR keywords on one logical line, each count one level.
fn nesting_beyond(text: &str, limit: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut parens = 0usize;
    let mut keywords_on_line = 0usize;
    let mut in_quotes = false;
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        match byte {
            b'"' => in_quotes = !in_quotes,
            b'\n' => {
                in_quotes = false;
                keywords_on_line = 0;
            }
            b'^' if !in_quotes => index += 1,
            b'(' if !in_quotes => {
                parens += 1;
                if parens > limit {
                    return Some(index);
                }
            }
            b')' if !in_quotes => parens = parens.saturating_sub(1),
            b'&' | b'|' if !in_quotes => {
                keywords_on_line += 1;
                if keywords_on_line > limit * 10 {
                    return Some(index);
                }
            }
            _ if !in_quotes && starts_keyword(bytes, index) => {
                keywords_on_line += 1;
                if keywords_on_line > limit {
                    return Some(index);
                }
            }
            _ => {}
        }
        index += 1;
    }
    None
}

/// Whether an `IF ` or `FOR ` keyword starts at `index` (after a blank or at a line start).
fn starts_keyword(bytes: &[u8], index: usize) -> bool {
    let after_blank = index == 0
        || matches!(
            bytes[index - 1],
            b' ' | b'\t' | b'\n' | b'(' | b'@' | b'&' | b'|'
        );
    if !after_blank {
        return false;
    }
    let word = |keyword: &[u8]| {
        bytes.len() > index + keyword.len()
            && bytes[index..index + keyword.len()].eq_ignore_ascii_case(keyword)
            && matches!(bytes[index + keyword.len()], b' ' | b'\t')
    };
    word(b"if") || word(b"for")
}
