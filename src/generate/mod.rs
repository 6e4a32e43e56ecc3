//! gen-deploy: look at an app folder, decide what its deploy script needs, render it.
//!
//! The path, in the order the modules are read: [`detect`] (facts from the shared app
//! model [`crate::app`] and gen-deploy's own detectors, into [`app::DetectedApp`]) ->
//! [`decide`] (one decision each, a [`choice::Choice`] with its reason) -> [`context`]
//! (the decisions, into [`context::TemplateContext`]) -> [`directives`] (typed directive
//! arguments, written by [`crate::commands::render`]) -> [`render`] (minijinja,
//! templates/) -> [`write`] (files, with backups).

pub mod app;
pub mod app_dir;
pub mod choice;
pub mod config;
pub mod conflict;
pub mod context;
pub mod decide;
pub mod detect;
pub mod directives;
pub mod explain;
pub mod render;
pub mod write;

use crate::app::deployment_file::DeploymentFile;
use anyhow::Context;
use app::DetectedApp;
use config::{Action, GenConfig};
use context::TemplateContext;
use directives::ScriptDirectives;
use render::Rendered;
use serde::Serialize;
use write::OutputFile;

/// Everything one generation produced: the facts, the decisions and the files.
#[derive(Clone, Debug)]
pub struct Generated {
    /// What was found in the app folder.
    pub detected: DetectedApp,
    /// What was decided, as the templates see it.
    pub context: TemplateContext,
    /// The script's directives, as the typed arguments its lines were written from.
    pub directives: ScriptDirectives,
    /// The rendered script and `.deployment`.
    pub rendered: Rendered,
}

/// Detects, decides and renders, writing nothing. run-deploy uses this, with
/// `GenConfig::new(app_dir)`, to run the default script of an app that has none.
pub fn generate(config: &GenConfig) -> anyhow::Result<Generated> {
    // `.deployment`'s `project` names the folder Kudu deploys: the app lives there, the
    // script and `.deployment` stay in the repository root.
    let deployment = if config.app_dir.is_dir() {
        DeploymentFile::read(&config.app_dir)?
    } else {
        DeploymentFile::default()
    };
    let project_dir = match &deployment.project {
        Some(project) => {
            let folder = config.app_dir.join(crate::compat::slashes(project));
            if !folder.is_dir() {
                anyhow::bail!(
                    "the project folder `{project}` that `.deployment` names is not in `{}`\n  help: fix `project = ...` in `.deployment`, or remove the line when the app is the repository root",
                    config.app_dir.display()
                );
            }
            folder
        }
        None => config.app_dir.clone(),
    };
    let detected = detect::detect(&project_dir)?;
    let context = TemplateContext::build(&detected, config, &project_dir, &deployment)?;
    let directives = ScriptDirectives::build(&context);
    let lines = directives
        .lines()
        .context("cannot write the script's directive lines")?;
    let rendered =
        render::render(&context, &lines, config.style).context("cannot render the templates")?;
    Ok(Generated {
        detected,
        context,
        directives,
        rendered,
    })
}

/// The `--json` document.
#[derive(Serialize)]
struct JsonReport<'a> {
    app_dir: String,
    detectors: Vec<&'static str>,
    style: config::ScriptStyle,
    detected: &'a DetectedApp,
    context: &'a TemplateContext,
}

/// Runs gen-deploy as configured: prints or writes. Returns the exit code (0); errors
/// (no Python app, files that exist without `--force`) come back as `Err`, for exit 1.
pub fn gen_deploy(config: &GenConfig) -> anyhow::Result<i32> {
    let generated = generate(config)?;
    let context = &generated.context;
    match config.action {
        Action::Explain => {
            print!(
                "{}",
                explain::explain(&config.app_dir, &generated.detected, context, config.style)
            );
        }
        Action::Json => {
            let report = JsonReport {
                app_dir: config.app_dir.display().to_string(),
                detectors: detect::detectors()
                    .iter()
                    .map(|detector| detector.name())
                    .collect(),
                style: config.style,
                detected: &generated.detected,
                context,
            };
            println!("{}", serde_json::to_string_pretty(&report)?);
        }
        Action::Stdout => {
            print_warnings(context);
            print!("{}", generated.rendered.script);
        }
        Action::Write { force } => {
            print_warnings(context);
            let files = [
                OutputFile {
                    path: config.script.clone(),
                    content: generated.rendered.script.clone(),
                },
                OutputFile {
                    path: ".deployment".to_string(),
                    content: generated.rendered.deployment.clone(),
                },
            ];
            let written = write::write_files(&config.app_dir, &files, force)?;
            for file in &written {
                println!("wrote {}", file.path);
                if let Some(backup) = &file.backup {
                    println!("  kept the old one as {backup}");
                }
            }
            println!(
                "{} app; Python {} ({}); `gen-deploy --explain` says why",
                context.framework_label, context.python.value, context.python.because
            );
        }
    }
    Ok(0)
}

/// Prints the warnings on stderr, one line each.
fn print_warnings(context: &TemplateContext) {
    for warning in &context.warnings {
        eprintln!("warning: {warning}");
    }
}
