//! No panic on any input: arbitrary bytes, and random mutations of every script under
//! tests/ (conformance, parser corpus, real-world scripts), go through parse, `--check`
//! (every diagnostic rendered) and a run with a step limit inside a temporary folder the
//! run cannot leave (the sandbox refuses outside paths and programs, so nothing reaches
//! the network). After each run, the folder around the sandbox is exactly as it was.
//!
//! CI runs 96 cases per property. The long run (README, "The long fuzz run") sets
//! `FUZZ_CASES`: each of the three properties below runs that many inputs, so
//! `FUZZ_CASES=340000` sends 1,020,000 generated inputs through parse, check and run
//! (with `TMPDIR=/dev/shm`, so that the sandbox's file operations stay in memory).

use deploy_script::check::check_source;
use deploy_script::interpreter::{run_script, CapturedOutput, RunOptions};
use deploy_script::source::Source;
use proptest::prelude::*;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Characters that matter to batch, so mutations reach interesting code.
const ALPHABET: &[u8] = b"%!^&|<>()\"'`=,; \t\r\n:~*?.\\/@0123456789abcdefzASDFGLRTXY";

/// Every `.cmd` under tests/, read once, in path order: the seeds the mutations start from.
fn seeds() -> &'static [Vec<u8>] {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS.get_or_init(read_seeds)
}

fn read_seeds() -> Vec<Vec<u8>> {
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

/// Parses and checks `bytes` as `--check` does: every diagnostic points inside the text
/// and renders with the `error:`/`warning:`/`note:` header of its kind.
fn check(bytes: &[u8]) {
    let Ok(source) = Source::decode("fuzz.cmd", bytes) else {
        return;
    };
    let report = check_source(&source);
    let len = source.text().len();
    for diagnostic in &report.diagnostics {
        assert!(
            diagnostic.span.offset + diagnostic.span.len <= len,
            "{diagnostic:?} is outside a text of {len} bytes"
        );
        let _ = &source.text()[diagnostic.span.range()];
        assert!(!diagnostic.message.is_empty(), "{diagnostic:?}");
        let rendered = diagnostic.render(&source);
        assert!(
            ["error: ", "warning: ", "note: "]
                .iter()
                .any(|kind| rendered.starts_with(kind)),
            "{rendered}"
        );
    }
}

/// One fuzz input: parse and check it, then run it in a sandbox.
fn fuzz(bytes: &[u8]) {
    check(bytes);
    interpret(bytes);
}

/// A temporary folder holding the sandbox `inside/` and a file `outside.txt` beside it,
/// made once per test thread and emptied between inputs (making and removing folders costs
/// more than the run itself).
struct Sandbox {
    outer: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        let outer = tempfile::tempdir().unwrap();
        std::fs::create_dir(outer.path().join("inside")).unwrap();
        std::fs::write(outer.path().join("outside.txt"), "keep").unwrap();
        Sandbox { outer }
    }

    fn inside(&self) -> PathBuf {
        self.outer.path().join("inside")
    }

    /// Removes whatever the last input left inside the sandbox; false when something
    /// could not be removed (then a fresh sandbox is made).
    fn empty(&self) -> bool {
        std::fs::read_dir(self.inside()).unwrap().all(|entry| {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                std::fs::remove_dir_all(entry.path()).is_ok()
            } else {
                std::fs::remove_file(entry.path()).is_ok()
            }
        })
    }

    /// Asserts that the folder around the sandbox is as it was made.
    fn assert_outside_unchanged(&self) {
        let mut around: Vec<String> = std::fs::read_dir(self.outer.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        around.sort();
        assert_eq!(around, ["inside", "outside.txt"]);
        assert_eq!(
            std::fs::read_to_string(self.outer.path().join("outside.txt")).unwrap(),
            "keep"
        );
    }
}

thread_local! {
    static SANDBOX: RefCell<Sandbox> = RefCell::new(Sandbox::new());
}

/// Runs `bytes` as a script in a sandbox and checks that nothing outside it changed.
fn interpret(bytes: &[u8]) {
    SANDBOX.with(|cell| {
        if !cell.borrow().empty() {
            *cell.borrow_mut() = Sandbox::new();
        }
        let sandbox = cell.borrow();
        let inside = sandbox.inside();
        let script = inside.join("fuzz.cmd");
        std::fs::write(&script, bytes).unwrap();
        let env = BTreeMap::from([("PATH".to_string(), "/usr/bin:/bin".to_string())]);
        let options = RunOptions {
            cwd: Some(inside.clone()),
            env: Some(env),
            max_steps: Some(2_000),
            sandbox_root: Some(inside),
            ..RunOptions::default()
        };
        let mut output = CapturedOutput::default();
        // An Err is fine (a script that cannot be decoded); a panic is not.
        let _ = run_script(&script, &[], &options, &mut output);
        sandbox.assert_outside_unchanged();
    });
}

/// `ci_default` cases per property in CI; `FUZZ_CASES=N` runs N (the long run).
pub(crate) fn fuzz_cases(ci_default: u32) -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(ci_default)
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
    #![proptest_config(ProptestConfig { cases: fuzz_cases(96), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        fuzz(&bytes);
    }

    #[test]
    fn batch_like_text_never_panics(bytes in proptest::collection::vec(proptest::sample::select(ALPHABET.to_vec()), 0..300)) {
        fuzz(&bytes);
    }

    #[test]
    fn mutated_scripts_never_panic(
        seed in any::<proptest::sample::Index>(),
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<usize>()), 1..12),
    ) {
        let seeds = seeds();
        let seed = &seeds[seed.index(seeds.len())];
        fuzz(&mutate(seed, &edits));
    }
}

/// Inputs the long run found: a switch test sliced a word at byte 2, inside a character of
/// several bytes (an invalid byte decodes as U+FFFD, three bytes).
#[test]
fn inputs_the_long_run_found_no_longer_panic() {
    for bytes in [
        &b"cd[\x80"[..],
        "cd \u{e9}x".as_bytes(),
        "cd /\u{e9}".as_bytes(),
        "set \u{e9}=1".as_bytes(),
        "set /\u{e9}=1".as_bytes(),
    ] {
        fuzz(bytes);
    }
}

#[test]
fn every_seed_runs_in_the_sandbox_without_panicking() {
    for seed in seeds() {
        fuzz(seed);
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
