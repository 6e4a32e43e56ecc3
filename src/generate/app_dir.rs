//! Read-only access to an app folder for the detectors: bounded reads and a shallow walk.

use crate::app::AppModel;
use std::fs;
use std::path::{Path, PathBuf};

/// Files larger than this are not read by detectors (an app's config files are small;
/// a huge `.py` file is generated code, not where an app object is declared).
const MAX_READ_BYTES: u64 = 512 * 1024;

/// Folders a shallow walk never enters: version control, caches, dependencies.
const SKIPPED_DIRS: &[&str] = &["node_modules", "__pycache__", "site-packages"];

/// An app folder as the detectors see it: paths are relative and `/`-separated.
#[derive(Debug)]
pub struct AppDir {
    root: PathBuf,
    /// Top-level, one-folder-down and `src/<package>/` `.py` files, outside virtual
    /// environments.
    python_files: Vec<String>,
    /// Top-level folders.
    top_dirs: Vec<String>,
    /// What the shared app model read.
    model: AppModel,
}

impl AppDir {
    /// Opens `root` and lists what the detectors walk (top level and one folder down);
    /// `model` is what the shared app model read there.
    pub fn open(root: &Path, model: AppModel) -> std::io::Result<AppDir> {
        let mut app = AppDir {
            root: root.to_path_buf(),
            python_files: Vec::new(),
            top_dirs: Vec::new(),
            model,
        };
        for name in sorted_entries(root)? {
            let path = root.join(&name);
            if path.is_dir() {
                app.top_dirs.push(name.clone());
                if app.walkable(&name) {
                    app.python_files.extend(python_files_in(root, &name));
                }
                // The src layout puts the package one level deeper: src/<package>/*.py.
                if name == "src" {
                    for package in sorted_entries(&path)? {
                        if path.join(&package).is_dir() && !package.starts_with('.') {
                            app.python_files
                                .extend(python_files_in(root, &format!("src/{package}")));
                        }
                    }
                }
            } else if name.ends_with(".py") {
                app.python_files.push(name);
            }
        }
        Ok(app)
    }

    /// What the shared app model read: version files, pyproject.toml, package inputs.
    pub fn model(&self) -> &AppModel {
        &self.model
    }

    /// The app folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether `rel` is a file.
    pub fn is_file(&self, rel: &str) -> bool {
        self.root.join(rel).is_file()
    }

    /// Whether `rel` is a folder.
    pub fn is_dir(&self, rel: &str) -> bool {
        self.root.join(rel).is_dir()
    }

    /// The text of `rel`, or `None` when it is missing, not a file, too large or unreadable.
    /// Bytes that are not UTF-8 are replaced; a byte-order mark is dropped.
    pub fn read(&self, rel: &str) -> Option<String> {
        let path = self.root.join(rel);
        let meta = fs::metadata(&path).ok()?;
        if !meta.is_file() || meta.len() > MAX_READ_BYTES {
            return None;
        }
        let bytes = fs::read(&path).ok()?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        Some(text.trim_start_matches('\u{feff}').to_string())
    }

    /// File names (not folders) directly inside `rel` (`""` for the top level), sorted.
    pub fn files_in(&self, rel: &str) -> Vec<String> {
        let dir = self.root.join(rel);
        sorted_entries(&dir)
            .unwrap_or_default()
            .into_iter()
            .filter(|name| dir.join(name).is_file())
            .collect()
    }

    /// Top-level folders, sorted.
    pub fn top_dirs(&self) -> &[String] {
        &self.top_dirs
    }

    /// `.py` files at the top level, one folder down and in `src/<package>/` (skipping
    /// hidden folders, virtual environments and dependency folders), sorted.
    pub fn python_files(&self) -> &[String] {
        &self.python_files
    }

    /// Whether a shallow walk enters top-level folder `name`.
    pub fn walkable(&self, name: &str) -> bool {
        !name.starts_with('.')
            && !SKIPPED_DIRS.contains(&name)
            && !self.root.join(name).join("pyvenv.cfg").is_file()
    }
}

/// The `.py` files directly in `root/rel`, as `rel/name`.
fn python_files_in(root: &Path, rel: &str) -> Vec<String> {
    let dir = root.join(rel);
    sorted_entries(&dir)
        .unwrap_or_default()
        .into_iter()
        .filter(|name| name.ends_with(".py") && dir.join(name).is_file())
        .map(|name| format!("{rel}/{name}"))
        .collect()
}

/// The names in `dir`, sorted so that detection is deterministic.
fn sorted_entries(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut names: Vec<String> = fs::read_dir(dir)?
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| entry.file_name().into_string().ok())
        .collect();
    names.sort();
    Ok(names)
}
