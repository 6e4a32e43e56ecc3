//! deploy-script: generate and run deploy.cmd-style deployment scripts for Python web apps.
//!
//! The pipeline, in the order the modules are read: [`source`] decodes bytes, [`parser`]
//! turns text into the [`ast`], [`check`] finds problems without running anything,
//! the interpreter runs the AST, and the deploy directives do the deployment work.

pub mod diagnostic;
pub mod source;
pub mod span;
pub mod sync;
