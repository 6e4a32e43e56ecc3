//! The `KUDU_SELECT_PYTHON_VERSION_CMD` helper: Kudu's scripts call it with `SRC TGT TEMP`
//! and read four one-line files from TEMP with `SET /P`.

use super::select::{select_python, Selection};
use crate::process::Environment;
use anyhow::Context;
use std::path::Path;

/// Selects Python for the app in `source` (runtime.txt is read there, as Kudu's helper
/// does) and writes `__PYTHON_RUNTIME.tmp`, `__PYTHON_VER.tmp`, `__PYTHON_EXE.tmp` and
/// `__PYTHON_ENV_MODULE.tmp` into `temp`, each holding one value without a line end (as
/// Kudu's helper writes them). `target` is accepted for Kudu's calling convention.
pub fn kudu_select_python(
    source: &Path,
    _target: &Path,
    temp: &Path,
    env: &Environment,
) -> anyhow::Result<Selection> {
    let selection = select_python(source, env)?;
    std::fs::create_dir_all(temp).with_context(|| format!("cannot create `{}`", temp.display()))?;
    for (name, value) in selection.variables() {
        let path = temp.join(format!("__{name}.tmp"));
        std::fs::write(&path, value)
            .with_context(|| format!("cannot write `{}`", path.display()))?;
    }
    Ok(selection)
}
