"""A cache of what is read from source files, like ``.pyc`` files: one JSON file per repository
and kind (migration headers, the class spans of models modules) in the user's cache directory,
each entry keyed by the file's mtime, size, ctime and inode (so a same-size edit whose mtime was
put back still misses: restoring the mtime sets the ctime).

``MIGRATE_ASSISTANT_CACHE_DIR`` moves it; ``MIGRATE_ASSISTANT_CACHE_DIR=off`` turns it off.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

from . import __version__

FORMAT = 9  # bump whenever what is stored changes: ``migration_files.read_header``, ``model_index.model_spans``


def cache_dir() -> Path | None:
    configured = os.environ.get("MIGRATE_ASSISTANT_CACHE_DIR")
    if configured == "off":
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "migrate-assistant"


def cache_file(kind: str, root: Path) -> Path | None:
    """The cache file of one kind for the repository at ``root`` (``None`` when caching is off)."""
    directory = cache_dir()
    digest = hashlib.sha1(str(root).encode(), usedforsecurity=False).hexdigest()[:16]
    return directory / f"{kind}-{digest}.json" if directory else None


def write_json(path: Path, data) -> None:
    """Replace ``path`` with ``data`` at once (best effort: a cache that cannot be written is not kept)."""
    import tempfile  # only when a cache is written

    temp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, separators=(",", ":"))
        os.replace(temp, path)
    except OSError:
        if temp is not None and os.path.exists(temp):
            os.unlink(temp)


class HeaderCache:
    def __init__(self, root: Path, kind: str = "headers"):
        self.path = cache_file(kind, root)
        self.entries: dict[str, list] = {}
        self.used: dict[str, list] = {}
        if self.path is not None:
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if data.get("version") == [__version__, FORMAT] and data.get("root") == str(root):
                    self.entries = data["files"]
            except (OSError, ValueError, KeyError, TypeError):
                self.entries = {}

    def get(self, path: str, stamp: tuple[int, ...]) -> dict | list | None:
        entry = self.entries.get(path)
        if entry and tuple(entry[:-1]) == stamp:
            self.used[path] = entry
            return entry[-1]
        return None

    def put(self, path: str, stamp: tuple[int, ...], payload: dict | list) -> None:
        self.used[path] = [*stamp, payload]

    def save(self, root: Path, keep: Callable[[str], bool] | None = None) -> None:
        """Write the entries used this run if anything changed (best effort). With ``keep``, the unused
        entries for which ``keep(path)`` stay, and nothing is written unless an entry is new."""
        if self.path is None:
            return
        if keep is None:
            files = self.used
        elif all(self.entries.get(path) == entry for path, entry in self.used.items()):
            return
        else:
            files = {**{path: entry for path, entry in self.entries.items() if keep(path)}, **self.used}
        if files == self.entries:
            return
        write_json(self.path, {"version": [__version__, FORMAT], "root": str(root), "files": files})


def file_stamp(info: os.stat_result) -> tuple[int, ...]:
    """What identifies a file's version without reading it."""
    return (info.st_mtime_ns, info.st_size, info.st_ctime_ns, info.st_ino)
