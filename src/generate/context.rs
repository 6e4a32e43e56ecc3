//! The template context: what the templates render, decided from the detected facts and
//! the run's options. Every decision carries the reason shown by `--explain`.

use crate::app::deployment_file::DeploymentFile;
use crate::generate::app::{DetectedApp, Framework};
use crate::generate::config::{GenConfig, Installer};
use crate::generate::conflict::PackageConflict;
use crate::generate::decide;
use serde::Serialize;
use std::path::Path;

pub use crate::generate::choice::Choice;
pub use crate::generate::decide::InstallTarget;

/// Everything the templates render. Plain, serialisable data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TemplateContext {
    /// The app's name (pyproject's `name`, else the folder's name).
    pub app_name: String,
    /// The script's path relative to the app, Windows-style (`deploy.cmd`).
    pub script_name: String,
    /// What `SYNC` (and KuduSync) must not copy, `;`-separated globs.
    pub sync_ignore: String,
    /// The framework the script is written for.
    pub framework: Choice<Framework>,
    /// The framework's name for people (`Django`, `Flask`, `FastAPI`, `Python`).
    pub framework_label: String,
    /// The app object a server would serve (`app:app`), when one was found.
    pub app_object: Option<String>,
    /// The Python version the deploy will use (`3.11`, `>=3.11`, `newest installed`).
    pub python: Choice<String>,
    /// A version the script itself sets in `PYTHON_VERSION` (`--python`, or a version only
    /// a `Pipfile` names, which `PYTHON SELECT` does not read).
    pub pin_python: Option<String>,
    /// The installer.
    pub installer: Choice<Installer>,
    /// `/INSTALLER` for `VENV ENSURE` (`uv`), when not the default.
    pub venv_installer: Option<String>,
    /// `/INSTALLER` for `VENV INSTALL` (`uv`, `auto`), when not the default.
    pub pip_installer: Option<String>,
    /// What to install; `None` when the app lists no packages.
    pub install: Option<Choice<InstallTarget>>,
    /// The files `VENV REMOVE /IFCHANGED` watches, space-separated.
    pub ifchanged: String,
    /// Whether the script runs `DJANGO COLLECTSTATIC`.
    pub collectstatic: bool,
    /// Whether the script copies `web.<version>.config` over `web.config`, as Kudu does.
    pub web_config_variants: bool,
    /// The example token of the commented-out `VENV REMOVE /ONCE` line (today's date).
    pub once_token: String,
    /// A virtual environment the repository ships at `env`, which VENV ENSURE will use.
    pub shipped_env: Option<String>,
    /// `.deployment`'s `project`: the app's folder in the repository, kept when
    /// `.deployment` is written again.
    pub project: Option<String>,
    /// `.deployment`'s other settings, kept when it is written again.
    pub deployment_settings: Vec<(String, String)>,
    /// Things the user should fix or know, one line each.
    pub warnings: Vec<String>,
    /// What was noticed that needs no action, one line each.
    pub notes: Vec<String>,
}

impl TemplateContext {
    /// Decides everything the script needs from what was detected and the run's options.
    /// `project_dir` is the folder the app was detected in (the app folder, or the
    /// `project` folder `deployment` names).
    pub fn build(
        app: &DetectedApp,
        config: &GenConfig,
        project_dir: &Path,
        deployment: &DeploymentFile,
    ) -> Result<TemplateContext, PackageConflict> {
        let mut said = decide::Said::default();
        let framework = decide::framework(app, config.framework, &mut said);
        let decide::PackageDecision { install, installer } =
            decide::packages(app, config.installer, &mut said)?;
        let python = decide::python(app, config.python.as_deref(), install.as_ref(), &mut said);
        let (sync_ignore, shipped_env) = decide::shipped_envs(app, &config.script, &mut said);
        decide::site_notes(app, framework.value, &mut said);
        let ifchanged = install
            .as_ref()
            .map(|target| target.value.inputs.join(" "))
            .unwrap_or_else(|| "requirements.txt".to_string());
        let app_object = match framework.value {
            Framework::Flask => app.flask.as_ref(),
            Framework::Fastapi => app.fastapi.as_ref(),
            _ => None,
        }
        .map(|fact| format!("{}:{}", fact.value.module, fact.value.variable));
        let folder_name = project_dir
            .canonicalize()
            .ok()
            .and_then(|dir| {
                dir.file_name()
                    .map(|name| name.to_string_lossy().into_owned())
            })
            .unwrap_or_else(|| "app".to_string());
        Ok(TemplateContext {
            app_name: app
                .pyproject
                .as_ref()
                .and_then(|fact| fact.value.name.clone())
                .unwrap_or(folder_name),
            script_name: config.script.replace('/', "\\"),
            sync_ignore,
            framework_label: decide::framework_label(framework.value).to_string(),
            // Django found only among the dependencies has no manage.py to run.
            collectstatic: framework.value == Framework::Django
                && (app.django.is_some() || config.framework == Some(Framework::Django)),
            framework,
            app_object,
            pin_python: python.pin,
            python: python.choice,
            venv_installer: (installer.value == Installer::Uv).then(|| "uv".to_string()),
            pip_installer: match installer.value {
                Installer::Pip | Installer::Poetry | Installer::Pipenv => None,
                Installer::Uv => Some("uv".to_string()),
                Installer::Auto => Some("auto".to_string()),
            },
            installer,
            install,
            ifchanged,
            web_config_variants: !app.web_config_variants.is_empty(),
            once_token: format!("{}", config.today),
            shipped_env,
            project: deployment.project.clone(),
            deployment_settings: deployment.settings.clone(),
            warnings: said.warnings,
            notes: said.notes,
        })
    }
}
