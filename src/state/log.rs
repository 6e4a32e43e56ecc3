//! The full log of a deployment, `deployments/<id>/log.txt`: append-only, unbuffered, so
//! what was written before a crash is on disk.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// An append-only writer to a deployment's log; clones share the file, and every write
/// goes straight to it in one `write` call (so lines from clones do not tear).
#[derive(Clone, Debug)]
pub struct DeploymentLog {
    file: Arc<Mutex<File>>,
    path: PathBuf,
}

impl DeploymentLog {
    /// Opens (creating it if needed) the log at `path` for appending.
    pub fn open(path: &Path) -> io::Result<DeploymentLog> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        Ok(DeploymentLog {
            file: Arc::new(Mutex::new(file)),
            path: path.to_owned(),
        })
    }

    /// Where the log is.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Write for DeploymentLog {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut file = self
            .file
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        file.write_all(buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
