//! Test support: the one builder of stand-in packages. Small but real wheels stand in for
//! what the samples and the fixture apps install (Flask, gunicorn, Django, FastAPI,
//! uvicorn) and for the build backend the uv sample names (setuptools), built on the spot
//! so deploys never reach the network. Each stand-in does just what a deploy exercises:
//! the apps' modules import and route with it, Flask serves a WSGI request and its static
//! files, Django's `manage.py collectstatic` copies each installed app's `static/` and
//! STATICFILES_DIRS into STATIC_ROOT (emptied first with `--clear`), `manage.py migrate`
//! loads the settings and has no migrations to apply, and
//! `setuptools.build_meta` builds a wheel from `[project]` and `src/`, or an editable one
//! (PEP 660) whose `.pth` points at `src/`. `psycopg2` and `psycopg2-binary` stand in for
//! two distributions that ship the same module.
//!
//! Use with wheels.rs (`#[path]` modules named `wheels` and `stand_ins` in a bench).
#![allow(dead_code)]

use super::wheels::{build_tagged_wheel, build_wheel, WheelHouse};

/// The versions the stand-ins carry: each satisfies every sample's requirement.
pub const VERSIONS: &[(&str, &str)] = &[
    ("flask", "3.0.3"),
    ("gunicorn", "21.2.0"),
    ("django", "4.2.7"),
    ("fastapi", "0.110.0"),
    ("uvicorn", "0.29.0"),
];

/// The version of stand-in `module` (`flask`, `django`, ...).
pub fn version_of(module: &str) -> &'static str {
    VERSIONS
        .iter()
        .find(|(name, _)| *name == module)
        .map(|(_, version)| *version)
        .unwrap_or_else(|| panic!("no stand-in package `{module}`"))
}

/// The version of the stand-in build backend (setuptools).
pub const SETUPTOOLS_VERSION: &str = "69.0.0";

/// Every stand-in package and the stand-in build backend, by name.
pub const ALL: &[&str] = &[
    "flask",
    "gunicorn",
    "uvicorn",
    "fastapi",
    "django",
    "setuptools",
];

/// A wheel house holding the stand-ins named (`flask`, `gunicorn`, `uvicorn`, `fastapi`,
/// `django`, `setuptools`), for a test or bench that needs only a few.
pub fn wheel_house(names: &[&str]) -> WheelHouse {
    let house = WheelHouse::new();
    add(&house, names);
    house
}

/// Adds the stand-ins named to `house`.
pub fn add(house: &WheelHouse, names: &[&str]) {
    for name in names {
        match *name {
            "flask" => add_flask(house, "py3"),
            "gunicorn" | "uvicorn" => add_plain(house, name, "py3"),
            "fastapi" => add_fastapi(house),
            "django" => add_django(house),
            "setuptools" => add_setuptools(house),
            "psycopg2" | "psycopg2-binary" => add_psycopg2(house, name),
            other => panic!("no stand-in package `{other}`"),
        }
    }
}

fn module(path: &str, text: &str) -> (String, String) {
    (path.to_string(), text.to_string())
}

fn version_line(name: &str) -> String {
    format!("VERSION = \"{}\"\n", version_of(name))
}

/// Adds `py2.py3` builds of the stand-ins named (`flask`, `gunicorn`, `uvicorn`: their
/// code runs on Python 2.7 too) beside the `py3` ones, for the tests that deploy with 2.7,
/// whose pip takes no `py3` wheel. Kept apart so the samples' locks and hashes, made
/// against the `py3` files, stay true.
pub fn add_python2_builds(house: &WheelHouse, names: &[&str]) {
    for name in names {
        match *name {
            "flask" => add_flask(house, "py2.py3"),
            "gunicorn" | "uvicorn" => add_plain(house, name, "py2.py3"),
            other => panic!("no Python 2 stand-in package `{other}`"),
        }
    }
}

/// A package whose module only says its version (servers the samples name but do not
/// import), as a wheel for the Python tag `tag`.
fn add_plain(house: &WheelHouse, name: &str, tag: &str) {
    let module = format!("{name}/__init__.py");
    build_tagged_wheel(
        house.path(),
        tag,
        name,
        version_of(name),
        &[],
        &[(module, version_line(name))],
    );
}

/// `flask`: a `Flask` class that registers routes, serves a WSGI request and the files of
/// its `static/` folder.
const FLASK: &str = r#"
import os
import sys


class Flask:
    """Registers view functions by rule, as Flask does."""

    def __init__(self, import_name, static_folder="static", **options):
        module = sys.modules.get(import_name)
        root = os.path.dirname(os.path.abspath(getattr(module, "__file__", "") or "."))
        self.import_name = import_name
        self.static_folder = os.path.join(root, static_folder)
        self.options = options
        self.views = {}

    def route(self, rule, **options):
        def register(view):
            self.views[rule] = view
            return view

        return register

    def send_static_file(self, name):
        with open(os.path.join(self.static_folder, name), "rb") as file:
            return file.read()

    def __call__(self, environ, start_response):
        body = self.views[environ.get("PATH_INFO", "/")]()
        start_response("200 OK", [("Content-Type", "text/html")])
        return [body if isinstance(body, bytes) else str(body).encode()]
"#;

/// Flask's stand-in, as a wheel for the Python tag `tag` (its code runs on 2.7 too).
fn add_flask(house: &WheelHouse, tag: &str) {
    let init = version_line("flask") + FLASK;
    build_tagged_wheel(
        house.path(),
        tag,
        "Flask",
        version_of("flask"),
        &[],
        &[module("flask/__init__.py", &init)],
    );
}

const FASTAPI: &str = r#"

class FastAPI:
    """Registers path operations, as FastAPI does; serves nothing."""

    def __init__(self, **options):
        self.options = options
        self.operations = {}

    def get(self, path, **options):
        def register(endpoint):
            self.operations[("GET", path)] = endpoint
            return endpoint

        return register
"#;

fn add_fastapi(house: &WheelHouse) {
    let init = version_line("fastapi") + FASTAPI;
    build_wheel(
        house.path(),
        "fastapi",
        version_of("fastapi"),
        &[],
        &[module("fastapi/__init__.py", &init)],
    );
}

/// `django.core.management`: `collectstatic --noinput [--clear]`, copying each installed
/// app's `static/` folder and STATICFILES_DIRS into STATIC_ROOT, as Django does, and
/// `migrate` (a site without models: nothing to apply); a failure is a `CommandError` on
/// stderr and exit code 1.
const DJANGO_MANAGEMENT: &str = r#""""Django's command line, as far as a deploy uses it: `collectstatic`."""
import importlib
import os
import shutil
import sys


class CommandError(Exception):
    """A command failed; Django prints it and exits 1."""


def _collectstatic(options):
    settings = importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
    root = getattr(settings, "STATIC_ROOT", None)
    if not root:
        raise CommandError(
            "You're using the staticfiles app without having set the STATIC_ROOT setting to a filesystem path."
        )
    root = str(root)
    if "--clear" in options and os.path.isdir(root):
        shutil.rmtree(root)
    folders = [str(folder) for folder in getattr(settings, "STATICFILES_DIRS", [])]
    for app in getattr(settings, "INSTALLED_APPS", []):
        try:
            module = importlib.import_module(app)
        except ImportError:
            continue
        folder = os.path.join(os.path.dirname(os.path.abspath(module.__file__)), "static")
        if os.path.isdir(folder):
            folders.append(folder)
    copied = 0
    for folder in folders:
        for base, _dirs, files in os.walk(folder):
            for name in sorted(files):
                source = os.path.join(base, name)
                destination = os.path.join(root, os.path.relpath(source, folder))
                os.makedirs(os.path.dirname(destination), exist_ok=True)
                shutil.copyfile(source, destination)
                copied += 1
    print("%d static file%s copied to '%s'." % (copied, "" if copied == 1 else "s", root))


def execute_from_command_line(argv=None):
    argv = list(sys.argv if argv is None else argv)
    command = argv[1] if len(argv) > 1 else "help"
    try:
        if command == "collectstatic":
            _collectstatic(argv[2:])
        elif command == "migrate":
            importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
            print("Operations to perform:\n  Apply all migrations: (none)\nNo migrations to apply.")
        else:
            raise CommandError("Unknown command: %r" % command)
    except CommandError as error:
        sys.stderr.write("CommandError: %s\n" % error)
        sys.exit(1)
"#;

const DJANGO_WSGI: &str = r#""""The WSGI entry point: a callable that answers every request with 200."""


def get_wsgi_application():
    def application(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    return application
"#;

const DJANGO_HTTP: &str = r#"

class HttpResponse:
    def __init__(self, content=b""):
        self.content = content
"#;

const DJANGO_URLS: &str = r#"

def path(route, view, **kwargs):
    return (route, view)
"#;

fn add_django(house: &WheelHouse) {
    build_wheel(
        house.path(),
        "Django",
        version_of("django"),
        &[],
        &[
            module("django/__init__.py", &version_line("django")),
            module("django/core/__init__.py", ""),
            module("django/core/management/__init__.py", DJANGO_MANAGEMENT),
            module("django/core/wsgi.py", DJANGO_WSGI),
            module("django/http.py", DJANGO_HTTP),
            module("django/urls.py", DJANGO_URLS),
            module("django/contrib/__init__.py", ""),
            module("django/contrib/staticfiles/__init__.py", ""),
        ],
    );
}

/// `psycopg2` or `psycopg2-binary` 2.9.9: both ship the module `psycopg2`, as the real
/// pair do, so uninstalling one after installing the other deletes the other's files.
fn add_psycopg2(house: &WheelHouse, name: &str) {
    build_wheel(
        house.path(),
        name,
        PSYCOPG2_VERSION,
        &[],
        &[
            module(
                "psycopg2/__init__.py",
                &format!(
                    "VERSION = \"{PSYCOPG2_VERSION}\"\nfrom psycopg2.extensions import connect\n"
                ),
            ),
            module(
                "psycopg2/extensions.py",
                "def connect(dsn):\n    return dsn\n",
            ),
        ],
    );
}

/// The version both psycopg2 stand-ins carry.
pub const PSYCOPG2_VERSION: &str = "2.9.9";

/// The stand-in backend: enough of PEP 517 for `pip install .` / `uv pip install .` of a
/// pure-Python project laid out as `src/<package>/`.
const BUILD_META: &str = r#""""A PEP 517 backend: builds a pure-Python wheel from [project] and src/."""
import base64
import hashlib
import os
import re
import tomllib
import zipfile


def _project():
    with open("pyproject.toml", "rb") as file:
        return tomllib.load(file)["project"]


def _dist_name(name):
    return re.sub(r"[-_.]+", "_", name).lower()


def _metadata(project):
    lines = ["Metadata-Version: 2.1", "Name: " + project["name"], "Version: " + project["version"]]
    if "requires-python" in project:
        lines.append("Requires-Python: " + project["requires-python"])
    lines += ["Requires-Dist: " + dependency for dependency in project.get("dependencies", [])]
    return "\n".join(lines) + "\n"


def _record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return "%s,sha256=%s,%d\n" % (path, digest, len(data))


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def _write_wheel(wheel_directory, project, entries):
    dist = _dist_name(project["name"])
    info = "%s-%s.dist-info" % (dist, project["version"])
    entries = list(entries)
    entries.append((info + "/METADATA", _metadata(project).encode()))
    wheel = "Wheel-Version: 1.0\nGenerator: fake-setuptools\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    entries.append((info + "/WHEEL", wheel.encode()))
    record = "".join(_record_line(path, data) for path, data in entries) + info + "/RECORD,,\n"
    entries.append((info + "/RECORD", record.encode()))
    filename = "%s-%s-py3-none-any.whl" % (dist, project["version"])
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), "w") as archive:
        for path, data in entries:
            archive.writestr(path, data)
    return filename


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    entries = []
    for dirpath, dirnames, names in os.walk("src"):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(names):
            path = os.path.join(dirpath, name)
            with open(path, "rb") as file:
                entries.append((os.path.relpath(path, "src").replace(os.sep, "/"), file.read()))
    return _write_wheel(wheel_directory, _project(), entries)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    """PEP 660: a wheel whose .pth puts the project's src/ on sys.path."""
    project = _project()
    pth = "__editable__.%s.pth" % _dist_name(project["name"])
    return _write_wheel(wheel_directory, project, [(pth, (os.path.abspath("src") + "\n").encode())])
"#;

fn add_setuptools(house: &WheelHouse) {
    build_wheel(
        house.path(),
        "setuptools",
        SETUPTOOLS_VERSION,
        &[],
        &[
            module(
                "setuptools/__init__.py",
                &format!("VERSION = \"{SETUPTOOLS_VERSION}\"\n"),
            ),
            module("setuptools/build_meta.py", BUILD_META),
        ],
    );
}
