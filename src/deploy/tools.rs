//! Kudu's helper commands, answered by run-deploy itself: `KUDU_SYNC_CMD` (KuduSync's
//! command line, on our sync engine) and `KUDU_SELECT_PYTHON_VERSION_CMD` (Kudu's Python
//! selection, on ours). Each is a link to the run-deploy binary under a tool's name in the
//! state folder; run-deploy started under that name acts as the tool. Unmodified Kudu
//! scripts (`call :ExecuteCmd "%KUDU_SYNC_CMD%" ...`) then need no node.js or npm.

use anyhow::Context;
use std::path::{Path, PathBuf};

/// The name run-deploy answers to as KuduSync.
pub const KUDU_SYNC_NAME: &str = "kudusync";
/// The name run-deploy answers to as Kudu's Python selection helper.
pub const SELECT_PYTHON_NAME: &str = "select-python-version";

/// Makes (or refreshes) the two tool links in `bin_dir` and returns their paths.
pub fn install_tool_links(bin_dir: &Path) -> anyhow::Result<(PathBuf, PathBuf)> {
    let exe = std::env::current_exe().context("cannot find the run-deploy program")?;
    std::fs::create_dir_all(bin_dir)
        .with_context(|| format!("cannot create `{}`", bin_dir.display()))?;
    let mut paths = Vec::new();
    for name in [KUDU_SYNC_NAME, SELECT_PYTHON_NAME] {
        let link = bin_dir.join(name);
        let up_to_date = std::fs::read_link(&link).is_ok_and(|current| current == exe);
        if !up_to_date {
            let temporary = bin_dir.join(format!(".{name}.tmp"));
            let _ = std::fs::remove_file(&temporary);
            link_to(&exe, &temporary)?;
            std::fs::rename(&temporary, &link)
                .with_context(|| format!("cannot write `{}`", link.display()))?;
        }
        paths.push(link);
    }
    Ok((paths.remove(0), paths.remove(0)))
}

#[cfg(unix)]
fn link_to(exe: &Path, link: &Path) -> anyhow::Result<()> {
    std::os::unix::fs::symlink(exe, link)
        .with_context(|| format!("cannot create `{}`", link.display()))
}

#[cfg(not(unix))]
fn link_to(exe: &Path, link: &Path) -> anyhow::Result<()> {
    std::fs::copy(exe, link)
        .map(|_| ())
        .with_context(|| format!("cannot create `{}`", link.display()))
}

/// When run-deploy was started under a tool's name, runs that tool and returns its exit
/// code.
pub fn run_as_tool(program_name: &str, args: &[String]) -> Option<i32> {
    let name = Path::new(program_name).file_name()?.to_str()?;
    if name == KUDU_SYNC_NAME {
        let mut stdout = std::io::stdout().lock();
        let mut stderr = std::io::stderr().lock();
        return Some(crate::sync::kudusync_main(args, &mut stdout, &mut stderr));
    }
    if name == SELECT_PYTHON_NAME {
        // The link lives in `<state>/bin/`: use the deploy's remembered probes too.
        if let Some(state) = Path::new(program_name).parent().and_then(Path::parent) {
            if Path::new(program_name).is_absolute() && state.join("deployments").is_dir() {
                crate::python::probe_cache::use_file(&state.join(crate::state::PYTHON_PROBES_FILE));
            }
        }
        return Some(select_python_tool(args));
    }
    None
}

/// `select-python-version SOURCE TARGET TEMP`: writes Kudu's four `__PYTHON_*.tmp` files.
fn select_python_tool(args: &[String]) -> i32 {
    let [source, target, temp] = args else {
        eprintln!("usage: {SELECT_PYTHON_NAME} SOURCE TARGET TEMP");
        return 2;
    };
    let environment = crate::process::current_environment();
    match crate::python::kudu_select::kudu_select_python(
        Path::new(source),
        Path::new(target),
        Path::new(temp),
        &environment,
    ) {
        Ok(selection) => {
            println!("Selected {}", selection.describe());
            0
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            1
        }
    }
}
