//! The deploy directives as the interpreter runs them: each parses its words, plans
//! without side effects, reports the plan as a step, and (unless this is a dry run)
//! applies it. What a step changes is kept so the deploy can undo it if a later step
//! fails: SYNC's journal, and every environment swapped aside.

use super::shipped_env::{remove_whole_env, whole_env_removals};
use super::transaction::Transaction;
use crate::ast::DirectiveKind;
use crate::compat;
use crate::deployment::{ChangeStatus, Deployment, StateDir};
use crate::directives::args::{
    parse_directive, CollectstaticArgs, DirectiveArgs, PipInstallArgs, RemovalWhen, SyncArgs,
    VenvEnsureArgs, VenvRemoveArgs,
};
use crate::error::{RuntimeError, RuntimeErrorKind};
use crate::interpreter::{DirectiveContext, DirectiveRunner};
use crate::process::{Environment, StreamKind};
use crate::python::discover::Interpreter;
use crate::python::django::{apply_collectstatic, plan_collectstatic, CollectstaticPlan};
use crate::python::env_swap::EnvSwap;
use crate::python::installer::{Installer, InstallerChoice};
use crate::python::pip::{apply_pip, plan_pip, PipPlan, PipRequest};
use crate::python::requirements::InstallInput;
use crate::python::select::select_python;
use crate::python::venv::{apply_venv, plan_venv, RemovalRequest, VenvPlan, VenvRequest};
use crate::report::event::{Event, Level, Outcome, Stream, Summary};
use crate::report::reporter::SharedReporter;
use crate::sync::{self, SyncOptions};
use anyhow::anyhow;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::Instant;

/// What the directives need from the deploy around them.
pub struct StepsConfig {
    /// Only plan: change nothing.
    pub dry_run: bool,
    /// `--reset-env` or `DEPLOY_RESET_ENV=1`: every VENV ENSURE rebuilds.
    pub reset_env: Option<String>,
    /// How many directives the script has (for `[3/5]`).
    pub total: usize,
}

/// Runs the deploy directives for one deploy.
pub struct DeploySteps {
    config: StepsConfig,
    reporter: SharedReporter,
    state: Option<StateDir>,
    deployment: Option<Rc<RefCell<Deployment>>>,
    transaction: Rc<RefCell<Transaction>>,
    index: usize,
    /// `VENV REMOVE` requests, by env folder, waiting for that folder's VENV ENSURE.
    removals: BTreeMap<PathBuf, RemovalRequest>,
    /// The env the last VENV ENSURE made ready, for PIP and DJANGO.
    last_env: Option<PathBuf>,
    /// Envs a dry run planned to rebuild: pip must then plan to install into them, as the
    /// real run (whose fingerprint sees a new env) will.
    planned_rebuilds: Vec<PathBuf>,
    summary: Rc<RefCell<Summary>>,
}

impl DeploySteps {
    /// Directives for a deploy with the given state (none for a plain script run).
    pub fn new(
        config: StepsConfig,
        reporter: SharedReporter,
        state: Option<StateDir>,
        deployment: Option<Rc<RefCell<Deployment>>>,
        transaction: Rc<RefCell<Transaction>>,
        summary: Rc<RefCell<Summary>>,
    ) -> DeploySteps {
        DeploySteps {
            config,
            reporter,
            state,
            deployment,
            transaction,
            index: 0,
            removals: BTreeMap::new(),
            last_env: None,
            planned_rebuilds: Vec::new(),
            summary,
        }
    }

    fn run_step(
        &mut self,
        kind: DirectiveKind,
        words: Vec<String>,
        context: &mut DirectiveContext,
    ) -> anyhow::Result<StepResult> {
        let args = parse_directive(kind, &words).map_err(|message| anyhow!(message))?;
        let location = format!("{}:{}", context.script.display(), context.line);
        match args {
            DirectiveArgs::Sync(args) => self.sync(args, context),
            DirectiveArgs::PythonSelect => self.python_select(context),
            DirectiveArgs::VenvRemove(args) => self.venv_remove(args, &location, context),
            DirectiveArgs::VenvEnsure(args) => self.venv_ensure(args, context),
            DirectiveArgs::PipInstall(args) => self.pip_install(args, context),
            DirectiveArgs::DjangoCollectstatic(args) => self.collectstatic(args, context),
        }
    }

    fn sync(
        &mut self,
        args: SyncArgs,
        context: &mut DirectiveContext,
    ) -> anyhow::Result<StepResult> {
        let source = path_arg(args.source.as_deref(), "DEPLOYMENT_SOURCE", context)?;
        let target = path_arg(args.target.as_deref(), "DEPLOYMENT_TARGET", context)?;
        let mut options = SyncOptions::new(&source, &target);
        options.ignore = args.ignore.clone();
        options.use_manifest = !args.no_manifest;
        options.checksum = args.checksum;
        options.whatif = args.whatif || self.config.dry_run;
        options.quiet = args.quiet;
        let (next, previous) = match &args.manifest {
            Some((next, previous)) => (Some(next.clone()), previous.clone()),
            None => (
                context.get("NEXT_MANIFEST_PATH"),
                context.get("PREVIOUS_MANIFEST_PATH"),
            ),
        };
        if options.use_manifest {
            options.next_manifest = next.map(|p| resolve(&p, context));
            options.previous_manifest = previous.map(|p| resolve(&p, context));
        }
        let mut plan = sync::plan(&options).map_err(|error| anyhow!("{error}"))?;
        let removals = whole_env_removals(&plan.source, &plan.target, &plan.previous, &plan.ignore);
        for removal in &removals {
            self.reporter.message(Level::Info, removal.reason.clone());
        }
        if !removals.is_empty() && !options.whatif {
            for removal in &removals {
                remove_whole_env(removal, self.transaction.borrow().journal())?;
            }
            plan = sync::plan(&options).map_err(|error| anyhow!("{error}"))?;
        }
        if !args.quiet {
            for line in plan.lines() {
                self.reporter.emit(Event::Output {
                    stream: Stream::Stdout,
                    line,
                });
            }
        }
        let counts = format!(
            "{} to copy, {} to delete",
            plan.copies.len(),
            plan.deletes.len()
        );
        if options.whatif {
            return Ok(StepResult::planned(counts));
        }
        let transaction = self.transaction.borrow();
        let outcome =
            sync::apply(&plan, transaction.journal()).map_err(|error| anyhow!("{error}"))?;
        let mut summary = self.summary.borrow_mut();
        summary.files_copied += outcome.copied as u64;
        summary.files_deleted += outcome.files_deleted as u64;
        let detail = format!(
            "{} copied, {} deleted",
            outcome.copied, outcome.files_deleted
        );
        Ok(if plan.is_noop() {
            StepResult::new(Outcome::Skipped, "no change")
        } else {
            StepResult::new(Outcome::Done, detail)
        })
    }

    fn python_select(&mut self, context: &mut DirectiveContext) -> anyhow::Result<StepResult> {
        let app = app_dir(context, "DEPLOYMENT_SOURCE");
        let environment = context.environment();
        let selection = select_python(&app, &environment).map_err(|error| anyhow!("{error}"))?;
        for (name, value) in selection.variables() {
            context.set(name, &value);
        }
        Ok(StepResult::new(Outcome::Done, selection.describe()))
    }

    fn venv_remove(
        &mut self,
        args: VenvRemoveArgs,
        location: &str,
        context: &mut DirectiveContext,
    ) -> anyhow::Result<StepResult> {
        let env_dir = env_dir_arg(args.dir.as_deref(), context)?;
        let reason = match &args.when {
            RemovalWhen::Always => Some(format!("removal forced by VENV REMOVE ({location})")),
            RemovalWhen::Once(token) => {
                let used = match &self.state {
                    Some(state) => state.once_token_used(&env_dir, token)?,
                    None => anyhow::bail!(
                        "`VENV REMOVE /ONCE` needs a deployment to remember its token: run with `--target`"
                    ),
                };
                if used {
                    None
                } else {
                    if let (Some(deployment), false) = (&self.deployment, self.config.dry_run) {
                        deployment.borrow_mut().use_once_token(&env_dir, token)?;
                    }
                    Some(format!(
                        "removal forced by VENV REMOVE /ONCE {token} ({location})"
                    ))
                }
            }
            RemovalWhen::IfChanged(files) => {
                let mut changed = None;
                for file in files {
                    let path = resolve_in(file, &app_dir(context, "DEPLOYMENT_SOURCE"));
                    let status = match (&self.deployment, &self.state) {
                        (Some(deployment), _) if !self.config.dry_run => {
                            deployment.borrow_mut().file_changed_since_last_success(&path)?
                        }
                        (_, Some(state)) => {
                            let source = app_dir(context, "DEPLOYMENT_SOURCE");
                            state.file_changed_since_last_success(&path, &source)?
                        }
                        _ => anyhow::bail!(
                            "`VENV REMOVE /IFCHANGED` needs a deployment to remember file contents: run with `--target`"
                        ),
                    };
                    if matches!(status, ChangeStatus::Changed { .. }) && changed.is_none() {
                        changed = Some(file.clone());
                    }
                }
                changed.map(|file| {
                    format!("removal forced by VENV REMOVE /IFCHANGED: {file} changed since the last successful deploy ({location})")
                })
            }
        };
        Ok(match reason {
            Some(reason) => {
                let detail = reason.clone();
                self.removals.insert(env_dir, RemovalRequest { reason });
                StepResult::new(Outcome::Done, detail)
            }
            None => {
                let why = match &args.when {
                    RemovalWhen::Once(token) => format!("token {token} already used"),
                    _ => "no listed file changed".to_string(),
                };
                StepResult::new(Outcome::Skipped, why)
            }
        })
    }

    fn venv_ensure(
        &mut self,
        args: VenvEnsureArgs,
        context: &mut DirectiveContext,
    ) -> anyhow::Result<StepResult> {
        let env_dir = env_dir_arg(args.dir.as_deref(), context)?;
        let target = context
            .get("DEPLOYMENT_TARGET")
            .map(|t| resolve(&t, context))
            .unwrap_or_else(|| context.cwd.clone());
        let environment = context.environment();
        if !self.config.dry_run {
            if let Some(message) = EnvSwap::recover(&env_dir).map_err(|e| anyhow!(e))? {
                self.reporter.message(Level::Warning, message);
            }
        }
        let interpreter = self.interpreter(context, &environment)?;
        let installer = installer_arg(args.installer.as_deref(), &environment)?;
        let removal = self.removals.remove(&env_dir).or_else(|| {
            self.config
                .reset_env
                .clone()
                .map(|reason| RemovalRequest { reason })
        });
        let shipped = shipped_env(&env_dir, &target, &app_dir(context, "DEPLOYMENT_SOURCE"));
        let request = VenvRequest {
            env_dir: &env_dir,
            target: &target,
            interpreter: &interpreter,
            installer,
            removal,
            shipped,
            environment: &environment,
        };
        let plan = plan_venv(&request);
        self.last_env = Some(env_dir.clone());
        let (outcome, reason) = match &plan {
            VenvPlan::Reuse { reason } => (Outcome::Reused, reason.clone()),
            VenvPlan::Rebuild { reason } => (Outcome::Rebuilt, reason.clone()),
            VenvPlan::UseShipped { reason } => (Outcome::Reused, reason.clone()),
            VenvPlan::Unusable { reason } => anyhow::bail!("{reason}"),
        };
        self.summary.borrow_mut().environment = Some(match outcome {
            Outcome::Rebuilt => format!("rebuilt ({reason})"),
            _ => format!("reused ({reason})"),
        });
        if self.config.dry_run {
            if outcome == Outcome::Rebuilt {
                self.planned_rebuilds.push(env_dir.clone());
            }
            return Ok(StepResult::planned(format!(
                "would be {}: {reason}",
                outcome_verb(outcome)
            )));
        }
        let reporter = self.reporter.clone();
        let applied = apply_venv(&plan, &request, &mut |stream, line| {
            reporter.emit(output_event(stream, line))
        })
        .map_err(|e| anyhow!(e))?;
        if let Some(swap) = applied.swap {
            self.transaction.borrow_mut().keep_env_swap(swap);
        }
        Ok(StepResult::new(outcome, reason))
    }

    fn pip_install(
        &mut self,
        args: PipInstallArgs,
        context: &mut DirectiveContext,
    ) -> anyhow::Result<StepResult> {
        let environment = context.environment();
        let app = app_dir(context, "DEPLOYMENT_TARGET");
        let env_dir = self.current_env(context)?;
        let inputs = InstallInput::parse_args(&args.inputs, &app).map_err(|e| anyhow!(e))?;
        let installer = installer_arg(args.installer.as_deref(), &environment)?;
        let fingerprint_path = match &self.state {
            Some(state) => state
                .fingerprints_dir()
                .join(format!("pip-{}.json", path_key(&env_dir))),
            None => {
                std::env::temp_dir().join(format!("deploy-script-pip-{}.json", path_key(&env_dir)))
            }
        };
        let request = PipRequest {
            env_dir: &env_dir,
            app_dir: &app,
            inputs: &inputs,
            installer,
            sync: args.sync,
            fingerprint_path: &fingerprint_path,
            environment: &environment,
        };
        let mut plan = plan_pip(&request).map_err(|e| anyhow!(e))?;
        if matches!(plan, PipPlan::Skip { .. }) && self.planned_rebuilds.contains(&env_dir) {
            // The real run's fingerprint will see the new env: the same words it uses.
            plan = PipPlan::Install {
                reason: "the env was built since the last install".to_string(),
            };
        }
        let (skip, reason) = match &plan {
            PipPlan::Skip { reason } => (true, reason.clone()),
            PipPlan::Install { reason } => (false, reason.clone()),
        };
        if self.config.dry_run {
            let verb = if skip { "would skip" } else { "would install" };
            return Ok(StepResult::planned(format!("{verb}: {reason}")));
        }
        if skip {
            return Ok(StepResult::new(Outcome::Skipped, reason));
        }
        let reporter = self.reporter.clone();
        let applied = apply_pip(&plan, &request, &mut |stream, line| {
            reporter.emit(output_event(stream, line))
        })
        .map_err(|e| anyhow!(e))?;
        for note in applied.notes {
            self.reporter.message(Level::Info, note);
        }
        let detail = if applied.removed.is_empty() {
            reason
        } else {
            format!("{reason}; removed {}", applied.removed.join(", "))
        };
        Ok(StepResult::new(Outcome::Done, detail))
    }

    fn collectstatic(
        &mut self,
        args: CollectstaticArgs,
        context: &mut DirectiveContext,
    ) -> anyhow::Result<StepResult> {
        let environment = context.environment();
        let app = app_dir(context, "DEPLOYMENT_TARGET");
        let env_dir = self.current_env(context)?;
        let plan = plan_collectstatic(&app, &env_dir, &environment);
        if let CollectstaticPlan::Skip { reason } = &plan {
            return Ok(StepResult::new(Outcome::Skipped, reason.clone()));
        }
        if self.config.dry_run {
            return Ok(StepResult::planned(
                "would run manage.py collectstatic --noinput",
            ));
        }
        let reporter = self.reporter.clone();
        match apply_collectstatic(&plan, &app, &env_dir, &environment, &mut |stream, line| {
            reporter.emit(output_event(stream, line))
        }) {
            Ok(()) => Ok(StepResult::new(Outcome::Done, "static files collected")),
            Err(problem) if args.ignore_errors => {
                self.reporter.message(
                    Level::Warning,
                    format!("{problem} (ignored: /IGNOREERRORS)"),
                );
                Ok(StepResult::new(
                    Outcome::Done,
                    "failed, ignored (/IGNOREERRORS)",
                ))
            }
            Err(problem) => Err(anyhow!(problem)),
        }
    }

    /// The interpreter PYTHON SELECT chose (PYTHON_EXE), else a selection made now.
    fn interpreter(
        &self,
        context: &DirectiveContext,
        environment: &Environment,
    ) -> anyhow::Result<Interpreter> {
        if let Some(exe) = context.get("PYTHON_EXE") {
            // Asked directly (its answer is remembered): searching every interpreter again
            // would cost a process per interpreter on a first deploy.
            let exe = resolve(&exe, context);
            return crate::python::discover::probe(
                &exe,
                crate::python::discover::Origin::Path,
                environment,
            )
            .map_err(|e| anyhow!(e));
        }
        let app = app_dir(context, "DEPLOYMENT_SOURCE");
        Ok(select_python(&app, environment)
            .map_err(|error| anyhow!("{error}"))?
            .interpreter)
    }
}

impl DeploySteps {
    /// The env the last VENV ENSURE made ready, else `%DEPLOYMENT_TARGET%/env`.
    fn current_env(&self, context: &DirectiveContext) -> anyhow::Result<PathBuf> {
        match &self.last_env {
            Some(dir) => Ok(dir.clone()),
            None => env_dir_arg(None, context),
        }
    }
}

/// The installer a `/INSTALLER pip|uv|auto` switch names (default: pip).
fn installer_arg(choice: Option<&str>, environment: &Environment) -> anyhow::Result<Installer> {
    match choice {
        Some(choice) => InstallerChoice::parse(choice)
            .and_then(|choice| choice.resolve(environment))
            .map_err(|e| anyhow!(e)),
        None => Ok(Installer::Pip),
    }
}

impl DirectiveRunner for DeploySteps {
    fn run(
        &mut self,
        kind: DirectiveKind,
        words: Vec<String>,
        context: &mut DirectiveContext,
    ) -> Result<i32, RuntimeError> {
        self.index += 1;
        let index = self.index;
        let total = self.config.total.max(index);
        let step = std::iter::once(kind.display_name().to_string())
            .chain(words.iter().cloned())
            .collect::<Vec<_>>()
            .join(" ");
        let location = format!("{}:{}", context.script.display(), context.line);
        self.reporter.emit(Event::StepStarted {
            index,
            total,
            step: step.clone(),
            location: location.clone(),
        });
        let started = Instant::now();
        let result = self.run_step(kind, words, context);
        let seconds = started.elapsed().as_secs_f64();
        self.summary.borrow_mut().steps += 1;
        match result {
            Ok(result) => {
                self.reporter.emit(Event::StepFinished {
                    index,
                    total,
                    step,
                    outcome: result.outcome,
                    detail: result.detail,
                    seconds,
                });
                Ok(0)
            }
            Err(error) => {
                self.reporter.emit(Event::StepFinished {
                    index,
                    total,
                    step,
                    outcome: Outcome::Failed,
                    detail: format!("{error:#}"),
                    seconds,
                });
                let error = context.error(
                    RuntimeErrorKind::for_directive(kind),
                    format!("{} failed: {error:#}", kind.display_name()),
                );
                self.reporter.emit(Event::runtime_error(
                    Level::Error,
                    &error.with_directive_help(kind),
                ));
                Ok(1)
            }
        }
    }
}

/// What a step did, for its line.
struct StepResult {
    outcome: Outcome,
    detail: String,
}

impl StepResult {
    fn new(outcome: Outcome, detail: impl Into<String>) -> StepResult {
        StepResult {
            outcome,
            detail: detail.into(),
        }
    }

    fn planned(detail: impl Into<String>) -> StepResult {
        StepResult::new(Outcome::Planned, detail)
    }
}

fn outcome_verb(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Rebuilt => "rebuilt",
        _ => "reused",
    }
}

fn output_event(stream: StreamKind, line: &str) -> Event {
    Event::Output {
        stream: match stream {
            StreamKind::Stdout => Stream::Stdout,
            StreamKind::Stderr => Stream::Stderr,
        },
        line: line.to_string(),
    }
}

/// A path word (Windows separators allowed) resolved against the script's current folder.
fn resolve(word: &str, context: &DirectiveContext) -> PathBuf {
    resolve_in(word, &context.cwd)
}

fn resolve_in(word: &str, base: &Path) -> PathBuf {
    compat::resolve_path(word, base, None).unwrap_or_else(|_| base.join(compat::slashes(word)))
}

/// A folder argument, else the variable's value; an error naming both when neither is set.
fn path_arg(
    word: Option<&str>,
    variable: &str,
    context: &DirectiveContext,
) -> anyhow::Result<PathBuf> {
    match word.map(str::to_string).or_else(|| context.get(variable)) {
        Some(value) => Ok(resolve(&value, context)),
        None => anyhow::bail!("no folder given and `%{variable}%` is not set: name the folder, or run with `--target`"),
    }
}

/// The env folder: the argument (relative to the target), else `%DEPLOYMENT_TARGET%/env`.
fn env_dir_arg(word: Option<&str>, context: &DirectiveContext) -> anyhow::Result<PathBuf> {
    let base = app_dir(context, "DEPLOYMENT_TARGET");
    Ok(match word {
        Some(word) => resolve_in(word, &base),
        None => base.join("env"),
    })
}

/// The folder a variable names, else the current folder.
fn app_dir(context: &DirectiveContext, variable: &str) -> PathBuf {
    context
        .get(variable)
        .map(|value| resolve(&value, context))
        .unwrap_or_else(|| context.cwd.clone())
}

/// Whether the repository itself ships the env (its copy in the source has pyvenv.cfg).
fn shipped_env(env_dir: &Path, target: &Path, source: &Path) -> bool {
    env_dir
        .strip_prefix(target)
        .map(|relative| source.join(relative).join("pyvenv.cfg").is_file())
        .unwrap_or(false)
}

/// A short stable key for a path, for file names in the state folder.
fn path_key(path: &Path) -> String {
    let hash = xxhash_rust::xxh3::xxh3_64(path.to_string_lossy().as_bytes());
    format!("{hash:016x}")
}
