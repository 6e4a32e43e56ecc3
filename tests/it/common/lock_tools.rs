//! Test support for the lock-file tests (uv.lock, poetry.lock, Pipfile.lock): the version
//! a tool's step line names, a PATH without the tool, and the install step's reason in a
//! `--json` run.

use super::test::Test;

/// What the step line names the tool as: `uv 0.13.9`, `Poetry 2.5.1`, `pipenv 2024.4.0`,
/// from what `TOOL --version` prints (`uv 0.13.9 (abc 2025-01-01)`, `Poetry (version
/// 2.5.1)`, `pipenv, version 2024.4.0`).
pub fn tool_version(test: &Test, tool: &str) -> String {
    let out = test.output({
        let mut command = test.bare_command(tool);
        command.arg("--version");
        command
    });
    assert_eq!(out.code, 0, "{tool} --version:\n{out}");
    let line = out.stdout.lines().next().unwrap_or("").trim();
    let words: Vec<&str> = line
        .split([' ', ',', '(', ')'])
        .filter(|word| !word.is_empty() && *word != "version")
        .collect();
    format!("{} {}", words[0], words[1])
}

/// A PATH without any folder that holds `tool` (nor pyenv's shim for it).
pub fn path_without(tool: &str) -> String {
    let path = std::env::var_os("PATH").unwrap();
    let kept: Vec<_> = std::env::split_paths(&path)
        .filter(|dir| !dir.join(tool).exists())
        .collect();
    std::env::join_paths(kept).unwrap().into_string().unwrap()
}

/// The reason of the VENV INSTALL `step_finished` event of a `--json` run.
pub fn install_reason(stdout: &str) -> String {
    stdout
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).expect("a JSON line"))
        .find(|event| {
            event["event"] == "step_finished"
                && event["step"]
                    .as_str()
                    .is_some_and(|step| step.starts_with("VENV INSTALL"))
        })
        .and_then(|event| event["reason"].as_str().map(str::to_string))
        .expect("a VENV INSTALL step")
}
