"""Add a column the safe way: nullable, or NOT NULL with ``db_default``.

Django's ``default=`` is applied by Django, not the database: between the
migration and the code deploy, old code inserting rows would fail. So a NOT
NULL field must get ``db_default``; otherwise it is added nullable. The name
and the expression are checked first (``validators``, ``field_expression``).
"""

from __future__ import annotations

import ast

from migrate_assistant.errors import AssistantError
from migrate_assistant.field_expression import check_field_expression, check_reverse_name_clash, parse_field_call
from migrate_assistant.new_migration import add_migration
from migrate_assistant.operations import copied, django_op
from migrate_assistant.plan import Plan
from migrate_assistant.project import Project
from migrate_assistant.pysource import is_true, keyword_map, last_name, module_imports, parse_source, read_source
from migrate_assistant.targets import ModelRef, not_migrated, resolve_model, split_target
from migrate_assistant.validators import bound_names, check_field_name, migration_slug, model_names_taken

from .planning import Planner

STEPS = [
    "Add the column nullable, or NOT NULL with db_default, so old code can still insert rows",
    "Deploy: one deploy; then ship the code that uses the column",
]
MAX_IDENTIFIER_BYTES = 63


def plan_add_field(project: Project, target: str, expression: str, nullable: bool = False) -> Plan:
    """Refusals name ``target`` (the model), ``name`` (the new field's, the target's last part) or
    ``expression``."""
    app_label, model_name, name = split_target(target, 3)
    ref = resolve_model(project, app_label, model_name)
    _check_name(ref, name)
    check_reverse_name_clash(project, ref, name)
    checked = check_field_expression(project, ref, name, expression, nullable)
    call = checked.call
    kwargs = keyword_map(call)
    if _needs_null_or_db_default(call, checked.many_to_many):
        hint = (
            "default= is applied by Django, not the database, so old code would fail to insert rows; "
            if "default" in kwargs
            else ""
        )
        raise AssistantError(
            f"{target} would be a NOT NULL column without db_default: {hint}use db_default=<value>, "
            "or add it nullable (null=True, or --nullable)",
            argument="expression",
        )
    column = _column(name, call, checked.relation and not checked.many_to_many)
    if len(column.encode()) > MAX_IDENTIFIER_BYTES:
        written = "expression" if "db_column" in kwargs else "name"  # db_column= names it, else the name does
        raise AssistantError(f"the column name {column} is longer than PostgreSQL's 63 bytes", argument=written)
    path = project.relative(ref.source.path)
    module_imports_ = module_imports(parse_source(read_source(ref.source.path), ref.source.path))
    node, imports = copied(checked.migration, module_imports_, path, f"the expression for {target}", "expression")
    planner = Planner(project)
    planner.warnings.extend(checked.warnings)
    model_lower = ref.state.name.lower()
    target_table = _target_table(project, call) if checked.relation else None
    if target_table in project.config.large_tables and "db_constraint" not in kwargs:
        planner.warnings.append(
            f"{target_table} is a large, busy table: creating the foreign key constraint can wait on its locks; "
            "consider db_constraint=False"
        )

    from migrate_assistant.codemods.additions import add_field  # libcst: imported when first needed

    planner.changes.write(
        path, add_field(planner.changes.read(path), path, ref.name, name, checked.text, set(ref.source.fields))
    )
    operation = django_op("AddField", imports, model_name=model_lower, name=name, field=node)
    suffix = migration_slug(f"{model_lower}_{name}")
    migration = add_migration(project, planner.changes, app_label, suffix, [operation])
    return planner.plan(
        f"Add field {target}",
        STEPS,
        0,
        [f"Ship {app_label}/{migration}; the code that uses {name} can follow in the same or a later deploy."],
        "",
    )


def needs_null_or_db_default(expression: str) -> bool:
    """Whether the field would be a NOT NULL column without ``db_default`` (refused)."""
    call = parse_field_call(expression)
    return _needs_null_or_db_default(call, "ManyToMany" in (last_name(call.func) or ""))


def _needs_null_or_db_default(call: ast.Call, many_to_many: bool) -> bool:
    kwargs = keyword_map(call)
    return not is_true(kwargs.get("null")) and "db_default" not in kwargs and not many_to_many


def _column(name: str, call: ast.Call, foreign_key: bool) -> str:
    explicit = keyword_map(call).get("db_column")
    if isinstance(explicit, ast.Constant) and isinstance(explicit.value, str):
        return explicit.value
    return f"{name}_id" if foreign_key else name


def _target_table(project: Project, call: ast.Call) -> str | None:
    """The table a foreign key points at, when written as ``"app.Model"``."""
    node = keyword_map(call).get("to") or (call.args[0] if call.args else None)
    text = node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""
    if text.count(".") != 1:
        return None
    app, model = text.split(".")
    state = project.index.model_state(app, model) if app in project.apps else None
    return state.table if state else None


def _check_name(ref: ModelRef, name: str) -> None:
    if ref.state is None:
        raise not_migrated(ref)
    check_new_field_name(ref, name)


def check_new_field_name(ref: ModelRef, name: str) -> str:
    """A name for a new field of ``ref``: valid, and not one the model or its module already uses
    (the assistant's form checks its Name input with it as you type)."""
    return check_field_name(name, model_names_taken(ref), bound_names(read_source(ref.source.path)), ref.label)
