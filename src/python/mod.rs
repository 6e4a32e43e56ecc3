//! The Python environment of a deploy: which interpreter (`PYTHON SELECT`), the virtual
//! environment (`VENV ENSURE`, `VENV REMOVE`), packages (`PIP INSTALL`) and Django's
//! static files (`DJANGO COLLECTSTATIC`). Each step is a side-effect-free plan, then an apply.

pub mod discover;
pub mod django;
pub mod env_swap;
pub mod fingerprint;
pub mod installer;
pub mod kudu_select;
pub mod marker;
pub mod pip;
pub mod requirements;
pub mod select;
pub mod specifier;
pub mod venv;
pub mod version;
pub mod winpath;
