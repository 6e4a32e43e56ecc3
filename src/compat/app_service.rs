//! App Service's filesystem, mapped: the one table ([`APP_SERVICE_PATHS`]) of the Windows
//! paths that App Service scripts hard-code (`D:\home\site\wwwroot`,
//! `D:\home\python364x64\python.exe`, `%DEPLOYMENT_TARGET%\..\Python36\python.exe`) and
//! the Linux folder or interpreter each stands for in a run here.
//!
//! [`classify`] reads a path word into an [`AppServicePath`] (a row and the rest of the
//! path); [`AppServicePaths`] turns it into a Linux path with the run's
//! [`AppServiceLayout`] (home, target, state folder) and the interpreters installed here.
//! Every builtin and program argument reaches it through [`super::resolve_path`] and
//! [`super::program_argument`]; `--check` notes it through [`super::rules_applying_to`].

use super::CompatError;
use crate::process::Environment;
use crate::python::discover::{discover, Discovery, Interpreter};
use crate::python::winpath::version_from_digits;
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

/// What a row of the table stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum AppServiceRow {
    /// `D:\home`: the home root.
    Home,
    /// `D:\home\site\wwwroot`: the target.
    Site,
    /// `D:\home\site\deployments`: the state folder.
    Deployments,
    /// `D:\home\site\tools`: the tools folder, on PATH in a deploy.
    Tools,
    /// `D:\home\python364x64`, `C:\Python27`, ...: the installed interpreter of a version.
    Python,
    /// `%SYSTEMDRIVE%`, `%ProgramFiles%`, `%ProgramFiles(x86)%`, `%WEBROOT_PATH%`.
    Variable,
}

/// One row of the table, as the docs and error messages show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PathRow {
    /// Which row.
    pub row: AppServiceRow,
    /// The Windows spellings (`D:\home`, `C:\home`, `%HOME%`).
    pub windows: &'static str,
    /// What it is here.
    pub linux: &'static str,
    /// A line of script that uses it.
    pub example: &'static str,
}

/// The table: every Windows path of App Service that a run maps, and what to.
pub const APP_SERVICE_PATHS: &[PathRow] = &[
    PathRow {
        row: AppServiceRow::Home,
        windows: r"`D:\home`, `C:\home`, `%HOME%` (for its `site\...` and `pythonXY` folders)",
        linux: "the home root: `--home DIR`, else the folder above `site` when the target is `.../site/wwwroot`, else `home` in the state folder",
        example: r"mkdir D:\home\LogFiles\deploy",
    },
    PathRow {
        row: AppServiceRow::Site,
        windows: r"`D:\home\site\wwwroot`",
        linux: "the target (`DEPLOYMENT_TARGET`)",
        example: r"copy web.config D:\home\site\wwwroot\web.config",
    },
    PathRow {
        row: AppServiceRow::Deployments,
        windows: r"`D:\home\site\deployments`",
        linux: "the state folder (`--state-dir`)",
        example: r"dir D:\home\site\deployments",
    },
    PathRow {
        row: AppServiceRow::Tools,
        windows: r"`D:\home\site\tools`",
        linux: "`site/tools` in the home root, on PATH in a deploy",
        example: r"xcopy build.cmd D:\home\site\tools\ /Y",
    },
    PathRow {
        row: AppServiceRow::Python,
        windows: r"`D:\home\pythonXYZx64`, `D:\home\PythonXY`, `..\PythonXY` beside the target, `C:\PythonXY`, `D:\PythonXY`, `D:\Program Files (x86)\pythonXY`",
        linux: "the Python X.Y installed here, found as PYTHON SELECT finds it: `python.exe` is the interpreter, `Scripts\\pip.exe` and `Scripts\\virtualenv.exe` its pip and virtualenv, the folder its prefix",
        example: r"D:\home\python364x64\python.exe -m pip --version",
    },
    PathRow {
        row: AppServiceRow::Variable,
        windows: "`%SYSTEMDRIVE%`, `%ProgramFiles%`, `%ProgramFiles(x86)%`, `%WEBROOT_PATH%`",
        linux: r"`C:`, `C:\Program Files`, `C:\Program Files (x86)` (whose paths this table maps) and the target",
        example: r"%SYSTEMDRIVE%\python27\python.exe -m virtualenv env",
    },
];

/// The table as lines of text, for the help of a drive path that no row maps.
pub fn table_help() -> String {
    let mut help = String::from("App Service paths that are mapped here:");
    for row in APP_SERVICE_PATHS {
        help.push_str(&format!(
            "\n  {}: {}",
            row.windows.replace('`', ""),
            row.linux
        ));
    }
    help
}

/// A path word read against the table: its row, the Python version for a Python row, and
/// the components after the row's folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppServicePath {
    /// Which row.
    pub row: AppServiceRow,
    /// The version a Python row stands for (`python364x64`: 3.6).
    pub version: Option<crate::app::version::VersionRequest>,
    /// The components after the row's folder, as written.
    pub rest: Vec<String>,
}

impl AppServicePath {
    /// What the path is here, for `--check`'s note: `the target (DEPLOYMENT_TARGET)`.
    pub fn describe(&self) -> String {
        let place = match self.row {
            AppServiceRow::Home => "App Service's home root".to_string(),
            AppServiceRow::Site => "the site (`DEPLOYMENT_TARGET`)".to_string(),
            AppServiceRow::Deployments => "the state folder".to_string(),
            AppServiceRow::Tools => "the tools folder (on PATH)".to_string(),
            AppServiceRow::Python => match &self.version {
                Some(version) => format!("the Python {version} installed here"),
                None => "the Python installed here".to_string(),
            },
            AppServiceRow::Variable => "a Linux value".to_string(),
        };
        if self.rest.is_empty() {
            place
        } else {
            format!("`{}` in {place}", self.rest.join("/"))
        }
    }
}

/// Reads a Windows drive path (`D:\home\site\wwwroot\x`, either slash, any case) against
/// the table; `None` for a path no row maps.
pub fn classify(word: &str) -> Option<AppServicePath> {
    let word = word.trim().trim_matches('"');
    let bytes = word.as_bytes();
    let drive_ok = bytes.len() >= 2
        && matches!(bytes[0].to_ascii_lowercase(), b'c' | b'd')
        && bytes[1] == b':';
    if !drive_ok || !super::is_drive_path(word) {
        return None;
    }
    let parts: Vec<&str> = word[2..]
        .split(['\\', '/'])
        .filter(|part| !part.is_empty() && *part != ".")
        .collect();
    let lower: Vec<String> = parts.iter().map(|p| p.to_ascii_lowercase()).collect();
    let rest = |from: usize| {
        parts[from.min(parts.len())..]
            .iter()
            .map(|p| p.to_string())
            .collect()
    };
    let first = lower.first()?;
    if first == "home" {
        return Some(home_path(&parts[1..], &lower[1..]));
    }
    if let Some(version) = python_folder(first) {
        return Some(python_path(version, rest(1)));
    }
    if (first == "program files (x86)" || first == "program files") && lower.len() >= 2 {
        if let Some(version) = python_folder(&lower[1]) {
            return Some(python_path(version, rest(2)));
        }
    }
    None
}

/// A word of script text (variables not yet expanded) read against the table, for
/// `--check`: `%SYSTEMDRIVE%` is `C:`, `%ProgramFiles%` and `%ProgramFiles(x86)%` their
/// `C:` folders, `%WEBROOT_PATH%` the site, `%HOME%\site\...` and `%HOME%\pythonXY` App
/// Service's, and `%DEPLOYMENT_TARGET%\..\PythonXY` an interpreter beside the site.
pub fn read_word(word: &str) -> Option<AppServicePath> {
    let word = word.trim().trim_matches('"');
    // Only a variable (`%HOME%...`) or a drive (`D:...`, as [`classify`] trims it) can be
    // in the table: most words `--check` asks about are neither, and need no copy.
    if !word.starts_with('%') && word.trim().trim_matches('"').as_bytes().get(1) != Some(&b':') {
        return None;
    }
    let upper = word.to_ascii_uppercase();
    let beside_target = ["%DEPLOYMENT_TARGET%\\..\\", "%DEPLOYMENT_TARGET%/../"];
    for prefix in beside_target {
        if upper.starts_with(prefix) {
            let parts: Vec<String> = word[prefix.len()..]
                .split(['\\', '/'])
                .filter(|part| !part.is_empty())
                .map(str::to_string)
                .collect();
            let version = python_folder(parts.first()?)?;
            return Some(python_path(version, parts[1..].to_vec()));
        }
    }
    let replacements = [
        ("%SYSTEMDRIVE%", "C:"),
        ("%PROGRAMFILES(X86)%", r"C:\Program Files (x86)"),
        ("%PROGRAMFILES%", r"C:\Program Files"),
        ("%WEBROOT_PATH%", r"D:\home\site\wwwroot"),
        ("%HOME%", r"D:\home"),
    ];
    let (windows, from_home) = match replacements
        .iter()
        .find(|(variable, _)| upper.starts_with(variable))
    {
        Some((variable, value)) => (
            format!("{value}{}", &word[variable.len()..]),
            *variable == "%HOME%",
        ),
        None => (word.to_string(), false),
    };
    let found = classify(&windows)?;
    // HOME stays the user's home here: only App Service's own folders under it are mapped.
    (!from_home || found.row != AppServiceRow::Home).then_some(found)
}

/// A path under the home root (`parts` after `home`), read against the table.
fn home_path(parts: &[&str], lower: &[String]) -> AppServicePath {
    let rest = |from: usize| -> Vec<String> {
        parts[from.min(parts.len())..]
            .iter()
            .map(|p| p.to_string())
            .collect()
    };
    let at = |index: usize| lower.get(index).map(String::as_str);
    if let Some(version) = at(0).and_then(python_folder) {
        return python_path(version, rest(1));
    }
    let row = match (at(0), at(1)) {
        (Some("site"), Some("wwwroot")) => Some(AppServiceRow::Site),
        (Some("site"), Some("deployments")) => Some(AppServiceRow::Deployments),
        (Some("site"), Some("tools")) => Some(AppServiceRow::Tools),
        _ => None,
    };
    match row {
        Some(row) => AppServicePath {
            row,
            version: None,
            rest: rest(2),
        },
        None => AppServicePath {
            row: AppServiceRow::Home,
            version: None,
            rest: rest(0),
        },
    }
}

fn python_path(version: crate::app::version::VersionRequest, rest: Vec<String>) -> AppServicePath {
    AppServicePath {
        row: AppServiceRow::Python,
        version: Some(version),
        rest,
    }
}

/// The version a Python install folder's name stands for: `python364x64` 3.6, `Python27`
/// 2.7, `python311` 3.11 (case-insensitive).
pub fn python_folder(name: &str) -> Option<crate::app::version::VersionRequest> {
    let lower = name.to_ascii_lowercase();
    let tag = lower.strip_prefix("python")?;
    let digits = tag
        .strip_suffix("x64")
        .or_else(|| tag.strip_suffix("x86"))
        .unwrap_or(tag);
    version_from_digits(digits)
}

/// The folders of this run that App Service's paths stand for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppServiceLayout {
    /// The home root (`D:\home`), when the run has one.
    pub home: Option<PathBuf>,
    /// The site (`D:\home\site\wwwroot`), when the run deploys into one.
    pub target: Option<PathBuf>,
    /// The state folder (`D:\home\site\deployments`), when the run deploys.
    pub state: Option<PathBuf>,
}

impl AppServiceLayout {
    /// The layout of a deploy into `target` with its state folder `state`: the home root is
    /// `home` when given (`--home`), else the folder above `site` when the target is
    /// `.../site/wwwroot`, else `home` in the state folder.
    pub fn for_deploy(target: &Path, state: &Path, home: Option<&Path>) -> AppServiceLayout {
        let home = home
            .map(Path::to_path_buf)
            .or_else(|| home_above(target))
            .unwrap_or_else(|| state.join("home"));
        AppServiceLayout {
            home: Some(home),
            target: Some(target.to_path_buf()),
            state: Some(state.to_path_buf()),
        }
    }

    /// The layout of a run without a deploy: `--home` when given, else the folder above
    /// `site` when `DEPLOYMENT_TARGET` is `.../site/wwwroot`.
    pub fn for_run(home: Option<&Path>, deployment_target: Option<&Path>) -> AppServiceLayout {
        AppServiceLayout {
            home: home
                .map(Path::to_path_buf)
                .or_else(|| deployment_target.and_then(home_above)),
            target: deployment_target.map(Path::to_path_buf),
            state: None,
        }
    }

    /// The tools folder (`D:\home\site\tools`), when the run has a home root.
    pub fn tools(&self) -> Option<PathBuf> {
        self.home
            .as_ref()
            .map(|home| home.join("site").join("tools"))
    }

    /// Adds the tools folder to PATH and `WEBROOT_PATH` to `env`, as App Service has them.
    pub fn add_variables(&self, env: &mut Environment) {
        if let Some(target) = &self.target {
            if !env.keys().any(|k| k.eq_ignore_ascii_case("WEBROOT_PATH")) {
                env.insert("WEBROOT_PATH".into(), target.display().to_string());
            }
        }
        if let Some(tools) = self.tools() {
            let key = env
                .keys()
                .find(|k| k.eq_ignore_ascii_case("PATH"))
                .cloned()
                .unwrap_or_else(|| "PATH".to_string());
            let path = env.get(&key).cloned().unwrap_or_default();
            let joined = if path.is_empty() {
                tools.display().to_string()
            } else {
                format!("{path}:{}", tools.display())
            };
            env.insert(key, joined);
        }
    }
}

/// `/x/home` for a target `/x/home/site/wwwroot`.
fn home_above(target: &Path) -> Option<PathBuf> {
    let site = target.parent()?;
    let is = |path: &Path, name: &str| {
        path.file_name()
            .is_some_and(|n| n.to_string_lossy().eq_ignore_ascii_case(name))
    };
    (is(target, "wwwroot") && is(site, "site")).then(|| site.parent().map(Path::to_path_buf))?
}

/// Maps App Service's Windows paths to Linux ones: the hook every builtin and program
/// argument goes through ([`super::resolve_path`]), set in
/// [`crate::interpreter::RunOptions::windows_python`].
pub trait WindowsPathMap: Send + Sync {
    /// The Linux path for a drive path word (`D:\home\site\wwwroot\x`); `Ok(None)` when no
    /// row of the table maps it.
    fn map(&self, windows_path: &str) -> Result<Option<PathBuf>, CompatError>;

    /// The Linux path for a Linux path that does not exist but stands for an App Service
    /// one (`<target>/../Python36/python.exe`, `$HOME/site/wwwroot`); `Ok(None)` otherwise.
    fn map_linux(&self, _path: &Path) -> Result<Option<PathBuf>, CompatError> {
        Ok(None)
    }
}

/// The table served with this run's folders and the interpreters installed here (looked
/// for once, when a script first names one).
pub struct AppServicePaths {
    layout: AppServiceLayout,
    env: Environment,
    found: OnceLock<Discovery>,
}

impl AppServicePaths {
    /// The hook for a run with `layout`, searching interpreters with `env` (PATH, pyenv,
    /// `DEPLOY_PYTHON_DIRS`).
    pub fn new(layout: AppServiceLayout, env: Environment) -> AppServicePaths {
        AppServicePaths {
            layout,
            env,
            found: OnceLock::new(),
        }
    }

    /// The Linux path of a classified path; `written` names it in errors.
    fn place(&self, path: &AppServicePath, written: &str) -> Result<PathBuf, CompatError> {
        let missing = |what: &str| CompatError::AppServicePath {
            path: written.to_string(),
            problem: what.to_string(),
        };
        let base = match path.row {
            AppServiceRow::Home => self.layout.home.clone().ok_or_else(|| {
                missing("App Service's home root, which this run does not have: pass `--home DIR` or deploy with `--target`")
            })?,
            AppServiceRow::Site => self.layout.target.clone().ok_or_else(|| {
                missing("the site, which only a deploy has: deploy with `--target DIR`")
            })?,
            AppServiceRow::Deployments => self.layout.state.clone().ok_or_else(|| {
                missing("the state folder, which only a deploy has: deploy with `--target DIR`")
            })?,
            AppServiceRow::Tools => self.layout.tools().ok_or_else(|| {
                missing("the tools folder of App Service's home root, which this run does not have: pass `--home DIR` or deploy with `--target`")
            })?,
            AppServiceRow::Python => return self.python(path, written),
            AppServiceRow::Variable => return Err(missing("not a path")),
        };
        Ok(path
            .rest
            .iter()
            .fold(base, |folder, part| folder.join(part)))
    }

    /// The interpreter file or folder a Python row's path names.
    fn python(&self, path: &AppServicePath, written: &str) -> Result<PathBuf, CompatError> {
        let Some(version) = &path.version else {
            return Err(CompatError::DriveLetter(written.to_string()));
        };
        let found = self.found.get_or_init(|| discover(&self.env));
        let interpreter = found
            .interpreters
            .iter()
            .find(|interpreter| version.matches(&interpreter.version))
            .ok_or_else(|| CompatError::PythonMissing {
                path: written.to_string(),
                version: version.to_string(),
                found: found.found_list(),
            })?;
        python_file(interpreter, &path.rest, written)
    }
}

/// The file of an installed interpreter that `rest` (after its install folder) names:
/// `python.exe` the interpreter, `Scripts\pip.exe` its pip, `Scripts\virtualenv.exe` its
/// virtualenv, anything else the same path under its prefix.
fn python_file(
    interpreter: &Interpreter,
    rest: &[String],
    written: &str,
) -> Result<PathBuf, CompatError> {
    let bin = interpreter
        .executable
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let prefix = if bin.file_name().is_some_and(|name| name == "bin") {
        bin.parent().map(Path::to_path_buf).unwrap_or_default()
    } else {
        bin.clone()
    };
    let lower: Vec<String> = rest.iter().map(|p| p.to_ascii_lowercase()).collect();
    let stem = |name: &str| name.strip_suffix(".exe").unwrap_or(name).to_string();
    match lower.as_slice() {
        [] => Ok(prefix),
        [file] if matches!(stem(file).as_str(), "python" | "pythonw") => {
            Ok(interpreter.executable.clone())
        }
        [scripts, file] if scripts == "scripts" => {
            let name = stem(file);
            let version = &interpreter.version;
            let names = [
                format!("{name}{}.{}", version.major, version.minor),
                format!("{name}{}", version.major),
                name.clone(),
            ];
            let names: &[String] = if name == "pip" { &names } else { &names[2..] };
            names
                .iter()
                .map(|candidate| bin.join(candidate))
                .find(|candidate| candidate.is_file())
                .ok_or_else(|| {
                    let install = if name == "pip" {
                        format!("`{} -m ensurepip`", interpreter.executable.display())
                    } else {
                        format!(
                            "`{} -m pip install {name}`",
                            interpreter.executable.display()
                        )
                    };
                    CompatError::AppServicePath {
                        path: written.to_string(),
                        problem: format!(
                            "`{name}` of python {}, which it does not have; install it with {install}",
                            interpreter.describe()
                        ),
                    }
                })
        }
        _ => Ok(rest.iter().fold(prefix, |folder, part| folder.join(part))),
    }
}

impl WindowsPathMap for AppServicePaths {
    fn map(&self, windows_path: &str) -> Result<Option<PathBuf>, CompatError> {
        match classify(windows_path) {
            Some(path) => self.place(&path, windows_path).map(Some),
            None => Ok(None),
        }
    }

    fn map_linux(&self, path: &Path) -> Result<Option<PathBuf>, CompatError> {
        let normal = normalize(path);
        // `%DEPLOYMENT_TARGET%\..\Python36\python.exe`: an install beside the site.
        if let Some(beside) = self.layout.target.as_deref().and_then(Path::parent) {
            if let Ok(rest) = normal.strip_prefix(beside) {
                let parts = parts_of(rest);
                if let Some(version) = parts.first().and_then(|first| python_folder(first)) {
                    let found = python_path(version, parts[1..].to_vec());
                    return self.python(&found, &path.display().to_string()).map(Some);
                }
            }
        }
        // `%HOME%\site\wwwroot`: HOME is the user's, and App Service's home is the root.
        if let Some(home) = self.env.get("HOME").filter(|home| !home.is_empty()) {
            if let Ok(rest) = normal.strip_prefix(home) {
                let parts = parts_of(rest);
                let lower: Vec<String> = parts.iter().map(|p| p.to_ascii_lowercase()).collect();
                let borrowed: Vec<&str> = parts.iter().map(String::as_str).collect();
                let found = home_path(&borrowed, &lower);
                if found.row != AppServiceRow::Home {
                    return self.place(&found, &path.display().to_string()).map(Some);
                }
            }
        }
        Ok(None)
    }
}

fn parts_of(path: &Path) -> Vec<String> {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect()
}

/// `path` with `.` and `..` removed, without reading the filesystem.
fn normalize(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other.as_os_str()),
        }
    }
    normal
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(word: &str) -> Option<(AppServiceRow, Option<String>, Vec<String>)> {
        classify(word).map(|p| (p.row, p.version.map(|v| v.to_string()), p.rest))
    }

    #[test]
    fn the_table_reads_app_service_paths() {
        let strings = |parts: &[&str]| parts.iter().map(|p| p.to_string()).collect::<Vec<_>>();
        assert_eq!(
            row(r"D:\home\site\wwwroot\web.config"),
            Some((AppServiceRow::Site, None, strings(&["web.config"])))
        );
        assert_eq!(
            row(r"c:/HOME/Site/Deployments"),
            Some((AppServiceRow::Deployments, None, vec![]))
        );
        assert_eq!(
            row(r"D:\home\site\tools\python36*"),
            Some((AppServiceRow::Tools, None, strings(&["python36*"])))
        );
        assert_eq!(
            row(r"D:\home\LogFiles"),
            Some((AppServiceRow::Home, None, strings(&["LogFiles"])))
        );
        assert_eq!(
            row(r"D:\home\python364x64\Scripts\pip.exe"),
            Some((
                AppServiceRow::Python,
                Some("3.6".into()),
                strings(&["Scripts", "pip.exe"])
            ))
        );
        assert_eq!(
            row(r"D:\Program Files (x86)\python27\python.exe"),
            Some((
                AppServiceRow::Python,
                Some("2.7".into()),
                strings(&["python.exe"])
            ))
        );
        assert_eq!(
            row(r"C:\Python311"),
            Some((AppServiceRow::Python, Some("3.11".into()), vec![]))
        );
        assert_eq!(row(r"C:\Windows\system32"), None);
        assert_eq!(row(r"E:\home\site"), None);
    }

    #[test]
    fn folders_come_from_the_layout() {
        let layout = AppServiceLayout::for_deploy(
            Path::new("/srv/home/site/wwwroot"),
            Path::new("/srv/state"),
            None,
        );
        assert_eq!(layout.home.as_deref(), Some(Path::new("/srv/home")));
        let elsewhere =
            AppServiceLayout::for_deploy(Path::new("/srv/www"), Path::new("/srv/state"), None);
        assert_eq!(
            elsewhere.home.as_deref(),
            Some(Path::new("/srv/state/home"))
        );
        let mut env = Environment::new();
        env.insert("HOME".into(), "/root".into());
        let paths = AppServicePaths::new(layout, env);
        assert_eq!(
            paths.map(r"D:\home\site\wwwroot\a\b.txt").unwrap(),
            Some(PathBuf::from("/srv/home/site/wwwroot/a/b.txt"))
        );
        assert_eq!(
            paths.map(r"D:\home\site\deployments\x").unwrap(),
            Some(PathBuf::from("/srv/state/x"))
        );
        assert_eq!(
            paths
                .map_linux(Path::new("/root/site/tools/t.cmd"))
                .unwrap(),
            Some(PathBuf::from("/srv/home/site/tools/t.cmd"))
        );
        assert_eq!(paths.map(r"C:\Windows").unwrap(), None);
        let plain = AppServicePaths::new(AppServiceLayout::default(), Environment::new());
        assert!(matches!(
            plain.map(r"D:\home\site\wwwroot"),
            Err(CompatError::AppServicePath { .. })
        ));
    }
}
