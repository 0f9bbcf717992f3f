"""Removals without special operations: a state-only removal now, a reversible drop later.

Phase 1 removes the field or model from Django's state only
(``SeparateDatabaseAndState(state_operations=[RemoveField/DeleteModel])``): the
column or table stays. The drop gives the state its definition back, state
only, then runs a real ``RemoveField`` / ``DeleteModel``: Django drops the
column or table, and ``migrate`` backwards re-creates it (nullable, without
foreign key constraints, as phase 1 left it).

``deletion_steps`` reads both back from the graph for the lifecycle, hand-written ones too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field as default

from ..migration_files import MigrationFile, Operation
from ..migration_state import STATE_ONLY_SAFE, FieldState, ModelState, NamedExpr, removal_key
from ..migration_writer import DJANGO_MIGRATIONS, Op
from ..operations import call, copied, django_op, value


@dataclass
class Leftover:
    """A column (``field`` set) or table that Django no longer knows and that is to be dropped."""

    model: ModelState
    field: str | None = None
    definition: tuple[ast.expr, frozenset] | None = None  # the field's phase-1 definition and its imports
    altered: dict[str, tuple[ast.expr, frozenset]] = default(default_factory=dict)  # model fields changed in phase 1

    @property
    def model_name(self) -> str:
        return self.model.name.lower()


def field_leftover(model: ModelState, name: str, state: FieldState) -> Leftover:
    return Leftover(model, name, _copied(state.expr, state.origin, f"the definition of '{name}'"))


def state_only_removal(model_name: str, name: str | None) -> Op:
    """``SeparateDatabaseAndState(state_operations=[RemoveField / DeleteModel])``: the column or table stays."""
    if name is None:
        removal = call("migrations.DeleteModel", name=model_name)
    else:
        removal = call("migrations.RemoveField", model_name=model_name, name=name)
    return django_op("SeparateDatabaseAndState", state_operations=[removal])


def deletion_steps(migration: MigrationFile, watched: set[str]) -> Iterator[tuple[str, tuple, Operation]]:
    """``(step, (model, field or None), operation)`` in order: ``move`` (a state-only removal), ``restore`` (the
    state given it back, state only), ``drop`` (a real removal: the tool's drop, a hand-written ``RemoveField`` /
    ``DeleteModel``, ``RunSQL`` with a removal in its state operations), ``undo`` (added back for real).

    A migration that names none of ``watched`` (lower-case models moved earlier) and separates no state is
    not parsed."""
    if migration.may_separate_state or watched & migration.strings:
        for op in migration.operations:
            yield from _steps(op, False)


def _steps(op: Operation, state_only: bool) -> Iterator[tuple[str, tuple, Operation]]:
    if op.kind in ("SeparateDatabaseAndState", "RunSQL", "SafeRunSQL"):
        in_database = {removal_key(nested) for nested in op.database_operations}
        opaque = any(nested.kind not in STATE_ONLY_SAFE for nested in op.database_operations)
        for nested in op.state_operations:
            only = op.kind == "SeparateDatabaseAndState" and not opaque and removal_key(nested) not in in_database
            yield from _steps(nested, only)
    elif op.kind in ("RemoveField", "DeleteModel"):
        yield ("move" if state_only else "drop", removal_key(op), op)
    elif op.kind in ("AddField", "CreateModel"):
        yield ("restore" if state_only else "undo", removal_key(op), op)


def altered_definitions(alters: list[Op]) -> dict[str, tuple[ast.expr, frozenset]]:
    """Field name -> new definition, from ``AlterField`` operations."""
    found = {}
    for op in alters:
        keywords = {kw.arg: kw.value for kw in op.node.keywords}
        name = keywords.get("name")
        if isinstance(name, ast.Constant) and "field" in keywords:
            found[name.value.lower()] = (keywords["field"], op.imports)
    return found


def drop_operations(leftovers: list[Leftover]) -> list[Op]:
    """Give the state back what is dropped (tables pointed at first), then drop columns, then tables.

    ``leftovers`` lists tables in the order they can be dropped (those pointing at others first).
    """
    if not leftovers:
        return []
    tables = [item for item in leftovers if item.field is None]
    columns = [item for item in leftovers if item.field is not None]
    restored, imports = [], set()
    for item in reversed(tables):
        node, needs = _create_model(item)
        restored.append(node)
        imports |= needs
    for item in columns:
        node, needs = item.definition
        restored.append(call("migrations.AddField", model_name=item.model_name, name=item.field, field=node))
        imports |= needs
    operations = [django_op("SeparateDatabaseAndState", frozenset(imports), state_operations=restored)]
    operations += [django_op("RemoveField", model_name=item.model_name, name=item.field) for item in columns]
    operations += [django_op("DeleteModel", name=item.model.name) for item in tables]
    return operations


def _create_model(item: Leftover) -> tuple[ast.Call, frozenset]:
    model = item.model
    imports = {DJANGO_MIGRATIONS}
    fields = []
    for key, state in model.fields.items():
        node, needs = item.altered.get(key) or _copied(state.expr, state.origin, f"the definition of '{state.name}'")
        fields.append(ast.Tuple([ast.Constant(state.name), node], ast.Load()))
        imports |= needs
    options: dict[str, ast.expr] = {}
    for key, named in model.options.items():
        options[key] = _named(named, imports)
    if model.db_table:
        options["db_table"] = ast.Constant(model.db_table)
    for key in ("indexes", "constraints"):
        items = getattr(model, key)
        if items:
            options[key] = ast.List([_named(item, imports) for item in items], ast.Load())
    if model.unique_together:
        options["unique_together"] = value(set(model.unique_together))
    keywords = {"name": model.name, "fields": ast.List(fields, ast.Load())}
    if options:
        keywords["options"] = ast.Dict([ast.Constant(k) for k in options], list(options.values()))
    if model.bases_expr is not None:
        keywords["bases"] = _named(model.bases_expr, imports)
    return call("migrations.CreateModel", **keywords), frozenset(imports)


def _named(named: NamedExpr, imports: set) -> ast.expr:
    node, needs = _copied(named.expr, named.origin, f"'{named.name}'")
    imports |= needs
    return node


def _copied(node: ast.expr, origin, what: str) -> tuple[ast.expr, frozenset]:
    return copied(node, origin.imports, origin.path, what)
