//! `VENV ENSURE [dir] [/INSTALLER pip|uv]`: reuse the env when it is compatible, else build
//! it (the old one waits aside until the deploy ends). The plan reads the env as it will
//! be when the step runs: the copy a planned SYNC would bring (a shipped env), or an env a
//! killed deploy left aside (moved back first when applying).

use super::paths::{app_dir, env_dir_arg, resolve};
use super::{Applied, Applying, Plan, Planning, Session, SiteView};
use crate::commands::args::VenvEnsureArgs;
use crate::interpreter::DirectiveContext;
use crate::process::{Environment, StreamKind};
use crate::python::discover::{probe, Interpreter, Origin};
use crate::python::env_swap::{aside_path, EnvSwap};
use crate::python::installer::{Installer, InstallerChoice};
use crate::python::seed_cache::cache_folders;
use crate::python::select::select_python;
use crate::python::venv::{apply_venv, plan_venv_reading, RemovalRequest, VenvPlan, VenvRequest};
use crate::report::event::{Decision, Event, Level, Stream};
use anyhow::anyhow;
use std::path::{Path, PathBuf};

/// The env's plan and everything applying it needs.
pub struct VenvEnsureStep {
    env_dir: PathBuf,
    target: PathBuf,
    interpreter: Interpreter,
    installer: Installer,
    removal: Option<RemovalRequest>,
    shipped: bool,
    environment: Environment,
    seed_cache: Vec<PathBuf>,
    plan: VenvPlan,
}

/// Decides whether to reuse, use the shipped env, or rebuild.
pub fn plan(args: &VenvEnsureArgs, planning: &Planning) -> anyhow::Result<VenvEnsureStep> {
    let context = planning.context;
    let env_dir = env_dir_arg(args.dir.as_deref(), context);
    let target = context
        .get("DEPLOYMENT_TARGET")
        .map(|t| resolve(&t, context))
        .unwrap_or_else(|| context.cwd.clone());
    let environment = context.environment();
    let interpreter = interpreter(context, &environment)?;
    let installer = installer_arg(args.installer.as_deref(), &environment)?;
    let removal = planning
        .session
        .removals
        .get(&env_dir)
        .cloned()
        .or_else(|| {
            planning.reset_env.map(|reason| RemovalRequest {
                reason: reason.to_string(),
            })
        });
    let shipped = shipped_env(&env_dir, &target, &app_dir(context, "DEPLOYMENT_SOURCE"));
    let read_from = env_as_used(&env_dir, planning.view);
    let request = VenvRequest {
        env_dir: &env_dir,
        target: &target,
        interpreter: &interpreter,
        installer,
        removal: removal.clone(),
        shipped,
        environment: &environment,
        seed_cache: &[],
    };
    let plan = plan_venv_reading(&request, &read_from);
    if let VenvPlan::Unusable { reason } = &plan {
        anyhow::bail!("{reason}");
    }
    let seed_cache = cache_folders(
        &environment,
        &context.cwd,
        planning.state.map(|state| state.seeds_dir()),
    );
    Ok(VenvEnsureStep {
        env_dir,
        target,
        interpreter,
        installer,
        removal,
        shipped,
        environment,
        seed_cache,
        plan,
    })
}

/// The folder that will be at `env_dir` when VENV ENSURE runs.
fn env_as_used(env_dir: &Path, view: &SiteView) -> PathBuf {
    let aside = aside_path(env_dir);
    if aside.exists() {
        return aside;
    }
    view.locate_dir(env_dir)
}

/// The interpreter PYTHON SELECT chose (PYTHON_EXE), else a selection made now.
fn interpreter(
    context: &DirectiveContext,
    environment: &Environment,
) -> anyhow::Result<Interpreter> {
    if let Some(exe) = context.get("PYTHON_EXE") {
        // Asked directly (its answer is remembered): searching every interpreter again
        // would cost a process per interpreter on a first deploy.
        let exe = resolve(&exe, context);
        return probe(&exe, Origin::Path, environment).map_err(|e| anyhow!(e));
    }
    let app = app_dir(context, "DEPLOYMENT_SOURCE");
    Ok(select_python(&app, environment)
        .map_err(|error| anyhow!("{error}"))?
        .interpreter)
}

/// The installer a `/INSTALLER pip|uv|auto` switch names (default: pip).
pub fn installer_arg(choice: Option<&str>, environment: &Environment) -> anyhow::Result<Installer> {
    match choice {
        Some(choice) => InstallerChoice::parse(choice)
            .and_then(|choice| choice.resolve(environment))
            .map_err(anyhow::Error::from),
        None => Ok(Installer::Pip),
    }
}

/// Whether the repository itself ships the env (its copy in the source has pyvenv.cfg).
fn shipped_env(env_dir: &Path, target: &Path, source: &Path) -> bool {
    env_dir
        .strip_prefix(target)
        .map(|relative| source.join(relative).join("pyvenv.cfg").is_file())
        .unwrap_or(false)
}

impl Plan for VenvEnsureStep {
    fn decision(&self) -> Decision {
        match self.plan {
            VenvPlan::Reuse { .. } => Decision::Reuse,
            VenvPlan::UseShipped { .. } => Decision::UseShipped,
            VenvPlan::Rebuild { .. } | VenvPlan::Unusable { .. } => Decision::Rebuild,
        }
    }

    fn reason(&self) -> String {
        match &self.plan {
            VenvPlan::Reuse { reason }
            | VenvPlan::UseShipped { reason }
            | VenvPlan::Rebuild { reason }
            | VenvPlan::Unusable { reason } => reason.clone(),
        }
    }

    fn follow(&self, session: &mut Session, _context: &mut DirectiveContext) {
        session.removals.remove(&self.env_dir);
        session.last_env = Some(self.env_dir.clone());
    }

    fn absorb(&self, view: &mut SiteView) {
        if matches!(self.plan, VenvPlan::Rebuild { .. }) {
            view.absorb_rebuild(&self.env_dir);
        }
    }

    fn apply(self: Box<Self>, applying: &mut Applying) -> anyhow::Result<Applied> {
        if let Some(message) = EnvSwap::recover(&self.env_dir).map_err(|e| anyhow!(e))? {
            (applying.emit)(Event::Message {
                level: Level::Warning,
                text: message,
                location: None,
                place: None,
            });
        }
        let request = VenvRequest {
            env_dir: &self.env_dir,
            target: &self.target,
            interpreter: &self.interpreter,
            installer: self.installer,
            removal: self.removal.clone(),
            shipped: self.shipped,
            environment: &self.environment,
            seed_cache: &self.seed_cache,
        };
        let emit = &mut applying.emit;
        let done = apply_venv(&self.plan, &request, &mut |stream, line| {
            emit(output_event(stream, line))
        })
        .map_err(|e| anyhow!(e))?;
        if let Some(seeded) = &done.seeded {
            emit(Event::Message {
                level: Level::Detail,
                text: seeded.to_string(),
                location: None,
                place: None,
            });
        }
        let mut applied = Applied::as_decided(&*self, self.reason());
        applied.env_swap = done.swap;
        Ok(applied)
    }
}

/// A program's output line as an event.
pub fn output_event(stream: StreamKind, line: &str) -> Event {
    Event::Output {
        stream: match stream {
            StreamKind::Stdout => Stream::Stdout,
            StreamKind::Stderr => Stream::Stderr,
        },
        line: line.to_string(),
    }
}
