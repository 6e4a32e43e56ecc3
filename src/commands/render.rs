//! Writing a directive line from its typed arguments: the one formatter gen-deploy uses,
//! and the inverse of [`crate::commands::args::parse_directive`]. The interpreter splits a
//! directive's arguments at blanks and removes quotes ([`crate::interpreter::expand::Split::Builtin`]),
//! so a word that holds a blank or a character `cmd` treats specially is written in
//! quotes. What no line can say (a quote inside a word, a value that reads as a switch,
//! a target without a source) is an error rather than a line that parses differently.

use crate::commands::args::{
    CollectstaticArgs, DirectiveArgs, RemovalWhen, SyncArgs, VenvEnsureArgs, VenvInstallArgs,
    VenvRemoveArgs,
};
use crate::commands::DirectiveKind;

/// Why arguments cannot be written as a line that parses back to them.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// A word holds a character a directive line cannot carry.
    #[error("`{word}` cannot be written in a directive line: it holds `{character}`")]
    Unwritable {
        /// The word.
        word: String,
        /// The character (`"`, `%`, `!`, a line end).
        character: char,
    },
    /// A value would be read back as a switch (`/ONCE` as an env folder).
    #[error("`{0}` would be read as a switch, not a value")]
    LooksLikeSwitch(String),
    /// The combination has no spelling (`SYNC` with a target but no source).
    #[error("{0}")]
    NoSpelling(&'static str),
}

/// The line for `args`: `VENV REMOVE /IFCHANGED requirements.txt`.
pub fn render(args: &DirectiveArgs) -> Result<String, RenderError> {
    let (kind, words) = match args {
        DirectiveArgs::Sync(args) => (DirectiveKind::Sync, sync_words(args)?),
        DirectiveArgs::PythonSelect => (DirectiveKind::PythonSelect, Vec::new()),
        DirectiveArgs::VenvEnsure(args) => (DirectiveKind::VenvEnsure, venv_ensure_words(args)?),
        DirectiveArgs::VenvRemove(args) => (DirectiveKind::VenvRemove, venv_remove_words(args)?),
        DirectiveArgs::VenvInstall(args) => (DirectiveKind::VenvInstall, venv_install_words(args)?),
        DirectiveArgs::DjangoCollectstatic(args) => (
            DirectiveKind::DjangoCollectstatic,
            collectstatic_words(args),
        ),
    };
    let mut line = kind.display_name().to_string();
    for word in words {
        line.push(' ');
        line.push_str(&word);
    }
    Ok(line)
}

/// `[source [target]] [/IGNORE globs]... [/NOMANIFEST] [/CHECKSUM] [/WHATIF] [/QUIET]
/// [/MANIFEST next [previous]]`: `/MANIFEST` last, so that nothing after it can be taken
/// for its optional second file.
fn sync_words(args: &SyncArgs) -> Result<Vec<String>, RenderError> {
    if args.source.is_none() && args.target.is_some() {
        return Err(RenderError::NoSpelling(
            "`SYNC` takes a target only after a source",
        ));
    }
    if args.no_manifest && args.manifest.is_some() {
        return Err(RenderError::NoSpelling(
            "`/NOMANIFEST` and `/MANIFEST` cannot be used together",
        ));
    }
    let mut words = Vec::new();
    for folder in args.source.iter().chain(&args.target) {
        words.push(value(folder)?);
    }
    for globs in &args.ignore {
        words.push("/IGNORE".to_string());
        words.push(value(globs)?);
    }
    let flags = [
        (args.no_manifest, "/NOMANIFEST"),
        (args.checksum, "/CHECKSUM"),
        (args.whatif, "/WHATIF"),
        (args.quiet, "/QUIET"),
    ];
    words.extend(
        flags
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, name)| name.to_string()),
    );
    if let Some((next, previous)) = &args.manifest {
        words.push("/MANIFEST".to_string());
        words.push(value(next)?);
        if let Some(previous) = previous {
            words.push(value(previous)?);
        }
    }
    Ok(words)
}

/// `[dir] [/INSTALLER pip|uv]`.
fn venv_ensure_words(args: &VenvEnsureArgs) -> Result<Vec<String>, RenderError> {
    let mut words = Vec::new();
    if let Some(dir) = &args.dir {
        words.push(value(dir)?);
    }
    if let Some(installer) = &args.installer {
        words.push("/INSTALLER".to_string());
        words.push(value(installer)?);
    }
    Ok(words)
}

/// `[dir] [/ONCE token | /IFCHANGED file...]`.
fn venv_remove_words(args: &VenvRemoveArgs) -> Result<Vec<String>, RenderError> {
    let mut words = Vec::new();
    if let Some(dir) = &args.dir {
        words.push(value(dir)?);
    }
    match &args.when {
        RemovalWhen::Always => {}
        RemovalWhen::Once(token) => {
            words.push("/ONCE".to_string());
            words.push(value(token)?);
        }
        RemovalWhen::IfChanged(files) => {
            if files.is_empty() {
                return Err(RenderError::NoSpelling(
                    "`/IFCHANGED` needs at least one file",
                ));
            }
            words.push("/IFCHANGED".to_string());
            for file in files {
                words.push(value(file)?);
            }
        }
    }
    Ok(words)
}

/// `[-r file | .]... [/INSTALLER pip|uv|auto] [/SYNC]`.
fn venv_install_words(args: &VenvInstallArgs) -> Result<Vec<String>, RenderError> {
    let mut words = Vec::new();
    for input in &args.inputs {
        words.push(value(input)?);
    }
    if let Some(installer) = &args.installer {
        words.push("/INSTALLER".to_string());
        words.push(value(installer)?);
    }
    if args.sync {
        words.push("/SYNC".to_string());
    }
    Ok(words)
}

/// `[/IGNOREERRORS]`.
fn collectstatic_words(args: &CollectstaticArgs) -> Vec<String> {
    if args.ignore_errors {
        vec!["/IGNOREERRORS".to_string()]
    } else {
        Vec::new()
    }
}

/// A value word as the line must spell it: quoted when it holds a blank or a character
/// `cmd` gives a meaning (`&|<>()^`, and the `;,=` that separate batch parameters), or
/// is empty; refused when no spelling survives expansion and quote removal.
fn value(word: &str) -> Result<String, RenderError> {
    if let Some(character) = word
        .chars()
        .find(|c| matches!(c, '"' | '%' | '!' | '\r' | '\n'))
    {
        return Err(RenderError::Unwritable {
            word: word.to_string(),
            character,
        });
    }
    if crate::commands::switch_name(word).is_some() {
        return Err(RenderError::LooksLikeSwitch(word.to_string()));
    }
    let needs_quotes = word.is_empty()
        || word.chars().any(|c| {
            c.is_whitespace()
                || matches!(c, '&' | '|' | '<' | '>' | '(' | ')' | '^' | ';' | ',' | '=')
        });
    Ok(if needs_quotes {
        format!("\"{word}\"")
    } else {
        word.to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::args::parse_directive;
    use crate::interpreter::expand::{split_words, Split};

    /// Renders, splits the arguments as the interpreter does, parses them back.
    fn round_trip(args: DirectiveArgs) -> DirectiveArgs {
        let line = render(&args).unwrap();
        let kind = match &args {
            DirectiveArgs::Sync(_) => DirectiveKind::Sync,
            DirectiveArgs::PythonSelect => DirectiveKind::PythonSelect,
            DirectiveArgs::VenvEnsure(_) => DirectiveKind::VenvEnsure,
            DirectiveArgs::VenvRemove(_) => DirectiveKind::VenvRemove,
            DirectiveArgs::VenvInstall(_) => DirectiveKind::VenvInstall,
            DirectiveArgs::DjangoCollectstatic(_) => DirectiveKind::DjangoCollectstatic,
        };
        let arguments = line
            .strip_prefix(kind.display_name())
            .expect("the line starts with the directive's name");
        parse_directive(kind, &split_words(arguments, Split::Builtin)).unwrap()
    }

    #[test]
    fn lines_are_written_as_gen_deploy_writes_them() {
        let sync = DirectiveArgs::Sync(SyncArgs {
            ignore: vec![".git;.hg;.deployment;deploy.cmd".into()],
            ..SyncArgs::default()
        });
        assert_eq!(
            render(&sync).unwrap(),
            "SYNC /IGNORE \".git;.hg;.deployment;deploy.cmd\""
        );
        let pip = DirectiveArgs::VenvInstall(VenvInstallArgs {
            inputs: vec!["-r".into(), "my reqs\\base.txt".into()],
            installer: Some("uv".into()),
            sync: false,
        });
        assert_eq!(
            render(&pip).unwrap(),
            "VENV INSTALL -r \"my reqs\\base.txt\" /INSTALLER uv"
        );
        assert_eq!(round_trip(pip.clone()), pip);
        assert_eq!(round_trip(sync.clone()), sync);
    }

    #[test]
    fn every_switch_comes_back() {
        let all = [
            DirectiveArgs::Sync(SyncArgs {
                source: Some("/srv/my repo".into()),
                target: Some("/srv/site".into()),
                ignore: vec!["a;b".into(), "c".into()],
                manifest: Some(("next manifest".into(), Some("prev".into()))),
                no_manifest: false,
                checksum: true,
                whatif: true,
                quiet: true,
            }),
            DirectiveArgs::Sync(SyncArgs {
                no_manifest: true,
                ..SyncArgs::default()
            }),
            DirectiveArgs::PythonSelect,
            DirectiveArgs::VenvEnsure(VenvEnsureArgs {
                dir: Some("D:\\home\\site\\my env".into()),
                installer: Some("pip".into()),
            }),
            DirectiveArgs::VenvRemove(VenvRemoveArgs {
                dir: Some("env".into()),
                when: RemovalWhen::Once("2026-12-02".into()),
            }),
            DirectiveArgs::VenvRemove(VenvRemoveArgs {
                dir: None,
                when: RemovalWhen::IfChanged(vec!["a b.txt".into(), "uv.lock".into()]),
            }),
            DirectiveArgs::VenvInstall(VenvInstallArgs {
                inputs: vec![".".into(), "-r".into(), "x(1).txt".into()],
                installer: Some("auto".into()),
                sync: true,
            }),
            DirectiveArgs::DjangoCollectstatic(CollectstaticArgs {
                ignore_errors: true,
            }),
        ];
        for args in all {
            assert_eq!(round_trip(args.clone()), args);
        }
    }

    #[test]
    fn what_has_no_spelling_is_refused() {
        let remove = |dir: &str| {
            render(&DirectiveArgs::VenvRemove(VenvRemoveArgs {
                dir: Some(dir.into()),
                when: RemovalWhen::Always,
            }))
        };
        assert_eq!(
            remove("/ONCE"),
            Err(RenderError::LooksLikeSwitch("/ONCE".into()))
        );
        assert_eq!(
            remove("100%").unwrap_err().to_string(),
            "`100%` cannot be written in a directive line: it holds `%`"
        );
        assert_eq!(remove("/srv/env").unwrap(), "VENV REMOVE /srv/env");
        let target_only = DirectiveArgs::Sync(SyncArgs {
            target: Some("site".into()),
            ..SyncArgs::default()
        });
        assert_eq!(
            render(&target_only),
            Err(RenderError::NoSpelling(
                "`SYNC` takes a target only after a source"
            ))
        );
    }
}
