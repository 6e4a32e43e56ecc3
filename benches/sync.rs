//! SYNC against `kudusync` (npm 0.2.3) and `rsync -a --delete`, side by side, each run as
//! its own process on the same trees, the runs taking turns: cold (empty target), no-op
//! (nothing changed), one file changed, and no-op again while a background writer started
//! by the benchmark keeps the disk busy (a block written and fsynced in a loop on the same
//! filesystem). A bare stat walk of the source (`find -printf '%s %T@'`, which stats every
//! entry) is timed beside them as the floor a no-op is held to. Prints seconds, ratios,
//! our peak memory, the machine and its load.
//!
//! `cargo bench --bench sync`. Settings (environment): SYNC_BENCH_FILES (small files,
//! default 10000), SYNC_BENCH_BIG_MIB (the big file, default 256; 1024 for 1 GiB),
//! SYNC_BENCH_RUNS (runs per cell, median taken, default 3), SYNC_BENCH_TOOLS (default
//! `ours,kudusync,rsync,stat-walk`). Peak memory is the child's `ru_maxrss`, which
//! includes the few MiB of this process it was spawned from.

#[path = "common/busy_disk.rs"]
mod busy_disk;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const CHILD_FLAG: &str = "--run-kudusync-main";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some(CHILD_FLAG) {
        let mut out = std::io::stdout();
        let mut err = std::io::stderr();
        std::process::exit(deploy_script::sync::kudusync_main(
            &args[1..],
            &mut out,
            &mut err,
        ));
    }
    if args.iter().any(|a| a == "--list") {
        return;
    }
    let setting = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let files = setting("SYNC_BENCH_FILES", 10_000);
    let big_mib = setting("SYNC_BENCH_BIG_MIB", 256);
    let runs = setting("SYNC_BENCH_RUNS", 3).max(1);
    let work = tempfile::TempDir::new().unwrap();
    let wanted = std::env::var("SYNC_BENCH_TOOLS")
        .unwrap_or_else(|_| "ours,kudusync,rsync,stat-walk".to_string());
    let tools: Vec<Tool> = [Tool::Ours, Tool::Kudusync, Tool::Rsync, Tool::StatWalk]
        .into_iter()
        .filter(|t| wanted.split(',').any(|w| w == t.name()) && t.available())
        .collect();
    println!(
        "tools: {}",
        tools
            .iter()
            .map(|t| t.name())
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!("runs per cell: {runs} (median)");
    println!(
        "{}; load average {} at the start",
        machine(),
        busy_disk::load_average()
    );

    let small = work.path().join("small");
    make_small_tree(&small, files);
    bench_tree(
        &format!("{files} small files in nested folders"),
        &small,
        &tools,
        runs,
        &small.join("d0/e0/f0.txt"),
    );

    let big = work.path().join("big");
    std::fs::create_dir_all(&big).unwrap();
    write_big(&big.join("big.bin"), big_mib);
    bench_tree(
        &format!("one {big_mib} MiB file"),
        &big,
        &tools,
        runs,
        &big.join("big.bin"),
    );
    println!("\nload average {} at the end", busy_disk::load_average());
}

/// `date time, CPU, cores` for the output's caption.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split(':').nth(1))
                .map(|name| name.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let date = Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    format!("{date}, {cpu}, {cores} cores")
}

#[derive(Clone, Copy, PartialEq)]
enum Tool {
    Ours,
    Kudusync,
    Rsync,
    /// Not a sync: `find` stating every entry of the source, the floor of a no-op.
    StatWalk,
}

impl Tool {
    fn name(self) -> &'static str {
        match self {
            Tool::Ours => "ours",
            Tool::Kudusync => "kudusync",
            Tool::Rsync => "rsync",
            Tool::StatWalk => "stat-walk",
        }
    }

    fn available(self) -> bool {
        let found = match self {
            Tool::Ours => true,
            Tool::Kudusync => Command::new("kudusync")
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success()),
            Tool::Rsync => Command::new("rsync")
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success()),
            Tool::StatWalk => Command::new("find")
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success()),
        };
        if !found {
            println!("{} is not on PATH: left out", self.name());
        }
        found
    }

    fn command(self, source: &Path, target: &Path, state: &Path) -> Command {
        let (next, previous) = (
            state.join(format!("{}-next", self.name())),
            state.join(format!("{}-prev", self.name())),
        );
        let flags = |cmd: &mut Command| {
            cmd.arg("-f")
                .arg(source)
                .arg("-t")
                .arg(target)
                .arg("-n")
                .arg(&next)
                .arg("-p")
                .arg(&previous)
                .arg("-q");
        };
        match self {
            Tool::Ours => {
                // As users run it: the run-deploy binary answering as `kudusync`
                // (KUDU_SYNC_CMD), not this (much larger) benchmark binary.
                let link = state.join("kudusync");
                if !link.exists() {
                    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_run-deploy"), &link).unwrap();
                }
                let mut cmd = Command::new(link);
                flags(&mut cmd);
                cmd
            }
            Tool::Kudusync => {
                let mut cmd = Command::new("kudusync");
                flags(&mut cmd);
                cmd
            }
            Tool::Rsync => {
                let mut cmd = Command::new("rsync");
                cmd.arg("-a")
                    .arg("--delete")
                    .arg(format!("{}/", source.display()))
                    .arg(target);
                cmd
            }
            Tool::StatWalk => {
                let mut cmd = Command::new("find");
                cmd.arg(source)
                    .args(["-printf", "%s %T@\n"])
                    .stdout(Stdio::null());
                cmd
            }
        }
    }
}

/// Runs one sync as a child process; returns (seconds, peak memory in KiB).
// The child is reaped by `wait4` (for its resource usage), not by `Child::wait`.
#[allow(clippy::zombie_processes)]
fn run(tool: Tool, source: &Path, target: &Path, state: &Path) -> (f64, i64) {
    // Let the disk write back what the last run left dirty, so no run pays for another.
    unsafe { libc::sync() };
    let started = Instant::now();
    let child = tool.command(source, target, state).spawn().unwrap();
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    let seconds = started.elapsed().as_secs_f64();
    assert!(
        pid > 0 && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{} failed",
        tool.name()
    );
    // The manifest just written is the previous one of the next run.
    let next = state.join(format!("{}-next", tool.name()));
    if next.exists() {
        std::fs::rename(&next, state.join(format!("{}-prev", tool.name()))).unwrap();
    }
    (seconds, usage.ru_maxrss)
}

fn bench_tree(title: &str, source: &Path, tools: &[Tool], runs: usize, changed: &Path) {
    println!("\n== {title}");
    println!(
        "{:<16}{:>12}{:>12}{:>12}{:>14}{:>14}",
        "", "cold s", "no-op s", "1 changed s", "no-op busy s", "our peak MiB"
    );
    // Runs are interleaved tool by tool, so a change in the machine's load hits all alike.
    let mut samples = vec![([(); 4].map(|()| Vec::new()), 0i64); tools.len()];
    for _ in 0..runs {
        for (&tool, (cells, peak)) in tools.iter().zip(samples.iter_mut()) {
            let scratch = tempfile::TempDir::new_in(source.parent().unwrap()).unwrap();
            let (target, state) = (scratch.path().join("target"), scratch.path().to_path_buf());
            // kudusync 0.2.3 on current node fails on a missing previous manifest (its
            // not-found check knows only the old errno values): start from an empty one.
            std::fs::write(state.join(format!("{}-prev", tool.name())), "").unwrap();
            for (step, cell) in cells.iter_mut().enumerate() {
                if step == 2 {
                    touch_changed(changed);
                }
                // The last step: a no-op again, the disk busy with another writer's fsyncs.
                let busy = (step == 3).then(|| busy_disk::BusyDisk::start(&state));
                let (seconds, rss) = run(tool, source, &target, &state);
                if let Some(busy) = busy {
                    busy.stop();
                }
                cell.push(seconds);
                *peak = (*peak).max(rss);
            }
        }
    }
    let mut table = Vec::new();
    for (&tool, (cells, peak)) in tools.iter().zip(samples.iter_mut()) {
        let cells = cells.each_mut().map(|cell| median(cell));
        let memory = if tool == Tool::Ours {
            format!("{:.1}", *peak as f64 / 1024.0)
        } else {
            String::new()
        };
        println!(
            "{:<16}{:>12.3}{:>12.3}{:>12.3}{:>14.3}{:>14}",
            tool.name(),
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            memory
        );
        table.push((tool, cells));
    }
    let Some(ours) = table
        .iter()
        .find(|(t, _)| *t == Tool::Ours)
        .map(|(_, c)| *c)
    else {
        return;
    };
    for (tool, cells) in table.iter().filter(|(t, _)| *t != Tool::Ours) {
        println!(
            "{:<16}{:>11.2}x{:>11.2}x{:>11.2}x{:>13.2}x   (their time / ours: above 1 means we are faster)",
            format!("vs {}", tool.name()),
            cells[0] / ours[0],
            cells[1] / ours[1],
            cells[2] / ours[2],
            cells[3] / ours[3]
        );
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}

/// Rewrites one source file with new content of another size, so every tool copies it.
fn touch_changed(path: &Path) {
    // Appended in place: reading a big file into this process would inflate the peak
    // memory reported for the children, which inherit this process's high-water mark.
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    file.write_all(b"!").unwrap();
}

fn make_small_tree(root: &Path, files: usize) {
    let per_folder = 50;
    for i in 0..files {
        let folder = i / per_folder;
        let path: PathBuf = root.join(format!(
            "d{}/e{}/f{}.txt",
            folder / 20,
            folder % 20,
            i % per_folder
        ));
        if i % per_folder == 0 {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        }
        let size = 100 + (i * 7919) % 4000;
        std::fs::write(&path, format!("{i}").repeat(size / format!("{i}").len())).unwrap();
    }
}

fn write_big(path: &Path, mib: usize) {
    use std::io::Write;
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut block = vec![0u8; 1 << 20];
    for i in 0..mib {
        block
            .iter_mut()
            .enumerate()
            .for_each(|(j, b)| *b = (i * 31 + j * 7) as u8);
        file.write_all(&block).unwrap();
    }
}
