//! Kudu's own scripts, generated at test time by the `kuduscript` npm package (1.0.17).
//! Their text is Kudu's, so it is never committed.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The eight project types whose batch scripts kuduscript generates, with its flags.
pub const KINDS: [(&str, &[&str]); 8] = [
    ("python", &["--python"]),
    ("node", &["--node"]),
    ("basic", &["--basic"]),
    ("aspWebSite", &["--aspWebSite"]),
    (
        "aspWAP",
        &["--aspWAP", "x.csproj", "--solutionFile", "x.sln"],
    ),
    ("aspNetCore", &["--aspNetCore", "x.csproj"]),
    (
        "dotNetConsole",
        &["--dotNetConsole", "x.csproj", "--solutionFile", "x.sln"],
    ),
    ("functionApp", &["--functionApp", "x.csproj"]),
];

/// Generates the batch `deploy.cmd` (and `.deployment`) for `flags` into `dir` and
/// returns the script's path. Panics, saying how to install it, without kuduscript.
pub fn generate(dir: &Path, flags: &[&str]) -> PathBuf {
    for placeholder in ["x.csproj", "x.sln"] {
        std::fs::write(dir.join(placeholder), "").unwrap();
    }
    let output = Command::new("kuduscript")
        .current_dir(dir)
        .args(["-y", "-t", "batch"])
        .args(flags)
        .output()
        .unwrap_or_else(|error| {
            panic!("cannot run `kuduscript` ({error}): install it with `npm install -g kuduscript@1.0.17`")
        });
    assert!(
        output.status.success(),
        "kuduscript {flags:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let script = dir.join("deploy.cmd");
    for placeholder in ["x.csproj", "x.sln"] {
        std::fs::remove_file(dir.join(placeholder)).unwrap();
    }
    assert!(script.is_file(), "kuduscript {flags:?} wrote no deploy.cmd");
    script
}
