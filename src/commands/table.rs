//! The table itself: every builtin and directive with its names and switches. The
//! switch texts here are the docs (docs/language.md's switch table is rendered from them).

use super::builtin::{Builtin, DirectiveKind};
use super::switch::{Switch, Value};
use super::{CommandSpec, DryRun};

const fn flag(name: &'static str, what: &'static str) -> Switch {
    Switch {
        name,
        value: Value::None,
        what,
    }
}

const fn with(name: &'static str, value: Value, what: &'static str) -> Switch {
    Switch { name, value, what }
}

/// A builtin that takes no switches and whose text is not words (ECHO, GOTO, ...).
const fn text(
    builtin: Builtin,
    names: &'static [&'static str],
    display: &'static str,
) -> CommandSpec {
    CommandSpec {
        builtin,
        names,
        subcommand: None,
        display,
        reads_switches: false,
        leading_switch_only: false,
        switches: &[],
        dry_run: DryRun::Runs,
        bad_switch_errorlevel: 1,
    }
}

/// A builtin whose words are read against `switches`.
const fn words(
    builtin: Builtin,
    names: &'static [&'static str],
    display: &'static str,
    switches: &'static [Switch],
    dry_run: DryRun,
) -> CommandSpec {
    CommandSpec {
        builtin,
        names,
        subcommand: None,
        display,
        reads_switches: true,
        leading_switch_only: false,
        switches,
        dry_run,
        bad_switch_errorlevel: 1,
    }
}

/// A deploy directive.
const fn directive(
    kind: DirectiveKind,
    names: &'static [&'static str],
    subcommand: Option<&'static str>,
    display: &'static str,
    switches: &'static [Switch],
) -> CommandSpec {
    CommandSpec {
        builtin: Builtin::Directive(kind),
        names,
        subcommand,
        display,
        reads_switches: true,
        leading_switch_only: false,
        switches,
        dry_run: DryRun::Planned,
        bad_switch_errorlevel: 1,
    }
}

const INSTALLERS_VENV: &[&str] = &["pip", "uv"];
const INSTALLERS_INSTALL: &[&str] = &["pip", "uv", "auto"];
/// `/IGNOREERRORS`, which every directive takes: a failure sets ERRORLEVEL and the script
/// goes on, and the deploy does not fail for it.
const IGNORE_ERRORS: Switch = flag(
    "/IGNOREERRORS",
    "a failure is a warning and does not fail the deploy (every directive)",
);
const NEVER_ASKS: &str = "do not ask (a deploy never asks: accepted, changes nothing)";

/// Every command of the dialect.
pub(super) const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        leading_switch_only: true,
        ..words(
            Builtin::Set,
            &["set"],
            "SET",
            &[
                flag("/A", "integer arithmetic: `SET /A N=N+1` (first word only)"),
                flag("/P", "the value is a line of input: `SET /P X=<file` (first word only)"),
            ],
            DryRun::Runs,
        )
    },
    text(Builtin::Goto, &["goto"], "GOTO"),
    text(Builtin::Call, &["call"], "CALL"),
    words(
        Builtin::Exit,
        &["exit"],
        "EXIT",
        &[flag("/B", "leave the script or subroutine, not the whole run: `EXIT /B n`")],
        DryRun::Runs,
    ),
    text(Builtin::Setlocal, &["setlocal"], "SETLOCAL"),
    text(Builtin::Endlocal, &["endlocal"], "ENDLOCAL"),
    words(Builtin::Shift, &["shift"], "SHIFT", &[], DryRun::Runs),
    words(Builtin::Pushd, &["pushd"], "PUSHD", &[], DryRun::Runs),
    words(Builtin::Popd, &["popd"], "POPD", &[], DryRun::Runs),
    words(
        Builtin::Cd,
        &["cd", "chdir"],
        "CD",
        &[flag("/D", "change the drive too (accepted: there are no drives here)")],
        DryRun::Runs,
    ),
    text(Builtin::Echo, &["echo"], "ECHO"),
    words(Builtin::Md, &["md", "mkdir"], "MD", &[], DryRun::Reported),
    words(
        Builtin::Rd,
        &["rd", "rmdir"],
        "RD",
        &[
            flag("/S", "remove the folder with everything in it"),
            flag("/Q", NEVER_ASKS),
        ],
        DryRun::Reported,
    ),
    words(
        Builtin::Del,
        &["del", "erase"],
        "DEL",
        &[
            flag("/Q", NEVER_ASKS),
            flag("/F", "read-only files too (always so here)"),
            flag("/S", "matching files in every subfolder too"),
        ],
        DryRun::Reported,
    ),
    words(
        Builtin::Copy,
        &["copy"],
        "COPY",
        &[
            flag("/Y", "overwrite without asking (always so here)"),
            flag("/-Y", "ask before overwriting (accepted: a deploy never asks, it overwrites)"),
            flag("/B", "binary copy (accepted: every copy is byte for byte)"),
            flag("/A", "ASCII copy (accepted: every copy is byte for byte)"),
            flag("/V", "verify (accepted, changes nothing)"),
            flag("/Z", "restartable copy (accepted: a copy is written to a temporary name, then renamed)"),
            flag("/D", "allow an unencrypted copy (accepted: Linux has no encrypted files to decrypt)"),
        ],
        DryRun::Reported,
    ),
    CommandSpec {
        bad_switch_errorlevel: 4,
        ..words(
            Builtin::Xcopy,
            &["xcopy"],
            "XCOPY",
            &[
                flag("/E", "subfolders too, empty ones included"),
                flag("/S", "subfolders too, empty ones left out"),
                flag("/I", "the target is a folder"),
                flag("/Y", "overwrite without asking (always so here)"),
                flag("/-Y", "ask before overwriting (accepted: a deploy never asks, it overwrites)"),
                flag("/D", "only files newer than the target's copy"),
                flag("/Q", "do not list the copied files"),
                flag("/F", "list each copy as `source -> target`"),
                flag("/H", "hidden files too (always so here)"),
                flag("/R", "overwrite read-only files (always so here)"),
                flag("/K", "keep the files' attributes (permissions are always kept)"),
                flag("/C", "go on after a file it cannot write (without it, XCOPY stops there with exit code 5)"),
                with(
                    "/EXCLUDE",
                    Value::Attached {
                        placeholder: "file[+file]",
                        required: true,
                    },
                    "leave out every file or folder whose path contains a line of one of these files (case-insensitive, `\\` or `/`)",
                ),
            ],
            DryRun::Reported,
        )
    },
    CommandSpec {
        bad_switch_errorlevel: 16,
        ..words(
            Builtin::Robocopy,
            &["robocopy"],
            "ROBOCOPY",
            &[
                flag("/S", "subfolders too, empty ones left out"),
                flag("/E", "subfolders too, empty ones included"),
                flag("/MIR", "mirror: `/E` and `/PURGE` together"),
                flag("/PURGE", "delete target files and folders the source no longer has"),
                with(
                    "/XD",
                    Value::Words {
                        placeholder: "folder...",
                        min: 1,
                        max: None,
                    },
                    "leave out folders by name (wildcards allowed) or by path; `/PURGE` leaves them alone in the target too",
                ),
                with(
                    "/XF",
                    Value::Words {
                        placeholder: "file...",
                        min: 1,
                        max: None,
                    },
                    "leave out files by name (wildcards allowed) or by path; `/PURGE` leaves them alone in the target too",
                ),
                flag("/NFL", "do not list files"),
                flag("/NDL", "do not list folders"),
                flag("/NJH", "no header"),
                flag("/NJS", "no closing summary"),
                flag("/NP", "no progress percentage (none is printed here)"),
                with(
                    "/R",
                    Value::Attached {
                        placeholder: "n",
                        required: true,
                    },
                    "retries of a failed copy (accepted: a failed copy is reported at once, see below)",
                ),
                with(
                    "/W",
                    Value::Attached {
                        placeholder: "n",
                        required: true,
                    },
                    "seconds between retries (accepted: there are no retries)",
                ),
            ],
            DryRun::Reported,
        )
    },
    words(
        Builtin::Move,
        &["move"],
        "MOVE",
        &[
            flag("/Y", "overwrite without asking (always so here)"),
            flag("/-Y", "ask before overwriting (accepted: a deploy never asks, it overwrites)"),
        ],
        DryRun::Reported,
    ),
    words(Builtin::Ren, &["ren", "rename"], "REN", &[], DryRun::Reported),
    words(Builtin::Type, &["type"], "TYPE", &[], DryRun::Runs),
    words(
        Builtin::Where,
        &["where"],
        "WHERE",
        &[flag("/Q", "print nothing, only set ERRORLEVEL")],
        DryRun::Runs,
    ),
    words(
        Builtin::Dir,
        &["dir"],
        "DIR",
        &[
            flag("/B", "bare names, one per line"),
            with(
                "/A",
                Value::Attached {
                    placeholder: "D|-D",
                    required: false,
                },
                "`/A:D` folders only, `/A:-D` files only; `/A` alone: every entry",
            ),
            flag("/S", "the folder and every folder below it, entries named by full path"),
            flag("/AD", "folders only"),
            flag("/A-D", "files only"),
            flag("/O", "sorted by name (the only order here)"),
            flag("/ON", "sorted by name (the only order here)"),
        ],
        DryRun::Runs,
    ),
    words(
        Builtin::Timeout,
        &["timeout"],
        "TIMEOUT",
        &[
            with("/T", Value::Next("n"), "wait n seconds"),
            flag("/NOBREAK", "ignore key presses (there is no key to press here)"),
        ],
        DryRun::Runs,
    ),
    text(Builtin::Pause, &["pause"], "PAUSE"),
    text(Builtin::Cls, &["cls"], "CLS"),
    text(Builtin::Title, &["title"], "TITLE"),
    text(Builtin::Ver, &["ver"], "VER"),
    text(Builtin::Verify, &["verify"], "VERIFY"),
    words(
        Builtin::Time,
        &["time"],
        "TIME",
        &[flag("/T", "print the current time (`14:05`); without it cmd would prompt, so it is an error here")],
        DryRun::Runs,
    ),
    words(
        Builtin::Date,
        &["date"],
        "DATE",
        &[flag("/T", "print the current date (`Wed 12/02/2026`); without it cmd would prompt, so it is an error here")],
        DryRun::Runs,
    ),
    text(Builtin::Start, &["start"], "START"),
    text(Builtin::Else, &["else"], "ELSE"),
    directive(
        DirectiveKind::Sync,
        &["sync"],
        None,
        "SYNC",
        &[
            with(
                "/IGNORE",
                Value::Next("\"glob;glob\""),
                "`;`-separated globs left alone: neither copied nor deleted (repeatable)",
            ),
            with(
                "/MANIFEST",
                Value::Words {
                    placeholder: "next [previous]",
                    min: 1,
                    max: Some(2),
                },
                "the manifest files to write and to compare with (not with `/NOMANIFEST`)",
            ),
            flag("/NOMANIFEST", "no manifest: delete every target file the source lacks"),
            flag("/CHECKSUM", "when size and time are equal, compare content too"),
            flag("/WHATIF", "print what would change, change nothing"),
            flag("/QUIET", "do not list each file"),
            IGNORE_ERRORS,
        ],
    ),
    directive(
        DirectiveKind::PythonSelect,
        &["python"],
        Some("select"),
        "PYTHON SELECT",
        &[IGNORE_ERRORS],
    ),
    directive(
        DirectiveKind::VenvEnsure,
        &["venv"],
        Some("ensure"),
        "VENV ENSURE",
        &[
            with(
                "/INSTALLER",
                Value::OneOf(INSTALLERS_VENV),
                "which tool builds the env (default pip)",
            ),
            IGNORE_ERRORS,
        ],
    ),
    directive(
        DirectiveKind::VenvRemove,
        &["venv"],
        Some("remove"),
        "VENV REMOVE",
        &[
            with(
                "/ONCE",
                Value::Next("token"),
                "once per token: the first deploy that sees a new token (needs `--target`)",
            ),
            with(
                "/IFCHANGED",
                Value::Words {
                    placeholder: "file...",
                    min: 0,
                    max: None,
                },
                "when a file's content changed since the last successful deploy (needs `--target`)",
            ),
            IGNORE_ERRORS,
        ],
    ),
    directive(
        DirectiveKind::VenvInstall,
        &["venv"],
        Some("install"),
        "VENV INSTALL",
        &[
            with(
                "/INSTALLER",
                Value::OneOf(INSTALLERS_INSTALL),
                "which tool installs (default pip; `auto`: uv when it is on PATH)",
            ),
            flag("/SYNC", "also uninstall what is no longer listed"),
            IGNORE_ERRORS,
        ],
    ),
    directive(
        DirectiveKind::DjangoCollectstatic,
        &["django"],
        Some("collectstatic"),
        "DJANGO COLLECTSTATIC",
        &[IGNORE_ERRORS],
    ),
];
