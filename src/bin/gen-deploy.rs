//! gen-deploy: write a deploy.cmd (and .deployment) for a Python web app.

use clap::{CommandFactory, Parser};
use deploy_script::{Action, GenConfig, ScriptStyle};
use std::path::PathBuf;
use std::process::ExitCode;

/// Examples shown after the options by `--help`, one per flag.
const EXAMPLES: &str = "\
Examples:
  gen-deploy                         # write deploy.cmd and .deployment here
  gen-deploy samples/flask-app       # ... for the app in samples/flask-app
  gen-deploy --python 3.12           # pin Python 3.12 (PYTHON_VERSION still wins)
  gen-deploy --installer uv          # build and install with uv (default with uv.lock)
  gen-deploy --installer poetry      # install poetry.lock (when the app has two locks)
  gen-deploy --installer pip         # install requirements.txt, not the lock beside it
  gen-deploy --installer auto        # uv when on PATH at deploy time, else pip
  gen-deploy --framework none        # no framework steps (no collectstatic)
  gen-deploy --output ci/deploy.cmd  # write the script there; .deployment names it
  gen-deploy --force                 # replace the files, keeping deploy.cmd.bak
  gen-deploy --stdout                # print the script, write nothing
  gen-deploy --kudu                  # classic Kudu-style batch, no directives
  gen-deploy --explain               # what was found and decided, and why
  gen-deploy --json                  # the same, as JSON
  gen-deploy --completions bash      # a bash completion script on stdout
  gen-deploy --man > gen-deploy.1    # the man page

Exit status: 0 done, 1 error (no Python app, a file exists without --force),
2 bad command line. See docs/gen-deploy.md.";

/// Look at a Python web app and write the deploy.cmd a person would have written for it:
/// numbered steps with deploy directives, the env-removal lines ready to uncomment.
#[derive(Parser, Debug)]
#[command(name = "gen-deploy", version, after_help = EXAMPLES)]
struct Args {
    /// The app's folder (the repository root Kudu deploys)
    #[arg(value_name = "APP_DIR", default_value = ".")]
    app_dir: PathBuf,
    /// Pin this Python version in the script (3.11, 3.11.7 or python-3.11)
    #[arg(long, value_name = "VERSION")]
    python: Option<String>,
    /// Which package manager installs the packages: pip (requirements.txt), uv (uv.lock, or
    /// requirements with uv), auto (uv when on PATH at deploy time), poetry (poetry.lock),
    /// pipenv (Pipfile.lock) [default: the app's one lock file, else pip]
    #[arg(long, value_name = "INSTALLER", value_parser = ["pip", "uv", "auto", "poetry", "pipenv"])]
    installer: Option<String>,
    /// Write for this framework instead of the detected one
    #[arg(long, value_name = "FRAMEWORK", value_parser = ["django", "flask", "fastapi", "none"])]
    framework: Option<String>,
    /// Where to write the script: a path from the current folder, inside APP_DIR [default:
    /// APP_DIR/deploy.cmd]
    #[arg(long, short, value_name = "FILE", conflicts_with = "stdout")]
    output: Option<PathBuf>,
    /// Replace existing files, keeping each old one as <name>.bak
    #[arg(long, short)]
    force: bool,
    /// Print the script on stdout instead of writing files (run-deploy runs this script when
    /// the app has none)
    #[arg(long, conflicts_with_all = ["force", "explain", "json"])]
    stdout: bool,
    /// Write classic Kudu-style batch (KuduSync, Kudu's Python helper, no directives)
    #[arg(long)]
    kudu: bool,
    /// Print what was detected (and from which file) and what was decided; write nothing
    #[arg(long, conflicts_with = "json")]
    explain: bool,
    /// Print what was detected and decided as JSON; write nothing
    #[arg(long)]
    json: bool,
    /// Print a shell completion script for gen-deploy on stdout
    #[arg(long, value_name = "SHELL", exclusive = true)]
    completions: Option<clap_complete::Shell>,
    /// Print gen-deploy's man page (roff) on stdout
    #[arg(long, exclusive = true)]
    man: bool,
}

impl Args {
    /// The validated configuration these arguments ask for.
    fn config(self) -> anyhow::Result<GenConfig> {
        let mut config = GenConfig::new(&self.app_dir);
        if let Some(output) = &self.output {
            config.set_output(output)?;
        }
        if let Some(version) = &self.python {
            config.set_python(version)?;
        }
        config.installer = self.installer.as_deref().map(str::parse).transpose()?;
        config.framework = self.framework.as_deref().map(str::parse).transpose()?;
        config.style = if self.kudu {
            ScriptStyle::Kudu
        } else {
            ScriptStyle::Directives
        };
        config.action = if self.json {
            Action::Json
        } else if self.explain {
            Action::Explain
        } else if self.stdout {
            Action::Stdout
        } else {
            Action::Write { force: self.force }
        };
        Ok(config)
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    if let Some(shell) = args.completions {
        clap_complete::generate(
            shell,
            &mut Args::command(),
            "gen-deploy",
            &mut std::io::stdout(),
        );
        return ExitCode::SUCCESS;
    }
    if args.man {
        return match clap_mangen::Man::new(Args::command()).render(&mut std::io::stdout()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("error: cannot print the man page: {error}");
                ExitCode::from(1)
            }
        };
    }
    let result = args
        .config()
        .and_then(|config| deploy_script::gen_deploy(&config));
    match result {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(1)
        }
    }
}
