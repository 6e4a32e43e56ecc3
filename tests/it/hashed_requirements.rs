//! A requirements.txt with `--hash=sha256:...` lines installs in pip's hash-checking mode:
//! `VENV INSTALL -r requirements.txt` hands pip the file as it is, so pip checks every
//! wheel against its hash. Real pip installs stand-in wheels whose hashes the test
//! computes; a wrong hash fails the step with pip's words, and the env of the last
//! successful deploy keeps working.

use crate::common::stand_ins::version_of;
use crate::common::test::Test;
use crate::common::wheels::file_sha256;

const SCRIPT: &str =
    "@echo off\nSYNC\nPYTHON SELECT\nVENV ENSURE\nVENV INSTALL -r requirements.txt\n";

/// An app whose requirements.txt pins flask with the hash of the stand-in wheel.
fn hashed_app() -> Test {
    let test = Test::new()
        .wheels(&["flask", "gunicorn"])
        .app_file("runtime.txt", "python-3.11\n")
        .script("deploy.cmd", SCRIPT);
    test.write("requirements.txt", &pinned(&test, &[("flask", None)]));
    test
}

/// `name==version \ --hash=sha256:...` lines, each with the stand-in wheel's hash or the
/// hash given.
fn pinned(test: &Test, packages: &[(&str, Option<&str>)]) -> String {
    let mut text = String::from("# uv pip compile --generate-hashes\n");
    for (name, hash) in packages {
        let version = version_of(name);
        let wheel = test
            .wheels
            .as_ref()
            .unwrap()
            .path()
            .join(format!("{}-{version}-py3-none-any.whl", wheel_dist(name)));
        let hash = hash.map_or_else(|| file_sha256(&wheel), str::to_string);
        text += &format!("{name}=={version} \\\n    --hash=sha256:{hash}\n");
    }
    text
}

/// The wheel file's distribution name, as the stand-in builder spells it (`Flask`).
fn wheel_dist(name: &str) -> &str {
    match name {
        "flask" => "Flask",
        other => other,
    }
}

#[test]
fn hashed_requirements_install_when_the_hashes_match() {
    let test = hashed_app();
    let deployed = test.run();
    deployed.expect(0);
    assert_eq!(
        deployed.outcome("VENV INSTALL"),
        "VENV INSTALL -r requirements.txt: done (no record of a successful install into this env)"
    );
    assert_eq!(test.import_version("flask").as_deref(), Some("3.0.3"));
}

#[test]
fn a_requirement_without_a_hash_beside_hashed_ones_is_refused_so_checking_is_on() {
    let test = hashed_app();
    let mut text = pinned(&test, &[("flask", None)]);
    text += "gunicorn==21.2.0\n";
    test.write("requirements.txt", &text);
    let refused = test.run();
    refused.expect(1);
    let line = refused.outcome("VENV INSTALL");
    assert!(
        line.starts_with("VENV INSTALL -r requirements.txt: FAILED ("),
        "{line}"
    );
    assert!(
        refused.to_string().contains(
            "Hashes are required in --require-hashes mode, but they are missing from some requirements"
        ),
        "{refused}"
    );
    assert!(
        !test.env_dir().exists(),
        "the failed first deploy leaves no env behind"
    );
}

#[test]
fn a_wrong_hash_fails_the_step_and_the_previous_env_keeps_working() {
    let test = hashed_app();
    test.run().expect(0);
    let build = test.build_id();
    let success = test.last_success();

    let wrong = "0".repeat(64);
    test.write(
        "requirements.txt",
        &pinned(&test, &[("flask", None), ("gunicorn", Some(&wrong))]),
    );
    let failed = test.run();
    failed.expect(1);
    let line = failed.outcome("VENV INSTALL");
    assert!(
        line.starts_with("VENV INSTALL -r requirements.txt: FAILED ("),
        "{line}"
    );
    let gunicorn_hash = file_sha256(
        &test
            .wheels
            .as_ref()
            .unwrap()
            .path()
            .join("gunicorn-21.2.0-py3-none-any.whl"),
    );
    for said in [
        "THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE",
        &format!("Expected sha256 {wrong}"),
        &format!("Got        {gunicorn_hash}"),
    ] {
        assert!(
            failed.to_string().contains(said),
            "no `{said}` in:\n{failed}"
        );
    }
    assert_eq!(test.import_version("flask").as_deref(), Some("3.0.3"));
    assert_eq!(
        test.import_version("gunicorn"),
        None,
        "nothing was installed"
    );
    assert_eq!(
        test.build_id(),
        build,
        "the env is the one of the last success"
    );
    assert_eq!(test.last_success(), success);

    // With the right hash the next deploy installs it.
    test.write(
        "requirements.txt",
        &pinned(&test, &[("flask", None), ("gunicorn", None)]),
    );
    test.run().expect(0);
    assert_eq!(test.import_version("gunicorn").as_deref(), Some("21.2.0"));
}
