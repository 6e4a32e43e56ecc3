//! The command line's own help: shell completions and the man page print on stdout and
//! know the flags, and every subcommand's `--help` shows examples.

use crate::common::test::Test;

#[test]
fn completions_for_each_shell_know_the_flags_and_subcommands() {
    let test = Test::new();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let printed = test.run_deploy(&["completions", shell]);
        assert_eq!(printed.code, 0, "{shell}: {printed:?}");
        assert_eq!(printed.stderr, "", "{shell}");
        for word in [
            "dry-run",
            "trace",
            "json",
            "mask",
            "install-hook",
            "completions",
        ] {
            assert!(
                printed.stdout.contains(word),
                "{shell} completions lack `{word}`"
            );
        }
    }
    let unknown = test.run_deploy(&["completions", "tcsh"]);
    assert_eq!(unknown.code, 2, "{unknown:?}");
}

#[test]
fn the_man_page_is_roff_and_names_every_flag() {
    let page = Test::new().run_deploy(&["man"]);
    assert_eq!(page.code, 0, "{page:?}");
    assert!(
        page.stdout.starts_with(".ie"),
        "{}",
        &page.stdout[..80.min(page.stdout.len())]
    );
    assert!(page.stdout.contains(".TH run-deploy 1"), "{}", page.stdout);
    for flag in [
        "dry\\-run",
        "trace",
        "json",
        "quiet",
        "verbose",
        "mask",
        "state\\-dir",
        "Exit codes",
    ] {
        assert!(page.stdout.contains(flag), "the man page lacks `{flag}`");
    }
}

#[test]
fn every_subcommand_help_has_examples() {
    let test = Test::new();
    for command in [
        vec!["--help"],
        vec!["list", "--help"],
        vec!["log", "--help"],
        vec!["install-hook", "--help"],
        vec!["completions", "--help"],
        vec!["man", "--help"],
    ] {
        let help = test.run_deploy(&command);
        assert_eq!(help.code, 0, "{command:?}: {help:?}");
        assert!(
            help.stdout.contains("Example"),
            "{command:?} has no examples:\n{}",
            help.stdout
        );
        assert!(help.stdout.contains("run-deploy "), "{command:?}");
    }
}

#[test]
fn gen_deploy_prints_completions_and_a_man_page_too() {
    let gen_deploy = env!("CARGO_BIN_EXE_gen-deploy");
    let completions = std::process::Command::new(gen_deploy)
        .args(["--completions", "bash"])
        .output()
        .unwrap();
    assert!(completions.status.success());
    let text = String::from_utf8(completions.stdout).unwrap();
    assert!(
        text.contains("--installer") && text.contains("--kudu"),
        "{text}"
    );
    let man = std::process::Command::new(gen_deploy)
        .arg("--man")
        .output()
        .unwrap();
    assert!(man.status.success());
    let text = String::from_utf8(man.stdout).unwrap();
    assert!(
        text.contains(".TH gen-deploy 1") && text.contains("installer"),
        "{text}"
    );
}
