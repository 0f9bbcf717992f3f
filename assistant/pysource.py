"""Small helpers over Python's ``ast`` shared by the indexes."""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass
from pathlib import Path

from .errors import AssistantError
from .reads import remember_text

BUILTIN_NAMES = frozenset(dir(builtins))


def read_source(path: Path) -> str:
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            text = handle.read()
    except UnicodeDecodeError:
        raise AssistantError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise AssistantError(f"{path}: cannot read ({exc.strerror})") from None
    remember_text(path, text)
    return text


def parse_source(source: str, path: Path) -> ast.Module:
    """Parse, turning a syntax error into one clear message; a UTF-8 BOM is ignored, as Python does."""
    try:
        return ast.parse(source.removeprefix("\ufeff"), filename=str(path))
    except SyntaxError as exc:
        raise AssistantError(f"{path}:{exc.lineno}:{exc.offset}: syntax error: {exc.msg}") from None
    except ValueError as exc:  # e.g. null bytes
        raise AssistantError(f"{path}: cannot parse ({exc})") from None


def dotted_name(node: ast.AST | None) -> str | None:
    """``a.b.c`` for a chain of attributes on a name, else ``None``."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def last_name(node: ast.AST | None) -> str | None:
    """The last part of a dotted name (``CharField`` for ``models.CharField``)."""
    name = dotted_name(node)
    return name.rsplit(".", 1)[-1] if name else None


def string_value(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def is_true(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def is_false(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is False


def keyword_map(call: ast.Call) -> dict[str, ast.expr]:
    return {kw.arg: kw.value for kw in call.keywords if kw.arg is not None}


def string_pairs(node: ast.AST | None) -> list[tuple[str, str] | None]:
    """Items of a list/tuple of ``("a", "b")`` pairs; ``None`` for an item that is not a literal pair."""
    if not isinstance(node, (ast.List, ast.Tuple)):
        return []
    pairs: list[tuple[str, str] | None] = []
    for item in node.elts:
        if isinstance(item, ast.Tuple) and len(item.elts) == 2:
            first, second = (string_value(elt) for elt in item.elts)
            if first is not None and second is not None:
                pairs.append((first, second))
                continue
        pairs.append(None)
    return pairs


@dataclass(frozen=True, order=True)
class Import:
    """One imported name: ``import module`` (name is None) or ``from module import name``."""

    module: str
    name: str | None = None
    asname: str | None = None

    @property
    def bound(self) -> str:
        """The local name this import binds."""
        if self.asname:
            return self.asname
        return self.name if self.name else self.module.split(".")[0]


def module_imports(tree: ast.Module) -> list[Import]:
    """Top-level imports of a module, one entry per bound name."""
    found: list[Import] = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            found.extend(Import(alias.name, None, alias.asname) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.extend(Import(node.module, alias.name, alias.asname) for alias in node.names)
    return found


def names_read(tree: ast.AST) -> set[str]:
    """The names a tree reads or binds as plain names (import statements bind theirs in aliases, not here)."""
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}


def imports_for(expr: ast.AST, available: list[Import]) -> set[Import]:
    """The imports ``expr`` needs, taken from the module it was written in.

    Raises ``LookupError`` naming the first name that is neither imported nor a builtin.
    """
    needed: set[Import] = set()
    chains = [dotted_name(node) for node in ast.walk(expr) if isinstance(node, (ast.Attribute, ast.Name))]
    roots = names_read(expr)
    for root in sorted(roots):
        bound = [imp for imp in available if imp.bound == root]
        plain = [imp for imp in bound if imp.name is None and imp.asname is None]
        aliased = [imp for imp in bound if imp not in plain]
        if aliased:
            needed.add(aliased[-1])
            continue
        if plain:
            used = [chain for chain in chains if chain and chain.split(".")[0] == root]
            for chain in used:
                matches = [imp for imp in plain if chain == imp.module or chain.startswith(imp.module + ".")]
                if matches:
                    needed.add(max(matches, key=lambda imp: len(imp.module)))
            if not any(imp in needed for imp in plain):
                needed.add(plain[0])
            continue
        if root not in BUILTIN_NAMES:
            raise LookupError(root)
    return needed


def flat_statements(body: list[ast.stmt]):
    """The statements of ``body``, those under ``if`` / ``else`` / ``try`` / ``except`` / ``finally`` / ``with``
    in their place (what runs at that level under some condition)."""
    for stmt in body:
        if isinstance(stmt, ast.If):
            yield from flat_statements(stmt.body + stmt.orelse)
        elif isinstance(stmt, ast.Try):
            handlers = [line for handler in stmt.handlers for line in handler.body]
            yield from flat_statements(stmt.body + handlers + stmt.orelse + stmt.finalbody)
        elif isinstance(stmt, ast.With):
            yield from flat_statements(stmt.body)
        else:
            yield stmt
