//! `VENV REMOVE [dir] [/ONCE token | /IFCHANGED file...]`: ask the next VENV ENSURE of that
//! env to build it anew. The plan decides whether the request applies this time (a token
//! not used yet, a file changed since the last successful deploy); applying stages the
//! token or the file hashes in the deployment record, committed only if the deploy
//! succeeds.

use super::paths::{app_dir, env_dir_arg, resolve_in};
use super::{Applied, Applying, Plan, Planning, Session};
use crate::commands::args::{RemovalWhen, VenvRemoveArgs};
use crate::interpreter::DirectiveContext;
use crate::python::venv::RemovalRequest;
use crate::report::event::Decision;
use crate::state::ChangeStatus;
use std::path::PathBuf;

/// Whether the env goes, and what the deployment must remember for it.
pub struct VenvRemoveStep {
    env_dir: PathBuf,
    /// The removal's reason, when it applies this time.
    removal: Option<String>,
    /// Why not, when it does not.
    kept: String,
    /// The `/ONCE` token to stage.
    token: Option<String>,
    /// The `/IFCHANGED` files whose hashes to stage.
    files: Vec<PathBuf>,
}

/// Decides whether the removal applies this time.
pub fn plan(args: &VenvRemoveArgs, planning: &Planning) -> anyhow::Result<VenvRemoveStep> {
    let context = planning.context;
    let location = planning.location;
    let env_dir = env_dir_arg(args.dir.as_deref(), context);
    let mut step = VenvRemoveStep {
        env_dir,
        removal: None,
        kept: String::new(),
        token: None,
        files: Vec::new(),
    };
    match &args.when {
        RemovalWhen::Always => {
            step.removal = Some(format!("removal forced by VENV REMOVE ({location})"));
        }
        RemovalWhen::Once(token) => {
            let Some(state) = planning.state else {
                anyhow::bail!(
                    "`VENV REMOVE /ONCE` needs a deployment to remember its token: run with `--target`"
                );
            };
            if state.once_token_used(&step.env_dir, token)? {
                step.kept = format!("token {token} already used");
            } else {
                step.token = Some(token.clone());
                step.removal = Some(format!(
                    "removal forced by VENV REMOVE /ONCE {token} ({location})"
                ));
            }
        }
        RemovalWhen::IfChanged(files) => {
            let Some(state) = planning.state else {
                anyhow::bail!(
                    "`VENV REMOVE /IFCHANGED` needs a deployment to remember file contents: run with `--target`"
                );
            };
            let source = app_dir(context, "DEPLOYMENT_SOURCE");
            let mut changed = None;
            for file in files {
                let path = resolve_in(file, &source);
                let status = state.file_changed_since_last_success(&path, &source)?;
                if matches!(status, ChangeStatus::Changed { .. }) && changed.is_none() {
                    changed = Some(file.clone());
                }
                step.files.push(path);
            }
            match changed {
                Some(file) => step.removal = Some(format!(
                    "removal forced by VENV REMOVE /IFCHANGED: {file} changed since the last successful deploy ({location})"
                )),
                None => step.kept = "no listed file changed".to_string(),
            }
        }
    }
    Ok(step)
}

impl Plan for VenvRemoveStep {
    fn decision(&self) -> Decision {
        match self.removal {
            Some(_) => Decision::Remove,
            None => Decision::Keep,
        }
    }

    fn reason(&self) -> String {
        self.removal.clone().unwrap_or_else(|| self.kept.clone())
    }

    fn follow(&self, session: &mut Session, _context: &mut DirectiveContext) {
        if let Some(reason) = &self.removal {
            session.removals.insert(
                self.env_dir.clone(),
                RemovalRequest {
                    reason: reason.clone(),
                },
            );
        }
    }

    fn apply(self: Box<Self>, applying: &mut Applying) -> anyhow::Result<Applied> {
        if let Some(deployment) = applying.deployment {
            let mut deployment = deployment.borrow_mut();
            if let Some(token) = &self.token {
                deployment.use_once_token(&self.env_dir, token)?;
            }
            for file in &self.files {
                deployment.file_changed_since_last_success(file)?;
            }
        }
        Ok(Applied::as_decided(&*self, self.reason()))
    }
}
