//! Which script a deploy runs, and the `.deployment` file as Kudu reads it.
//!
//! The script is the one named on the command line, else the `command` that `.deployment`
//! names (`[config]` section; the `COMMAND` setting wins, as in Kudu), else `deploy.cmd`.
//! Kudu runs `command` as a command line (`cmd /c COMMAND`): a `.cmd`/`.bat` file is
//! interpreted with the rest of the line as `%1`..., anything else (`bash deploy.sh`,
//! `python build.py`) runs as that line would in a script. `project` names the folder to
//! deploy, and every other key is a deployment setting that the environment overrides.

pub use crate::app::deployment_file::DeploymentFile;
use std::path::{Path, PathBuf};

/// The script to run or check, and why that one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptChoice {
    /// The script's path; for a command line, the `.deployment` file that holds it.
    pub path: PathBuf,
    /// `%1`, `%2`, ... that the choice itself gives (`command = deploy.cmd arg`).
    pub args: Vec<String>,
    /// A command line that runs a program rather than a script (`bash deploy.sh`).
    pub command_line: Option<String>,
    /// Where the choice came from, for messages: `command line`, `.deployment`, ...
    pub source: &'static str,
}

impl ScriptChoice {
    /// The choice of a script file with no arguments of its own.
    fn file(path: PathBuf, source: &'static str) -> ScriptChoice {
        ScriptChoice {
            path,
            args: Vec::new(),
            command_line: None,
            source,
        }
    }

    /// The one-line script that runs a command line as `cmd /c LINE` would, ending with
    /// the command's exit code.
    pub fn command_line_script(&self) -> Option<String> {
        self.command_line
            .as_ref()
            .map(|line| format!("@{line}\r\n@exit /b %ERRORLEVEL%\r\n"))
    }
}

/// Picks the script in `dir` when none was named. `command_setting` is the value of the
/// `COMMAND` setting, if any; `deployment` is `dir`'s `.deployment`.
pub fn choose_script(
    named: Option<&Path>,
    dir: &Path,
    command_setting: Option<&str>,
    deployment: &DeploymentFile,
) -> ScriptChoice {
    if let Some(path) = named {
        return ScriptChoice::file(path.to_path_buf(), "command line");
    }
    if let Some(command) = command_setting.map(str::trim).filter(|c| !c.is_empty()) {
        return command_choice(command, dir, "the COMMAND setting");
    }
    if let Some(command) = &deployment.command {
        return command_choice(command, dir, ".deployment");
    }
    ScriptChoice::file(dir.join("deploy.cmd"), "default")
}

/// A command line as Kudu runs it: a `.cmd`/`.bat` file with its arguments, else a
/// program's command line.
fn command_choice(command: &str, dir: &Path, source: &'static str) -> ScriptChoice {
    // Split as cmd splits a batch file's parameters: `%1` keeps its quotes.
    let words = crate::interpreter::expand::split_words(
        command,
        crate::interpreter::expand::Split::Parameters,
    );
    let first = words.first().map(|word| unquote(word)).unwrap_or_default();
    let lower = first.to_ascii_lowercase();
    if lower.ends_with(".cmd") || lower.ends_with(".bat") {
        return ScriptChoice {
            path: dir.join(crate::compat::slashes(&first)),
            // cmd keeps the quotes in `%1` (`%~1` drops them).
            args: words[1..].to_vec(),
            command_line: None,
            source,
        };
    }
    ScriptChoice {
        path: dir.join(".deployment"),
        args: Vec::new(),
        command_line: Some(command.to_string()),
        source,
    }
}

/// A word without its surrounding quotes.
fn unquote(word: &str) -> String {
    crate::interpreter::expand::strip_quotes(word).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_command_project_and_settings_from_config_only() {
        let text = "[other]\ncommand = no.cmd\nX=1\n[CONFIG]\r\n; a comment\r\nSCM_DO_BUILD=1\r\ncommand=\"scripts\\go.cmd\"\r\nproject = src/app\r\nscm_do_build = 0\r\n";
        let file = DeploymentFile::parse(text);
        assert_eq!(file.command.as_deref(), Some("scripts\\go.cmd"));
        assert_eq!(file.project.as_deref(), Some("src/app"));
        assert_eq!(
            file.settings,
            vec![("scm_do_build".to_string(), "0".to_string())]
        );
        assert_eq!(
            DeploymentFile::parse("[config]\n"),
            DeploymentFile::default()
        );
    }

    #[test]
    fn settings_yield_to_the_environment() {
        let file = DeploymentFile::parse("[config]\nA = file\nB = file\n");
        let mut env = crate::process::Environment::new();
        env.insert("a".into(), "env".into());
        assert_eq!(file.apply_settings(&mut env), vec!["B".to_string()]);
        assert_eq!(env.get("a").map(String::as_str), Some("env"));
        assert_eq!(env.get("B").map(String::as_str), Some("file"));
    }

    #[test]
    fn command_line_then_setting_then_deployment_then_default() {
        let dir = Path::new("/app");
        let none = DeploymentFile::default();
        let default = choose_script(None, dir, None, &none);
        assert_eq!(default.path, dir.join("deploy.cmd"));
        let file = DeploymentFile::parse("[config]\ncommand = d\\x.cmd \"a b\" c\n");
        let from_file = choose_script(None, dir, None, &file);
        assert_eq!(from_file.path, dir.join("d/x.cmd"));
        assert_eq!(from_file.args, vec!["\"a b\"".to_string(), "c".to_string()]);
        assert_eq!(from_file.source, ".deployment");
        let setting = choose_script(None, dir, Some("bash deploy.sh"), &file);
        assert_eq!(setting.command_line.as_deref(), Some("bash deploy.sh"));
        assert_eq!(setting.path, dir.join(".deployment"));
        assert_eq!(
            setting.command_line_script().as_deref(),
            Some("@bash deploy.sh\r\n@exit /b %ERRORLEVEL%\r\n")
        );
        let named = choose_script(Some(Path::new("z.cmd")), dir, Some("y.cmd"), &file);
        assert_eq!(named.path, PathBuf::from("z.cmd"));
    }
}
