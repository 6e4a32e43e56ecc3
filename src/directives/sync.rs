//! `SYNC`: copy the source into the target as KuduSync does. The plan is the sync engine's
//! own plan, plus the envs that must go whole first (see `super::shipped_env`); its
//! counts are what the target will have gone through once those envs are gone.

use super::paths::{path_arg, resolve};
use super::shipped_env::{remove_whole_env, whole_env_removals, WholeEnvRemoval};
use super::{Applied, Applying, Plan, Planning, SiteView};
use crate::commands::args::SyncArgs;
use crate::report::event::{Decision, Outcome};
use crate::sync::{self, SyncOptions, SyncPlan};
use anyhow::anyhow;
use std::path::{Path, PathBuf};

/// What SYNC will do: remove some envs whole, then copy and delete files.
pub struct SyncStep {
    options: SyncOptions,
    /// The engine's plan, made before any env goes.
    plan: SyncPlan,
    /// Envs in the target that go whole before the files are synced.
    removals: Vec<WholeEnvRemoval>,
    /// Files to copy, counting the whole contents of the envs replaced.
    copies: usize,
    /// Entries to delete, not counting those inside the envs that go whole.
    deletes: usize,
}

/// Plans SYNC from its arguments and the script's variables.
pub fn plan(args: &SyncArgs, planning: &Planning) -> anyhow::Result<SyncStep> {
    let context = planning.context;
    let source = path_arg(args.source.as_deref(), "DEPLOYMENT_SOURCE", context)?;
    let target = path_arg(args.target.as_deref(), "DEPLOYMENT_TARGET", context)?;
    let mut options = SyncOptions::new(&source, &target);
    options.ignore = args.ignore.clone();
    options.use_manifest = !args.no_manifest;
    options.checksum = args.checksum;
    options.whatif = args.whatif;
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
    let plan = sync::plan(&options).map_err(|error| anyhow!("{error}"))?;
    let removals = whole_env_removals(&plan.source, &plan.target, &plan.previous, &plan.ignore);
    let gone: Vec<PathBuf> = removals
        .iter()
        .filter_map(|removal| removal.path.strip_prefix(&plan.target).ok())
        .map(Path::to_path_buf)
        .collect();
    let inside_gone = |path: &Path| gone.iter().any(|dir| path.starts_with(dir));
    let copies = plan.copies.iter().filter(|c| !inside_gone(&c.path)).count()
        + gone
            .iter()
            .map(|dir| source_entries(&plan, dir))
            .sum::<usize>();
    let deletes = plan
        .deletes
        .iter()
        .filter(|d| !inside_gone(&d.path))
        .count();
    Ok(SyncStep {
        options,
        plan,
        removals,
        copies,
        deletes,
    })
}

/// The files and symlinks under `dir` in the source that SYNC would copy into a target
/// that lacks `dir`.
fn source_entries(plan: &SyncPlan, dir: &Path) -> usize {
    walkdir::WalkDir::new(plan.source.join(dir))
        .into_iter()
        .flatten()
        .filter(|entry| !entry.file_type().is_dir())
        .filter(|entry| {
            entry
                .path()
                .strip_prefix(&plan.source)
                .is_ok_and(|relative| !plan.ignore.is_ignored(relative))
        })
        .count()
}

impl SyncStep {
    fn replaced_dirs(&self) -> Vec<PathBuf> {
        self.removals
            .iter()
            .filter_map(|removal| removal.path.strip_prefix(&self.plan.target).ok())
            .map(Path::to_path_buf)
            .collect()
    }
}

impl Plan for SyncStep {
    fn decision(&self) -> Decision {
        if self.plan.is_noop() && self.removals.is_empty() {
            Decision::NoChange
        } else {
            Decision::Copy
        }
    }

    fn reason(&self) -> String {
        format!("{} to copy, {} to delete", self.copies, self.deletes)
    }

    fn details(&self) -> Vec<String> {
        if self.options.quiet {
            return Vec::new();
        }
        self.plan.lines()
    }

    fn notes(&self) -> Vec<String> {
        self.removals.iter().map(|r| r.reason.clone()).collect()
    }

    fn absorb(&self, view: &mut SiteView) {
        let copies = self.plan.copies.iter().map(|copy| copy.path.clone());
        let deletes = self
            .plan
            .clear_first
            .iter()
            .chain(&self.plan.deletes)
            .map(|delete| delete.path.clone());
        view.absorb_sync(
            &self.plan.source,
            &self.plan.target,
            copies,
            deletes,
            self.replaced_dirs(),
        );
    }

    fn apply(self: Box<Self>, applying: &mut Applying) -> anyhow::Result<Applied> {
        if self.options.whatif {
            let mut applied = Applied::as_decided(&*self, self.reason());
            applied.outcome = Outcome::Planned;
            return Ok(applied);
        }
        let step = *self;
        let mut plan = step.plan;
        if !step.removals.is_empty() {
            for removal in &step.removals {
                remove_whole_env(removal, applying.journal)?;
            }
            plan = sync::plan(&step.options).map_err(|error| anyhow!("{error}"))?;
        }
        let outcome = sync::apply(&plan, applying.journal).map_err(|error| anyhow!("{error}"))?;
        let (outcome_kind, detail) = if plan.is_noop() {
            (Outcome::Skipped, "no change".to_string())
        } else {
            (
                Outcome::Done,
                format!(
                    "{} copied, {} deleted",
                    outcome.copied, outcome.files_deleted
                ),
            )
        };
        Ok(Applied {
            outcome: outcome_kind,
            detail,
            files_copied: outcome.copied as u64,
            files_deleted: outcome.files_deleted as u64,
            env_swap: None,
            restore: None,
        })
    }
}
