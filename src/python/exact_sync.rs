//! Making an env hold exactly a locked set: what is installed (read from the env's
//! `*.dist-info` folders, without running anything), what the lock pins, and the
//! difference as a plan ([`ExactSync`]: add, upgrade, remove). Applying it uninstalls the
//! extras first, then installs the pinned lines with `--no-deps`, then checks the result:
//! removing after installing would delete the files two distributions share (psycopg2 and
//! psycopg2-binary), so nothing is removed after anything is installed.

use super::installer::Installer;
use super::lock::LockedSet;
use super::marker_environment::MarkerEnvironment;
use super::requirements::normalize_name;
use super::venv::{env_has_pip, env_python};
use crate::process::{Command, Environment, ProcessError, StreamKind};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

/// Distributions the env keeps whatever the lock says: the env's own tools.
const ENV_TOOLS: &[&str] = &["pip", "setuptools"];

/// What is installed in an env: version by normalised name.
pub type Installed = BTreeMap<String, String>;

/// Reads the distributions installed in the env at `env_dir` from their `*.dist-info`
/// (and `*.egg-info`) folders; an env that does not exist has none.
pub fn installed(env_dir: &Path) -> Installed {
    let mut found = Installed::new();
    for site in site_packages_dirs(env_dir) {
        let Ok(entries) = std::fs::read_dir(&site) else {
            continue;
        };
        for entry in entries.flatten() {
            let file_name = entry.file_name().to_string_lossy().to_string();
            let Some(stem) = file_name
                .strip_suffix(".dist-info")
                .or_else(|| file_name.strip_suffix(".egg-info"))
            else {
                continue;
            };
            let metadata = ["METADATA", "PKG-INFO"]
                .iter()
                .find_map(|name| std::fs::read_to_string(entry.path().join(name)).ok())
                .unwrap_or_default();
            let header = |key: &str| {
                metadata
                    .lines()
                    .take_while(|line| !line.is_empty())
                    .find_map(|line| line.strip_prefix(key).map(|v| v.trim().to_string()))
            };
            let (dir_name, dir_version) = stem.split_once('-').unwrap_or((stem, ""));
            let name = header("Name:").unwrap_or_else(|| dir_name.to_string());
            let version = header("Version:").unwrap_or_else(|| dir_version.to_string());
            found.insert(normalize_name(&name), version);
        }
    }
    found
}

/// `env/lib/python*/site-packages`.
fn site_packages_dirs(env_dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(env_dir.join("lib"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path().join("site-packages"))
        .filter(|dir| dir.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// How the env differs from the locked set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExactSync {
    /// Locked and not installed: `name==version`.
    pub add: Vec<String>,
    /// Installed at another version: `name old -> new`.
    pub upgrade: Vec<String>,
    /// Installed and not locked (the env's own pip and setuptools aside): names.
    pub remove: Vec<String>,
    /// Locked under a marker and not installed: the installer decides (`name==version`).
    pub conditional: Vec<String>,
}

impl ExactSync {
    /// The difference between `installed` and `locked`, counting only the packages whose
    /// marker holds for `markers` (the target interpreter's values; a marker that cannot be
    /// decided, or no values, leaves the package to the installer).
    pub fn plan(
        installed: &Installed,
        locked: &LockedSet,
        markers: Option<&MarkerEnvironment>,
    ) -> ExactSync {
        let mut sync = ExactSync::default();
        let mut wanted = Vec::new();
        for (name, package) in &locked.packages {
            let applies = match &package.marker {
                None => Some(true),
                Some(marker) => markers.and_then(|values| values.evaluate(marker)),
            };
            if applies == Some(false) {
                continue;
            }
            wanted.push(name);
            let pinned = format!("{name}=={}", package.version);
            match installed.get(name) {
                None if applies.is_none() => sync.conditional.push(pinned),
                None => sync.add.push(pinned),
                Some(version) if *version != package.version => sync
                    .upgrade
                    .push(format!("{name} {version} -> {}", package.version)),
                Some(_) => {}
            }
        }
        sync.remove = installed
            .keys()
            .filter(|name| !wanted.contains(name))
            .filter(|name| !ENV_TOOLS.contains(&name.as_str()))
            .cloned()
            .collect();
        sync
    }

    /// Whether the env already holds the locked set.
    pub fn is_exact(&self) -> bool {
        self.add.is_empty() && self.upgrade.is_empty() && self.remove.is_empty()
    }
}

impl fmt::Display for ExactSync {
    /// `added 1: flask==3.0.3, upgraded 0, removed 2: idna, requests`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let part = |verb: &str, items: &[String]| match items {
            [] => format!("{verb} 0"),
            items => format!("{verb} {}: {}", items.len(), items.join(", ")),
        };
        write!(
            f,
            "{}, {}, {}",
            part("added", &self.add),
            part("upgraded", &self.upgrade),
            part("removed", &self.remove)
        )
    }
}

/// Why the env could not be made to hold the locked set.
#[derive(Debug, thiserror::Error)]
pub enum ExactSyncError {
    /// The installer could not be started.
    #[error("cannot run the installer: {0}")]
    Spawn(#[from] ProcessError),
    /// The installer failed.
    #[error("`{command}` failed with exit code {exit_code}")]
    Failed {
        /// The command as shown.
        command: String,
        /// Its exit code.
        exit_code: i32,
    },
    /// The pinned lines could not be written for the installer.
    #[error("cannot write the locked requirements to `{}`: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// After installing, a distribution is missing files or a dependency.
    #[error("the env is broken after installing: {0}\n  help: deploy again with `VENV REMOVE` uncommented to rebuild the env")]
    Broken(String),
}

/// How an install runs: which tool, in which env, from which folder.
#[derive(Debug, Clone, Copy)]
pub struct InstallerRun<'a> {
    /// pip or uv.
    pub installer: Installer,
    /// The uv program, when the installer is uv.
    pub uv: Option<&'a Path>,
    /// The env.
    pub env_dir: &'a Path,
    /// Where the installer runs.
    pub dir: &'a Path,
    /// Its environment.
    pub environment: &'a Environment,
}

impl InstallerRun<'_> {
    /// `python -m pip ARGS` or `uv pip ARGS --python env/bin/python`.
    pub fn command(&self, args: Vec<OsString>) -> Command {
        let python = env_python(self.env_dir);
        match (self.installer, self.uv) {
            (Installer::Uv, Some(uv)) => Command::new(uv.as_os_str(), self.dir, self.environment)
                .arg("pip")
                .args(args)
                .arg("--python")
                .arg(python.as_os_str()),
            _ => Command::new(python.as_os_str(), self.dir, self.environment)
                .args(["-m", "pip"])
                .args(args)
                .arg("--disable-pip-version-check"),
        }
    }

    /// Runs `args` through the installer, output to `on_line`.
    pub fn run(
        &self,
        args: Vec<OsString>,
        on_line: &mut dyn FnMut(StreamKind, &str),
    ) -> Result<(), ExactSyncError> {
        let command = self.command(args);
        let finished = command.run(on_line)?;
        if finished.success() {
            return Ok(());
        }
        Err(ExactSyncError::Failed {
            command: command.display(),
            exit_code: finished.exit_code,
        })
    }
}

/// Applies `sync`: uninstalls the extras, then installs `locked`'s lines (written to
/// `requirements_path`) without dependencies, then checks the env. `install_extra` is put
/// after the install arguments (uv's index options).
pub fn apply_exact_sync(
    sync: &ExactSync,
    locked: &LockedSet,
    run: &InstallerRun,
    requirements_path: &Path,
    install_extra: &[String],
    on_line: &mut dyn FnMut(StreamKind, &str),
) -> Result<(), ExactSyncError> {
    if !sync.remove.is_empty() {
        let mut args: Vec<OsString> = vec!["uninstall".into()];
        if run.installer == Installer::Pip {
            args.push("-y".into());
        }
        args.extend(sync.remove.iter().map(OsString::from));
        run.run(args, on_line)?;
    }
    if !sync.add.is_empty() || !sync.upgrade.is_empty() || !sync.conditional.is_empty() {
        std::fs::write(requirements_path, &locked.requirements).map_err(|source| {
            ExactSyncError::Write {
                path: requirements_path.to_path_buf(),
                source,
            }
        })?;
        let mut args: Vec<OsString> = vec![
            "install".into(),
            "--no-deps".into(),
            "-r".into(),
            requirements_path.into(),
        ];
        args.extend(install_extra.iter().map(OsString::from));
        let installed = run.run(args, on_line);
        let _ = std::fs::remove_file(requirements_path);
        installed?;
    }
    verify(run)
}

/// Checks that every installed distribution has all its recorded files (an uninstall can
/// delete files another distribution shares) and its dependencies (`pip check`).
pub fn verify(run: &InstallerRun) -> Result<(), ExactSyncError> {
    verify_importing(run, &[])
}

/// [`verify`], and also that the top-level modules of each distribution named in `listed`
/// (normalised names) import.
pub fn verify_importing(run: &InstallerRun, listed: &[String]) -> Result<(), ExactSyncError> {
    let python = env_python(run.env_dir);
    let listed_json = serde_json::to_string(listed).unwrap_or_else(|_| "[]".to_string());
    let finished = Command::new(python.as_os_str(), run.dir, run.environment)
        .args(["-E", "-s", "-c", include_str!("verify.py")])
        .arg(listed_json)
        .run(&mut |_, _| {})?;
    let said = finished.text(StreamKind::Stdout).trim().to_string();
    if !finished.success() || !said.is_empty() {
        let detail = if said.is_empty() {
            finished.tail(5)
        } else {
            said
        };
        return Err(ExactSyncError::Broken(detail));
    }
    let can_check = run.installer == Installer::Uv || env_has_pip(run.env_dir);
    if can_check {
        let command = run.command(vec!["check".into()]);
        let finished = command.run(&mut |_, _| {})?;
        if !finished.success() {
            return Err(ExactSyncError::Broken(
                finished
                    .text(StreamKind::Stdout)
                    .lines()
                    .chain(finished.text(StreamKind::Stderr).lines())
                    .map(str::trim)
                    .filter(|line| !line.is_empty())
                    .collect::<Vec<_>>()
                    .join("; "),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::lock::parse_pinned;

    #[test]
    fn the_plan_names_what_differs() {
        let text = "flask==3.0.3\nclick==8.1.7\ntomli==2.0.1 ; python_version < \"3.11\"\n";
        let locked = LockedSet {
            packages: parse_pinned(text),
            requirements: text.to_string(),
            tool_version: String::new(),
        };
        let installed: Installed = [
            ("click", "8.1.0"),
            ("requests", "2.31.0"),
            ("idna", "3.6"),
            ("pip", "24.0"),
            ("setuptools", "69.0.0"),
        ]
        .iter()
        .map(|(name, version)| (name.to_string(), version.to_string()))
        .collect();
        let sync = ExactSync::plan(&installed, &locked, None);
        assert_eq!(
            sync.to_string(),
            "added 1: flask==3.0.3, upgraded 1: click 8.1.0 -> 8.1.7, removed 2: idna, requests"
        );
        assert_eq!(sync.conditional, ["tomli==2.0.1"]);
        assert!(!sync.is_exact());
    }

    #[test]
    fn markers_decide_for_the_target_interpreter() {
        let text = "flask==3.0.3 ; python_version >= \"3.11\"\n\
                    pywin32==306 ; sys_platform == \"win32\"\n\
                    tomli==2.0.1 ; python_version < \"3.11\"\n";
        let locked = LockedSet {
            packages: parse_pinned(text),
            requirements: text.to_string(),
            tool_version: String::new(),
        };
        let installed: Installed = [("tomli".to_string(), "2.0.1".to_string())].into();
        let interpreter = crate::python::discover::Interpreter {
            executable: "/usr/bin/python3.12".into(),
            version: crate::python::version::PythonVersion::parse("3.12.1").unwrap(),
            implementation: "CPython".into(),
            platform: "linux-x86_64".into(),
            found_as: "/usr/bin/python3".into(),
            origin: crate::python::discover::Origin::Path,
        };
        let markers = MarkerEnvironment::of_interpreter(&interpreter);
        let sync = ExactSync::plan(&installed, &locked, Some(&markers));
        assert_eq!(
            sync.to_string(),
            "added 1: flask==3.0.3, upgraded 0, removed 1: tomli"
        );
        assert!(sync.conditional.is_empty());
    }

    #[test]
    fn installed_reads_dist_info() {
        let env = tempfile::tempdir().unwrap();
        let site = env.path().join("lib/python3.11/site-packages");
        let info = site.join("Flask_Login-0.6.3.dist-info");
        std::fs::create_dir_all(&info).unwrap();
        std::fs::write(
            info.join("METADATA"),
            "Metadata-Version: 2.1\nName: Flask-Login\nVersion: 0.6.3\n\nName: not this\n",
        )
        .unwrap();
        std::fs::create_dir_all(site.join("idna-3.6.dist-info")).unwrap();
        let found: Vec<String> = installed(env.path())
            .iter()
            .map(|(name, version)| format!("{name} {version}"))
            .collect();
        assert_eq!(found, ["flask-login 0.6.3", "idna 3.6"]);
    }
}
