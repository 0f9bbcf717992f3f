"""rename-model outside the models modules: ``from app.models import Old`` in the admin, views and forms (which
Django's ``check`` imports) becomes ``from app.models import New as Old``, so nothing breaks before the uses of
the old name, listed as code to update, are changed."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from .pysource import flat_statements, parse_source
from .python_modules import ClassRef


def keep_imports_of_renamed_model(project, model, new: str, changes, skipped: set[Path]) -> None:
    """``from app.models import Old`` outside the models modules (``skipped``: edited by the rename itself)
    becomes ``from app.models import New as Old``, so the admin, views and forms that Django's checks import
    keep working; their uses of the old name are listed as code to update."""
    old = model.name
    word = re.compile(rf"\b{re.escape(old)}\b")
    for path in project.python_files:
        relative = project.relative(path)
        if path in skipped or "migrations" in Path(relative).parts:
            continue
        text = changes.read(relative)
        if text is None or not word.search(text):
            continue
        aliases = [
            alias
            for alias in _module_level_imports(parse_source(text, path))
            if _imports_model(project, path, alias, model)
        ]
        if aliases:
            changes.write(relative, _aliased(text, aliases, new))


def _module_level_imports(tree: ast.Module) -> list[tuple[ast.ImportFrom, ast.alias]]:
    return [
        (node, alias) for node in flat_statements(tree.body) if isinstance(node, ast.ImportFrom) for alias in node.names
    ]


def _imports_model(project, path: Path, found: tuple[ast.ImportFrom, ast.alias], model) -> bool:
    node, alias = found
    if alias.name != model.name:
        return False
    if node.level:
        if project.index.app_of(path) is None:
            return False
        package = project.index.module_of(path)
        package = package if path.name == "__init__.py" else package.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        module = f"{package}.{node.module}" if node.module else package
    else:
        module = node.module or ""
    resolved = project.index.sources.lookup(module, alias.name)
    return isinstance(resolved, ClassRef) and resolved.path == model.source.path and resolved.name == model.name


def _aliased(text: str, found: list[tuple[ast.ImportFrom, ast.alias]], new: str) -> str:
    lines = text.splitlines(keepends=True)
    for _, alias in sorted(found, key=lambda item: (item[1].lineno, item[1].col_offset), reverse=True):
        raw = lines[alias.lineno - 1].encode("utf-8")
        written = f"{new} as {alias.asname or alias.name}".encode()
        lines[alias.lineno - 1] = (raw[: alias.col_offset] + written + raw[alias.end_col_offset :]).decode("utf-8")
    return "".join(lines)
