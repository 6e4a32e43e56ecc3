//! Helpers shared by the integration tests. Each test module uses some of them.
#![allow(dead_code)]

pub mod deployment_site;
pub mod kill;
pub mod kuduscript;
pub mod lock_tools;
pub mod package_index;
pub mod parser_print;
pub mod python_env;
pub mod stand_ins;
pub mod sync_tree;
pub mod test;
pub mod wheels;
