"""Python modules read statically: located with the import system's spec lookup, never executed.

A module is found segment by segment with ``PathFinder.find_spec`` over explicit
search paths (``importlib.util.find_spec("a.b")`` would import ``a``), then parsed
with ``ast``. Names are resolved through imports (relative ones included),
re-exports of package ``__init__`` modules, ``*`` imports and ``A = B`` aliases;
classes and imports under module-level ``if`` / ``try`` / ``with`` count too.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from importlib.machinery import ModuleSpec, PathFinder
from pathlib import Path

from .errors import AssistantError
from .pysource import BUILTIN_NAMES, dotted_name, parse_source, read_source


@dataclass(frozen=True)
class ClassRef:
    """A class statement found in a module."""

    module: str
    path: Path
    node: ast.ClassDef = field(compare=False, hash=False)
    line: int = 0
    condition: str = field(default="", compare=False, hash=False)  # why another definition may be the one that runs

    @property
    def name(self) -> str:
        return self.node.name

    @property
    def qualified(self) -> str:
        return f"{self.module}.{self.node.name}"


@dataclass(frozen=True)
class ModuleRef:
    name: str


@dataclass(frozen=True)
class Known:
    """A name whose meaning is fixed without reading its source (``django.db.models.Model``, a builtin)."""

    qualified: str


@dataclass(frozen=True)
class Unresolved:
    expression: str
    why: str


Resolved = ClassRef | ModuleRef | Known | Unresolved


@dataclass
class ModuleSource:
    """What a module binds at module level: classes, imports, aliases and ``*`` imports."""

    name: str
    path: Path | None  # None for a namespace package
    is_package: bool
    classes: dict[str, ast.ClassDef] = field(default_factory=dict)
    bindings: dict[str, tuple] = field(default_factory=dict)
    stars: list[str] = field(default_factory=list)
    alternatives: dict[str, int] = field(default_factory=dict)  # names bound in both branches of an if → line

    @property
    def package(self) -> str:
        return self.name if self.is_package else self.name.rpartition(".")[0]

    def read(self, tree: ast.Module) -> None:
        self._statements(tree.body)

    def _statements(self, body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.ClassDef):
                self.classes.setdefault(node.name, node)
                self.bindings[node.name] = ("class", node)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.bindings[alias.asname] = ("module", alias.name)
                    else:
                        top = alias.name.split(".")[0]
                        self.bindings[top] = ("module", top)
            elif isinstance(node, ast.ImportFrom):
                module = self._absolute(node)
                for alias in node.names:
                    if alias.name == "*":
                        self.stars.append(module)
                    else:
                        self.bindings[alias.asname or alias.name] = ("from", module, alias.name)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        kind = "alias" if dotted_name(node.value) else "computed"
                        self.bindings[target.id] = (kind, node.value)
                    elif isinstance(target, (ast.Tuple, ast.List)):
                        for name in target.elts:
                            if isinstance(name, ast.Name):
                                self.bindings[name.id] = ("computed", node.value)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.bindings[node.name] = ("function", node)
            elif isinstance(node, ast.If):  # the body wins over the else branch, as the usual case runs it
                self._statements(node.orelse)
                self._statements(node.body)
                both = _bound_in(node.body) & _bound_in(node.orelse)
                self.alternatives.update({name: node.lineno for name in both})
            elif isinstance(node, ast.Try):  # the try body wins over its fallbacks
                for handler in node.handlers:
                    self._statements(handler.body)
                self._statements(node.orelse + node.finalbody)
                self._statements(node.body)
            elif isinstance(node, ast.With):
                self._statements(node.body)

    def _absolute(self, node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        base = self.package
        if node.level > 1:
            base = base.rsplit(".", node.level - 1)[0] if base.count(".") >= node.level - 1 else ""
        return f"{base}.{node.module}" if node.module else base


# Names whose meaning is fixed: resolving them never reads Django's own sources.
MODEL_ROOT = Known("django.db.models.Model")
MANAGER = Known("django.db.models.Manager")
FIELD_ROOT = Known("django.db.models.Field")
_KNOWN = {
    ("django.db.models", "Model"): MODEL_ROOT,
    ("django.db.models.base", "Model"): MODEL_ROOT,
    ("django.db.models", "Field"): FIELD_ROOT,
    ("django.db.models.fields", "Field"): FIELD_ROOT,
    ("django.db.models", "Manager"): MANAGER,
    ("django.db.models", "QuerySet"): Known("django.db.models.QuerySet"),
    **{("django.db.models", name): Known(f"django.db.models.{name}") for name in ("Choices", "TextChoices")},
    ("django.db.models", "IntegerChoices"): Known("django.db.models.IntegerChoices"),
}
_NOT_FIELDS = ("GenericForeignKey", "GenericRelation")  # no column, not in the migration state
_FIELD_MODULES = ("django.db.models", "django.contrib.postgres.fields")


def known(module: str, name: str) -> Known | None:
    """Django's models, managers and field classes are known by name; their sources are never read."""
    if (module, name) in _KNOWN:
        return _KNOWN[(module, name)]
    if module.startswith("django.contrib.contenttypes") and name in _NOT_FIELDS:
        return Known(f"django.contrib.contenttypes.fields.{name}")
    if module.startswith(_FIELD_MODULES) and name.endswith(("Field", "ForeignKey")) and name[:1].isupper():
        return Known(f"{_FIELD_MODULES[0] if module.startswith(_FIELD_MODULES[0]) else _FIELD_MODULES[1]}.{name}")
    return None


class SourceTree:
    """Finds and reads modules on a search path; every answer is cached."""

    def __init__(
        self,
        search_path: list[Path],
        parse: Callable[[Path], ast.Module] | None = None,
        model_named: Callable[[str, str], ClassRef | None] = lambda app_label, name: None,
        shown: Callable[[Path], str] = str,
        searched: Callable[[str], None] = lambda folder: None,
    ):
        self.shown = shown  # how a path is written in a message
        self.searched = searched  # told of each folder just before a module is looked for in it
        self.parse = parse or (lambda path: parse_source(read_source(path), path))
        self.model_named = model_named  # ``get_model("app", "Model")``: the model class of an app, by name
        importlib.invalidate_caches()  # files may have been written since the finders last looked
        seen: set[str] = set()
        self.search_path = []
        for entry in search_path:
            text = str(entry)
            if text not in seen and Path(text).is_dir():
                seen.add(text)
                self.search_path.append(text)
        self._specs: dict[str, ModuleSpec | None] = {}
        self._modules: dict[str, ModuleSource | Unresolved] = {}
        self._lookups: dict[tuple[str, str], Resolved] = {}

    def spec(self, name: str) -> ModuleSpec | None:
        """The module's spec, found one package at a time without importing anything."""
        if name not in self._specs:
            parent, _, _ = name.rpartition(".")
            if parent:
                outer = self.spec(parent)
                locations = list(outer.submodule_search_locations or []) if outer else []
            else:
                locations = self.search_path
            for folder in locations:
                self.searched(folder)
            self._specs[name] = PathFinder.find_spec(name, locations) if locations else None
        return self._specs[name]

    def module(self, name: str) -> ModuleSource | Unresolved:
        if name not in self._modules:
            self._modules[name] = self._read(name)
        return self._modules[name]

    def _read(self, name: str) -> ModuleSource | Unresolved:
        spec = self.spec(name) if name else None
        if spec is None:
            return Unresolved(
                name, f"module {name or '?'} not found: set python-path in [tool.migrate-assistant] to where it is"
            )
        is_package = spec.submodule_search_locations is not None
        origin = spec.origin if spec.has_location else None
        if origin is None:
            return ModuleSource(name, None, is_package)  # a namespace package: only submodules
        path = Path(origin)
        if path.suffix != ".py":
            return Unresolved(name, f"{path} is not Python source")
        try:
            tree = self.parse(path)
        except AssistantError as error:
            return Unresolved(name, str(error))
        source = ModuleSource(name, path, is_package)
        source.read(tree)
        return source

    def lookup(self, module: str, name: str) -> Resolved:
        """What ``name`` means at the top level of ``module``."""
        key = (module, name)
        fixed = known(module, name)
        if fixed is not None:
            return fixed
        if key not in self._lookups:
            self._lookups[key] = Unresolved(f"{module}.{name}", "it imports itself in a cycle")
            found = self._lookup(module, name)
            source = self.module(module)
            line = source.alternatives.get(name) if isinstance(source, ModuleSource) else None
            if isinstance(found, ClassRef) and line is not None and not found.condition:
                where = f"{self.shown(source.path)}:{line}" if source.path else module
                found = replace(
                    found,
                    condition=f"{where}: {name} is bound differently in the branches of this if; the first is read",
                )
            self._lookups[key] = found
        return self._lookups[key]

    def _lookup(self, module: str, name: str) -> Resolved:
        source = self.module(module)
        if isinstance(source, Unresolved):
            return source
        binding = source.bindings.get(name)
        if binding is None:
            for star in source.stars:
                found = self.lookup(star, name)
                if not isinstance(found, Unresolved):
                    return found
            if source.is_package and self.spec(f"{module}.{name}") is not None:
                return ModuleRef(f"{module}.{name}")
            if name in BUILTIN_NAMES:
                return Known(f"builtins.{name}")
            return Unresolved(
                f"{module}.{name}", f"{name} is not defined in {self.shown(source.path) if source.path else module}"
            )
        kind = binding[0]
        if kind == "class":
            return ClassRef(module, source.path, binding[1], binding[1].lineno)
        if kind == "module":
            found = self.module(binding[1])
            return found if isinstance(found, Unresolved) else ModuleRef(binding[1])
        if kind == "from":
            found = self.lookup(binding[1], binding[2])
            if isinstance(found, Unresolved) and self.spec(f"{binding[1]}.{binding[2]}") is not None:
                return ModuleRef(f"{binding[1]}.{binding[2]}")
            return found
        if kind == "function":
            where = f"{self.shown(source.path)}:{binding[1].lineno}"
            return Unresolved(
                f"{module}.{name}", f"{name} is a function ({where}): what it returns is known at run time"
            )
        if kind == "computed" and _builds_a_manager(binding[1]):
            return MANAGER
        model = _get_model(binding[1]) if kind == "computed" else None
        found = self.model_named(*model) if model else None
        if found is not None:
            return found
        if kind == "computed":
            text = ast.unparse(binding[1])
            text = text if len(text) <= 60 else text[:57] + "..."
            return Unresolved(
                f"{module}.{name}",
                f"{name} is computed at run time ({self.shown(source.path)}:{binding[1].lineno}: {text})",
            )
        return self.resolve(module, binding[1])

    def resolve(self, module: str, expression: ast.expr) -> Resolved:
        """What a name, a dotted name or a subscripted one (``Generic[T]``) means in ``module``."""
        if isinstance(expression, ast.Subscript):
            return self.resolve(module, expression.value)
        if _builds_a_manager(expression):
            return MANAGER
        if isinstance(expression, ast.Name):
            return self.lookup(module, expression.id)
        if isinstance(expression, ast.Attribute):
            outer = self.resolve(module, expression.value)
            if isinstance(outer, ModuleRef):
                return self.lookup(outer.name, expression.attr)
            if isinstance(outer, Unresolved):
                return outer
            return Unresolved(ast.unparse(expression), "an attribute of a class, not a module")
        return Unresolved(ast.unparse(expression), "computed at run time")


def _builds_a_manager(value: ast.expr) -> bool:
    """``BaseManager.from_queryset(QuerySet)`` or ``QuerySet.as_manager()``: a manager class made at run time."""
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr in ("from_queryset", "as_manager")
    )


def _get_model(value: ast.expr) -> tuple[str, str] | None:
    """``get_model("app", "Model")`` / ``apps.get_model("app.Model")`` with literal strings: (app label, name)."""
    if not (isinstance(value, ast.Call) and dotted_name(value.func) and value.func is not None):
        return None
    if (dotted_name(value.func) or "").rsplit(".", 1)[-1] != "get_model" or value.keywords:
        return None
    texts = [arg.value for arg in value.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
    if len(texts) != len(value.args):
        return None
    if len(texts) == 1 and texts[0].count(".") == 1:
        return tuple(texts[0].split("."))
    return (texts[0], texts[1]) if len(texts) == 2 else None


def _bound_in(body: list[ast.stmt]) -> set[str]:
    """Names a block binds with a class statement or an assignment (nested ``if`` branches included)."""
    found = set()
    for node in body:
        if isinstance(node, ast.ClassDef):
            found.add(node.name)
        elif isinstance(node, ast.Assign):
            found |= {target.id for target in node.targets if isinstance(target, ast.Name)}
        elif isinstance(node, ast.If):
            found |= _bound_in(node.body) | _bound_in(node.orelse)
    return found
