//! Push-to-deploy: `run-deploy install-hook REPO.git --target DIR` writes a `post-receive`
//! hook into a bare repository. On each push of the deployed branch the hook exports the
//! pushed commit into a fresh folder (`git archive`), runs the deploy from there, and
//! streams its output back to the pusher, who sees it as `remote:` lines.

use anyhow::{bail, Context};
use std::path::{Path, PathBuf};

/// What `install-hook` was asked to set up.
#[derive(Clone, Debug)]
pub struct HookConfig {
    /// The bare repository that receives pushes.
    pub repository: PathBuf,
    /// The site folder deploys go to.
    pub target: PathBuf,
    /// Where the deployment state lives (default: run-deploy's default beside the target).
    pub state_dir: Option<PathBuf>,
    /// The branch that deploys (`main`); pushes to other branches are ignored.
    pub branch: String,
    /// The `run-deploy` program the hook runs (normally this very binary).
    pub run_deploy: PathBuf,
    /// Replace a `post-receive` hook that run-deploy did not write.
    pub force: bool,
}

/// The first line after the shebang of every hook we write: how we recognise our own.
const MARKER: &str = "# Installed by `run-deploy install-hook`";

/// Writes the hook and returns its path.
pub fn install_hook(config: &HookConfig) -> anyhow::Result<PathBuf> {
    let repository = &config.repository;
    if !repository.join("HEAD").is_file() || !repository.join("objects").is_dir() {
        bail!(
            "`{}` is not a bare git repository (no HEAD and objects/ in it)",
            repository.display()
        );
    }
    let hooks = repository.join("hooks");
    std::fs::create_dir_all(&hooks)
        .with_context(|| format!("cannot create `{}`", hooks.display()))?;
    let hook = hooks.join("post-receive");
    if hook.exists() && !config.force {
        let existing = std::fs::read_to_string(&hook).unwrap_or_default();
        if !existing.contains(MARKER) {
            bail!(
                "`{}` exists and was not written by run-deploy; pass `--force` to replace it",
                hook.display()
            );
        }
    }
    let text = hook_script(config)?;
    let temporary = hooks.join(".post-receive.tmp");
    std::fs::write(&temporary, text)
        .with_context(|| format!("cannot write `{}`", temporary.display()))?;
    set_executable(&temporary)?;
    std::fs::rename(&temporary, &hook)
        .with_context(|| format!("cannot write `{}`", hook.display()))?;
    Ok(hook)
}

/// The hook's text: POSIX sh, every path quoted.
fn hook_script(config: &HookConfig) -> anyhow::Result<String> {
    let target = absolute(&config.target)?;
    let run_deploy = absolute(&config.run_deploy)?;
    let state_option = match &config.state_dir {
        Some(dir) => format!(" --state-dir {}", sh_quote(&absolute(dir)?)),
        None => String::new(),
    };
    Ok(format!(
        r#"#!/bin/sh
{MARKER}: deploys each push of branch {branch}.
# Re-run `run-deploy install-hook` to change it; edits here are kept only until then.
set -u
ref_wanted={refname}
status=0
while read -r old new ref; do
  [ "$ref" = "$ref_wanted" ] || continue
  [ "$new" = 0000000000000000000000000000000000000000 ] && continue
  source_dir=$(mktemp -d "${{TMPDIR:-/tmp}}/deploy-source.XXXXXX") || exit 1
  if ! git archive --format=tar "$new" | tar -x -C "$source_dir"; then
    echo "deploy: cannot export commit $new"
    rm -rf "$source_dir"
    status=1
    continue
  fi
  echo "deploy: deploying $new to {target_shown}"
  SCM_COMMIT_ID="$new" {run_deploy} --source "$source_dir" --target {target}{state_option} 2>&1
  code=$?
  rm -rf "$source_dir"
  if [ "$code" -ne 0 ]; then
    echo "deploy: FAILED (exit $code); the site still serves the previous deployment"
    status=$code
  else
    echo "deploy: done"
  fi
done
exit $status
"#,
        branch = config.branch,
        refname = sh_quote(format!("refs/heads/{}", config.branch)),
        target_shown = target.display(),
        target = sh_quote(&target),
        run_deploy = sh_quote(&run_deploy),
    ))
}

fn absolute(path: &Path) -> anyhow::Result<PathBuf> {
    if path.is_absolute() {
        return Ok(path.to_path_buf());
    }
    Ok(std::env::current_dir()?.join(path))
}

/// Quotes a path for POSIX sh: single quotes, with `'` written as `'\''`.
fn sh_quote(value: impl AsRef<std::ffi::OsStr>) -> String {
    let text = value.as_ref().to_string_lossy();
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(unix)]
fn set_executable(path: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .with_context(|| format!("cannot make `{}` executable", path.display()))
}

#[cfg(not(unix))]
fn set_executable(_path: &Path) -> anyhow::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_paths_for_sh() {
        assert_eq!(sh_quote("/srv/my site"), "'/srv/my site'");
        assert_eq!(sh_quote("/srv/it's"), r"'/srv/it'\''s'");
    }

    #[test]
    fn refuses_a_folder_that_is_not_a_bare_repository_and_a_foreign_hook() {
        let dir = tempfile::tempdir().unwrap();
        let config = HookConfig {
            repository: dir.path().to_path_buf(),
            target: dir.path().join("site"),
            state_dir: None,
            branch: "main".into(),
            run_deploy: PathBuf::from("/usr/local/bin/run-deploy"),
            force: false,
        };
        let error = install_hook(&config).unwrap_err().to_string();
        assert!(error.contains("is not a bare git repository"), "{error}");
        std::fs::write(dir.path().join("HEAD"), "ref: refs/heads/main\n").unwrap();
        std::fs::create_dir_all(dir.path().join("objects")).unwrap();
        std::fs::create_dir_all(dir.path().join("hooks")).unwrap();
        std::fs::write(
            dir.path().join("hooks/post-receive"),
            "#!/bin/sh\necho mine\n",
        )
        .unwrap();
        let error = install_hook(&config).unwrap_err().to_string();
        assert!(error.contains("pass `--force`"), "{error}");
        let forced = HookConfig {
            force: true,
            ..config.clone()
        };
        let hook = install_hook(&forced).unwrap();
        let text = std::fs::read_to_string(&hook).unwrap();
        assert!(text.contains(MARKER));
        assert!(text.contains("ref_wanted='refs/heads/main'"));
        // Our own hook is replaced without --force.
        install_hook(&config).unwrap();
    }
}
