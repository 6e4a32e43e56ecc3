//! Interpreter benchmarks: the overhead of one builtin line (goal: under 5 µs), and the
//! cost of starting a program through the interpreter compared with `sh -c` starting the
//! same program (goal: no slower).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use deploy_script::interpreter::{run_text, CapturedOutput, RunOptions};
use std::collections::BTreeMap;
use std::path::Path;

const LINES: u64 = 1000;

fn options(dir: &Path) -> RunOptions {
    let env = BTreeMap::from([
        ("PATH".to_string(), "/usr/bin:/bin".to_string()),
        ("HOME".to_string(), dir.display().to_string()),
    ]);
    RunOptions {
        cwd: Some(dir.to_path_buf()),
        env: Some(env),
        ..RunOptions::default()
    }
}

fn builtin_lines(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let options = options(dir.path());
    let script = dir.path().join("bench.cmd");
    // A loop body of typical deploy-script builtins, run LINES times.
    let looped = "@echo off\r\nsetlocal enabledelayedexpansion\r\nset N=0\r\n\
        for /l %%i in (1,1,1000) do (\r\n  set /a N+=1\r\n)\r\n";
    let mut straight = String::from("@echo off\r\n");
    for i in 0..LINES {
        match i % 4 {
            0 => straight.push_str(&format!("set VALUE_{i}=%CD%\\x\r\n")),
            1 => straight.push_str("IF \"%VALUE_1%\" NEQ \"\" set B=1\r\n"),
            2 => straight.push_str("echo line >nul\r\n"),
            _ => straight.push_str("IF NOT DEFINED MISSING set C=%B%\r\n"),
        }
    }
    let mut group = c.benchmark_group("builtin line");
    group.throughput(Throughput::Elements(LINES));
    group.bench_function("for /l body: set /a", |b| {
        b.iter(|| {
            let mut output = CapturedOutput::default();
            run_text(&script, looped, &[], &options, &mut output).unwrap()
        })
    });
    group.bench_function(
        "straight-line script incl. parse: set, if, echo >nul",
        |b| {
            b.iter(|| {
                let mut output = CapturedOutput::default();
                run_text(&script, &straight, &[], &options, &mut output).unwrap()
            })
        },
    );
    group.bench_function("parse only, the same straight-line script", |b| {
        b.iter(|| {
            let source = deploy_script::source::Source::from_text("bench.cmd", straight.as_str());
            deploy_script::syntax::parser::parse(&source)
        })
    });
    group.finish();
}

fn program_start(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let options = options(dir.path());
    let script = dir.path().join("bench.cmd");
    let mut group = c.benchmark_group("program start");
    group.bench_function("run-deploy interpreter: true", |b| {
        b.iter(|| {
            let mut output = CapturedOutput::default();
            run_text(&script, "@echo off\r\ntrue\r\n", &[], &options, &mut output).unwrap()
        })
    });
    group.bench_function("sh -c: true", |b| {
        b.iter(|| {
            std::process::Command::new("sh")
                .args(["-c", "true"])
                .current_dir(dir.path())
                .output()
                .unwrap()
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3));
    targets = builtin_lines, program_start
}
criterion_main!(benches);
