//! `VENV REMOVE /ONCE` tokens and `/IFCHANGED` inputs: committed to the state folder only
//! by a successful deploy, so a failed deploy neither uses a token up nor hides a change.

use deploy_script::report::mask::Masker;
use deploy_script::state::{ChangeStatus, Deployment, Status};

use crate::common::deployment_site;

use deployment_site::site;

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
