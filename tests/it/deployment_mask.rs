//! Secrets never reach the stored log: the deployment log masks what is written to it,
//! line by line, including the output of a real program.

use deploy_script::report::mask::Masker;
use deploy_script::state::{render_log, Status};
use std::io::Write;

use crate::common::deployment_site;

use deployment_site::site;

#[test]
fn the_log_is_masked_and_shown_by_log() {
    let site = site();
    let masker = Masker::from_env(
        [("DB_PASSWORD", "pa55-w0rd"), ("HOME", "/root")],
        &["SITE_NAME".to_owned()],
    );
    let mut deployment = site.begin_with(&site.source, 20, masker);
    {
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
fn a_programs_output_is_masked_even_when_a_secret_spans_two_reads() {
    let site = site();
    let secret = "s3cr3t-token-value";
    let env = [("GITHUB_TOKEN", secret), ("USE_KEY_VAULT", "true")];
    let deployment = site.begin_with(&site.source, 20, Masker::from_env(env, &[]));
    // The program prints the secret in two halves, and it is read 8 bytes at a time, so
    // no write to the log holds the whole secret.
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg(r#"printf 'token: %s' "${GITHUB_TOKEN%%-*}"; printf -- '-%s\nvault: %s\n' "${GITHUB_TOKEN#*-}" "$USE_KEY_VAULT"; printf 'multi\nline %s end\n' "$GITHUB_TOKEN""#)
        .envs(env)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut log = deployment.log_writer();
    let mut buffer = [0u8; 8];
    loop {
        let read = std::io::Read::read(&mut stdout, &mut buffer).unwrap();
        if read == 0 {
            break;
        }
        log.write_all(&buffer[..read]).unwrap();
    }
    log.flush().unwrap();
    assert!(child.wait().unwrap().success());
    let id = deployment.id().clone();
    deployment.finish(Status::Succeeded, 0).unwrap();

    let stored = std::fs::read_to_string(site.state.log_path(&id)).unwrap();
    assert_eq!(stored, "token: ***\nvault: true\nmulti\nline *** end\n");
}
