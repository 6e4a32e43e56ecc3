"""Prints, as JSON, the wheels `python -m ensurepip` installs with this interpreter:
[{"name": "pip", "version": "23.2.1", "path": ".../pip-23.2.1-py3-none-any.whl"}, ...].
Prints [] when this Python has no ensurepip or its wheels were taken out (Debian without
python3-venv). Read by src/python/seed_cache.rs; runs on Python 2.7 to 3.13."""
import glob
import json
import os
import sys
import sysconfig

try:
    import ensurepip
except ImportError:
    ensurepip = None

wheels = []
if ensurepip is not None:
    folders = [os.path.join(os.path.dirname(ensurepip.__file__), "_bundled")]
    distribution_folder = sysconfig.get_config_var("WHEEL_PKG_DIR")
    if distribution_folder:
        # ensurepip looks in the distribution's folder first.
        folders.insert(0, distribution_folder)
    wanted = [("pip", ensurepip.version())]
    setuptools_version = getattr(ensurepip, "_SETUPTOOLS_VERSION", None)
    if setuptools_version and sys.version_info < (3, 12):
        wanted.append(("setuptools", setuptools_version))
    for name, version in wanted:
        found = []
        for folder in folders:
            pattern = os.path.join(folder, "%s-%s-*.whl" % (name, version))
            found = sorted(glob.glob(pattern))
            if found:
                break
        if not found:
            wheels = []
            break
        wheels.append({"name": name, "version": version, "path": found[0]})
print(json.dumps(wheels))
