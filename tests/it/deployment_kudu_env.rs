//! The variables Kudu sets, computed for a real deploy (with a real git checkout), and the
//! post-deployment actions folder.

use deploy_script::report::mask::Masker;
use deploy_script::state::{Deployment, KuduEnv, KuduEnvInputs, PostDeployKind, StateDir, Status};
use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;
use tempfile::TempDir;

use crate::common::deployment_site;

use deployment_site::try_begin;

fn git(folder: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(folder)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "git {args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

fn begin(state: &StateDir, source: &Path) -> Deployment {
    try_begin(state, source, 20, Masker::default(), false).unwrap()
}

#[test]
fn kudu_variables_for_a_git_checkout_beside_the_target() {
    let dir = TempDir::new().unwrap();
    let (source, target) = (dir.path().join("repo"), dir.path().join("wwwroot"));
    std::fs::create_dir_all(&source).unwrap();
    std::fs::create_dir_all(&target).unwrap();
    git(&source, &["init", "-q"]);
    std::fs::write(source.join("app.py"), "print('hi')\n").unwrap();
    git(&source, &["add", "app.py"]);
    git(&source, &["commit", "-q", "-m", "first"]);
    let head = git(&source, &["rev-parse", "HEAD"]);

    let state = StateDir::new(&target, None).unwrap();
    let first = begin(&state, &source);
    std::fs::write(first.next_manifest_path(), "app.py\n").unwrap();
    let first_id = first.id().clone();
    first.finish(Status::Succeeded, 0).unwrap();

    let deployment = begin(&state, &source);
    let caller = BTreeMap::from([("PATH".to_owned(), "/usr/bin".to_owned())]);
    let env = KuduEnv::prepare(KuduEnvInputs {
        caller: &caller,
        source: &source,
        state: &state,
        next_manifest: &deployment.next_manifest_path(),
        kudu_sync_cmd: Some("/opt/run-deploy sync".to_owned()),
        select_python_cmd: None,
    })
    .unwrap();
    let temp = env.temp_dir().unwrap().to_owned();
    assert!(temp.is_dir());
    assert_eq!(std::fs::read_dir(&temp).unwrap().count(), 0);
    let text = |path: &Path| path.display().to_string();
    let expected = BTreeMap::from([
        ("DEPLOYMENT_SOURCE", text(&source)),
        ("DEPLOYMENT_TARGET", text(&target)),
        ("DEPLOYMENT_TEMP", text(&temp)),
        ("IN_PLACE_DEPLOYMENT", "0".to_owned()),
        ("KUDU_SYNC_CMD", "/opt/run-deploy sync".to_owned()),
        ("NEXT_MANIFEST_PATH", text(&deployment.next_manifest_path())),
        (
            "PREVIOUS_MANIFEST_PATH",
            text(&state.manifest_path(&first_id)),
        ),
        ("SCM_COMMIT_ID", head),
    ]);
    let got: BTreeMap<&str, String> = env
        .vars()
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    assert_eq!(got, expected);
    assert!(env.notes().is_empty());

    let mut applied = caller.clone();
    env.apply(&mut applied);
    assert_eq!(applied.len(), 9);
    assert_eq!(temp, state.temp_dir());
    std::fs::create_dir_all(temp.join("sub/deeper")).unwrap();
    std::fs::write(temp.join("sub/deeper/file.txt"), "x").unwrap();
    std::os::unix::fs::symlink(&source, temp.join("link-to-source")).unwrap();
    env.remove_temp().unwrap();
    assert!(temp.is_dir(), "the folder stays for the next deploy");
    assert_eq!(std::fs::read_dir(&temp).unwrap().count(), 0, "emptied");
    assert!(
        source.join("app.py").is_file(),
        "a link is removed, not followed"
    );
    deployment.finish(Status::Succeeded, 0).unwrap();
}

#[test]
fn deployment_temp_left_full_by_a_killed_deploy_is_empty_for_the_next() {
    let dir = TempDir::new().unwrap();
    let (source, target) = (dir.path().join("repo"), dir.path().join("wwwroot"));
    std::fs::create_dir_all(&source).unwrap();
    let state = StateDir::new(&target, None).unwrap();
    state.create().unwrap();
    // What a deploy killed before the end leaves: files and folders in DEPLOYMENT_TEMP.
    std::fs::create_dir_all(state.temp_dir().join("wheels")).unwrap();
    std::fs::write(state.temp_dir().join("__PYTHON_EXE.tmp"), "/old/python").unwrap();
    std::fs::write(state.temp_dir().join("wheels/a.whl"), "x").unwrap();
    let deployment = begin(&state, &source);
    let env = KuduEnv::prepare(KuduEnvInputs {
        caller: &BTreeMap::new(),
        source: &source,
        state: &state,
        next_manifest: &deployment.next_manifest_path(),
        kudu_sync_cmd: None,
        select_python_cmd: None,
    })
    .unwrap();
    let temp = env.temp_dir().unwrap();
    assert_eq!(env.vars()["DEPLOYMENT_TEMP"], temp.display().to_string());
    assert_eq!(std::fs::read_dir(temp).unwrap().count(), 0);
    env.remove_temp().unwrap();
    deployment.finish(Status::Succeeded, 0).unwrap();
}

#[test]
fn caller_values_win_and_an_in_place_deploy_says_so() {
    let dir = TempDir::new().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    let state = StateDir::new(&site, None).unwrap();
    let deployment = begin(&state, &site);
    let caller = BTreeMap::from([
        ("deployment_temp".to_owned(), "/my/temp".to_owned()),
        ("SCM_COMMIT_ID".to_owned(), "given".to_owned()),
        ("KUDU_SYNC_CMD".to_owned(), "kudusync".to_owned()),
    ]);
    let env = KuduEnv::prepare(KuduEnvInputs {
        caller: &caller,
        source: &site,
        state: &state,
        next_manifest: &deployment.next_manifest_path(),
        kudu_sync_cmd: Some("/opt/run-deploy sync".to_owned()),
        select_python_cmd: Some("/opt/run-deploy select-python".to_owned()),
    })
    .unwrap();
    assert_eq!(env.temp_dir(), None);
    let names: Vec<&str> = env.vars().keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "DEPLOYMENT_SOURCE",
            "DEPLOYMENT_TARGET",
            "IN_PLACE_DEPLOYMENT",
            "KUDU_SELECT_PYTHON_VERSION_CMD",
            "NEXT_MANIFEST_PATH",
            "PREVIOUS_MANIFEST_PATH"
        ]
    );
    assert_eq!(env.vars()["IN_PLACE_DEPLOYMENT"], "1");
    assert!(!Path::new(&env.vars()["PREVIOUS_MANIFEST_PATH"]).exists());
    deployment.finish(Status::Succeeded, 0).unwrap();
}

#[test]
fn post_deploy_actions_run_in_name_order_and_unexecutable_shell_files_are_named() {
    let dir = TempDir::new().unwrap();
    let state = StateDir::new(&dir.path().join("wwwroot"), None).unwrap();
    state.create().unwrap();
    let folder = state.post_deploy_dir();
    for (name, mode) in [
        ("20-warm.sh", 0o755),
        ("10-notify.CMD", 0o644),
        ("15-clean.bat", 0o644),
        ("30-draft.sh", 0o644),
        ("README.txt", 0o644),
    ] {
        let path = folder.join(name);
        std::fs::write(&path, "x").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    let (actions, skipped) = state.post_deploy_actions().unwrap();
    let actions: Vec<(String, PostDeployKind)> = actions
        .into_iter()
        .map(|a| {
            (
                a.path.file_name().unwrap().to_string_lossy().into_owned(),
                a.kind,
            )
        })
        .collect();
    assert_eq!(
        actions,
        [
            ("10-notify.CMD".to_owned(), PostDeployKind::Script),
            ("15-clean.bat".to_owned(), PostDeployKind::Script),
            ("20-warm.sh".to_owned(), PostDeployKind::Executable),
        ]
    );
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0].path, folder.join("30-draft.sh"));
}
