"""What a field class outside Django does to its field, read from its source (never imported).

A migration writes a field's deconstruction, which leaves out what the class
itself decides: ``NullCharField`` sets ``null=True`` in ``__init__``,
``TaggableManager`` is many-to-many. The class is found through the
migration's imports, in the repository or in the installed packages
(``importlib``'s path finder, which runs nothing); its ``__init__`` and class
attributes are read up to Django's own base classes.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib.machinery import PathFinder
from pathlib import Path

from .pysource import dotted_name, string_value

MAX_DEPTH = 8
DJANGO_RELATIONS = {"ForeignKey": "foreign_key", "OneToOneField": "foreign_key", "ManyToManyField": "many_to_many"}


@dataclass(frozen=True)
class FieldClass:
    """``null`` forced by the class (``kwargs["null"] = True``) or its default; ``kind`` of relation."""

    found: bool
    null_forced: bool | None = None
    null_default: bool | None = None
    kind: str | None = None
    why: str | None = None  # when something of it cannot be read


class FieldClasses:
    def __init__(self, locate, extra_paths: tuple[str, ...] = ()):
        """``locate(module) -> Path | None`` finds a module in the repository."""
        self.locate = locate
        self.paths = [*extra_paths, *sys.path]
        self._cache: dict[tuple[str, str], FieldClass] = {}

    def lookup(self, module: str, name: str) -> FieldClass:
        key = (module, name)
        if key not in self._cache:
            self._cache[key] = self._read(module, name, MAX_DEPTH)
        return self._cache[key]

    def _module_file(self, module: str) -> Path | None:
        found = self.locate(module)
        if found is not None:
            return found
        parts = module.split(".")
        paths = self.paths
        spec = None
        for part in parts:
            spec = PathFinder.find_spec(part, paths)
            if spec is None:
                return None
            paths = list(spec.submodule_search_locations or [])
        return Path(spec.origin) if spec and spec.origin and spec.origin.endswith(".py") else None

    def _read(self, module: str, name: str, depth: int) -> FieldClass:
        if module.split(".")[0] == "django":
            return FieldClass(True, kind=DJANGO_RELATIONS.get(name))
        if depth <= 0:
            return FieldClass(False, why=f"{module}.{name}: too many base classes")
        path = self._module_file(module)
        tree = _parsed(path) if path else None
        if tree is None:
            return FieldClass(False, why=f"the source of {module}.{name} is not found")
        imports = _imports(tree, module, path.name == "__init__.py")
        klass = next((n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == name), None)
        if klass is None:
            if name in imports:  # re-exported
                return self._read(*imports[name], depth - 1)
            return FieldClass(False, why=f"{module}.{name} is not a class defined at the top of its module")
        base = self._base(klass, module, imports, depth)
        own = _own(klass)
        if own.why:
            return FieldClass(True, why=f"{module}.{name}: {own.why}")
        return FieldClass(
            base.found,
            null_forced=own.null_forced if own.null_forced is not None else base.null_forced,
            null_default=own.null_default if own.null_default is not None else base.null_default,
            kind=own.kind or base.kind,
            why=base.why,
        )

    def _base(self, klass: ast.ClassDef, module: str, imports: dict, depth: int) -> FieldClass:
        if not klass.bases:
            return FieldClass(True)
        base = dotted_name(klass.bases[0]) or ""
        head, _, rest = base.partition(".")
        if not rest and head in imports:
            return self._read(*imports[head], depth - 1)
        if rest and head in imports:  # ``models.CharField`` with ``from django.db import models``
            module_of, name = imports[head]
            return self._read(f"{module_of}.{name}.{rest}".rpartition(".")[0], base.rpartition(".")[2], depth - 1)
        if not rest:
            return self._read(module, head, depth - 1)
        return self._read(base.rpartition(".")[0], base.rpartition(".")[2], depth - 1)


def _own(klass: ast.ClassDef) -> FieldClass:
    """What the class body itself says about ``null`` and many-to-many."""
    forced = default = kind = None
    for stmt in klass.body:
        if isinstance(stmt, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "many_to_many" for t in stmt.targets
        ):
            if isinstance(stmt.value, ast.Constant) and stmt.value.value is True:
                kind = "many_to_many"
        if not (isinstance(stmt, ast.FunctionDef) and stmt.name == "__init__"):
            continue
        arguments = stmt.args.args + stmt.args.kwonlyargs
        defaults = [None] * (len(stmt.args.args) - len(stmt.args.defaults)) + stmt.args.defaults
        defaults += stmt.args.kw_defaults
        for argument, value in zip(arguments, defaults):
            if argument.arg == "null":
                if not (isinstance(value, ast.Constant) and isinstance(value.value, bool)):
                    return FieldClass(True, why="its __init__ takes null without a literal default")
                default = value.value
        for node in ast.walk(stmt):
            if (
                isinstance(node, ast.Subscript)
                and isinstance(node.ctx, ast.Store)
                and string_value(node.slice) == "null"
            ):
                assigned = _assigned_value(stmt, node)
                if assigned is None:
                    return FieldClass(True, why="its __init__ sets null to a computed value")
                forced = assigned
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "__init__":
                value = next((kw.value for kw in node.keywords if kw.arg == "null"), None)
                if isinstance(value, ast.Constant) and isinstance(value.value, bool):
                    forced = value.value  # super().__init__(..., null=True)
                elif value is not None and not (isinstance(value, ast.Name) and value.id == "null"):
                    return FieldClass(True, why="its __init__ passes a computed null")
            if isinstance(node, ast.Call) and dotted_name(node.func) and dotted_name(node.func).endswith(".setdefault"):
                if node.args and string_value(node.args[0]) == "null":
                    value = node.args[1] if len(node.args) > 1 else None
                    if not (isinstance(value, ast.Constant) and isinstance(value.value, bool)):
                        return FieldClass(True, why="its __init__ sets a computed null default")
                    default = value.value
    return FieldClass(True, null_forced=forced, null_default=default, kind=kind)


def _assigned_value(function: ast.FunctionDef, target: ast.Subscript) -> bool | None:
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and target in node.targets:
            value = node.value
            return value.value if isinstance(value, ast.Constant) and isinstance(value.value, bool) else None
    return None


def _imports(tree: ast.Module, module: str, is_package: bool) -> dict[str, tuple[str, str]]:
    """Local name → (module, name) for ``from X import Y`` and ``import X`` (as (parent, last))."""
    package = module if is_package else module.rpartition(".")[0]
    found = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            source = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - (node.level - 1)] if node.level > 1 else parts
                source = ".".join(parts + ([node.module] if node.module else []))
            for alias in node.names:
                found[alias.asname or alias.name] = (source, alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    found[alias.asname] = tuple(alias.name.rpartition(".")[::2])
    return found


@lru_cache(maxsize=256)
def _parsed(path: Path) -> ast.Module | None:
    try:
        return ast.parse(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return None
