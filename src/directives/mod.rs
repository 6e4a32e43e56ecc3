//! The deploy directives: SYNC, PYTHON SELECT, VENV REMOVE / ENSURE, VENV INSTALL and
//! DJANGO COLLECTSTATIC, one module each. Every directive goes the same way: its words are
//! parsed into typed arguments ([`args`]), a plan decides without side effects what it will
//! do and why (reading the site through a [`SiteView`]), and the plan is either applied
//! (a real run) or absorbed into the view (a dry run). The runner in `crate::deploy`
//! decides which, in one place.

mod django_collectstatic;
mod paths;
mod python_select;
mod shipped_env;
pub mod site_view;
mod sync;
mod venv_ensure;
mod venv_install;
mod venv_remove;

use crate::commands::args::DirectiveArgs;
use crate::interpreter::DirectiveContext;
use crate::python::env_swap::EnvSwap;
use crate::python::venv::RemovalRequest;
use crate::report::event::{Decision, Event, Outcome};
use crate::state::{Deployment, StateDir};
use crate::sync::Journal;
pub use site_view::SiteView;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// What a plan reads: the script's variables, the site (through the view), the state
/// folder, and what earlier steps of this deploy told later ones.
pub struct Planning<'a, 'c> {
    /// The running script's variables and folder.
    pub context: &'a DirectiveContext<'c>,
    /// The site as this plan must see it.
    pub view: &'a SiteView,
    /// The deployment's state folder (none for a plain script run).
    pub state: Option<&'a StateDir>,
    /// What earlier steps decided for later ones.
    pub session: &'a Session,
    /// Why every VENV ENSURE must rebuild (`--reset-env`, `DEPLOY_RESET_ENV`), if it must.
    pub reset_env: Option<&'a str>,
    /// `file:line` of the directive.
    pub location: &'a str,
}

impl Planning<'_, '_> {
    /// The env the install and framework steps work in: the one the last VENV ENSURE made
    /// ready, else `%DEPLOYMENT_TARGET%/env`.
    pub fn current_env(&self) -> std::path::PathBuf {
        match &self.session.last_env {
            Some(dir) => dir.clone(),
            None => paths::env_dir_arg(None, self.context),
        }
    }
}

/// What steps hand on to later steps, in a dry run and a real run alike.
#[derive(Debug, Default)]
pub struct Session {
    /// `VENV REMOVE` requests, by env folder, waiting for that folder's VENV ENSURE.
    pub removals: BTreeMap<PathBuf, RemovalRequest>,
    /// The env the last VENV ENSURE made ready, for VENV INSTALL and DJANGO.
    pub last_env: Option<PathBuf>,
}

/// What applying a plan may use: the undo journal, the deployment record, and a sink for
/// the events it produces (program output, warnings).
pub struct Applying<'a> {
    /// SYNC's journal (none: changes are not journalled).
    pub journal: Option<&'a Journal>,
    /// The running deployment, where tokens and input hashes are staged.
    pub deployment: Option<&'a RefCell<Deployment>>,
    /// Output lines and messages of the step.
    pub emit: &'a mut dyn FnMut(Event),
    /// Copies of envs the step changes in place ([`EnvSwap::begin_copy`]), handed to the
    /// deploy's transaction whether the step then succeeds or fails: put back if the
    /// deploy fails, deleted if it succeeds.
    pub env_guards: &'a mut Vec<EnvSwap>,
}

/// A file a step replaced that a rollback must put back (its old bytes; none: it did not
/// exist).
#[derive(Debug)]
pub struct FileRestore {
    /// The file.
    pub path: PathBuf,
    /// Its content before the step, if it existed.
    pub previous: Option<Vec<u8>>,
}

/// What applying a plan did.
#[derive(Debug)]
pub struct Applied {
    /// The step's outcome.
    pub outcome: Outcome,
    /// One line for the step's report: `1 copied, 0 deleted`, the plan's reason, ...
    pub detail: String,
    /// Files SYNC copied and deleted, for the summary.
    pub files_copied: u64,
    /// Files SYNC deleted.
    pub files_deleted: u64,
    /// An env moved aside for a rebuild: the deploy commits or rolls it back.
    pub env_swap: Option<EnvSwap>,
    /// A state file written that a rollback must restore.
    pub restore: Option<FileRestore>,
}

impl Applied {
    /// The outcome the plan's decision maps to, with `detail`.
    pub fn as_decided(plan: &dyn Plan, detail: impl Into<String>) -> Applied {
        Applied {
            outcome: plan.decision().applied(),
            detail: detail.into(),
            files_copied: 0,
            files_deleted: 0,
            env_swap: None,
            restore: None,
        }
    }
}

/// A directive's decision, made without side effects, and how to carry it out.
pub trait Plan {
    /// What was decided.
    fn decision(&self) -> Decision;

    /// Why, in one line; the same in a dry run and in the real run.
    fn reason(&self) -> String;

    /// Per-item lines (each file SYNC copies): a verbose view, on stderr.
    fn details(&self) -> Vec<String> {
        Vec::new()
    }

    /// Messages about the plan (why an env goes whole), shown in both runs.
    fn notes(&self) -> Vec<String> {
        Vec::new()
    }

    /// What later steps learn from this plan, in both runs: variables PYTHON SELECT sets,
    /// the env VENV ENSURE made ready, a removal VENV REMOVE asks for.
    fn follow(&self, _session: &mut Session, _context: &mut DirectiveContext) {}

    /// A dry run: let the view hold what applying would change in the site.
    fn absorb(&self, _view: &mut SiteView) {}

    /// A real run: carry the plan out.
    fn apply(self: Box<Self>, applying: &mut Applying) -> anyhow::Result<Applied>;
}

/// Plans the directive `args` from what `planning` shows.
pub fn plan(args: DirectiveArgs, planning: &Planning) -> anyhow::Result<Box<dyn Plan>> {
    Ok(match args {
        DirectiveArgs::Sync(args) => Box::new(sync::plan(&args, planning)?),
        DirectiveArgs::PythonSelect => Box::new(python_select::plan(planning)?),
        DirectiveArgs::VenvRemove(args) => Box::new(venv_remove::plan(&args, planning)?),
        DirectiveArgs::VenvEnsure(args) => Box::new(venv_ensure::plan(&args, planning)?),
        DirectiveArgs::VenvInstall(args) => Box::new(venv_install::plan(&args, planning)?),
        DirectiveArgs::DjangoCollectstatic(args) => {
            Box::new(django_collectstatic::plan(&args, planning)?)
        }
    })
}

/// The dry run's line for a plan: `would install: requirements.txt changed`, or for SYNC
/// its counts (`1 to copy, 0 to delete`).
pub fn planned_detail(plan: &dyn Plan) -> String {
    match plan.decision() {
        Decision::Copy | Decision::NoChange => plan.reason(),
        decision => format!("{}: {}", decision.would(), plan.reason()),
    }
}
