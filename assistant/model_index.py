"""Models as written in the source: classes, fields, Meta and silo decorators."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

from .pysource import dotted_name, flat_statements, is_true, keyword_map, last_name, string_value

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
    """A model class found in a models module (or, for an abstract base, in any module)."""

    name: str
    module: str
    path: Path
    node: ast.ClassDef
    app_label: str | None
    bases: list[str]
    decorators: list[str]
    fields: dict[str, FieldSource]
    meta: dict[str, ast.expr]
    inherited: dict[str, str] = field(default_factory=dict)  # field name → the abstract ancestor's class name
    ancestor_fields: dict[str, FieldSource] = field(default_factory=dict)  # the inherited fields themselves
    ancestor_paths: dict[str, Path] = field(default_factory=dict)  # the file each inherited field is defined in
    unresolved: list[str] = field(default_factory=list)  # "file:line: why" for bases that could not be read
    attributes: frozenset[str] = frozenset()  # every name the class body binds (they shadow inherited fields)
    other_calls: dict[str, FieldSource] = field(default_factory=dict)  # ``x = Something(...)``: a field or not

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

    @property
    def complete(self) -> bool:
        """Whether every base was read, so that every field is known."""
        return not self.unresolved

    def field(self, name: str) -> FieldSource | None:
        return self.fields.get(name)

    def all_fields(self) -> dict[str, FieldSource]:
        """Its own fields and those inherited from abstract ancestors."""
        return {**self.ancestor_fields, **self.fields}


def is_models_module(path: Path) -> bool:
    """``models.py`` or any module inside a ``models`` package."""
    parts = path.parts  # the folder's are parts[:-1]: read without making the parent Path
    return parts[-1] == "models.py" or "models" in parts[-4:-1] and parts[-2] != "migrations"


def model_classes(tree: ast.Module, module: str, path: Path) -> list[ModelSource]:
    """Module-level classes (also under ``if`` / ``try`` / ``with``) with what a model needs;
    the caller decides which are models."""
    return [class_source(node, module, path) for node in module_level_classes(tree.body)]


def model_spans(source: str, path: Path) -> list[tuple[int, int, str]]:
    """(first line, last line, name) of the model-like classes (with fields or a Meta) of a module's source."""
    try:
        tree = ast.parse(source.removeprefix("\ufeff"))
    except SyntaxError:
        return []
    return tree_model_spans(tree, path)


def tree_model_spans(tree: ast.Module, path: Path) -> list[tuple[int, int, str]]:
    """``model_spans`` of a module already parsed."""
    return [
        (found.line, found.node.end_lineno, found.name)
        for found in model_classes(tree, "", path)
        if found.fields or found.meta
    ]


def module_level_classes(body: list[ast.stmt]) -> list[ast.ClassDef]:
    """Classes defined at module level, including under ``if`` / ``else`` / ``try`` / ``except`` / ``with``."""
    return [node for node in flat_statements(body) if isinstance(node, ast.ClassDef)]


def class_source(node: ast.ClassDef, module: str, path: Path) -> ModelSource:
    meta: dict[str, ast.expr] = {}
    fields: dict[str, FieldSource] = {}
    other_calls: dict[str, FieldSource] = {}
    attributes = set()
    for stmt in flat_statements(node.body):  # fields defined only with some settings count too
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Meta":
            meta = _assignments(stmt)
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            attributes.add(stmt.name)
        name, value = _assigned(stmt)
        if name:
            attributes.add(name)
        if name and isinstance(value, ast.Call):
            if _looks_like_field(value):
                fields[name] = FieldSource(name, value, stmt)
            elif (last_name(value.func) or "")[:1].isupper() and not (last_name(value.func) or "").startswith(
                _NOT_COLUMNS
            ):
                other_calls[name] = FieldSource(name, value, stmt)
    return ModelSource(
        name=node.name,
        module=module,
        path=path,
        node=node,
        app_label=string_value(meta.get("app_label")),
        bases=[dotted_name(base) or "" for base in node.bases],
        decorators=[dotted_name(d.func if isinstance(d, ast.Call) else d) or "" for d in node.decorator_list],
        fields=fields,
        meta=meta,
        attributes=frozenset(attributes),
        other_calls=other_calls,
    )


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
