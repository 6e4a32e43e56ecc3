"""Byte-compiles, in a seed cache entry, what pip imports to run `pip install`: imports it
with bytecode writing on (whatever PYTHONDONTWRITEBYTECODE says), so each module's *.pyc
is written beside it. The rest is compiled when first imported, as for any package
installed with `pip install --no-compile`. Run by src/python/seed_cache.rs with the
entry's site-packages folder as the only argument; runs on Python 3.6 to 3.13."""
import sys

sys.dont_write_bytecode = False
sys.path.insert(0, sys.argv[1])
try:
    # setuptools' distutils-precedence.pth imports it at every start of the env's python.
    import _distutils_hack  # noqa: F401
except ImportError:
    pass
try:
    import pip._internal.cli.main  # noqa: F401
    from pip._internal.commands import create_command

    create_command("install")
except Exception:
    # An older pip lays its modules out otherwise: what it imported is compiled.
    pass
