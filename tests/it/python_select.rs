//! `PYTHON SELECT` against the real interpreters of this machine: each source of the
//! version (lock files and Poetry's constraint too), their order, the not-found error, DEPLOY_PYTHON_DIRS, Kudu's helper files and
//! hard-coded Windows interpreter paths.

use crate::common::python_env;

use deploy_script::process::{current_environment, Environment};
use deploy_script::python::discover::{discover, Origin};
use deploy_script::python::kudu_select::kudu_select_python;
use deploy_script::python::select::{select_from, select_python, SelectError};
use deploy_script::python::version::VersionRequest;
use deploy_script::python::winpath::{map_windows_python, resolve_windows_python};
use python_env::{discovery, interpreter};
use std::path::Path;

fn app(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in files {
        std::fs::write(dir.path().join(name), content).unwrap();
    }
    dir
}

fn env_without_setting() -> Environment {
    let mut env = current_environment();
    env.remove("PYTHON_VERSION");
    env
}

fn select(app_dir: &Path, env: &Environment) -> (String, String) {
    let selection = select_from(app_dir, env, discovery()).unwrap();
    (
        selection.interpreter.version.to_string(),
        selection.source.to_string(),
    )
}

#[test]
fn runtime_txt_picks_the_newest_patch_of_its_minor_version() {
    let dir = app(&[("runtime.txt", "python-3.10\n")]);
    let want = interpreter("3.10");
    let selection = select_from(dir.path(), &env_without_setting(), discovery()).unwrap();
    assert_eq!(selection.interpreter, want);
    assert_eq!(selection.source.to_string(), "runtime.txt says python-3.10");
    let variables = selection
        .variables()
        .map(|(name, value)| format!("{name}={value}"));
    assert_eq!(
        variables,
        [
            "PYTHON_RUNTIME=python-3.10".to_string(),
            "PYTHON_VER=3.10".to_string(),
            format!("PYTHON_EXE={}", want.executable.display()),
            "PYTHON_ENV_MODULE=venv".to_string(),
        ]
    );
}

#[test]
fn each_source_decides_in_its_turn() {
    let py311 = interpreter("3.11").version.to_string();
    let py312 = interpreter("3.12").version.to_string();
    let all = app(&[
        ("runtime.txt", &format!("python-{py311}")),
        (".python-version", "# pyenv\n3.12\n"),
        (
            "pyproject.toml",
            "[project]\nname = \"app\"\nrequires-python = \">=3.10,<3.11\"\n",
        ),
    ]);
    let mut env = env_without_setting();
    env.insert("PYTHON_VERSION".into(), "3.12".into());
    assert_eq!(
        select(all.path(), &env),
        (py312.clone(), "PYTHON_VERSION says 3.12".into())
    );
    let env = env_without_setting();
    assert_eq!(
        select(all.path(), &env),
        (py311.clone(), format!("runtime.txt says python-{py311}"))
    );
    std::fs::remove_file(all.path().join("runtime.txt")).unwrap();
    assert_eq!(
        select(all.path(), &env),
        (py312, ".python-version says 3.12".into())
    );
    std::fs::remove_file(all.path().join(".python-version")).unwrap();
    assert_eq!(
        select(all.path(), &env),
        (
            interpreter("3.10").version.to_string(),
            "pyproject.toml requires-python says >=3.10,<3.11".into()
        )
    );
    std::fs::remove_file(all.path().join("pyproject.toml")).unwrap();
    assert_eq!(
        select(all.path(), &env),
        (
            discovery().interpreters[0].version.to_string(),
            "no version asked for, newest found".into()
        )
    );
}

#[test]
fn pipfile_lock_and_poetry_decide_after_the_version_files() {
    let py310 = interpreter("3.10").version.to_string();
    let py312 = interpreter("3.12").version.to_string();
    let env = env_without_setting();
    let pipenv = app(&[
        (".python-version", "3.12\n"),
        (
            "Pipfile.lock",
            r#"{"_meta": {"requires": {"python_version": "3.10"}}, "default": {}, "develop": {}}"#,
        ),
    ]);
    assert_eq!(
        select(pipenv.path(), &env),
        (py312.clone(), ".python-version says 3.12".into())
    );
    std::fs::remove_file(pipenv.path().join(".python-version")).unwrap();
    assert_eq!(
        select(pipenv.path(), &env),
        (
            py310.clone(),
            "Pipfile.lock python_version says 3.10".into()
        )
    );
    std::fs::write(
        pipenv.path().join("Pipfile.lock"),
        format!(
            r#"{{"_meta": {{"requires": {{"python_full_version": "{py310}"}}}}, "default": {{}}}}"#
        ),
    )
    .unwrap();
    assert_eq!(
        select(pipenv.path(), &env),
        (
            py310.clone(),
            format!("Pipfile.lock python_full_version says {py310}")
        )
    );

    let poetry = app(&[
        ("runtime.txt", "python-3.12\n"),
        (
            "pyproject.toml",
            "[tool.poetry]\npackage-mode = false\n[tool.poetry.dependencies]\npython = \"~3.10\"\n",
        ),
        (
            "poetry.lock",
            "[metadata]\nlock-version = \"2.1\"\npython-versions = \"~3.10\"\n",
        ),
    ]);
    assert_eq!(
        select(poetry.path(), &env),
        (py312, "runtime.txt says python-3.12".into())
    );
    std::fs::remove_file(poetry.path().join("runtime.txt")).unwrap();
    assert_eq!(
        select(poetry.path(), &env),
        (
            py310.clone(),
            "pyproject.toml [tool.poetry.dependencies] python says ~3.10".into()
        )
    );
    std::fs::write(
        poetry.path().join("pyproject.toml"),
        "[project]\nname = \"app\"\nrequires-python = \">=3.10,<3.11\"\n[tool.poetry]\npackage-mode = false\n",
    )
    .unwrap();
    assert_eq!(
        select(poetry.path(), &env),
        (
            py310.clone(),
            "pyproject.toml requires-python says >=3.10,<3.11".into()
        )
    );
    std::fs::remove_file(poetry.path().join("pyproject.toml")).unwrap();
    assert_eq!(
        select(poetry.path(), &env),
        (py310, "poetry.lock python-versions says ~3.10".into())
    );
}

#[test]
fn requires_python_takes_the_newest_interpreter_that_matches() {
    let dir = app(&[(
        "pyproject.toml",
        "[project]\nrequires-python = \"~=3.10\"\n",
    )]);
    let newest_3 = discovery()
        .interpreters
        .iter()
        .find(|interpreter| interpreter.version.major == 3 && interpreter.version.minor >= 10)
        .unwrap();
    let selection = select_from(dir.path(), &env_without_setting(), discovery()).unwrap();
    assert_eq!(&selection.interpreter, newest_3);
}

#[test]
fn a_version_not_installed_is_an_error_listing_what_was_found() {
    let dir = app(&[("runtime.txt", "python-3.99")]);
    let error = select_from(dir.path(), &env_without_setting(), discovery()).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "no installed python matches 3.99 (runtime.txt says python-3.99); found: {}; install it (for example `pyenv install 3.99`), name its folder in DEPLOY_PYTHON_DIRS, or change runtime.txt",
            discovery().found_list()
        )
    );
    assert!(discovery()
        .found_list()
        .contains(&interpreter("3.11").describe()));
}

#[test]
fn an_unreadable_version_says_how_to_write_it() {
    let dir = app(&[("runtime.txt", "python-banana\n")]);
    let error = select_from(dir.path(), &env_without_setting(), discovery()).unwrap_err();
    assert_eq!(
        error,
        SelectError::Unreadable(
            "runtime.txt asks for `python-banana`, which is not a python version; write it like `python-3.11` or `3.11.7`".into()
        )
    );
}

#[test]
fn deploy_python_dirs_takes_install_roots_and_bin_folders() {
    let py310 = interpreter("3.10");
    let py312 = interpreter("3.12");
    let root_310 = py310.executable.parent().unwrap().parent().unwrap();
    let bin_312 = py312.executable.parent().unwrap();
    let empty = tempfile::tempdir().unwrap();
    let mut env = Environment::new();
    env.insert("PATH".into(), empty.path().display().to_string());
    env.insert("HOME".into(), empty.path().display().to_string());
    env.insert("PYENV_ROOT".into(), empty.path().display().to_string());
    env.insert(
        "DEPLOY_PYTHON_DIRS".into(),
        format!("{}:{}", root_310.display(), bin_312.display()),
    );
    let found = discover(&env);
    let listed: Vec<(String, Origin)> = found
        .interpreters
        .iter()
        .map(|interpreter| (interpreter.version.to_string(), interpreter.origin))
        .collect();
    assert_eq!(
        listed,
        [
            (py312.version.to_string(), Origin::DeployPythonDirs),
            (py310.version.to_string(), Origin::DeployPythonDirs)
        ]
    );
    env.insert("PYTHON_VERSION".into(), "3.10".into());
    let selection = select_python(empty.path(), &env).unwrap();
    assert_eq!(selection.interpreter.executable, py310.executable);
}

#[test]
fn nothing_found_at_all_says_what_to_install() {
    let empty = tempfile::tempdir().unwrap();
    let mut env = Environment::new();
    env.insert("PATH".into(), empty.path().display().to_string());
    env.insert("PYENV_ROOT".into(), empty.path().display().to_string());
    let error = select_python(empty.path(), &env).unwrap_err();
    assert_eq!(
        error.to_string(),
        "no python interpreter found on PATH, in pyenv or in DEPLOY_PYTHON_DIRS; install python 3 or name its folder in DEPLOY_PYTHON_DIRS"
    );
}

#[test]
fn kudu_helper_files_hold_one_value_each_without_a_line_end() {
    let source = app(&[("runtime.txt", "python-3.12")]);
    let target = tempfile::tempdir().unwrap();
    let temp = tempfile::tempdir().unwrap();
    let selection = kudu_select_python(
        source.path(),
        target.path(),
        temp.path(),
        &env_without_setting(),
    )
    .unwrap();
    let read = |name: &str| std::fs::read_to_string(temp.path().join(name)).unwrap();
    assert_eq!(read("__PYTHON_RUNTIME.tmp"), "python-3.12");
    assert_eq!(read("__PYTHON_VER.tmp"), "3.12");
    assert_eq!(
        read("__PYTHON_EXE.tmp"),
        interpreter("3.12").executable.display().to_string()
    );
    assert_eq!(read("__PYTHON_ENV_MODULE.tmp"), "venv");
    assert_eq!(selection.source.to_string(), "runtime.txt says python-3.12");
}

#[test]
fn hard_coded_windows_interpreters_map_to_versions() {
    let cases = [
        (r"D:\home\python364x64\python.exe", Some("3.6")),
        (r"D:\home\Python27\python.exe", Some("2.7")),
        (r"d:\HOME\PYTHON311\PYTHON.EXE", Some("3.11")),
        ("D:/home/Python311/python.exe", Some("3.11")),
        (r"%SYSTEMDRIVE%\python27\python.exe", Some("2.7")),
        (r"C:\python27\python.exe", Some("2.7")),
        (r"D:\home\python353x64\python.exe", Some("3.5")),
        (r"D:\home\site\wwwroot\env\Scripts\python.exe", None),
        ("/usr/bin/python3", None),
        (r"D:\home\Python311\pythonw.exe", None),
    ];
    for (path, want) in cases {
        assert_eq!(
            map_windows_python(path),
            want.map(|version| VersionRequest::parse(version).unwrap()),
            "{path}"
        );
    }
}

#[test]
fn a_windows_path_resolves_to_the_local_interpreter_or_a_clear_error() {
    let mapping = resolve_windows_python(r"D:\home\Python311\python.exe", discovery())
        .unwrap()
        .unwrap();
    assert_eq!(mapping.interpreter, interpreter("3.11"));
    assert_eq!(
        mapping.note(),
        format!(
            r"`D:\home\Python311\python.exe` runs python {} here",
            interpreter("3.11").describe()
        )
    );
    assert_eq!(
        resolve_windows_python("/usr/bin/python3", discovery()),
        Ok(None)
    );
    let error =
        resolve_windows_python(r"D:\home\python199x64\python.exe", discovery()).unwrap_err();
    assert_eq!(
        error,
        format!(
            r"`D:\home\python199x64\python.exe` stands for python 1.9, which is not installed here; found: {}; install it (for example `pyenv install 1.9`) or name its folder in DEPLOY_PYTHON_DIRS",
            discovery().found_list()
        )
    );
}

#[test]
fn files_written_on_windows_and_exact_patches_are_understood() {
    let py312 = interpreter("3.12");
    let dir = app(&[("runtime.txt", "\u{feff}python-3.12\r\n")]);
    assert_eq!(
        select(dir.path(), &env_without_setting()),
        (
            py312.version.to_string(),
            "runtime.txt says python-3.12".to_string()
        )
    );
    let exact = app(&[(".python-version", &format!("{}\n", py312.version))]);
    assert_eq!(
        select(exact.path(), &env_without_setting()),
        (
            py312.version.to_string(),
            format!(".python-version says {}", py312.version)
        )
    );
}
