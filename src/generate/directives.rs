//! The directive lines of a generated script as typed arguments (the structs run-deploy
//! parses them into), decided from the template context and written by the one formatter
//! ([`crate::commands::render`]), so every line gen-deploy writes parses back to what it
//! was written from.

use crate::commands::args::{
    CollectstaticArgs, DirectiveArgs, RemovalWhen, SyncArgs, VenvEnsureArgs, VenvInstallArgs,
    VenvRemoveArgs,
};
use crate::commands::render::{render, RenderError};
use crate::generate::context::TemplateContext;
use serde::Serialize;

/// Every directive a generated script holds, commented-out ones included, as typed
/// arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptDirectives {
    /// `SYNC /IGNORE ...`.
    pub sync: SyncArgs,
    /// The three commented-out `VENV REMOVE` lines: every deploy, `/ONCE`, `/IFCHANGED`.
    pub venv_remove: [VenvRemoveArgs; 3],
    /// `VENV ENSURE`.
    pub venv_ensure: VenvEnsureArgs,
    /// `VENV INSTALL`, when the app lists packages.
    pub venv_install: Option<VenvInstallArgs>,
    /// `DJANGO COLLECTSTATIC`, for a Django project.
    pub collectstatic: Option<CollectstaticArgs>,
}

/// The same directives as the lines the templates print.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DirectiveLines {
    /// `SYNC /IGNORE ".git;.hg;.deployment;deploy.cmd"`.
    pub sync: String,
    /// `PYTHON SELECT`.
    pub python_select: String,
    /// `VENV REMOVE`.
    pub venv_remove: String,
    /// `VENV REMOVE /ONCE 2026-12-02`.
    pub venv_remove_once: String,
    /// `VENV REMOVE /IFCHANGED requirements.txt`.
    pub venv_remove_ifchanged: String,
    /// `VENV ENSURE /INSTALLER uv`.
    pub venv_ensure: String,
    /// `VENV INSTALL -r requirements.txt`.
    pub venv_install: Option<String>,
    /// `DJANGO COLLECTSTATIC`.
    pub collectstatic: Option<String>,
}

impl ScriptDirectives {
    /// The directives the script for `context` holds.
    pub fn build(context: &TemplateContext) -> ScriptDirectives {
        let ifchanged = context
            .install
            .as_ref()
            .map(|target| target.value.inputs.clone())
            .unwrap_or_else(|| vec!["requirements.txt".to_string()]);
        let remove = |when| VenvRemoveArgs { dir: None, when };
        ScriptDirectives {
            sync: SyncArgs {
                ignore: vec![context.sync_ignore.clone()],
                ..SyncArgs::default()
            },
            venv_remove: [
                remove(RemovalWhen::Always),
                remove(RemovalWhen::Once(context.once_token.clone())),
                remove(RemovalWhen::IfChanged(ifchanged)),
            ],
            venv_ensure: VenvEnsureArgs {
                dir: None,
                installer: context.venv_installer.clone(),
            },
            venv_install: context.install.as_ref().map(|target| VenvInstallArgs {
                inputs: target.value.words.clone(),
                installer: context.pip_installer.clone(),
                sync: false,
            }),
            collectstatic: context.collectstatic.then(CollectstaticArgs::default),
        }
    }

    /// Every directive, in the order the script holds them.
    pub fn all(&self) -> Vec<DirectiveArgs> {
        let mut all = vec![
            DirectiveArgs::Sync(self.sync.clone()),
            DirectiveArgs::PythonSelect,
        ];
        all.extend(
            self.venv_remove
                .iter()
                .cloned()
                .map(DirectiveArgs::VenvRemove),
        );
        all.push(DirectiveArgs::VenvEnsure(self.venv_ensure.clone()));
        all.extend(self.venv_install.clone().map(DirectiveArgs::VenvInstall));
        all.extend(
            self.collectstatic
                .clone()
                .map(DirectiveArgs::DjangoCollectstatic),
        );
        all
    }

    /// The lines, written by the formatter run-deploy's parser reads back.
    pub fn lines(&self) -> Result<DirectiveLines, RenderError> {
        let [always, once, ifchanged] = &self.venv_remove;
        let remove = |args: &VenvRemoveArgs| render(&DirectiveArgs::VenvRemove(args.clone()));
        Ok(DirectiveLines {
            sync: render(&DirectiveArgs::Sync(self.sync.clone()))?,
            python_select: render(&DirectiveArgs::PythonSelect)?,
            venv_remove: remove(always)?,
            venv_remove_once: remove(once)?,
            venv_remove_ifchanged: remove(ifchanged)?,
            venv_ensure: render(&DirectiveArgs::VenvEnsure(self.venv_ensure.clone()))?,
            venv_install: self
                .venv_install
                .clone()
                .map(|args| render(&DirectiveArgs::VenvInstall(args)))
                .transpose()?,
            collectstatic: self
                .collectstatic
                .clone()
                .map(|args| render(&DirectiveArgs::DjangoCollectstatic(args)))
                .transpose()?,
        })
    }
}
