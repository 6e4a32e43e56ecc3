//! The one end-to-end harness: a [`Test`] lays out an app, a site and a state folder in a
//! temporary folder, runs the real `run-deploy` (or `gen-deploy`) there with a clean,
//! offline environment, and returns an [`Output`] that asserts exit status, stdout and
//! stderr together, with times and temporary paths redacted.
//!
//! ```ignore
//! let test = Test::new()
//!     .app_file("requirements.txt", "flask\n")
//!     .script("deploy.cmd", "@echo off\nSYNC\n")
//!     .wheels(&["flask"])
//!     .env("SCM_COMMIT_ID", "4f2a9c1");
//! test.run().assert(0, "...", "...");
//! ```

use super::stand_ins;
use super::wheels::WheelHouse;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use tempfile::TempDir;

/// Variables a developer's shell or Kudu may set that would change what a deploy does:
/// every run starts without them (a test sets what it needs with [`Test::env`]).
const CLEARED_VARIABLES: &[&str] = &[
    "DEPLOYMENT_SOURCE",
    "DEPLOYMENT_TARGET",
    "DEPLOYMENT_TEMP",
    "NEXT_MANIFEST_PATH",
    "PREVIOUS_MANIFEST_PATH",
    "IN_PLACE_DEPLOYMENT",
    "KUDU_SYNC_CMD",
    "KUDU_SELECT_PYTHON_VERSION_CMD",
    "SCM_COMMIT_ID",
    "SCM_TRACE_LEVEL",
    "DEPLOY_SYNC_JOURNAL",
    "COMMAND",
    "NO_COLOR",
    "PYTHON_VERSION",
    "VIRTUAL_ENV",
    "PIP_REQUIRE_VIRTUALENV",
    "PYTHONPATH",
    "PYTHONHOME",
    "DEPLOY_PYTHON_DIRS",
    "DEPLOY_RESET_ENV",
    "DISABLE_COLLECTSTATIC",
];

/// The variables that keep pip and uv offline, reading only `wheels`, with `uv_cache` as
/// uv's cache when given: the same for run-deploy, for an env's own python and for the
/// library's [`Environment`](deploy_script::process::Environment).
pub fn offline_variables(wheels: &Path, uv_cache: Option<&Path>) -> Vec<(&'static str, String)> {
    let links = wheels.display().to_string();
    let mut variables = vec![
        ("PIP_NO_INDEX", "1".to_string()),
        ("PIP_FIND_LINKS", links.clone()),
        ("PIP_DISABLE_PIP_VERSION_CHECK", "1".to_string()),
        ("PIP_NO_CACHE_DIR", "1".to_string()),
        // virtualenv (the 2.7 and 3.6 scripts) would fetch newer seed wheels in the background.
        ("VIRTUALENV_NO_PERIODIC_UPDATE", "1".to_string()),
        ("UV_OFFLINE", "1".to_string()),
        ("UV_NO_INDEX", "1".to_string()),
        ("UV_FIND_LINKS", links),
        ("UV_PYTHON_DOWNLOADS", "never".to_string()),
    ];
    if let Some(cache) = uv_cache {
        variables.push(("UV_CACHE_DIR", cache.display().to_string()));
    }
    variables
}

/// The variables [`Test`] clears, for tests that build a library environment themselves.
pub fn cleared_variables() -> &'static [&'static str] {
    CLEARED_VARIABLES
}

/// An app, a site and a state folder in one temporary folder, and how to run a deploy of
/// them: the arguments and variables every run gets, and the stand-in wheels pip may
/// install.
pub struct Test {
    /// The temporary folder; runs start here, and its path is redacted as `[TMP]`.
    pub dir: TempDir,
    /// The app (`--source`, DEPLOYMENT_SOURCE).
    pub app: PathBuf,
    /// The site (`--target`, DEPLOYMENT_TARGET); not created until a deploy makes it.
    pub site: PathBuf,
    /// The state folder (`--state-dir`), unless [`Test::default_state_dir`] was asked for.
    pub state: PathBuf,
    /// Whether runs pass `--state-dir`.
    state_dir_flag: bool,
    /// The stand-in packages pip and uv install from, if any.
    pub wheels: Option<WheelHouse>,
    env: Vec<(String, String)>,
    args: Vec<String>,
    /// Whether the deploys use an empty seed cache of their own ([`Test::cold_seed_cache`]).
    cold_seeds: bool,
}

impl Default for Test {
    fn default() -> Self {
        Test::new()
    }
}

impl Test {
    /// An empty app in `app/`, the site `site/` and the state folder `state/`.
    pub fn new() -> Test {
        Test::with_folders("app", "site")
    }

    /// An empty app in `app_dir/` and the site `site_dir/`, with `state/` beside them.
    pub fn with_folders(app_dir: &str, site_dir: &str) -> Test {
        let dir = TempDir::new().expect("create a temporary folder");
        let app = dir.path().join(app_dir);
        std::fs::create_dir_all(&app).expect("create the app folder");
        Test {
            site: dir.path().join(site_dir),
            state: dir.path().join("state"),
            state_dir_flag: true,
            app,
            dir,
            wheels: None,
            env: Vec::new(),
            args: Vec::new(),
            cold_seeds: false,
        }
    }

    /// The deploys use a seed cache of their own, `seeds/` in the state folder, which the
    /// first one builds, as on a new server, instead of the one built for the suite
    /// ([`warm_seed_cache`]).
    pub fn cold_seed_cache(mut self) -> Test {
        self.cold_seeds = true;
        self
    }

    /// A copy of `samples/<name>` in `<name>/`, deployed with every stand-in package.
    pub fn sample(name: &str) -> Test {
        Test::copy_of(&repo_dir().join("samples").join(name))
    }

    /// A copy of `tests/fixtures/apps/<name>` in `<name>/`, deployed with every stand-in
    /// package.
    pub fn fixture(name: &str) -> Test {
        Test::copy_of(&fixtures_dir().join(name))
    }

    /// A copy of the app folder `source`, named as it is, with every stand-in package.
    fn copy_of(source: &Path) -> Test {
        let name = source.file_name().unwrap().to_string_lossy().into_owned();
        let test = Test::with_folders(&name, "site");
        copy_tree(source, &test.app);
        test.all_wheels()
    }

    /// Writes `text` to `rel` in the app, as it is.
    pub fn app_file(self, rel: &str, text: &str) -> Test {
        write(&self.app, rel, text);
        self
    }

    /// Writes each `(rel, text)` in the app, as it is.
    pub fn app_files(self, files: &[(&str, &str)]) -> Test {
        for (rel, text) in files {
            write(&self.app, rel, text);
        }
        self
    }

    /// Writes the script `name` in the app, with Windows line ends as Kudu's scripts have.
    pub fn script(self, name: &str, text: &str) -> Test {
        self.write_script(name, text);
        self
    }

    /// [`Test::script`] after the test was built (a script the next deploy runs).
    pub fn write_script(&self, name: &str, text: &str) {
        let crlf = text.replace("\r\n", "\n").replace('\n', "\r\n");
        write(&self.app, name, &crlf);
    }

    /// Sets a variable for every run.
    pub fn env(mut self, name: &str, value: &str) -> Test {
        self.env.push((name.to_string(), value.to_string()));
        self
    }

    /// Adds arguments for every run (after `--source`, `--target` and `--state-dir`).
    pub fn args(mut self, args: &[&str]) -> Test {
        self.args.extend(args.iter().map(|arg| arg.to_string()));
        self
    }

    /// Lets pip and uv install the stand-ins named (see stand_ins.rs), offline, from a
    /// wheel house in `wheels/` (shown as `[TMP]/wheels`).
    pub fn wheels(mut self, names: &[&str]) -> Test {
        let house = WheelHouse::in_folder(self.dir.path().join("wheels"));
        stand_ins::add(&house, names);
        self.wheels = Some(house);
        self
    }

    /// Lets pip and uv install every stand-in, offline.
    pub fn all_wheels(self) -> Test {
        self.wheels(stand_ins::ALL)
    }

    /// Runs without `--state-dir`: run-deploy keeps its state where it does by default.
    pub fn default_state_dir(mut self) -> Test {
        self.state_dir_flag = false;
        self
    }

    /// The app's folder name (`flask-app`), as gen-deploy is given it.
    pub fn app_name(&self) -> String {
        self.app.file_name().unwrap().to_string_lossy().into_owned()
    }

    /// The temporary folder.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// The site env's folder (`<site>/env`).
    pub fn env_dir(&self) -> PathBuf {
        self.site.join("env")
    }

    /// Writes `text` to `rel` in the app, after the test was built.
    pub fn write(&self, rel: &str, text: &str) {
        write(&self.app, rel, text);
    }

    /// The real run-deploy, not started: `--source APP --target SITE [--state-dir STATE]`,
    /// the test's arguments, then `extra`; in the temporary folder, stdin closed, with a
    /// clean environment plus the test's variables.
    pub fn command(&self, extra: &[&str]) -> Command {
        let mut command = self.bare_command(run_deploy_exe());
        command
            .arg("--source")
            .arg(&self.app)
            .arg("--target")
            .arg(&self.site);
        if self.state_dir_flag {
            command.arg("--state-dir").arg(&self.state);
        }
        // Never the user's own cache: the suite's shared one, or the state folder's.
        if !self.env.iter().any(|(name, _)| name == SEED_CACHE_VARIABLE) {
            let shared = if self.cold_seeds {
                None
            } else {
                warm_seed_cache()
            };
            let seeds = shared.map_or_else(|| self.state.join("seeds"), Path::to_path_buf);
            command.env(SEED_CACHE_VARIABLE, seeds);
        }
        command.args(&self.args).args(extra);
        command
    }

    /// `program` in the temporary folder with stdin closed, the cleared variables
    /// removed, offline when the test has wheels, and the test's own variables set.
    pub fn bare_command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = Command::new(program);
        command.current_dir(self.dir.path()).stdin(Stdio::null());
        for name in CLEARED_VARIABLES {
            command.env_remove(name);
        }
        if let Some(wheels) = &self.wheels {
            let cache = self.dir.path().join("uv-cache");
            command.envs(offline_variables(wheels.path(), Some(&cache)));
        }
        command.envs(self.env.iter().map(|(name, value)| (name, value)));
        command
    }

    /// Deploys with the test's arguments and waits.
    pub fn run(&self) -> Output {
        self.deploy(&[])
    }

    /// Deploys with the test's arguments and `extra`, and waits.
    pub fn deploy(&self, extra: &[&str]) -> Output {
        self.output(self.command(extra))
    }

    /// [`Test::deploy`] with more variables for this run only.
    pub fn deploy_with(&self, extra: &[&str], variables: &[(&str, &str)]) -> Output {
        let mut command = self.command(extra);
        command.envs(variables.iter().copied());
        self.output(command)
    }

    /// Starts a deploy with its output thrown away.
    pub fn spawn_quietly(&self, extra: &[&str]) -> Child {
        self.command(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start run-deploy")
    }

    /// `run-deploy ARGS` alone (no source, target or state), as a user types it.
    pub fn run_deploy(&self, args: &[&str]) -> Output {
        let mut command = self.bare_command(run_deploy_exe());
        command.args(args);
        self.output(command)
    }

    /// `run-deploy SUBCOMMAND ARGS --target SITE [--state-dir STATE]`.
    pub fn subcommand(&self, subcommand: &str, args: &[&str]) -> Output {
        let mut command = self.bare_command(run_deploy_exe());
        command
            .arg(subcommand)
            .args(args)
            .arg("--target")
            .arg(&self.site);
        if self.state_dir_flag {
            command.arg("--state-dir").arg(&self.state);
        }
        self.output(command)
    }

    /// `gen-deploy APP ARGS`, run from the temporary folder so that the app is named by its
    /// folder name and the output holds no temporary path.
    pub fn gen(&self, args: &[&str]) -> Output {
        let mut command = self.bare_command(env!("CARGO_BIN_EXE_gen-deploy"));
        command.arg(self.app.file_name().unwrap()).args(args);
        self.output(command)
    }

    /// Runs a prepared command to its end.
    pub fn output(&self, mut command: Command) -> Output {
        let child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the program starts");
        self.finish(child)
    }

    /// Waits for a started command (stdout and stderr piped) and takes its output.
    pub fn finish(&self, child: Child) -> Output {
        let output = child.wait_with_output().expect("wait for the program");
        Output {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            roots: self.roots(),
        }
    }

    /// Runs `<site>/env/bin/python -c code` in the site; its stdout (trimmed) when it
    /// succeeds, its stderr when it fails.
    pub fn site_python(&self, code: &str) -> Result<String, PythonFailed> {
        let mut command = self.bare_command(self.env_dir().join("bin/python"));
        command.args(["-c", code]).current_dir(&self.site);
        let output = command.output().expect("run the site's python");
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
        } else {
            Err(PythonFailed {
                stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            })
        }
    }

    /// What `import <module>; print(<module>.VERSION)` prints in the site env, or `None`.
    pub fn import_version(&self, module: &str) -> Option<String> {
        self.site_python(&format!("import {module}; print({module}.VERSION)"))
            .ok()
    }

    /// The version of the site env's python (`3.11.7`), as step lines name it.
    pub fn env_python_version(&self) -> String {
        self.site_python("import platform; print(platform.python_version())")
            .expect("the site has an env")
    }

    /// The build id in the site env's marker (`None` without a marker).
    pub fn build_id(&self) -> Option<String> {
        let text = std::fs::read_to_string(self.env_dir().join("deploy-script-env.json")).ok()?;
        let marker: serde_json::Value = serde_json::from_str(&text).unwrap();
        marker["build_id"].as_str().map(str::to_string)
    }

    /// The site env's `lib/pythonX.Y/site-packages`.
    pub fn site_packages(&self) -> PathBuf {
        let lib = self.env_dir().join("lib");
        let version = std::fs::read_dir(&lib)
            .unwrap()
            .flatten()
            .find(|entry| entry.file_name().to_string_lossy().starts_with("python"))
            .expect("env/lib/pythonX.Y");
        version.path().join("site-packages")
    }

    /// Uncomments the app's deploy.cmd line `:: <directive>` (a sample's VENV REMOVE).
    pub fn uncomment(&self, directive: &str) {
        let path = self.app.join("deploy.cmd");
        let text = std::fs::read_to_string(&path).unwrap();
        let commented = format!(":: {directive}\r\n");
        assert!(text.contains(&commented), "no `{commented}` in deploy.cmd");
        std::fs::write(&path, text.replace(&commented, &format!("{directive}\r\n"))).unwrap();
    }

    /// The `last-success` pointer, if any.
    pub fn last_success(&self) -> Option<String> {
        std::fs::read_to_string(self.state.join("last-success"))
            .ok()
            .map(|text| text.trim().to_string())
    }

    /// The ids of the deployments kept, oldest first.
    pub fn deployment_ids(&self) -> Vec<String> {
        names_in(&self.state.join("deployments"))
    }

    /// The manifests kept, by deployment id, oldest first.
    pub fn manifest_ids(&self) -> Vec<String> {
        names_in(&self.state.join("manifests"))
    }

    /// The rows of `run-deploy list` (header and footnote left out), newest first.
    pub fn list_rows(&self) -> Vec<String> {
        let list = self.subcommand("list", &[]);
        list.expect(0);
        list.stdout
            .lines()
            .filter(|line| line.contains("Z-"))
            .map(str::to_string)
            .collect()
    }

    /// `text` with the temporary folder shown as `[TMP]`.
    pub fn redact(&self, text: &str) -> String {
        redact(text, &self.roots())
    }

    /// The paths [`redact`] replaces: the temporary folder, as resolved and as given.
    fn roots(&self) -> Vec<(String, &'static str)> {
        let mut roots = Vec::new();
        let real = std::fs::canonicalize(self.dir.path()).unwrap();
        roots.push((real.display().to_string(), "[TMP]"));
        roots.push((self.dir.path().display().to_string(), "[TMP]"));
        roots
    }
}

/// `text` with each root replaced by its name.
fn redact(text: &str, roots: &[(String, &'static str)]) -> String {
    roots.iter().fold(text.to_string(), |text, (path, name)| {
        text.replace(path, name)
    })
}

/// What one run of a binary did: exit status, stdout and stderr.
#[derive(Debug)]
pub struct Output {
    /// The exit code (-1 when killed by a signal).
    pub code: i32,
    /// Everything on stdout: the script's and its programs' output.
    pub stdout: String,
    /// Everything on stderr: run-deploy's step lines, messages and summary.
    pub stderr: String,
    roots: Vec<(String, &'static str)>,
}

impl std::fmt::Display for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout ---\n{}--- stderr ---\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

impl Output {
    /// Asserts the exit code, showing both streams when it differs.
    #[track_caller]
    pub fn expect(&self, code: i32) -> &Output {
        assert_eq!(self.code, code, "{self}");
        self
    }

    /// Asserts exit code, stdout and stderr together (CRLF read as LF, temporary paths as
    /// `[TMP]`, times left as printed): the expected text is written out in full.
    #[track_caller]
    pub fn assert(&self, code: i32, stdout: &str, stderr: &str) {
        assert_eq!(
            self.transcript(),
            transcript(code, stdout, stderr),
            "the run's exit code, stdout and stderr"
        );
    }

    /// Asserts that stdout holds each of `parts`, showing the whole run when one is missing.
    #[track_caller]
    pub fn assert_stdout_has(&self, parts: &[&str]) -> &Output {
        for part in parts {
            assert!(self.stdout.contains(part), "no `{part}` on stdout:\n{self}");
        }
        self
    }

    /// Panics with the whole output unless the deploy exited 0 and said it finished.
    #[track_caller]
    pub fn assert_success(&self) -> &Output {
        assert!(
            self.code == 0 && self.stdout.contains("Finished successfully."),
            "the deploy failed:\n{self}"
        );
        self
    }

    /// Exit code, stdout and stderr in one text, CRLF shown as LF and temporary paths
    /// redacted, for one comparison or a snapshot.
    pub fn transcript(&self) -> String {
        transcript(
            self.code,
            &self.redact(&lf(&self.stdout)),
            &self.redact(&lf(&self.stderr)),
        )
    }

    /// `text` with temporary paths redacted as [`Test::redact`] does.
    pub fn redact(&self, text: &str) -> String {
        redact(text, &self.roots)
    }

    /// Every step line (`[3/4] VENV ENSURE: reused (...)`) without its time, temporary
    /// paths redacted.
    pub fn steps(&self) -> Vec<String> {
        self.stderr
            .lines()
            .filter(|line| line.starts_with('[') && line.contains("] "))
            .map(|line| self.redact(&without_duration(line)))
            .collect()
    }

    /// The step line of `directive` (`VENV ENSURE`), as [`Output::steps`] shows it.
    #[track_caller]
    pub fn step(&self, directive: &str) -> String {
        self.steps()
            .into_iter()
            .find(|line| {
                line.split_once("] ")
                    .is_some_and(|(_, rest)| rest.starts_with(directive))
            })
            .unwrap_or_else(|| panic!("no `{directive}` step in:\n{}", self.stderr))
    }

    /// The step line of `directive` without its `[i/n]`: `VENV ENSURE: rebuilt (...)`.
    #[track_caller]
    pub fn outcome(&self, directive: &str) -> String {
        let line = self.step(directive);
        line.split_once("] ")
            .map_or(line.as_str(), |(_, rest)| rest)
            .to_string()
    }
}

/// The one form of exit code, stdout and stderr that [`Output`] compares.
fn transcript(code: i32, stdout: &str, stderr: &str) -> String {
    format!("exit: {code}\n--- stdout ---\n{stdout}--- stderr ---\n{stderr}")
}

/// `[3/4] VENV ENSURE: reused (...) 0.03s` -> `[3/4] VENV ENSURE: reused (...)`.
fn without_duration(line: &str) -> String {
    match line.rsplit_once(' ') {
        Some((head, last))
            if last
                .strip_suffix('s')
                .is_some_and(|number| number.parse::<f64>().is_ok()) =>
        {
            head.to_string()
        }
        _ => line.to_string(),
    }
}

/// `text` with every duration (`0.15s`, a number with a point right before an `s`)
/// shown as `[T]s`, for pinning whole lines that print how long something took.
pub fn redact_durations(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(|c: char| c.is_ascii_digit()) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let number = rest
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(rest.len());
        let is_duration = rest[..number].contains('.') && rest[number..].starts_with('s');
        if is_duration {
            out.push_str("[T]");
        } else {
            out.push_str(&rest[..number]);
        }
        rest = &rest[number..];
    }
    out.push_str(rest);
    out
}

/// `text` with CRLF line ends turned into LF (snapshots hold LF; CRLF is tested apart).
pub fn lf(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// The variable that names run-deploy's seed cache folder.
pub const SEED_CACHE_VARIABLE: &str = "DEPLOY_SEED_CACHE";

/// A seed cache (pip unpacked and compiled for the interpreter PATH gives) built by the
/// run-deploy under test, once per build of it, in cargo's temporary folder. Every test's
/// deploys use it (`DEPLOY_SEED_CACHE`), as every site of a server does after the server's
/// first deploy: building it takes about 2 s of CPU, and the suite deploys cold a hundred
/// times. An interpreter it has no entry for gets one built there, by whichever test
/// process comes first, the others waiting on its lock. The cache's own tests
/// (venv_seeding) start cold, in their state folder ([`Test::cold_seed_cache`]). `None`
/// when it cannot be built; the tests then build their own.
fn warm_seed_cache() -> Option<&'static Path> {
    static CACHE: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    CACHE.get_or_init(build_seed_cache).as_deref()
}

fn build_seed_cache() -> Option<PathBuf> {
    let binary = std::fs::metadata(run_deploy_exe()).ok()?;
    let built = binary
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    let shared = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let cache = shared.join(format!("seed-cache-{}-{}", binary.len(), built.as_nanos()));
    if cache.join(".complete").is_file() {
        return Some(cache);
    }
    std::fs::create_dir_all(shared).ok()?;
    let dir = TempDir::new_in(shared).ok()?;
    let mut test = Test::with_folders("app", "site");
    test.cold_seeds = true;
    test.state = dir.path().join("state");
    test.write_script("deploy.cmd", "PYTHON SELECT\r\nVENV ENSURE\r\n");
    if test.run().code != 0 {
        return None;
    }
    let seeds = test.state.join("seeds");
    std::fs::write(seeds.join(".complete"), "").ok()?;
    // Another test process may have won the race; either copy is whole.
    match std::fs::rename(&seeds, &cache) {
        Ok(()) => Some(cache),
        Err(_) => cache.join(".complete").is_file().then_some(cache),
    }
}

/// The run-deploy binary under test.
pub fn run_deploy_exe() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_run-deploy"))
}

/// The repository's own folder.
pub fn repo_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Where the fixture apps live.
pub fn fixtures_dir() -> PathBuf {
    repo_dir().join("tests/fixtures/apps")
}

/// Where the samples live.
pub fn samples_dir() -> PathBuf {
    repo_dir().join("samples")
}

/// Writes a file (and its folders).
pub fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The text of `rel` in `dir`.
#[track_caller]
pub fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|error| panic!("read {rel}: {error}"))
}

/// Copies the folders and files under `from` into `to` (these apps hold no links).
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk the app");
        let destination = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&destination).expect("create a folder");
        } else {
            std::fs::copy(entry.path(), &destination).expect("copy a file");
        }
    }
}

/// The names in a folder, sorted, hidden ones left out (none when it is missing).
pub fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|name| !name.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Every file and link under `root` (`__pycache__` left out), relative, sorted.
pub fn files_under(root: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|entry| entry.file_name() != "__pycache__")
        .flatten()
        .filter(|entry| !entry.file_type().is_dir())
        .map(|entry| {
            entry
                .path()
                .strip_prefix(root)
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    files.sort();
    files
}

/// The site env's python exited with an error; what it printed on stderr.
#[derive(Debug, PartialEq, Eq)]
pub struct PythonFailed {
    /// Its stderr, whole.
    pub stderr: String,
}
