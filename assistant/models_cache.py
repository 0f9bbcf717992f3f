"""Each app's concrete models in brief (what the schema browser lists), cached like migration headers
(``header_cache.py``): one JSON file per repository, valid while every file and folder read to find them
has the same stamp (mtime, size, ctime, inode), the repository has the same Python files and the module
search path is the same. A second start then parses no models module when none changed.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from . import __version__
from .header_cache import cache_file, file_stamp, write_json
from .pysource import is_true, string_value

FORMAT = 1  # bump whenever what a summary holds, or how the index finds models, changes


@dataclass(frozen=True)
class FieldSummary:
    name: str
    line: int
    class_name: str
    target: str | None  # the related model as written (``"sentry.Project"``), for a relation
    null: bool
    db_default: bool
    is_many_to_many: bool
    primary_key: bool


@dataclass(frozen=True)
class ModelSummary:
    name: str
    path: Path
    line: int
    decorators: list[str]
    db_table: str | None
    fields: dict[str, FieldSummary]


def summarize(models: dict[str, list]) -> dict[str, list[ModelSummary]]:
    """The concrete models of ``RepositoryIndex.models``, in brief."""
    return {label: [_model(model) for model in found if model.concrete] for label, found in models.items()}


def _model(model) -> ModelSummary:
    fields = {name: _field(source) for name, source in model.fields.items()}
    return ModelSummary(model.name, model.path, model.line, list(model.decorators), model.db_table, fields)


def _field(source) -> FieldSummary:
    kwargs = source.kwargs
    target = string_value(kwargs.get("to")) or (string_value(source.call.args[0]) if source.call.args else None)
    return FieldSummary(
        source.name,
        source.line,
        source.class_name,
        target,
        is_true(kwargs.get("null")),
        "db_default" in kwargs,
        source.is_many_to_many,
        "primary_key" in kwargs,
    )


class ModelsCache:
    """``key`` names everything but the files: the repository's Python files, its apps, the search path."""

    def __init__(self, root: Path, key: dict):
        self.path = cache_file("models", root)
        self.key = {"version": [__version__, FORMAT], "root": str(root), **key}

    def load(self) -> dict[str, list[ModelSummary]] | None:
        """The summaries, if the key matches and no file or folder they were read from changed."""
        if self.path is None:
            return None
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data["key"] != self.key or any(stamp(path) != seen for path, seen in data["read"].items()):
                return None
            return {label: [_loaded(model) for model in found] for label, found in data["models"].items()}
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, models: dict[str, list[ModelSummary]], read: dict[str, list[int] | None]) -> None:
        """``read``: the stamp of every file and folder read, taken before reading it (best effort)."""
        if self.path is None:
            return
        found = {label: [{**asdict(m), "path": str(m.path)} for m in summaries] for label, summaries in models.items()}
        write_json(self.path, {"key": self.key, "read": read, "models": found})


def files_digest(paths: list[Path]) -> str:
    """One string that changes when a Python file is added, removed or renamed."""
    return hashlib.sha1("\n".join(map(str, paths)).encode("utf-8", "surrogatepass"), usedforsecurity=False).hexdigest()


def stamp(path) -> list[int] | None:
    """What ``save`` records of a file or folder read (``None`` when it does not exist)."""
    try:
        return list(file_stamp(os.stat(path)))
    except OSError:
        return None


def _loaded(data: dict) -> ModelSummary:
    fields = {name: FieldSummary(**field) for name, field in data["fields"].items()}
    return ModelSummary(data["name"], Path(data["path"]), data["line"], data["decorators"], data["db_table"], fields)
