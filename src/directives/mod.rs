//! The deploy directives: SYNC, PYTHON SELECT, VENV ENSURE / REMOVE, PIP INSTALL and
//! DJANGO COLLECTSTATIC. Each parses its words ([`args`]), plans without side effects,
//! then applies the plan.

pub mod args;
pub mod render;
