//! The folders a directive works on, from its words and the script's variables: paths
//! written the Windows way resolved against the script's current folder.

use crate::compat;
use crate::interpreter::DirectiveContext;
use std::path::{Path, PathBuf};

/// A path word (Windows separators allowed) resolved against the script's current folder.
pub fn resolve(word: &str, context: &DirectiveContext) -> PathBuf {
    resolve_in(word, &context.cwd)
}

/// A path word resolved against `base`.
pub fn resolve_in(word: &str, base: &Path) -> PathBuf {
    compat::resolve_path(word, base, None).unwrap_or_else(|_| base.join(compat::slashes(word)))
}

/// A folder argument, else the variable's value; an error naming both when neither is set.
pub fn path_arg(
    word: Option<&str>,
    variable: &str,
    context: &DirectiveContext,
) -> anyhow::Result<PathBuf> {
    match word.map(str::to_string).or_else(|| context.get(variable)) {
        Some(value) => Ok(resolve(&value, context)),
        None => anyhow::bail!("no folder given and `%{variable}%` is not set: name the folder, or run with `--target`"),
    }
}

/// The env folder: the argument (relative to the target), else `%DEPLOYMENT_TARGET%/env`.
pub fn env_dir_arg(word: Option<&str>, context: &DirectiveContext) -> PathBuf {
    let base = app_dir(context, "DEPLOYMENT_TARGET");
    match word {
        Some(word) => resolve_in(word, &base),
        None => base.join("env"),
    }
}

/// The folder a variable names, else the current folder.
pub fn app_dir(context: &DirectiveContext, variable: &str) -> PathBuf {
    context
        .get(variable)
        .map(|value| resolve(&value, context))
        .unwrap_or_else(|| context.cwd.clone())
}

/// A short stable key for a path, for file names in the state folder.
pub fn path_key(path: &Path) -> String {
    let hash = xxhash_rust::xxh3::xxh3_64(path.to_string_lossy().as_bytes());
    format!("{hash:016x}")
}
