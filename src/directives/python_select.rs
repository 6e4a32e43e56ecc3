//! `PYTHON SELECT`: choose the interpreter the app asks for (runtime.txt, .python-version,
//! requires-python) and set `PYTHON_EXE` and friends for the rest of the script. Choosing
//! changes nothing in the site, so a dry run and a real run both set the variables.

use super::paths::app_dir;
use super::{Applied, Applying, Plan, Planning, Session};
use crate::interpreter::DirectiveContext;
use crate::python::select::{select_python, Selection};
use crate::report::event::Decision;
use anyhow::anyhow;

/// The interpreter chosen.
pub struct PythonSelectStep {
    selection: Selection,
}

/// Chooses the interpreter for the app in `%DEPLOYMENT_SOURCE%`.
pub fn plan(planning: &Planning) -> anyhow::Result<PythonSelectStep> {
    let app = app_dir(planning.context, "DEPLOYMENT_SOURCE");
    let environment = planning.context.environment();
    let selection = select_python(&app, &environment).map_err(|error| anyhow!("{error}"))?;
    Ok(PythonSelectStep { selection })
}

impl Plan for PythonSelectStep {
    fn decision(&self) -> Decision {
        Decision::Select
    }

    fn reason(&self) -> String {
        self.selection.describe()
    }

    fn follow(&self, _session: &mut Session, context: &mut DirectiveContext) {
        for (name, value) in self.selection.variables() {
            context.set(name, &value);
        }
    }

    fn apply(self: Box<Self>, _applying: &mut Applying) -> anyhow::Result<Applied> {
        Ok(Applied::as_decided(&*self, self.reason()))
    }
}
