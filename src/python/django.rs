//! `DJANGO COLLECTSTATIC [/IGNOREERRORS]`: runs `manage.py collectstatic --noinput` in the
//! env when manage.py and Django are present, no `.skipDjango` file and no
//! `DISABLE_COLLECTSTATIC` setting say otherwise.

use super::venv::env_python;
use crate::process::{Command, Environment, ProcessError, StreamKind};
use std::fmt;
use std::path::Path;

/// What `DJANGO COLLECTSTATIC` will do, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CollectstaticPlan {
    /// Nothing to do.
    Skip {
        /// Why not.
        reason: String,
    },
    /// Run collectstatic.
    Run {
        /// Why.
        reason: String,
    },
    /// Django is installed in the env but does not import: whether to run cannot be told,
    /// so the step fails with the import's own error instead of skipping.
    Broken {
        /// What `import django` said.
        reason: String,
    },
}

impl fmt::Display for CollectstaticPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CollectstaticPlan::Skip { reason } => write!(f, "skip collectstatic: {reason}"),
            CollectstaticPlan::Run { reason } => write!(f, "run collectstatic: {reason}"),
            CollectstaticPlan::Broken { reason } => write!(f, "cannot tell: {reason}"),
        }
    }
}

/// Decides whether collectstatic runs for the app in `app_dir` with the env `env_dir`;
/// asks the env's python whether Django imports, changes nothing.
pub fn plan_collectstatic(
    app_dir: &Path,
    env_dir: &Path,
    environment: &Environment,
) -> CollectstaticPlan {
    plan_collectstatic_seeing(app_dir, env_dir, environment, &|path| path.exists())
}

/// [`plan_collectstatic`], asking `exists` whether the app's files (manage.py,
/// `.skipDjango`) will be there when the step runs.
pub fn plan_collectstatic_seeing(
    app_dir: &Path,
    env_dir: &Path,
    environment: &Environment,
    exists: &dyn Fn(&Path) -> bool,
) -> CollectstaticPlan {
    let skip = |reason: &str| CollectstaticPlan::Skip {
        reason: reason.to_string(),
    };
    if !exists(&app_dir.join("manage.py")) {
        return skip("no manage.py");
    }
    if exists(&app_dir.join(".skipDjango")) {
        return skip(".skipDjango is present");
    }
    if let Some(value) = environment.get("DISABLE_COLLECTSTATIC") {
        if !matches!(
            value.trim().to_ascii_lowercase().as_str(),
            "" | "0" | "false" | "no" | "off"
        ) {
            return skip("DISABLE_COLLECTSTATIC is set");
        }
    }
    // Exit 3: no django at all (skip); another failure: django is there but broken.
    let mut stderr = Vec::new();
    let imported = Command::new(env_python(env_dir).as_os_str(), app_dir, environment)
        .args([
            "-c",
            "import importlib.util, sys\nif importlib.util.find_spec('django') is None: sys.exit(3)\nimport django",
        ])
        .run(&mut |stream, line| {
            if stream == StreamKind::Stderr {
                stderr.push(line.to_string());
            }
        });
    match imported {
        Ok(finished) if finished.success() => CollectstaticPlan::Run {
            reason: "manage.py and django found".to_string(),
        },
        Ok(finished) if finished.exit_code != 3 => {
            let said = stderr
                .iter()
                .rev()
                .find(|line| !line.trim().is_empty())
                .map(|line| line.trim().to_string())
                .unwrap_or_else(|| format!("exit code {}", finished.exit_code));
            CollectstaticPlan::Broken {
                reason: format!(
                    "django is installed in the env but `import django` fails: {said}; fix the env (a package or Python version Django does not support?) or add `.skipDjango`"
                ),
            }
        }
        _ => skip("django is not installed in the env"),
    }
}

/// Why collectstatic failed.
#[derive(Debug, thiserror::Error)]
pub enum CollectstaticError {
    /// The env's python could not be started.
    #[error("cannot run collectstatic: {0}")]
    Spawn(#[from] ProcessError),
    /// Django is in the env but does not import.
    #[error("{0}")]
    Broken(String),
    /// collectstatic ran and failed.
    #[error("`manage.py collectstatic --noinput` failed with exit code {exit_code}; fix the error above or add `/IGNOREERRORS`")]
    Failed {
        /// Its exit code.
        exit_code: i32,
    },
}

/// Runs `env/bin/python manage.py collectstatic --noinput` in `app_dir` when planned.
/// A failure is an error naming the exit code; the caller decides about `/IGNOREERRORS`.
pub fn apply_collectstatic(
    plan: &CollectstaticPlan,
    app_dir: &Path,
    env_dir: &Path,
    environment: &Environment,
    on_line: &mut dyn FnMut(StreamKind, &str),
) -> Result<(), CollectstaticError> {
    match plan {
        CollectstaticPlan::Skip { .. } => return Ok(()),
        CollectstaticPlan::Broken { reason } => {
            return Err(CollectstaticError::Broken(reason.clone()))
        }
        CollectstaticPlan::Run { .. } => {}
    }
    let command = Command::new(env_python(env_dir).as_os_str(), app_dir, environment).args([
        "manage.py",
        "collectstatic",
        "--noinput",
    ]);
    let finished = command.run(on_line)?;
    if finished.success() {
        Ok(())
    } else {
        Err(CollectstaticError::Failed {
            exit_code: finished.exit_code,
        })
    }
}
