//! A deploy from start to end: choose and check the script, take the deployment lock,
//! undo what a killed deploy left half done, set Kudu's variables, run the script with the
//! deploy directives, run the post-deployment actions, then commit everything — or, when
//! anything failed, put the site and its environment back as they were.
//!
//! Without `--target` run-deploy runs the script as `cmd /c` would: no state folder, no
//! lock, nothing to roll back (a DEPLOYMENT_TARGET in the environment is the script's to use).

pub mod hook;
pub mod script_file;
mod steps;
pub mod tools;
mod transaction;

use crate::check::check_source;
use crate::check::command::render_errors;
use crate::compat::{self, AppServiceLayout, AppServicePaths};
use crate::deploy::script_file::{choose_script, DeploymentFile};
use crate::diagnostic::Severity;
use crate::exit_code;
use crate::interpreter::{run_parsed_with, run_text_with, RunOptions};
use crate::process::{variable, Environment, Interrupt, StreamKind};
use crate::report::event::{Event, FinalStatus, Level, Summary, SCHEMA_VERSION};
use crate::report::mask::Masker;
use crate::report::reporter::{Reporter, SharedReporter, View};
use crate::source::Source;
use crate::state::{
    BeginOptions, DeployLock, Deployment, KuduEnv, KuduEnvInputs, LockError, LockHolder,
    PostDeployKind, StateDir, Status,
};
use crate::sync::{Journal, JOURNAL_ENV};
use crate::syntax::ast::{Builtin, CommandKind, Script};
use anyhow::Context;
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;
use std::time::Instant;
use steps::DeploySteps;
pub use steps::{Mode, StepsConfig};
use transaction::Transaction;

/// What `run-deploy` will run: the validated configuration (the command line parsed and
/// checked by the binary).
#[derive(Clone, Debug)]
pub struct DeployConfig {
    /// The repository checkout (DEPLOYMENT_SOURCE); the current folder by default.
    pub source: PathBuf,
    /// The site (DEPLOYMENT_TARGET); none: run the script without a deployment.
    pub target: Option<PathBuf>,
    /// Where the deployment state lives (default: beside the target).
    pub state_dir: Option<PathBuf>,
    /// The script named on the command line.
    pub script: Option<PathBuf>,
    /// `--home`: the folder App Service's `D:\home` stands for (default: derived from the
    /// target, see [`crate::compat::AppServiceLayout`]).
    pub home: Option<PathBuf>,
    /// `%1`, `%2`, ...
    pub args: Vec<String>,
    /// Wait for a running deploy to finish (`--no-wait` turns it off).
    pub wait: bool,
    /// Deployments kept in the state folder.
    pub keep: usize,
    /// `--reset-env`: every VENV ENSURE builds a fresh environment.
    pub reset_env: bool,
    /// `--dry-run`: plan, change nothing.
    pub dry_run: bool,
    /// `--trace`: show each command, expanded, with its `file:line` before it runs.
    pub trace: bool,
    /// How to show the deploy.
    pub view: View,
    /// More variable names whose values are secret (`--mask`).
    pub masks: Vec<String>,
}

/// Runs a deploy (or, without a target, a plain script) and returns run-deploy's exit code.
pub fn run_deploy(config: &DeployConfig) -> anyhow::Result<i32> {
    let started = Instant::now();
    let mut environment = crate::process::current_environment();
    compat::add_windows_variables(&mut environment);
    let checkout = absolute(&config.source)?;
    // Read before the masker is made, so that a secret setting in `.deployment` is masked.
    let deployment = if checkout.is_dir() {
        DeploymentFile::read(&checkout)?
    } else {
        DeploymentFile::default()
    };
    let settings = deployment.apply_settings(&mut environment);
    let masker = Masker::from_env(environment.iter(), &config.masks);
    let reporter = SharedReporter::new(Reporter::new(config.view, masker.clone()));
    if !checkout.is_dir() {
        reporter.message(
            Level::Error,
            format!("the source folder `{}` does not exist", checkout.display()),
        );
        return Ok(exit_code::SCRIPT_NOT_FOUND);
    }
    if !settings.is_empty() {
        reporter.message(
            Level::Info,
            format!(
                "`.deployment` sets {} (a variable of the environment wins)",
                settings.join(", ")
            ),
        );
    }
    let source = match &deployment.project {
        Some(project) => {
            let folder = checkout.join(compat::slashes(project));
            if !folder.is_dir() {
                reporter.message(
                    Level::Error,
                    format!(
                        "the project folder `{project}` that `.deployment` names is not in `{}`",
                        checkout.display()
                    ),
                );
                return Ok(exit_code::SCRIPT_NOT_FOUND);
            }
            folder
        }
        None => checkout.clone(),
    };
    let Some(script) = load_script(
        config,
        &checkout,
        &source,
        &deployment,
        &environment,
        &reporter,
    )?
    else {
        return Ok(exit_code::SCRIPT_NOT_FOUND);
    };
    // A deploy refuses a script its check finds errors in; a plain run, like cmd, runs a
    // script whose lines all parse and meets a bad GOTO only when it gets there.
    let deploying = config.target.is_some();
    let report = check_source(&script.source);
    let refuse: Vec<_> = if deploying {
        report.diagnostics.clone()
    } else {
        crate::syntax::parser::parse(&script.source).diagnostics
    };
    if refuse.iter().any(|d| d.severity == Severity::Error) {
        let rendered = render_errors(&refuse, &script.source);
        reporter.message(
            Level::Error,
            format!(
                "`{}` does not parse; nothing was run:\n{rendered}",
                script.source.path().display()
            ),
        );
        return Ok(exit_code::SCRIPT_INVALID);
    }
    let total = count_directives(&report.script);
    let parsed = RefCell::new(Some(report.script));
    let reset_env = reset_reason(config, &environment);
    let target = config.target.clone();
    let deploy = Deploy {
        config,
        reporter,
        environment,
        masker,
        checkout,
        source,
        script,
        parsed,
        total,
        reset_env,
        started,
    };
    match target {
        Some(target) => deploy.with_target(&absolute(&target)?),
        None => deploy.plain(),
    }
}

/// The script to run and where it came from.
struct LoadedScript {
    source: Source,
    /// `%1`, `%2`, ... the choice gave (`command = deploy.cmd arg`), used when the command
    /// line gives none.
    args: Vec<String>,
    /// `command line`, `.deployment`, `default`, `built-in (gen-deploy)`.
    origin: String,
}

/// The script a deploy runs: chosen in the checkout (`checkout_dir`), or, when there is
/// none, the default script for the app in `source_dir` (the `project` folder).
fn load_script(
    config: &DeployConfig,
    checkout_dir: &Path,
    source_dir: &Path,
    deployment: &DeploymentFile,
    environment: &Environment,
    reporter: &SharedReporter,
) -> anyhow::Result<Option<LoadedScript>> {
    let choice = choose_script(
        config.script.as_deref(),
        checkout_dir,
        variable(environment, "COMMAND").as_deref(),
        deployment,
    );
    if let Some(text) = choice.command_line_script() {
        return Ok(Some(LoadedScript {
            source: Source::from_text(&choice.path, text),
            args: Vec::new(),
            origin: choice.source.to_string(),
        }));
    }
    if choice.path.is_file() {
        let read = Source::read(&choice.path)?;
        let path = seen_from_source(&choice.path, checkout_dir)?;
        return Ok(Some(LoadedScript {
            source: Source::from_text(path, read.text()),
            args: choice.args,
            origin: choice.source.to_string(),
        }));
    }
    if config.script.is_some() || choice.source != "default" {
        reporter.message(
            Level::Error,
            format!(
                "there is no script `{}` (chosen by {}); name one, or run in the folder that holds it",
                choice.path.display(),
                choice.source
            ),
        );
        return Ok(None);
    }
    // No script in the app: run the one gen-deploy would write, from memory.
    let source = default_script(source_dir, choice.path)?;
    reporter.message(
        Level::Info,
        "no deploy.cmd in the source: running the default script (see it with `gen-deploy --stdout`)",
    );
    Ok(Some(LoadedScript {
        source,
        args: Vec::new(),
        origin: "built-in (gen-deploy)".to_string(),
    }))
}

/// The script gen-deploy would write for the app in `source_dir`, kept in memory under
/// `path` (where deploy.cmd would be): what run-deploy runs, and checks, for an app that
/// has no script.
pub fn default_script(source_dir: &Path, path: PathBuf) -> anyhow::Result<Source> {
    let generated = crate::generate::generate(&crate::generate::config::GenConfig::new(source_dir))
        .with_context(|| {
            format!(
                "`{}` has no deploy.cmd and gen-deploy cannot write a default one",
                source_dir.display()
            )
        })?;
    Ok(Source::from_text(path, generated.rendered.script))
}

/// One deploy's inputs, shared by the two ways of running it.
struct Deploy<'a> {
    config: &'a DeployConfig,
    reporter: SharedReporter,
    environment: Environment,
    masker: Masker,
    /// The repository checkout (`--source`): where the script is found and runs, as Kudu
    /// runs its command in the repository.
    checkout: PathBuf,
    /// The folder deployed (DEPLOYMENT_SOURCE): the checkout, or its `project` folder.
    source: PathBuf,
    script: LoadedScript,
    /// What the check parsed of the script: the run uses it instead of parsing again.
    parsed: RefCell<Option<Script>>,
    total: usize,
    reset_env: Option<String>,
    started: Instant,
}

impl Deploy<'_> {
    /// No target: the script runs as `cmd /c` would, its directives without a deployment.
    fn plain(self) -> anyhow::Result<i32> {
        // A plain run is the script's own business: its start and end are shown only as
        // JSON events or with --verbose.
        let framed = !matches!(self.config.view, View::Human(style) if !style.verbose);
        if framed {
            self.announce(None, None);
        }
        let summary = Rc::new(RefCell::new(Summary::default()));
        let transaction = Rc::new(RefCell::new(Transaction::new(None)));
        let mut steps = DeploySteps::new(
            self.steps_config(),
            self.reporter.clone(),
            None,
            None,
            transaction,
            summary.clone(),
        );
        let deployment_target = variable(&self.environment, "DEPLOYMENT_TARGET").map(PathBuf::from);
        let layout =
            AppServiceLayout::for_run(self.config.home.as_deref(), deployment_target.as_deref());
        let code = self.interpret(self.environment.clone(), layout, &mut steps)?;
        if framed {
            self.finish(code, &summary.borrow(), None);
        }
        Ok(code)
    }

    /// A deploy into `target`, with its state folder, lock, record and rollback.
    fn with_target(self, target: &Path) -> anyhow::Result<i32> {
        let state = StateDir::new(target, self.config.state_dir.as_deref())?;
        state.refuse_inside_source(&self.checkout)?;
        // A dry run leaves the state folder as it found it, even a missing one.
        if self.config.dry_run {
            return self.dry_run(state);
        }
        state.create()?;
        crate::python::probe_cache::use_file(&state.python_probes_path());
        let id = state.new_deployment_id()?;
        let lock = match self.lock(&state, &id)? {
            Ok(lock) => lock,
            Err(code) => return Ok(code),
        };
        let deployment = Deployment::begin(
            &state,
            lock,
            BeginOptions {
                source: self.source.clone(),
                script: Some(self.script.source.path().to_path_buf()),
                keep: self.config.keep,
                masker: self.masker.clone(),
            },
        )?;
        self.reporter
            .0
            .borrow_mut()
            .set_log(Box::new(deployment.log_writer()));
        // After the log opens, so the new deployment's log says what was rolled back.
        if let Err(error) = self.recover_unfinished(&state) {
            self.reporter.message(
                Level::Error,
                format!("the last deploy did not finish and rolling it back failed: {error:#}; fix that and run again"),
            );
            deployment.finish(Status::Failed, 1)?;
            return Ok(1);
        }
        let (kudu_sync, select_python) = tools::install_tool_links(&state.root().join("bin"))?;
        let kudu = KuduEnv::prepare(KuduEnvInputs {
            caller: &self.environment,
            source: &self.source,
            state: &state,
            next_manifest: &deployment.next_manifest_path(),
            kudu_sync_cmd: Some(kudu_sync.display().to_string()),
            select_python_cmd: Some(select_python.display().to_string()),
        })?;
        for note in kudu.notes() {
            self.reporter.message(Level::Info, note.clone());
        }
        let mut environment = self.environment.clone();
        kudu.apply(&mut environment);
        let journal = Journal::create(&state.journal_dir()).map_err(|e| anyhow::anyhow!("{e}"))?;
        environment.insert(
            JOURNAL_ENV.to_string(),
            state.journal_dir().display().to_string(),
        );
        self.announce(Some(&self.source), Some(target));

        let summary = Rc::new(RefCell::new(Summary::default()));
        let transaction = Rc::new(RefCell::new(Transaction::new(Some(journal))));
        let deployment = Rc::new(RefCell::new(deployment));
        let mut steps = DeploySteps::new(
            self.steps_config(),
            self.reporter.clone(),
            Some(state.clone()),
            Some(deployment.clone()),
            transaction.clone(),
            summary.clone(),
        );
        let layout =
            AppServiceLayout::for_deploy(target, state.root(), self.config.home.as_deref());
        layout.add_variables(&mut environment);
        let mut code = self.interpret(environment.clone(), layout, &mut steps)?;
        code = self.failed_step_fails(code, &steps);
        drop(steps);
        if code == 0 {
            code = self.post_deploy(&state, &environment)?;
        }
        let site_changed = transaction.borrow().changed();
        let status = if code == 0 {
            // Every successful deploy records the app's install inputs, so that a `VENV
            // REMOVE /IFCHANGED` uncommented in a later deploy compares with this one.
            let inputs = crate::python::requirements::app_install_inputs(&self.source);
            if let Err(error) = deployment.borrow_mut().stage_input_hashes(&inputs) {
                self.reporter.message(
                    Level::Warning,
                    format!("the app's install inputs are not recorded for `VENV REMOVE /IFCHANGED`: {error:#}"),
                );
            }
            for problem in transaction.borrow_mut().commit() {
                self.reporter.message(Level::Warning, problem);
            }
            Status::Succeeded
        } else {
            // The journal also holds this deployment's new manifest, which lives in the
            // state folder, not the site: it is not one of the site's files put back.
            let manifest = deployment.borrow().next_manifest_path();
            let manifest_written = manifest.exists();
            let mut undone = transaction.borrow_mut().rollback();
            if manifest_written && !manifest.exists() {
                undone.files_removed = undone.files_removed.saturating_sub(1);
            }
            self.reporter.message(
                Level::Info,
                format!(
                    "the deploy failed, so the site was put back as it was: {} file(s) restored, {} added file(s) removed, {} environment(s) restored",
                    undone.files_restored, undone.files_removed, undone.envs_restored
                ),
            );
            for problem in undone.problems {
                self.reporter.message(Level::Warning, problem);
            }
            if code == exit_code::INTERRUPTED_SIGINT || code == exit_code::INTERRUPTED_SIGTERM {
                Status::Interrupted
            } else {
                Status::Failed
            }
        };
        let mut deployment = Rc::try_unwrap(deployment)
            .map_err(|_| anyhow::anyhow!("the deployment record is still in use"))?
            .into_inner();
        if site_changed {
            deployment.note_site_changed();
        }
        let id = deployment.id().to_string();
        if let Err(error) = kudu.remove_temp() {
            self.reporter.message(Level::Warning, format!("{error:#}"));
        }
        self.finish(code, &summary.borrow(), Some(&id));
        deployment.finish(status, code)?;
        Ok(code)
    }

    /// `--dry-run` with a target: the directives plan and report, nothing changes.
    fn dry_run(self, state: StateDir) -> anyhow::Result<i32> {
        self.announce(Some(&self.source), Some(state.target()));
        let mut environment = self.environment.clone();
        environment
            .entry("DEPLOYMENT_SOURCE".into())
            .or_insert_with(|| self.source.display().to_string());
        environment
            .entry("DEPLOYMENT_TARGET".into())
            .or_insert_with(|| state.target().display().to_string());
        if let Ok(previous) = state.previous_manifest_path() {
            environment
                .entry("PREVIOUS_MANIFEST_PATH".into())
                .or_insert_with(|| previous.display().to_string());
        }
        // Kudu-style scripts call these; a dry run reports the calls, so it names the
        // commands a real run would run (the links themselves are made by real runs).
        let bin = state.root().join("bin");
        for (variable, name) in [
            ("KUDU_SYNC_CMD", tools::KUDU_SYNC_NAME),
            ("KUDU_SELECT_PYTHON_VERSION_CMD", tools::SELECT_PYTHON_NAME),
        ] {
            environment
                .entry(variable.into())
                .or_insert_with(|| bin.join(name).display().to_string());
        }
        let layout =
            AppServiceLayout::for_deploy(state.target(), state.root(), self.config.home.as_deref());
        layout.add_variables(&mut environment);
        let summary = Rc::new(RefCell::new(Summary::default()));
        let transaction = Rc::new(RefCell::new(Transaction::new(None)));
        let mut steps = DeploySteps::new(
            self.steps_config(),
            self.reporter.clone(),
            Some(state),
            None,
            transaction,
            summary.clone(),
        );
        let code = self.interpret(environment, layout, &mut steps)?;
        let code = self.failed_step_fails(code, &steps);
        self.finish(code, &summary.borrow(), None);
        Ok(code)
    }

    /// A deploy whose script went on after a failed step and ended with 0 failed all the
    /// same: says which step, where, and how to opt out; returns the deploy's exit code.
    fn failed_step_fails(&self, code: i32, steps: &DeploySteps) -> i32 {
        match steps.unhandled_failure() {
            Some(failure) if code == 0 => {
                self.reporter
                    .emit(Event::runtime_error(Level::Error, failure));
                1
            }
            _ => code,
        }
    }

    fn steps_config(&self) -> StepsConfig {
        StepsConfig {
            mode: if self.config.dry_run {
                Mode::Plan
            } else {
                Mode::Apply
            },
            reset_env: self.reset_env.clone(),
            total: self.total,
        }
    }

    /// Runs the script in `environment`, App Service's paths mapped with `layout`.
    fn interpret(
        &self,
        environment: Environment,
        layout: AppServiceLayout,
        steps: &mut DeploySteps,
    ) -> anyhow::Result<i32> {
        let paths = AppServicePaths::new(layout, environment.clone());
        let options = RunOptions {
            cwd: Some(self.checkout.clone()),
            env: Some(environment.clone()),
            interrupt: Some(Interrupt::from_signals()?),
            windows_python: Some(Arc::new(paths)),
            inherit_stdin: false,
            dry_run: self.config.dry_run,
            trace: self.tracing(&environment),
            ..RunOptions::default()
        };
        let mut output = self.reporter.clone();
        // Named relative to the folder it runs in: `deploy.cmd:12` in messages.
        let path = self.script.source.path();
        let path = path.strip_prefix(&self.checkout).unwrap_or(path);
        let args = if self.config.args.is_empty() {
            &self.script.args
        } else {
            &self.config.args
        };
        let text = self.script.source.text();
        let parsed = self.parsed.take();
        run_parsed_with(path, text, parsed, args, &options, &mut output, steps)
    }

    /// `--trace`, or `SCM_TRACE_LEVEL` 4 or more as Kudu reads it.
    fn tracing(&self, environment: &Environment) -> bool {
        self.config.trace
            || variable(environment, "SCM_TRACE_LEVEL")
                .and_then(|level| level.trim().parse::<u32>().ok())
                .is_some_and(|level| level >= 4)
    }

    /// Takes the deploy lock, waiting for a running deploy unless `--no-wait`.
    fn lock(
        &self,
        state: &StateDir,
        id: &crate::state::DeploymentId,
    ) -> anyhow::Result<Result<DeployLock, i32>> {
        let holder = LockHolder::this_process(id);
        match DeployLock::acquire(state, holder.clone(), false) {
            Ok(lock) => Ok(Ok(lock)),
            Err(LockError::LockHeld { .. }) if self.config.wait => {
                self.reporter.message(
                    Level::Info,
                    "another deploy is running; waiting for it to finish",
                );
                Ok(Ok(DeployLock::acquire(state, holder, true)?))
            }
            Err(error @ LockError::LockHeld { .. }) => {
                self.reporter
                    .message(Level::Error, format!("{error} (--no-wait)"));
                Ok(Err(exit_code::LOCK_HELD))
            }
            Err(error) => Err(error.into()),
        }
    }

    /// A deploy killed while it ran leaves its journal: roll the site back first.
    fn recover_unfinished(&self, state: &StateDir) -> anyhow::Result<()> {
        let waiting = || {
            self.reporter.message(
                Level::Warning,
                "a KuduSync started by the last deploy, which did not finish, is still running; waiting for it to end before rolling back",
            )
        };
        Journal::wait_for_writers(&state.journal_dir(), waiting)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        if let Some(journal) =
            Journal::open_unfinished(&state.journal_dir()).map_err(|e| anyhow::anyhow!("{e}"))?
        {
            let report = journal.rollback().map_err(|e| anyhow::anyhow!("{e}"))?;
            self.reporter.message(
                Level::Warning,
                format!(
                    "the last deploy did not finish: rolled its changes back first ({} file(s) restored, {} removed)",
                    report.restored, report.removed
                ),
            );
        }
        Ok(())
    }

    /// Runs the state folder's post-deployment actions in name order; the first failure
    /// fails the deploy.
    fn post_deploy(&self, state: &StateDir, environment: &Environment) -> anyhow::Result<i32> {
        let (actions, skipped) = state.post_deploy_actions()?;
        for file in skipped {
            self.reporter.message(
                Level::Warning,
                format!("`{}` {}", file.path.display(), file.reason),
            );
        }
        for action in actions {
            self.reporter.message(
                Level::Info,
                format!("post-deployment action `{}`", action.path.display()),
            );
            let code = match action.kind {
                PostDeployKind::Script => {
                    let mut steps = DeploySteps::new(
                        StepsConfig {
                            mode: Mode::Apply,
                            reset_env: None,
                            total: 0,
                        },
                        self.reporter.clone(),
                        None,
                        None,
                        Rc::new(RefCell::new(Transaction::new(None))),
                        Rc::new(RefCell::new(Summary::default())),
                    );
                    let source = Source::read(&action.path)?;
                    let options = RunOptions {
                        cwd: Some(state.target().to_path_buf()),
                        env: Some(environment.clone()),
                        trace: self.tracing(environment),
                        ..RunOptions::default()
                    };
                    let mut output = self.reporter.clone();
                    run_text_with(
                        &action.path,
                        source.text(),
                        &[],
                        &options,
                        &mut output,
                        &mut steps,
                    )?
                }
                PostDeployKind::Executable => {
                    let reporter = self.reporter.clone();
                    crate::process::Command::new(&action.path, state.target(), environment)
                        .run(&mut |stream, line| {
                            reporter.emit(Event::Output {
                                stream: match stream {
                                    StreamKind::Stdout => crate::report::event::Stream::Stdout,
                                    StreamKind::Stderr => crate::report::event::Stream::Stderr,
                                },
                                line: line.to_string(),
                            })
                        })?
                        .exit_code
                }
            };
            if code != 0 {
                self.reporter.message(
                    Level::Error,
                    format!(
                        "post-deployment action `{}` failed with exit code {code}",
                        action.path.display()
                    ),
                );
                return Ok(code);
            }
        }
        Ok(0)
    }

    fn announce(&self, source: Option<&Path>, target: Option<&Path>) {
        self.reporter.emit(Event::DeployStarted {
            schema: SCHEMA_VERSION,
            id: None,
            script: self.script.source.path().display().to_string(),
            script_source: self.script.origin.clone(),
            source: source.map(|p| p.display().to_string()),
            target: target.map(|p| p.display().to_string()),
            dry_run: self.config.dry_run,
        });
    }

    fn finish(&self, code: i32, summary: &Summary, _id: Option<&str>) {
        let status = if self.config.dry_run {
            FinalStatus::Planned
        } else if code == 0 {
            FinalStatus::Succeeded
        } else if code == exit_code::INTERRUPTED_SIGINT || code == exit_code::INTERRUPTED_SIGTERM {
            FinalStatus::Interrupted
        } else {
            FinalStatus::Failed
        };
        self.reporter.emit(Event::DeployFinished {
            exit_code: code,
            status,
            seconds: self.started.elapsed().as_secs_f64(),
            summary: summary.clone(),
        });
    }
}

/// How many deploy directives the script holds (for `[3/5]` step numbers).
fn count_directives(script: &Script) -> usize {
    let mut count = 0;
    for statement in &script.statements {
        if let crate::syntax::ast::StatementKind::Command(command) = &statement.kind {
            crate::check::each_command_in(command, &mut |command| {
                if let CommandKind::Simple(simple) = &command.kind {
                    if matches!(simple.builtin, Some(Builtin::Directive(_))) {
                        count += 1;
                    }
                }
            });
        }
    }
    count
}

/// Why every VENV ENSURE must rebuild this time, if it must.
fn reset_reason(config: &DeployConfig, environment: &Environment) -> Option<String> {
    if config.reset_env {
        return Some("removal forced by --reset-env".to_string());
    }
    let value = variable(environment, "DEPLOY_RESET_ENV")?;
    matches!(value.as_str(), "1" | "true" | "yes")
        .then(|| format!("removal forced by DEPLOY_RESET_ENV={value}"))
}

/// A script path named relative to run-deploy's own folder, as the script sees it: the
/// script runs in the source folder, so the name is made relative to that (or absolute when
/// the script is elsewhere), and `%~dp0` and locations in messages point at the real file.
fn seen_from_source(script: &Path, source: &Path) -> anyhow::Result<PathBuf> {
    if script.is_absolute() {
        return Ok(script.to_path_buf());
    }
    let full = absolute(script)?;
    Ok(full
        .strip_prefix(source)
        .map(Path::to_path_buf)
        .unwrap_or(full))
}

fn absolute(path: &Path) -> anyhow::Result<PathBuf> {
    if path.is_absolute() {
        Ok(path.to_path_buf())
    } else {
        Ok(std::env::current_dir()?.join(path))
    }
}
