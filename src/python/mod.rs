//! The Python environment of a deploy: which interpreter (`PYTHON SELECT`), the virtual
//! environment (`VENV ENSURE`, `VENV REMOVE`), packages (`VENV INSTALL`) and Django's
//! static files (`DJANGO COLLECTSTATIC`). Each step is a side-effect-free plan, then an apply.
//! Modules in reading order: versions, finding and choosing an interpreter, the env, its
//! packages, Django.

// Versions and interpreters.
pub mod discover;
pub mod kudu_select;
pub mod probe_cache;
pub mod select;
/// Python versions and requests for one: part of the app model, named here too.
pub use crate::app::version;
pub mod winpath;

// The virtual environment.
pub mod env_swap;
pub mod installer;
pub mod marker;
pub mod seed;
pub mod seed_cache;
pub mod seed_error;
pub mod venv;

// Packages and the app.
pub mod django;
pub mod exact_sync;
pub mod fingerprint;
pub mod lock;
pub mod lock_install;
pub mod marker_environment;
pub mod pip;
pub mod requirements;
