//! [`SiteView`]: the site as a directive's plan reads it. In a real run every earlier step
//! has already changed the disk, so the view reads the disk. In a dry run nothing changes,
//! so the view holds what the earlier planned steps would have changed (the files SYNC
//! would copy or delete, an env VENV ENSURE would rebuild) and answers from that: every
//! later plan then reads what the real run would read.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The site as the next plan must see it.
#[derive(Debug, Default)]
pub struct SiteView {
    /// Planned SYNCs, newest last: what each would copy, delete or replace whole.
    syncs: Vec<PlannedSync>,
    /// Env folders a planned VENV ENSURE would build anew.
    rebuilt_envs: BTreeSet<PathBuf>,
}

/// What one planned SYNC would change in its target.
#[derive(Debug)]
struct PlannedSync {
    source: PathBuf,
    target: PathBuf,
    /// Target-relative paths that would be copied from the source.
    copies: BTreeSet<PathBuf>,
    /// Target-relative paths that would be deleted.
    deletes: BTreeSet<PathBuf>,
    /// Target-relative folders that would be moved aside whole, then copied anew.
    replaced: Vec<PathBuf>,
}

/// Where the content of a site path is to be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Located {
    /// At this path (the path itself, or its source copy a planned SYNC would bring).
    At(PathBuf),
    /// Nowhere: a planned step would delete it.
    Gone,
}

impl SiteView {
    /// A view with nothing planned: it reads the disk.
    pub fn new() -> SiteView {
        SiteView::default()
    }

    /// Remembers what a SYNC from `source` into `target` would change.
    pub fn absorb_sync(
        &mut self,
        source: &Path,
        target: &Path,
        copies: impl IntoIterator<Item = PathBuf>,
        deletes: impl IntoIterator<Item = PathBuf>,
        replaced: Vec<PathBuf>,
    ) {
        self.syncs.push(PlannedSync {
            source: source.to_path_buf(),
            target: target.to_path_buf(),
            copies: copies.into_iter().collect(),
            deletes: deletes.into_iter().collect(),
            replaced,
        });
    }

    /// Remembers that VENV ENSURE would build the env in `env_dir` anew.
    pub fn absorb_rebuild(&mut self, env_dir: &Path) {
        self.rebuilt_envs.insert(env_dir.to_path_buf());
    }

    /// True when a planned VENV ENSURE would have built `env_dir` anew (its marker, and so
    /// the identity a pip fingerprint records, would be new).
    pub fn env_rebuilt(&self, env_dir: &Path) -> bool {
        self.rebuilt_envs.contains(env_dir)
    }

    /// Where the content `path` would have is read from now.
    pub fn locate(&self, path: &Path) -> Located {
        for sync in self.syncs.iter().rev() {
            let Ok(relative) = path.strip_prefix(&sync.target) else {
                continue;
            };
            if sync.copies.contains(relative)
                || sync.replaced.iter().any(|dir| relative.starts_with(dir))
            {
                return Located::At(sync.source.join(relative));
            }
            if sync.deletes.contains(relative) {
                return Located::Gone;
            }
        }
        Located::At(path.to_path_buf())
    }

    /// Where to read the folder `dir` from: its source copy when a planned SYNC would bring
    /// it whole (replaced, or not in the site yet and copied), else the folder itself.
    pub fn locate_dir(&self, dir: &Path) -> PathBuf {
        for sync in self.syncs.iter().rev() {
            let Ok(relative) = dir.strip_prefix(&sync.target) else {
                continue;
            };
            let replaced = sync
                .replaced
                .iter()
                .any(|folder| relative.starts_with(folder));
            let brought =
                !dir.exists() && sync.copies.iter().any(|copy| copy.starts_with(relative));
            if replaced || brought {
                return sync.source.join(relative);
            }
        }
        dir.to_path_buf()
    }

    /// The site path a located path stands for (the inverse of [`SiteView::locate`]), for
    /// names shown relative to the site.
    pub fn site_path(&self, located: &Path) -> PathBuf {
        for sync in self.syncs.iter().rev() {
            if let Ok(relative) = located.strip_prefix(&sync.source) {
                if sync.copies.contains(relative)
                    || sync.replaced.iter().any(|dir| relative.starts_with(dir))
                {
                    return sync.target.join(relative);
                }
            }
        }
        located.to_path_buf()
    }

    /// True when `path` would exist.
    pub fn exists(&self, path: &Path) -> bool {
        match self.locate(path) {
            Located::At(at) => at.exists(),
            Located::Gone => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_planned_copy_is_read_from_the_source_and_a_planned_delete_is_gone() {
        let mut view = SiteView::new();
        let site = Path::new("/site/requirements.txt");
        assert_eq!(view.locate(site), Located::At(site.to_path_buf()));
        view.absorb_sync(
            Path::new("/repo"),
            Path::new("/site"),
            [PathBuf::from("requirements.txt")],
            [PathBuf::from("old.py")],
            vec![PathBuf::from("env")],
        );
        assert_eq!(
            view.locate(site),
            Located::At(PathBuf::from("/repo/requirements.txt"))
        );
        assert_eq!(view.locate(Path::new("/site/old.py")), Located::Gone);
        assert_eq!(
            view.locate(Path::new("/site/app.py")),
            Located::At(PathBuf::from("/site/app.py"))
        );
        assert_eq!(
            view.locate_dir(Path::new("/site/env")),
            PathBuf::from("/repo/env")
        );
        assert_eq!(
            view.site_path(Path::new("/repo/requirements.txt")),
            PathBuf::from("/site/requirements.txt")
        );
        assert!(!view.env_rebuilt(Path::new("/site/env")));
        view.absorb_rebuild(Path::new("/site/env"));
        assert!(view.env_rebuilt(Path::new("/site/env")));
    }
}
