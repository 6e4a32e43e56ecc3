//! The argument words of each deploy directive, parsed into typed arguments. It lives with
//! the commands table because both sides read it: `--check` (src/check/) and the run
//! (src/directives/) share these parsers, so a script that checks clean runs, and neither
//! side imports the other.

use crate::commands::{self, Builtin, DirectiveKind, Item, SwitchError};

/// `SYNC [source] [target] [/IGNORE "globs"] [/MANIFEST next [prev]] [/NOMANIFEST]
/// [/CHECKSUM] [/WHATIF] [/QUIET]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncArgs {
    /// The folder to copy from (default: DEPLOYMENT_SOURCE).
    pub source: Option<String>,
    /// The folder to copy into (default: DEPLOYMENT_TARGET).
    pub target: Option<String>,
    /// `;`-separated ignore globs, each `/IGNORE` adding a list.
    pub ignore: Vec<String>,
    /// `/MANIFEST next [prev]` (default: NEXT_MANIFEST_PATH, PREVIOUS_MANIFEST_PATH).
    pub manifest: Option<(String, Option<String>)>,
    /// `/NOMANIFEST`: delete anything the source lacks.
    pub no_manifest: bool,
    /// `/CHECKSUM`: compare content too, when size and time are equal.
    pub checksum: bool,
    /// `/WHATIF`: say what would change, change nothing.
    pub whatif: bool,
    /// `/QUIET`: do not list each file.
    pub quiet: bool,
}

/// `VENV ENSURE [dir] [/INSTALLER pip|uv]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VenvEnsureArgs {
    /// The env folder (default: DEPLOYMENT_TARGET\env).
    pub dir: Option<String>,
    /// `pip` or `uv` (default: pip).
    pub installer: Option<String>,
}

/// When `VENV REMOVE` removes the env.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RemovalWhen {
    /// Every deploy.
    Always,
    /// `/ONCE token`: once per token.
    Once(String),
    /// `/IFCHANGED file...`: when a file's content changed since the last successful deploy.
    IfChanged(Vec<String>),
}

/// `VENV REMOVE [dir] [/ONCE token | /IFCHANGED file...]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VenvRemoveArgs {
    /// The env folder (default: DEPLOYMENT_TARGET\env).
    pub dir: Option<String>,
    /// When.
    pub when: RemovalWhen,
}

/// `VENV INSTALL [-r file | .]... [/INSTALLER pip|uv|auto] [/SYNC]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VenvInstallArgs {
    /// The install arguments as written (`-r`, file, `.`, `-c` ...).
    pub inputs: Vec<String>,
    /// `pip`, `uv` or `auto`.
    pub installer: Option<String>,
    /// `/SYNC`: also remove what is no longer listed.
    pub sync: bool,
}

/// `DJANGO COLLECTSTATIC [/IGNOREERRORS]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CollectstaticArgs {
    /// A failure does not fail the deploy.
    pub ignore_errors: bool,
}

/// A directive's parsed arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DirectiveArgs {
    /// `SYNC`
    Sync(SyncArgs),
    /// `PYTHON SELECT`
    PythonSelect,
    /// `VENV ENSURE`
    VenvEnsure(VenvEnsureArgs),
    /// `VENV REMOVE`
    VenvRemove(VenvRemoveArgs),
    /// `VENV INSTALL`
    VenvInstall(VenvInstallArgs),
    /// `DJANGO COLLECTSTATIC`
    DjangoCollectstatic(CollectstaticArgs),
}

/// Why a directive's words do not parse. `--check` and the run report the same text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DirectiveError {
    /// An unknown switch, a missing or wrong value: the commands table's own error.
    #[error(transparent)]
    Switch(#[from] SwitchError),
    /// A word the directive has no place for.
    #[error("unexpected `{word}` after `{directive}`")]
    Unexpected {
        /// The word as written.
        word: String,
        /// The directive (`PYTHON SELECT`).
        directive: &'static str,
    },
    /// SYNC with both `/NOMANIFEST` and `/MANIFEST`.
    #[error("`/NOMANIFEST` and `/MANIFEST` cannot be used together")]
    ManifestConflict,
    /// VENV REMOVE with both `/ONCE` and `/IFCHANGED`.
    #[error("use one of `/ONCE` and `/IFCHANGED`, not both")]
    RemovalConflict,
    /// VENV REMOVE `/IFCHANGED` with no file after it.
    #[error("`/IFCHANGED` needs at least one file, e.g. `/IFCHANGED requirements.txt`")]
    IfChangedWithoutFile,
    /// VENV INSTALL's install arguments, as the installer's parser reads them.
    #[error(transparent)]
    PipInputs(#[from] crate::python::requirements::InputError),
}

impl DirectiveError {
    /// What to do about it, when that is knowable (for a misspelled switch: the close one).
    pub fn help(&self) -> Option<String> {
        match self {
            DirectiveError::Switch(error) => error.help(),
            _ => None,
        }
    }
}

/// The switch every directive takes: a failure does not fail the deploy.
pub const IGNORE_ERRORS: &str = "/IGNOREERRORS";

/// Whether a directive's argument words carry `/IGNOREERRORS`.
pub fn ignores_errors(kind: DirectiveKind, words: &[String]) -> bool {
    commands::spec(Builtin::Directive(kind))
        .parse(words)
        .is_ok_and(|items| items.iter().any(is_ignore_errors))
}

fn is_ignore_errors(item: &Item) -> bool {
    matches!(item, Item::Switch(switch) if switch.name == IGNORE_ERRORS)
}

/// Parses a directive's argument words (expanded, quotes removed).
pub fn parse_directive(
    kind: DirectiveKind,
    words: &[String],
) -> Result<DirectiveArgs, DirectiveError> {
    let spec = commands::spec(Builtin::Directive(kind));
    // `/IGNOREERRORS` belongs to every directive and is read by the deploy's runner.
    let (ignore, items): (Vec<Item>, Vec<Item>) =
        spec.parse(words)?.into_iter().partition(is_ignore_errors);
    let ignore_errors = !ignore.is_empty();
    let unexpected = |word: String| DirectiveError::Unexpected {
        word,
        directive: spec.display,
    };
    let args = match kind {
        DirectiveKind::Sync => DirectiveArgs::Sync(parse_sync(items, unexpected)?),
        DirectiveKind::PythonSelect => match items.into_iter().next() {
            Some(item) => return Err(unexpected(written(item))),
            None => DirectiveArgs::PythonSelect,
        },
        DirectiveKind::VenvEnsure => {
            let mut args = VenvEnsureArgs::default();
            for item in items {
                match item {
                    Item::Switch(switch) => args.installer = switch.values.into_iter().next(),
                    Item::Word(word) if args.dir.is_none() => args.dir = Some(word),
                    Item::Word(word) => return Err(unexpected(word)),
                }
            }
            DirectiveArgs::VenvEnsure(args)
        }
        DirectiveKind::VenvRemove => {
            DirectiveArgs::VenvRemove(parse_venv_remove(items, unexpected)?)
        }
        DirectiveKind::VenvInstall => {
            let mut args = VenvInstallArgs::default();
            for item in items {
                match item {
                    Item::Switch(switch) if switch.name == "/SYNC" => args.sync = true,
                    Item::Switch(switch) => args.installer = switch.values.into_iter().next(),
                    Item::Word(word) => args.inputs.push(word),
                }
            }
            validate_pip_inputs(&args.inputs)?;
            DirectiveArgs::VenvInstall(args)
        }
        DirectiveKind::DjangoCollectstatic => {
            if let Some(item) = items.into_iter().next() {
                return Err(unexpected(written(item)));
            }
            DirectiveArgs::DjangoCollectstatic(CollectstaticArgs { ignore_errors })
        }
    };
    Ok(args)
}

fn parse_sync(
    items: Vec<Item>,
    unexpected: impl Fn(String) -> DirectiveError,
) -> Result<SyncArgs, DirectiveError> {
    let mut args = SyncArgs::default();
    for item in items {
        match item {
            Item::Switch(switch) => {
                let mut values = switch.values.into_iter();
                match switch.name {
                    "/IGNORE" => args.ignore.extend(values.next()),
                    "/MANIFEST" => {
                        let next = values.next().unwrap_or_default();
                        args.manifest = Some((next, values.next()));
                    }
                    "/NOMANIFEST" => args.no_manifest = true,
                    "/CHECKSUM" => args.checksum = true,
                    "/WHATIF" => args.whatif = true,
                    _ => args.quiet = true,
                }
            }
            Item::Word(word) if args.source.is_none() => args.source = Some(word),
            Item::Word(word) if args.target.is_none() => args.target = Some(word),
            Item::Word(word) => return Err(unexpected(word)),
        }
    }
    if args.no_manifest && args.manifest.is_some() {
        return Err(DirectiveError::ManifestConflict);
    }
    Ok(args)
}

fn parse_venv_remove(
    items: Vec<Item>,
    unexpected: impl Fn(String) -> DirectiveError,
) -> Result<VenvRemoveArgs, DirectiveError> {
    let mut dir = None;
    let mut when = RemovalWhen::Always;
    for item in items {
        match item {
            Item::Switch(switch) => {
                if when != RemovalWhen::Always {
                    return Err(DirectiveError::RemovalConflict);
                }
                when = if switch.name == "/ONCE" {
                    RemovalWhen::Once(switch.values.into_iter().next().unwrap_or_default())
                } else if switch.values.is_empty() {
                    return Err(DirectiveError::IfChangedWithoutFile);
                } else {
                    RemovalWhen::IfChanged(switch.values)
                };
            }
            Item::Word(word) if dir.is_none() && when == RemovalWhen::Always => dir = Some(word),
            Item::Word(word) => return Err(unexpected(word)),
        }
    }
    Ok(VenvRemoveArgs { dir, when })
}

/// The install arguments, read by the same parser the run uses.
fn validate_pip_inputs(inputs: &[String]) -> Result<(), DirectiveError> {
    crate::python::requirements::InstallInput::parse_args(inputs, std::path::Path::new("."))
        .map(|_| ())
        .map_err(DirectiveError::PipInputs)
}

/// A parsed word back as it was written.
fn written(item: Item) -> String {
    match item {
        Item::Switch(switch) => switch.written,
        Item::Word(word) => word,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(kind: DirectiveKind, line: &str) -> Result<DirectiveArgs, String> {
        let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        parse_directive(kind, &words).map_err(|error| error.to_string())
    }

    #[test]
    fn sync_defaults_and_switches() {
        assert_eq!(
            parse(DirectiveKind::Sync, "").unwrap(),
            DirectiveArgs::Sync(SyncArgs::default())
        );
        let DirectiveArgs::Sync(args) = parse(
            DirectiveKind::Sync,
            "/srv/repo /srv/site /ignore .git;x /manifest a b /checksum",
        )
        .unwrap() else {
            panic!("not sync")
        };
        assert_eq!(args.source.as_deref(), Some("/srv/repo"));
        assert_eq!(args.target.as_deref(), Some("/srv/site"));
        assert_eq!(args.ignore, vec![".git;x"]);
        assert_eq!(args.manifest, Some(("a".into(), Some("b".into()))));
        assert!(args.checksum && !args.whatif);
        assert_eq!(
            parse(DirectiveKind::Sync, "/NOMANIFEST /MANIFEST a").unwrap_err(),
            "`/NOMANIFEST` and `/MANIFEST` cannot be used together"
        );
    }

    #[test]
    fn venv_remove_forms() {
        let remove = |line| match parse(DirectiveKind::VenvRemove, line) {
            Ok(DirectiveArgs::VenvRemove(args)) => Ok(args),
            Ok(other) => panic!("{other:?}"),
            Err(error) => Err(error),
        };
        assert_eq!(remove("").unwrap().when, RemovalWhen::Always);
        let once = remove("env /ONCE 2026-11-24").unwrap();
        assert_eq!(once.dir.as_deref(), Some("env"));
        assert_eq!(once.when, RemovalWhen::Once("2026-11-24".into()));
        assert_eq!(
            remove("/ifchanged requirements.txt constraints.txt")
                .unwrap()
                .when,
            RemovalWhen::IfChanged(vec!["requirements.txt".into(), "constraints.txt".into()])
        );
        assert_eq!(remove("/ONCE").unwrap_err(), "`/ONCE` needs a value");
        assert!(remove("/IFCHANGED")
            .unwrap_err()
            .contains("needs at least one file"));
        assert!(remove("/ONCE a /IFCHANGED b")
            .unwrap_err()
            .contains("not both"));
    }

    #[test]
    fn venv_install_takes_requirement_files_and_the_project() {
        let DirectiveArgs::VenvInstall(args) = parse(
            DirectiveKind::VenvInstall,
            "-r requirements.txt . /installer UV /sync",
        )
        .unwrap() else {
            panic!("not pip")
        };
        assert_eq!(args.inputs, vec!["-r", "requirements.txt", "."]);
        assert_eq!(args.installer.as_deref(), Some("uv"));
        assert!(args.sync);
        assert!(parse(DirectiveKind::VenvInstall, "gunicorn")
            .unwrap_err()
            .contains("to run pip itself"));
        assert_eq!(
            parse(DirectiveKind::VenvInstall, "-r").unwrap_err(),
            "`-r` needs a file name: `VENV INSTALL -r requirements.txt`"
        );
        assert!(parse(DirectiveKind::VenvEnsure, "/INSTALLER conda")
            .unwrap_err()
            .contains("not one of pip, uv"));
        assert_eq!(
            parse(DirectiveKind::PythonSelect, "3.11").unwrap_err(),
            "unexpected `3.11` after `PYTHON SELECT`"
        );
    }
}
