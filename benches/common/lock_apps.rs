//! The deploy bench's lock-file apps (`DEPLOY_BENCH_ROWS=locks`): samples/uv-app,
//! samples/poetry-app and samples/pipenv-app, each deployed by run-deploy with its committed
//! deploy.cmd, and by Kudu's flow the way a Kudu user deploys such an app: Kudu reads no
//! lock file, so the user exports the lock to a requirements.txt with the tool once and
//! commits it. The bench makes that export in its set-up, outside the timings, with the
//! tool's own defaults (hashes where the tool writes them).

use std::path::Path;
use std::process::Command;

/// One lock-file sample and how its user would export it for Kudu.
pub struct LockApp {
    /// The folder under samples/.
    pub sample: &'static str,
    /// The lock file, as the table names it.
    pub lock_file: &'static str,
    /// The export command, run in the app; it writes `requirements.txt`.
    export: &'static [&'static str],
}

/// The three lock managers, in the table's order.
pub const LOCK_APPS: [LockApp; 3] = [
    LockApp {
        sample: "uv-app",
        lock_file: "uv.lock",
        export: &[
            "uv",
            "export",
            "--frozen",
            "--no-dev",
            "--no-emit-project",
            "-o",
            "requirements.txt",
        ],
    },
    LockApp {
        sample: "poetry-app",
        lock_file: "poetry.lock",
        export: &["poetry", "export", "-o", "requirements.txt"],
    },
    LockApp {
        sample: "pipenv-app",
        lock_file: "Pipfile.lock",
        // `pipenv requirements` prints to stdout; see `export_requirements`.
        export: &["pipenv", "requirements"],
    },
];

impl LockApp {
    /// Exports the lock of the app checked out in `app` to the requirements.txt a Kudu
    /// user would commit, and returns its text. `env` keeps the tools offline and their
    /// caches out of the user's home.
    pub fn export_requirements(&self, app: &Path, env: &[(String, String)]) -> String {
        let output = Command::new(self.export[0])
            .args(&self.export[1..])
            .current_dir(app)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .output()
            .expect("start the export");
        assert!(
            output.status.success(),
            "{:?} failed:\n{}{}",
            self.export,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let written = app.join("requirements.txt");
        if written.exists() {
            std::fs::read_to_string(written).unwrap()
        } else {
            String::from_utf8(output.stdout).unwrap()
        }
    }
}
