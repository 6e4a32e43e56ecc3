//! The deploy-script AST: what a script says, with a span on every node.
//!
//! The parser ([`crate::syntax::parser`]) builds it; nothing outside the parser sees pest's pairs.
//! Text keeps its expansions (`%VAR%`, `%1`, `%%i`) as parts, so the interpreter expands
//! them when cmd would: `%...%` when a line or block is read, `%%i` on each FOR pass.
//! Splitting a command's arguments into words happens after expansion, on the expanded
//! text, and never produces operators: a value holding `&` stays text.

use crate::span::Span;
use serde::Serialize;

/// A whole script: its top-level statements in order. GOTO and CALL jump between them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Script {
    /// Top-level statements (one per logical line), in order.
    pub statements: Vec<Statement>,
}

/// One top-level logical line.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Statement {
    /// The whole line (a block statement covers all its lines).
    pub span: Span,
    /// What the line is.
    pub kind: StatementKind,
}

/// What a top-level line is.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum StatementKind {
    /// `:name` — a jump target. Text after the name is ignored, as cmd does.
    Label(Label),
    /// `REM text` or `:: text`.
    Comment(String),
    /// A command line: commands joined by operators, blocks, IF, FOR.
    Command(Command),
}

/// A `:name` label.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Label {
    /// The name as written (labels compare case-insensitively).
    pub name: String,
    /// Where the name is.
    pub name_span: Span,
}

/// A command: a node of a line's command tree.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Command {
    /// Where the command is.
    pub span: Span,
    /// `@` before the command: do not echo it when ECHO is on.
    pub quiet: bool,
    /// What kind of command.
    pub kind: CommandKind,
}

/// The kinds of command.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum CommandKind {
    /// A builtin, a directive or a program with its argument text.
    Simple(Simple),
    /// `IF ... command [ELSE command]`.
    If(Box<If>),
    /// `FOR ... IN (set) DO command`.
    For(Box<For>),
    /// `( commands )`, possibly over several lines, with redirections after `)`.
    Block(Block),
    /// `a & b`, `a && b`, `a || b`, `a | b`.
    Binary(Box<Binary>),
    /// `REM ...` or `::` inside a block or after an operator.
    Comment(String),
    /// `()`: an empty block. cmd rejects it as a syntax error, which aborts every CALL
    /// level at once; Kudu's scripts use it on purpose to abort the deployment.
    EmptyBlock,
}

/// Two commands joined by an operator.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Binary {
    /// The operator.
    pub op: Operator,
    /// The command on the left.
    pub left: Command,
    /// The command on the right.
    pub right: Command,
}

/// The operators that join commands, loosest first: `&`, then `&&` and `||`, then `|`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Operator {
    /// `&`: run both.
    Then,
    /// `&&`: run the right one when the left succeeded.
    And,
    /// `||`: run the right one when the left failed.
    Or,
    /// `|`: the left one's stdout is the right one's stdin.
    Pipe,
}

/// A simple command: a name, the text after it, and its redirections.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Simple {
    /// The first word (a builtin, a directive keyword, or a program).
    pub name: Text,
    /// What the name is, when it is literal text; `None` when it comes from an expansion
    /// (the interpreter decides after expanding).
    pub builtin: Option<Builtin>,
    /// Everything after the name and its one separator character, redirections removed,
    /// exactly as written (spacing and quotes kept: ECHO and SET use it raw, programs get
    /// it split into words after expansion).
    pub args: Text,
    /// Redirections found anywhere on the command.
    pub redirects: Vec<Redirect>,
}

/// What a command's name is: the commands table ([`crate::commands`]) declares every
/// builtin and directive once.
pub use crate::commands::{Builtin, DirectiveKind};

/// `IF [/I] [NOT] condition command [ELSE command]`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct If {
    /// `NOT`.
    pub negated: bool,
    /// `/I`: compare strings case-insensitively.
    pub case_insensitive: bool,
    /// The condition.
    pub condition: Condition,
    /// Runs when the condition holds.
    pub then: Command,
    /// `ELSE` branch.
    pub otherwise: Option<Command>,
}

/// An IF condition.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Condition {
    /// `EXIST path`.
    Exist(Text),
    /// `DEFINED name`.
    Defined(Text),
    /// `ERRORLEVEL n`: true when the errorlevel is at least n.
    ErrorLevel(Text),
    /// `a == b`, `a EQU b`, ...
    Compare {
        /// Left operand, quotes kept (cmd compares them too).
        left: Text,
        /// The comparison.
        op: CompareOp,
        /// Right operand.
        right: Text,
    },
}

/// IF's comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum CompareOp {
    /// `==`: string equality.
    StrEq,
    /// `EQU`
    Equ,
    /// `NEQ`
    Neq,
    /// `LSS`
    Lss,
    /// `LEQ`
    Leq,
    /// `GTR`
    Gtr,
    /// `GEQ`
    Geq,
}

/// `FOR [/D | /R [root] | /L | /F ["options"]] %%v IN (set) DO command`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct For {
    /// Which form.
    pub variant: ForVariant,
    /// The loop variable's letter (case-sensitive, as in cmd).
    pub variable: char,
    /// The text between the parentheses of `IN ( ... )`.
    pub set: Text,
    /// The body, run once per item.
    pub body: Command,
}

/// The forms of FOR.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum ForVariant {
    /// Items and file wildcards.
    Plain,
    /// `/D`: wildcards match folders.
    Dirs,
    /// `/R [root]`: walk folders below root (default: the current folder).
    Recursive(Option<Text>),
    /// `/L`: `(start,step,end)`.
    Range,
    /// `/F ["options"]`: lines of files, a string, or a command's output.
    Lines(Option<Text>),
}

/// `( commands )` with its redirections.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Block {
    /// The commands, one per line (or joined by operators).
    pub body: Vec<Command>,
    /// Redirections after `)`.
    pub redirects: Vec<Redirect>,
}

/// A redirection: `>f`, `>>f`, `<f`, `2>f`, `2>&1`, `>NUL`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Redirect {
    /// Where it is.
    pub span: Span,
    /// The file descriptor redirected: 0 stdin, 1 stdout, 2 stderr.
    pub fd: u8,
    /// What it does.
    pub kind: RedirectKind,
}

/// What a redirection does.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum RedirectKind {
    /// `>file`: write, truncating.
    Write(Text),
    /// `>>file`: append.
    Append(Text),
    /// `<file`: read.
    Read(Text),
    /// `>&n`: the same as descriptor n.
    Duplicate(u8),
}

/// Text with expansions: an argument, an operand, a file name.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Text {
    /// Where it is.
    pub span: Span,
    /// Literal runs and expansions, in order.
    pub parts: Vec<Part>,
}

impl Text {
    /// The text when it has no expansions (`None` otherwise).
    pub fn literal(&self) -> Option<String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Literal(text) => out.push_str(text),
                _ => return None,
            }
        }
        Some(out)
    }

    /// Whether the text is empty (no parts).
    pub fn is_empty(&self) -> bool {
        self.parts
            .iter()
            .all(|part| matches!(part, Part::Literal(text) if text.is_empty()))
    }
}

/// A piece of [`Text`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Part {
    /// Text as written, escapes (`^x`, `%%`) already resolved, quotes kept.
    Literal(String),
    /// `%NAME%`, `%NAME:~start,len%`, `%NAME:old=new%`.
    Variable {
        /// The variable's name as written.
        name: String,
        /// A substring or replacement applied to the value.
        edit: Option<VariableEdit>,
        /// Where the whole `%...%` is.
        span: Span,
    },
    /// `%0`..`%9`, `%*`, `%~dp0`, `%~$PATH:1`.
    Parameter {
        /// Which parameter.
        index: ParameterIndex,
        /// The `~` modifiers, as written (`dp`, `nx`, `$PATH:`); empty for none.
        modifiers: String,
        /// `~` was present (`%~1` removes quotes even with no letters).
        tilde: bool,
        /// Where it is.
        span: Span,
    },
    /// `%%i`, `%%~nxi`: a FOR variable, substituted on each pass.
    ForVariable {
        /// The letter.
        letter: char,
        /// The `~` modifiers, as written.
        modifiers: String,
        /// `~` was present.
        tilde: bool,
        /// Where it is.
        span: Span,
    },
}

/// Which batch parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ParameterIndex {
    /// `%0` to `%9`.
    Digit(u8),
    /// `%*`: all arguments from `%1` on (not affected by SHIFT, as in cmd).
    All,
}

/// An edit applied to a variable's value when it is expanded.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum VariableEdit {
    /// `:~start,len`: characters from `start` (negative: from the end), `len` of them
    /// (negative: all but that many at the end; absent: to the end).
    Substring {
        /// Start offset.
        start: i64,
        /// Length.
        len: Option<i64>,
    },
    /// `:old=new`, or `:*old=new` (everything up to and including the first `old`).
    Replace {
        /// Text to find (case-insensitive, as cmd).
        find: String,
        /// Replacement.
        with: String,
        /// `*` prefix.
        up_to_first: bool,
    },
}
