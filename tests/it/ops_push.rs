//! Push-to-deploy end to end with real git: `run-deploy install-hook` on a bare
//! repository, then `git push` deploys the pushed commit and the pusher sees the step
//! lines as `remote:` lines; a commit whose deploy fails leaves the site serving the
//! previous version's files and env, and the pusher is told.

use crate::common::test::{run_deploy_exe, write, Test};
use std::path::Path;
use std::process::{Command, Output};

const SCRIPT: &str = "\
@echo off
setlocal enabledelayedexpansion
SYNC /IGNORE \".git;deploy.cmd\"
IF !ERRORLEVEL! NEQ 0 exit /b 1
VENV ENSURE
IF !ERRORLEVEL! NEQ 0 exit /b 1
VENV INSTALL -r requirements.txt
IF !ERRORLEVEL! NEQ 0 exit /b 1
";

fn git(dir: &Path, args: &[&str]) -> Output {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Pusher")
        .env("GIT_AUTHOR_EMAIL", "pusher@example.invalid")
        .env("GIT_COMMITTER_NAME", "Pusher")
        .env("GIT_COMMITTER_EMAIL", "pusher@example.invalid")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_TERMINAL_PROMPT", "0")
        // The hook inherits this for a local push: pip never looks at an index.
        .env("PIP_NO_INDEX", "1")
        .env_remove("PIP_FIND_LINKS")
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn commit_and_push(work: &Path, message: &str) -> String {
    git(work, &["add", "-A"]);
    git(work, &["commit", "-q", "-m", message]);
    let pushed = git(work, &["push", "-q", "origin", "main"]);
    String::from_utf8_lossy(&pushed.stderr).into_owned()
}

#[test]
fn a_push_deploys_and_a_failing_push_leaves_the_site_as_it_was() {
    let test = Test::new();
    let (bare, work, site) = (
        test.root().join("app.git"),
        test.root().join("work"),
        &test.site,
    );
    git(
        test.root(),
        &["init", "-q", "--bare", "-b", "main", "app.git"],
    );
    let installed = test.subcommand("install-hook", &[bare.to_str().unwrap()]);
    assert_eq!(installed.code, 0, "{installed:?}");
    assert!(installed.stderr.contains("post-receive"), "{installed:?}");
    let hook = std::fs::read_to_string(bare.join("hooks/post-receive")).unwrap();
    assert!(hook.contains(run_deploy_exe().to_str().unwrap()), "{hook}");

    git(test.root(), &["init", "-q", "-b", "main", "work"]);
    git(&work, &["remote", "add", "origin", bare.to_str().unwrap()]);
    write(&work, "deploy.cmd", SCRIPT);
    write(&work, "app.py", "VERSION = 1\n");
    write(&work, "requirements.txt", "");
    let pushed = commit_and_push(&work, "v1");
    for expected in [
        "remote: deploy: deploying ",
        "remote: [1/3] SYNC /IGNORE .git;deploy.cmd: done (2 copied, 0 deleted)",
        "remote: [2/3] VENV ENSURE: rebuilt (",
        "remote: [3/3] VENV INSTALL -r requirements.txt: done (",
        "remote: run-deploy: succeeded in ",
        "remote: deploy: done",
    ] {
        assert!(pushed.contains(expected), "no `{expected}` in:\n{pushed}");
    }
    assert_eq!(
        std::fs::read_to_string(site.join("app.py")).unwrap(),
        "VERSION = 1\n"
    );
    let env_config = std::fs::read(site.join("env/pyvenv.cfg")).unwrap();

    // A broken requirement: pip fails, the deploy fails and is rolled back.
    write(&work, "app.py", "VERSION = 2\n");
    write(&work, "requirements.txt", "this is not a requirement ((\n");
    let pushed = commit_and_push(&work, "v2 with a broken requirement");
    for expected in [
        "remote: [1/3] SYNC /IGNORE .git;deploy.cmd: done (2 copied, 0 deleted)",
        "remote: [2/3] VENV ENSURE: reused (",
        "remote: [3/3] VENV INSTALL -r requirements.txt: FAILED (",
        "remote: run-deploy: the deploy failed, so the site was put back as it was: 2 file(s) restored",
        "remote: run-deploy: FAILED (exit 1)",
        "remote: deploy: FAILED (exit 1); the site still serves the previous deployment",
    ] {
        assert!(pushed.contains(expected), "no `{expected}` in:\n{pushed}");
    }
    assert_eq!(
        std::fs::read_to_string(site.join("app.py")).unwrap(),
        "VERSION = 1\n"
    );
    assert_eq!(
        std::fs::read_to_string(site.join("requirements.txt")).unwrap(),
        ""
    );
    assert_eq!(
        std::fs::read(site.join("env/pyvenv.cfg")).unwrap(),
        env_config
    );
    let python = Command::new(site.join("env/bin/python"))
        .args(["-c", "print('env ok')"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&python.stdout), "env ok\n");

    let listed = test.subcommand("list", &[]);
    assert_eq!(listed.stdout.matches("succeeded").count(), 1, "{listed:?}");
    assert_eq!(listed.stdout.matches("failed").count(), 1, "{listed:?}");
}
