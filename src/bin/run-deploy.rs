//! `run-deploy`: check, run or deploy a deploy.cmd-style script.

use clap::{Args as ClapArgs, CommandFactory, Parser, Subcommand};
use deploy_script::{
    check_and_report, choose_script, default_script, exit_code, install_hook, render_list,
    render_log, run_check, run_deploy, tools, CheckConfig, DeployConfig, HookConfig, ScriptChoice,
    StateDir, View, DEFAULT_KEEP,
};
use std::path::PathBuf;
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  run-deploy --check                     check the script .deployment names (else deploy.cmd)
  run-deploy --check --deny-warnings deploy.cmd
  run-deploy build.cmd Release           run a script as `cmd /c build.cmd Release` would
  run-deploy --source . --target /srv/site
                                         deploy this checkout into /srv/site
  run-deploy --target /srv/site --dry-run
                                         show what a deploy would do, change nothing
  run-deploy --target /srv/site --reset-env
                                         deploy with a fresh virtual environment, once
  run-deploy list --target /srv/site     the deployments kept for the site
  run-deploy log --target /srv/site      the last deployment's log
  run-deploy --target /srv/site --trace  show each command with its file:line as it runs
  run-deploy --target /srv/site --json   JSON lines on stdout (docs/events.md)
  run-deploy install-hook app.git --target /srv/site
                                         deploy on every `git push` to app.git
  run-deploy completions bash > /etc/bash_completion.d/run-deploy
  run-deploy man > run-deploy.1

Exit codes: 0 success; 1-63 the script's own; 2 usage; 65 script does not parse;
66 script not found; 70 internal; 74 state folder; 75 lock held (--no-wait);
130/143 interrupted (docs/run-deploy.md)";

/// Check, run or deploy a deploy.cmd-style deployment script.
#[derive(Parser, Debug)]
#[command(
    name = "run-deploy",
    version,
    about,
    after_help = EXAMPLES,
    args_conflicts_with_subcommands = true
)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    run: RunArgs,
}

/// Options of a check, a run or a deploy.
#[derive(ClapArgs, Debug)]
struct RunArgs {
    /// Parse and check the script without running anything; print every problem
    #[arg(long)]
    check: bool,
    /// With --check: warnings fail the check (exit 1) too
    #[arg(long, requires = "check")]
    deny_warnings: bool,
    /// The repository checkout to deploy (DEPLOYMENT_SOURCE) [default: the current folder]
    #[arg(long, value_name = "DIR")]
    source: Option<PathBuf>,
    /// The site to deploy into (DEPLOYMENT_TARGET); without it the script just runs
    #[arg(long, value_name = "DIR")]
    target: Option<PathBuf>,
    /// Where deployment records, manifests and locks live [default: beside the target]
    #[arg(long, value_name = "DIR")]
    state_dir: Option<PathBuf>,
    /// Fail at once (exit 75) when another deploy holds the lock, instead of waiting
    #[arg(long)]
    no_wait: bool,
    /// How many deployments to keep in the state folder
    #[arg(long, value_name = "N", default_value_t = DEFAULT_KEEP)]
    keep: usize,
    /// Build a fresh virtual environment in this deploy (as DEPLOY_RESET_ENV=1)
    #[arg(long)]
    reset_env: bool,
    /// Show what each step would do and why; change nothing
    #[arg(long)]
    dry_run: bool,
    /// Print JSON lines (docs/events.md) on stdout instead of text
    #[arg(long, conflicts_with_all = ["quiet", "verbose"])]
    json: bool,
    /// Print only what the script and its programs print, and errors
    #[arg(long, short)]
    quiet: bool,
    /// Also print each step as it starts, and notes
    #[arg(long, short)]
    verbose: bool,
    /// Print each command, expanded, with its file:line before it runs (as SCM_TRACE_LEVEL=4)
    #[arg(long)]
    trace: bool,
    /// Mask the value of this variable in all output and logs (repeatable)
    #[arg(long, value_name = "NAME")]
    mask: Vec<String>,
    /// The script [default: the command `.deployment` names, else `deploy.cmd`]
    script: Option<PathBuf>,
    /// Arguments for the script: %1, %2, ...
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// List the deployments kept for a site, newest first (* marks the last success)
    #[command(after_help = "Example:\n  run-deploy list --target /srv/site")]
    List(StateArgs),
    /// Show a deployment's log (default: the newest)
    #[command(
        after_help = "Examples:\n  run-deploy log --target /srv/site\n  run-deploy log 20261124T1417 --target /srv/site"
    )]
    Log {
        /// The deployment's id, or the start of it
        id: Option<String>,
        #[command(flatten)]
        state: StateArgs,
    },
    /// Make `git push` to a bare repository deploy the pushed commit
    #[command(
        after_help = "Example:\n  run-deploy install-hook /srv/git/app.git --target /srv/site"
    )]
    InstallHook {
        /// The bare repository (e.g. app.git)
        repository: PathBuf,
        /// The site to deploy into
        #[arg(long, value_name = "DIR")]
        target: PathBuf,
        /// Where deployment state lives [default: beside the target]
        #[arg(long, value_name = "DIR")]
        state_dir: Option<PathBuf>,
        /// The branch whose pushes deploy
        #[arg(long, default_value = "main")]
        branch: String,
        /// Replace a post-receive hook that run-deploy did not write
        #[arg(long)]
        force: bool,
    },
    /// Print a shell completion script for run-deploy on stdout
    #[command(
        after_help = "Examples:\n  run-deploy completions bash > /etc/bash_completion.d/run-deploy\n  run-deploy completions zsh > \"${fpath[1]}/_run-deploy\"\n  run-deploy completions fish > ~/.config/fish/completions/run-deploy.fish"
    )]
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
    /// Print run-deploy's man page (roff) on stdout
    #[command(
        after_help = "Examples:\n  run-deploy man > /usr/local/share/man/man1/run-deploy.1\n  run-deploy man | man -l -"
    )]
    Man,
}

/// Which site's deployment state to read.
#[derive(ClapArgs, Debug)]
struct StateArgs {
    /// The site
    #[arg(long, value_name = "DIR")]
    target: PathBuf,
    /// Where its deployment state lives [default: beside the target]
    #[arg(long, value_name = "DIR")]
    state_dir: Option<PathBuf>,
}

fn main() -> ExitCode {
    let mut argv = std::env::args();
    let program = argv.next().unwrap_or_default();
    let rest: Vec<String> = argv.collect();
    if let Some(code) = tools::run_as_tool(&program, &rest) {
        return exit(code);
    }
    let args = Args::parse();
    match run(args) {
        Ok(code) => exit(code),
        Err(error) => {
            eprintln!("run-deploy: error: {error:#}");
            ExitCode::from(1)
        }
    }
}

/// A code outside 0-255 (cmd's 9009, `exit /b -1`) must not wrap to success.
fn exit(code: i32) -> ExitCode {
    ExitCode::from(u8::try_from(code).unwrap_or(255))
}

fn run(args: Args) -> anyhow::Result<i32> {
    match args.command {
        Some(Command::List(state)) => {
            let state = StateDir::new(&state.target, state.state_dir.as_deref())?;
            render_list(&state, &mut std::io::stdout().lock())?;
            Ok(0)
        }
        Some(Command::Log { id, state }) => {
            let state = StateDir::new(&state.target, state.state_dir.as_deref())?;
            render_log(&state, id.as_deref(), &mut std::io::stdout().lock())?;
            Ok(0)
        }
        Some(Command::InstallHook {
            repository,
            target,
            state_dir,
            branch,
            force,
        }) => {
            let hook = install_hook(&HookConfig {
                repository,
                target,
                state_dir,
                branch,
                run_deploy: std::env::current_exe()?,
                force,
            })?;
            eprintln!("run-deploy: wrote `{}`", hook.display());
            Ok(0)
        }
        Some(Command::Completions { shell }) => {
            let mut command = Args::command();
            clap_complete::generate(shell, &mut command, "run-deploy", &mut std::io::stdout());
            Ok(0)
        }
        Some(Command::Man) => {
            clap_mangen::Man::new(Args::command()).render(&mut std::io::stdout())?;
            Ok(0)
        }
        None => run_script(args.run),
    }
}

/// `--check` without a script: an app with none checks the default script a deploy would
/// run; a named script (or one `.deployment` names) that is missing exits 66, as a deploy does.
fn check_missing_script(
    source: &std::path::Path,
    choice: ScriptChoice,
    deny_warnings: bool,
) -> anyhow::Result<i32> {
    if choice.source != "default" {
        eprintln!(
            "run-deploy: error: there is no script `{}` (chosen by {}); name one, or run in the folder that holds it",
            choice.path.display(),
            choice.source
        );
        return Ok(exit_code::SCRIPT_NOT_FOUND);
    }
    let script = default_script(source, choice.path)?;
    eprintln!("run-deploy: no deploy.cmd in the source: checking the default script (see it with `gen-deploy --stdout`)");
    check_and_report(&script, deny_warnings, &mut std::io::stdout().lock())
}

fn run_script(args: RunArgs) -> anyhow::Result<i32> {
    let source = match &args.source {
        Some(source) => source.clone(),
        None => std::env::current_dir()?,
    };
    if args.check {
        let command_setting = std::env::var("COMMAND").ok();
        let choice = choose_script(args.script.as_deref(), &source, command_setting.as_deref())?;
        if !choice.path.is_file() {
            return check_missing_script(&source, choice, args.deny_warnings);
        }
        let config = CheckConfig {
            script: choice.path,
            deny_warnings: args.deny_warnings,
        };
        return run_check(&config, &mut std::io::stdout().lock());
    }
    let view = if args.json {
        View::Json
    } else {
        View::human(args.verbose, args.quiet)
    };
    let config = DeployConfig {
        source,
        target: args.target,
        state_dir: args.state_dir,
        script: args.script,
        args: args.args,
        wait: !args.no_wait,
        keep: args.keep,
        reset_env: args.reset_env,
        dry_run: args.dry_run,
        trace: args.trace,
        view,
        masks: args.mask,
    };
    run_deploy(&config)
}
