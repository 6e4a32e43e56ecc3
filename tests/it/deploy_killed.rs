//! A run-deploy killed with SIGKILL, through the real binary: in the middle of SYNC, after
//! it (its child still running), or while a KuduSync child syncs. No file is ever half
//! written, the lock is free, and the next run rolls the killed deploy back (waiting for a
//! KuduSync child still at work), says so, then deploys and deletes what the repository
//! deleted. A forced rebuild killed at any of 37 points (time offsets and on-disk milestones:
//! the env moved aside, the new env created, its pip, pip's unpacking, the install, the
//! fingerprint, the commit) is put right by the next plain deploy.

use crate::common::sync_tree;

use crate::common::test::Test;
use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;
use std::process::Stdio;
use sync_tree::{assert_tree_is_repo_plus_site_files, journal_records, snapshot, write, Snap};

/// The start of what run-deploy says when it rolls a killed deploy back.
const RECOVERED: &str =
    "run-deploy: warning: the last deploy did not finish: rolled its changes back first (";

/// The files of one version of a big repository: `files` small files in nested folders
/// (each naming its version, so the two versions differ in size) and, in version 2, one
/// 48 MiB file.
fn big_version(repo: &Path, version: u32, files: usize) {
    for i in 0..files {
        let text = format!("version {version} of file {i}\n").repeat(version as usize);
        write(repo, &format!("d{}/e{}/f{i}.txt", i % 10, i % 7), &text);
    }
    if version == 2 {
        let block: Vec<u8> = (0..1024 * 1024).map(|i| (i % 251) as u8).collect();
        std::fs::write(repo.join("big.bin"), block.repeat(48)).unwrap();
    }
}

/// Every regular file of a tree and its bytes.
fn contents(root: &Path) -> BTreeMap<String, Vec<u8>> {
    snapshot(root)
        .into_iter()
        .filter_map(|(path, snap)| match snap {
            Snap::File(bytes, _, _) => Some((path, bytes)),
            _ => None,
        })
        .collect()
}

/// Checks that every file of the target at its real name is whole: as version 1 had it, or
/// as version 2 has it. Returns how many were already version 2's, and the temporary
/// files (`.deploy-sync-tmp`) a reader never sees.
fn no_half_written_file(
    target: &Path,
    v1: &BTreeMap<String, Vec<u8>>,
    v2: &BTreeMap<String, Vec<u8>>,
) -> (Vec<String>, usize) {
    let (mut new, mut temporary) = (Vec::new(), 0);
    for (path, bytes) in contents(target) {
        if path.ends_with(".deploy-sync-tmp") {
            temporary += 1;
        } else if v2.get(&path) == Some(&bytes) && v1.get(&path) != Some(&bytes) {
            new.push(path);
        } else {
            assert_eq!(v1.get(&path), Some(&bytes), "`{path}` is half written");
        }
    }
    (new, temporary)
}

/// Polls `ready` until it gives a value, while the deploy `child` still runs: a deploy that
/// ends first is a test whose tree is too small to catch it in the middle.
fn while_running<T>(child: &mut std::process::Child, mut ready: impl FnMut() -> Option<T>) -> T {
    loop {
        if let Some(value) = ready() {
            return value;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the deploy ended before it could be killed: give it a bigger tree"
        );
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

#[test]
fn a_deploy_killed_in_the_middle_of_sync_is_rolled_back_by_the_next_run() {
    let test = Test::with_folders("repo", "wwwroot");
    big_version(&test.app, 1, 2000);
    write(&test.app, "gone.txt", "version 2 deletes this file\n");
    test.write_script("deploy.cmd", "SYNC /QUIET\nexit /b 0\n");
    test.deploy(&[]).expect(0);
    write(&test.site, "site-own.txt", "the site wrote this\n");
    let v1 = contents(&test.site);

    big_version(&test.app, 2, 2000);
    std::fs::remove_file(test.app.join("gone.txt")).unwrap();
    let v2 = contents(&test.app);
    let mut child = test.spawn_quietly(&[]);
    let records = while_running(&mut child, || {
        let records = journal_records(&test.state);
        (records >= 300).then_some(records)
    });
    child.kill().unwrap();
    child.wait().unwrap();
    let (new, temporary) = no_half_written_file(&test.site, &v1, &v2);
    assert!(
        !new.is_empty(),
        "killed after {records} records, no file was new yet"
    );
    assert!(test.site.join("gone.txt").is_file(), "deletes come last");
    eprintln!(
        "killed after {records} journal records: {} files already new, {temporary} temporary",
        new.len()
    );

    let replaced = new.iter().find(|path| v1.contains_key(*path)).unwrap();
    recover_and_deploy(&test, replaced, &v1[replaced], &["site-own.txt"]);
    let rows = test.list_rows();
    assert!(rows[1].contains(" interrupted "), "{rows:?}");
}

/// The run after a killed one: says it rolls back, puts `touched` back as version 1 had
/// it before the script runs (`TYPE` shows it), then deploys version 2 with `--no-wait` (the
/// killed run left the lock free) and deletes what version 2 deleted.
fn recover_and_deploy(test: &Test, touched: &str, old: &[u8], own: &[&str]) {
    let windows_path = touched.replace('/', "\\");
    test.write_script(
        "deploy.cmd",
        &format!("type \"%DEPLOYMENT_TARGET%\\{windows_path}\"\nSYNC /QUIET\nexit /b 0\n"),
    );
    let next = test.deploy(&["--no-wait"]);
    next.expect(0);
    assert!(next.stderr.starts_with(RECOVERED), "{next}");
    let old = String::from_utf8_lossy(old);
    assert!(
        next.stdout.contains(old.trim_end()),
        "restored first: {next}"
    );
    assert!(!test.site.join("gone.txt").exists());
    assert_tree_is_repo_plus_site_files(test, own);
    let log = test.subcommand("log", &[]);
    assert!(
        log.stdout.contains(&RECOVERED["run-deploy: ".len()..]),
        "{log}"
    );
}

/// Kills the process `pid` when dropped (the sleeping child a killed run-deploy leaves).
struct KillOnDrop(i32);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        unsafe { libc::kill(self.0, libc::SIGKILL) };
    }
}

#[test]
fn a_deploy_killed_after_sync_is_rolled_back_though_its_child_still_runs() {
    let test = Test::with_folders("repo", "wwwroot");
    write(&test.app, "changed.txt", "version 1\n");
    write(&test.app, "gone.txt", "version 2 deletes this file\n");
    test.write_script("deploy.cmd", "SYNC /QUIET\nexit /b 0\n");
    test.deploy(&[]).expect(0);
    let v1 = contents(&test.site);

    write(&test.app, "changed.txt", "version 2, longer\n");
    write(&test.app, "added.txt", "new in version 2\n");
    std::fs::remove_file(test.app.join("gone.txt")).unwrap();
    test.write_script("deploy.cmd", 
        "SYNC /QUIET\npython3 -c \"import os, time; print('sleeping', os.getpid(), flush=True); time.sleep(60)\"\nexit /b 0\n",
    );
    let mut child = test.command(&[]).stdout(Stdio::piped()).spawn().unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let sleeper = loop {
        let line = lines.next().expect("the script reaches its sleep").unwrap();
        if let Some(pid) = line.strip_prefix("sleeping ") {
            break KillOnDrop(pid.trim().parse().unwrap());
        }
    };
    assert!(!test.site.join("gone.txt").exists(), "SYNC is over");
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(
        unsafe { libc::kill(sleeper.0, 0) },
        0,
        "its child still runs"
    );

    recover_and_deploy(&test, "changed.txt", &v1["changed.txt"], &[]);
}

/// The pid of the running process started as `program`.
fn pid_of(program: &Path) -> Option<i32> {
    use std::os::unix::ffi::OsStrExt;
    std::fs::read_dir("/proc")
        .ok()?
        .flatten()
        .find_map(|entry| {
            let pid = entry.file_name().to_str()?.parse().ok()?;
            let cmdline = std::fs::read(entry.path().join("cmdline")).ok()?;
            let first = cmdline.split(|&byte| byte == 0).next()?;
            (first == program.as_os_str().as_bytes()).then_some(pid)
        })
}

#[test]
fn a_run_after_a_killed_deploy_waits_for_the_kudusync_child_it_left_running() {
    let test = Test::with_folders("repo", "wwwroot");
    big_version(&test.app, 1, 1000);
    write(&test.app, "gone.txt", "version 2 deletes this file\n");
    test.write_script(
        "deploy.cmd",
        concat!(
            "call \"%KUDU_SYNC_CMD%\" -q -f \"%DEPLOYMENT_SOURCE%\" -t \"%DEPLOYMENT_TARGET%\"",
            " -n \"%NEXT_MANIFEST_PATH%\" -p \"%PREVIOUS_MANIFEST_PATH%\"\nexit /b 0\n"
        ),
    );
    test.deploy(&[]).expect(0);

    big_version(&test.app, 2, 1000);
    std::fs::remove_file(test.app.join("gone.txt")).unwrap();
    let mut child = test.spawn_quietly(&[]);
    let kudu_sync = test.state.join("bin/kudusync");
    let sync = while_running(&mut child, || {
        if journal_records(&test.state) < 100 {
            return None;
        }
        pid_of(&kudu_sync).map(KillOnDrop)
    });
    // Its parent killed first (stopping a child whose parent then dies gets it a SIGHUP),
    // then stopped: the orphaned KuduSync stays in the middle of its sync while the next
    // run starts.
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(unsafe { libc::kill(sync.0, libc::SIGSTOP) }, 0);
    loop {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", sync.0)).unwrap_or_default();
        match stat
            .rsplit(") ")
            .next()
            .and_then(|rest| rest.chars().next())
        {
            Some('T') => break,
            Some('R' | 'S' | 'D') => std::thread::yield_now(),
            _ => panic!("the KuduSync child ended before it was stopped: {stat}"),
        }
    }
    let mut next = test
        .command(&[])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(next.stderr.take().unwrap()).lines();
    let first = lines.next().expect("the next run speaks").unwrap();
    assert_eq!(
        first,
        "run-deploy: warning: a KuduSync started by the last deploy, which did not finish, is still running; waiting for it to end before rolling back"
    );
    assert_eq!(unsafe { libc::kill(sync.0, libc::SIGCONT) }, 0);
    let rest: Vec<String> = lines.map(Result::unwrap).collect();
    assert_eq!(next.wait().unwrap().code(), Some(0), "{rest:#?}");
    assert!(rest[0].starts_with(RECOVERED), "{rest:#?}");
    assert!(!test.site.join("gone.txt").exists());
    assert_tree_is_repo_plus_site_files(&test, &[]);
    // It ended before the rollback; its pid must not be signalled again.
    std::mem::forget(sync);
}

/// A forced rebuild: SYNC, then a fresh env and a full install into it.
const FORCED_REBUILD: &str =
    "SYNC /QUIET\nPYTHON SELECT\nVENV REMOVE\nVENV ENSURE\nVENV INSTALL -r requirements.txt\nexit /b 0\n";

/// The plain deploy that follows a killed one.
const PLAIN_DEPLOY: &str =
    "SYNC /QUIET\nPYTHON SELECT\nVENV ENSURE\nVENV INSTALL -r requirements.txt\nexit /b 0\n";

/// When a trial kills the forced rebuild: after a time, or as soon as a milestone shows on
/// disk.
#[derive(Clone, Copy, Debug)]
enum KillAt {
    /// This long after the deploy started.
    After(std::time::Duration),
    /// The old env was moved aside: the new env's creation starts.
    EnvMovedAside,
    /// The new env has its `pyvenv.cfg` (venv is still filling it).
    NewEnvCreated,
    /// The new env has its own pip (venv's ensurepip ran).
    NewEnvHasPip,
    /// pip unpacks a wheel in its temporary folder (TMPDIR of the deploy).
    PipDownloading,
    /// Flask's files appear in the new env's site-packages.
    PipInstalling,
    /// The install fingerprint is written in the state folder (the install finished).
    FingerprintWritten,
    /// The deploy's record says it succeeded (the commit is under way).
    Committing,
}

/// Whether `milestone` shows on disk for a deploy into `test` whose TMPDIR is `tmp`;
/// `before` is the env's build id and `last` the last successful deployment before it.
fn reached(milestone: KillAt, test: &Test, tmp: &Path, before: &str, last: &str) -> bool {
    let env = test.env_dir();
    let aside = deploy_script::python::env_swap::aside_path(&env);
    let new_env = aside.exists();
    match milestone {
        KillAt::After(_) => unreachable!("a time, not a milestone"),
        KillAt::EnvMovedAside => new_env,
        KillAt::NewEnvCreated => new_env && env.join("pyvenv.cfg").is_file(),
        KillAt::NewEnvHasPip => new_env && env.join("bin/pip").exists(),
        KillAt::PipDownloading => std::fs::read_dir(tmp).is_ok_and(|entries| {
            entries
                .flatten()
                .any(|entry| entry.file_name().to_string_lossy().starts_with("pip-"))
        }),
        KillAt::PipInstalling => {
            new_env
                && std::fs::read_dir(env.join("lib")).is_ok_and(|entries| {
                    entries
                        .flatten()
                        .any(|entry| entry.path().join("site-packages/flask").exists())
                })
        }
        KillAt::FingerprintWritten => {
            std::fs::read_dir(test.state.join("fingerprints")).is_ok_and(|entries| {
                entries.flatten().any(|entry| {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    name.starts_with("pip-")
                        && std::fs::read_to_string(entry.path()).is_ok_and(|text| {
                            test.build_id()
                                .is_some_and(|id| id != before && text.contains(&id))
                        })
                })
            })
        }
        KillAt::Committing => test.last_success().is_some_and(|id| id != last),
    }
}

/// Runs the forced rebuild in `test` and kills its whole process group at `kill_at`;
/// returns whether it was still running then, and when it started.
fn kill_forced_rebuild(test: &Test, tmp: &Path, kill_at: KillAt) -> (bool, std::time::Instant) {
    use std::os::unix::process::CommandExt;
    std::fs::create_dir_all(tmp).unwrap();
    let before = test.build_id().unwrap_or_default();
    let last = test.last_success().unwrap_or_default();
    let mut child = test
        .command(&[])
        .env("TMPDIR", tmp)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let ran_on = loop {
        if child.try_wait().unwrap().is_some() {
            break false;
        }
        let now = match kill_at {
            KillAt::After(offset) => started.elapsed() >= offset,
            milestone => reached(milestone, test, tmp, &before, &last),
        };
        if now {
            break true;
        }
        std::thread::sleep(std::time::Duration::from_micros(500));
    };
    if ran_on {
        // The deploy's whole process group, at once (as a power cut would).
        unsafe { libc::killpg(child.id() as i32, libc::SIGKILL) };
    }
    let status = child.wait().unwrap();
    assert!(
        ran_on || status.success(),
        "the forced rebuild failed without being killed"
    );
    (ran_on, started)
}

/// One site that runs `trials` in turn: each kills a forced rebuild (version `n` of the app)
/// at its point, then runs one plain deploy that must succeed with version `n`'s files and
/// an env that imports its packages. Returns how many trials killed a running deploy.
fn crash_trials(wheels: &Path, trials: &[(usize, KillAt)]) -> usize {
    let test = Test::new()
        .env("PIP_FIND_LINKS", &wheels.display().to_string())
        .env("PIP_NO_INDEX", "1")
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
        .env("PIP_NO_CACHE_DIR", "1")
        .app_file("app.py", "VERSION = 0\n")
        .app_file("requirements.txt", "flask\n")
        .script("deploy.cmd", PLAIN_DEPLOY);
    test.deploy(&[]).expect(0);
    let tmp = test.root().join("tmp");
    let mut killed = 0;
    for &(version, first_point) in trials {
        // Every other version also needs gunicorn: the env the next deploy keeps must get it.
        let requirements = if version % 2 == 0 {
            "flask\n"
        } else {
            "flask\ngunicorn\n"
        };
        test.write("app.py", &format!("VERSION = {version}\n"));
        test.write("requirements.txt", requirements);
        test.write_script("deploy.cmd", FORCED_REBUILD);
        let mut kill_at = first_point;
        // A deploy that ends before a time offset (the machine ran faster than measured)
        // is run again with an earlier one, so every time point kills.
        let started = loop {
            let (ran_on, started) = kill_forced_rebuild(&test, &tmp, kill_at);
            match kill_at {
                KillAt::After(offset)
                    if !ran_on && offset > std::time::Duration::from_millis(100) =>
                {
                    eprintln!(
                        "trial {version}: the deploy ended before {kill_at:?}; again, earlier"
                    );
                    kill_at = KillAt::After(offset.mul_f64(0.6));
                }
                _ if !ran_on => {
                    eprintln!("trial {version}: the deploy ended before {kill_at:?}");
                    break started;
                }
                _ => {
                    killed += 1;
                    break started;
                }
            }
        };

        test.write_script("deploy.cmd", PLAIN_DEPLOY);
        let next = test.deploy(&["--no-wait"]);
        assert_eq!(
            next.code,
            0,
            "trial {version} (killed at {kill_at:?} after {:?}): the next deploy\n{next}",
            started.elapsed()
        );
        assert_eq!(
            std::fs::read_to_string(test.site.join("app.py")).unwrap(),
            format!("VERSION = {version}\n"),
            "trial {version}: the new files"
        );
        let python = test.env_dir().join("bin/python");
        assert!(
            python.exists(),
            "trial {version} (killed at {kill_at:?}): no working `env/bin/python` after the next deploy; env/bin holds {:?}\n{next}",
            crate::common::test::names_in(&test.env_dir().join("bin"))
        );
        assert_eq!(
            test.import_version("flask").as_deref(),
            Some("3.0.3"),
            "trial {version}"
        );
        if version % 2 == 1 {
            assert_eq!(
                test.import_version("gunicorn").as_deref(),
                Some("21.2.0"),
                "trial {version}"
            );
        }
        let aside = deploy_script::python::env_swap::aside_path(&test.env_dir());
        assert!(!aside.exists(), "trial {version}: nothing left aside");
        let _ = std::fs::remove_dir_all(&tmp);
    }
    killed
}

#[test]
fn a_forced_rebuild_killed_at_any_moment_is_put_right_by_the_next_plain_deploy() {
    use crate::common::stand_ins;
    let house = stand_ins::wheel_house(&["flask", "gunicorn"]);
    // How long an uninterrupted forced rebuild takes here: the time offsets spread over it.
    let full = {
        let test = Test::new()
            .env("PIP_FIND_LINKS", &house.path().display().to_string())
            .env("PIP_NO_INDEX", "1")
            .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
            .env("PIP_NO_CACHE_DIR", "1")
            .app_file("app.py", "VERSION = 0\n")
            .app_file("requirements.txt", "flask\n")
            .script("deploy.cmd", FORCED_REBUILD);
        let started = std::time::Instant::now();
        test.deploy(&[]).expect(0);
        started.elapsed()
    };
    let milestones = [
        KillAt::EnvMovedAside,
        KillAt::NewEnvCreated,
        KillAt::NewEnvHasPip,
        KillAt::PipDownloading,
        KillAt::PipInstalling,
        KillAt::FingerprintWritten,
        KillAt::Committing,
    ];
    // Spread over the first 85% of a full run: a trial's deploy may run faster than the
    // one measured, and the milestones cover the end (fingerprint, commit).
    let times = 30;
    let mut points: Vec<KillAt> = (0..times)
        .map(|k| KillAt::After(full.mul_f64(0.85 * (k as f64 + 0.5) / times as f64)))
        .collect();
    points.extend(milestones);
    // Three sites, each running its share of the trials in turn, in parallel.
    let sites = 3;
    let killed: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..sites)
            .map(|site| {
                let trials: Vec<(usize, KillAt)> = points
                    .iter()
                    .enumerate()
                    .filter(|(index, _)| index % sites == site)
                    .map(|(index, point)| (index + 1, *point))
                    .collect();
                let wheels = house.path().to_path_buf();
                scope.spawn(move || crash_trials(&wheels, &trials))
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().unwrap())
            .sum()
    });
    eprintln!(
        "{} trials over a forced rebuild of {full:?}: {killed} killed a running deploy",
        points.len()
    );
    assert!(
        killed >= 30,
        "only {killed} of {} trials killed a running deploy",
        points.len()
    );
}
