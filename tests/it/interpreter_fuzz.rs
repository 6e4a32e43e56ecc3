//! No panic on any input: arbitrary bytes, and random mutations of every conformance and
//! parser corpus script, are parsed and interpreted with a step limit inside a temporary
//! folder the run cannot leave (the sandbox refuses outside paths and programs). After
//! each run, the folder around the sandbox is exactly as it was.

use deploy_script::interpreter::{run_script, CapturedOutput, RunOptions};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Characters that matter to batch, so mutations reach interesting code.
const ALPHABET: &[u8] = b"%!^&|<>()\"'`=,; \t\r\n:~*?.\\/@0123456789abcdefzASDFGLRTXY";

fn seeds() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut seeds: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(&root)
        .into_iter()
        .flatten()
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "cmd"))
        .filter_map(|entry| {
            Some((
                entry.path().to_path_buf(),
                std::fs::read(entry.path()).ok()?,
            ))
        })
        .collect();
    seeds.sort();
    seeds.into_iter().map(|(_, bytes)| bytes).collect()
}

/// Runs `bytes` as a script in a sandbox and checks that nothing outside it changed.
fn interpret(bytes: &[u8]) {
    let outer = tempfile::tempdir().unwrap();
    let inside = outer.path().join("inside");
    std::fs::create_dir(&inside).unwrap();
    std::fs::write(outer.path().join("outside.txt"), "keep").unwrap();
    let script = inside.join("fuzz.cmd");
    std::fs::write(&script, bytes).unwrap();
    let env = BTreeMap::from([("PATH".to_string(), "/usr/bin:/bin".to_string())]);
    let options = RunOptions {
        cwd: Some(inside.clone()),
        env: Some(env),
        max_steps: Some(2_000),
        sandbox_root: Some(inside.clone()),
        ..RunOptions::default()
    };
    let mut output = CapturedOutput::default();
    // An Err is fine (a script that cannot be decoded); a panic is not.
    let _ = run_script(&script, &[], &options, &mut output);
    let mut around: Vec<String> = std::fs::read_dir(outer.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    around.sort();
    assert_eq!(around, ["inside", "outside.txt"]);
    assert_eq!(
        std::fs::read_to_string(outer.path().join("outside.txt")).unwrap(),
        "keep"
    );
}

/// 96 cases per property in CI; `FUZZ_CASES=N` runs more locally.
fn fuzz_cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(96)
}

fn mutate(seed: &[u8], edits: &[(usize, u8, usize)]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for (position, kind, pick) in edits {
        let at = if bytes.is_empty() {
            0
        } else {
            position % (bytes.len() + 1)
        };
        let byte = ALPHABET[pick % ALPHABET.len()];
        match kind % 4 {
            0 => bytes.insert(at, byte),
            1 if at < bytes.len() => {
                bytes.remove(at);
            }
            2 if at < bytes.len() => bytes[at] = byte,
            _ => {
                // Repeat a slice: duplicated lines, nested blocks, long words.
                let end = (at + pick % 40).min(bytes.len());
                let slice = bytes[at..end].to_vec();
                bytes.splice(at..at, slice);
            }
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: fuzz_cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        interpret(&bytes);
    }

    #[test]
    fn batch_like_text_never_panics(bytes in proptest::collection::vec(proptest::sample::select(ALPHABET.to_vec()), 0..300)) {
        interpret(&bytes);
    }

    #[test]
    fn mutated_scripts_never_panic(
        seed in any::<proptest::sample::Index>(),
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<usize>()), 1..12),
    ) {
        let seeds = seeds();
        let seed = &seeds[seed.index(seeds.len())];
        interpret(&mutate(seed, &edits));
    }
}

#[test]
fn every_seed_runs_in_the_sandbox_without_panicking() {
    for seed in seeds() {
        interpret(&seed);
    }
}

#[test]
fn the_sandbox_refuses_paths_outside_and_programs() {
    let outer = tempfile::tempdir().unwrap();
    let inside = outer.path().join("inside");
    std::fs::create_dir(&inside).unwrap();
    let script = inside.join("escape.cmd");
    std::fs::write(
        &script,
        "@echo off\r\necho x> ..\\escaped.txt\r\necho after\r\n",
    )
    .unwrap();
    let options = RunOptions {
        cwd: Some(inside.clone()),
        env: Some(BTreeMap::from([("PATH".into(), "/usr/bin:/bin".into())])),
        sandbox_root: Some(inside.clone()),
        ..RunOptions::default()
    };
    let mut output = CapturedOutput::default();
    let code = run_script(&script, &[], &options, &mut output).unwrap();
    assert_eq!(code, 1);
    assert_eq!(output.stdout(), "");
    assert!(!outer.path().join("escaped.txt").exists());
    let stderr = output.stderr();
    assert!(stderr.starts_with("run-deploy: error: "), "{stderr}");
    assert!(
        stderr.contains("escaped.txt` is outside the folder this run may touch"),
        "{stderr}"
    );

    std::fs::write(&script, "@echo off\r\nls\r\n").unwrap();
    let mut output = CapturedOutput::default();
    assert_eq!(run_script(&script, &[], &options, &mut output).unwrap(), 1);
    assert!(output
        .stderr()
        .contains("programs cannot run in the sandbox"));
}
