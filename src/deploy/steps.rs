//! The runner of the deploy directives, as the interpreter meets them. For every
//! directive it parses the words, makes the plan (see `crate::directives`), and then, in
//! the one place that tells a dry run from a real run ([`Mode`]), either applies the plan
//! or lets the site view absorb it. The step line, the `--json` events and the summary
//! are all rendered from the plan and its outcome, so they cannot disagree.

use super::transaction::Transaction;
use crate::commands::args::{ignores_errors, parse_directive};
use crate::directives::{
    self, planned_detail, Applied, Applying, Plan, Planning, Session, SiteView,
};
use crate::error::{RuntimeError, RuntimeErrorKind};
use crate::interpreter::{DirectiveContext, DirectiveRunner};
use crate::report::event::{Decision, Event, Level, Outcome, Summary};
use crate::report::reporter::SharedReporter;
use crate::state::{Deployment, StateDir};
use crate::syntax::ast::DirectiveKind;
use anyhow::anyhow;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Instant;

/// Whether plans are carried out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A real run: every plan is applied.
    Apply,
    /// `--dry-run`: every plan is reported, and the site view holds what it would change.
    Plan,
}

/// What the directives need from the deploy around them.
pub struct StepsConfig {
    /// Apply the plans, or only report them.
    pub mode: Mode,
    /// `--reset-env` or `DEPLOY_RESET_ENV`: why every VENV ENSURE rebuilds.
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
    view: SiteView,
    session: Session,
    summary: Rc<RefCell<Summary>>,
    /// The first step that failed with nothing in the script to handle it.
    unhandled: Option<RuntimeError>,
}

/// What a step ended with, for its line.
struct StepEnd {
    outcome: Outcome,
    detail: String,
    decision: Option<Decision>,
    reason: Option<String>,
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
            view: SiteView::new(),
            session: Session::default(),
            summary,
            unhandled: None,
        }
    }

    /// Plans the directive, then applies the plan or lets the view absorb it.
    fn run_step(
        &mut self,
        kind: DirectiveKind,
        words: Vec<String>,
        context: &mut DirectiveContext,
        location: &str,
        end: &mut StepEnd,
    ) -> anyhow::Result<()> {
        let args = parse_directive(kind, &words).map_err(|message| anyhow!(message))?;
        let plan = directives::plan(
            args,
            &Planning {
                context,
                view: &self.view,
                state: self.state.as_ref(),
                session: &self.session,
                reset_env: self.config.reset_env.as_deref(),
                location,
            },
        )?;
        end.decision = Some(plan.decision());
        end.reason = Some(plan.reason());
        for note in plan.notes() {
            self.reporter.message(Level::Info, note);
        }
        for line in plan.details() {
            self.reporter.message(Level::Detail, line);
        }
        plan.follow(&mut self.session, context);
        match self.config.mode {
            Mode::Plan => {
                plan.absorb(&mut self.view);
                end.outcome = Outcome::Planned;
                end.detail = planned_detail(&*plan);
            }
            Mode::Apply => {
                let decision = plan.decision();
                let reason = plan.reason();
                let mut applied = self.apply(plan)?;
                self.record(decision, &reason, &mut applied);
                end.outcome = applied.outcome;
                end.detail = applied.detail;
            }
        }
        Ok(())
    }

    /// The first step that failed while neither `/IGNOREERRORS` nor a `||` on its line
    /// handled the failure: it fails the deploy whatever the script's exit code.
    pub fn unhandled_failure(&self) -> Option<&RuntimeError> {
        self.unhandled.as_ref()
    }

    fn apply(&mut self, plan: Box<dyn Plan>) -> anyhow::Result<Applied> {
        let reporter = self.reporter.clone();
        let transaction = self.transaction.borrow();
        let mut emit = |event: Event| reporter.emit(event);
        let mut env_guards = Vec::new();
        let mut applying = Applying {
            journal: transaction.journal(),
            deployment: self.deployment.as_deref(),
            emit: &mut emit,
            env_guards: &mut env_guards,
        };
        let applied = plan.apply(&mut applying);
        drop(transaction);
        let mut transaction = self.transaction.borrow_mut();
        for guard in env_guards {
            transaction.keep_env_swap(guard);
        }
        applied
    }

    /// Keeps what a carried-out step changed for the summary and for a rollback.
    fn record(&mut self, decision: Decision, reason: &str, applied: &mut Applied) {
        let mut summary = self.summary.borrow_mut();
        summary.files_copied += applied.files_copied;
        summary.files_deleted += applied.files_deleted;
        match decision {
            Decision::Reuse | Decision::UseShipped => {
                summary.environment = Some(format!("reused ({reason})"))
            }
            Decision::Rebuild => summary.environment = Some(format!("rebuilt ({reason})")),
            _ => {}
        }
        drop(summary);
        let mut transaction = self.transaction.borrow_mut();
        if let Some(swap) = applied.env_swap.take() {
            transaction.keep_env_swap(swap);
        }
        if let Some(restore) = applied.restore.take() {
            transaction.keep_file_restore(restore.path, restore.previous);
        }
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
        let mut end = StepEnd {
            outcome: Outcome::Failed,
            detail: String::new(),
            decision: None,
            reason: None,
        };
        let ignore_errors = ignores_errors(kind, &words);
        let result = self.run_step(kind, words, context, &location, &mut end);
        let seconds = started.elapsed().as_secs_f64();
        self.summary.borrow_mut().steps += 1;
        if let Err(error) = &result {
            end.outcome = Outcome::Failed;
            end.detail = format!("{error:#}");
        }
        self.reporter.emit(Event::StepFinished {
            index,
            total,
            step: step.clone(),
            outcome: end.outcome,
            detail: end.detail,
            decision: end.decision,
            reason: end.reason,
            seconds,
        });
        let Err(error) = result else {
            return Ok(0);
        };
        let failed = context.error(
            RuntimeErrorKind::for_directive(kind),
            format!("{} failed: {error:#}", kind.display_name()),
        );
        if ignore_errors {
            self.reporter.emit(Event::runtime_error(
                Level::Warning,
                &failed
                    .with_help("ignored (`/IGNOREERRORS`): ERRORLEVEL is 1 and the deploy goes on"),
            ));
            return Ok(1);
        }
        // Inputs that cannot be read fail the step before any program runs: their message
        // says what to change, and there is no program output to point at.
        let shown = if fails_on_inputs(&error) {
            failed
        } else {
            failed.with_directive_help(kind)
        };
        self.reporter
            .emit(Event::runtime_error(Level::Error, &shown));
        if !context.failure_handled && self.unhandled.is_none() {
            self.unhandled = Some(
                context
                    .error(
                        RuntimeErrorKind::for_directive(kind),
                        format!("the step `{step}` failed and the script went on, so the deploy failed"),
                    )
                    .with_help(format!(
                        "fix the step; to go on after its failure, add `/IGNOREERRORS` to it or handle it on its line: `{} ... || goto error`",
                        kind.display_name()
                    )),
            );
        }
        Ok(1)
    }
}

/// Whether `error` is VENV INSTALL's inputs that cannot be read (no program ran).
fn fails_on_inputs(error: &anyhow::Error) -> bool {
    use crate::python::pip::PipError;
    use crate::python::requirements::InputError;
    error.chain().any(|cause| {
        cause.downcast_ref::<InputError>().is_some()
            || matches!(cause.downcast_ref::<PipError>(), Some(PipError::Inputs(_)))
    })
}
