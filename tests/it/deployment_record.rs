//! The deployment record on real files: records and the last-success pointer, pruning,
//! `run-deploy list`/`log`, atomic writes.

use deploy_script::report::mask::Masker;
use deploy_script::state::{
    render_list, render_log, write_atomic, ListingError, StateDir, Status, TEMP_PREFIX,
};

use crate::common::deployment_site;

use crate::common::test::files_under;
use deployment_site::site;

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

    let temps: Vec<String> = files_under(site.state.root())
        .into_iter()
        .filter(|path| path.contains(TEMP_PREFIX))
        .collect();
    assert_eq!(temps, [format!("journal/{TEMP_PREFIX}sync-owned")]);
}
