//! The conformance suite: every `tests/conformance/<area>/<name>.cmd` runs as
//! `run-deploy --quiet NAME.cmd` in a fresh folder holding only a copy of it, and its exit
//! code, stdout and stderr must equal its `.expected` file exactly (format in
//! tests/conformance/README.md). Every failing case is reported, each with a diff.
//! `CONFORMANCE=area/name` (a substring) runs only the matching cases.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;

/// What a case must give.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    exit: i32,
    stdout: String,
    stderr: String,
}

fn parse_expected(text: &str) -> Result<Outcome, String> {
    let mut exit = None;
    let mut section = None;
    let mut stdout = String::new();
    let mut stderr = String::new();
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches('\n');
        match bare {
            "--- stdout" => section = Some(1),
            "--- stderr" => section = Some(2),
            "--- end" => section = Some(3),
            _ => match section {
                None if bare.starts_with("exit ") => {
                    exit = bare[5..].trim().parse().ok();
                }
                Some(1) => stdout.push_str(line),
                Some(2) => stderr.push_str(line),
                _ => {}
            },
        }
    }
    if section != Some(3) {
        return Err("the .expected file has no `--- end` line".into());
    }
    Ok(Outcome {
        exit: exit.ok_or("the .expected file has no `exit N` line")?,
        stdout,
        stderr,
    })
}

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance");
    let filter = std::env::var("CONFORMANCE").unwrap_or_default();
    let mut cases: Vec<PathBuf> = walkdir::WalkDir::new(&root)
        .into_iter()
        .flatten()
        .map(|entry| entry.into_path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "cmd"))
        .filter(|path| path.to_string_lossy().contains(&filter))
        .collect();
    cases.sort();
    cases
}

fn run_case(case: &Path) -> Result<(), String> {
    let expected_path = case.with_extension("expected");
    let expected_text = std::fs::read_to_string(&expected_path)
        .map_err(|error| format!("cannot read {}: {error}", expected_path.display()))?;
    let expected = parse_expected(&expected_text)?;
    let dir = tempfile::tempdir().map_err(|error| error.to_string())?;
    let name = case.file_name().unwrap_or_default();
    std::fs::copy(case, dir.path().join(name)).map_err(|error| error.to_string())?;
    let output = Command::new(env!("CARGO_BIN_EXE_run-deploy"))
        .arg("--quiet")
        .arg(name)
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .output()
        .map_err(|error| format!("cannot run run-deploy: {error}"))?;
    let actual = Outcome {
        exit: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    if actual == expected {
        return Ok(());
    }
    let mut report = String::new();
    if actual.exit != expected.exit {
        report.push_str(&format!(
            "  exit: expected {}, got {}\n",
            expected.exit, actual.exit
        ));
    }
    for (stream, want, got) in [
        ("stdout", &expected.stdout, &actual.stdout),
        ("stderr", &expected.stderr, &actual.stderr),
    ] {
        if want != got {
            report.push_str(&format!("  {stream}:\n{}", diff(want, got)));
        }
    }
    Err(report)
}

/// A line diff: `-` expected, `+` actual, ` ` both.
fn diff(want: &str, got: &str) -> String {
    let want: Vec<&str> = want.lines().collect();
    let got: Vec<&str> = got.lines().collect();
    let (n, m) = (want.len(), got.len());
    let mut common = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            common[i][j] = if want[i] == got[j] {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::new());
    while i < n || j < m {
        if i < n && j < m && want[i] == got[j] {
            out.push_str(&format!("     {:?}\n", want[i]));
            i += 1;
            j += 1;
        } else if j < m && (i == n || common[i][j + 1] >= common[i + 1][j]) {
            out.push_str(&format!("    +{:?}\n", got[j]));
            j += 1;
        } else {
            out.push_str(&format!("    -{:?}\n", want[i]));
            i += 1;
        }
    }
    out
}

#[test]
fn conformance_cases_match_their_expected_output() {
    let cases = cases();
    assert!(!cases.is_empty(), "no conformance cases found");
    let queue = Mutex::new(cases.clone());
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| loop {
                let Some(case) = queue.lock().unwrap().pop() else {
                    return;
                };
                if let Err(report) = run_case(&case) {
                    failures.lock().unwrap().push((case, report));
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    failures.sort();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance");
    let mut report = String::new();
    for (case, failure) in &failures {
        let name = case.strip_prefix(&root).unwrap_or(case);
        report.push_str(&format!("FAIL {}\n{failure}\n", name.display()));
    }
    eprintln!(
        "conformance: {} of {} cases pass",
        cases.len() - failures.len(),
        cases.len()
    );
    assert!(failures.is_empty(), "{report}");
}
