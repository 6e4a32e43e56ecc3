//! Lock files as install inputs: `uv.lock`, `poetry.lock` and `Pipfile.lock`. Each is read
//! by its own tool, which exports the locked set as pinned requirement lines and, in the
//! same call or just before it, refuses a lock that is out of date with pyproject.toml or
//! the Pipfile. The install step then makes the env hold exactly that set
//! ([`super::exact_sync`]).

use super::installer::{find_tool, Tool, ToolMissing};
use super::requirements::normalize_name;
pub use crate::app::lock_file::LockKind;
use crate::process::{Command, Environment, ProcessError, StreamKind};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The tool calls that check the lock is current and print the locked set, main
/// dependencies only, without the project itself.
fn calls(kind: LockKind) -> Vec<Vec<&'static str>> {
    match kind {
        LockKind::Uv => vec![vec![
            "export",
            "--locked",
            "--no-dev",
            "--no-emit-project",
            "--format",
            "requirements-txt",
        ]],
        LockKind::Poetry => vec![
            vec!["check", "--lock", "--no-interaction"],
            vec![
                "export",
                "--only",
                "main",
                "--format",
                "requirements.txt",
                "--no-interaction",
            ],
        ],
        LockKind::Pipenv => vec![vec!["verify"], vec!["requirements", "--hash"]],
    }
}

/// Why the locked set could not be had.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// The tool is not on PATH (or only as a pyenv shim that does not resolve).
    #[error("{missing}; install it with {hint}, or install from a requirements file instead")]
    ToolMissing {
        /// What was looked for and found.
        missing: ToolMissing,
        /// How to install the tool.
        hint: &'static str,
    },
    /// The lock file is not where the step looks.
    #[error("`{}` is not there; lock the app with `{relock}` and commit the lock", path.display())]
    NoLock {
        /// The lock file.
        path: PathBuf,
        /// What makes one.
        relock: &'static str,
    },
    /// The tool could not be started.
    #[error("cannot run `{tool}`: {source}")]
    Spawn {
        /// The tool.
        tool: &'static str,
        /// Why.
        source: ProcessError,
    },
    /// The lock is out of date, or the tool failed otherwise: its own words.
    #[error("`{command}` failed (exit code {exit_code}): {said}; {help}")]
    Refused {
        /// The command as shown.
        command: String,
        /// Its exit code.
        exit_code: i32,
        /// The last lines it printed, joined.
        said: String,
        /// What to do.
        help: String,
    },
}

/// One pinned line of the locked set: `name==version`, maybe with a marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockedPackage {
    /// The version the lock pins.
    pub version: String,
    /// The environment marker (`python_version < "3.11"`), when the lock has one: the
    /// installer decides whether it applies.
    pub marker: Option<String>,
}

/// What a lock pins, as its tool exported it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LockedSet {
    /// Packages by normalised name.
    pub packages: BTreeMap<String, LockedPackage>,
    /// The exported requirement lines, as the installer will read them (`--no-deps`).
    pub requirements: String,
    /// The tool's version line (`uv 0.13.9`), for the step line.
    pub tool_version: String,
}

/// Runs the lock's tool in `dir` (where pyproject.toml or the Pipfile and the lock are):
/// refuses a stale lock with the tool's own reason, else returns the locked set.
pub fn locked_set(
    kind: LockKind,
    dir: &Path,
    environment: &Environment,
) -> Result<LockedSet, LockError> {
    let lock = dir.join(kind.lock_file());
    if !lock.is_file() {
        return Err(LockError::NoLock {
            path: lock,
            relock: kind.relock_command(),
        });
    }
    let tool =
        find_tool(kind.tool(), dir, environment).map_err(|missing| LockError::ToolMissing {
            missing,
            hint: kind.install_hint(),
        })?;
    let environment = tool_environment(kind, environment);
    let tool_version = tool.version(dir, &environment).unwrap_or_default();
    let mut printed = String::new();
    for call in calls(kind) {
        printed = run(kind, &tool, &call, dir, &environment)?;
    }
    Ok(LockedSet {
        packages: parse_pinned(&printed),
        requirements: printed,
        tool_version,
    })
}

/// The tools' environment: quiet, never prompting, never making an env of their own.
fn tool_environment(kind: LockKind, environment: &Environment) -> Environment {
    let mut environment = environment.clone();
    let mut set = |name: &str, value: &str| {
        environment.insert(name.into(), value.into());
    };
    match kind {
        LockKind::Uv => {}
        LockKind::Poetry => set("POETRY_VIRTUALENVS_CREATE", "false"),
        LockKind::Pipenv => {
            set("PIPENV_VERBOSITY", "-1");
            set("PIPENV_YES", "1");
            set("PIPENV_NOSPIN", "1");
        }
    }
    environment
}

/// Runs one tool call; its stdout when it succeeds.
fn run(
    kind: LockKind,
    tool: &Tool,
    args: &[&str],
    dir: &Path,
    environment: &Environment,
) -> Result<String, LockError> {
    let command = Command::new(tool.path.as_os_str(), dir, environment).args(args);
    let finished = command
        .run(&mut |_, _| {})
        .map_err(|source| LockError::Spawn {
            tool: kind.tool(),
            source,
        })?;
    if finished.success() {
        return Ok(finished.text(StreamKind::Stdout).to_string());
    }
    let said: Vec<String> = finished
        .text(StreamKind::Stderr)
        .lines()
        .chain(finished.text(StreamKind::Stdout).lines())
        .map(str::trim)
        .filter(|line| {
            !line.is_empty() && !line.starts_with("Using ") && !line.starts_with("Resolved ")
        })
        .map(str::to_string)
        .collect();
    Err(LockError::Refused {
        command: format!("{} {}", kind.tool(), args.join(" ")),
        exit_code: finished.exit_code,
        said: said.join(" "),
        help: format!(
            "bring `{}` up to date with `{}` (run where `{}` is) and commit it; the env was left as it was",
            kind.lock_file(),
            kind.relock_command(),
            kind.manifest()
        ),
    })
}

/// Reads pinned requirement lines (`name==1.0 ; marker \` then `--hash=...` lines); lines
/// that pin nothing (`-i URL`, comments, `-e .`) are left to the installer.
pub fn parse_pinned(text: &str) -> BTreeMap<String, LockedPackage> {
    let mut packages = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim().trim_end_matches('\\').trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with('-') {
            continue;
        }
        // Pipenv puts the hashes on the requirement's own line: `idna==3.6 --hash=sha256:...`.
        let line = line.split(" --").next().unwrap_or(line).trim();
        let (requirement, marker) = match line.split_once(';') {
            Some((requirement, marker)) => (requirement.trim(), Some(marker.trim().to_string())),
            None => (line, None),
        };
        let Some((name, version)) = requirement.split_once("==") else {
            continue;
        };
        let name = name.split('[').next().unwrap_or(name);
        packages.insert(
            normalize_name(name.trim()),
            LockedPackage {
                version: version.trim().trim_start_matches('=').to_string(),
                marker: marker.filter(|marker| !marker.is_empty()),
            },
        );
    }
    packages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinned_lines_with_markers_and_hashes() {
        let text = "-i https://pypi.org/simple\n# via x\nClick==8.1.0 \\\n    --hash=sha256:ab\n\
                    tomli==2.0.1 ; python_version < \"3.11\"\nuvicorn[standard]==0.29.0\n-e .\n\
                    idna==3.6 --hash=sha256:f2 --hash=sha256:e8\n\
                    pywin32; sys_platform == 'win32'\n";
        let packages = parse_pinned(text);
        let shown: Vec<String> = packages
            .iter()
            .map(|(name, package)| format!("{name} {} {:?}", package.version, package.marker))
            .collect();
        assert_eq!(
            shown,
            [
                "click 8.1.0 None",
                "idna 3.6 None",
                "tomli 2.0.1 Some(\"python_version < \\\"3.11\\\"\")",
                "uvicorn 0.29.0 None"
            ]
        );
    }

    #[test]
    fn kinds_by_file_name() {
        assert_eq!(LockKind::from_file_name("UV.LOCK"), Some(LockKind::Uv));
        assert_eq!(
            LockKind::from_file_name("Pipfile.lock"),
            Some(LockKind::Pipenv)
        );
        assert_eq!(LockKind::from_file_name("requirements.txt"), None);
    }
}
