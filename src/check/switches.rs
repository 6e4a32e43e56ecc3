//! Command-level checks: unknown switches of known commands, ELSE without IF, and
//! constructs this tool does not run.

use super::walk::{each_command, Place};
use super::words::raw_words;
use crate::ast::{Builtin, CommandKind, DirectiveKind, Script};
use crate::diagnostic::Diagnostic;
use crate::directives::args::parse_directive;
use crate::source::Source;

pub fn check(script: &Script, source: &Source, diagnostics: &mut Vec<Diagnostic>) {
    each_command(script, &mut |command, _place: Place| {
        let CommandKind::Simple(simple) = &command.kind else {
            return;
        };
        let Some(builtin) = simple.builtin else {
            return;
        };
        match builtin {
            Builtin::Else => {
                diagnostics.push(
                    Diagnostic::error(simple.name.span, "`ELSE` without `IF`").with_help(
                        "put ELSE on the line of the `)` that closes the IF block: `) ELSE (`",
                    ),
                );
                return;
            }
            Builtin::Start => {
                diagnostics.push(
                    Diagnostic::error(
                        simple.name.span,
                        "`START` is not supported: a deploy runs one step at a time",
                    )
                    .with_help("run the program directly (it is waited for), or `CALL` a script"),
                );
                return;
            }
            _ => {}
        }
        let Some(known) = known_switches(builtin) else {
            return;
        };
        let words = raw_words(simple, source);
        let errors_before = diagnostics.len();
        for word in &words {
            if word.is_dynamic() {
                continue;
            }
            let Some(switch) = switch_name(&word.text) else {
                continue;
            };
            if !known.iter().any(|k| k.eq_ignore_ascii_case(&switch)) {
                let listed = if known.is_empty() {
                    "it takes no switches".to_string()
                } else {
                    format!("its switches are {}", known.join(" "))
                };
                diagnostics.push(
                    Diagnostic::error(
                        word.span,
                        format!(
                            "unknown switch `{}` for `{}`",
                            word.text,
                            command_name(builtin)
                        ),
                    )
                    .with_help(listed),
                );
            }
        }
        if let Builtin::Directive(kind) = builtin {
            if diagnostics.len() == errors_before && !words.iter().any(|w| w.is_dynamic()) {
                let plain: Vec<String> = words.iter().map(|w| w.text.replace('"', "")).collect();
                if let Err(message) = parse_directive(kind, &plain) {
                    diagnostics.push(Diagnostic::error(command.span, message));
                }
            }
        }
    });
}

/// The switch a word is, upper-cased without its value (`/A:D` -> `/A`), or `None` when
/// the word is not a switch (a Linux path such as `/tmp/x` is not one).
pub fn switch_name(word: &str) -> Option<String> {
    let body = word.strip_prefix('/')?;
    let name: String = body
        .chars()
        .take_while(|c| c.is_ascii_alphabetic() || *c == '-' || *c == '?')
        .collect();
    let rest = &body[name.len()..];
    if name.is_empty() || rest.contains('/') || !(rest.is_empty() || rest.starts_with(':')) {
        return None;
    }
    let upper = format!("/{}", name.to_ascii_uppercase());
    // `/tmp` is a Linux path, `/q` a switch: longer names count only when some command
    // knows them, or when written in capitals as directive switches are.
    let looks_like_switch = name.len() <= 2
        || ALL_LONG_SWITCHES.contains(&upper.as_str())
        || name.chars().all(|c| c.is_ascii_uppercase());
    looks_like_switch.then_some(upper)
}

/// Every switch longer than two letters that some known command accepts.
const ALL_LONG_SWITCHES: &[&str] = &[
    "/NOBREAK",
    "/EXCLUDE",
    "/IGNORE",
    "/MANIFEST",
    "/NOMANIFEST",
    "/CHECKSUM",
    "/WHATIF",
    "/QUIET",
    "/INSTALLER",
    "/ONCE",
    "/IFCHANGED",
    "/SYNC",
    "/IGNOREERRORS",
];

fn command_name(builtin: Builtin) -> String {
    match builtin {
        Builtin::Directive(kind) => kind.display_name().to_string(),
        other => format!("{other:?}").to_ascii_uppercase(),
    }
}

/// The switches each known command accepts (`None`: not checked).
fn known_switches(builtin: Builtin) -> Option<&'static [&'static str]> {
    Some(match builtin {
        Builtin::Set => &["/A", "/P"],
        Builtin::Exit => &["/B"],
        Builtin::Cd => &["/D"],
        Builtin::Pushd | Builtin::Popd | Builtin::Shift | Builtin::Md => &[],
        Builtin::Rd => &["/S", "/Q"],
        Builtin::Del => &["/P", "/F", "/S", "/Q", "/A"],
        Builtin::Copy => &["/Y", "/-Y", "/B", "/A", "/V", "/Z", "/D"],
        Builtin::Xcopy => &[
            "/E", "/I", "/Y", "/-Y", "/S", "/D", "/Q", "/F", "/H", "/R", "/K", "/C", "/V", "/T",
            "/U", "/EXCLUDE",
        ],
        Builtin::Move => &["/Y", "/-Y"],
        Builtin::Where => &["/R", "/Q", "/F", "/T"],
        Builtin::Dir => &["/B", "/A", "/AD", "/S", "/O", "/W", "/L", "/Q"],
        Builtin::Timeout => &["/T", "/NOBREAK"],
        Builtin::Directive(kind) => match kind {
            DirectiveKind::Sync => &[
                "/IGNORE",
                "/MANIFEST",
                "/NOMANIFEST",
                "/CHECKSUM",
                "/WHATIF",
                "/QUIET",
            ],
            DirectiveKind::PythonSelect => &[],
            DirectiveKind::VenvEnsure => &["/INSTALLER"],
            DirectiveKind::VenvRemove => &["/ONCE", "/IFCHANGED"],
            DirectiveKind::PipInstall => &["/INSTALLER", "/SYNC"],
            DirectiveKind::DjangoCollectstatic => &["/IGNOREERRORS"],
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::switch_name;

    #[test]
    fn tells_switches_from_linux_paths() {
        assert_eq!(switch_name("/q").as_deref(), Some("/Q"));
        assert_eq!(switch_name("/A:D").as_deref(), Some("/A"));
        assert_eq!(switch_name("/-Y").as_deref(), Some("/-Y"));
        assert_eq!(switch_name("/tmp/site"), None);
        assert_eq!(switch_name("/tmp"), None);
        assert_eq!(switch_name("/once").as_deref(), Some("/ONCE"));
        assert_eq!(switch_name("/CHECKSUMS").as_deref(), Some("/CHECKSUMS"));
        assert_eq!(switch_name("file"), None);
    }
}
