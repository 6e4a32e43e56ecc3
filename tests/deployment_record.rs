//! The deployment record on real files: records and the last-success pointer, pruning,
//! `/ONCE` tokens and `/IFCHANGED` inputs committed only on success, the masked log,
//! `run-deploy list`/`log`, atomic writes.

use deploy_script::deployment::{
    render_list, render_log, write_atomic, BeginOptions, ChangeStatus, DeployLock, Deployment,
    DeploymentId, ListingError, LockHolder, StateDir, Status, TEMP_PREFIX,
};
use deploy_script::report::mask::Masker;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// A source folder and a target folder side by side, with the default state folder.
struct Site {
    dir: TempDir,
    source: PathBuf,
    state: StateDir,
}

fn site() -> Site {
    let dir = TempDir::new().unwrap();
    let source = dir.path().join("repo");
    let target = dir.path().join("wwwroot");
    std::fs::create_dir_all(&source).unwrap();
    std::fs::create_dir_all(&target).unwrap();
    let state = StateDir::new(&target, None).unwrap();
    Site { dir, source, state }
}

impl Site {
    fn begin_with(&self, source: &Path, keep: usize, masker: Masker) -> Deployment {
        let id = self.state.new_deployment_id().unwrap();
        let lock = DeployLock::acquire(&self.state, LockHolder::this_process(&id), false).unwrap();
        let options = BeginOptions {
            source: source.to_owned(),
            script: Some(source.join("deploy.cmd")),
            keep,
            masker,
        };
        Deployment::begin(&self.state, lock, options).unwrap()
    }

    fn begin(&self) -> Deployment {
        self.begin_with(&self.source, 20, Masker::default())
    }

    /// Runs one deployment that ends with `status`, after `work` staged what it likes.
    fn deploy(&self, status: Status, work: impl FnOnce(&mut Deployment)) -> DeploymentId {
        let mut deployment = self.begin();
        work(&mut deployment);
        let code = if status == Status::Succeeded { 0 } else { 1 };
        deployment.finish(status, code).unwrap().record.id
    }
}

fn all_files(root: &Path) -> Vec<String> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            entry
                .path()
                .strip_prefix(root)
                .unwrap()
                .display()
                .to_string()
        })
        .collect()
}

#[test]
fn the_state_folder_sits_beside_the_target_and_never_inside_it() {
    let site = site();
    assert_eq!(
        site.state.root(),
        site.dir.path().join(".deploy-state").join("wwwroot")
    );
    assert!(site.state.same_filesystem_as_target().unwrap());
    let inside = site.state.target().join("state");
    let err = StateDir::new(site.state.target(), Some(&inside)).unwrap_err();
    assert!(err.to_string().contains("is inside the target"), "{err}");
    let moved = StateDir::new(
        site.state.target(),
        Some(&site.dir.path().join("elsewhere")),
    )
    .unwrap();
    assert_eq!(moved.root(), site.dir.path().join("elsewhere"));
}

#[test]
fn the_pointer_moves_only_on_success_and_records_say_how_each_ended() {
    let site = site();
    let first = site.deploy(Status::Succeeded, |d| {
        d.set_fingerprint("script", "xxh3:0011").unwrap();
        d.set_fingerprint("commit", "abc123").unwrap();
    });
    assert_eq!(site.state.last_success().unwrap(), Some(first.clone()));
    let failed = site.deploy(Status::Failed, |_| {});
    let interrupted = site.deploy(Status::Interrupted, |_| {});
    assert_eq!(site.state.last_success().unwrap(), Some(first.clone()));

    let records = site.state.deployments().unwrap();
    let summary: Vec<_> = records
        .iter()
        .map(|r| (r.id.clone(), r.status, r.exit_code))
        .collect();
    assert_eq!(
        summary,
        [
            (interrupted, Status::Interrupted, Some(1)),
            (failed, Status::Failed, Some(1)),
            (first.clone(), Status::Succeeded, Some(0)),
        ]
    );
    let oldest = &records[2];
    assert_eq!(oldest.fingerprints["commit"], "abc123");
    assert_eq!(oldest.source, site.source);
    assert_eq!(
        oldest.script.as_deref(),
        Some(site.source.join("deploy.cmd").as_path())
    );
    assert!(oldest.finished_at.unwrap() >= oldest.started_at);
    assert_eq!(
        site.state
            .last_success_fingerprint("script")
            .unwrap()
            .as_deref(),
        Some("xxh3:0011")
    );

    let mut listing = Vec::new();
    render_list(&site.state, &mut listing).unwrap();
    let listing = String::from_utf8(listing).unwrap();
    let lines: Vec<&str> = listing.lines().collect();
    assert_eq!(lines.len(), 5, "{listing}");
    assert!(lines[0].starts_with("  ID "), "{listing}");
    assert!(
        lines[1].contains(" interrupted ") && lines[1].ends_with(" 1"),
        "{listing}"
    );
    assert!(lines[2].contains(" failed "), "{listing}");
    assert!(
        lines[3].starts_with(&format!("* {first}  succeeded ")),
        "{listing}"
    );
    assert!(lines[3].ends_with(" 0"), "{listing}");
    assert_eq!(lines[4], "* last successful deployment");
}

#[test]
fn a_deployment_dropped_without_finishing_reads_as_interrupted() {
    let site = site();
    let deployment = site.begin();
    let id = deployment.id().clone();
    assert_eq!(
        site.state.deployment(&id).unwrap().unwrap().status,
        Status::Running
    );
    drop(deployment);
    let record = site.state.deployment(&id).unwrap().unwrap();
    assert_eq!(record.status, Status::Interrupted);
    assert_eq!(record.exit_code, None);
    let mut log = Vec::new();
    render_log(&site.state, None, &mut log).unwrap();
    let log = String::from_utf8(log).unwrap();
    assert!(
        log.starts_with(&format!("deployment {id}\nstatus:   interrupted\n")),
        "{log}"
    );
    assert!(
        log.contains("note:     its process died before it finished"),
        "{log}"
    );
}

#[test]
fn pruning_keeps_the_newest_the_last_success_and_its_manifest() {
    let site = site();
    let success = site.deploy(Status::Succeeded, |d| {
        write_atomic(&d.next_manifest_path(), b"app.py\n").unwrap();
    });
    let mut failures = Vec::new();
    for _ in 0..4 {
        let mut deployment = site.begin_with(&site.source, 2, Masker::default());
        write_atomic(&deployment.next_manifest_path(), b"app.py\nnew.py\n").unwrap();
        deployment.set_fingerprint("n", "x").unwrap();
        failures.push(deployment.finish(Status::Failed, 1).unwrap());
    }
    // With keep = 2 each finish prunes down to the two newest plus the last success.
    assert_eq!(failures[2].pruned, [failures[0].record.id.clone()]);
    let kept = site.state.deployment_ids().unwrap();
    assert_eq!(
        kept,
        [
            success.clone(),
            failures[2].record.id.clone(),
            failures[3].record.id.clone()
        ]
    );
    let manifests = std::fs::read_dir(site.state.manifests_dir())
        .unwrap()
        .count();
    assert_eq!(manifests, 3);
    assert_eq!(
        std::fs::read_to_string(site.state.previous_manifest_path().unwrap()).unwrap(),
        "app.py\n"
    );
}

#[test]
fn a_successful_deploy_without_sync_carries_the_manifest_forward() {
    let site = site();
    site.deploy(Status::Succeeded, |d| {
        write_atomic(&d.next_manifest_path(), b"app.py\n").unwrap();
    });
    let second = site.deploy(Status::Succeeded, |_| {});
    let previous = site.state.previous_manifest_path().unwrap();
    assert_eq!(previous, site.state.manifest_path(&second));
    assert_eq!(std::fs::read_to_string(previous).unwrap(), "app.py\n");
}

#[test]
fn once_tokens_are_used_up_only_by_a_successful_deploy() {
    let site = site();
    let env = site.state.target().join("env");
    assert!(!site.state.once_token_used(&env, "2026-11-24").unwrap());
    site.deploy(Status::Failed, |d| {
        d.use_once_token(&env, "2026-11-24").unwrap()
    });
    assert!(!site.state.once_token_used(&env, "2026-11-24").unwrap());
    site.deploy(Status::Succeeded, |d| {
        d.use_once_token(&env, "2026-11-24").unwrap()
    });
    assert!(site.state.once_token_used(&env, "2026-11-24").unwrap());
    assert!(!site.state.once_token_used(&env, "2026-12-01").unwrap());
    let other_env = site.state.target().join("venv");
    assert!(!site
        .state
        .once_token_used(&other_env, "2026-11-24")
        .unwrap());
    site.deploy(Status::Succeeded, |d| {
        d.use_once_token(&env, "2026-12-01").unwrap()
    });
    assert!(site.state.once_token_used(&env, "2026-11-24").unwrap());
    assert!(site.state.once_token_used(&env, "2026-12-01").unwrap());
}

#[test]
fn ifchanged_inputs_compare_with_the_last_successful_deploy() {
    let site = site();
    let requirements = site.source.join("requirements.txt");
    std::fs::write(&requirements, "flask==3.0\n").unwrap();
    let check = |d: &mut Deployment| d.file_changed_since_last_success(&requirements).unwrap();

    let mut seen = Vec::new();
    site.deploy(Status::Failed, |d| seen.push(check(d)));
    site.deploy(Status::Succeeded, |d| seen.push(check(d)));
    site.deploy(Status::Succeeded, |d| seen.push(check(d)));
    assert!(
        matches!(seen[0], ChangeStatus::FirstSeen { .. }),
        "{seen:?}"
    );
    assert!(
        matches!(seen[1], ChangeStatus::FirstSeen { .. }),
        "{seen:?}"
    );
    assert!(
        matches!(seen[2], ChangeStatus::Unchanged { .. }),
        "{seen:?}"
    );
    let flask_hash = seen[2].current_hash().to_owned();

    std::fs::write(&requirements, "flask==3.1\n").unwrap();
    let changed = site
        .state
        .file_changed_since_last_success(&requirements, &site.source)
        .unwrap();
    let ChangeStatus::Changed { old, new } = &changed else {
        panic!("expected a change, got {changed:?}");
    };
    assert_eq!(old, &flask_hash);
    assert_ne!(new, &flask_hash);
    // A failed deploy that saw the change does not make it look unchanged.
    site.deploy(Status::Failed, |d| assert_eq!(check(d), changed));
    site.deploy(Status::Succeeded, |d| assert_eq!(check(d), changed));
    site.deploy(Status::Succeeded, |d| {
        assert!(matches!(check(d), ChangeStatus::Unchanged { .. }))
    });

    // A fresh checkout folder with the same content is the same input; deleting it is a change.
    let checkout = site.dir.path().join("checkout-2");
    std::fs::create_dir_all(&checkout).unwrap();
    std::fs::copy(&requirements, checkout.join("requirements.txt")).unwrap();
    let mut fresh = site.begin_with(&checkout, 20, Masker::default());
    let status = fresh
        .file_changed_since_last_success(&checkout.join("requirements.txt"))
        .unwrap();
    assert!(
        matches!(status, ChangeStatus::Unchanged { .. }),
        "{status:?}"
    );
    std::fs::remove_file(checkout.join("requirements.txt")).unwrap();
    let status = fresh
        .file_changed_since_last_success(&checkout.join("requirements.txt"))
        .unwrap();
    assert!(
        matches!(&status, ChangeStatus::Changed { new, .. } if new == "missing"),
        "{status:?}"
    );
    fresh.finish(Status::Failed, 1).unwrap();
}

#[test]
fn the_log_is_masked_and_shown_by_log() {
    let site = site();
    let masker = Masker::from_env(
        [("DB_PASSWORD", "pa55-w0rd"), ("HOME", "/root")],
        &["SITE_NAME".to_owned()],
    );
    let mut deployment = site.begin_with(&site.source, 20, masker);
    {
        use std::io::Write;
        let mut stdout_log = deployment.log_writer();
        stdout_log
            .write_all(b"[1/2] SYNC: 3 files copied\nconnecting with pa5")
            .unwrap();
        stdout_log
            .write_all(b"5-w0rd to db\n+ echo pa55-w0rd\npa55-w0rd\n")
            .unwrap();
    }
    deployment.set_fingerprint("script", "xxh3:00ff").unwrap();
    let id = deployment.finish(Status::Failed, 3).unwrap().record.id;

    let stored = std::fs::read_to_string(site.state.log_path(&id)).unwrap();
    assert_eq!(
        stored,
        "[1/2] SYNC: 3 files copied\nconnecting with *** to db\n+ echo ***\n***\n"
    );

    let mut shown = Vec::new();
    render_log(&site.state, Some(&id.as_str()[..18]), &mut shown).unwrap();
    let shown = String::from_utf8(shown).unwrap();
    let header_end = shown.find("\n\n").unwrap();
    let header: Vec<&str> = shown[..header_end].lines().collect();
    assert_eq!(header[0], format!("deployment {id}"));
    assert_eq!(header[1], "status:   failed");
    assert!(header.contains(&"exit:     3"), "{shown}");
    assert!(header.contains(&"input:    script xxh3:00ff"), "{shown}");
    assert_eq!(&shown[header_end + 2..], stored);
}

#[test]
fn log_names_an_unknown_or_ambiguous_id() {
    let site = site();
    let mut out = Vec::new();
    let err = render_log(&site.state, None, &mut out).unwrap_err();
    assert!(matches!(err, ListingError::NoDeployments { .. }), "{err}");
    site.deploy(Status::Succeeded, |_| {});
    site.deploy(Status::Succeeded, |_| {});
    let err = render_log(&site.state, Some("19990101T000000Z-0000"), &mut out).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "no deployment `19990101T000000Z-0000` in `{}`; run `run-deploy list` to see the ids",
            site.state.root().display()
        )
    );
    let err = render_log(&site.state, Some("2"), &mut out).unwrap_err();
    assert!(
        matches!(&err, ListingError::AmbiguousDeployment { matches, .. } if matches.len() == 2),
        "{err}"
    );
}

#[test]
fn atomic_writes_leave_no_temporary_files() {
    let site = site();
    site.state.create().unwrap();
    let stale = site
        .state
        .tokens_dir()
        .join(format!("{TEMP_PREFIX}killed-writer"));
    std::fs::write(&stale, "half").unwrap();
    let journal_file = site
        .state
        .journal_dir()
        .join(format!("{TEMP_PREFIX}sync-owned"));
    std::fs::write(&journal_file, "the sync engine's").unwrap();

    let env = site.state.target().join("env");
    for status in [Status::Succeeded, Status::Failed, Status::Succeeded] {
        site.deploy(status, |d| {
            d.use_once_token(&env, "t").unwrap();
            d.set_fingerprint("script", "x").unwrap();
            write_atomic(&d.next_manifest_path(), b"a\n").unwrap();
        });
    }
    let file = site.state.root().join("note");
    write_atomic(&file, b"old").unwrap();
    write_atomic(&file, b"new").unwrap();
    assert_eq!(std::fs::read(&file).unwrap(), b"new");
    let missing_folder = site.state.root().join("no-such-folder").join("x");
    assert!(write_atomic(&missing_folder, b"x").is_err());

    let temps: Vec<String> = all_files(site.state.root())
        .into_iter()
        .filter(|path| path.contains(TEMP_PREFIX))
        .collect();
    assert_eq!(temps, [format!("journal/{TEMP_PREFIX}sync-owned")]);
}
