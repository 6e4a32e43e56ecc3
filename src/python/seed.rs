//! Seeding pip into an env that `python -m venv --without-pip` just made: the
//! interpreter's entry of the seed cache ([`super::seed_cache`]) is copied into the env's
//! site-packages (each file checked), the console scripts `pip`, `pip3` and `pip3.X` are
//! written with the env's python in their first line, and each RECORD is completed with
//! them. The env is then the one `python -m venv` makes: the same packages, compiled, with
//! the INSTALLER and RECORD that let pip upgrade and uninstall itself later.

use super::discover::Interpreter;
use super::seed_cache::{
    modified_time, read_checked, record_line, write_file, Build, ConsoleScript, SeedCache,
    SeedEntry, SeedWheel,
};
use super::seed_error::SeedError;
use super::version::PythonVersion;
use crate::process::Environment;
use std::path::{Path, PathBuf};

/// Where the seed came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seeded {
    /// The interpreter's cached entry.
    FromCache,
    /// An entry built now (none was cached, or the cached one was corrupt).
    Built,
    /// Nothing: the interpreter has no wheels for ensurepip (the caller runs ensurepip,
    /// which says what is missing).
    NotBundled,
}

/// The longest first line Linux runs (`#!` included); a longer one, or a path with a
/// space, goes through `/bin/sh`.
const SHEBANG_LIMIT: usize = 127;

/// Seeds the env in `env_dir` with what `interpreter`'s ensurepip would install, from
/// `cache` (building the entry when it is missing, and again when a cached file turns out
/// corrupt).
pub fn seed_env(
    cache: &SeedCache,
    interpreter: &Interpreter,
    env_dir: &Path,
    environment: &Environment,
) -> Result<Seeded, SeedError> {
    let site_packages = site_packages(env_dir)?;
    let entry_dir = cache.entry_dir(interpreter);
    let seen = cache.load(interpreter);
    if let Some(entry) = &seen {
        match install(&entry_dir, entry, env_dir, &site_packages) {
            Err(SeedError::Corrupt { .. }) => {
                // Start again from an empty site-packages, with a rebuilt entry (or one
                // another deploy put in place while this one copied).
                std::fs::remove_dir_all(&site_packages)
                    .and_then(|()| std::fs::create_dir(&site_packages))
                    .map_err(SeedError::io("empty", &site_packages))?;
            }
            other => return other.map(|()| Seeded::FromCache),
        }
    }
    match cache.build(interpreter, environment, seen.as_ref())? {
        Build::Now(entry) => {
            install(&entry_dir, &entry, env_dir, &site_packages).map(|()| Seeded::Built)
        }
        Build::ByAnother(entry) => {
            install(&entry_dir, &entry, env_dir, &site_packages).map(|()| Seeded::FromCache)
        }
        Build::NotBundled => Ok(Seeded::NotBundled),
    }
}

/// The env's `lib/<python>/site-packages` (venv makes exactly one).
fn site_packages(env_dir: &Path) -> Result<PathBuf, SeedError> {
    let lib = env_dir.join("lib");
    let found: Vec<PathBuf> = std::fs::read_dir(&lib)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path().join("site-packages"))
        .filter(|path| path.is_dir())
        .collect();
    match <[PathBuf; 1]>::try_from(found) {
        Ok([one]) => Ok(one),
        Err(_) => Err(SeedError::NoSitePackages {
            env_dir: env_dir.to_path_buf(),
        }),
    }
}

/// Copies `entry` into `site_packages` and writes the console scripts into `env/bin`.
fn install(
    entry_dir: &Path,
    entry: &SeedEntry,
    env_dir: &Path,
    site_packages: &Path,
) -> Result<(), SeedError> {
    let bin = env_dir.join("bin");
    let python = std::path::absolute(bin.join("python")).map_err(SeedError::io("resolve", &bin))?;
    // RECORD names the scripts relative to site-packages: `../../../bin/pip`.
    let depth = site_packages
        .strip_prefix(env_dir)
        .map_or(3, |p| p.components().count());
    let bin_from_site_packages = format!("{}bin", "../".repeat(depth));
    let time = modified_time(entry);
    for wheel in &entry.wheels {
        let mut scripts_record = String::new();
        for (name, script) in scripts(wheel, entry.version) {
            let text = script_text(&python, script);
            write_file(&bin.join(&name), text.as_bytes(), true, None)?;
            scripts_record.push_str(&record_line(
                &format!("{bin_from_site_packages}/{name}"),
                text.as_bytes(),
            ));
        }
        let record = format!("{}/RECORD", wheel.dist_info);
        for file in &wheel.files {
            let mut bytes = read_checked(entry_dir, file)?;
            if file.path == record {
                bytes.extend_from_slice(scripts_record.as_bytes());
            }
            write_file(
                &site_packages.join(&file.path),
                &bytes,
                file.executable,
                Some(time),
            )?;
        }
    }
    Ok(())
}

/// The scripts to write for `wheel` and what each runs. As pip does when it installs
/// itself or setuptools, versioned names follow the env's Python, not the Python that
/// built the wheel: `pip`, `pip3`, `pip3.12`; `easy_install`, `easy_install-3.7`.
fn scripts(wheel: &SeedWheel, version: PythonVersion) -> Vec<(String, &ConsoleScript)> {
    let families: [(&str, Vec<String>); 2] = [
        (
            "pip",
            vec![
                "pip".to_string(),
                format!("pip{}", version.major),
                format!("pip{}", version.major_minor()),
            ],
        ),
        (
            "easy_install",
            vec![
                "easy_install".to_string(),
                format!("easy_install-{}", version.major_minor()),
            ],
        ),
    ];
    let mut written = Vec::new();
    let mut family_done = [false; 2];
    for script in &wheel.console_scripts {
        let family = families
            .iter()
            .position(|(stem, _)| in_family(&script.name, stem));
        match family {
            Some(index) if !family_done[index] => {
                family_done[index] = true;
                written.extend(families[index].1.iter().map(|name| (name.clone(), script)));
            }
            Some(_) => {}
            None => written.push((script.name.clone(), script)),
        }
    }
    written
}

/// True for `pip`, `pip3`, `pip3.11` (stem `pip`) and `easy_install`, `easy_install-3.6`.
fn in_family(name: &str, stem: &str) -> bool {
    name.strip_prefix(stem).is_some_and(|rest| {
        rest.trim_start_matches('-')
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.')
    })
}

/// A console script that runs `script` with `python`.
fn script_text(python: &Path, script: &ConsoleScript) -> String {
    let python = python.display().to_string();
    let first_line = if python.contains(' ') || python.len() + 2 > SHEBANG_LIMIT {
        // Linux cuts long first lines: let the shell start python on this file instead.
        format!("#!/bin/sh\n'''exec' \"{python}\" \"$0\" \"$@\"\n' '''")
    } else {
        format!("#!{python}")
    };
    let imported = script.function.split('.').next().unwrap_or_default();
    format!(
        "{first_line}\n\
         # -*- coding: utf-8 -*-\n\
         import re\n\
         import sys\n\
         from {module} import {imported}\n\
         if __name__ == '__main__':\n    \
         sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n    \
         sys.exit({function}())\n",
        module = script.module,
        function = script.function,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn script(name: &str) -> ConsoleScript {
        ConsoleScript {
            name: name.into(),
            module: "pip._internal.cli.main".into(),
            function: "main".into(),
        }
    }

    #[test]
    fn versioned_script_names_follow_the_envs_python() {
        let wheel = SeedWheel {
            name: "pip".into(),
            version: "23.2.1".into(),
            dist_info: "pip-23.2.1.dist-info".into(),
            console_scripts: vec![
                script("pip"),
                script("pip3"),
                script("pip3.11"),
                script("other"),
            ],
            files: Vec::new(),
        };
        let version = PythonVersion::parse("3.12.1").unwrap();
        let names: Vec<String> = scripts(&wheel, version)
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(names, ["pip", "pip3", "pip3.12", "other"]);
    }

    #[test]
    fn a_script_names_its_python_or_goes_through_sh_when_the_path_is_long() {
        let text = script_text(Path::new("/site/env/bin/python"), &script("pip"));
        assert_eq!(
            text,
            "#!/site/env/bin/python\n\
             # -*- coding: utf-8 -*-\n\
             import re\n\
             import sys\n\
             from pip._internal.cli.main import main\n\
             if __name__ == '__main__':\n    \
             sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n    \
             sys.exit(main())\n"
        );
        let long = format!("/{}/env/bin/python", "d".repeat(120));
        let text = script_text(Path::new(&long), &script("pip"));
        assert!(text.starts_with(&format!(
            "#!/bin/sh\n'''exec' \"{long}\" \"$0\" \"$@\"\n' '''\n# -*- coding: utf-8 -*-\n"
        )));
    }
}
