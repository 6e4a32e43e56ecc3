//! `DJANGO COLLECTSTATIC [/IGNOREERRORS]`: run `manage.py collectstatic --noinput` in the
//! env when the app is a Django app. The plan reads manage.py and `.skipDjango` through
//! the view, so a dry run sees the files SYNC would copy.

use super::paths::app_dir;
use super::venv_ensure::output_event;
use super::{Applied, Applying, Plan, Planning};
use crate::commands::args::CollectstaticArgs;
use crate::process::Environment;
use crate::python::django::{apply_collectstatic, plan_collectstatic_seeing, CollectstaticPlan};
use crate::report::event::{Decision, Event, Level};
use anyhow::anyhow;
use std::path::PathBuf;

/// Whether collectstatic runs, and what running it needs.
pub struct CollectstaticStep {
    app: PathBuf,
    env_dir: PathBuf,
    environment: Environment,
    ignore_errors: bool,
    plan: CollectstaticPlan,
}

/// Decides whether collectstatic runs.
pub fn plan(args: &CollectstaticArgs, planning: &Planning) -> anyhow::Result<CollectstaticStep> {
    let context = planning.context;
    let environment = context.environment();
    let app = app_dir(context, "DEPLOYMENT_TARGET");
    let env_dir = planning.current_env();
    let view = planning.view;
    let plan = plan_collectstatic_seeing(&app, &env_dir, &environment, &|path| view.exists(path));
    if let CollectstaticPlan::Broken { reason } = &plan {
        anyhow::bail!("{reason}");
    }
    Ok(CollectstaticStep {
        app,
        env_dir,
        environment,
        ignore_errors: args.ignore_errors,
        plan,
    })
}

impl Plan for CollectstaticStep {
    fn decision(&self) -> Decision {
        match self.plan {
            CollectstaticPlan::Skip { .. } => Decision::Skip,
            CollectstaticPlan::Run { .. } | CollectstaticPlan::Broken { .. } => Decision::Run,
        }
    }

    fn reason(&self) -> String {
        match &self.plan {
            CollectstaticPlan::Skip { reason }
            | CollectstaticPlan::Run { reason }
            | CollectstaticPlan::Broken { reason } => reason.clone(),
        }
    }

    fn apply(self: Box<Self>, applying: &mut Applying) -> anyhow::Result<Applied> {
        if let CollectstaticPlan::Skip { reason } = &self.plan {
            return Ok(Applied::as_decided(&*self, reason.clone()));
        }
        let emit = &mut applying.emit;
        let ran = apply_collectstatic(
            &self.plan,
            &self.app,
            &self.env_dir,
            &self.environment,
            &mut |stream, line| emit(output_event(stream, line)),
        );
        match ran {
            Ok(()) => Ok(Applied::as_decided(&*self, "static files collected")),
            Err(problem) if self.ignore_errors => {
                (applying.emit)(Event::Message {
                    level: Level::Warning,
                    text: format!("{problem} (ignored: /IGNOREERRORS)"),
                    location: None,
                    place: None,
                });
                Ok(Applied::as_decided(
                    &*self,
                    "failed, ignored (/IGNOREERRORS)",
                ))
            }
            Err(problem) => Err(anyhow!(problem)),
        }
    }
}
