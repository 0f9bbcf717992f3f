"""The project state the migrations build, replayed statically.

Only what the recipes need is kept: each model's fields (the deconstructed
field expression and the file it was written in, so it can be rewritten in a
new migration), its table, indexes, constraints and ``unique_together``, and
the pending deletions: Sentry's Safe* operations with ``MOVE_TO_PENDING`` and no
later ``DELETE``; with ``state_only_pending`` (other conventions) also the
state-only ``RemoveField`` / ``DeleteModel`` (``SeparateDatabaseAndState``)
that no later migration drops (a state-only re-add followed by a real removal).
"""

from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from .migration_files import DELETE, MOVE_TO_PENDING, MigrationFile, Operation
from .migration_graph import MigrationGraph
from .migration_operations import RELATION_CLASSES
from .pysource import is_false, is_true, keyword_map, last_name, string_value

MAX_IDENTIFIER = 63  # PostgreSQL's identifier limit, which Django truncates table names to


@dataclass(frozen=True)
class FieldState:
    """A field as the migration state has it."""

    name: str
    expr: ast.expr
    origin: MigrationFile
    resolved_target: str | None = None  # ``app.model`` after swappable settings and renames (see relations.py)
    resolved_class: str | None = None  # the class named by a setting: ``import_string(settings.X)(...)``
    class_null: bool | None = None  # ``null`` as the field class decides it (see field_classes.py)
    class_kind: str | None = None  # "foreign_key" / "many_to_many" as the field class's source says

    @property
    def call(self) -> ast.Call | None:
        return self.expr if isinstance(self.expr, ast.Call) else None

    @property
    def kwargs(self) -> dict[str, ast.expr]:
        return keyword_map(self.call) if self.call else {}

    @property
    def class_name(self) -> str:
        return self.resolved_class or (last_name(self.call.func) if self.call else None) or ""

    @property
    def is_many_to_many(self) -> bool:
        return self.class_kind == "many_to_many" or "ManyToMany" in self.class_name

    @property
    def is_relation(self) -> bool:
        """A Django relation: ForeignKey/OneToOne (``to=`` in its deconstruction) or M2M."""
        return self.target_node is not None or self.is_many_to_many

    @property
    def target_node(self) -> ast.expr | None:
        """The relation's ``to`` as written (keyword, or first argument of a relation class)."""
        node = self.kwargs.get("to")
        if node is None and self.call and self.call.args and self.class_name in RELATION_CLASSES:
            node = self.call.args[0]
        return node

    @property
    def null(self) -> bool:
        if self.class_null is not None:
            return self.class_null
        return is_true(self.kwargs.get("null"))

    @property
    def has_db_default(self) -> bool:
        return "db_default" in self.kwargs

    @property
    def db_constraint(self) -> bool:
        """Whether the database holds a foreign key constraint for this field."""
        return self.is_relation and not self.is_many_to_many and not is_false(self.kwargs.get("db_constraint"))

    @property
    def target(self) -> str | None:
        """``app.model`` (lower case) of a relation's target: resolved, else as written with an app label."""
        if self.resolved_target:
            return self.resolved_target
        text = string_value(self.target_node)
        return text.lower() if text and "." in text else None

    @property
    def column(self) -> str:
        explicit = string_value(self.kwargs.get("db_column"))
        if explicit:
            return explicit
        return f"{self.name}_id" if self.is_relation and not self.is_many_to_many else self.name


@dataclass(frozen=True)
class NamedExpr:
    """An index, constraint or model option: its name, its expression and the file it was written in."""

    name: str
    expr: ast.expr
    origin: MigrationFile


@dataclass
class ModelState:
    app_label: str
    name: str
    fields: dict[str, FieldState] = field(default_factory=dict)
    db_table: str | None = None
    indexes: list[NamedExpr] = field(default_factory=list)
    constraints: list[NamedExpr] = field(default_factory=list)
    unique_together: list[tuple[str, ...]] = field(default_factory=list)
    options: dict[str, NamedExpr] = field(default_factory=dict)
    bases: tuple[str, ...] = ()  # the models it inherits from, as ``app.model`` (lower case)
    bases_expr: NamedExpr | None = None  # CreateModel's bases= as written (to re-create the model's state)

    @property
    def key(self) -> str:
        return self.name.lower()

    @property
    def table(self) -> str:
        return self.db_table or default_table(self.app_label, self.name)

    def field(self, name: str) -> FieldState | None:
        return self.fields.get(name.lower())

    @property
    def proxy(self) -> bool:
        option = self.options.get("proxy")
        return option is not None and is_true(option.expr)


@dataclass(frozen=True)
class PendingDeletion:
    """A field or model moved to pending deletion whose DELETE has not been written."""

    app_label: str
    model: str
    field: str | None
    migration: MigrationFile
    operation: Operation
    model_state: ModelState
    field_state: FieldState | None

    @property
    def target(self) -> str:
        parts = [self.app_label, self.model_state.name] + ([self.field] if self.field else [])
        return ".".join(parts)

    @property
    def kind(self) -> str:
        return "field" if self.field else "model"


@dataclass(frozen=True)
class Unreadable:
    """Something of the migrations the static reader cannot determine: where, why, and the model (lower case,
    ``None`` for the whole app) whose state depends on it."""

    path: Path
    line: int
    why: str
    model: str | None = None


@dataclass
class AppState:
    app_label: str
    models: dict[str, ModelState] = field(default_factory=dict)
    pending: dict[tuple[str, str | None], PendingDeletion] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)
    state_only_pending: bool = False
    restored: dict[tuple[str, str | None], PendingDeletion] = field(default_factory=dict)  # given back to drop it

    def model(self, name: str) -> ModelState | None:
        return self.models.get(name.lower())


def default_table(app_label: str, model_name: str) -> str:
    """Django's default table name, truncated with a hash past PostgreSQL's limit."""
    name = f"{app_label}_{model_name}".lower()
    if len(name) <= MAX_IDENTIFIER:
        return name
    digest = hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()[:4]
    return name[: MAX_IDENTIFIER - 4] + digest


def replay(
    graph: MigrationGraph,
    app_label: str,
    models: set[str] | None = None,
    before: tuple[str, str] | None = None,
    state_only_pending: bool = False,
) -> AppState:
    """Replay an app's migrations; with ``models`` (names), only what concerns those models;
    with ``before`` (a migration key), only that migration's ancestors.

    Restricted to models, only the files that mention them (or a former name of
    theirs) are parsed, which keeps this fast on apps with a thousand migrations.
    """
    state = AppState(app_label, state_only_pending=state_only_pending)
    order = graph.app_order(app_label)
    if before is not None:
        ancestors = graph.ancestors(before)
        order = [migration for migration in order if migration.key in ancestors]
    names = None
    if models is not None:
        names = former_names(order, {name.lower() for name in models})
        order = [migration for migration in order if migration.strings & names]
    for migration in order:
        for operation in migration.operations:
            _apply(state, migration, operation, names)
    return state


def pending_candidates(graph: MigrationGraph, app_label: str, state_only_pending: bool = False) -> set[str]:
    """Models named by a Safe* operation, or by a state-only removal with ``state_only_pending``
    (found without parsing the other files)."""
    found = set()
    for migration in graph.app_order(app_label):
        if migration.has_deletions or (state_only_pending and migration.may_separate_state):
            for op in migration.walk_operations():
                if op.kind in ("SafeRemoveField", "SafeDeleteModel") or (
                    state_only_pending and op.kind == "SeparateDatabaseAndState"
                ):
                    for named in [op, *op.state_operations]:
                        if named.kind in ("SafeRemoveField", "SafeDeleteModel", "RemoveField", "DeleteModel"):
                            found.add((named.text("model_name") or named.text("name") or "").lower())
    found.discard("")
    return found


def former_names(order: list[MigrationFile], names: set[str]) -> set[str]:
    renames = [
        ((op.text("old_name") or "").lower(), (op.text("new_name") or "").lower())
        for migration in order
        if migration.has_model_renames
        for op in migration.walk_operations()
        if op.kind == "RenameModel"
    ]
    names = set(names)
    changed = True
    while changed:
        changed = False
        for old, new in renames:
            if new in names and old and old not in names:
                names.add(old)
                changed = True
    return names


def apply_operation(state: AppState, migration: MigrationFile, op: Operation) -> None:
    """Move ``state`` past one operation (nested state operations included)."""
    _apply(state, migration, op, None)


def _apply(
    state: AppState, migration: MigrationFile, op: Operation, names: set[str] | None, state_only: bool = False
) -> None:
    kind = op.kind
    if kind in ("SeparateDatabaseAndState", "RunSQL", "SafeRunSQL"):
        in_database = {removal_key(nested) for nested in op.database_operations}
        opaque = any(nested.kind not in STATE_ONLY_SAFE for nested in op.database_operations)
        for nested in op.state_operations:
            only = kind == "SeparateDatabaseAndState" and not opaque and removal_key(nested) not in in_database
            _apply(state, migration, nested, names, only)
        return
    if kind not in _HANDLERS:
        return
    model_name = op.text("model_name") or op.text("name") or op.text("old_name")
    if kind == "RenameModel":
        model_name = op.text("old_name")
    if model_name is None or (names is not None and model_name.lower() not in names):
        return
    if kind == "CreateModel":
        _create_model(state, migration, op, model_name)
        _restore(state, (model_name.lower(), None), state_only)
        return
    model = state.model(model_name)
    if model is None and not (kind in ("SafeRemoveField", "SafeDeleteModel") and op.deletion_action == DELETE):
        state.problems.append(f"{migration.path.name}:{op.line}: {kind} on unknown model '{model_name}'")
        return
    if state.state_only_pending and kind in ("RemoveField", "DeleteModel", "AddField"):
        _state_only(state, migration, op, model, state_only)
        return
    _HANDLERS[kind](state, migration, op, model)


# Database operations that cannot drop what a state-only removal beside them leaves behind (SQL could).
STATE_ONLY_SAFE = frozenset(
    {
        "AddField",
        "AlterField",
        "RemoveField",
        "DeleteModel",
        "AddIndex",
        "RemoveIndex",
        "AddConstraint",
        "RemoveConstraint",
    }
)


def removal_key(op: Operation) -> tuple[str, str | None]:
    if op.kind in ("RemoveField", "AddField"):
        return ((op.text("model_name") or "").lower(), (op.text("name") or "").lower())
    return ((op.text("name") or "").lower(), None)


def _state_only(state: AppState, migration: MigrationFile, op: Operation, model, state_only: bool) -> None:
    """Plain Django's pending deletions: a state-only removal leaves the column or table behind;
    the drop gives the state the definition back (state only) and removes it for real."""
    key = removal_key(op)
    if op.kind == "AddField":
        _add_field(state, migration, op, model)
        _restore(state, key, state_only)
        return
    removed = model.fields.get(key[1]) if op.kind == "RemoveField" else None
    _HANDLERS[op.kind](state, migration, op, model)
    if not state_only:
        state.restored.pop(key, None)  # dropped
    elif op.kind == "DeleteModel":
        state.pending[key] = PendingDeletion(state.app_label, key[0], None, migration, op, model, None)
    elif removed is not None and not removed.is_many_to_many:  # a many-to-many field has no column
        state.pending[key] = PendingDeletion(state.app_label, key[0], removed.name, migration, op, model, removed)


def _restore(state: AppState, key: tuple[str, str | None], state_only: bool) -> None:
    if state.state_only_pending and key in state.pending:
        restored = state.pending.pop(key)
        if state_only:
            state.restored[key] = restored


def _create_model(state: AppState, migration: MigrationFile, op: Operation, name: str) -> None:
    model = ModelState(state.app_label, name)
    bases = op.args.get("bases")
    labels = [string_value(item) for item in bases.elts] if isinstance(bases, (ast.List, ast.Tuple)) else []
    model.bases = tuple(
        label.lower() if "." in label else f"{state.app_label}.{label.lower()}" for label in labels if label
    )
    if bases is not None:
        model.bases_expr = NamedExpr("bases", bases, migration)
    fields = op.args.get("fields")
    for item in fields.elts if isinstance(fields, (ast.List, ast.Tuple)) else []:
        if isinstance(item, ast.Tuple) and len(item.elts) == 2 and string_value(item.elts[0]):
            field_name = string_value(item.elts[0])
            model.fields[field_name.lower()] = FieldState(field_name, item.elts[1], migration)
    options = op.args.get("options")
    if isinstance(options, ast.Dict):
        for key_node, value in zip(options.keys, options.values):
            key = string_value(key_node)
            if key:
                _set_option(model, key, value, migration)
    state.models[model.key] = model


def _set_option(model: ModelState, key: str, value: ast.expr, migration: MigrationFile) -> None:
    if key == "db_table":
        model.db_table = string_value(value)
    elif key in ("indexes", "constraints"):
        items = value.elts if isinstance(value, (ast.List, ast.Tuple)) else []
        named = [NamedExpr(_name_kwarg(item), item, migration) for item in items if isinstance(item, ast.Call)]
        setattr(model, key, named)
    elif key == "unique_together":
        model.unique_together = together(value)
    else:
        model.options[key] = NamedExpr(key, value, migration)


def together(node: ast.expr | None) -> list[tuple[str, ...]]:
    """Normalise a ``unique_together`` value (a set/list/tuple of tuples, or one tuple)."""
    if not isinstance(node, (ast.Set, ast.List, ast.Tuple)):
        return []
    elts = node.elts
    if elts and all(string_value(elt) is not None for elt in elts):
        return [tuple(string_value(elt) for elt in elts)]
    groups = []
    for elt in elts:
        if isinstance(elt, (ast.Tuple, ast.List)) and all(string_value(e) is not None for e in elt.elts):
            groups.append(tuple(string_value(e) for e in elt.elts))
    return groups


def _name_kwarg(call: ast.Call) -> str:
    return string_value(keyword_map(call).get("name")) or ""


def _add_field(state, migration, op, model):
    name = op.text("name")
    if name and "field" in op.args:
        model.fields[name.lower()] = FieldState(name, op.args["field"], migration)


def _remove_field(state, migration, op, model):
    name = op.text("name") or ""
    removed = model.fields.pop(name.lower(), None) if model else None
    if op.kind != "SafeRemoveField":
        return
    model_key = (op.text("model_name") or "").lower()
    key = (model_key, name.lower())
    if op.deletion_action == MOVE_TO_PENDING and model is not None:
        state.pending[key] = PendingDeletion(state.app_label, model_key, name, migration, op, model, removed)
    elif op.deletion_action == DELETE:
        if state.pending.pop(key, None) is None:
            state.problems.append(
                f"{migration.path.name}:{op.line}: DELETE of {model_key}.{name} without an earlier MOVE_TO_PENDING"
            )


def _delete_model(state, migration, op, model):
    name = op.text("name") or ""
    key = (name.lower(), None)
    if model is not None:
        del state.models[model.key]
    if op.kind != "SafeDeleteModel":
        return
    if op.deletion_action == MOVE_TO_PENDING and model is not None:
        state.pending[key] = PendingDeletion(state.app_label, name.lower(), None, migration, op, model, None)
    elif op.deletion_action == DELETE:
        if state.pending.pop(key, None) is None:
            state.problems.append(
                f"{migration.path.name}:{op.line}: DELETE of model {name} without an earlier MOVE_TO_PENDING"
            )


def _rename_field(state, migration, op, model):
    old, new = op.text("old_name"), op.text("new_name")
    current = model.fields.pop((old or "").lower(), None)
    if current is None or not new:
        return
    model.fields = {**model.fields, new.lower(): replace(current, name=new)}
    model.unique_together = [tuple(new if item == old else item for item in group) for group in model.unique_together]


def _rename_model(state, migration, op, model):
    new = op.text("new_name")
    if not new:
        return
    del state.models[model.key]
    model.name = new
    state.models[model.key] = model


def _alter_table(state, migration, op, model):
    model.db_table = string_value(op.args.get("table"))


def _alter_unique_together(state, migration, op, model):
    model.unique_together = together(op.args.get("unique_together"))


# The options AlterModelOptions replaces (Django's ``AlterModelOptions.ALTER_OPTION_KEYS``); others, like
# ``proxy``, stay as they are.
ALTER_OPTION_KEYS = frozenset(
    {
        "base_manager_name",
        "default_manager_name",
        "default_related_name",
        "get_latest_by",
        "managed",
        "ordering",
        "permissions",
        "default_permissions",
        "select_on_save",
        "verbose_name",
        "verbose_name_plural",
    }
)


def _alter_options(state, migration, op, model):
    options = op.args.get("options")
    if isinstance(options, ast.Dict):
        given = {
            string_value(k): NamedExpr(string_value(k), v, migration)
            for k, v in zip(options.keys, options.values)
            if string_value(k)
        }
        kept = {key: value for key, value in model.options.items() if key not in ALTER_OPTION_KEYS}
        model.options = {**kept, **given}


def _add_named(attribute: str, argument: str):
    def handler(state, migration, op, model):
        node = op.args.get(argument)
        if isinstance(node, ast.Call):
            getattr(model, attribute).append(NamedExpr(_name_kwarg(node), node, migration))

    return handler


def _remove_named(attribute: str):
    def handler(state, migration, op, model):
        name = op.text("name")
        setattr(model, attribute, [item for item in getattr(model, attribute) if item.name != name])

    return handler


def _rename_index(state, migration, op, model):
    old, new = op.text("old_name"), op.text("new_name")
    model.indexes = [NamedExpr(new, item.expr, item.origin) if item.name == old else item for item in model.indexes]


_HANDLERS = {
    "CreateModel": None,
    "AddField": _add_field,
    "AlterField": _add_field,
    "RemoveField": _remove_field,
    "SafeRemoveField": _remove_field,
    "DeleteModel": _delete_model,
    "SafeDeleteModel": _delete_model,
    "RenameField": _rename_field,
    "RenameModel": _rename_model,
    "AlterModelTable": _alter_table,
    "AlterUniqueTogether": _alter_unique_together,
    "AlterModelOptions": _alter_options,
    "AddIndex": _add_named("indexes", "index"),
    "RemoveIndex": _remove_named("indexes"),
    "RenameIndex": _rename_index,
    "AddConstraint": _add_named("constraints", "constraint"),
    "RemoveConstraint": _remove_named("constraints"),
}
