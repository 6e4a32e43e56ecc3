//! The argument words of each deploy directive, parsed into what it will do. The check
//! (`--check`) and the runner share these parsers, so a script that checks clean runs.

use crate::ast::DirectiveKind;

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

/// `PIP INSTALL [-r file | .]... [/INSTALLER pip|uv|auto] [/SYNC]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PipInstallArgs {
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
    /// `PIP INSTALL`
    PipInstall(PipInstallArgs),
    /// `DJANGO COLLECTSTATIC`
    DjangoCollectstatic(CollectstaticArgs),
}

/// Parses a directive's argument words (expanded, quotes removed).
pub fn parse_directive(kind: DirectiveKind, words: &[String]) -> Result<DirectiveArgs, String> {
    let mut words = Words::new(kind, words);
    let args = match kind {
        DirectiveKind::Sync => DirectiveArgs::Sync(parse_sync(&mut words)?),
        DirectiveKind::PythonSelect => {
            words.no_more()?;
            DirectiveArgs::PythonSelect
        }
        DirectiveKind::VenvEnsure => {
            let mut args = VenvEnsureArgs::default();
            while let Some(word) = words.next() {
                match switch(&word).as_deref() {
                    Some("/INSTALLER") => {
                        args.installer = Some(one_of(&words.value(&word)?, &["pip", "uv"])?)
                    }
                    Some(_) => return Err(words.unknown(&word)),
                    None if args.dir.is_none() => args.dir = Some(word),
                    None => return Err(words.extra(&word)),
                }
            }
            DirectiveArgs::VenvEnsure(args)
        }
        DirectiveKind::VenvRemove => DirectiveArgs::VenvRemove(parse_venv_remove(&mut words)?),
        DirectiveKind::PipInstall => {
            let mut args = PipInstallArgs::default();
            while let Some(word) = words.next() {
                match switch(&word).as_deref() {
                    Some("/INSTALLER") => {
                        args.installer = Some(one_of(&words.value(&word)?, &["pip", "uv", "auto"])?)
                    }
                    Some("/SYNC") => args.sync = true,
                    Some(_) => return Err(words.unknown(&word)),
                    None => args.inputs.push(word),
                }
            }
            validate_pip_inputs(&args.inputs)?;
            DirectiveArgs::PipInstall(args)
        }
        DirectiveKind::DjangoCollectstatic => {
            let mut args = CollectstaticArgs::default();
            while let Some(word) = words.next() {
                match switch(&word).as_deref() {
                    Some("/IGNOREERRORS") => args.ignore_errors = true,
                    Some(_) => return Err(words.unknown(&word)),
                    None => return Err(words.extra(&word)),
                }
            }
            DirectiveArgs::DjangoCollectstatic(args)
        }
    };
    Ok(args)
}

fn parse_sync(words: &mut Words) -> Result<SyncArgs, String> {
    let mut args = SyncArgs::default();
    while let Some(word) = words.next() {
        match switch(&word).as_deref() {
            Some("/IGNORE") => args.ignore.push(words.value(&word)?),
            Some("/MANIFEST") => {
                let next = words.value(&word)?;
                let previous = words.next_if(|w| switch(w).is_none());
                args.manifest = Some((next, previous));
            }
            Some("/NOMANIFEST") => args.no_manifest = true,
            Some("/CHECKSUM") => args.checksum = true,
            Some("/WHATIF") => args.whatif = true,
            Some("/QUIET") => args.quiet = true,
            Some(_) => return Err(words.unknown(&word)),
            None if args.source.is_none() => args.source = Some(word),
            None if args.target.is_none() => args.target = Some(word),
            None => return Err(words.extra(&word)),
        }
    }
    if args.no_manifest && args.manifest.is_some() {
        return Err("`/NOMANIFEST` and `/MANIFEST` cannot be used together".into());
    }
    Ok(args)
}

fn parse_venv_remove(words: &mut Words) -> Result<VenvRemoveArgs, String> {
    let mut dir = None;
    let mut when = RemovalWhen::Always;
    while let Some(word) = words.next() {
        match switch(&word).as_deref() {
            Some("/ONCE") => {
                let token = words.value(&word)?;
                if when != RemovalWhen::Always {
                    return Err("use one of `/ONCE` and `/IFCHANGED`, not both".into());
                }
                when = RemovalWhen::Once(token);
            }
            Some("/IFCHANGED") => {
                if when != RemovalWhen::Always {
                    return Err("use one of `/ONCE` and `/IFCHANGED`, not both".into());
                }
                let mut files = Vec::new();
                while let Some(file) = words.next_if(|w| switch(w).is_none()) {
                    files.push(file);
                }
                if files.is_empty() {
                    return Err(
                        "`/IFCHANGED` needs at least one file, e.g. `/IFCHANGED requirements.txt`"
                            .into(),
                    );
                }
                when = RemovalWhen::IfChanged(files);
            }
            Some(_) => return Err(words.unknown(&word)),
            None if dir.is_none() && when == RemovalWhen::Always => dir = Some(word),
            None => return Err(words.extra(&word)),
        }
    }
    Ok(VenvRemoveArgs { dir, when })
}

/// The install arguments, read by the same parser the run uses.
fn validate_pip_inputs(inputs: &[String]) -> Result<(), String> {
    crate::python::requirements::InstallInput::parse_args(inputs, std::path::Path::new("."))
        .map(|_| ())
}

/// The switch a word is, upper-cased (`/once` -> `/ONCE`), or `None` for a path such as
/// `/srv/site`: the same rule `--check` uses.
fn switch(word: &str) -> Option<String> {
    crate::check::switch_name(word)
}

fn one_of(value: &str, allowed: &[&str]) -> Result<String, String> {
    let lower = value.to_ascii_lowercase();
    if allowed.contains(&lower.as_str()) {
        Ok(lower)
    } else {
        Err(format!("`{value}` is not one of {}", allowed.join(", ")))
    }
}

/// The words of one directive, consumed in order.
struct Words<'a> {
    kind: DirectiveKind,
    words: std::iter::Peekable<std::slice::Iter<'a, String>>,
}

impl<'a> Words<'a> {
    fn new(kind: DirectiveKind, words: &'a [String]) -> Words<'a> {
        Words {
            kind,
            words: words.iter().peekable(),
        }
    }

    fn next(&mut self) -> Option<String> {
        self.words.next().cloned()
    }

    fn next_if(&mut self, accept: impl Fn(&str) -> bool) -> Option<String> {
        self.words.next_if(|word| accept(word)).cloned()
    }

    fn value(&mut self, switch: &str) -> Result<String, String> {
        self.next_if(|word| self::switch(word).is_none())
            .ok_or_else(|| format!("`{switch}` needs a value"))
    }

    fn no_more(&mut self) -> Result<(), String> {
        match self.next() {
            Some(word) => Err(self.extra(&word)),
            None => Ok(()),
        }
    }

    fn unknown(&self, word: &str) -> String {
        format!("unknown switch `{word}` for `{}`", self.kind.display_name())
    }

    fn extra(&self, word: &str) -> String {
        format!("unexpected `{word}` after `{}`", self.kind.display_name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(kind: DirectiveKind, line: &str) -> Result<DirectiveArgs, String> {
        let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        parse_directive(kind, &words)
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
    fn pip_install_takes_requirement_files_and_the_project() {
        let DirectiveArgs::PipInstall(args) = parse(
            DirectiveKind::PipInstall,
            "-r requirements.txt . /installer UV /sync",
        )
        .unwrap() else {
            panic!("not pip")
        };
        assert_eq!(args.inputs, vec!["-r", "requirements.txt", "."]);
        assert_eq!(args.installer.as_deref(), Some("uv"));
        assert!(args.sync);
        assert!(parse(DirectiveKind::PipInstall, "gunicorn")
            .unwrap_err()
            .contains("to run pip itself"));
        assert_eq!(
            parse(DirectiveKind::PipInstall, "-r").unwrap_err(),
            "`-r` needs a file name: `PIP INSTALL -r requirements.txt`"
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
