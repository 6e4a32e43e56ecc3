//! Helpers for the gen-deploy tests: copy an app into a temporary folder, run the real
//! binary there, and turn what it did into one readable transcript for a snapshot.

// Each test binary that includes this file uses only some of the helpers.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

/// Where the fixture apps live.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/apps")
}

/// Where the samples live.
pub fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

/// A temporary folder holding a copy of one app, named as the original.
pub struct Workspace {
    /// Kept so the folder lives as long as the workspace.
    pub root: TempDir,
    /// The app's name, also its folder name under `root`.
    pub name: String,
}

impl Workspace {
    /// Copies `source` (an app folder) into a new temporary folder.
    pub fn copy_of(source: &Path) -> Workspace {
        let root = TempDir::new().expect("create a temporary folder");
        let name = source.file_name().unwrap().to_string_lossy().into_owned();
        copy_tree(source, &root.path().join(&name));
        Workspace { root, name }
    }

    /// A copy of fixture `name`.
    pub fn fixture(name: &str) -> Workspace {
        Workspace::copy_of(&fixtures_dir().join(name))
    }

    /// The app folder.
    pub fn app(&self) -> PathBuf {
        self.root.path().join(&self.name)
    }

    /// Runs `gen-deploy <app> args...` from the workspace root, so that the app folder is
    /// named by its relative name and the output holds no temporary path.
    pub fn gen(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_gen-deploy"))
            .arg(&self.name)
            .args(args)
            .current_dir(self.root.path())
            .env_remove("PYTHON_VERSION")
            .output()
            .expect("run gen-deploy");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).expect("utf-8 stdout"),
            stderr: String::from_utf8(output.stderr).expect("utf-8 stderr"),
        }
    }

    /// The bytes of `rel` in the app folder, as text.
    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.app().join(rel))
            .unwrap_or_else(|error| panic!("read {rel}: {error}"))
    }

    /// Whether `rel` exists in the app folder.
    pub fn exists(&self, rel: &str) -> bool {
        self.app().join(rel).exists()
    }
}

/// What one run of gen-deploy did.
#[derive(Debug)]
pub struct Run {
    /// The exit code.
    pub code: i32,
    /// Everything printed on stdout.
    pub stdout: String,
    /// Everything printed on stderr.
    pub stderr: String,
}

impl Run {
    /// Exit code, stdout and stderr together, CRLF shown as LF.
    pub fn transcript(&self) -> String {
        format!(
            "exit: {}\n--- stdout ---\n{}--- stderr ---\n{}",
            self.code,
            lf(&self.stdout),
            lf(&self.stderr)
        )
    }
}

/// `text` with CRLF line ends turned into LF (snapshots hold LF; CRLF is tested apart).
pub fn lf(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// Whether every line of `text` ends with CRLF.
pub fn all_crlf(text: &str) -> bool {
    text.ends_with("\r\n") && !text.replace("\r\n", "").contains('\n')
}

/// The generated `/ONCE` token is today's date: the same text with it replaced, for
/// comparing a committed sample with a fresh generation.
pub fn without_once_token(text: &str) -> String {
    text.lines()
        .map(|line| match line.split_once("VENV REMOVE /ONCE ") {
            Some((head, token)) if is_date(token.trim_end()) => {
                format!("{head}VENV REMOVE /ONCE [TODAY]")
            }
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `2026-11-24`.
fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(index, byte)| match index {
            4 | 7 => *byte == b'-',
            _ => byte.is_ascii_digit(),
        })
}

/// Copies a folder tree (files and folders; these apps hold no links).
fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk the app");
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("create a folder");
        } else {
            fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}
