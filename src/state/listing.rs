//! `run-deploy list` and `run-deploy log [ID]`: the recorded deployments, rendered as text.

use super::deployment_id::DeploymentId;
use super::record::{DeploymentRecord, Status};
use super::state_dir::StateDir;
use super::time_text::{format_duration, format_time};
use std::io::Write;
use std::path::PathBuf;

/// Why a list or a log could not be shown.
#[derive(Debug, thiserror::Error)]
pub enum ListingError {
    /// No deployment has that id (or id prefix).
    #[error("no deployment `{id}` in `{}`; run `run-deploy list` to see the ids", state_dir.display())]
    UnknownDeployment {
        /// The id asked for.
        id: String,
        /// The state folder searched.
        state_dir: PathBuf,
    },
    /// The id prefix matches more than one deployment.
    #[error("`{id}` matches {} deployments ({}); give more of the id", matches.len(), matches.iter().map(DeploymentId::as_str).collect::<Vec<_>>().join(", "))]
    AmbiguousDeployment {
        /// The prefix asked for.
        id: String,
        /// The ids it matches.
        matches: Vec<DeploymentId>,
    },
    /// `run-deploy log` without an id, and nothing was ever deployed.
    #[error("no deployments recorded in `{}` yet", state_dir.display())]
    NoDeployments {
        /// The state folder searched.
        state_dir: PathBuf,
    },
    /// The state folder could not be read, or the output could not be written.
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// Writes the table of deployments, newest first, marking the last success with `*`.
pub fn render_list(state: &StateDir, out: &mut dyn Write) -> Result<(), ListingError> {
    let records = state.deployments()?;
    let last_success = state.last_success()?;
    let write = |out: &mut dyn Write, line: String| {
        writeln!(out, "{}", line.trim_end())
            .map_err(|err| anyhow::Error::new(err).context("cannot write the list"))
    };
    if records.is_empty() {
        write(
            out,
            format!(
                "no deployments recorded in `{}` yet",
                state.root().display()
            ),
        )?;
        return Ok(());
    }
    write(
        out,
        format!(
            "  {:<21}  {:<11}  {:<23}  {:>8}  {}",
            "ID", "STATUS", "STARTED", "DURATION", "EXIT"
        ),
    )?;
    for record in &records {
        let marker = if Some(&record.id) == last_success.as_ref() {
            "*"
        } else {
            " "
        };
        write(
            out,
            format!(
                "{marker} {:<21}  {:<11}  {:<23}  {:>8}  {}",
                record.id.as_str(),
                record.status.to_string(),
                format_time(record.started_at),
                record
                    .duration()
                    .map_or_else(|| "-".to_owned(), format_duration),
                record
                    .exit_code
                    .map_or_else(|| "-".to_owned(), |code| code.to_string())
            ),
        )?;
    }
    if last_success.is_some() {
        write(out, "* last successful deployment".to_owned())?;
    }
    Ok(())
}

/// Writes a header about deployment `id` (the newest when `None`; a unique prefix of an
/// id is enough) followed by its full log.
pub fn render_log(
    state: &StateDir,
    id: Option<&str>,
    out: &mut dyn Write,
) -> Result<(), ListingError> {
    let id = find_deployment(state, id)?;
    let unknown = || ListingError::UnknownDeployment {
        id: id.to_string(),
        state_dir: state.root().to_owned(),
    };
    let record = state.deployment(&id)?.ok_or_else(unknown)?;
    let log = std::fs::read(state.log_path(&id)).unwrap_or_default();
    let mut text = header(&record, state.last_success()?.as_ref() == Some(&id));
    text.push('\n');
    out.write_all(text.as_bytes())
        .and_then(|()| out.write_all(&log))
        .map_err(|err| anyhow::Error::new(err).context("cannot write the log"))?;
    Ok(())
}

/// The deployment `wanted` names (exact id or unique prefix), or the newest.
pub fn find_deployment(
    state: &StateDir,
    wanted: Option<&str>,
) -> Result<DeploymentId, ListingError> {
    let ids = state.deployment_ids()?;
    let Some(wanted) = wanted else {
        return ids
            .last()
            .cloned()
            .ok_or_else(|| ListingError::NoDeployments {
                state_dir: state.root().to_owned(),
            });
    };
    if let Some(exact) = ids.iter().find(|id| id.as_str() == wanted) {
        return Ok(exact.clone());
    }
    let matches: Vec<DeploymentId> = ids
        .into_iter()
        .filter(|id| !wanted.is_empty() && id.as_str().starts_with(wanted))
        .collect();
    match matches.len() {
        0 => Err(ListingError::UnknownDeployment {
            id: wanted.to_owned(),
            state_dir: state.root().to_owned(),
        }),
        1 => Ok(matches.into_iter().next().expect("one match")),
        _ => Err(ListingError::AmbiguousDeployment {
            id: wanted.to_owned(),
            matches,
        }),
    }
}

fn header(record: &DeploymentRecord, is_last_success: bool) -> String {
    let mut lines = vec![format!(
        "deployment {}{}",
        record.id,
        if is_last_success {
            " (last successful deployment)"
        } else {
            ""
        }
    )];
    lines.push(format!("status:   {}", record.status));
    lines.push(format!("started:  {}", format_time(record.started_at)));
    if let Some(end) = record.finished_at {
        lines.push(format!("finished: {}", format_time(end)));
    }
    if let Some(duration) = record.duration() {
        lines.push(format!("duration: {}", format_duration(duration)));
    }
    if let Some(code) = record.exit_code {
        lines.push(format!("exit:     {code}"));
    }
    lines.push(format!("source:   {}", record.source.display()));
    lines.push(format!("target:   {}", record.target.display()));
    if let Some(script) = &record.script {
        lines.push(format!("script:   {}", script.display()));
    }
    for (name, value) in &record.fingerprints {
        lines.push(format!("input:    {name} {value}"));
    }
    if record.status == Status::Interrupted && record.exit_code.is_none() {
        lines.push("note:     its process died before it finished".to_owned());
    }
    lines.join("\n") + "\n"
}
