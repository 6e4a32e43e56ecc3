//! The parser takes linear time, measured deterministically rather than by the clock:
//! pest counts the calls a parse makes and fails with "call limit reached" past a global
//! limit. Every input of length L must parse within `CALLS_PER_BYTE * L + BASE_CALLS`
//! calls, pathological ones included (thousands of nested `(`, long runs of `%`, `^`, `"`).
//!
//! The limit is process-wide, so this file holds one test. It runs on a thread with a
//! large stack: pest's own stack guard then never trips on deep nesting, and a parse that
//! reports "too deeply nested" can only have hit the call limit.

use deploy_script::source::Source;
use deploy_script::syntax::parser::parse;
use std::num::NonZeroUsize;
use std::path::Path;

/// Calls allowed per byte of input. The worst family below needs about 270.
const CALLS_PER_BYTE: usize = 400;
/// Calls allowed for any input, however short.
const BASE_CALLS: usize = 10_000;

/// How the parser says pest stopped: the call limit here, nesting depth elsewhere.
const LIMIT_MESSAGE: &str = "too deeply nested";

/// Whether parsing `text` within `limit` calls stops at the limit.
fn hits_limit(text: &str, limit: usize) -> bool {
    pest::set_call_limit(NonZeroUsize::new(limit));
    let parsed = parse(&Source::from_text("linear.cmd", text));
    pest::set_call_limit(None);
    parsed
        .diagnostics
        .iter()
        .any(|diagnostic| diagnostic.message.contains(LIMIT_MESSAGE))
}

/// Inputs that make a backtracking parser re-read text: deep nesting, unclosed blocks,
/// long runs of the characters that start alternatives.
fn pathological() -> Vec<(&'static str, String)> {
    let n = 5_000;
    vec![
        ("nested (", "(".repeat(n)),
        ("nested ( on lines", "(\n".repeat(n)),
        ("closed nesting", "(".repeat(n) + &")".repeat(n)),
        ("if a==b ( repeated", "if a==b (".repeat(n)),
        ("if a==b ( on lines", "if a==b (\n".repeat(n)),
        ("if nesting closed", "if a==b (".repeat(n) + &")".repeat(n)),
        ("ELSE nesting", "if a==b (x) else (".repeat(n)),
        ("ELSE chain", "if a==b (echo) else ".repeat(n) + "echo"),
        ("FOR nesting", "for %%i in (a) do (".repeat(n)),
        ("IF chain", "if a==b ".repeat(n) + "echo"),
        ("percents", "echo ".to_string() + &"%".repeat(n)),
        ("percent letters", "echo ".to_string() + &"%a".repeat(n)),
        ("carets", "echo ".to_string() + &"^".repeat(n)),
        ("quotes", "echo ".to_string() + &"\"".repeat(n)),
        ("tilde modifiers", "echo ".to_string() + &"%%~".repeat(n)),
        ("path search", "echo %~$".to_string() + &"a".repeat(n)),
        ("variable edit", "echo %A:".to_string() + &"=".repeat(n)),
        ("redirections", "echo ".to_string() + &"2>".repeat(n)),
        ("operators", "a".to_string() + &"||a".repeat(n)),
        ("blocks joined", "(echo a) & ".repeat(n)),
        ("close parens", ")".repeat(n)),
        ("colons", ":".repeat(n)),
        (
            "labels in a block",
            "(\n".to_string() + &"::x\n:y\n".repeat(n) + ")",
        ),
        ("bad lines", "echo >\n".repeat(n)),
        (
            "bad lines in a block",
            "(\n".to_string() + &"echo >\n".repeat(n) + ")",
        ),
        ("long line", "echo ".to_string() + &"word ".repeat(n)),
    ]
}

/// Strings of batch-significant characters from a fixed seed (no clock, no randomness
/// between runs), so the same inputs are measured every time.
fn seeded_strings() -> Vec<(&'static str, String)> {
    const ALPHABET: &[u8] = b"()\"^%!&|<>:@=~*$, \t\n\r12aifIF/\\.";
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..64)
        .map(|_| {
            let text = (0..2_000)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    ALPHABET[(state % ALPHABET.len() as u64) as usize] as char
                })
                .collect();
            ("seeded", text)
        })
        .collect()
}

fn corpus() -> Vec<(&'static str, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/parser");
    let mut scripts = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "cmd") {
            let text = std::fs::read_to_string(&path).unwrap();
            // Ten copies in a row: a longer input, same constructs.
            scripts.push(("corpus", text.repeat(10)));
        }
    }
    assert!(scripts.len() >= 60);
    scripts
}

fn check_linear_parsing() {
    // The measurement works: a tiny limit does stop a parse, and is reported.
    assert!(hits_limit("echo hi\n", 10));
    let mut over = Vec::new();
    for (name, text) in pathological()
        .into_iter()
        .chain(seeded_strings())
        .chain(corpus())
    {
        let limit = CALLS_PER_BYTE * text.len() + BASE_CALLS;
        if hits_limit(&text, limit) {
            over.push(format!("{name} ({} bytes)", text.len()));
        }
    }
    assert!(
        over.is_empty(),
        "more than {CALLS_PER_BYTE} pest calls per byte: {over:?}"
    );
}

#[test]
fn parsing_takes_a_number_of_calls_linear_in_the_input() {
    std::thread::Builder::new()
        .name("linear".into())
        .stack_size(1 << 30)
        .spawn(check_linear_parsing)
        .unwrap()
        .join()
        .unwrap();
}
