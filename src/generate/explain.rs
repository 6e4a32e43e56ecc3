//! `--explain`: what was found (file by file) and what was decided (with the reason), as
//! text for people. `--json` prints the same data as JSON.

use crate::generate::app::DetectedApp;
use crate::generate::config::ScriptStyle;
use crate::generate::context::TemplateContext;
use crate::generate::decide::framework_label;
use std::fmt::Write;
use std::path::Path;

/// The `--explain` report.
pub fn explain(
    app_dir: &Path,
    app: &DetectedApp,
    context: &TemplateContext,
    style: ScriptStyle,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "app: {}", app_dir.display());
    out.push_str("\nfound:\n");
    let found = found_lines(app);
    let width = found.iter().map(|(file, _)| file.len()).max().unwrap_or(0);
    for (file, what) in &found {
        let _ = writeln!(out, "  {file:width$}  {what}");
    }
    out.push_str("\ndecided:\n");
    let install = context
        .install
        .as_ref()
        .map(|choice| {
            (
                format!("VENV INSTALL {}", choice.value.args),
                choice.because.clone(),
            )
        })
        .unwrap_or_else(|| ("nothing".to_string(), "no package list".to_string()));
    let style_name = match style {
        ScriptStyle::Directives => "deploy directives",
        ScriptStyle::Kudu => "Kudu-style batch, --kudu",
    };
    let decided = [
        (
            "framework",
            framework_label(context.framework.value).to_string(),
            context.framework.because.clone(),
        ),
        (
            "python",
            context.python.value.clone(),
            context.python.because.clone(),
        ),
        (
            "installer",
            context.installer.value.name().to_string(),
            context.installer.because.clone(),
        ),
        ("install", install.0, install.1),
    ];
    for (what, value, because) in decided {
        let _ = writeln!(out, "  {what:9}  {value} ({because})");
    }
    if let Some(project) = &context.project {
        let _ = writeln!(
            out,
            "  {:9}  {project} (.deployment names it; the app was read there)",
            "project"
        );
    }
    let _ = writeln!(
        out,
        "  {:9}  {} ({style_name}), named by .deployment",
        "script", context.script_name
    );
    for (title, lines) in [("warnings", &context.warnings), ("notes", &context.notes)] {
        if !lines.is_empty() {
            let _ = writeln!(out, "\n{title}:");
            for line in lines {
                let _ = writeln!(out, "  {line}");
            }
        }
    }
    out
}

/// One `(file, what it says)` line per detected fact, in the order of the detectors.
fn found_lines(app: &DetectedApp) -> Vec<(String, String)> {
    let mut lines: Vec<(String, String)> = Vec::new();
    for file in &app.requirements {
        lines.push((file.clone(), "requirement file".to_string()));
    }
    for pin in [&app.runtime_txt, &app.python_version_file]
        .into_iter()
        .flatten()
    {
        lines.push((
            pin.file.clone(),
            format!("Python {} (`{}`)", pin.value.version, pin.value.raw),
        ));
    }
    if let Some(fact) = &app.pyproject {
        let project = &fact.value;
        let mut parts = Vec::new();
        match &project.name {
            Some(name) => parts.push(format!("project `{name}`")),
            None if project.has_project_table => parts.push("a [project] table".to_string()),
            None => parts.push("no [project] table".to_string()),
        }
        if let Some(spec) = &project.requires_python {
            parts.push(format!("requires-python `{spec}`"));
        }
        let count = project.dependencies.len();
        parts.push(format!(
            "{count} dependenc{}",
            if count == 1 { "y" } else { "ies" }
        ));
        if let Some(backend) = &project.build_backend {
            parts.push(format!("build backend `{backend}`"));
        }
        lines.push((fact.file.clone(), parts.join(", ")));
    }
    if let Some(file) = &app.setup_py {
        lines.push((file.clone(), "setuptools project".to_string()));
    }
    for fact in &app.locks {
        let lock = &fact.value;
        let python = lock
            .python
            .as_deref()
            .map(|python| format!(", Python `{python}`"))
            .unwrap_or_default();
        let plural = if lock.pinned == 1 { "" } else { "s" };
        lines.push((
            fact.file.clone(),
            format!(
                "{} lock file ({} package{plural} pinned{python})",
                lock.manager, lock.pinned
            ),
        ));
    }
    if let Some(fact) = &app.pipfile {
        let version = fact
            .value
            .python_version
            .as_deref()
            .unwrap_or("no Python version");
        let lock = if fact.value.has_lock {
            ", with Pipfile.lock"
        } else {
            ""
        };
        lines.push((fact.file.clone(), format!("Pipfile ({version}{lock})")));
    }
    if let Some(django) = &app.django {
        let settings = django
            .settings_module
            .as_ref()
            .map(|fact| format!(", settings module `{}`", fact.value))
            .unwrap_or_else(|| ", no DJANGO_SETTINGS_MODULE found".to_string());
        lines.push((
            django.manage_py.clone(),
            format!("Django project{settings}"),
        ));
        if let Some(fact) = &django.static_root {
            let set = if fact.value { "sets" } else { "does not set" };
            lines.push((
                fact.file.clone(),
                format!("Django settings; {set} STATIC_ROOT"),
            ));
        }
    }
    for (label, object) in [("Flask", &app.flask), ("FastAPI", &app.fastapi)] {
        if let Some(fact) = object {
            let app_object = &fact.value;
            lines.push((
                fact.file.clone(),
                format!(
                    "{label} app object `{}` (serve `{}:{}`)",
                    app_object.variable, app_object.module, app_object.variable
                ),
            ));
        }
    }
    for fact in &app.framework_dependencies {
        lines.push((
            fact.file.clone(),
            format!("depends on `{}`", fact.value.name()),
        ));
    }
    for dir in &app.static_dirs {
        lines.push((format!("{dir}/"), "static files folder".to_string()));
    }
    if let Some(file) = &app.web_config {
        lines.push((file.clone(), "IIS configuration".to_string()));
    }
    for file in &app.web_config_variants {
        lines.push((
            file.clone(),
            "IIS configuration for one Python version".to_string(),
        ));
    }
    if let Some(file) = &app.skip_python_deployment {
        lines.push((file.clone(), "skip the Python steps".to_string()));
    }
    if let Some(file) = &app.skip_django {
        lines.push((file.clone(), "skip collectstatic".to_string()));
    }
    for fact in &app.shipped_envs {
        let env = &fact.value;
        let version = env.python_version.as_deref().unwrap_or("unknown Python");
        let layout = if env.windows_layout {
            ", made on Windows"
        } else {
            ""
        };
        lines.push((
            fact.file.clone(),
            format!("committed virtual environment ({version}{layout})"),
        ));
    }
    for problem in &app.problems {
        lines.push((problem.file.clone(), format!("ignored: {}", problem.value)));
    }
    let plural = if app.python_files == 1 { "" } else { "s" };
    lines.push((
        "*.py".to_string(),
        format!(
            "{} Python file{plural} (top level, one folder down, src/*/)",
            app.python_files
        ),
    ));
    lines
}
