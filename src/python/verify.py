# Prints one line per installed distribution that is missing files it recorded (an
# uninstall deleted files another distribution shares), nothing when every one is whole.
import os
import sys

try:
    from importlib import metadata
except ImportError:
    sys.exit(0)

problems = []
for dist in metadata.distributions():
    missing = []
    for path in dist.files or []:
        text = str(path).replace("\\", "/")
        if "__pycache__" in text or text.endswith(".pyc") or text.startswith(".."):
            continue
        if not os.path.exists(str(dist.locate_file(path))):
            missing.append(text)
    if missing:
        name = dist.metadata["Name"]
        shown = ", ".join(sorted(missing)[:3]) + (" ..." if len(missing) > 3 else "")
        problems.append("`%s` is missing %s" % (name, shown))
print("; ".join(sorted(problems)))
