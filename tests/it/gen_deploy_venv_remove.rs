//! The generated script's three `VENV REMOVE` lines, each uncommented in turn, do what the
//! comment above them says, over successive real deploys (real venv, pip or uv, wheels
//! built by the test). The step lines run-deploy prints (`[4/5] VENV ENSURE: rebuilt
//! (...)` / `reused (...)`) say what happened; a file left inside the env says whether the
//! env really is a new one.
//!
//! flask-app stands for every pip sample: the test first checks that django-app,
//! fastapi-app and custom-script-app get the very same lines. uv-app, whose lines name
//! its own files and whose env uv builds, has its own tests.

use crate::common::stand_ins;

use crate::common::test::{Output, Test};
use std::path::Path;

/// Which of the three lines, in the order the script lists them.
#[derive(Clone, Copy)]
enum Form {
    Always = 0,
    Once = 1,
    IfChanged = 2,
}

/// The script gen-deploy prints for the app of `site`.
fn generated(site: &Test) -> String {
    let run = site.gen(&["--stdout"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

/// Each commented `VENV REMOVE` line with the comment line above it, in order.
fn venv_remove_lines(script: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = script.lines().collect();
    lines
        .iter()
        .enumerate()
        .filter(|(_, line)| line.starts_with(":: VENV REMOVE"))
        .map(|(index, line)| (lines[index - 1].to_string(), line.to_string()))
        .collect()
}

/// `script` with line `form` uncommented (its leading `:: ` removed) and, when `token` is
/// given, the `/ONCE` token replaced.
fn with_line(script: &str, form: Form, token: Option<&str>) -> String {
    let mut seen = 0;
    script
        .split_inclusive('\n')
        .map(|line| {
            let Some(rest) = line.strip_prefix(":: VENV REMOVE") else {
                return line.to_string();
            };
            seen += 1;
            if seen - 1 != form as usize {
                return line.to_string();
            }
            match (token, rest.strip_prefix(" /ONCE ")) {
                (Some(token), Some(old)) => {
                    let ending = &old[old.trim_end().len()..];
                    format!("VENV REMOVE /ONCE {token}{ending}")
                }
                _ => format!("VENV REMOVE{rest}"),
            }
        })
        .collect()
}

/// Writes `script` as the app's deploy.cmd.
fn use_script(site: &Test, script: &str) {
    std::fs::write(site.app.join("deploy.cmd"), script).unwrap();
}

/// One deploy, and whether it kept the env the previous one left.
struct Round {
    deployed: Output,
    env_kept: bool,
}

/// Deploys and checks it succeeded; tells whether the env is the one the previous deploy
/// left (a file the test put in it is still there) and checks that the VENV ENSURE step
/// line says the same. Then leaves that file in the env for the next round.
fn deploy(site: &Test) -> Round {
    let left = site.site.join("env/left-by-the-test");
    let deployed = site.deploy(&[]);
    deployed.assert_success();
    let env_kept = left.exists();
    let reused = deployed.step("VENV ENSURE").contains(": reused (");
    assert_eq!(env_kept, reused, "{}", deployed.stderr);
    std::fs::write(&left, "").unwrap();
    Round { deployed, env_kept }
}

/// The two steps a removal concerns.
fn removal_steps(deployed: &Output) -> [String; 2] {
    [deployed.step("VENV REMOVE"), deployed.step("VENV ENSURE")]
}

fn reused(python: &str, installer: &str) -> String {
    format!("reused (Found compatible virtual environment (python {python}, {installer}))")
}

#[test]
fn pip_samples_get_the_same_three_lines_as_flask_app() {
    let flask = venv_remove_lines(&generated(&Test::sample("flask-app")));
    assert_eq!(
        flask,
        [
            (
                "::    Rebuild on every deploy (slow; while you chase a broken environment):",
                ":: VENV REMOVE"
            ),
            (
                "::    Rebuild once; write a new token here to rebuild once more:",
                // The token is the day the script was written.
                flask[1].1.as_str()
            ),
            (
                "::    Rebuild when this file changed, so that removed packages really go:",
                ":: VENV REMOVE /IFCHANGED requirements.txt"
            ),
        ]
        .map(|(comment, line)| (comment.to_string(), line.to_string()))
    );
    assert!(flask[1].1.starts_with(":: VENV REMOVE /ONCE 20"));
    for sample in ["django-app", "fastapi-app", "custom-script-app"] {
        let site = Test::sample(sample);
        std::fs::remove_file(site.app.join("deploy.cmd")).unwrap();
        assert_eq!(venv_remove_lines(&generated(&site)), flask, "{sample}");
    }
}

/// `:: VENV REMOVE` — "Rebuild on every deploy". The first deploy has no env to remove;
/// the next one, with nothing changed, builds a new env all the same.
#[test]
fn plain_venv_remove_rebuilds_on_every_deploy() {
    let site = Test::sample("flask-app");
    use_script(&site, &with_line(&generated(&site), Form::Always, None));
    let forced = "removal forced by VENV REMOVE (deploy.cmd:22)";
    let first = deploy(&site).deployed;
    assert_eq!(
        removal_steps(&first),
        [
            format!("[3/5] VENV REMOVE: done ({forced})"),
            "[4/5] VENV ENSURE: rebuilt (no `env` yet)".to_string(),
        ]
    );
    let round = deploy(&site);
    assert_eq!(
        removal_steps(&round.deployed),
        [
            format!("[3/5] VENV REMOVE: done ({forced})"),
            format!("[4/5] VENV ENSURE: rebuilt ({forced})"),
        ]
    );
    assert!(!round.env_kept);
    assert_eq!(
        round.deployed.step("VENV INSTALL"),
        "[5/5] VENV INSTALL -r requirements.txt: done (the env was built since the last install)"
    );
    assert_eq!(
        site.site_python("import flask, gunicorn; print(flask.VERSION)"),
        Ok(stand_ins::version_of("flask").to_string())
    );
}

/// `:: VENV REMOVE /ONCE <token>` — "Rebuild once; write a new token here to rebuild once
/// more". Uncommented as generated (the token is the day it was written), then with a new
/// token. (uv_app_lines_do_what_they_say_with_uv uncomments it over an existing env.)
#[test]
fn venv_remove_once_rebuilds_once_per_token() {
    let site = Test::sample("flask-app");
    let script = generated(&site);
    let token = venv_remove_lines(&script)[1]
        .1
        .trim_start_matches(":: VENV REMOVE /ONCE ")
        .to_string();
    use_script(&site, &with_line(&script, Form::Once, None));
    let first = deploy(&site).deployed;
    assert_eq!(
        removal_steps(&first),
        [
            format!("[3/5] VENV REMOVE /ONCE {token}: done (removal forced by VENV REMOVE /ONCE {token} (deploy.cmd:24))"),
            "[4/5] VENV ENSURE: rebuilt (no `env` yet)".to_string(),
        ]
    );
    let python = site.env_python_version();

    let round = deploy(&site);
    assert_eq!(
        removal_steps(&round.deployed),
        [
            format!("[3/5] VENV REMOVE /ONCE {token}: skipped (token {token} already used)"),
            format!("[4/5] VENV ENSURE: {}", reused(&python, "pip")),
        ]
    );
    assert!(round.env_kept);

    use_script(
        &site,
        &with_line(&script, Form::Once, Some("drop-old-pins")),
    );
    let forced = "removal forced by VENV REMOVE /ONCE drop-old-pins (deploy.cmd:24)";
    let round = deploy(&site);
    assert_eq!(
        removal_steps(&round.deployed),
        [
            format!("[3/5] VENV REMOVE /ONCE drop-old-pins: done ({forced})"),
            format!("[4/5] VENV ENSURE: rebuilt ({forced})"),
        ]
    );
    assert!(!round.env_kept);
    assert!(deploy(&site).env_kept);
}

/// `:: VENV REMOVE /IFCHANGED requirements.txt` — "Rebuild when this file changed, so that
/// removed packages really go": dropping gunicorn from requirements.txt removes it from
/// the env, which a plain `pip install -r` would not do.
#[test]
fn venv_remove_ifchanged_rebuilds_exactly_when_requirements_change() {
    let site = Test::sample("flask-app");
    use_script(&site, &with_line(&generated(&site), Form::IfChanged, None));
    let first = deploy(&site).deployed;
    assert_eq!(
        removal_steps(&first),
        [
            "[3/5] VENV REMOVE /IFCHANGED requirements.txt: skipped (no listed file changed)"
                .to_string(),
            "[4/5] VENV ENSURE: rebuilt (no `env` yet)".to_string(),
        ]
    );
    let python = site.env_python_version();
    assert_eq!(
        site.site_python("import gunicorn; print(gunicorn.VERSION)"),
        Ok(stand_ins::version_of("gunicorn").to_string())
    );

    let round = deploy(&site);
    assert_eq!(
        removal_steps(&round.deployed),
        [
            "[3/5] VENV REMOVE /IFCHANGED requirements.txt: skipped (no listed file changed)"
                .to_string(),
            format!("[4/5] VENV ENSURE: {}", reused(&python, "pip")),
        ]
    );
    assert!(round.env_kept);

    std::fs::write(site.app.join("requirements.txt"), "Flask>=3.0\n").unwrap();
    let forced = "removal forced by VENV REMOVE /IFCHANGED: requirements.txt changed since the last successful deploy (deploy.cmd:26)";
    let round = deploy(&site);
    assert_eq!(
        removal_steps(&round.deployed),
        [
            format!("[3/5] VENV REMOVE /IFCHANGED requirements.txt: done ({forced})"),
            format!("[4/5] VENV ENSURE: rebuilt ({forced})"),
        ]
    );
    assert!(!round.env_kept);
    assert!(site.site_python("import gunicorn").is_err());
    assert_eq!(
        site.site_python("import flask; print(flask.VERSION)"),
        Ok(stand_ins::version_of("flask").to_string())
    );

    assert!(deploy(&site).env_kept);
}

/// The app's file `rel`, with `line` added at its end.
fn append(app: &Path, rel: &str, line: &str) {
    let path = app.join(rel);
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(line);
    std::fs::write(path, text).unwrap();
}

/// uv-app's lines: the same three forms, with `/IFCHANGED` naming both files that decide
/// its packages; each form does what it says with an env built by uv.
#[test]
fn uv_app_lines_do_what_they_say_with_uv() {
    let site = Test::sample("uv-app");
    let script = generated(&site);
    let lines = venv_remove_lines(&script);
    assert_eq!(lines[0].1, ":: VENV REMOVE");
    assert_eq!(
        lines[2],
        (
            "::    Rebuild when one of these files changed, so that removed packages really go:"
                .to_string(),
            ":: VENV REMOVE /IFCHANGED pyproject.toml uv.lock".to_string()
        )
    );
    let app = site.app.clone();
    let location = "deploy.cmd";

    use_script(&site, &with_line(&script, Form::Always, None));
    deploy(&site);
    for _ in 0..2 {
        let round = deploy(&site);
        assert_eq!(
            round.deployed.step("VENV ENSURE"),
            format!("[4/5] VENV ENSURE /INSTALLER uv: rebuilt (removal forced by VENV REMOVE ({location}:22))")
        );
        assert!(!round.env_kept);
    }
    let python = site.env_python_version();

    use_script(&site, &with_line(&script, Form::Once, Some("t1")));
    let round = deploy(&site);
    assert_eq!(
        round.deployed.step("VENV ENSURE"),
        format!("[4/5] VENV ENSURE /INSTALLER uv: rebuilt (removal forced by VENV REMOVE /ONCE t1 ({location}:24))")
    );
    let round = deploy(&site);
    assert_eq!(
        round.deployed.step("VENV ENSURE"),
        format!("[4/5] VENV ENSURE /INSTALLER uv: {}", reused(&python, "uv"))
    );
    assert!(round.env_kept);
    use_script(&site, &with_line(&script, Form::Once, Some("t2")));
    assert!(!deploy(&site).env_kept);

    use_script(&site, &with_line(&script, Form::IfChanged, None));
    let round = deploy(&site);
    assert_eq!(
        removal_steps(&round.deployed),
        [
            "[3/5] VENV REMOVE /IFCHANGED pyproject.toml uv.lock: skipped (no listed file changed)"
                .to_string(),
            format!("[4/5] VENV ENSURE /INSTALLER uv: {}", reused(&python, "uv")),
        ]
    );
    assert!(round.env_kept);
    assert!(deploy(&site).env_kept);
    for file in ["uv.lock", "pyproject.toml"] {
        append(&app, file, "# touched by the test\n");
        let round = deploy(&site);
        assert_eq!(
            round.deployed.step("VENV ENSURE"),
            format!("[4/5] VENV ENSURE /INSTALLER uv: rebuilt (removal forced by VENV REMOVE /IFCHANGED: {file} changed since the last successful deploy ({location}:26))")
        );
        assert!(!round.env_kept);
        assert!(deploy(&site).env_kept);
    }
}

/// A deploy that fails after `VENV REMOVE /ONCE` rebuilt the env puts the old env back and
/// does not use the token up: the next deploy rebuilds for it.
#[test]
fn a_failed_deploy_keeps_the_old_env_and_the_once_token() {
    let site = Test::sample("uv-app");
    let script = generated(&site);
    use_script(&site, &script);
    deploy(&site);

    use_script(&site, &with_line(&script, Form::Once, Some("t1")));
    let pyproject = std::fs::read_to_string(site.app.join("pyproject.toml")).unwrap();
    let broken = pyproject.replace(
        "dependencies = [\"flask>=3.0\"]",
        "dependencies = [\"flask>=3.0\", \"not-in-the-wheel-house>=1\"]",
    );
    assert_ne!(broken, pyproject);
    std::fs::write(site.app.join("pyproject.toml"), &broken).unwrap();
    let failed = site.deploy(&[]);
    assert_eq!(failed.code, 1, "{}", failed.stderr);
    assert!(failed
        .stdout
        .ends_with("An error has occurred during web site deployment.\n"));
    assert_eq!(
        failed.step("VENV ENSURE"),
        "[4/5] VENV ENSURE /INSTALLER uv: rebuilt (removal forced by VENV REMOVE /ONCE t1 (deploy.cmd:24))"
    );
    assert!(
        site.site.join("env/left-by-the-test").exists(),
        "the old env was not put back:\n{}",
        failed.stderr
    );

    std::fs::write(site.app.join("pyproject.toml"), &pyproject).unwrap();
    let round = deploy(&site);
    assert_eq!(
        removal_steps(&round.deployed),
        [
            "[3/5] VENV REMOVE /ONCE t1: done (removal forced by VENV REMOVE /ONCE t1 (deploy.cmd:24))".to_string(),
            "[4/5] VENV ENSURE /INSTALLER uv: rebuilt (removal forced by VENV REMOVE /ONCE t1 (deploy.cmd:24))".to_string(),
        ]
    );
    assert!(!round.env_kept);
}
