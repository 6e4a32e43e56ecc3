//! Property tests: the parser never panics, whatever the bytes, and every diagnostic it
//! gives points inside the script and renders. 256 cases per property run in CI;
//! `FUZZ_CASES=N` runs N (the long run, README's "The long fuzz run").

use deploy_script::source::Source;
use deploy_script::syntax::parser::parse;
use proptest::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

/// Decodes and parses `bytes`, then checks what the result must satisfy for any input.
fn parse_and_check(bytes: &[u8]) {
    let Ok(source) = Source::decode("fuzz.cmd", bytes) else {
        return;
    };
    let parsed = parse(&source);
    let len = source.text().len();
    for diagnostic in &parsed.diagnostics {
        // Every span slices the text (a panic here is a span outside it or inside a character).
        let _ = &source.text()[diagnostic.span.range()];
        assert!(
            diagnostic.span.offset + diagnostic.span.len <= len,
            "{diagnostic:?} is outside a text of {len} bytes"
        );
        assert!(!diagnostic.message.is_empty());
        let rendered = diagnostic.render(&source);
        assert!(rendered.starts_with("error: "), "{rendered}");
    }
    for statement in &parsed.script.statements {
        let _ = &source.text()[statement.span.range()];
    }
}

/// The corpus scripts, as text, read once.
fn corpus() -> &'static [String] {
    static CORPUS: OnceLock<Vec<String>> = OnceLock::new();
    CORPUS.get_or_init(read_corpus)
}

fn read_corpus() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/parser");
    let mut scripts: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "cmd"))
        .map(|path| std::fs::read_to_string(path).unwrap())
        .collect();
    scripts.sort();
    assert!(scripts.len() >= 60, "the corpus is under tests/parser/");
    scripts
}

/// The characters that matter to the grammar, and a few that do not.
const INTERESTING: &[char] = &[
    '(', ')', '"', '^', '%', '!', '&', '|', '<', '>', ':', '@', '=', '~', '*', '$', ',', ' ', '\t',
    '\n', '\r', '1', '2', 'a', 'i', 'f', 'I', 'F', '/', '\\', '.', '\u{e9}',
];

/// One edit of a script's text.
#[derive(Clone, Debug)]
enum Mutation {
    DeleteChar(usize),
    InsertChar(usize, char),
    DuplicateChar(usize),
    SwapChars(usize, usize),
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let position = any::<usize>();
    let interesting = proptest::sample::select(INTERESTING);
    prop_oneof![
        position.prop_map(Mutation::DeleteChar),
        (position, interesting).prop_map(|(at, c)| Mutation::InsertChar(at, c)),
        position.prop_map(Mutation::DuplicateChar),
        (position, position).prop_map(|(a, b)| Mutation::SwapChars(a, b)),
        position.prop_map(Mutation::DeleteLine),
        position.prop_map(Mutation::DuplicateLine),
        (position, position).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
    ]
}

/// Applies `mutation` to `text`; positions wrap around the text's characters or lines.
fn apply(text: &str, mutation: &Mutation) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    let n = chars.len().max(1);
    let m = lines.len().max(1);
    match *mutation {
        Mutation::DeleteChar(at) if !chars.is_empty() => {
            chars.remove(at % n);
        }
        Mutation::InsertChar(at, c) => chars.insert(at % (chars.len() + 1), c),
        Mutation::DuplicateChar(at) if !chars.is_empty() => {
            let c = chars[at % n];
            chars.insert(at % n, c);
        }
        Mutation::SwapChars(a, b) if !chars.is_empty() => chars.swap(a % n, b % n),
        Mutation::DeleteLine(at) if !lines.is_empty() => {
            lines.remove(at % m);
            return lines.concat();
        }
        Mutation::DuplicateLine(at) if !lines.is_empty() => {
            let line = lines[at % m];
            lines.insert(at % m, line);
            return lines.concat();
        }
        Mutation::SwapLines(a, b) if !lines.is_empty() => {
            lines.swap(a % m, b % m);
            return lines.concat();
        }
        _ => {}
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: crate::interpreter_fuzz::fuzz_cases(256), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        parse_and_check(&bytes);
    }

    #[test]
    fn arbitrary_bytes_after_a_byte_order_mark_never_panic(
        utf16 in any::<bool>(),
        bytes in proptest::collection::vec(any::<u8>(), 0..512),
    ) {
        let mut input = if utf16 { vec![0xFF, 0xFE] } else { vec![0xEF, 0xBB, 0xBF] };
        input.extend(bytes);
        parse_and_check(&input);
    }

    #[test]
    fn strings_of_batch_characters_never_panic(
        text in proptest::collection::vec(proptest::sample::select(INTERESTING), 0..400),
    ) {
        parse_and_check(text.into_iter().collect::<String>().as_bytes());
    }

    #[test]
    fn mutated_corpus_scripts_never_panic(
        index in any::<usize>(),
        mutations in proptest::collection::vec(mutation(), 1..8),
    ) {
        let scripts = corpus();
        let mut text = scripts[index % scripts.len()].clone();
        for mutation in &mutations {
            text = apply(&text, mutation);
        }
        parse_and_check(text.as_bytes());
    }
}

/// Deep nesting on a test thread's ordinary stack: pest's stack guard stops the parse
/// with a diagnostic, or the parse succeeds; either way nothing overflows or panics.
#[test]
fn deep_nesting_never_overflows_the_stack() {
    for depth in [100, 1_000, 5_000, 50_000] {
        for text in [
            "(".repeat(depth),
            "(".repeat(depth) + &")".repeat(depth),
            "if a==b (".repeat(depth),
            "for %%i in (a) do (".repeat(depth),
            "if a==b (x) else (".repeat(depth),
        ] {
            parse_and_check(text.as_bytes());
        }
    }
}

/// Long single-line chains (operators, IF after IF) stop at the nesting limit with a
/// diagnostic instead of recursing without bound.
#[test]
fn long_chains_on_one_line_never_overflow_the_stack() {
    for text in [
        "echo a & ".repeat(50_000),
        "if 1==1 ".repeat(50_000) + "echo deep",
        "for %%i in (a) do ".repeat(50_000) + "echo deep",
        "a | ".repeat(50_000) + "b",
    ] {
        parse_and_check(text.as_bytes());
    }
}
