//! Which script a deploy runs: the one named on the command line, else the command that
//! `.deployment` names (`[config]` section, key `command`; the `COMMAND` setting wins, as
//! in Kudu), else `deploy.cmd`.

use anyhow::Context;
use std::path::{Path, PathBuf};

/// The script to run or check, and why that one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptChoice {
    /// The script's path.
    pub path: PathBuf,
    /// Where the choice came from, for messages: `command line`, `.deployment`, ...
    pub source: &'static str,
}

/// Picks the script in `dir` when none was named. `command_setting` is the value of the
/// `COMMAND` setting, if any.
pub fn choose_script(
    named: Option<&Path>,
    dir: &Path,
    command_setting: Option<&str>,
) -> anyhow::Result<ScriptChoice> {
    if let Some(path) = named {
        return Ok(ScriptChoice {
            path: path.to_path_buf(),
            source: "command line",
        });
    }
    if let Some(command) = command_setting.map(str::trim).filter(|c| !c.is_empty()) {
        return Ok(ScriptChoice {
            path: dir.join(command_path(command)),
            source: "the COMMAND setting",
        });
    }
    let deployment = dir.join(".deployment");
    if deployment.is_file() {
        let text = std::fs::read_to_string(&deployment)
            .with_context(|| format!("cannot read `{}`", deployment.display()))?;
        if let Some(command) = deployment_command(&text) {
            return Ok(ScriptChoice {
                path: dir.join(command_path(&command)),
                source: ".deployment",
            });
        }
    }
    Ok(ScriptChoice {
        path: dir.join("deploy.cmd"),
        source: "default",
    })
}

/// The `command` key of the `[config]` section of a `.deployment` file.
pub fn deployment_command(text: &str) -> Option<String> {
    let mut in_config = false;
    for line in text.lines() {
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.starts_with('[') {
            in_config = line.eq_ignore_ascii_case("[config]");
            continue;
        }
        if !in_config || line.starts_with(';') || line.starts_with('#') {
            continue;
        }
        if let Some((key, value)) = line.split_once('=') {
            if key.trim().eq_ignore_ascii_case("command") {
                let value = value.trim().trim_matches('"');
                return (!value.is_empty()).then(|| value.to_string());
            }
        }
    }
    None
}

/// A `.deployment` command as a relative path: `bash deploy.sh` keeps its first word's
/// file, Windows separators become `/`.
fn command_path(command: &str) -> PathBuf {
    let first = command.split_whitespace().next().unwrap_or(command);
    PathBuf::from(first.trim_matches('"').replace('\\', "/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_config_command() {
        let text = "[config]\r\ncommand = deploy.cmd\r\n";
        assert_eq!(deployment_command(text).as_deref(), Some("deploy.cmd"));
        let other =
            "[other]\ncommand = no.cmd\n[CONFIG]\nSCM_DO_BUILD=1\ncommand=\"scripts\\go.cmd\"\n";
        assert_eq!(
            deployment_command(other).as_deref(),
            Some("scripts\\go.cmd")
        );
        assert_eq!(deployment_command("[config]\n"), None);
    }

    #[test]
    fn command_line_then_setting_then_deployment_then_default() {
        let dir = tempfile::tempdir().unwrap();
        let default = choose_script(None, dir.path(), None).unwrap();
        assert_eq!(default.path, dir.path().join("deploy.cmd"));
        std::fs::write(
            dir.path().join(".deployment"),
            "[config]\ncommand = d\\x.cmd\n",
        )
        .unwrap();
        let from_file = choose_script(None, dir.path(), None).unwrap();
        assert_eq!(from_file.path, dir.path().join("d/x.cmd"));
        assert_eq!(from_file.source, ".deployment");
        let setting = choose_script(None, dir.path(), Some("y.cmd")).unwrap();
        assert_eq!(setting.path, dir.path().join("y.cmd"));
        let named = choose_script(Some(Path::new("z.cmd")), dir.path(), Some("y.cmd")).unwrap();
        assert_eq!(named.path, PathBuf::from("z.cmd"));
    }
}
