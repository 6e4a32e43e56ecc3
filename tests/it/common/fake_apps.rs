//! Test support: small but real stand-ins for the packages the samples under samples/
//! install (Flask, gunicorn, Django, FastAPI, uvicorn) and for the build backend the uv
//! sample names (setuptools), built as wheels on the spot so deploys never reach the
//! network. Each stand-in does just what a deploy exercises: the samples' modules import
//! and route with it, Django's `manage.py collectstatic` copies STATICFILES_DIRS into
//! STATIC_ROOT (emptied first with `--clear`), and `setuptools.build_meta` builds a wheel from `[project]` and `src/`.
//!
//! Use from a test file with
//! `#[path = "common/wheels.rs"] mod wheels;` and `#[path = "common/fake_apps.rs"] mod fake_apps;`.
#![allow(dead_code)]

use super::wheels::{build_wheel, WheelHouse};

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

/// A wheel house holding every stand-in package and the stand-in build backend.
pub fn sample_wheels() -> WheelHouse {
    let house = WheelHouse::new();
    add_flask(&house);
    add_plain(&house, "gunicorn");
    add_plain(&house, "uvicorn");
    add_fastapi(&house);
    add_django(&house);
    add_setuptools(&house);
    house
}

fn module(path: &str, text: &str) -> (String, String) {
    (path.to_string(), text.to_string())
}

fn version_line(name: &str) -> String {
    format!("VERSION = \"{}\"\n", version_of(name))
}

/// A package whose module only says its version (servers the samples name but do not import).
fn add_plain(house: &WheelHouse, name: &str) {
    house.add(name, version_of(name), &[]);
}

const FLASK: &str = r#"

class Flask:
    """Registers views by rule, as Flask does; serves nothing."""

    def __init__(self, import_name, **options):
        self.import_name = import_name
        self.options = options
        self.views = {}

    def route(self, rule, **options):
        def register(view):
            self.views[rule] = view
            return view

        return register

    def send_static_file(self, filename):
        return "static/" + filename
"#;

fn add_flask(house: &WheelHouse) {
    let init = version_line("flask") + FLASK;
    build_wheel(
        house.path(),
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

const DJANGO_MANAGEMENT: &str = r#""""Django's command line, as far as a deploy uses it: `collectstatic`."""
import importlib
import os
import shutil
import sys


def execute_from_command_line(argv=None):
    argv = list(sys.argv if argv is None else argv)
    command = argv[1] if len(argv) > 1 else "help"
    if command != "collectstatic":
        sys.exit("Unknown command: %r" % command)
    settings = importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
    root = getattr(settings, "STATIC_ROOT", None)
    if not root:
        sys.exit(
            "django.core.exceptions.ImproperlyConfigured: You're using the staticfiles app "
            "without having set the STATIC_ROOT setting to a filesystem path."
        )
    if "--clear" in argv[2:] and os.path.isdir(root):
        shutil.rmtree(root)
    copied = 0
    for folder in getattr(settings, "STATICFILES_DIRS", []):
        for dirpath, _, names in os.walk(folder):
            for name in sorted(names):
                source = os.path.join(dirpath, name)
                target = os.path.join(root, os.path.relpath(source, folder))
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.copyfile(source, target)
                copied += 1
    plural = "" if copied == 1 else "s"
    print("%d static file%s copied to '%s'." % (copied, plural, root))
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
        ],
    );
}

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


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    project = _project()
    dist = _dist_name(project["name"])
    info = "%s-%s.dist-info" % (dist, project["version"])
    entries = []
    for dirpath, dirnames, names in os.walk("src"):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(names):
            path = os.path.join(dirpath, name)
            with open(path, "rb") as file:
                entries.append((os.path.relpath(path, "src").replace(os.sep, "/"), file.read()))
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
"#;

fn add_setuptools(house: &WheelHouse) {
    build_wheel(
        house.path(),
        "setuptools",
        "69.0.0",
        &[],
        &[
            module("setuptools/__init__.py", "VERSION = \"69.0.0\"\n"),
            module("setuptools/build_meta.py", BUILD_META),
        ],
    );
}
