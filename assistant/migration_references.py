"""Rewrite the migration names a file refers to: ``dependencies``, ``run_before`` and
``replaces`` of a migration, ``migrate_from`` / ``migrate_to`` of a migration test.

Only the string pairs and strings that change are replaced, through the syntax
tree; formatting, comments and every other entry (swappable dependencies,
cross-app pairs that do not change) stay as they are.
"""

from __future__ import annotations

import ast

from .pysource import parse_source
from .render import string_literal
from .splice import splice

Key = tuple[str, str]
REFERENCE_LISTS = ("dependencies", "run_before", "replaces")


def rewrite_migration(source: str, path, renames: dict[Key, Key], parent: Key | None = None) -> str:
    """Apply ``renames`` to the file's references; with ``parent``, the file's same-app
    dependencies (app = ``parent[0]``) are replaced by that one migration."""
    tree = parse_source(source, path)
    klass = next((n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Migration"), None)
    replacements: list[tuple[ast.AST, str]] = []
    for statement in klass.body if klass else []:
        name, value = _assignment(statement)
        if name not in REFERENCE_LISTS or not isinstance(value, (ast.List, ast.Tuple)):
            continue
        for element in value.elts:
            pair = _pair(element)
            if pair is None:
                continue
            new = renames.get(pair, pair)
            if name == "dependencies" and parent is not None and pair[0] == parent[0]:
                new = parent
            if new != pair:
                replacements.append((element, f"({string_literal(new[0])}, {string_literal(new[1])})"))
    return splice(source, replacements)


def rewrite_migration_test(source: str, path, app_of_test, renames: dict[Key, Key], parents: dict[Key, Key]) -> str:
    """Point ``migrate_to`` at the renamed migration and ``migrate_from`` at its new parent.

    ``app_of_test(class_node)`` is the app the test class migrates (its ``app`` attribute).
    """
    tree = parse_source(source, path)
    replacements = []
    for klass in [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]:
        values = {name: value for name, value in map(_assignment, klass.body) if name}
        app = app_of_test(values)
        target = _string(values.get("migrate_to"))
        if target is None or (app, target) not in renames:
            continue
        new = renames[(app, target)]
        replacements.append((values["migrate_to"], string_literal(new[1])))
        origin = _string(values.get("migrate_from"))
        if origin is not None and new in parents and parents[new][1] != origin:
            replacements.append((values["migrate_from"], string_literal(parents[new][1])))
    return splice(source, replacements)


def _assignment(statement: ast.stmt) -> tuple[str | None, ast.expr | None]:
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
        return statement.targets[0].id, statement.value
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return statement.target.id, statement.value
    return None, None


def _pair(node: ast.expr) -> Key | None:
    if isinstance(node, (ast.Tuple, ast.List)) and len(node.elts) == 2:
        first, second = map(_string, node.elts)
        if first is not None and second is not None:
            return (first, second)
    return None


def _string(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None
