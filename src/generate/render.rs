//! Rendering the templates under templates/ (embedded in the binary) with minijinja.

use crate::generate::config::ScriptStyle;
use crate::generate::context::TemplateContext;
use crate::generate::directives::DirectiveLines;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;

/// The directive script template.
const DEPLOY_CMD: &str = "deploy.cmd.j2";
/// The classic Kudu-style script template (`--kudu`).
const KUDU_DEPLOY_CMD: &str = "kudu-deploy.cmd.j2";
/// The `.deployment` template.
const DEPLOYMENT: &str = "deployment.j2";

/// The rendered files, ready to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    /// The script, with CRLF line ends (as Kudu writes them; cmd.exe needs them to find
    /// labels reliably, and run-deploy reads both).
    pub script: String,
    /// `.deployment`, with LF line ends (an INI file; Kudu reads either).
    pub deployment: String,
}

/// The one template environment: templates embedded, no auto-escaping (this is batch, not
/// HTML), undefined variables are errors, the trailing newline kept, blocks trimmed.
pub fn environment() -> Result<Environment<'static>, minijinja::Error> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_keep_trailing_newline(true);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.add_template(DEPLOY_CMD, include_str!("../../templates/deploy.cmd.j2"))?;
    env.add_template(
        KUDU_DEPLOY_CMD,
        include_str!("../../templates/kudu-deploy.cmd.j2"),
    )?;
    env.add_template(DEPLOYMENT, include_str!("../../templates/deployment.j2"))?;
    Ok(env)
}

/// What the templates see: the context's fields, and `directives`, the directive lines.
#[derive(Serialize)]
struct ScriptContext<'a> {
    /// The decisions.
    #[serde(flatten)]
    context: &'a TemplateContext,
    /// The directive lines, written by the formatter run-deploy's parser reads back.
    directives: &'a DirectiveLines,
}

/// Renders the script of `style` and `.deployment` from `context` and its directive lines.
pub fn render(
    context: &TemplateContext,
    directives: &DirectiveLines,
    style: ScriptStyle,
) -> Result<Rendered, minijinja::Error> {
    let context = ScriptContext {
        context,
        directives,
    };
    let env = environment()?;
    let script_template = match style {
        ScriptStyle::Directives => DEPLOY_CMD,
        ScriptStyle::Kudu => KUDU_DEPLOY_CMD,
    };
    let script = env.get_template(script_template)?.render(&context)?;
    let deployment = env.get_template(DEPLOYMENT)?.render(&context)?;
    Ok(Rendered {
        script: script.replace('\n', "\r\n"),
        deployment,
    })
}

#[cfg(test)]
mod tests {
    use super::environment;

    #[test]
    fn undefined_variables_are_errors_and_nothing_is_escaped() {
        let env = environment().unwrap();
        assert!(env.render_str("{{ missing }}", ()).is_err());
        let text = env
            .render_str("  {% if true %}\nIF \"<a>\" & b\n  {% endif %}\n", ())
            .unwrap();
        assert_eq!(text, "IF \"<a>\" & b\n");
    }
}
