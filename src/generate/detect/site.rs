//! What the site folder carries besides code: static folders, `web.config`, Kudu's skip
//! files, and virtual environments committed in the repository.

use super::Detector;
use crate::generate::app::{DetectedApp, Fact, ShippedEnv};
use crate::generate::app_dir::AppDir;

/// Finds static folders, `web.config`, skip files and shipped environments.
pub struct Site;

impl Detector for Site {
    fn name(&self) -> &'static str {
        "site"
    }

    fn looks_for(&self) -> &'static [&'static str] {
        &[]
    }

    fn detect(&self, app: &AppDir, found: &mut DetectedApp) {
        for dir in app.top_dirs() {
            if dir == "static" {
                found.static_dirs.push(dir.clone());
            } else if app.walkable(dir) && app.is_dir(&format!("{dir}/static")) {
                found.static_dirs.push(format!("{dir}/static"));
            }
            if let Some(env) = shipped_env(app, dir) {
                found
                    .shipped_envs
                    .push(Fact::new(env, format!("{dir}/pyvenv.cfg")));
            }
        }
        for name in app.files_in("") {
            let lower = name.to_ascii_lowercase();
            if lower == "web.config" {
                found.web_config = Some(name);
            } else if lower.starts_with("web.") && lower.ends_with(".config") {
                found.web_config_variants.push(name);
            } else if name == ".skipPythonDeployment" {
                found.skip_python_deployment = Some(name);
            } else if name == ".skipDjango" {
                found.skip_django = Some(name);
            }
        }
    }
}

/// The virtual environment in top-level folder `dir`, if it has a `pyvenv.cfg`.
fn shipped_env(app: &AppDir, dir: &str) -> Option<ShippedEnv> {
    let config = app.read(&format!("{dir}/pyvenv.cfg"))?;
    let value_of = |key: &str| {
        config.lines().find_map(|line| {
            let (name, value) = line.split_once('=')?;
            (name.trim() == key).then(|| value.trim().to_string())
        })
    };
    let python_version = value_of("version").or_else(|| {
        // uv writes `version_info = 3.11.7` (sometimes with a `.final.0` tail).
        value_of("version_info").map(|info| info.split('.').take(3).collect::<Vec<_>>().join("."))
    });
    let windows_layout =
        app.is_dir(&format!("{dir}/Scripts")) && !app.is_dir(&format!("{dir}/bin"));
    Some(ShippedEnv {
        dir: dir.to_string(),
        python_version,
        windows_layout,
    })
}
