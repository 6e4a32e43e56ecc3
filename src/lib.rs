//! deploy-script: generate and run deploy.cmd-style deployment scripts for Python web apps.
//!
//! The pipeline, in the order the modules are read: [`source`] decodes bytes, [`parser`]
//! turns text into the [`ast`], [`check`] finds problems without running anything,
//! the interpreter runs the AST, and the deploy directives do the deployment work.

pub mod app;
pub mod atomic_write;
pub mod check;
pub mod commands;
pub mod compat;
pub mod deploy;
pub mod diagnostic;
pub mod directives;
pub mod error;
pub mod exit_code;
pub mod generate;
pub mod interpreter;
pub mod process;
pub mod python;
pub mod report;
pub mod source;
pub mod span;
pub mod sync;
pub mod syntax;
