//! The human output of a real deploy, pinned in full (times, temporary paths and the
//! Python patch version redacted): without a terminal (run-deploy's lines on stderr, the
//! script's on stdout), with --quiet, --verbose and --trace, a failing deploy, and under
//! a pseudo-terminal (`script` from util-linux) with colour, and with NO_COLOR.
//!
//! One test walks one site through the modes in turn, so the env is built once; each
//! deploy after the first has one changed file to copy. A program's stdout and stderr are
//! two pipes read as lines arrive, so their relative order on a terminal is not fixed:
//! the script prints to each from a separate program.

use crate::common::test::{write, Test};

const SCRIPT: &str = "\
@echo off
setlocal enabledelayedexpansion
SYNC /IGNORE \".git;deploy.cmd\"
IF !ERRORLEVEL! NEQ 0 goto error
PYTHON SELECT
VENV ENSURE
IF !ERRORLEVEL! NEQ 0 goto error
VENV INSTALL -r requirements.txt
IF !ERRORLEVEL! NEQ 0 goto error
python3 -c \"print('app checks passed')\"
python3 -c \"import sys; print('a note from python', file=sys.stderr)\"
if \"%FAIL%\"==\"1\" goto error
echo deployed %APP_NAME%
goto end
:error
echo An error has occurred during web site deployment.
exit /b 1
:end
";

/// Runs insta's assertion with times, the interpreter's path and the patch version
/// redacted.
fn pin(name: &str, text: &str) {
    insta::with_settings!({
        filters => vec![
            (r"\b\d+\.\d\ds\b", "[TIME]s"),
            (r"at `[^`]*python[^`]*`", "at `[PYTHON]`"),
            (r"\b3\.11\.\d+\b", "3.11.[PATCH]"),
        ],
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, text);
    });
}

/// The one site the test walks through the modes, and how many changes it made.
struct OutputSite {
    layout: Test,
    changes: usize,
}

impl OutputSite {
    fn new() -> OutputSite {
        let layout = Test::new()
            .app_files(&[
                ("deploy.cmd", SCRIPT),
                ("app.py", "VERSION = 0\n"),
                ("requirements.txt", ""),
                ("runtime.txt", "python-3.11\n"),
            ])
            .wheels(&[])
            .env("APP_NAME", "shop");
        OutputSite { layout, changes: 0 }
    }

    /// Changes one file of the app, so the next deploy copies it.
    fn change_a_file(&mut self) {
        self.changes += 1;
        write(
            &self.layout.app,
            "app.py",
            &format!("VERSION = {}\n", self.changes),
        );
    }

    /// A deploy without a terminal: exit code, stdout and stderr in one text, redacted.
    fn deploy(&self, flags: &[&str], extra: &[(&'static str, &'static str)]) -> String {
        self.layout.deploy_with(flags, extra).transcript()
    }

    /// A deploy under a pseudo-terminal: stdout and stderr as the terminal shows them.
    fn deploy_on_terminal(&self, extra: &[(&'static str, &'static str)]) -> String {
        let deploy = self.layout.command(&[]);
        let quoted: Vec<String> = std::iter::once(deploy.get_program())
            .chain(deploy.get_args())
            .map(|word| format!("'{}'", word.to_str().unwrap().replace('\'', r"'\''")))
            .collect();
        let mut command = self.layout.bare_command("script");
        command
            .args(["-qfec", &quoted.join(" "), "/dev/null"])
            .env("TERM", "xterm")
            .envs(extra.iter().copied());
        let output = command.output().expect("`script` (util-linux) runs");
        assert!(output.status.success(), "{output:?}");
        let screen = as_terminal_shows(&String::from_utf8_lossy(&output.stdout));
        self.layout.redact(&screen)
    }
}

/// What a terminal is left showing: a spinner line is drawn, then erased (`\r`, ESC[2K)
/// before the next line is written over it; keep only what was written last on each line.
fn as_terminal_shows(raw: &str) -> String {
    let mut shown = String::new();
    for line in raw.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let last = line.rsplit("\u{1b}[2K").next().unwrap_or("");
        let last = last.rsplit('\r').next().unwrap_or("");
        shown.push_str(last);
        shown.push('\n');
    }
    shown.truncate(shown.trim_end_matches('\n').len());
    shown.push('\n');
    shown
}

#[test]
fn human_output_in_every_mode() {
    let mut site = OutputSite::new();

    pin("first_deploy_no_terminal", &site.deploy(&[], &[]));

    site.change_a_file();
    pin("quiet", &site.deploy(&["--quiet"], &[]));

    site.change_a_file();
    pin("verbose", &site.deploy(&["--verbose"], &[]));

    site.change_a_file();
    pin("trace", &site.deploy(&["--trace"], &[]));

    site.change_a_file();
    pin("failed_no_terminal", &site.deploy(&[], &[("FAIL", "1")]));

    site.change_a_file();
    let screen = site.deploy_on_terminal(&[]);
    assert!(
        screen.contains("\u{1b}[32m"),
        "no colour on a terminal:\n{screen}"
    );
    pin("terminal_colour", &screen);

    site.change_a_file();
    let screen = site.deploy_on_terminal(&[("NO_COLOR", "1")]);
    assert!(
        !screen.contains('\u{1b}'),
        "colour despite NO_COLOR:\n{screen}"
    );
    pin("terminal_no_color", &screen);
}
