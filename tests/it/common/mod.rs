//! Helpers shared by the integration tests. Each test module uses some of them.
#![allow(dead_code)]

pub mod deploy_run;
pub mod deployment_site;
pub mod fake_apps;
pub mod fake_packages;
pub mod gen_deploy_site;
pub mod gen_deploy_support;
pub mod kuduscript;
pub mod ops_support;
pub mod parser_print;
pub mod python_deploy;
pub mod python_env;
pub mod stand_ins;
pub mod sync_tree;
pub mod test;
pub mod wheels;
