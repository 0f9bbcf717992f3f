"""The Django operation a class imported into a migration acts as, read from its source in the repository.

``from myapp.operations import DeleteModelIfExists`` where ``class
DeleteModelIfExists(migrations.DeleteModel)``: its module is found next to the
migration's package (never imported), and its bases followed to a Django
operation. A class whose source is not in the repository stays unknown.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

from .migration_operations import ALIASES, KNOWN
from .pysource import last_name

MAX_DEPTH = 6


def imported_operation_kind(path: Path, tree: ast.Module, name: str) -> str | None:
    """The Django operation ``name`` (imported in the module ``tree`` at ``path``) subclasses, if found."""
    return _kind_in(path, tree, name, MAX_DEPTH)


def _kind_in(path: Path, tree: ast.Module, name: str, depth: int) -> str | None:
    if name in KNOWN:
        return ALIASES.get(name, name)
    if depth <= 0:
        return None
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == name and node.bases:
            return _kind_in(path, tree, last_name(node.bases[0]) or "", depth - 1)
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if (alias.asname or alias.name) == name:
                    source = _module_file(path, node.module, node.level)
                    found = _parsed(source) if source else None
                    return _kind_in(source, found, alias.name, depth - 1) if found else None
    return None


def _module_file(path: Path, module: str | None, level: int) -> Path | None:
    """The file of ``from <level dots><module> import ...`` written in ``path``, within its source root."""
    if level:
        base = path.parent
        for _ in range(level - 1):
            base = base.parent
    else:
        base = path.parent
        while (base / "__init__.py").is_file():
            base = base.parent
    target = base.joinpath(*(module.split(".") if module else []))
    for candidate in (target.with_suffix(".py"), target / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


@lru_cache(maxsize=64)
def _parsed(path: Path) -> ast.Module | None:
    try:
        return ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return None
