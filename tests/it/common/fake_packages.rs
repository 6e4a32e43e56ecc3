//! Test support: small real wheels that stand in for Flask, gunicorn and Django, so an
//! unmodified app (its requirements.txt, its manage.py) deploys without the network.
//!
//! Use from a test or bench file together with wheels.rs:
//! `#[path = "common/wheels.rs"] mod wheels;` and
//! `#[path = "common/fake_packages.rs"] mod fake_packages;`.
#![allow(dead_code)]

use super::wheels::{build_wheel, WheelHouse};

/// `flask`: a `Flask` class that registers routes and serves files from `static/`.
const FLASK_INIT: &str = r#""""A stand-in for Flask, built by the tests: enough for `app = Flask(__name__)`."""
import os
import sys

VERSION = "3.0.0"


class Flask:
    """Registers view functions by rule, as Flask does."""

    def __init__(self, import_name, static_folder="static"):
        module = sys.modules.get(import_name)
        root = os.path.dirname(os.path.abspath(getattr(module, "__file__", "") or "."))
        self.import_name = import_name
        self.static_folder = os.path.join(root, static_folder)
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

/// `gunicorn`: a module with a version, as `import gunicorn` sees it.
const GUNICORN_INIT: &str =
    "\"\"\"A stand-in for gunicorn, built by the tests.\"\"\"\nVERSION = \"21.2.0\"\n";

/// `django.core.management`: `collectstatic --noinput [--clear]`, copying each installed
/// app's `static/` folder and STATICFILES_DIRS into STATIC_ROOT, as Django does.
const DJANGO_MANAGEMENT: &str = r#""""Django's command line, as far as a deploy needs it: collectstatic."""
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
                shutil.copy2(source, destination)
                copied += 1
    print("\n%d static file%s copied to '%s'." % (copied, "" if copied == 1 else "s", root))


def execute_from_command_line(argv=None):
    argv = list(sys.argv if argv is None else argv)
    command = argv[1] if len(argv) > 1 else "help"
    try:
        if command != "collectstatic":
            raise CommandError("Unknown command: %r" % command)
        _collectstatic(argv[2:])
    except CommandError as error:
        sys.stderr.write("CommandError: %s\n" % error)
        sys.exit(1)
"#;

/// The version every stand-in reports.
pub const FLASK_VERSION: &str = "3.0.0";
/// gunicorn's stand-in version.
pub const GUNICORN_VERSION: &str = "21.2.0";
/// Django's stand-in version.
pub const DJANGO_VERSION: &str = "4.2.0";

/// Adds `Flask==3.0.0` (package `flask`) to `house`.
pub fn add_flask(house: &WheelHouse) {
    build_wheel(
        house.path(),
        "Flask",
        FLASK_VERSION,
        &[],
        &[("flask/__init__.py".into(), FLASK_INIT.into())],
    );
}

/// Adds `gunicorn==21.2.0` to `house`.
pub fn add_gunicorn(house: &WheelHouse) {
    build_wheel(
        house.path(),
        "gunicorn",
        GUNICORN_VERSION,
        &[],
        &[("gunicorn/__init__.py".into(), GUNICORN_INIT.into())],
    );
}

/// Adds `Django==4.2.0` (package `django` with `django.core.management` and
/// `django.contrib.staticfiles`) to `house`.
pub fn add_django(house: &WheelHouse) {
    let init = format!(
        "\"\"\"A stand-in for Django, built by the tests.\"\"\"\nVERSION = \"{DJANGO_VERSION}\"\n"
    );
    build_wheel(
        house.path(),
        "Django",
        DJANGO_VERSION,
        &[],
        &[
            ("django/__init__.py".into(), init),
            ("django/core/__init__.py".into(), String::new()),
            (
                "django/core/management/__init__.py".into(),
                DJANGO_MANAGEMENT.into(),
            ),
            ("django/contrib/__init__.py".into(), String::new()),
            (
                "django/contrib/staticfiles/__init__.py".into(),
                String::new(),
            ),
        ],
    );
}

/// A wheel house with Flask, gunicorn and Django.
pub fn web_wheels() -> WheelHouse {
    let house = WheelHouse::new();
    add_flask(&house);
    add_gunicorn(&house);
    add_django(&house);
    house
}
