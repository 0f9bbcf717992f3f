"""A cache of an answer found by reading many files (like ``header_cache.py``, but for one whole answer):
one JSON file per repository and kind, valid while its key is the same and every file and folder read
to find the answer has the same stamp (mtime, size, ctime, inode; a folder's stamp changes when an entry
is added or removed).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from . import __version__
from .header_cache import cache_file, file_stamp, write_json


class ReadSetCache:
    """``key`` names everything but the files read: e.g. the repository's Python files, its apps, the search path."""

    def __init__(self, kind: str, root: Path, key: dict, version: int):
        self.path = cache_file(kind, root)
        self.key = {"version": [__version__, version], "root": str(root), **key}

    def load(self) -> tuple[object, dict[str, list[int] | None]] | None:
        """The answer and the stamps it was read under, if the key matches and no file or folder changed."""
        if self.path is None:
            return None
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data["key"] != self.key or any(stamp(path) != seen for path, seen in data["read"].items()):
                return None
            return data["answer"], data["read"]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def save(self, answer, read: dict[str, list[int] | None]) -> None:
        """``read``: the stamp of every file and folder read, taken before reading it (best effort)."""
        if self.path is not None:
            write_json(self.path, {"key": self.key, "read": read, "answer": answer})


def files_digest(paths: list[Path]) -> str:
    """One string that changes when a Python file is added, removed or renamed."""
    return hashlib.sha1("\n".join(map(str, paths)).encode("utf-8", "surrogatepass"), usedforsecurity=False).hexdigest()


def stamp(path) -> list[int] | None:
    """What ``save`` records of a file or folder read (``None`` when it does not exist)."""
    try:
        return list(file_stamp(os.stat(path)))
    except OSError:
        return None
