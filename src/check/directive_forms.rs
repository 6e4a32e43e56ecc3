//! Lines that are program calls but look like a directive: the old `PIP INSTALL`, a
//! directive written in lower or mixed case (`venv ensure`, `sync /IGNORE ...`), and
//! typos of a subcommand (`PYTHON SELCT`). A directive is its keyword and subcommand in
//! capitals as the commands table spells them; every other line runs a program, so these
//! are reported before a deploy runs `venv` or `pip` by mistake.

use crate::commands::{self, Builtin, DirectiveKind};
use crate::diagnostic::Diagnostic;
use crate::source::Source;
use crate::syntax::ast::Simple;

use super::words::{raw_words, RawWord};

/// Reports a program call (`simple.builtin` is `None`) that was meant as a directive.
pub fn check(simple: &Simple, source: &Source, diagnostics: &mut Vec<Diagnostic>) {
    let Some(keyword) = simple.name.literal() else {
        return;
    };
    let words = raw_words(simple, source);
    let diagnostic = old_pip_install(simple, &keyword, &words)
        .or_else(|| sync_in_wrong_case(simple, &keyword, &words))
        .or_else(|| two_words_in_wrong_case(simple, &keyword, &words))
        .or_else(|| misspelled_directive(simple, &keyword, &words));
    diagnostics.extend(diagnostic);
}

/// `PIP INSTALL` in capitals, or `pip install` carrying one of VENV INSTALL's switches:
/// the directive's old form. `pip install -r requirements.txt` alone runs pip.
fn old_pip_install(simple: &Simple, keyword: &str, words: &[RawWord]) -> Option<Diagnostic> {
    let install = words.first()?;
    if !keyword.eq_ignore_ascii_case("pip") || !install.text.eq_ignore_ascii_case("install") {
        return None;
    }
    let spec = commands::spec(Builtin::Directive(DirectiveKind::VenvInstall));
    let capitals = keyword == "PIP" && install.text == "INSTALL";
    let has_our_switch = words[1..]
        .iter()
        .any(|word| spec.switch(&word.text).is_some());
    if !capitals && !has_our_switch {
        return None;
    }
    let rest: Vec<&str> = words[1..].iter().map(|word| word.text.as_str()).collect();
    let new_line = [spec.display]
        .into_iter()
        .chain(rest)
        .collect::<Vec<_>>()
        .join(" ");
    Some(
        Diagnostic::error(
            simple.name.span.to(install.span),
            format!("`PIP INSTALL` is now `{}`", spec.display),
        )
        .with_help(format!(
            "write `{new_line}`; to run pip itself, write `pip install` in lower case without the directive's switches"
        )),
    )
}

/// `sync /IGNORE ...`: the Linux program `sync` given SYNC's switches.
fn sync_in_wrong_case(simple: &Simple, keyword: &str, words: &[RawWord]) -> Option<Diagnostic> {
    let spec = commands::spec(Builtin::Directive(DirectiveKind::Sync));
    if !keyword.eq_ignore_ascii_case(spec.display) {
        return None;
    }
    words
        .iter()
        .find(|word| spec.switch(&word.text).is_some())?;
    Some(
        Diagnostic::error(
            simple.name.span,
            format!("`{keyword}` runs the program `{keyword}`, not the directive: directives are written in capitals"),
        )
        .with_help(format!("write `{}`", spec.display)),
    )
}

/// `venv ensure`, `Python Select`: a directive's words in another case than capitals.
fn two_words_in_wrong_case(
    simple: &Simple,
    keyword: &str,
    words: &[RawWord],
) -> Option<Diagnostic> {
    let word = words.first()?;
    let meant = commands::directive_in_wrong_case(keyword, &word.text)?;
    Some(
        Diagnostic::error(
            simple.name.span.to(word.span),
            format!(
                "`{keyword} {}` is not a directive: directives are written in capitals",
                word.text
            ),
        )
        .with_help(format!("write `{}`", meant.display)),
    )
}

/// `PYTHON SELCT`: a directive keyword (any case) followed by a typo of one of its
/// subcommands. The run would start the program `python`; the script meant the directive.
fn misspelled_directive(simple: &Simple, keyword: &str, words: &[RawWord]) -> Option<Diagnostic> {
    if !commands::is_directive_keyword(keyword) {
        return None;
    }
    let word = words.first()?;
    let meant = commands::misspelled_directive(keyword, &word.text)?;
    Some(
        Diagnostic::error(
            simple.name.span.to(word.span),
            format!("unknown directive `{keyword} {}`", word.text),
        )
        .with_help(format!("did you mean `{}`?", meant.display)),
    )
}
