"""Models as written in the source: classes, fields, Meta and silo decorators."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

from .pysource import dotted_name, is_true, keyword_map, last_name, string_value

_NOT_COLUMNS = ("GenericForeignKey", "GenericRelation")


@dataclass(frozen=True)
class FieldSource:
    """``name = SomeField(...)`` in a model class body."""

    name: str
    call: ast.Call
    statement: ast.stmt

    @property
    def line(self) -> int:
        return self.statement.lineno

    @property
    def class_name(self) -> str:
        return last_name(self.call.func) or ""

    @property
    def kwargs(self) -> dict[str, ast.expr]:
        return keyword_map(self.call)

    @property
    def is_many_to_many(self) -> bool:
        return "ManyToMany" in self.class_name


@dataclass
class ModelSource:
    """A model class found in a models module."""

    name: str
    module: str
    path: Path
    node: ast.ClassDef
    app_label: str | None
    bases: list[str]
    decorators: list[str]
    fields: dict[str, FieldSource]
    meta: dict[str, ast.expr]
    inherited: dict[str, str] = field(default_factory=dict)

    @property
    def line(self) -> int:
        return self.node.lineno

    @property
    def abstract(self) -> bool:
        return is_true(self.meta.get("abstract"))

    @property
    def proxy(self) -> bool:
        return is_true(self.meta.get("proxy"))

    @property
    def concrete(self) -> bool:
        return not (self.abstract or self.proxy)

    @property
    def db_table(self) -> str | None:
        return string_value(self.meta.get("db_table"))

    def field(self, name: str) -> FieldSource | None:
        return self.fields.get(name)


def is_models_module(path: Path) -> bool:
    """``models.py`` or any module inside a ``models`` package."""
    return path.name == "models.py" or "models" in path.parent.parts[-3:] and path.parent.name != "migrations"


def model_classes(tree: ast.Module, module: str, path: Path) -> list[ModelSource]:
    """Top-level classes of a module with what a model needs; the caller decides which are models."""
    found = []
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        meta: dict[str, ast.expr] = {}
        fields: dict[str, FieldSource] = {}
        for stmt in node.body:
            if isinstance(stmt, ast.ClassDef) and stmt.name == "Meta":
                meta = _assignments(stmt)
            name, value = _assigned(stmt)
            if name and isinstance(value, ast.Call) and _looks_like_field(value):
                fields[name] = FieldSource(name, value, stmt)
        found.append(
            ModelSource(
                name=node.name,
                module=module,
                path=path,
                node=node,
                app_label=string_value(meta.get("app_label")),
                bases=[dotted_name(base) or "" for base in node.bases],
                decorators=[dotted_name(d.func if isinstance(d, ast.Call) else d) or "" for d in node.decorator_list],
                fields=fields,
                meta=meta,
            )
        )
    return found


def _assigned(stmt: ast.stmt) -> tuple[str | None, ast.expr | None]:
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
        return stmt.targets[0].id, stmt.value
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
        return stmt.target.id, stmt.value
    return None, None


def _assignments(class_node: ast.ClassDef) -> dict[str, ast.expr]:
    values = {}
    for stmt in class_node.body:
        name, value = _assigned(stmt)
        if name and value is not None:
            values[name] = value
    return values


def _looks_like_field(call: ast.Call) -> bool:
    name = last_name(call.func) or ""
    if name.startswith(_NOT_COLUMNS) or name.startswith("_"):
        return False
    return name.endswith(("Field", "ForeignKey")) or name in ("ForeignKey", "OneToOneField", "ManyToManyField")


def is_model(candidate: ModelSource, classes_named) -> bool:
    """Whether a class inherits from a model; ``classes_named(name)`` finds classes by name."""
    return _model_ancestry(candidate, classes_named) is not None


def inherited_fields(model: ModelSource, classes_named) -> dict[str, str]:
    """Fields a model gets from its abstract ancestors: name → ancestor class name."""
    inherited: dict[str, str] = {}
    for ancestor in _model_ancestry(model, classes_named) or []:
        if ancestor.abstract:
            for name in ancestor.fields:
                if name not in model.fields:
                    inherited.setdefault(name, ancestor.name)
    return inherited


def _model_ancestry(candidate: ModelSource, classes_named, seen=frozenset()) -> list[ModelSource] | None:
    """The model ancestors of a class, or ``None`` when it is not a model at all."""
    seen = seen | {id(candidate)}
    for base in candidate.bases:
        if base.endswith("models.Model"):
            return []
        short = base.rsplit(".", 1)[-1]
        for parent in classes_named(short):
            if id(parent) in seen:
                continue
            ancestry = _model_ancestry(parent, classes_named, seen)
            if ancestry is not None:
                return [parent, *ancestry]
        if short.endswith("Model"):
            return []
    return None
