//! Every script gen-deploy writes — for every sample and fixture app, in both styles, and
//! with each `VENV REMOVE` line uncommented in turn — passes
//! `run-deploy --check --deny-warnings`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn apps() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut apps = Vec::new();
    for folder in ["samples", "tests/fixtures/apps"] {
        for entry in std::fs::read_dir(root.join(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() && path.file_name().unwrap() != "no-python" {
                apps.push(path);
            }
        }
    }
    apps.sort();
    apps
}

/// The flags that choose between an app's conflicting package files (gen-deploy stops
/// without them; gen_deploy.rs pins those errors).
fn choice_for(app: &Path) -> &'static [&'static str] {
    match app.file_name().unwrap().to_str().unwrap() {
        "two-locks" => &["--installer", "poetry"],
        "lock-disagrees-with-requirements" => &["--installer", "uv"],
        _ => &[],
    }
}

fn generate(app: &Path, extra: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_gen-deploy"))
        .arg(app)
        .arg("--stdout")
        .args(choice_for(app))
        .args(extra)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "gen-deploy {} {extra:?}: {}",
        app.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Runs `run-deploy --check --deny-warnings` on `script` and returns its report when it fails.
fn check(script: &str) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("deploy.cmd"), script).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_run-deploy"))
        .current_dir(dir.path())
        .args(["--check", "--deny-warnings", "deploy.cmd"])
        .output()
        .unwrap();
    (!output.status.success()).then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The script with the `VENV REMOVE` line number `which` (0-based) uncommented.
fn uncomment_venv_remove(script: &str, which: usize) -> Option<String> {
    let mut seen = 0;
    let mut found = false;
    let lines: Vec<String> = script
        .split_inclusive('\n')
        .map(|line| {
            if let Some(rest) = line.strip_prefix(":: VENV REMOVE") {
                seen += 1;
                if seen - 1 == which {
                    found = true;
                    return format!("VENV REMOVE{rest}");
                }
            }
            line.to_string()
        })
        .collect();
    found.then(|| lines.concat())
}

#[test]
fn every_generated_script_checks_clean() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for app in apps() {
        for style in [&[][..], &["--kudu"][..]] {
            let script = generate(&app, style);
            if let Some(report) = check(&script) {
                failures.push(format!("{} {style:?}:\n{report}", app.display()));
            }
            checked += 1;
        }
        let script = generate(&app, &[]);
        for which in 0..3 {
            let Some(variant) = uncomment_venv_remove(&script, which) else {
                continue;
            };
            if let Some(report) = check(&variant) {
                failures.push(format!("{} VENV REMOVE #{which}:\n{report}", app.display()));
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} scripts checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_generated_script_offers_the_three_venv_remove_forms() {
    let script = generate(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/flask-app"),
        &[],
    );
    for which in 0..3 {
        assert!(
            uncomment_venv_remove(&script, which).is_some(),
            "form {which} missing"
        );
    }
    assert!(uncomment_venv_remove(&script, 3).is_none());
}
