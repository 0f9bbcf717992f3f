"""What planning read, so that writing can refuse when the repository changed meanwhile.

Every source read (``pysource.read_source``) leaves the hash of its text, every
migration header taken from the cache its stamp, every migrations folder its
listing. A plan keeps the record of its repository (``snapshot``); just before
writing, ``changed`` compares it with the disk.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

_READS: dict[str, tuple] = {}  # absolute path → ("text", sha1) | ("stamp", mtime_ns, size) | ("listing", names)


def remember_text(path: Path, text: str) -> None:
    _READS[os.path.abspath(path)] = ("text", _digest(text.encode("utf-8", "surrogatepass")))


def remember_stamp(path: str | Path, stamp: tuple[int, int]) -> None:
    _READS.setdefault(os.path.abspath(path), ("stamp", *stamp))


def remember_listing(directory: Path, names: list[str]) -> None:
    _READS[os.path.abspath(directory)] = ("listing", tuple(sorted(names)))


def forget(root: Path) -> None:
    """Drop what was read under ``root`` (a new reading of the repository starts)."""
    prefix = os.path.join(os.path.abspath(root), "")
    for key in [key for key in _READS if key.startswith(prefix)]:
        del _READS[key]


def snapshot(root: Path) -> dict[str, tuple]:
    prefix = os.path.join(os.path.abspath(root), "")
    return {key: value for key, value in list(_READS.items()) if key.startswith(prefix)}


def changed(reads: dict[str, tuple]) -> str | None:
    """The first path whose content, stamp or listing differs from what was read, else ``None``."""
    for path, seen in reads.items():
        if _current(path, seen[0]) != seen:
            return path
    return None


def migration_names(directory: Path) -> list[str]:
    """The names the index reads in a migrations folder (``.py``, not ``_``/``~`` prefixed)."""
    with os.scandir(directory) as entries:
        return [entry.name for entry in entries if entry.name.endswith(".py") and entry.name[0] not in "_~"]


def _current(path: str, kind: str) -> tuple | None:
    try:
        if kind == "text":
            with open(path, "rb") as handle:
                return ("text", _digest(handle.read()))
        if kind == "stamp":
            info = os.stat(path)
            return ("stamp", info.st_mtime_ns, info.st_size)
        return ("listing", tuple(sorted(migration_names(Path(path)))))
    except OSError:
        return None


def _digest(data: bytes) -> str:
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()
