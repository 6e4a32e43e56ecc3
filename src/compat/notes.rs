//! The rules as `--check` describes them: [`CompatRule`], and [`rules_applying_to`] a
//! piece of script text.

use super::app_service::read_word;
use super::{is_drive_path, is_nul, is_windows_python_path, slashes};

/// One Linux compatibility rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub enum CompatRule {
    /// `\` in a path becomes `/`.
    Backslash,
    /// A path that does not exist as written is matched case-insensitively.
    CaseInsensitivePath,
    /// `Scripts` is `bin`, `X.exe` is `X`, `lib\site-packages` is versioned.
    VenvLayout,
    /// `NUL` is `/dev/null`.
    Nul,
    /// `%APPDATA%`, `%TEMP%`, `%USERPROFILE%`, `%HOMEDRIVE%%HOMEPATH%` have Linux values.
    WindowsVariable,
    /// `;` separates entries of PATH-like values.
    PathListSeparator,
    /// `X.exe`, `X.cmd` and `X.bat` fall back to program `X`.
    ProgramExtension,
    /// A drive-letter path cannot work on Linux.
    DriveLetter,
    /// A Windows Python interpreter path is mapped to a Linux interpreter.
    WindowsPython,
    /// A path of App Service's filesystem is mapped by its table
    /// ([`super::APP_SERVICE_PATHS`]).
    AppServicePath,
}

impl CompatRule {
    /// What the rule does, as `--check` and the docs say it.
    pub fn description(self) -> &'static str {
        match self {
            CompatRule::Backslash => "`\\` in a path is read as `/`",
            CompatRule::CaseInsensitivePath => {
                "a path that does not exist as written is matched case-insensitively when exactly one entry matches"
            }
            CompatRule::VenvLayout => {
                "inside a virtual environment `Scripts` is `bin`, `X.exe` is `X` and `lib\\site-packages` is `lib/pythonX.Y/site-packages`"
            }
            CompatRule::Nul => "`NUL` is `/dev/null`",
            CompatRule::WindowsVariable => {
                "`%APPDATA%`, `%TEMP%`, `%USERPROFILE%` and `%HOMEDRIVE%%HOMEPATH%` have Linux values"
            }
            CompatRule::PathListSeparator => "`;` separates the entries of PATH-like values",
            CompatRule::ProgramExtension => {
                "`X.exe`, `X.cmd` and `X.bat` run program `X` when no such file exists"
            }
            CompatRule::DriveLetter => "a drive-letter path cannot work on Linux and fails the run",
            CompatRule::WindowsPython => {
                "a Windows Python interpreter path is mapped to a Linux interpreter"
            }
            CompatRule::AppServicePath => {
                "a path of App Service's filesystem (`D:\\home\\site\\wwwroot`, ...) is mapped to this run's folder"
            }
        }
    }
}

/// A rule that applies to some text, with what it does there.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CompatNote {
    /// Which rule.
    pub rule: CompatRule,
    /// What it does to this text (lowercase, code in backticks).
    pub message: String,
}

/// The rules that apply to a piece of script text, as `--check` reports them.
pub fn rules_applying_to(text: &str) -> Vec<CompatNote> {
    let mut notes = Vec::new();
    // A quoted path may hold spaces and brackets (`"%ProgramFiles(x86)%\python27"`): read
    // whole, and left out of the words below.
    let mut words_text = std::borrow::Cow::Borrowed(text);
    for word in text.split('"').skip(1).step_by(2) {
        if let Some(found) = read_word(word) {
            add_note(
                &mut notes,
                CompatRule::AppServicePath,
                format!("`{word}` is {}", found.describe()),
            );
            words_text = words_text.replace(word, "").into();
        }
    }
    for word in words_text.split([' ', '\t', '"', '=', ',', ';', '(', ')']) {
        if word.is_empty() {
            continue;
        }
        if is_windows_python_path(word) {
            add_note(
                &mut notes,
                CompatRule::WindowsPython,
                format!("`{word}` is mapped to a Linux Python interpreter"),
            );
            continue;
        }
        if let Some(found) = read_word(word) {
            add_note(
                &mut notes,
                CompatRule::AppServicePath,
                format!("`{word}` is {}", found.describe()),
            );
            continue;
        }
        if is_drive_path(word) {
            if is_windows_python_path(word) {
                add_note(
                    &mut notes,
                    CompatRule::WindowsPython,
                    format!("`{word}` is mapped to a Linux Python interpreter"),
                );
            } else {
                add_note(
                    &mut notes,
                    CompatRule::DriveLetter,
                    format!("`{word}` is a drive-letter path: the run fails here"),
                );
            }
        } else if word.contains('\\') && !word.starts_with('/') {
            add_note(
                &mut notes,
                CompatRule::Backslash,
                format!("`{word}` is read as `{}`", slashes(word)),
            );
        }
        if is_nul(word) {
            add_note(&mut notes, CompatRule::Nul, "`NUL` is `/dev/null`".into());
        }
        // The rules below need a backslash, a `-` or a `.`: most words have none.
        if !word.contains(['\\', '-', '.']) {
            continue;
        }
        let lower = word.to_ascii_lowercase();
        if lower.contains("scripts\\") || lower.contains("site-packages") {
            add_note(
                &mut notes,
                CompatRule::VenvLayout,
                CompatRule::VenvLayout.description().into(),
            );
        }
        if [".exe", ".cmd", ".bat"]
            .iter()
            .any(|ext| lower.ends_with(ext))
        {
            add_note(
                &mut notes,
                CompatRule::ProgramExtension,
                format!(
                    "`{word}` runs program `{}` when no such file exists",
                    &word[..word.len() - 4]
                ),
            );
        }
    }
    // The rules below look for `%NAME%` variables, and at a `SET` of a PATH-like value
    // with a `;` in it: text with neither needs no upper-case copy.
    if !text.contains(['%', ';']) {
        return notes;
    }
    let upper = text.to_ascii_uppercase();
    let python_only = notes
        .iter()
        .any(|note| note.rule == CompatRule::WindowsPython)
        && upper.matches("%SYSTEMDRIVE%").count() == 1;
    if upper.contains("%SYSTEMDRIVE%") && !python_only {
        add_note(
            &mut notes,
            CompatRule::DriveLetter,
            "`%SYSTEMDRIVE%` is a drive letter: the run fails where it is used".into(),
        );
    }
    for name in [
        "%APPDATA%",
        "%TEMP%",
        "%TMP%",
        "%USERPROFILE%",
        "%HOMEPATH%",
        "%LOCALAPPDATA%",
    ] {
        if upper.contains(name) {
            add_note(
                &mut notes,
                CompatRule::WindowsVariable,
                format!("`{name}` has a Linux value"),
            );
        }
    }
    let setting_path = upper.trim_start_matches(['@', ' ']).starts_with("SET")
        && (upper.contains("PATH=") || upper.contains("PATH\"="));
    if setting_path && text.contains(';') {
        add_note(
            &mut notes,
            CompatRule::PathListSeparator,
            CompatRule::PathListSeparator.description().into(),
        );
    }
    notes
}

/// Adds a note unless one of the same rule is there.
fn add_note(notes: &mut Vec<CompatNote>, rule: CompatRule, message: String) {
    if !notes.iter().any(|note| note.rule == rule) {
        notes.push(CompatNote { rule, message });
    }
}
