//! What a deploy writes to disk, counted by `strace -f -c` on the real binary (strace is
//! installed by .ci/setup): a no-op redeploy of samples/flask-app fsyncs nothing, renames
//! three files (its running record, its final record, `last-success`), and links its
//! manifest to the previous one; a deploy that changed one static file pays for SYNC's
//! journal and survives a power cut. A no-op deploy killed at random points (strace
//! injects SIGKILL at a chosen system call) leaves a state the next deploy takes up, and
//! what a power cut can leave of a no-op's unsynced files (an empty `last-success`, an
//! empty record) is read as the deployment before it.

use crate::common::sync_tree::{snapshot, Snap};
use crate::common::test::{Output, Test};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// The system calls that write the state folder's names and make them durable, by the
/// name the counts use (`rename`, `renameat` and `renameat2` are all `rename`; `link` and
/// `linkat` are `link`).
const WRITE_CALLS: &str = "fsync,fdatasync,sync_file_range,rename,renameat,renameat2,link,linkat";

/// The flask sample with a few static files, deployed once (cold).
fn deployed_flask_app() -> Test {
    let test = Test::sample("flask-app");
    for index in 0..5 {
        test.write(
            &format!("static/assets/part{index}.css"),
            &format!(".part{index} {{ margin: {index}px }}\n"),
        );
    }
    test.deploy(&["-q"]).expect(0);
    test
}

/// `command` run under `strace` with `strace_args` before it, its environment and folder
/// kept.
fn under_strace(command: &Command, strace_args: &[&str]) -> Command {
    let mut traced = Command::new("strace");
    traced
        .args(strace_args)
        .arg("--")
        .arg(command.get_program());
    traced.args(command.get_args());
    for (name, value) in command.get_envs() {
        match value {
            Some(value) => traced.env(name, value),
            None => traced.env_remove(name),
        };
    }
    if let Some(dir) = command.get_current_dir() {
        traced.current_dir(dir);
    }
    traced
}

/// Deploys under `strace -f -c -e trace=TRACE` and returns the deploy's output and how
/// many times each traced system call was made, by name.
fn deploy_counting(test: &Test, trace: &str) -> (Output, BTreeMap<String, u64>) {
    let counts_file = test.root().join("strace-counts.txt");
    let traced = under_strace(
        &test.command(&["-q"]),
        &[
            "-f",
            "-c",
            "-e",
            &format!("trace={trace}"),
            "-o",
            counts_file.to_str().unwrap(),
        ],
    );
    let output = test.output(traced);
    let text = std::fs::read_to_string(&counts_file).expect("strace wrote its counts");
    (output, parse_counts(&text))
}

/// Reads `strace -c`'s table: `% time, seconds, usecs/call, calls, [errors,] syscall`.
fn parse_counts(text: &str) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for line in text.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let (Some(name), Some(calls)) = (fields.last(), fields.get(3)) else {
            continue;
        };
        let Ok(calls) = calls.parse::<u64>() else {
            continue;
        };
        if *name != "total" {
            counts.insert(name.to_string(), calls);
        }
    }
    counts
}

/// The write counts grouped as [`WRITE_CALLS`] says, calls never made left out.
fn write_counts(counts: &BTreeMap<String, u64>) -> BTreeMap<&'static str, u64> {
    let mut grouped = BTreeMap::new();
    for (name, calls) in counts {
        let group = match name.as_str() {
            "fsync" => "fsync",
            "fdatasync" => "fdatasync",
            "sync_file_range" => "sync_file_range",
            "rename" | "renameat" | "renameat2" => "rename",
            "link" | "linkat" => "link",
            _ => continue,
        };
        *grouped.entry(group).or_insert(0) += calls;
    }
    grouped
}

/// The site's files outside the env (whose Kudu marker VENV ENSURE rewrites on every
/// deploy), with their content, modes and times.
fn site_files(site: &Path) -> BTreeMap<String, Snap> {
    snapshot(site)
        .into_iter()
        .filter(|(path, _)| path != "env" && !path.starts_with("env/"))
        .collect()
}

#[test]
fn a_noop_redeploy_fsyncs_nothing_and_renames_three_files() {
    let test = deployed_flask_app();
    let before = site_files(&test.site);
    let previous = test.last_success().unwrap();

    let (output, counts) = deploy_counting(&test, WRITE_CALLS);
    output.expect(0);
    assert_eq!(output.stdout, "Finished successfully.\n", "{output}");
    assert_eq!(
        write_counts(&counts),
        BTreeMap::from([("link", 1), ("rename", 3)]),
        "{counts:?}"
    );
    assert_eq!(site_files(&test.site), before, "the site is as it was");
    let id = test.last_success().unwrap();
    assert_ne!(id, previous, "the no-op deploy is the last success");
    // Its manifest is the previous one's file, under its own name.
    let manifests = test.state.join("manifests");
    assert_eq!(
        std::fs::read(manifests.join(id.trim())).unwrap(),
        std::fs::read(manifests.join(previous.trim())).unwrap()
    );
}

#[test]
fn an_empty_last_success_left_by_a_power_cut_after_a_noop_reads_as_the_newest_successful_record() {
    let test = deployed_flask_app();
    let changed = test.last_success().unwrap();
    test.deploy(&["-q"]).expect(0);
    let noop = test.last_success().unwrap();
    assert_ne!(noop, changed);
    let pointer = test.state.join("last-success");
    let record = test
        .state
        .join("deployments")
        .join(&noop)
        .join("record.json");

    // The pointer renamed into place before its content reached the disk: the no-op's
    // record, which says it succeeded, is the last success.
    std::fs::write(&pointer, "").unwrap();
    let rows = test.list_rows();
    assert!(rows[0].starts_with(&format!("* {noop} ")), "{rows:?}");
    // Its record lost too (NUL bytes, as XFS leaves a file): the deploy before it.
    std::fs::write(&pointer, [0u8; 23]).unwrap();
    std::fs::write(&record, [0u8; 64]).unwrap();
    let rows = test.list_rows();
    assert!(rows[0].starts_with(&format!("* {changed} ")), "{rows:?}");

    // The next deploy still finds the previous manifest: a file dropped from the
    // repository goes from the site, and nothing else does.
    std::fs::remove_file(test.app.join("static/assets/part3.css")).unwrap();
    let before = site_files(&test.site);
    test.deploy(&["-q"]).expect(0);
    let mut expected = before;
    expected.remove("static/assets/part3.css");
    assert_eq!(site_files(&test.site), expected);
    let last = test.last_success().unwrap();
    assert!(test.list_rows()[0].starts_with(&format!("* {last} ")));

    // A pointer that holds something else is still refused, not guessed at.
    std::fs::write(&pointer, "not an id\n").unwrap();
    let list = test.subcommand("list", &[]);
    assert_eq!(list.code, 1, "{list}");
    assert!(
        list.stderr.contains("does not hold a deployment id"),
        "{list}"
    );
}

#[test]
fn a_noop_sync_of_a_small_tree_starts_no_thread_and_no_process() {
    let test = Test::new().script("deploy.cmd", "SYNC\n");
    for index in 0..300 {
        test.write(
            &format!("static/part{index:03}.css"),
            &format!("/* {index} */\n"),
        );
    }
    test.deploy(&["-q"]).expect(0);
    let (output, counts) = deploy_counting(&test, "clone,clone3,fork,vfork,execve");
    output.expect(0);
    // run-deploy itself is the one program started; its SYNC walks on one thread.
    assert_eq!(counts, BTreeMap::from([("execve".to_string(), 1)]));
}

#[test]
fn a_deploy_that_changed_one_file_journals_it_and_syncs_for_a_power_cut() {
    let test = deployed_flask_app();
    test.write("static/assets/part0.css", ".part0 { margin: 10px }\n");

    let (output, counts) = deploy_counting(&test, WRITE_CALLS);
    output.expect(0);
    // fsync: the journal's index (its temporary file, then its folder), the index after
    // the copy and again for the commit; the record and its folder; `last-success` and
    // its folder. rename: the running record, the journal's index, the copied file, the
    // final record, `last-success`. link: the manifest (the same paths as before) and the
    // replaced file saved into the journal.
    assert_eq!(
        write_counts(&counts),
        BTreeMap::from([("fsync", 8), ("link", 2), ("rename", 5)]),
        "{counts:?}"
    );
    assert_eq!(
        std::fs::read_to_string(test.site.join("static/assets/part0.css")).unwrap(),
        ".part0 { margin: 10px }\n"
    );
}

/// A small xorshift generator: the kill points are random, and the seed in every failure
/// message makes a failing run repeatable.
struct Random(u64);

impl Random {
    fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound
    }
}

#[test]
fn a_noop_deploy_killed_at_random_points_leaves_a_state_the_next_deploy_takes_up() {
    let test = deployed_flask_app();
    let before = site_files(&test.site);
    let manifest = |test: &Test| {
        let id = test.last_success().unwrap();
        std::fs::read(test.state.join("manifests").join(id.trim())).unwrap()
    };
    let listed = manifest(&test);
    // Every system call a no-op deploy makes, and how often: the places to kill it at.
    let (output, counts) = deploy_counting(&test, "all");
    output.expect(0);
    let calls: Vec<(&String, &u64)> = counts.iter().collect();
    let seed = std::env::var("STATE_WRITES_SEED")
        .ok()
        .and_then(|seed| seed.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    let mut random = Random(seed);
    for round in 0..12 {
        let (name, count) = calls[random.below(calls.len() as u64) as usize];
        let nth = 1 + random.below(*count);
        let at = format!(
            "{name} call {nth} (seed {seed}, round {round}; set STATE_WRITES_SEED to repeat)"
        );
        let killed = test.output(under_strace(
            &test.command(&["-q"]),
            &[
                "-f",
                "-o",
                "/dev/null",
                "-e",
                &format!("inject={name}:signal=KILL:when={nth}"),
            ],
        ));
        assert!(
            [0, -1].contains(&killed.code),
            "killed at {at}: neither finished nor killed\n{killed}"
        );
        // The killed deploy's state is readable and the lock is free.
        let list = test.subcommand("list", &[]);
        assert_eq!(list.code, 0, "after a kill at {at}\n{list}");
        let next = test.deploy(&["-q", "--no-wait"]);
        assert_eq!(next.code, 0, "the deploy after a kill at {at}\n{next}");
        assert_eq!(
            next.stdout, "Finished successfully.\n",
            "after {at}\n{next}"
        );
        assert_eq!(
            site_files(&test.site),
            before,
            "the site after a kill at {at}"
        );
        assert_eq!(manifest(&test), listed, "the manifest after a kill at {at}");
        let rows = test.list_rows();
        assert!(
            rows[0].starts_with(&format!("* {} ", test.last_success().unwrap().trim())),
            "the last deploy is the last success after a kill at {at}: {rows:?}"
        );
    }
}
