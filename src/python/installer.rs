//! Which tool builds environments and installs packages: pip (with `python -m venv`) or uv.

use crate::process::Environment;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::PathBuf;

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
    pub fn parse(value: &str) -> Result<Self, String> {
        match value.to_ascii_lowercase().as_str() {
            "pip" => Ok(InstallerChoice::Pip),
            "uv" => Ok(InstallerChoice::Uv),
            "auto" => Ok(InstallerChoice::Auto),
            _ => Err(format!(
                "unknown installer `{value}`; use `pip`, `uv` or `auto`"
            )),
        }
    }

    /// The installer to use with the environment `env` (uv is looked up on its PATH).
    pub fn resolve(self, env: &Environment) -> Result<Installer, String> {
        match self {
            InstallerChoice::Pip => Ok(Installer::Pip),
            InstallerChoice::Uv if find_uv(env).is_some() => Ok(Installer::Uv),
            InstallerChoice::Uv => Err(
                "`/INSTALLER uv` but `uv` is not on PATH; install uv or use `/INSTALLER pip`"
                    .to_string(),
            ),
            InstallerChoice::Auto if find_uv(env).is_some() => Ok(Installer::Uv),
            InstallerChoice::Auto => Ok(Installer::Pip),
        }
    }
}

/// The `uv` program on the PATH of `env`, if any.
pub fn find_uv(env: &Environment) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = env.get("PATH")?;
    std::env::split_paths(path)
        .map(|dir| dir.join("uv"))
        .find(|candidate| {
            std::fs::metadata(candidate)
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
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
            Err(
                "`/INSTALLER uv` but `uv` is not on PATH; install uv or use `/INSTALLER pip`"
                    .into()
            )
        );
        let uv = empty.path().join("uv");
        std::fs::write(&uv, b"").unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&uv, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(InstallerChoice::Auto.resolve(&env), Ok(Installer::Uv));
        assert_eq!(
            InstallerChoice::parse("conda").unwrap_err(),
            "unknown installer `conda`; use `pip`, `uv` or `auto`"
        );
    }
}
