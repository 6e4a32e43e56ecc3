//! A cold pip deploy seeds pip into the new env from the seed cache (`python -m venv
//! --without-pip`, then ensurepip's own wheels copied in). Through the real binary, with
//! real Python and pip: the env is the one `python -m venv` makes (its pip runs, names the
//! env, installs, uninstalls itself), Kudu's own script finds it compatible, a corrupt or
//! partial cache entry is rebuilt rather than used, and a deploy killed anywhere in the
//! middle is followed by one that succeeds. Most tests here keep the cache in the state
//! folder (`DEPLOY_SEED_CACHE`); the last ones use the user's cache folder, shared by
//! every site: a second site uses the entry the first built, two sites deploying at once
//! build it once, and a cache folder that cannot be made leaves the state folder's.

use crate::common::kill::{kill_tree, random_delay_ms};
use crate::common::kuduscript;
use crate::common::test::{files_under, names_in, Output, Test, SEED_CACHE_VARIABLE};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// samples/flask-app (python-3.11, Flask and gunicorn), deployed once: a cold pip deploy.
fn cold_deploy() -> Test {
    let test = Test::sample("flask-app").cold_seed_cache();
    test.deploy(&[]).expect(0);
    test
}

/// A reference env made the standard way, `python -m venv` (ensurepip), in its own
/// temporary folder, with the interpreter the deploy's env was built from.
struct ReferenceEnv {
    _dir: tempfile::TempDir,
    env: PathBuf,
}

impl ReferenceEnv {
    fn like(test: &Test) -> ReferenceEnv {
        let dir = tempfile::tempdir().unwrap();
        let env = dir.path().join("env");
        let made = test
            .bare_command(base_python(&test.env_dir()))
            .args(["-m", "venv"])
            .arg(&env)
            .output()
            .unwrap();
        assert!(made.status.success(), "{made:?}");
        ReferenceEnv { _dir: dir, env }
    }

    /// `lib/pythonX.Y/site-packages`.
    fn site_packages(&self) -> PathBuf {
        site_packages_of(&self.env)
    }
}

/// The interpreter an env was made from: `executable` in its pyvenv.cfg.
fn base_python(env: &Path) -> PathBuf {
    pyvenv_cfg(env)
        .into_iter()
        .find(|(key, _)| key == "executable")
        .map(|(_, value)| PathBuf::from(value))
        .expect("pyvenv.cfg names its executable")
}

/// The `key = value` lines of an env's pyvenv.cfg.
fn pyvenv_cfg(env: &Path) -> Vec<(String, String)> {
    std::fs::read_to_string(env.join("pyvenv.cfg"))
        .unwrap()
        .lines()
        .filter_map(|line| line.split_once(" = "))
        .map(|(key, value)| (key.to_string(), value.to_string()))
        .collect()
}

fn site_packages_of(env: &Path) -> PathBuf {
    let lib = env.join("lib");
    let version = names_in(&lib).pop().expect("env/lib/pythonX.Y");
    lib.join(version).join("site-packages")
}

/// Runs `program args` like the test's deploys do (offline, clean variables): stdout
/// when it succeeds, else panics with its output.
fn run(test: &Test, program: &Path, args: &[&str]) -> String {
    let output = test.bare_command(program).args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{} {args:?} failed:\n{}{}",
        program.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The files under `site_packages` that ensurepip's wheels put there: `*.pyc` (compiled
/// when imported) and the app's packages left out.
fn seeded_files(site_packages: &Path) -> Vec<String> {
    files_under(site_packages)
        .into_iter()
        .filter(|path| !path.ends_with(".pyc"))
        .filter(|path| {
            let top = path.split('/').next().unwrap().to_lowercase();
            !top.starts_with("flask") && !top.starts_with("gunicorn")
        })
        .collect()
}

/// The lines of a RECORD, `*.pyc` and console scripts left out (scripts name the env's own
/// python, so they differ from env to env).
fn record_of_wheel_files(record: &Path) -> Vec<String> {
    let mut lines: Vec<String> = std::fs::read_to_string(record)
        .unwrap()
        .lines()
        .filter(|line| !line.split(',').next().unwrap().ends_with(".pyc"))
        .filter(|line| !line.starts_with("../"))
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

#[test]
fn a_cold_pip_deploy_makes_the_env_python_m_venv_makes() {
    let test = cold_deploy();
    let env = test.env_dir();
    let reference = ReferenceEnv::like(&test);

    assert_eq!(
        names_in(&env.join("bin")),
        names_in(&reference.env.join("bin"))
    );
    assert_eq!(
        seeded_files(&test.site_packages()),
        seeded_files(&reference.site_packages())
    );
    for dist_info in names_in(&reference.site_packages())
        .into_iter()
        .filter(|name| name.ends_with(".dist-info"))
    {
        assert_eq!(
            record_of_wheel_files(&test.site_packages().join(&dist_info).join("RECORD")),
            record_of_wheel_files(&reference.site_packages().join(&dist_info).join("RECORD")),
            "{dist_info}/RECORD"
        );
    }

    // pyvenv.cfg is venv's own: the same lines, but the command that made it.
    let python = base_python(&env);
    let mut expected = pyvenv_cfg(&reference.env);
    for (key, value) in &mut expected {
        if key == "command" {
            *value = format!(
                "{} -m venv --without-pip {}",
                python.display(),
                env.display()
            );
        }
    }
    assert_eq!(pyvenv_cfg(&env), expected);
}

#[test]
fn the_seeded_pip_names_the_env_lists_the_requirements_and_installs_more() {
    let test = cold_deploy();
    let env = test.env_dir();
    let reference = ReferenceEnv::like(&test);
    let pip_version = run(&test, &reference.env.join("bin/pip"), &["--version"]);
    let version = pip_version.split(' ').nth(1).unwrap();

    assert_eq!(
        run(&test, &env.join("bin/pip"), &["--version"]),
        format!(
            "pip {version} from {}/pip (python 3.11)\n",
            test.site_packages().display()
        )
    );
    let standard = run(
        &test,
        &reference.env.join("bin/pip"),
        &["list", "--format=freeze"],
    );
    assert_eq!(
        run(&test, &env.join("bin/pip"), &["list", "--format=freeze"]),
        format!("Flask==3.0.3\ngunicorn==21.2.0\n{standard}")
    );

    let wheels = test.wheels.as_ref().unwrap();
    wheels.add("extra-tool", "1.4.0", &[]);
    let installed = run(
        &test,
        &env.join("bin/python"),
        &["-m", "pip", "install", "--no-index", "-q", "extra-tool"],
    );
    assert_eq!(installed, "");
    assert_eq!(test.import_version("extra_tool").as_deref(), Some("1.4.0"));
}

#[test]
fn the_seeded_pip_uninstalls_itself_completely() {
    let test = cold_deploy();
    let env = test.env_dir();
    let python = env.join("bin/python");
    run(
        &test,
        &python,
        &["-m", "pip", "uninstall", "-y", "-q", "pip"],
    );
    let left: Vec<String> = files_under(&test.site_packages())
        .into_iter()
        .filter(|path| path.starts_with("pip"))
        .collect();
    assert_eq!(left, Vec::<String>::new());
    let scripts: Vec<String> = names_in(&env.join("bin"))
        .into_iter()
        .filter(|name| name.starts_with("pip"))
        .collect();
    assert_eq!(scripts, Vec::<String>::new());
}

#[test]
fn kudus_own_python_script_finds_the_seeded_env_compatible() {
    let test = cold_deploy();
    let build_id = test.build_id();
    let pip = std::fs::read(test.env_dir().join("bin/pip")).unwrap();
    std::fs::remove_file(test.app.join("deploy.cmd")).unwrap();
    kuduscript::generate(&test.app, &["--python"]);

    let kudu = test.deploy(&[]);
    kudu.expect(0).assert_stdout_has(&[
        "Found compatible virtual environment.",
        "Finished successfully.",
    ]);
    assert!(!kudu.stdout.contains("Creating"), "{kudu}");
    assert_eq!(test.build_id(), build_id, "the env was not rebuilt");
    assert_eq!(std::fs::read(test.env_dir().join("bin/pip")).unwrap(), pip);
    assert_eq!(test.import_version("flask").as_deref(), Some("3.0.3"));
}

/// The one entry of the seed cache, in the test's state folder.
fn seed_entry(test: &Test) -> PathBuf {
    let seeds = test.state.join("seeds");
    let entries: Vec<String> = names_in(&seeds)
        .into_iter()
        .filter(|name| !name.starts_with('.'))
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    seeds.join(&entries[0])
}

#[test]
fn a_corrupt_or_partial_seed_cache_entry_is_rebuilt_never_used() {
    let test = cold_deploy();
    let reference = ReferenceEnv::like(&test);
    let standard_init = std::fs::read(reference.site_packages().join("pip/__init__.py")).unwrap();
    let entry = seed_entry(&test);
    let cached_init = entry.join("site-packages/pip/__init__.py");
    assert_eq!(std::fs::read(&cached_init).unwrap(), standard_init);

    // Same size, other bytes: only the hash tells.
    let mut corrupt = b"raise SystemExit('a corrupt seed was used')\n".to_vec();
    corrupt.resize(standard_init.len(), b'#');
    std::fs::write(&cached_init, &corrupt).unwrap();
    let leftover = test.state.join("seeds/.tmp-killed");
    std::fs::create_dir_all(&leftover).unwrap();
    std::fs::write(leftover.join("half.py"), "half").unwrap();

    test.deploy(&["--reset-env"]).expect(0);
    let site_init = test.site_packages().join("pip/__init__.py");
    assert_eq!(std::fs::read(&site_init).unwrap(), standard_init);
    assert_eq!(
        std::fs::read(&cached_init).unwrap(),
        standard_init,
        "rebuilt"
    );
    assert!(!leftover.exists(), "a killed build's leftovers are removed");
    run(&test, &test.env_dir().join("bin/pip"), &["--version"]);

    // An entry without its description (a power cut before it was written) is rebuilt.
    std::fs::remove_file(entry.join("entry.json")).unwrap();
    std::fs::remove_file(&cached_init).unwrap();
    test.deploy(&["--reset-env"]).expect(0);
    assert!(entry.join("entry.json").is_file());
    assert_eq!(std::fs::read(&cached_init).unwrap(), standard_init);
    run(&test, &test.env_dir().join("bin/pip"), &["--version"]);
}

#[test]
fn a_rebuild_seeds_from_the_cache_without_asking_python_again() {
    let test = cold_deploy();
    let entry = seed_entry(&test);
    let described = std::fs::read(entry.join("entry.json")).unwrap();
    let first_env_pip = std::fs::read(test.env_dir().join("bin/pip")).unwrap();

    test.deploy(&["--reset-env"]).expect(0);
    assert_eq!(
        std::fs::read(entry.join("entry.json")).unwrap(),
        described,
        "the entry was used as it was"
    );
    assert_eq!(
        std::fs::read(test.env_dir().join("bin/pip")).unwrap(),
        first_env_pip
    );
    run(&test, &test.env_dir().join("bin/pip"), &["--version"]);
}

/// Where a cold pip deploy is when it gets killed.
#[derive(Debug, Clone, Copy)]
enum Point {
    /// `python -m venv --without-pip` has started the env.
    EnvStarted,
    /// The seed cache entry is being built.
    CacheBuilding,
    /// The entry is built: its files are being copied into the env.
    CacheBuilt,
    /// The env has its pip: the requirements are being installed.
    PipSeeded,
}

impl Point {
    fn reached(self, test: &Test) -> bool {
        let seeds = test.state.join("seeds");
        // Every name, `.tmp-*` included (names_in leaves out hidden ones).
        let names = || -> Vec<String> {
            std::fs::read_dir(&seeds)
                .into_iter()
                .flatten()
                .flatten()
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .collect()
        };
        match self {
            Point::EnvStarted => test.env_dir().join("pyvenv.cfg").exists(),
            Point::CacheBuilding => names().iter().any(|name| name.starts_with(".tmp-")),
            Point::CacheBuilt => names()
                .iter()
                .any(|name| !name.starts_with('.') && seeds.join(name).join("entry.json").exists()),
            Point::PipSeeded => test.env_dir().join("bin/pip").exists(),
        }
    }
}

#[test]
fn a_cold_pip_deploy_killed_anywhere_is_followed_by_a_deploy_that_succeeds() {
    for point in [
        Point::EnvStarted,
        Point::CacheBuilding,
        Point::CacheBuilt,
        Point::PipSeeded,
    ] {
        let test = Test::sample("flask-app").cold_seed_cache();
        let mut child = test.spawn_quietly(&[]);
        loop {
            if point.reached(&test) {
                break;
            }
            assert!(
                child.try_wait().unwrap().is_none(),
                "the deploy ended before {point:?}"
            );
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        let delay = random_delay_ms();
        eprintln!("{point:?}: killed {delay} ms after it");
        std::thread::sleep(std::time::Duration::from_millis(delay));
        kill_tree(&mut child);

        let next = test.deploy(&[]);
        next.expect(0);
        assert_eq!(
            test.import_version("flask").as_deref(),
            Some("3.0.3"),
            "{point:?}"
        );
        run(&test, &test.env_dir().join("bin/pip"), &["--version"]);
        let entry = seed_entry(&test);
        assert!(entry.join("entry.json").is_file(), "{point:?}");
    }
}

/// samples/flask-app whose deploys keep the seed cache in the user's cache folder, as
/// deploys do by default: `XDG_CACHE_HOME` is `xdg_cache` and `DEPLOY_SEED_CACHE` unset
/// (empty).
fn site_sharing(xdg_cache: &Path) -> Test {
    Test::sample("flask-app")
        .env("XDG_CACHE_HOME", &xdg_cache.display().to_string())
        .env(SEED_CACHE_VARIABLE, "")
}

/// The seed cache folder in the user's cache folder `xdg_cache`.
fn users_seeds(xdg_cache: &Path) -> PathBuf {
    xdg_cache.join("deploy-script/seeds")
}

/// The entries (not `.lock`, not `.tmp-*`) of the seed cache `seeds`.
fn entries_of(seeds: &Path) -> Vec<String> {
    names_in(seeds)
        .into_iter()
        .filter(|name| !name.starts_with('.'))
        .collect()
}

/// What VENV ENSURE said of the seed, from a `--verbose` deploy's output.
fn seed_line(output: &Output) -> String {
    let said = format!("{}{}", output.stdout, output.stderr);
    let lines: Vec<&str> = said
        .lines()
        .filter(|line| line.contains("pip seeded from"))
        .collect();
    assert_eq!(
        lines.len(),
        1,
        "one line says where pip came from:\n{output}"
    );
    lines[0].to_string()
}

#[test]
fn a_second_sites_cold_deploy_seeds_from_the_entry_the_first_site_built_in_the_users_cache() {
    let xdg = tempfile::TempDir::new().unwrap();
    let seeds = users_seeds(xdg.path());
    let first = site_sharing(xdg.path());
    let output = first.deploy(&["-v"]);
    output.expect(0);
    assert_eq!(
        seed_line(&output),
        format!(
            "run-deploy: pip seeded from the seed cache `{}`, whose entry for this interpreter was built now",
            seeds.display()
        )
    );
    let entries = entries_of(&seeds);
    assert_eq!(entries.len(), 1, "{entries:?}");
    let entry = seeds.join(&entries[0]);
    let built = std::fs::metadata(&entry).unwrap().ino();
    assert!(
        !first.state.join("seeds").exists(),
        "the state folder keeps no seeds of its own"
    );

    let second = site_sharing(xdg.path());
    // Seeds an earlier run-deploy kept in the state folder are not needed any more.
    let old_seeds = second.state.join("seeds/0123456789abcdef/site-packages");
    std::fs::create_dir_all(&old_seeds).unwrap();
    let output = second.deploy(&["-v"]);
    output.expect(0);
    assert_eq!(
        seed_line(&output),
        format!(
            "run-deploy: pip seeded from the seed cache `{}`",
            seeds.display()
        )
    );
    assert_eq!(
        std::fs::metadata(&entry).unwrap().ino(),
        built,
        "the entry was used, not built again"
    );
    assert_eq!(entries_of(&seeds), entries);
    assert!(
        !second.state.join("seeds").exists(),
        "the state folder's old seeds are removed"
    );
    assert_eq!(second.import_version("flask").as_deref(), Some("3.0.3"));
    let version = run(&second, &second.env_dir().join("bin/pip"), &["--version"]);
    assert!(
        version.contains(&second.env_dir().display().to_string()),
        "{version}"
    );
    let reference = ReferenceEnv::like(&second);
    assert_eq!(
        seeded_files(&second.site_packages()),
        seeded_files(&reference.site_packages()),
        "the second site's env has what `python -m venv` puts there"
    );
}

#[test]
fn two_sites_deploying_at_once_build_the_users_seed_cache_entry_once() {
    let xdg = tempfile::TempDir::new().unwrap();
    let seeds = users_seeds(xdg.path());
    let sites = [site_sharing(xdg.path()), site_sharing(xdg.path())];
    let children: Vec<std::process::Child> = sites
        .iter()
        .map(|site| {
            site.command(&["-v"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let lines: Vec<String> = children
        .into_iter()
        .zip(&sites)
        .map(|(child, site)| {
            let output = site.finish(child);
            output.expect(0);
            assert_eq!(site.import_version("flask").as_deref(), Some("3.0.3"));
            run(site, &site.env_dir().join("bin/pip"), &["--version"]);
            seed_line(&output)
        })
        .collect();
    let built: Vec<&String> = lines
        .iter()
        .filter(|line| line.ends_with("was built now"))
        .collect();
    assert_eq!(
        built.len(),
        1,
        "one deploy built, the other waited for it: {lines:?}"
    );
    assert_eq!(entries_of(&seeds).len(), 1);
    let hidden: Vec<String> = std::fs::read_dir(&seeds)
        .unwrap()
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.'))
        .collect();
    assert_eq!(hidden, [".lock"], "no build left anything behind");
}

#[test]
fn a_users_cache_folder_that_cannot_be_made_leaves_the_seeds_in_the_state_folder() {
    let home = tempfile::TempDir::new().unwrap();
    // `.cache` is a file: no folder can be made under it.
    std::fs::write(home.path().join(".cache"), "").unwrap();
    let test = Test::sample("flask-app")
        .cold_seed_cache()
        .env("HOME", &home.path().display().to_string())
        .env("XDG_CACHE_HOME", "")
        .env(SEED_CACHE_VARIABLE, "");
    let output = test.deploy(&["-v"]);
    output.expect(0);
    let seeds = test.state.join("seeds");
    assert_eq!(
        seed_line(&output),
        format!(
            "run-deploy: pip seeded from the seed cache `{}`, whose entry for this interpreter was built now",
            seeds.display()
        )
    );
    assert_eq!(entries_of(&seeds).len(), 1);
    run(&test, &test.env_dir().join("bin/pip"), &["--version"]);
}
