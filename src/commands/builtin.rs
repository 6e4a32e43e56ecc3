//! The names the parser gives commands: [`Builtin`] and [`DirectiveKind`], recognised
//! through the commands table.

use serde::Serialize;

/// The commands cmd runs itself, and our deploy directives, by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Builtin {
    Set,
    Goto,
    Call,
    Exit,
    Setlocal,
    Endlocal,
    Shift,
    Pushd,
    Popd,
    Cd,
    Echo,
    Md,
    Rd,
    Del,
    Copy,
    Xcopy,
    /// `ROBOCOPY source target [file...] [switches]`: robocopy's exit code bitmask.
    Robocopy,
    Move,
    Ren,
    Type,
    Where,
    Dir,
    Timeout,
    Pause,
    Cls,
    Title,
    Ver,
    Verify,
    /// `TIME /T`: the current time.
    Time,
    /// `DATE /T`: the current date.
    Date,
    Start,
    /// `ELSE` where no IF block precedes it (reported by the checker).
    Else,
    /// A deploy directive: `SYNC`, `PYTHON SELECT`, `VENV ENSURE`, ...
    Directive(DirectiveKind),
}

/// The deploy directives. A directive is recognised by its keyword and, where it has one,
/// its subcommand, written in capitals; `python manage.py` and `sync` stay programs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum DirectiveKind {
    /// `SYNC [source] [target] [switches]`
    Sync,
    /// `PYTHON SELECT`
    PythonSelect,
    /// `VENV ENSURE [dir] [switches]`
    VenvEnsure,
    /// `VENV REMOVE [dir] [/ONCE token | /IFCHANGED file...]`
    VenvRemove,
    /// `VENV INSTALL [-r file | .]... [switches]`
    VenvInstall,
    /// `DJANGO COLLECTSTATIC [/IGNOREERRORS]`
    DjangoCollectstatic,
}

impl DirectiveKind {
    /// The directive as it is written in scripts and messages.
    pub fn display_name(self) -> &'static str {
        super::spec(Builtin::Directive(self)).display
    }
}

impl Builtin {
    /// Recognises a builtin command name (case-insensitive), or `SYNC` in capitals.
    /// Two-word directives need their subcommand too, see [`Builtin::directive`].
    pub fn from_name(name: &str) -> Option<Builtin> {
        super::by_name(name).map(|spec| spec.builtin)
    }

    /// Recognises a two-word directive: `PYTHON SELECT`, `VENV ENSURE`, `VENV REMOVE`,
    /// `VENV INSTALL`, `DJANGO COLLECTSTATIC`, written in capitals (any other case is a
    /// program call).
    pub fn directive(keyword: &str, subcommand: &str) -> Option<DirectiveKind> {
        super::directive(keyword, subcommand)
    }

    /// Whether `name` is one of the directive keywords the dialect reserves.
    pub fn is_directive_keyword(name: &str) -> bool {
        super::is_directive_keyword(name)
    }

    /// The builtins that may be glued to their first argument by `.`, `(`, `/`, `:` or
    /// `+` (`echo.`, `echo(`, `cd..`, `dir/b`), as cmd allows; ECHO also by `;`, `,` or
    /// `=` (`echo;text`).
    pub fn splits_glued_argument(self) -> bool {
        matches!(
            self,
            Builtin::Echo | Builtin::Cd | Builtin::Dir | Builtin::Md | Builtin::Rd | Builtin::Type
        )
    }
}
