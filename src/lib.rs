//! deploy-script: generate and run deploy.cmd-style deployment scripts for Python web apps.
//!
//! The pipeline, in the order the modules are read: [`source`] decodes bytes, [`syntax`]
//! turns text into the AST, [`check`] finds problems without running anything, the
//! [`interpreter`] runs the AST, and the deploy [`directives`] do the deployment work inside
//! a [`deploy`] (its lock and transaction), which keep what they know in the [`state`] folder.
//!
//! # The library's surface
//!
//! What the two binaries call is re-exported here, and is the library's API: running and
//! deploying ([`run_deploy`], [`DeployConfig`], the state folder's [`StateDir`]), checking
//! ([`run_check`], [`check_and_report`], [`CheckConfig`]) and generating ([`gen_deploy`],
//! [`GenConfig`]). The modules themselves are public only so the integration tests and the
//! benchmarks can drive one part on its own (a parser, a sync, a venv); they are hidden from
//! the documentation and are not a stable API.

#[doc(hidden)]
pub mod app;
#[doc(hidden)]
pub mod atomic_write;
#[doc(hidden)]
pub mod check;
#[doc(hidden)]
pub mod commands;
#[doc(hidden)]
pub mod compat;
#[doc(hidden)]
pub mod deploy;
#[doc(hidden)]
pub mod diagnostic;
#[doc(hidden)]
pub mod directives;
#[doc(hidden)]
pub mod error;
pub mod exit_code;
#[doc(hidden)]
pub mod generate;
#[doc(hidden)]
pub mod interpreter;
#[doc(hidden)]
pub mod process;
#[doc(hidden)]
pub mod python;
#[doc(hidden)]
pub mod report;
#[doc(hidden)]
pub mod source;
#[doc(hidden)]
pub mod span;
#[doc(hidden)]
pub mod state;
#[doc(hidden)]
pub mod sync;
#[doc(hidden)]
pub mod syntax;

pub use check::command::{check_and_report, run_check, CheckConfig};
pub use deploy::hook::{install_hook, HookConfig};
pub use deploy::script_file::{choose_script, DeploymentFile, ScriptChoice};
pub use deploy::{default_script, run_deploy, tools, DeployConfig};
pub use generate::config::{Action, GenConfig, ScriptStyle};
pub use generate::gen_deploy;
pub use report::reporter::View;
pub use state::{render_list, render_log, StateDir, DEFAULT_KEEP};
