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
    bundled_folder = os.path.join(os.path.dirname(ensurepip.__file__), "_bundled")
    # A distribution's own folder of wheels (Debian's /usr/share/python-wheels), which
    # ensurepip prefers, taking whatever version it holds.
    distribution_folder = getattr(ensurepip, "_WHEEL_PKG_DIR", None)
    distribution_folder = distribution_folder or sysconfig.get_config_var("WHEEL_PKG_DIR")
    wanted = [("pip", ensurepip.version())]
    setuptools_version = getattr(ensurepip, "_SETUPTOOLS_VERSION", None)
    if setuptools_version and sys.version_info < (3, 12):
        wanted.append(("setuptools", setuptools_version))
    for name, version in wanted:
        found = []
        if distribution_folder:
            found = sorted(glob.glob(os.path.join(distribution_folder, "%s-*.whl" % name)))
        if not found:
            found = sorted(glob.glob(os.path.join(bundled_folder, "%s-%s-*.whl" % (name, version))))
        if not found:
            wheels = []
            break
        path = found[-1]
        version = os.path.basename(path).split("-")[1]
        wheels.append({"name": name, "version": version, "path": path})
print(json.dumps(wheels))
