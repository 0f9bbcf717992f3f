"""A ``.pyc`` for the code that ``dataclasses`` generates: compiled once, reused by later runs.

Python compiles the ``__init__``, ``__eq__``, ``__hash__``, ``__setattr__``… of every dataclass from
source text each time a program starts; libcst alone defines 240 dataclasses, and compiling their
methods is a third of the time ``import libcst`` takes. ``install()`` gives the ``dataclasses`` module
an ``exec`` that looks the text up in a cache of code objects first (compiled exactly as ``exec``
would: same file name, no inherited ``__future__`` flags), so nothing else changes: the same text
gives the same code. ``save()`` writes what was compiled anew.

The cache is a ``marshal`` file per interpreter (named, and headed, by the bytecode magic number,
like ``.pyc`` files) and per top-level package defining the classes (a command loads only what the
packages it imports need), in migrate-assistant's cache directory (``MIGRATE_ASSISTANT_CACHE_DIR=off``: no
cache). Like ``__pycache__`` it holds code that is run: it is read only if the user owns it and no one
else can write to it.
"""

from __future__ import annotations

import builtins
import marshal
import os
import stat
import sys
from importlib.util import MAGIC_NUMBER

from .header_cache import cache_dir

_MAX_ENTRIES = 20_000  # far more than any set of installed packages defines: a bound, not a budget


class _CodeCache:
    def __init__(self, directory: str):
        self.directory = directory
        self.codes: dict[str, dict[str, object]] = {}  # by top-level package, each file read on first use
        self.compiled: set[str] = set()  # the packages with code compiled by this run

    def exec(self, source, globals=None, locals=None, /):  # noqa: A002 - the signature of exec
        if isinstance(source, str):
            package = str((globals or {}).get("__name__", "")).partition(".")[0] or "__main__"
            codes = self._codes(package)
            code = codes.get(source)
            if code is None:
                code = compile(source, "<string>", "exec", dont_inherit=True)
                codes[source] = code
                self.compiled.add(package)
            source = code
        return builtins.exec(source, globals, locals)

    def path(self, package: str) -> str:
        optimized = f"-O{sys.flags.optimize}" if sys.flags.optimize else ""  # compile() follows -O
        return os.path.join(self.directory, f"generated-code-{MAGIC_NUMBER.hex()}-{package}{optimized}.marshal")

    def _codes(self, package: str) -> dict[str, object]:
        if package not in self.codes:
            self.codes[package] = _read(self.path(package)) if package.isidentifier() else {}
        return self.codes[package]


def _read(path: str) -> dict[str, object]:
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
                return {}
            if handle.read(len(MAGIC_NUMBER)) != MAGIC_NUMBER:
                return {}
            codes = marshal.loads(handle.read())  # marshal.load(handle) reads piecewise: several times slower
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return codes if isinstance(codes, dict) and len(codes) <= _MAX_ENTRIES else {}


_cache: _CodeCache | None = None


def install() -> None:
    """Route the ``dataclasses`` module's ``exec`` through the cache (once; a no-op when caching is off)."""
    global _cache
    if _cache is not None:
        return
    directory = cache_dir()
    if directory is None:
        return
    import dataclasses

    _cache = _CodeCache(str(directory))
    dataclasses.exec = _cache.exec  # a module global shadows the builtin for that module only


def save() -> None:
    """Write what this run compiled anew (best effort, atomically, readable only by its owner)."""
    if _cache is None:
        return
    for package in sorted(_cache.compiled):
        if package.isidentifier():
            _write(_cache.path(package), _cache.codes[package])
    _cache.compiled.clear()


def _write(path: str, codes: dict[str, object]) -> None:
    temp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(MAGIC_NUMBER)
            marshal.dump(codes if len(codes) <= _MAX_ENTRIES else {}, out)
        os.replace(temp, path)
    except (OSError, ValueError):
        if os.path.exists(temp):
            os.unlink(temp)
