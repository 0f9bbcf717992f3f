"""Where the replayed relations point, as Django's project state has it.

A relation's ``to`` is resolved to ``app.model``: ``"self"`` and bare model
names within the app, ``settings.X`` (a swappable model) from the settings
read statically, and ``RenameModel`` in any app: Django repoints every relation
to a model when it replays its rename, so a relation written in a migration that
Django applies before the rename (in its plan of the whole graph) follows it;
its expression is rewritten to the new name, so that what a recipe writes from
it names a model that exists.
"""

from __future__ import annotations

import ast
import copy
from dataclasses import dataclass, replace
from functools import cached_property

from .field_classes import FieldClasses
from .migration_files import MigrationFile
from .migration_graph import MigrationGraph
from .migration_operations import setting_reference
from .migration_state import AppState, FieldState, ModelState, Unreadable
from .pysource import dotted_name, string_value
from .settings_reader import SettingsReader


@dataclass(frozen=True)
class Rename:
    old: str  # lower case
    new: str  # as written
    migration: MigrationFile
    position: tuple[int, int]  # (file, operation) in the app's migration order, for chains of renames


class Relations:
    def __init__(self, graph: MigrationGraph, settings: SettingsReader, classes: FieldClasses):
        self.graph = graph
        self.settings = settings
        self.classes = classes

    @cached_property
    def renames(self) -> dict[tuple[str, str], list[Rename]]:
        """``(app, old name)`` → the RenameModel operations of that model, in order."""
        apps = sorted({migration.app_label for migration in self.graph.nodes.values() if migration.has_model_renames})
        found: dict[tuple[str, str], list[Rename]] = {}
        for app in apps:
            for position, migration in enumerate(self.graph.app_order(app)):
                if not migration.has_model_renames:
                    continue
                for number, op in enumerate(migration.walk_operations()):
                    old, new = op.text("old_name"), op.text("new_name")
                    if op.kind == "RenameModel" and old and new:
                        rename = Rename(old.lower(), new, migration, (position, number))
                        found.setdefault((app, old.lower()), []).append(rename)
        return found

    def former_labels(self, label: str) -> set[str]:
        """``label`` and every ``app.model`` that was renamed into it (lower case)."""
        found = {label.lower()}
        changed = True
        while changed:
            changed = False
            for (app, old), renames in self.renames.items():
                if any(f"{app}.{rename.new.lower()}" in found for rename in renames) and f"{app}.{old}" not in found:
                    found.add(f"{app}.{old}")
                    changed = True
        return found

    def resolve(self, state: AppState) -> None:
        """Resolve the relations of every model of ``state`` (pending deletions included)."""
        models = list(state.models.values())
        models += [p.model_state for p in state.pending.values() if p.model_state.key not in state.models]
        for model in models:
            for key, field in list(model.fields.items()):
                if field.call and isinstance(field.call.func, ast.Call):
                    field = self._class(state, model, field)
                elif field.call:
                    field = self._field_class(state, model, field)
                if field.is_relation:
                    field = self._field(state, model, field)
                model.fields[key] = field

    def _field_class(self, state: AppState, model: ModelState, field: FieldState) -> FieldState:
        """What a field class outside Django decides itself: ``null``, many-to-many."""
        where = _class_module(field.origin, field.call.func)
        if where is None or not where[1][:1].isupper():
            return field  # not a class: recorded unreadable when the file was read
        found = self.classes.lookup(*where)
        if found.found and not found.why:
            null = found.null_forced
            if null is None and found.null_default is not None and "null" not in field.kwargs:
                null = found.null_default
            return replace(field, class_null=null, class_kind=found.kind)
        why = f"field {field.name}: {found.why}: its null default and relation kind are unknown"
        state.unreadable.append(Unreadable(field.origin.path, field.call.lineno, why, model.key))
        return field

    def _class(self, state: AppState, model: ModelState, field: FieldState) -> FieldState:
        """``import_string(settings.X)(...)``: the class the setting names."""
        reference = setting_reference(field.call.func.args[0]) if field.call.func.args else None
        if reference is None:
            return field
        setting = self.settings.get(*reference)
        if setting.value is None:
            why = f"field {field.name}: settings.{reference[0]}: {setting.why}"
            state.unreadable.append(Unreadable(field.origin.path, field.call.lineno, why, model.key))
            return field
        return replace(field, resolved_class=setting.value.rpartition(".")[2])

    def _field(self, state: AppState, model: ModelState, field: FieldState) -> FieldState:
        node = field.target_node
        text = string_value(node)
        if text is None:
            reference = setting_reference(node)
            if reference is None:
                return field  # recorded unreadable when the file was read
            setting = self.settings.get(*reference)
            if setting.value is None:
                line = field.call.lineno if field.call else 1
                why = f"field {field.name}: settings.{reference[0]}: {setting.why}"
                state.unreadable.append(Unreadable(field.origin.path, line, why, model.key))
                return field
            label = setting.value
        else:
            label = _label(text, state.app_label, model.name)
        label, renamed = self._follow(label, field.origin)
        expr = field.expr
        if renamed and text is not None:
            expr = _with_target(expr, "to", label)
        to_field = string_value(field.kwargs.get("to_field"))
        if to_field:
            renamed_to = self._follow_field(label, to_field, field.origin)
            if renamed_to != to_field:
                expr = _with_target(expr, "to_field", renamed_to)
        through = string_value(field.kwargs.get("through"))
        if through:
            through_label, through_renamed = self._follow(_label(through, state.app_label, model.name), field.origin)
            if through_renamed:
                expr = _with_target(expr, "through", through_label)
        return replace(field, expr=expr, resolved_target=label.lower())

    def _follow(self, label: str, origin: MigrationFile) -> tuple[str, bool]:
        """``label`` after the renames that Django applies after ``origin``."""
        app, _, name = label.partition(".")
        position, renamed = (-1, -1), False
        while True:
            later = [
                rename
                for rename in self.renames.get((app, name.lower()), [])
                if rename.position > position and not self._before(rename.migration, origin)
            ]
            if not later:
                return f"{app}.{name}", renamed
            name, position, renamed = later[0].new, later[0].position, True

    def _follow_field(self, label: str, name: str, origin: MigrationFile) -> str:
        """A ``to_field`` after the RenameField operations of its model replayed after ``origin`` was written."""
        app, _, model = label.lower().partition(".")
        models = {former.partition(".")[2] for former in self.former_labels(label)}
        for migration in self.graph.app_order(app) if self.graph.app_names(app) else []:
            if name.lower() not in migration.strings or not models & migration.strings:
                continue
            if self._before(migration, origin):
                continue
            for op in migration.walk_operations():
                old, new = op.text("old_name") or "", op.text("new_name")
                if op.kind == "RenameField" and op.model in models and old.lower() == name.lower() and new:
                    name = new
        return name

    def _before(self, rename: MigrationFile, origin: MigrationFile) -> bool:
        """Whether Django applies ``rename`` before ``origin`` (so the field written there is not repointed)."""
        plan = self.graph.plan_positions()
        return plan.get(rename.key, -1) < plan.get(origin.key, -1)


def _class_module(migration: MigrationFile, func: ast.expr) -> tuple[str, str] | None:
    """``(module, class)`` of a field class as the migration imports it."""
    name = dotted_name(func)
    if not name:
        return None
    head, _, rest = name.partition(".")
    for imported in migration.imports:
        if imported.bound != head:
            continue
        if imported.name is None:
            full = name if imported.asname is None else f"{imported.module}.{rest}"
        else:
            full = f"{imported.module}.{imported.name}" + (f".{rest}" if rest else "")
        module, _, klass = full.rpartition(".")
        return (module, klass) if module else None
    return None


def _label(text: str, app_label: str, model_name: str) -> str:
    if text == "self":
        return f"{app_label}.{model_name}"
    return text if "." in text else f"{app_label}.{text}"


def _with_target(expr: ast.expr, keyword: str, label: str) -> ast.expr:
    """A copy of a field call with its ``to`` (or ``through``) replaced by ``label``."""
    expr = copy.deepcopy(expr)
    for item in expr.keywords:
        if item.arg == keyword:
            item.value = ast.Constant(label)
            return expr
    if keyword == "to" and expr.args:
        expr.args[0] = ast.Constant(label)
    return expr
