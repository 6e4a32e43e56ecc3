//! `run-deploy`: check or run a deploy.cmd-style script.

use clap::Parser;
use deploy_script::check_command::{run_check, CheckConfig};
use deploy_script::compat::InstalledPythons;
use deploy_script::interpreter::{run_script, ConsoleOutput, RunOptions};
use deploy_script::process::Interrupt;
use deploy_script::script_file::choose_script;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// Check or run a deploy.cmd-style deployment script.
#[derive(Parser, Debug)]
#[command(
    name = "run-deploy",
    version,
    about,
    after_help = "Examples:\n  run-deploy --check                 check the script .deployment names (else deploy.cmd)\n  run-deploy --check deploy.cmd      check one script; exit 0 clean, 1 on errors\n  run-deploy --check --deny-warnings deploy.cmd\n                                     warnings fail the check too"
)]
struct Args {
    /// Parse and check the script without running anything; print every problem
    #[arg(long)]
    check: bool,
    /// With --check: warnings fail the check (exit 1) too
    #[arg(long, requires = "check")]
    deny_warnings: bool,
    /// Silence run-deploy's own messages (errors still show)
    #[arg(long, short)]
    quiet: bool,
    /// The script (default: the command `.deployment` names, else `deploy.cmd`)
    script: Option<PathBuf>,
    /// Arguments for the script: %1, %2, ...
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(args) {
        // A code outside 0-255 (cmd's 9009, `exit /b -1`) must not wrap to success.
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(255)),
        Err(error) => {
            eprintln!("run-deploy: error: {error:#}");
            ExitCode::from(1)
        }
    }
}

fn run(args: Args) -> anyhow::Result<i32> {
    let cwd = std::env::current_dir()?;
    let command_setting = std::env::var("COMMAND").ok();
    let choice = choose_script(args.script.as_deref(), &cwd, command_setting.as_deref())?;
    if args.check {
        let config = CheckConfig {
            script: choice.path,
            deny_warnings: args.deny_warnings,
        };
        return run_check(&config, &mut std::io::stdout().lock());
    }
    if !choice.path.is_file() {
        eprintln!(
            "run-deploy: error: there is no script `{}` (chosen by {}); name one, or run in the folder that holds it",
            choice.path.display(),
            choice.source
        );
        return Ok(deploy_script::exit_code::SCRIPT_NOT_FOUND);
    }
    let installed = InstalledPythons::new(deploy_script::process::current_environment());
    let options = RunOptions {
        interrupt: Some(Interrupt::from_signals()?),
        windows_python: Some(Arc::new(installed)),
        inherit_stdin: true,
        ..RunOptions::default()
    };
    let mut output = ConsoleOutput { quiet: args.quiet };
    run_script(&choice.path, &args.args, &options, &mut output)
}
