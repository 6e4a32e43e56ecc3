//! `.deployment`, the file Kudu reads in the repository root: its `[config]` section names
//! the `command` that deploys, the `project` folder to deploy (the app lives in a
//! subfolder), and deployment settings. run-deploy runs what it says; gen-deploy writes
//! the script for the `project` folder and keeps the key.

use anyhow::Context;
use std::path::Path;

/// The `[config]` section of a `.deployment` file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeploymentFile {
    /// `command`: the command line that deploys.
    pub command: Option<String>,
    /// `project`: the folder to deploy, relative to the repository.
    pub project: Option<String>,
    /// Every other key, in file order: deployment settings (`SCM_TRACE_LEVEL = 4`).
    pub settings: Vec<(String, String)>,
}

impl DeploymentFile {
    /// Reads `dir/.deployment`; an empty file description when there is none.
    pub fn read(dir: &Path) -> anyhow::Result<DeploymentFile> {
        let path = dir.join(".deployment");
        if !path.is_file() {
            return Ok(DeploymentFile::default());
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read `{}`", path.display()))?;
        Ok(DeploymentFile::parse(&text))
    }

    /// Reads the `[config]` section of `.deployment` text: `key = value` lines (keys
    /// compared ignoring case, values unquoted), `;` and `#` comments, other sections
    /// ignored. A key given twice keeps its last value, as Kudu's settings reader does.
    pub fn parse(text: &str) -> DeploymentFile {
        let mut file = DeploymentFile::default();
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
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            let key = key.trim();
            let value = value.trim();
            let unquoted = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .filter(|v| !v.contains('"'))
                .unwrap_or(value);
            let value = (!unquoted.is_empty()).then(|| unquoted.to_string());
            if key.eq_ignore_ascii_case("command") {
                file.command = value;
            } else if key.eq_ignore_ascii_case("project") {
                file.project = value;
            } else if !key.is_empty() {
                file.settings
                    .retain(|(name, _)| !name.eq_ignore_ascii_case(key));
                file.settings
                    .push((key.to_string(), value.unwrap_or_default()));
            }
        }
        file
    }

    /// Adds the settings to `env` where it has no variable of that name (compared ignoring
    /// case): the real environment wins, as on Kudu. Returns the names added.
    pub fn apply_settings(&self, env: &mut crate::process::Environment) -> Vec<String> {
        let mut added = Vec::new();
        for (name, value) in &self.settings {
            if !env.keys().any(|key| key.eq_ignore_ascii_case(name)) {
                env.insert(name.clone(), value.clone());
                added.push(name.clone());
            }
        }
        added
    }
}
