//! Kudu's eight batch scripts, generated at test time by the `kuduscript` npm package,
//! parse with no diagnostics, every IF, FOR and label in them is understood, and the
//! statements that matter to a deployment parse to the expected shape.

use crate::common;
use crate::common::parser_print;

use common::kuduscript::{generate, KINDS};
use deploy_script::source::Source;
use deploy_script::syntax::ast::*;
use deploy_script::syntax::parser::{parse, Parsed};
use parser_print::{print_command, print_script, text};

/// Generates and parses the script of one project kind.
fn parse_kind(flags: &[&str]) -> (Source, Parsed) {
    let dir = tempfile::tempdir().unwrap();
    let script = generate(dir.path(), flags);
    let source = Source::read(&script).unwrap();
    let parsed = parse(&source);
    (source, parsed)
}

/// Every command of the script, blocks and branches included, depth first.
fn all_commands(script: &Script) -> Vec<&Command> {
    fn walk<'a>(command: &'a Command, out: &mut Vec<&'a Command>) {
        out.push(command);
        match &command.kind {
            CommandKind::If(if_command) => {
                walk(&if_command.then, out);
                if let Some(otherwise) = &if_command.otherwise {
                    walk(otherwise, out);
                }
            }
            CommandKind::For(for_command) => walk(&for_command.body, out),
            CommandKind::Block(block) => block.body.iter().for_each(|inner| walk(inner, out)),
            CommandKind::Binary(binary) => {
                walk(&binary.left, out);
                walk(&binary.right, out);
            }
            CommandKind::Simple(_) | CommandKind::Comment(_) | CommandKind::EmptyBlock => {}
        }
    }
    let mut out = Vec::new();
    for statement in &script.statements {
        if let StatementKind::Command(command) = &statement.kind {
            walk(command, &mut out);
        }
    }
    out
}

fn printed(command: &Command) -> String {
    let mut out = String::new();
    print_command(&mut out, 0, command);
    out
}

#[test]
fn every_kuduscript_batch_script_parses_without_diagnostics() {
    for (kind, flags) in KINDS {
        let (source, parsed) = parse_kind(flags);
        let rendered: Vec<String> = parsed
            .diagnostics
            .iter()
            .map(|diagnostic| diagnostic.render(&source))
            .collect();
        assert!(rendered.is_empty(), "{kind}:\n{}", rendered.join("\n"));

        // Every `:label` line is a label, every IF and FOR is structured (a malformed one
        // would be a simple command named `if` or `for`).
        let label_lines = source
            .text()
            .lines()
            .filter(|line| line.starts_with(':') && !line.starts_with("::"))
            .count();
        let labels = parsed
            .script
            .statements
            .iter()
            .filter(|statement| matches!(statement.kind, StatementKind::Label(_)))
            .count();
        assert_eq!(labels, label_lines, "{kind}: labels");
        assert!(label_lines >= 5, "{kind}: Kudu's scripts have subroutines");
        let commands = all_commands(&parsed.script);
        for command in &commands {
            if let CommandKind::Simple(simple) = &command.kind {
                let name = simple.name.literal().unwrap_or_default().to_lowercase();
                assert!(
                    name != "if" && name != "for",
                    "{kind}: {}",
                    printed(command)
                );
            }
        }
        let if_lines = source
            .text()
            .lines()
            .filter(|line| {
                let line = line.trim_start().trim_start_matches('@').to_lowercase();
                line.starts_with("if ")
            })
            .count();
        let ifs = commands
            .iter()
            .filter(|command| matches!(command.kind, CommandKind::If(_)))
            .count();
        assert_eq!(
            ifs,
            if_lines,
            "{kind}: IF commands\n{}",
            print_script(&parsed.script)
        );
    }
}

#[test]
fn the_python_script_parses_to_the_expected_shape() {
    let (_source, parsed) = parse_kind(&["--python"]);
    let statements = &parsed.script.statements;
    let commands = all_commands(&parsed.script);

    // Line 1: `@if "%SCM_TRACE_LEVEL%" NEQ "4" @echo off`, both commands quiet.
    let StatementKind::Command(first) = &statements[0].kind else {
        panic!("the script starts with a command")
    };
    assert_eq!(
        printed(first),
        "@if compare «\"{var SCM_TRACE_LEVEL}\"» NEQ «\"4\"» @1:1\n  then\n    @simple echo [Echo] args=«off» @1:33\n"
    );

    // The `:ExecuteCmd` subroutine: setlocal, `set _CMD_=%*`, `call %_CMD_%`, an IF that
    // reports failure, `exit /b %ERRORLEVEL%`.
    let at = statements
        .iter()
        .position(|s| matches!(&s.kind, StatementKind::Label(l) if l.name == "ExecuteCmd"))
        .expect("an :ExecuteCmd label");
    let body: Vec<&Command> = statements[at + 1..at + 6]
        .iter()
        .map(|statement| match &statement.kind {
            StatementKind::Command(command) => command,
            other => panic!("expected a command after :ExecuteCmd, found {other:?}"),
        })
        .collect();
    let simple = |command: &Command| match &command.kind {
        CommandKind::Simple(simple) => (simple.builtin, text(&simple.args)),
        other => panic!("expected a simple command, found {other:?}"),
    };
    assert_eq!(simple(body[0]), (Some(Builtin::Setlocal), "«»".into()));
    assert_eq!(
        simple(body[1]),
        (Some(Builtin::Set), "«_CMD_={param *}»".into())
    );
    assert_eq!(
        simple(body[2]),
        (Some(Builtin::Call), "«{var _CMD_}»".into())
    );
    let CommandKind::If(report) = &body[3].kind else {
        panic!("expected the IF that reports a failure")
    };
    assert!(matches!(
        report.condition,
        Condition::Compare {
            op: CompareOp::Neq,
            ..
        }
    ));
    assert_eq!(
        simple(body[4]),
        (Some(Builtin::Exit), "«/b {var ERRORLEVEL}»".into())
    );

    // `IF /I "%IN_PLACE_DEPLOYMENT%" NEQ "1" (` opens a block that calls :ExecuteCmd.
    let sync = commands
        .iter()
        .find_map(|command| match &command.kind {
            CommandKind::If(if_command) if if_command.case_insensitive => Some(if_command),
            _ => None,
        })
        .expect("an IF /I");
    let Condition::Compare { left, op, right } = &sync.condition else {
        panic!("IF /I compares")
    };
    assert_eq!(
        (text(left), *op, text(right)),
        (
            "«\"{var IN_PLACE_DEPLOYMENT}\"»".to_string(),
            CompareOp::Neq,
            "«\"1\"»".to_string()
        )
    );
    assert!(!sync.negated && sync.otherwise.is_none());
    let CommandKind::Block(block) = &sync.then.kind else {
        panic!("IF /I ... ( opens a block")
    };
    let CommandKind::Simple(call) = &block.body[0].kind else {
        panic!("the block starts with a CALL")
    };
    assert_eq!(call.builtin, Some(Builtin::Call));
    assert!(text(&call.args).starts_with("«:ExecuteCmd \"{var KUDU_SYNC_CMD}\""));

    // `SET /P PYTHON_RUNTIME=<"%DEPLOYMENT_TEMP%\__PYTHON_RUNTIME.tmp"`: stdin from a file.
    let set_p = commands
        .iter()
        .find_map(|command| match &command.kind {
            CommandKind::Simple(simple)
                if text(&simple.args).starts_with("«/P PYTHON_RUNTIME=") =>
            {
                Some(simple)
            }
            _ => None,
        })
        .expect("SET /P PYTHON_RUNTIME");
    assert_eq!(set_p.builtin, Some(Builtin::Set));
    assert_eq!(text(&set_p.args), "«/P PYTHON_RUNTIME=»");
    assert_eq!(set_p.redirects.len(), 1);
    let redirect = &set_p.redirects[0];
    assert_eq!(redirect.fd, 0);
    let RedirectKind::Read(file) = &redirect.kind else {
        panic!("SET /P reads its stdin from a file")
    };
    assert_eq!(
        text(file),
        "«\"{var DEPLOYMENT_TEMP}\\__PYTHON_RUNTIME.tmp\"»"
    );

    // `:exitFromFunction` is followed by `()`, the empty block that aborts every level.
    let at = statements
        .iter()
        .position(|s| matches!(&s.kind, StatementKind::Label(l) if l.name == "exitFromFunction"))
        .expect("an :exitFromFunction label");
    assert!(matches!(
        &statements[at + 1].kind,
        StatementKind::Command(Command {
            kind: CommandKind::EmptyBlock,
            ..
        })
    ));
}
