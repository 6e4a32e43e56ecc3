//! The deployment record: one state folder per target ([`StateDir`], whose documentation
//! gives its place and layout), one deploy at a time ([`DeployLock`]), a record and a log
//! per deployment ([`Deployment`]), the `last-success` pointer, `/ONCE` tokens and
//! `/IFCHANGED` hashes committed only on success, pruning, the Kudu variables
//! ([`KuduEnv`]) and `run-deploy list`/`log` ([`render_list`], [`render_log`]).

mod committed;
mod deployment_id;
mod kudu_env;
mod listing;
mod lock;
mod log;
mod post_deploy;
mod prune;
mod record;
mod running;
mod state_dir;
mod time_text;

pub use crate::atomic_write::{read_json, write_atomic, write_json_atomic, TEMP_PREFIX};
pub use committed::{content_hash, ChangeStatus, OnceTokenUse, MISSING};
pub use deployment_id::DeploymentId;
pub use kudu_env::{KuduEnv, KuduEnvInputs};
pub use listing::{find_deployment, render_list, render_log, ListingError};
pub use lock::{DeployLock, LockError, LockHolder, LockState};
pub use log::DeploymentLog;
pub use post_deploy::{PostDeployAction, PostDeployKind, SkippedPostDeployFile};
pub use record::{DeploymentRecord, Status};
pub use running::{BeginOptions, Deployment, Finished, DEFAULT_KEEP};
pub use state_dir::{StateDir, PYTHON_PROBES_FILE, STATE_FOLDER_NAME};
pub use time_text::{format_duration, format_time};
