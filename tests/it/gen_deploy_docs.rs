//! `gen-deploy --help` and docs/gen-deploy.md explain every flag with an example. The flags
//! are read from the Options section of `--help` itself, so a flag added to the binary
//! without an example, or without a row in the docs, fails here.

use std::process::Command;

fn help() -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_gen-deploy"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

/// A flag as `--help` lists it: its long name and its short one, if any.
#[derive(Debug)]
struct Flag {
    long: String,
    short: Option<String>,
}

/// The flags of the Options section: lines like `  -o, --output <FILE>  Where ...` and
/// `      --stdout  Print ...`.
fn flags(help: &str) -> Vec<Flag> {
    let options = help.split_once("Options:\n").expect("an Options section").1;
    options
        .lines()
        .take_while(|line| !line.is_empty())
        .filter_map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                [short, long, ..] if short.ends_with(',') && long.starts_with("--") => Some(Flag {
                    long: long.to_string(),
                    short: Some(short.trim_end_matches(',').to_string()),
                }),
                [long, ..] if long.starts_with("--") => Some(Flag {
                    long: long.to_string(),
                    short: None,
                }),
                _ => None,
            }
        })
        .collect()
}

#[test]
fn help_lists_the_flags_this_test_reads() {
    let names: Vec<String> = flags(&help()).into_iter().map(|flag| flag.long).collect();
    assert_eq!(
        names,
        [
            "--python",
            "--installer",
            "--framework",
            "--output",
            "--force",
            "--stdout",
            "--kudu",
            "--explain",
            "--json",
            "--completions",
            "--man",
            "--help",
            "--version"
        ]
    );
}

#[test]
fn help_has_an_example_for_every_flag() {
    let help = help();
    let examples = help.split_once("Examples:\n").expect("examples").1;
    for flag in flags(&help) {
        if flag.long == "--help" || flag.long == "--version" {
            continue;
        }
        assert!(
            examples.lines().any(|line| line
                .trim_start()
                .starts_with(&format!("gen-deploy {}", flag.long))
                && line.contains(" # ")),
            "no commented example for {} in:\n{examples}",
            flag.long
        );
    }
    assert!(examples.contains("\n  gen-deploy samples/flask-app "));
}

#[test]
fn docs_have_a_row_with_an_example_for_every_flag() {
    let docs = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/gen-deploy.md"),
    )
    .unwrap();
    let usage = docs
        .split_once("## Usage\n")
        .and_then(|(_, rest)| rest.split_once("\n```\n\n"))
        .expect("a Usage block")
        .0;
    let rows: Vec<Vec<&str>> = docs
        .lines()
        .filter(|line| line.starts_with("| `"))
        .map(|line| line.split(" | ").collect())
        .collect();
    for flag in flags(&help()) {
        assert!(
            usage.contains(&flag.long),
            "{} not in the usage block",
            flag.long
        );
        let row = rows
            .iter()
            .find(|cells| {
                cells[0].split(", ").any(|name| {
                    name.trim_start_matches("| ")
                        .starts_with(&format!("`{}", flag.long))
                })
            })
            .unwrap_or_else(|| panic!("no row for {} in docs/gen-deploy.md", flag.long));
        if let Some(short) = &flag.short {
            assert!(
                row[0].contains(&format!("`{short}`")),
                "the row of {} does not name {short}",
                flag.long
            );
        }
        let (what, example) = (row[1], row[2]);
        assert!(what.len() > 10, "the row of {} explains nothing", flag.long);
        assert!(
            example.starts_with(&format!("`gen-deploy {}", flag.long)),
            "the row of {} has no example: {example}",
            flag.long
        );
    }
    let app_dir = rows
        .iter()
        .find(|cells| cells[0] == "| `APP_DIR`")
        .expect("a row for APP_DIR");
    assert!(app_dir[2].starts_with("`gen-deploy samples/"));
}
