//! gen-deploy end to end: the real binary, run on copies of the fixture apps
//! (tests/fixtures/apps) and of the samples (samples/) in temporary folders. The generated
//! files and the `--explain` and `--json` reports are pinned by snapshots; today's date
//! (the example `/ONCE` token) is the only part redacted.

use crate::common::test::{lf, read, Test};
use std::fs;
use std::process::Command;

/// Snapshot filters: the `/ONCE` token is the day the script was generated.
fn date_filters() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            r"VENV REMOVE /ONCE \d{4}-\d{2}-\d{2}\b",
            "VENV REMOVE /ONCE [TODAY]",
        ),
        (
            r#""once_token": "\d{4}-\d{2}-\d{2}""#,
            r#""once_token": "[TODAY]""#,
        ),
    ]
}

/// Everything gen-deploy says and writes for the app in `workspace`: a write, the written
/// files, `--kudu --stdout`, `--explain` and `--json`.
fn full_transcript(workspace: &Test) -> String {
    let name = workspace.app_name();
    let mut out = String::new();
    let write = workspace.gen(&[]);
    out += &format!("$ gen-deploy {name}\n{}", write.transcript());
    assert_eq!(write.code, 0, "{}", write.transcript());
    let script = read(&workspace.app, "deploy.cmd");
    assert!(all_crlf(&script), "deploy.cmd must have CRLF line ends");
    out += &format!("=== deploy.cmd ===\n{}", lf(&script));
    out += &format!(
        "=== .deployment ===\n{}",
        read(&workspace.app, ".deployment")
    );

    let stdout = workspace.gen(&["--stdout"]);
    assert_eq!(stdout.stdout, script, "--stdout prints what a write writes");

    let kudu = workspace.gen(&["--kudu", "--stdout"]);
    assert!(
        all_crlf(&kudu.stdout),
        "the --kudu script must have CRLF line ends"
    );
    out += &format!("$ gen-deploy {name} --kudu --stdout\n{}", kudu.transcript());

    let explain = workspace.gen(&["--explain"]);
    out += &format!("$ gen-deploy {name} --explain\n{}", explain.transcript());

    let json = workspace.gen(&["--json"]);
    serde_json::from_str::<serde_json::Value>(&json.stdout).expect("--json prints JSON");
    out += &format!("$ gen-deploy {name} --json\n{}", json.transcript());
    out
}

/// Pins the full transcript of fixture `name`.
fn snapshot_fixture(name: &str) {
    let workspace = Test::fixture(name);
    let transcript = full_transcript(&workspace);
    insta::with_settings!({ filters => date_filters() }, {
        insta::assert_snapshot!(format!("fixture_{name}"), transcript);
    });
}

/// One test per fixture app.
macro_rules! fixture_tests {
    ($($test:ident => $dir:literal,)*) => {
        $(
            #[test]
            fn $test() {
                snapshot_fixture($dir);
            }
        )*
    };
}

fixture_tests! {
    fixture_bad_pyproject => "bad-pyproject",
    fixture_bad_version_files => "bad-version-files",
    fixture_bom_requirements => "bom-requirements",
    fixture_dependency_only_framework => "dependency-only-framework",
    fixture_django_no_static_root => "django-no-static-root",
    fixture_django_settings_package => "django-settings-package",
    fixture_django_skip => "django-skip",
    fixture_dot_venv_committed => "dot-venv-committed",
    fixture_fastapi_dotted => "fastapi-dotted",
    fixture_flask_and_fastapi => "flask-and-fastapi",
    fixture_flask_in_package => "flask-in-package",
    fixture_pipfile_only => "pipfile-only",
    fixture_pyproject_poetry => "pyproject-poetry",
    fixture_pyproject_setuptools => "pyproject-setuptools",
    fixture_pyproject_tool_config_only => "pyproject-tool-config-only",
    fixture_python_version_file => "python-version-file",
    fixture_requirements_and_pyproject => "requirements-and-pyproject",
    fixture_requirements_folder => "requirements-folder",
    fixture_requirements_variants => "requirements-variants",
    fixture_requires_python_mismatch => "requires-python-mismatch",
    fixture_runtime_agrees_python_version => "runtime-agrees-python-version",
    fixture_runtime_txt_patch => "runtime-txt-patch",
    fixture_runtime_vs_python_version => "runtime-vs-python-version",
    fixture_setup_py => "setup-py",
    fixture_shipped_env_windows => "shipped-env-windows",
    fixture_skip_python_deployment => "skip-python-deployment",
    fixture_static_folders => "static-folders",
    fixture_uv_lock => "uv-lock",
    fixture_web_config => "web-config",
    fixture_poetry_lock => "poetry-lock",
    fixture_pipfile_lock => "pipfile-lock",
    fixture_lock_agrees_with_requirements => "lock-agrees-with-requirements",
    fixture_hashed_requirements => "hashed-requirements",
}

/// `.deployment`'s `project = src/web`: gen-deploy reads the app there, writes the script
/// beside `.deployment` (replacing it only with `--force`, keeping `project` and the
/// settings), and the script deploys the project folder for real.
#[test]
fn fixture_deployment_project() {
    let workspace = Test::fixture("deployment-project");
    let mut out = String::new();
    let refused = workspace.gen(&[]);
    assert_eq!(refused.code, 1);
    out += &format!("$ gen-deploy deployment-project\n{}", refused.transcript());
    let forced = workspace.gen(&["--force"]);
    assert_eq!(forced.code, 0, "{}", forced.transcript());
    out += &format!(
        "$ gen-deploy deployment-project --force\n{}",
        forced.transcript()
    );
    out += &format!(
        "=== .deployment ===\n{}=== .deployment.bak ===\n{}",
        read(&workspace.app, ".deployment"),
        read(&workspace.app, ".deployment.bak")
    );
    let explain = workspace.gen(&["--explain"]);
    out += &format!(
        "$ gen-deploy deployment-project --explain\n{}",
        explain.transcript()
    );
    insta::assert_snapshot!("fixture_deployment-project", out);

    let deployed = workspace.deploy(&[]);
    deployed.assert_success();
    let mut files = crate::common::test::files_under(&workspace.site);
    files.retain(|file| !file.starts_with("env/"));
    assert_eq!(files, ["app.py", "requirements.txt", "runtime.txt"]);
    assert_eq!(workspace.import_version("flask").as_deref(), Some("3.0.3"));
}

/// What gen-deploy says for an app whose package files leave the choice open: the write,
/// `--explain` and `--json` all fail (exit 1, nothing written), naming the files and the
/// flag that chooses; then each `resolution` (flags) prints the script it chooses.
fn snapshot_conflict(name: &str, resolutions: &[&[&str]]) {
    let workspace = Test::fixture(name);
    let mut out = String::new();
    for args in [&[][..], &["--explain"], &["--json"]] {
        let run = workspace.gen(args);
        assert_eq!(run.code, 1, "{}", run.transcript());
        out += &format!(
            "$ gen-deploy {name} {}\n{}",
            args.join(" "),
            run.transcript()
        );
    }
    assert!(!workspace.app.join("deploy.cmd").exists());
    assert!(!workspace.app.join(".deployment").exists());
    for args in resolutions {
        let args = [*args, &["--explain"]].concat();
        let run = workspace.gen(&args);
        out += &format!(
            "$ gen-deploy {name} {}\n{}",
            args.join(" "),
            run.transcript()
        );
        let mut stdout_args: Vec<&str> = args[..args.len() - 1].to_vec();
        stdout_args.push("--stdout");
        let script = workspace.gen(&stdout_args);
        assert_eq!(script.code, 0, "{}", script.transcript());
        let install: Vec<&str> = script
            .stdout
            .lines()
            .filter(|line| line.starts_with("VENV "))
            .collect();
        out += &format!(
            "$ gen-deploy {name} {} | grep ^VENV\n{}\n",
            stdout_args.join(" "),
            install.join("\n")
        );
    }
    insta::with_settings!({ filters => date_filters() }, {
        insta::assert_snapshot!(format!("conflict_{name}"), out);
    });
}

#[test]
fn conflict_two_locks_names_both_and_the_flag_that_chooses() {
    snapshot_conflict(
        "two-locks",
        &[&["--installer", "uv"], &["--installer", "poetry"]],
    );
}

#[test]
fn conflict_a_lock_beside_a_requirements_txt_that_disagrees() {
    snapshot_conflict(
        "lock-disagrees-with-requirements",
        &[&["--installer", "uv"], &["--installer", "pip"]],
    );
}

#[test]
fn conflict_installer_poetry_without_a_poetry_lock() {
    let workspace = Test::fixture("poetry-without-lock-flag");
    let mut out = String::new();
    for installer in ["poetry", "pipenv"] {
        let run = workspace.gen(&["--installer", installer, "--stdout"]);
        out += &format!(
            "$ gen-deploy poetry-without-lock-flag --installer {installer} --stdout\n{}",
            run.transcript()
        );
    }
    insta::assert_snapshot!("conflict_poetry-without-lock-flag", out);
}

#[test]
fn fixture_shipped_env_made_by_real_venv() {
    let workspace = Test::fixture("shipped-env");
    let status = Command::new("python3")
        .args(["-m", "venv", "--without-pip", "env"])
        .current_dir(&workspace.app)
        .status()
        .expect("run python3 -m venv");
    assert!(status.success());
    // The env's Python is this machine's: redact its patch release.
    let transcript = full_transcript(&workspace);
    insta::with_settings!({ filters => [date_filters(), vec![(r"\b3\.\d+\.\d+\b", "[PYTHON]")]].concat() }, {
        insta::assert_snapshot!("fixture_shipped-env", transcript);
    });
}

#[test]
fn no_python_app_is_a_clear_error_and_writes_nothing() {
    let workspace = Test::fixture("no-python");
    let run = workspace.gen(&[]);
    assert_eq!(
        run.transcript(),
        "exit: 1\n--- stdout ---\n--- stderr ---\n\
         error: no python app found in `no-python`\n  \
         looked for: runtime.txt, .python-version, requirements.txt, requirements-*.txt, requirements/*.txt, \
         pyproject.toml, setup.py, uv.lock, poetry.lock, Pipfile, Pipfile.lock, manage.py, *.py files (top level, one folder down, src/*/)\n  \
         help: run `gen-deploy` in the app's folder or name it (`gen-deploy path/to/app`); an app needs at least a \
         `requirements.txt`, a `pyproject.toml` or a `.py` file\n"
    );
    assert!(!workspace.app.join("deploy.cmd").exists());
    assert!(!workspace.app.join(".deployment").exists());
    assert_eq!(workspace.gen(&["--explain"]).code, 1);
}

#[test]
fn missing_app_folder_is_an_error() {
    let workspace = Test::fixture("setup-py");
    let run = Command::new(env!("CARGO_BIN_EXE_gen-deploy"))
        .arg("no-such-app")
        .current_dir(workspace.root())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&run.stderr),
        "error: cannot read the app folder `no-such-app`: No such file or directory (os error 2)\n"
    );
}

/// The generated samples: a fresh generation equals the committed files (but for the
/// date token), and is pinned.
fn check_generated_sample(name: &str) {
    let workspace = Test::sample(name);
    let committed_script = read(&workspace.app, "deploy.cmd");
    let committed_deployment = read(&workspace.app, ".deployment");
    assert!(
        all_crlf(&committed_script),
        "samples/{name}/deploy.cmd keeps its CRLF line ends"
    );
    fs::remove_file(workspace.app.join("deploy.cmd")).unwrap();
    fs::remove_file(workspace.app.join(".deployment")).unwrap();
    let transcript = full_transcript(&workspace);
    assert_eq!(
        without_once_token(&read(&workspace.app, "deploy.cmd")),
        without_once_token(&committed_script),
        "samples/{name}/deploy.cmd is out of date: run `gen-deploy samples/{name} --force`"
    );
    assert_eq!(read(&workspace.app, ".deployment"), committed_deployment);
    assert!(
        read(&workspace.app, "README.md").lines().count() >= 3,
        "samples/{name}/README.md says what it shows"
    );
    insta::with_settings!({ filters => date_filters() }, {
        insta::assert_snapshot!(format!("sample_{name}"), transcript);
    });
}

#[test]
fn sample_flask_app() {
    check_generated_sample("flask-app");
}

#[test]
fn sample_django_app() {
    check_generated_sample("django-app");
}

#[test]
fn sample_fastapi_app() {
    check_generated_sample("fastapi-app");
}

#[test]
fn sample_uv_app() {
    check_generated_sample("uv-app");
}

#[test]
fn sample_poetry_app() {
    check_generated_sample("poetry-app");
}

#[test]
fn sample_pipenv_app() {
    check_generated_sample("pipenv-app");
}

#[test]
fn sample_hashed_app() {
    check_generated_sample("hashed-app");
}

#[test]
fn sample_custom_script_app_keeps_its_hand_edits() {
    let workspace = Test::sample("custom-script-app");
    let committed = read(&workspace.app, "deploy.cmd");
    assert!(all_crlf(&committed));
    let lines: Vec<&str> = committed.lines().collect();
    assert!(
        lines.contains(&"VENV REMOVE /ONCE 2026-11-24-drop-old-pins"),
        "env forced away once"
    );
    assert!(
        lines.contains(&":: 5. Record which commit is deployed; app.py shows it (added by hand)")
    );
    assert_eq!(
        read(&workspace.app, ".deployment"),
        "[config]\ncommand = deploy.cmd\n"
    );
    let refused = workspace.gen(&[]);
    assert_eq!(refused.code, 1);
    assert_eq!(
        read(&workspace.app, "deploy.cmd"),
        committed,
        "a refused run leaves the script alone"
    );
    let generated = workspace.gen(&["--stdout"]);
    insta::with_settings!({ filters => date_filters() }, {
        insta::assert_snapshot!("sample_custom-script-app", generated.transcript());
    });
}

/// Whether every line of `text` ends with CRLF.
fn all_crlf(text: &str) -> bool {
    text.ends_with("\r\n") && !text.replace("\r\n", "").contains('\n')
}

/// The generated `/ONCE` token is today's date: the same text with it replaced, for
/// comparing a committed sample with a fresh generation.
fn without_once_token(text: &str) -> String {
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
