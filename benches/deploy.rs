//! One app deployed three ways, side by side in one run: Kudu's flow as users run it today
//! (the real `kudusync` from npm, `python -m venv` when there is no env, then
//! `env/bin/pip install -r requirements.txt` on every deploy), run-deploy with pip, and
//! run-deploy with uv (`/INSTALLER uv`), each run-deploy the real binary given `--source`
//! and `--target`. Each is timed on a cold deploy (twice: the machine's first, whose
//! run-deploy starts with an empty seed cache, and a new site's, whose run-deploy finds
//! the entry an earlier site built in the user's seed cache), a no-op redeploy, a deploy
//! with one file changed and a forced rebuild, then the no-op and the one-file deploy again while
//! a background writer started by the benchmark keeps the disk busy (a block written and
//! fsynced in a loop on the same filesystem); the table it prints (Markdown, with ratios,
//! the machine and its load) is the one kept in the README.
//!
//! Run with `cargo bench --bench deploy`. The app is samples/flask-app with about 300
//! static files; its Flask and gunicorn are wheels built here; nothing reaches the network.
//! `DEPLOY_BENCH_ROWS=noop` runs only the no-op rows (quiet and busy disk), after one cold
//! deploy each. `DEPLOY_BENCH_ROWS=locks` runs, instead of the flask-app table, a cold
//! deploy (the machine's first) and a no-op redeploy of each lock-file sample (uv-app, poetry-app, pipenv-app)
//! with run-deploy and its committed deploy.cmd, beside Kudu's flow deploying the same app
//! from a requirements.txt exported from the lock (see common/lock_apps.rs).

#[path = "common/busy_disk.rs"]
mod busy_disk;
#[path = "common/lock_apps.rs"]
mod lock_apps;
#[path = "../tests/it/common/stand_ins.rs"]
mod stand_ins;
#[path = "../tests/it/common/wheels.rs"]
mod wheels;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const STATIC_FILES: usize = 300;
const COLD_RUNS: usize = 3;
const NOOP_RUNS: usize = 21;
const CHANGE_RUNS: usize = 3;
const FORCED_RUNS: usize = 3;

/// The ways to deploy.
#[derive(Clone, Copy, PartialEq)]
enum Flow {
    /// Kudu's flow: kudusync, `python -m venv`, `pip install -r requirements.txt`.
    Kudu,
    /// run-deploy with the app's committed deploy.cmd (pip for flask-app).
    RunDeploy,
    /// run-deploy with flask-app's deploy.cmd switched to `/INSTALLER uv`.
    RunDeployUv,
}

/// The app a bench deploys: a sample, with 300 static files added, and the
/// requirements.txt its user would commit for Kudu when the sample has a lock instead.
struct App {
    sample: &'static str,
    kudu_requirements: Option<String>,
}

/// What every deploy shares: the wheels, the interpreter, the child environment.
struct Bench {
    _wheels: wheels::WheelHouse,
    python: PathBuf,
    env: Vec<(String, String)>,
    _uv_cache: tempfile::TempDir,
    /// The seed cache every run-deploy shares (`DEPLOY_SEED_CACHE`), as the sites of one
    /// server share the user's; a machine's first deploy gets an empty one of its own.
    seeds: tempfile::TempDir,
}

/// Which seed cache a run-deploy deploy uses.
#[derive(Clone, Copy, PartialEq)]
enum Seeds {
    /// An empty one: the machine's first deploy.
    Empty,
    /// The bench's shared one, built by an earlier deploy.
    Shared,
}

/// One app checkout and its site.
struct Deployment<'a> {
    bench: &'a Bench,
    flow: Flow,
    dir: tempfile::TempDir,
    repo: PathBuf,
    site: PathBuf,
    kudu_manifest: PathBuf,
}

impl Bench {
    fn new() -> Bench {
        let wheels = stand_ins::wheel_house(&["flask", "gunicorn", "fastapi", "uvicorn"]);
        let uv_cache = tempfile::tempdir().unwrap();
        let mut path = std::env::var("PATH").unwrap_or_default();
        // uv installed by pip under pyenv is reached through a shim (a shell script that
        // costs tens of milliseconds); put the real one first, as a server would have it.
        if let Some(uv) = output_of("pyenv", &["which", "uv"]) {
            let dir = Path::new(uv.trim()).parent().unwrap().display().to_string();
            path = format!("{dir}:{path}");
        }
        let env = vec![
            ("PATH".into(), path),
            ("PIP_NO_INDEX".into(), "1".into()),
            ("PIP_FIND_LINKS".into(), wheels.path().display().to_string()),
            ("PIP_DISABLE_PIP_VERSION_CHECK".into(), "1".into()),
            ("UV_CACHE_DIR".into(), uv_cache.path().display().to_string()),
            // The lock apps' tools, offline as the tests run them (tests/it/common/test.rs).
            ("UV_OFFLINE".into(), "1".into()),
            ("UV_NO_INDEX".into(), "1".into()),
            ("UV_FIND_LINKS".into(), wheels.path().display().to_string()),
            ("UV_PYTHON_DOWNLOADS".into(), "never".into()),
            ("PIPENV_VERBOSITY".into(), "-1".into()),
            ("PIPENV_YES".into(), "1".into()),
            ("PIPENV_NOSPIN".into(), "1".into()),
        ];
        let python = output_of("pyenv", &["which", "python3.11"])
            .map(|p| PathBuf::from(p.trim()))
            .unwrap_or_else(|| PathBuf::from("python3.11"));
        Bench {
            _wheels: wheels,
            python,
            env,
            _uv_cache: uv_cache,
            seeds: tempfile::tempdir().unwrap(),
        }
    }

    /// A fresh checkout of `app` for `flow`, with an empty site.
    fn checkout(&self, app: &App, flow: Flow) -> Deployment<'_> {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        copy_tree(&sample_dir(app.sample), &repo);
        if let (Flow::Kudu, Some(requirements)) = (flow, &app.kudu_requirements) {
            std::fs::write(repo.join("requirements.txt"), requirements).unwrap();
        }
        for index in 0..STATIC_FILES {
            let file = repo.join(format!("static/assets/part{index:03}.css"));
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, format!(".part{index} {{ margin: {index}px }}\n")).unwrap();
        }
        if flow == Flow::RunDeployUv {
            let script = repo.join("deploy.cmd");
            let text = std::fs::read_to_string(&script).unwrap();
            let text = text
                .replace("VENV ENSURE\r\n", "VENV ENSURE /INSTALLER uv\r\n")
                .replace(
                    "VENV INSTALL -r requirements.txt\r\n",
                    "VENV INSTALL -r requirements.txt /INSTALLER uv\r\n",
                );
            std::fs::write(script, text).unwrap();
        }
        // Kudu keeps a manifest from the first deploy on; KuduSync needs the file to exist.
        let kudu_manifest = dir.path().join("kudu-manifest");
        std::fs::write(&kudu_manifest, "").unwrap();
        Deployment {
            bench: self,
            flow,
            repo,
            site: dir.path().join("site"),
            kudu_manifest,
            dir,
        }
    }
}

impl Deployment<'_> {
    /// One deploy; `forced` makes it build a fresh env. Returns how long it took.
    fn deploy(&self, forced: bool) -> Duration {
        self.deploy_seeded(forced, Seeds::Shared)
    }

    /// [`Deployment::deploy`] with the given seed cache (Kudu's flow has none).
    fn deploy_seeded(&self, forced: bool, seeds: Seeds) -> Duration {
        let seed_cache = match seeds {
            Seeds::Shared => self.bench.seeds.path().to_path_buf(),
            Seeds::Empty => {
                let empty = self.dir.path().join("machine-seeds");
                let _ = std::fs::remove_dir_all(&empty);
                empty
            }
        };
        let started = Instant::now();
        match self.flow {
            Flow::Kudu => self.kudu_deploy(forced),
            _ => {
                let mut args = vec!["--source".into(), self.repo.display().to_string()];
                args.extend([
                    "--target".into(),
                    self.site.display().to_string(),
                    "-q".into(),
                ]);
                if forced {
                    args.push("--reset-env".into());
                }
                self.run(
                    Command::new(env!("CARGO_BIN_EXE_run-deploy"))
                        .args(args)
                        .env("DEPLOY_SEED_CACHE", seed_cache),
                );
            }
        }
        started.elapsed()
    }

    /// What Kudu's generated deploy.cmd does on Linux, step for step.
    fn kudu_deploy(&self, forced: bool) {
        let env_dir = self.site.join("env");
        if forced {
            // What users do today: delete `env` (FTP, or a hand-edited script).
            let _ = std::fs::remove_dir_all(&env_dir);
        }
        let manifest = self.kudu_manifest.display().to_string();
        self.run(Command::new("kudusync").args([
            "-v",
            "50",
            "-f",
            &self.repo.display().to_string(),
            "-t",
            &self.site.display().to_string(),
            "-n",
            &manifest,
            "-p",
            &manifest,
            "-i",
            ".git;.hg;.deployment;deploy.cmd",
        ]));
        let marker = env_dir.join("azure.env.python-3.11.txt");
        if !marker.exists() {
            let _ = std::fs::remove_dir_all(&env_dir);
            self.run(
                Command::new(&self.bench.python)
                    .args(["-m", "venv", "env"])
                    .current_dir(&self.site),
            );
            std::fs::write(&marker, "").unwrap();
        }
        self.run(
            Command::new(env_dir.join("bin/pip"))
                .args(["install", "-r", "requirements.txt"])
                .current_dir(&self.site),
        );
    }

    fn run(&self, command: &mut Command) {
        command.envs(self.bench.env.iter().map(|(k, v)| (k, v)));
        let output = command.output().expect("start a deploy command");
        assert!(
            output.status.success(),
            "{command:?} failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    fn change_one_file(&self, round: usize) {
        let file = self.repo.join("static/assets/part000.css");
        std::fs::write(file, format!(".part0 {{ margin: {round}px }}\n")).unwrap();
    }
}

/// The scenarios, in the table's order; the last two run with the disk kept busy.
const SCENARIOS: [&str; 7] = [
    "cold deploy, the machine's first",
    "cold deploy, a new site",
    "no-op redeploy",
    "one file changed",
    "forced rebuild",
    "no-op redeploy, disk busy",
    "one file changed, disk busy",
];

/// Which rows a run measures (`DEPLOY_BENCH_ROWS`).
#[derive(Clone, Copy, PartialEq)]
enum Rows {
    /// Every scenario of flask-app.
    All,
    /// flask-app's no-op rows, quiet and busy disk, after one cold deploy.
    Noop,
    /// Cold (the machine's first) and no-op deploys of each lock-file app.
    Locks,
}

impl Rows {
    fn wanted(self, scenario: usize) -> bool {
        match self {
            Rows::All => true,
            Rows::Noop => scenario == 2 || scenario == 5,
            Rows::Locks => scenario == 0 || scenario == 2,
        }
    }
}

/// The median time of each scenario for each flow (see [`SCENARIOS`]); zero for the
/// scenarios `rows` leaves out. The flows take turns run by run, so a change in the
/// machine's load falls on all of them alike.
fn measure(bench: &Bench, app: &App, flows: &[Flow], rows: Rows) -> Vec<[Duration; 7]> {
    let mut times = vec![[(); 7].map(|()| Vec::new()); flows.len()];
    let mut deployments: Vec<Option<Deployment>> = flows.iter().map(|_| None).collect();
    if flows.contains(&Flow::RunDeploy) {
        // The shared seed cache gets its entry, as from an earlier site of the server.
        bench.checkout(app, Flow::RunDeploy).deploy(false);
    }
    for _ in 0..if rows == Rows::Noop { 1 } else { COLD_RUNS } {
        for (index, flow) in flows.iter().enumerate() {
            for (scenario, seeds) in [(0, Seeds::Empty), (1, Seeds::Shared)] {
                if !rows.wanted(scenario) && !(scenario == 1 && rows == Rows::Noop) {
                    continue;
                }
                let fresh = bench.checkout(app, *flow);
                times[index][scenario].push(fresh.deploy_seeded(false, seeds));
                deployments[index] = Some(fresh);
            }
        }
    }
    let deployments: Vec<Deployment> = deployments.into_iter().flatten().collect();
    let rounds = [(2, NOOP_RUNS), (3, CHANGE_RUNS), (4, FORCED_RUNS)];
    let wanted = |scenario: usize| rows.wanted(scenario);
    for (scenario, runs) in rounds.into_iter().filter(|(scenario, _)| wanted(*scenario)) {
        for round in 0..runs {
            for (index, deployment) in deployments.iter().enumerate() {
                if scenario == 3 {
                    deployment.change_one_file(round + 1);
                }
                times[index][scenario].push(deployment.deploy(scenario == 4));
            }
        }
    }
    // The busy-disk rows: the writer works on the filesystem the sites are on.
    if wanted(5) || wanted(6) {
        let busy_dir = tempfile::tempdir().unwrap();
        let busy = busy_disk::BusyDisk::start(busy_dir.path());
        for (scenario, runs) in [(5, NOOP_RUNS), (6, CHANGE_RUNS)]
            .into_iter()
            .filter(|(scenario, _)| wanted(*scenario))
        {
            for round in 0..runs {
                for (index, deployment) in deployments.iter().enumerate() {
                    if scenario == 6 {
                        deployment.change_one_file(100 + round);
                    }
                    times[index][scenario].push(deployment.deploy(false));
                }
            }
        }
        let fsyncs = busy.stop();
        println!("(busy disk: the background writer made {fsyncs} fsyncs)");
    }
    times
        .into_iter()
        .map(|flow| {
            flow.map(|runs| {
                if runs.is_empty() {
                    Duration::ZERO
                } else {
                    median(runs)
                }
            })
        })
        .collect()
}

fn main() {
    // `cargo bench` passes `--bench`; a filter that does not name this bench skips it.
    let filter = std::env::args().skip(1).find(|arg| !arg.starts_with('-'));
    if filter.is_some_and(|filter| !"deploy".contains(filter.as_str())) {
        return;
    }
    let bench = Bench::new();
    let uv = bench
        .env
        .iter()
        .any(|(k, v)| k == "PATH" && std::env::split_paths(v).any(|d| d.join("uv").is_file()));
    let rows = match std::env::var("DEPLOY_BENCH_ROWS").as_deref() {
        Ok("noop") => Rows::Noop,
        Ok("locks") => Rows::Locks,
        _ => Rows::All,
    };
    if rows == Rows::Locks {
        return lock_table(&bench);
    }
    let mut flows = vec![Flow::Kudu, Flow::RunDeploy];
    if uv {
        flows.push(Flow::RunDeployUv);
    }
    let only_noop = rows == Rows::Noop;
    let load_before = busy_disk::load_average();
    let flask_app = App {
        sample: "flask-app",
        kudu_requirements: None,
    };
    let times = measure(&bench, &flask_app, &flows, rows);
    let (kudu, pip) = (times[0], times[1]);
    let with_uv = times.get(2).copied();

    let machine = machine();
    println!("Deploy of samples/flask-app with {STATIC_FILES} static files (Flask and gunicorn wheels), median times");
    println!(
        "{machine}; load average {load_before} before, {} after\n",
        busy_disk::load_average()
    );
    println!(
        "| scenario | Kudu flow | run-deploy, pip | run-deploy, uv | pip vs Kudu | uv vs Kudu |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    for (index, name) in SCENARIOS.iter().enumerate() {
        if only_noop && !name.starts_with("no-op") {
            continue;
        }
        let uv_time = with_uv.map(|times| times[index]);
        println!(
            "| {name} | {} | {} | {} | {} | {} |",
            seconds(kudu[index]),
            seconds(pip[index]),
            uv_time.map_or("-".into(), seconds),
            ratio(kudu[index], pip[index]),
            uv_time.map_or("-".into(), |uv| ratio(kudu[index], uv)),
        );
    }
}

/// The `DEPLOY_BENCH_ROWS=locks` table: for each lock-file app, a cold deploy and a
/// no-op redeploy with Kudu's flow (from the exported requirements.txt) and with run-deploy.
fn lock_table(bench: &Bench) {
    let apps: Vec<(&lock_apps::LockApp, App)> = lock_apps::LOCK_APPS
        .iter()
        .map(|lock_app| {
            let scratch = tempfile::tempdir().unwrap();
            let app_dir = scratch.path().join(lock_app.sample);
            copy_tree(&sample_dir(lock_app.sample), &app_dir);
            let mut env = bench.env.clone();
            env.push((
                "WORKON_HOME".into(),
                scratch.path().join("envs").display().to_string(),
            ));
            env.push((
                "PIPENV_CACHE_DIR".into(),
                scratch.path().join("pipenv-cache").display().to_string(),
            ));
            env.push((
                "POETRY_CACHE_DIR".into(),
                scratch.path().join("poetry-cache").display().to_string(),
            ));
            let requirements = lock_app.export_requirements(&app_dir, &env);
            println!(
                "{} exported for Kudu's flow:\n{requirements}",
                lock_app.lock_file
            );
            let app = App {
                sample: lock_app.sample,
                kudu_requirements: Some(requirements),
            };
            (lock_app, app)
        })
        .collect();
    let load_before = busy_disk::load_average();
    let measured: Vec<_> = apps
        .iter()
        .map(|(lock_app, app)| {
            (
                lock_app,
                measure(bench, app, &[Flow::Kudu, Flow::RunDeploy], Rows::Locks),
            )
        })
        .collect();
    println!("Deploys of the lock-file samples with {STATIC_FILES} static files each (stand-in wheels), median times");
    println!(
        "{}; load average {load_before} before, {} after\n",
        machine(),
        busy_disk::load_average()
    );
    println!("| app, lock | scenario | Kudu flow, exported requirements.txt | run-deploy | run-deploy vs Kudu |");
    println!("|---|---|---:|---:|---:|");
    for (lock_app, times) in measured {
        for (index, name) in SCENARIOS
            .iter()
            .enumerate()
            .filter(|(index, _)| Rows::Locks.wanted(*index))
        {
            let (kudu, ours) = (times[0][index], times[1][index]);
            println!(
                "| {}, {} | {name} | {} | {} | {} |",
                lock_app.sample,
                lock_app.lock_file,
                seconds(kudu),
                seconds(ours),
                ratio(kudu, ours),
            );
        }
    }
}

/// samples/`name` in this repository.
fn sample_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn seconds(time: Duration) -> String {
    if time < Duration::from_secs(1) {
        format!("{:.0} ms", time.as_secs_f64() * 1000.0)
    } else {
        format!("{:.2} s", time.as_secs_f64())
    }
}

/// How many times faster `ours` is than `kudu` (`0.9x` means slower).
fn ratio(kudu: Duration, ours: Duration) -> String {
    format!("{:.1}x", kudu.as_secs_f64() / ours.as_secs_f64())
}

/// `date time, CPU, cores` for the table's caption.
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
    let date = output_of("date", &["-u", "+%Y-%m-%d %H:%M UTC"]).unwrap_or_default();
    format!("{}, {cpu}, {cores} cores", date.trim())
}

fn output_of(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let destination = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&destination).unwrap();
        } else {
            std::fs::copy(entry.path(), &destination).unwrap();
        }
    }
}
