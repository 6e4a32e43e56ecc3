//! `--json` with the real binary: stdout is JSON lines and nothing else, every line
//! validates against docs/events.schema.json, every field is documented there, and the
//! last line is the finish event with the process's exit code.

use crate::common::test::{Output, Test};
use serde_json::Value;
use std::collections::BTreeSet;

const SCRIPT: &str = "\
@echo off
SYNC /IGNORE deploy.cmd
PYTHON SELECT
python3 -c \"import sys; print('to stdout'); print('to stderr', file=sys.stderr)\"
echo script says hi
if \"%FAIL%\"==\"1\" exit /b 3
";

fn schema() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/events.schema.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Checks every stdout line of a `--json` run; returns the events' names.
fn check_json_run(run: &Output, schema: &Value) -> Vec<String> {
    let validator = jsonschema::validator_for(schema).expect("the schema compiles");
    assert_eq!(run.stderr, "", "--json prints nothing on stderr");
    assert!(run.stdout.ends_with('\n'), "{}", run.stdout);
    let mut names = Vec::new();
    let mut last = Value::Null;
    for line in run.stdout.lines() {
        let event: Value =
            serde_json::from_str(line).unwrap_or_else(|error| panic!("not JSON ({error}): {line}"));
        let errors: Vec<String> = validator
            .iter_errors(&event)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{line}\ndoes not validate: {errors:?}");
        let name = event["event"].as_str().unwrap().to_string();
        let documented = &schema["$defs"][&name]["properties"];
        for field in event.as_object().unwrap().keys() {
            assert!(
                documented.get(field).is_some(),
                "`{field}` of `{name}` is not in the schema"
            );
        }
        names.push(name);
        last = event;
    }
    assert_eq!(names.first().map(String::as_str), Some("deploy_started"));
    assert_eq!(last["event"], "deploy_finished");
    assert_eq!(last["exit_code"], run.code);
    names
}

#[test]
fn every_line_of_every_kind_of_run_validates() {
    let schema = schema();
    let layout = Test::new().app_files(&[("deploy.cmd", SCRIPT), ("app.py", "print(1)\n")]);
    let mut seen = BTreeSet::new();

    let deployed = layout.deploy(&["--json", "--trace"]);
    assert_eq!(deployed.code, 0, "{deployed:?}");
    seen.extend(check_json_run(&deployed, &schema));
    assert!(deployed
        .stdout
        .contains(r#"{"event":"output","stream":"stderr","line":"to stderr"}"#));
    assert!(deployed
        .stdout
        .contains(r#"{"event":"output","stream":"stdout","line":"script says hi"}"#));
    assert!(deployed.stdout.contains(r#""status":"succeeded""#));

    let planned = layout.deploy(&["--json", "--dry-run"]);
    assert_eq!(planned.code, 0, "{planned:?}");
    seen.extend(check_json_run(&planned, &schema));
    assert!(planned.stdout.contains(r#""outcome":"planned""#));
    assert!(planned.stdout.contains(r#""status":"planned""#));

    std::fs::write(layout.app.join("app.py"), "print(2)\n").unwrap();
    let failed = layout.deploy_with(&["--json"], &[("FAIL", "1")]);
    assert_eq!(failed.code, 3, "{failed:?}");
    seen.extend(check_json_run(&failed, &schema));
    assert!(failed.stdout.contains(r#""status":"failed""#));

    let all: BTreeSet<String> = schema["$defs"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|name| *name != "location")
        .cloned()
        .collect();
    assert_eq!(seen, all, "every kind of event was met");
}

#[test]
fn a_script_that_does_not_parse_is_reported_as_json_too() {
    let layout = Test::new().app_files(&[("deploy.cmd", "@echo off\nif (\n")]);
    let run = layout.deploy(&["--json"]);
    assert_eq!(run.code, 65, "{run:?}");
    let validator = jsonschema::validator_for(&schema()).unwrap();
    assert_eq!(run.stderr, "");
    for line in run.stdout.lines() {
        let event: Value = serde_json::from_str(line).unwrap();
        assert!(validator.is_valid(&event), "{line}");
        assert_eq!(event["event"], "message");
        assert_eq!(event["level"], "error");
    }
    assert!(!run.stdout.is_empty());
}
