//! Which tool builds environments and installs packages: pip (with `python -m venv`) or uv.

use crate::process::{Command, Environment, StreamKind};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::{Path, PathBuf};

/// The tool that builds the env and installs into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Installer {
    /// `python -m venv` and `python -m pip`.
    Pip,
    /// `uv venv` and `uv pip`.
    Uv,
}

impl fmt::Display for Installer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Installer::Pip => "pip",
            Installer::Uv => "uv",
        })
    }
}

/// The `/INSTALLER` switch as written: `pip`, `uv` or `auto` (uv when it is on PATH).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstallerChoice {
    /// Always pip.
    Pip,
    /// Always uv.
    Uv,
    /// uv when on PATH, else pip.
    Auto,
}

impl InstallerChoice {
    /// Parses the switch value, case-insensitively.
    pub fn parse(value: &str) -> Result<Self, InstallerError> {
        match value.to_ascii_lowercase().as_str() {
            "pip" => Ok(InstallerChoice::Pip),
            "uv" => Ok(InstallerChoice::Uv),
            "auto" => Ok(InstallerChoice::Auto),
            _ => Err(InstallerError::Unknown(value.to_string())),
        }
    }

    /// The installer to use with the environment `env` (uv is looked up on its PATH).
    pub fn resolve(self, env: &Environment) -> Result<Installer, InstallerError> {
        match self {
            InstallerChoice::Pip => Ok(Installer::Pip),
            InstallerChoice::Uv if uv_available(env) => Ok(Installer::Uv),
            InstallerChoice::Uv => Err(InstallerError::UvMissing),
            InstallerChoice::Auto if uv_available(env) => Ok(Installer::Uv),
            InstallerChoice::Auto => Ok(Installer::Pip),
        }
    }
}

/// The `uv` program on the PATH of `env`, if any; a pyenv shim is followed to the program
/// it stands for (see [`find_tool`]), so a `.python-version` naming a Python without uv
/// does not turn it into `pyenv: uv: command not found`.
pub fn find_uv(env: &Environment) -> Option<PathBuf> {
    find_tool("uv", Path::new("/"), env)
        .ok()
        .map(|tool| tool.path)
}

/// Whether [`find_uv`] finds uv, answered without running pyenv when it can: choosing the
/// installer must not cost a deploy that then runs no installer (a no-op) two runs of
/// `pyenv which`, about 70 ms each.
fn uv_available(env: &Environment) -> bool {
    tool_available("uv", Path::new("/"), env)
}

/// Whether [`find_tool`] finds `name`. Through a pyenv shim it does whenever a pyenv version
/// has the program (`pyenv which` answers, or else `pyenv whence` lists that version), so
/// that is looked up in the shim's pyenv root, and pyenv runs only when no version has it
/// (a `system` Python may still have it).
fn tool_available(name: &str, dir: &Path, environment: &Environment) -> bool {
    let Some(found) = find_on_path(name, environment) else {
        return false;
    };
    if !is_pyenv_shim(&found) || a_pyenv_version_has(&found, name) {
        return true;
    }
    find_tool(name, dir, environment).is_ok()
}

/// Whether `ROOT/versions/*/bin/NAME` is a program for some version, `ROOT` being the
/// pyenv root of `shim` (`ROOT/shims/NAME`).
fn a_pyenv_version_has(shim: &Path, name: &str) -> bool {
    let Some(root) = shim.parent().and_then(Path::parent) else {
        return false;
    };
    std::fs::read_dir(root.join("versions")).is_ok_and(|versions| {
        versions
            .flatten()
            .any(|version| is_executable(&version.path().join("bin").join(name)))
    })
}

/// A package manager's program, found on PATH (through pyenv when PATH holds its shim).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tool {
    /// The program to run: never a pyenv shim.
    pub path: PathBuf,
}

impl Tool {
    /// What `TOOL --version` prints first (`uv 0.13.9`), run in `dir`; `None` when it
    /// says nothing.
    pub fn version(&self, dir: &Path, environment: &Environment) -> Option<String> {
        let finished = Command::new(self.path.as_os_str(), dir, environment)
            .arg("--version")
            .run(&mut |_, _| {})
            .ok()?;
        let text = finished.text(StreamKind::Stdout);
        let line = text.lines().map(str::trim).find(|line| !line.is_empty())?;
        // `Poetry (version 2.1.3)` -> `Poetry 2.1.3`; `pipenv, version 2024.4.0` ->
        // `pipenv 2024.4.0`; `uv 0.13.9 (x86_64-unknown-linux-gnu)` -> `uv 0.13.9`.
        let line = line.replace("(version ", "").replace(", version ", " ");
        let line = match line.split_once(" (") {
            Some((before, _)) => before.to_string(),
            None => line.trim_end_matches(')').to_string(),
        };
        Some(line)
    }
}

/// Why a `/INSTALLER` value gives no installer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InstallerError {
    /// The value is none of `pip`, `uv`, `auto`.
    #[error("unknown installer `{0}`; use `pip`, `uv` or `auto`")]
    Unknown(String),
    /// `/INSTALLER uv`, and uv is not on PATH.
    #[error("`/INSTALLER uv` but `uv` is not on PATH; install uv or use `/INSTALLER pip`")]
    UvMissing,
}

/// A tool that is not on PATH, or whose pyenv shim does not lead to a program.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ToolMissing {
    /// Not on PATH at all.
    #[error("`{name}` is not on PATH")]
    NotOnPath {
        /// The tool.
        name: String,
    },
    /// On PATH only as a pyenv shim, and no pyenv version has the tool.
    #[error("`{name}` is on PATH only as the pyenv shim `{}`, which leads to no installed `{name}`", shim.display())]
    ShimUnresolved {
        /// The tool.
        name: String,
        /// The shim found.
        shim: PathBuf,
    },
}

/// Finds `name` on the PATH of `environment`. A pyenv shim is followed to the program it
/// stands for: the one pyenv picks in `dir`, else the first pyenv version that has it (a
/// shim fails with `command not found` when the app's `.python-version` names a Python
/// without the tool, though another has it).
pub fn find_tool(name: &str, dir: &Path, environment: &Environment) -> Result<Tool, ToolMissing> {
    let found = find_on_path(name, environment).ok_or_else(|| ToolMissing::NotOnPath {
        name: name.to_string(),
    })?;
    if !is_pyenv_shim(&found) {
        return Ok(Tool { path: found });
    }
    let pyenv = |args: &[&str]| {
        let finished = Command::new("pyenv", dir, environment)
            .args(args)
            .run(&mut |_, _| {})
            .ok()?;
        finished
            .success()
            .then(|| finished.text(StreamKind::Stdout))
    };
    let resolved = pyenv(&["which", name])
        .map(|text| PathBuf::from(text.trim()))
        .or_else(|| {
            let root = PathBuf::from(pyenv(&["root"])?.trim());
            pyenv(&["whence", name])?
                .lines()
                .map(str::trim)
                .find(|version| !version.is_empty())
                .map(|version| root.join("versions").join(version).join("bin").join(name))
        })
        .filter(|path| is_executable(path));
    match resolved {
        Some(path) => Ok(Tool { path }),
        None => Err(ToolMissing::ShimUnresolved {
            name: name.to_string(),
            shim: found,
        }),
    }
}

/// Whether `path` is a pyenv shim (a script in a `shims` folder that runs `pyenv exec`).
fn is_pyenv_shim(path: &Path) -> bool {
    path.parent().and_then(Path::file_name) == Some(std::ffi::OsStr::new("shims"))
        && std::fs::read(path).is_ok_and(|bytes| {
            bytes.len() < 4096 && String::from_utf8_lossy(&bytes).contains("pyenv")
        })
}

/// The first executable file called `name` in the PATH of `env`.
fn find_on_path(name: &str, env: &Environment) -> Option<PathBuf> {
    let path = env.get("PATH")?;
    std::env::split_paths(path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

/// Whether `path` is a file someone may run.
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_means_uv_only_when_uv_is_on_path() {
        let empty = tempfile::tempdir().unwrap();
        let mut env = Environment::new();
        env.insert("PATH".into(), empty.path().display().to_string());
        assert_eq!(
            InstallerChoice::parse("AUTO").unwrap().resolve(&env),
            Ok(Installer::Pip)
        );
        assert_eq!(
            InstallerChoice::Uv.resolve(&env),
            Err(InstallerError::UvMissing)
        );
        assert_eq!(
            InstallerError::UvMissing.to_string(),
            "`/INSTALLER uv` but `uv` is not on PATH; install uv or use `/INSTALLER pip`"
        );
        let uv = empty.path().join("uv");
        std::fs::write(&uv, b"").unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&uv, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(InstallerChoice::Auto.resolve(&env), Ok(Installer::Uv));
        assert_eq!(
            InstallerChoice::parse("conda").unwrap_err().to_string(),
            "unknown installer `conda`; use `pip`, `uv` or `auto`"
        );
    }

    fn write_program(path: &Path, text: &str) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    /// A pyenv root whose `shims/uv` is on PATH, and a stand-in `pyenv` ahead of it that
    /// logs each run and answers `which uv` with version 3.99's uv when that has one.
    fn pyenv_with_uv_shim(dir: &Path, version_has_uv: bool) -> Environment {
        let root = dir.join("pyenv");
        write_program(
            &root.join("shims/uv"),
            "#!/bin/sh\nexec pyenv exec uv \"$@\"\n",
        );
        std::fs::create_dir_all(root.join("versions/3.99/bin")).unwrap();
        if version_has_uv {
            write_program(&root.join("versions/3.99/bin/uv"), "#!/bin/sh\n");
        }
        let uv = root.join("versions/3.99/bin/uv");
        write_program(
            &dir.join("bin/pyenv"),
            &format!(
                "#!/bin/sh\necho \"$@\" >> {log}\ncase \"$1\" in\n  which) [ -x {uv} ] && echo {uv} ;;\n  root) echo {root} ;;\nesac\n[ \"$1\" != which ] || [ -x {uv} ]\n",
                log = dir.join("pyenv.log").display(),
                uv = uv.display(),
                root = root.display()
            ),
        );
        let mut env = Environment::new();
        let path = format!(
            "{}:{}:/usr/bin:/bin",
            dir.join("bin").display(),
            root.join("shims").display()
        );
        env.insert("PATH".into(), path);
        env
    }

    #[test]
    fn choosing_uv_through_a_pyenv_shim_runs_no_pyenv_when_a_version_has_it() {
        let dir = tempfile::tempdir().unwrap();
        let env = pyenv_with_uv_shim(dir.path(), true);
        let log = dir.path().join("pyenv.log");
        assert_eq!(InstallerChoice::Uv.resolve(&env), Ok(Installer::Uv));
        assert_eq!(InstallerChoice::Auto.resolve(&env), Ok(Installer::Uv));
        assert!(!log.exists(), "pyenv ran to choose the installer");
        // Running uv needs the program itself: then pyenv is asked which one.
        assert_eq!(
            find_uv(&env),
            Some(dir.path().join("pyenv/versions/3.99/bin/uv"))
        );
        assert_eq!(std::fs::read_to_string(&log).unwrap(), "which uv\n");
    }

    #[test]
    fn a_pyenv_shim_that_leads_to_no_uv_is_no_uv() {
        let dir = tempfile::tempdir().unwrap();
        let env = pyenv_with_uv_shim(dir.path(), false);
        assert_eq!(InstallerChoice::Auto.resolve(&env), Ok(Installer::Pip));
        assert_eq!(
            InstallerChoice::Uv.resolve(&env),
            Err(InstallerError::UvMissing)
        );
        assert_eq!(find_uv(&env), None);
        // No version has it: pyenv itself was asked (a `system` Python might have it).
        let log = std::fs::read_to_string(dir.path().join("pyenv.log")).unwrap();
        assert!(log.starts_with("which uv\n"), "{log}");
    }
}
