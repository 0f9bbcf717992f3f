"""Read the project's Django settings statically (never imported), for swappable models.

The settings module is ``[tool.migrate-assistant] settings``, else
``DJANGO_SETTINGS_MODULE`` in the environment, else the one ``manage.py``
sets by default. Its file is found in the repository; a setting it assigns a
string literal is known, one it does not assign is Django's default (only
``AUTH_USER_MODEL`` has one), anything else is unreadable and says why.
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .project import Project
from .pysource import dotted_name, string_value

DEFAULTS = {"AUTH_USER_MODEL": "auth.User", "DEFAULT_AUTO_FIELD": "django.db.models.AutoField"}
_ENVIRONMENT = "DJANGO_SETTINGS_MODULE"


@dataclass(frozen=True)
class Setting:
    """A setting's value, or why it is unknown."""

    name: str
    value: str | None
    why: str | None = None
    unassigned: bool = False


class SettingsReader:
    def __init__(self, project: Project):
        self.project = project
        self._cache: dict[str, Setting] = {}

    @cached_property
    def module(self) -> str | None:
        configured = self.project.config.settings or os.environ.get(_ENVIRONMENT)
        if configured:
            return configured
        for path in sorted(self.project.python_files, key=lambda p: (len(p.parts), p)):
            if path.name == "manage.py":
                found = _manage_py_default(path)
                if found:
                    return found
        return None

    @cached_property
    def _files(self) -> dict[str, list[Path]]:
        """The repository's Python files by name (``c.py``; a package's ``c/__init__.py``)."""
        found: dict[str, list[Path]] = {}
        for path in self.project.python_files:
            key = f"{path.parent.name}/{path.name}" if path.name == "__init__.py" else path.name
            found.setdefault(key, []).append(path)
        return found

    def locate(self, module: str) -> Path | None:
        """The file of a dotted module in the repository (shortest path when several match)."""
        parts = module.split(".")
        matches = []
        for key, suffix in ((f"{parts[-1]}.py", "/".join(parts) + ".py"), (f"{parts[-1]}/__init__.py", "")):
            suffix = suffix or "/".join([*parts, "__init__.py"])
            matches += [path for path in self._files.get(key, []) if path.as_posix().endswith("/" + suffix)]
        return min(matches, key=lambda p: (len(p.parts), p)) if matches else None

    def get(self, name: str, default: str | None = None) -> Setting:
        """A setting's value; ``default`` when the settings do not assign it (as swapper does)."""
        if name not in self._cache:
            self._cache[name] = self._read(name)
        found = self._cache[name]
        return Setting(name, default) if found.unassigned and default else found

    def _read(self, name: str) -> Setting:
        if self.module is None:
            return Setting(name, None, "no settings module found: set [tool.migrate-assistant] settings")
        path = self.locate(self.module)
        if path is None:
            return Setting(name, None, f"settings module {self.module} is not in the repository")
        found = _assigned(self, path, self.module, name, set())
        if found is None:
            if name in DEFAULTS:
                return Setting(name, DEFAULTS[name])
            why = f"{name} is not assigned in {self.project.relative(path)} and has no default"
            return Setting(name, None, why, unassigned=True)
        return found


def _manage_py_default(path: Path) -> str | None:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and (dotted_name(node.func) or "").endswith("environ.setdefault"):
            if len(node.args) == 2 and string_value(node.args[0]) == _ENVIRONMENT:
                return string_value(node.args[1])
    return None


def _assigned(reader: SettingsReader, path: Path, module: str, name: str, seen: set[Path]) -> Setting | None:
    """The last value a module gives ``name`` at top level, following ``from X import *`` within the repository."""
    if path in seen:
        return None
    seen.add(path)
    relative = reader.project.relative(path)
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return Setting(name, None, f"{relative} cannot be parsed")
    result: Setting | None = None
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for stmt in tree.body:
        if isinstance(stmt, ast.ImportFrom) and any(alias.name in ("*", name) for alias in stmt.names):
            source = _absolute(stmt, package)
            source_path = reader.locate(source) if source else None
            if source_path is None:
                result = Setting(name, None, f"{relative}:{stmt.lineno}: imports from {source or '?'}, not found")
                continue
            inner = _assigned(reader, source_path, source, name, seen)
            result = inner or result
        elif _binds(stmt, name):
            value = string_value(stmt.value) if isinstance(stmt, (ast.Assign, ast.AnnAssign)) else None
            if value is not None and isinstance(stmt, (ast.Assign, ast.AnnAssign)):
                result = Setting(name, value)
            else:
                result = Setting(name, None, f"{relative}:{stmt.lineno}: {name} is computed")
        elif not isinstance(stmt, (ast.FunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom, ast.Expr)):
            if any(_binds(inner, name) for inner in ast.walk(stmt) if isinstance(inner, ast.stmt)):
                result = Setting(name, None, f"{relative}:{stmt.lineno}: {name} is assigned conditionally")
    return result


def _binds(stmt: ast.stmt, name: str) -> bool:
    targets = []
    if isinstance(stmt, ast.Assign):
        targets = [t for target in stmt.targets for t in ast.walk(target)]
    elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
        targets = [stmt.target]
    return any(isinstance(t, ast.Name) and t.id == name for t in targets)


def _absolute(node: ast.ImportFrom, package: str) -> str | None:
    if not node.level:
        return node.module
    parts = package.split(".")
    if node.level - 1 > len(parts):
        return None
    base = parts[: len(parts) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))
