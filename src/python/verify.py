# Prints one line per problem in the env, nothing when there is none: an installed
# distribution missing files it recorded (an uninstall deleted files another distribution
# shares), and, for each distribution named in argv[1] (a JSON list of normalised names,
# optional), a top-level module of it that does not import.
import csv
import json
import os
import re
import sys

try:
    from importlib import metadata
except ImportError:
    sys.exit(0)


def norm(name):
    return re.sub(r"[-_.]+", "-", name or "").lower()


def recorded_files(dist):
    """The paths a distribution recorded, present or not (from Python 3.12 on,
    `dist.files` leaves out the missing ones, which are what this check looks for)."""
    text = dist.read_text("RECORD")
    if text is None:
        return [str(path) for path in dist.files or []]
    return [row[0] for row in csv.reader(text.splitlines()) if row]


def top_level_names(dist):
    """The importable names a distribution puts at the top of site-packages."""
    text = dist.read_text("top_level.txt")
    if text:
        names = set(line.strip() for line in text.splitlines())
    else:
        names = set()
        for path in recorded_files(dist):
            parts = path.replace("\\", "/").split("/")
            if parts[0] in ("..", "") or parts[0].endswith((".dist-info", ".egg-info", ".data")):
                continue
            if len(parts) == 1 and parts[0].endswith(".py"):
                names.add(parts[0][:-3])
            elif len(parts) == 2 and parts[1] == "__init__.py":
                names.add(parts[0])
    return sorted(
        name for name in names
        if name and name.isidentifier() and not name.startswith("__editable__")
    )


def cannot_import(name):
    """Why `import name` fails, or None; what the module prints is dropped."""
    import importlib

    stdout = sys.stdout
    sys.stdout = open(os.devnull, "w")
    try:
        importlib.import_module(name)
        return None
    except BaseException as error:
        return "%s: %s" % (type(error).__name__, error)
    finally:
        sys.stdout.close()
        sys.stdout = stdout


listed = set(norm(name) for name in json.loads(sys.argv[1])) if len(sys.argv) > 1 else set()
problems = []
for dist in metadata.distributions():
    name = dist.metadata["Name"]
    missing = []
    for path in recorded_files(dist):
        text = path.replace("\\", "/")
        if "__pycache__" in text or text.endswith(".pyc") or text.startswith(".."):
            continue
        if not os.path.exists(str(dist.locate_file(path))):
            missing.append(text)
    if missing:
        shown = ", ".join(sorted(missing)[:3]) + (" ..." if len(missing) > 3 else "")
        problems.append("`%s` is missing %s" % (name, shown))
    if norm(name) in listed:
        for module in top_level_names(dist):
            why = cannot_import(module)
            if why:
                problems.append("`import %s` (from `%s`) fails: %s" % (module, name, why))
print("; ".join(sorted(problems)))
