//! The human output of a real deploy, pinned in full (times, temporary paths and the
//! Python patch version redacted): without a terminal (run-deploy's lines on stderr, the
//! script's on stdout), with --quiet, --verbose and --trace, a failing deploy, and under
//! a pseudo-terminal (`script` from util-linux) with colour, and with NO_COLOR.
//!
//! One test walks one site through the modes in turn, so the env is built once; each
//! deploy after the first has one changed file to copy. A program's stdout and stderr are
//! two pipes read as lines arrive, so their relative order on a terminal is not fixed:
//! the script prints to each from a separate program.

use crate::common::ops_support;

use ops_support::{run_deploy_exe, write, Layout};
use std::process::{Command, Stdio};

const SCRIPT: &str = "\
@echo off
setlocal enabledelayedexpansion
SYNC /IGNORE \".git;deploy.cmd\"
IF !ERRORLEVEL! NEQ 0 goto error
PYTHON SELECT
VENV ENSURE
IF !ERRORLEVEL! NEQ 0 goto error
PIP INSTALL -r requirements.txt
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

struct OutputSite {
    layout: Layout,
    envs: Vec<(&'static str, String)>,
    changes: usize,
}

impl OutputSite {
    fn new() -> OutputSite {
        let layout = Layout::new(&[
            ("deploy.cmd", SCRIPT),
            ("app.py", "VERSION = 0\n"),
            ("requirements.txt", ""),
            ("runtime.txt", "python-3.11\n"),
        ]);
        let wheels = layout.dir.path().join("wheels");
        std::fs::create_dir_all(&wheels).unwrap();
        let envs = vec![
            ("APP_NAME", "shop".to_string()),
            ("PIP_NO_INDEX", "1".to_string()),
            ("PIP_FIND_LINKS", wheels.display().to_string()),
            ("PIP_DISABLE_PIP_VERSION_CHECK", "1".to_string()),
        ];
        OutputSite {
            layout,
            envs,
            changes: 0,
        }
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

    fn envs(&self, extra: &[(&'static str, &'static str)]) -> Vec<(&str, &str)> {
        let mut envs: Vec<(&str, &str)> = self.envs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        envs.extend_from_slice(extra);
        envs
    }

    /// A deploy without a terminal: (exit code, stdout, stderr), redacted.
    fn deploy(
        &self,
        flags: &[&str],
        extra: &[(&'static str, &'static str)],
    ) -> (i32, String, String) {
        let run = self.layout.deploy(flags, &self.envs(extra));
        (
            run.code,
            self.layout.redact(&run.stdout),
            self.layout.redact(&run.stderr),
        )
    }

    /// A deploy under a pseudo-terminal: stdout and stderr as the terminal shows them.
    fn deploy_on_terminal(&self, extra: &[(&'static str, &'static str)]) -> String {
        let quoted: Vec<String> = [
            run_deploy_exe().to_str().unwrap(),
            "--source",
            self.layout.app.to_str().unwrap(),
            "--target",
            self.layout.site.to_str().unwrap(),
            "--state-dir",
            self.layout.state.to_str().unwrap(),
        ]
        .iter()
        .map(|word| format!("'{}'", word.replace('\'', r"'\''")))
        .collect();
        let mut command = Command::new("script");
        command
            .args(["-qfec", &quoted.join(" "), "/dev/null"])
            .current_dir(self.layout.dir.path())
            .stdin(Stdio::null())
            .env_remove("NO_COLOR")
            .env_remove("SCM_TRACE_LEVEL")
            .env("TERM", "xterm");
        for (name, value) in self.envs(extra) {
            command.env(name, value);
        }
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

fn transcript(code: i32, stdout: &str, stderr: &str) -> String {
    format!("exit code: {code}\n--- stdout\n{stdout}--- stderr\n{stderr}")
}

#[test]
fn human_output_in_every_mode() {
    let mut site = OutputSite::new();

    let (code, stdout, stderr) = site.deploy(&[], &[]);
    assert_eq!(code, 0, "{stderr}");
    pin(
        "first_deploy_no_terminal",
        &transcript(code, &stdout, &stderr),
    );

    site.change_a_file();
    let (code, stdout, stderr) = site.deploy(&["--quiet"], &[]);
    assert_eq!(code, 0, "{stderr}");
    pin("quiet", &transcript(code, &stdout, &stderr));

    site.change_a_file();
    let (code, stdout, stderr) = site.deploy(&["--verbose"], &[]);
    assert_eq!(code, 0, "{stderr}");
    pin("verbose", &transcript(code, &stdout, &stderr));

    site.change_a_file();
    let (code, stdout, stderr) = site.deploy(&["--trace"], &[]);
    assert_eq!(code, 0, "{stderr}");
    pin("trace", &transcript(code, &stdout, &stderr));

    site.change_a_file();
    let (code, stdout, stderr) = site.deploy(&[], &[("FAIL", "1")]);
    assert_eq!(code, 1, "{stderr}");
    pin("failed_no_terminal", &transcript(code, &stdout, &stderr));

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
