//! `VENV INSTALL [-r file | .]... [/INSTALLER pip|uv|auto] [/SYNC]`: install into the env
//! the last VENV ENSURE made ready, skipped when the fingerprint of what would be installed
//! equals the one stored after the last successful install. The fingerprint is made from
//! the site as the view shows it: in a dry run, the requirement files SYNC would copy are
//! read from the source, and an env VENV ENSURE would rebuild counts as a new one.

use super::paths::{app_dir, path_key, resolve};
use super::site_view::Located;
use super::venv_ensure::{installer_arg, output_event};
use super::{Applied, Applying, FileRestore, Plan, Planning, SiteView};
use crate::commands::args::VenvInstallArgs;
use crate::process::Environment;
use crate::python::discover::{probe, Origin};
use crate::python::env_swap::{aside_path, is_venv, EnvSwap};
use crate::python::fingerprint::{env_identity, planned_env_identity, PipFingerprint};
use crate::python::installer::Installer;
use crate::python::lock_install::{plan_lock_install, LockInstallPlan};
use crate::python::marker::EnvMarker;
use crate::python::marker_environment::MarkerEnvironment;
use crate::python::pip::{apply_pip, installs_project, plan_pip_from, PipPlan, PipRequest};
use crate::python::requirements::{input_files, InstallInput, PROJECT_DECLARATIONS};
use crate::report::event::{Decision, Event, Level};
use anyhow::{anyhow, Context};
use std::path::{Path, PathBuf};

/// The install's plan and what applying it needs.
pub struct VenvInstallStep {
    env_dir: PathBuf,
    app: PathBuf,
    inputs: Vec<InstallInput>,
    installer: Installer,
    sync: bool,
    fingerprint_path: PathBuf,
    environment: Environment,
    plan: PipPlan,
    /// With a lock file as the input and something to do: the locked set and the changes.
    lock: Option<LockInstallPlan>,
    /// The deploy's target, when the env is one this deploy did not rebuild: the install
    /// changes it in place, so a copy waits aside until the deploy ends
    /// ([`EnvSwap::begin_copy`]). `None` for a rebuilt env (the old one already waits
    /// aside) and without a target (a plain script run).
    guard_in: Option<PathBuf>,
}

/// Decides whether to install.
pub fn plan(args: &VenvInstallArgs, planning: &Planning) -> anyhow::Result<VenvInstallStep> {
    let context = planning.context;
    let environment = context.environment();
    let app = app_dir(context, "DEPLOYMENT_TARGET");
    let env_dir = planning.current_env();
    let inputs = InstallInput::parse_args(&args.inputs, &app).map_err(|e| anyhow!(e))?;
    let installer = installer_arg(args.installer.as_deref(), &environment)?;
    let fingerprint_path = match planning.state {
        Some(state) => state
            .fingerprints_dir()
            .join(format!("pip-{}.json", path_key(&env_dir))),
        None => std::env::temp_dir().join(format!("deploy-script-pip-{}.json", path_key(&env_dir))),
    };
    let now = fingerprint(planning.view, &env_dir, &app, &inputs, installer, args.sync)?;
    let plan = plan_pip_from(now, &fingerprint_path);
    let guard_in = context
        .get("DEPLOYMENT_TARGET")
        .filter(|_| !planning.view.env_rebuilt(&env_dir))
        .map(|target| resolve(&target, context));
    let lock = match (&plan, inputs.as_slice()) {
        (PipPlan::Install { .. }, [InstallInput::Lock { kind, dir }]) => {
            let env_read =
                (!planning.view.env_rebuilt(&env_dir)).then(|| planning.view.locate_dir(&env_dir));
            let read_dir = project_dir_of(planning.view, dir, kind.lock_file());
            let markers = target_markers(planning, env_read.as_deref(), &environment);
            Some(plan_lock_install(
                *kind,
                &read_dir,
                env_read.as_deref(),
                markers.as_ref(),
                &environment,
            )?)
        }
        _ => None,
    };
    Ok(VenvInstallStep {
        env_dir,
        app,
        inputs,
        installer,
        sync: args.sync,
        fingerprint_path,
        environment,
        plan,
        lock,
        guard_in,
    })
}

/// The marker values of the interpreter the env holds (read from its marker) or will be
/// built with (PYTHON SELECT's PYTHON_EXE); `None` when neither is known, and the
/// installer decides each marker alone.
fn target_markers(
    planning: &Planning,
    env_read: Option<&Path>,
    environment: &Environment,
) -> Option<MarkerEnvironment> {
    if let Some(marker) = env_read.and_then(|dir| EnvMarker::read(dir).ok().flatten()) {
        return Some(MarkerEnvironment::of_env(&marker));
    }
    let exe = planning.context.get("PYTHON_EXE")?;
    let exe = resolve(&exe, planning.context);
    probe(&exe, Origin::Path, environment)
        .ok()
        .map(|interpreter| MarkerEnvironment::of_interpreter(&interpreter))
}

/// The fingerprint installing would store, read through the view.
fn fingerprint(
    view: &SiteView,
    env_dir: &Path,
    app: &Path,
    inputs: &[InstallInput],
    installer: Installer,
    sync: bool,
) -> anyhow::Result<PipFingerprint> {
    let env = if view.env_rebuilt(env_dir) {
        planned_env_identity()
    } else {
        env_identity(&view.locate_dir(env_dir)).map_err(|e| anyhow!(e))?
    };
    // Where each input will be read from; nested `-r` lines are followed from there.
    let located: Vec<InstallInput> = inputs
        .iter()
        .map(|input| match input {
            InstallInput::RequirementFile(path) => match view.locate(path) {
                Located::At(at) => InstallInput::RequirementFile(at),
                Located::Gone => InstallInput::RequirementFile(path.clone()),
            },
            InstallInput::Project(dir) => InstallInput::Project(project_dir(view, dir)),
            InstallInput::Lock { kind, dir } => InstallInput::Lock {
                kind: *kind,
                dir: project_dir_of(view, dir, kind.lock_file()),
            },
        })
        .collect();
    let files = input_files(&located).map_err(|e| anyhow!(e))?;
    let mut read = Vec::new();
    for file in files {
        let bytes =
            std::fs::read(&file).with_context(|| format!("cannot read `{}`", file.display()))?;
        let in_site = view.site_path(&file);
        let shown = in_site.strip_prefix(app).unwrap_or(&in_site);
        read.push((shown.display().to_string(), bytes));
    }
    Ok(PipFingerprint::from_parts(
        env,
        installer,
        sync,
        installs_project(inputs),
        read,
    ))
}

/// Where `VENV INSTALL .` will find the file that declares the project (pyproject.toml,
/// else setup.py): the site, or the source when a planned SYNC would copy it.
fn project_dir(view: &SiteView, dir: &Path) -> PathBuf {
    let declaring = PROJECT_DECLARATIONS
        .iter()
        .find(|file| matches!(view.locate(&dir.join(file)), Located::At(at) if at.is_file()))
        .unwrap_or(&PROJECT_DECLARATIONS[0]);
    project_dir_of(view, dir, declaring)
}

/// Where the step will find `file` of the folder `dir`: the site, or the source when a
/// planned SYNC would copy it.
fn project_dir_of(view: &SiteView, dir: &Path, file: &str) -> PathBuf {
    match view.locate(&dir.join(file)) {
        Located::At(at) => at
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or(dir.to_path_buf()),
        Located::Gone => dir.to_path_buf(),
    }
}

impl Plan for VenvInstallStep {
    fn decision(&self) -> Decision {
        match self.plan {
            PipPlan::Skip { .. } => Decision::Skip,
            PipPlan::Install { .. } => Decision::Install,
        }
    }

    fn reason(&self) -> String {
        let reason = match &self.plan {
            PipPlan::Skip { reason } | PipPlan::Install { reason } => reason.clone(),
        };
        match &self.lock {
            Some(lock) => format!("{reason}; {}", lock.summary()),
            None => reason,
        }
    }

    fn apply(self: Box<Self>, applying: &mut Applying) -> anyhow::Result<Applied> {
        if let PipPlan::Skip { .. } = self.plan {
            let reason = self.reason();
            return Ok(Applied::as_decided(&*self, reason));
        }
        match &self.guard_in {
            // An env left aside (by a killed deploy the script never recovered) stays the
            // one to go back to.
            Some(target) if is_venv(&self.env_dir) && !aside_path(&self.env_dir).exists() => {
                let guard = EnvSwap::begin_copy(&self.env_dir, target).map_err(|e| anyhow!(e))?;
                applying.env_guards.push(guard);
            }
            _ => {}
        }
        self.install(applying)
    }
}

impl VenvInstallStep {
    /// Installs (the plan says so).
    fn install(&self, applying: &mut Applying) -> anyhow::Result<Applied> {
        let reason = self.reason();
        let previous = std::fs::read(&self.fingerprint_path).ok();
        if let Some(lock) = &self.lock {
            let requirements = self.fingerprint_path.with_extension("locked.txt");
            let emit = &mut applying.emit;
            lock.apply(
                self.installer,
                &self.env_dir,
                &self.app,
                &self.environment,
                &requirements,
                &mut |stream, line| emit(output_event(stream, line)),
            )?;
        }
        let request = PipRequest {
            env_dir: &self.env_dir,
            app_dir: &self.app,
            inputs: &self.inputs,
            installer: self.installer,
            sync: self.sync,
            fingerprint_path: &self.fingerprint_path,
            environment: &self.environment,
        };
        let emit = &mut applying.emit;
        let done = match &self.lock {
            Some(_) => {
                let fingerprint = request.fingerprint().map_err(|e| anyhow!(e))?;
                fingerprint.write(&self.fingerprint_path).with_context(|| {
                    format!("cannot store `{}`", self.fingerprint_path.display())
                })?;
                Default::default()
            }
            None => apply_pip(&self.plan, &request, &mut |stream, line| {
                emit(output_event(stream, line))
            })
            .map_err(|e| anyhow!(e))?,
        };
        for note in done.notes {
            (applying.emit)(Event::Message {
                level: Level::Info,
                text: note,
                location: None,
                place: None,
            });
        }
        let detail = if done.removed.is_empty() {
            reason
        } else {
            format!(
                "{reason}; removed {}: {}",
                done.removed.len(),
                done.removed.join(", ")
            )
        };
        let mut applied = Applied::as_decided(self, detail);
        applied.restore = Some(FileRestore {
            path: self.fingerprint_path.clone(),
            previous,
        });
        Ok(applied)
    }
}
