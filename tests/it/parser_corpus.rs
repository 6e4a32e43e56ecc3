//! The parser corpus: every script under tests/parser/ parses with no diagnostics and its
//! AST is pinned; every script under tests/parser/errors/ has its diagnostics pinned
//! (line:column, message, the line and the caret). Input encodings are built as bytes here.

use crate::common::parser_print;

use deploy_script::source::Source;
use deploy_script::syntax::parser::parse;
use parser_print::print_parsed;

/// Decodes and parses bytes; the snapshot text of the result.
fn parse_bytes(name: &str, bytes: &[u8]) -> (String, usize) {
    let source = Source::decode(name, bytes).expect("the corpus decodes");
    let parsed = parse(&source);
    (print_parsed(&parsed, &source), parsed.diagnostics.len())
}

#[test]
fn corpus_scripts_parse_cleanly() {
    insta::glob!("..", "parser/*.cmd", |path| {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(path).unwrap();
        let (printed, diagnostics) = parse_bytes(&name, &bytes);
        assert_eq!(diagnostics, 0, "{name} has diagnostics:\n{printed}");
        insta::assert_snapshot!(printed);
    });
}

#[test]
fn error_scripts_have_pinned_diagnostics() {
    insta::glob!("..", "parser/errors/*.cmd", |path| {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(path).unwrap();
        let (printed, diagnostics) = parse_bytes(&name, &bytes);
        assert!(
            diagnostics > 0,
            "{name} parses without diagnostics:\n{printed}"
        );
        insta::assert_snapshot!(printed);
    });
}

/// A script exercising line ends: a label, a block over lines, ELSE, a continuation.
const LINE_END_SCRIPT: &str = "@echo off\n:start here\nif exist a (\n  echo one ^\n  two\n) else (\n  echo \"%~dp0\"\n)\nset X=1\n";

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    bytes
}

#[test]
fn utf8_with_bom_parses_like_plain_utf8() {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend(LINE_END_SCRIPT.as_bytes());
    let (printed, diagnostics) = parse_bytes("bom.cmd", &bytes);
    assert_eq!(diagnostics, 0, "{printed}");
    assert_eq!(
        printed,
        parse_bytes("plain.cmd", LINE_END_SCRIPT.as_bytes()).0
    );
    insta::assert_snapshot!("utf8_bom", printed);
}

#[test]
fn utf16le_with_bom_and_crlf_parses() {
    let crlf = LINE_END_SCRIPT.replace('\n', "\r\n") + "echo caf\u{e9}\r\n";
    let (printed, diagnostics) = parse_bytes("utf16.cmd", &utf16le_with_bom(&crlf));
    assert_eq!(diagnostics, 0, "{printed}");
    insta::assert_snapshot!("utf16le_bom_crlf", printed);
}

#[test]
fn crlf_line_ends_give_the_same_tree_as_lf() {
    let crlf = LINE_END_SCRIPT.replace('\n', "\r\n");
    let (printed, diagnostics) = parse_bytes("crlf.cmd", crlf.as_bytes());
    assert_eq!(diagnostics, 0, "{printed}");
    // Columns count characters on a line, so LF and CRLF print alike.
    assert_eq!(printed, parse_bytes("lf.cmd", LINE_END_SCRIPT.as_bytes()).0);
    insta::assert_snapshot!("crlf", printed);
}

#[test]
fn a_last_line_without_a_line_end_parses() {
    for (name, text) in [
        ("command", "echo a\r\necho last"),
        ("label", "echo a\n:last"),
        ("comment", "echo a\nrem last"),
        ("block", "if 1==1 (\n  echo a\n)"),
        ("continuation", "echo a ^"),
        ("redirect", "echo a >nul 2>&1"),
    ] {
        let (printed, diagnostics) = parse_bytes(name, text.as_bytes());
        assert_eq!(diagnostics, 0, "{name}: {printed}");
        insta::assert_snapshot!(format!("no_final_newline_{name}"), printed);
    }
}

#[test]
fn mixed_line_ends_and_empty_input_parse() {
    let (printed, diagnostics) = parse_bytes("mixed.cmd", b"echo a\r\necho b\necho c\r\n");
    assert_eq!(diagnostics, 0, "{printed}");
    insta::assert_snapshot!("mixed_line_ends", printed);
    for empty in [&b""[..], b"\xEF\xBB\xBF", b"\xFF\xFE", b"\n\r\n\n"] {
        let (printed, diagnostics) = parse_bytes("empty.cmd", empty);
        assert_eq!((printed.as_str(), diagnostics), ("", 0));
    }
}
