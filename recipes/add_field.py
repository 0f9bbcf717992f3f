"""Add a column the safe way: nullable, or NOT NULL with ``db_default``.

Django's ``default=`` is applied by Django, not the database: between the
migration and the code deploy, old code inserting rows would fail. So a NOT
NULL field must get ``db_default``; otherwise it is added nullable.
"""

from __future__ import annotations

import ast

from migrate_assistant.errors import AssistantError
from migrate_assistant.new_migration import add_migration
from migrate_assistant.operations import copied, django_op
from migrate_assistant.plan import Plan
from migrate_assistant.project import Project
from migrate_assistant.pysource import is_true, keyword_map, last_name, module_imports, parse_source, read_source
from migrate_assistant.render import flat
from migrate_assistant.targets import ModelRef, check_identifier, resolve_model, split_target

from .planning import Planner

STEPS = [
    "Add the column nullable, or NOT NULL with db_default, so old code can still insert rows",
    "Deploy: one deploy; then ship the code that uses the column",
]
MAX_IDENTIFIER_BYTES = 63


def plan_add_field(project: Project, target: str, expression: str, nullable: bool = False) -> Plan:
    app_label, model_name, name = split_target(target, 3)
    ref = resolve_model(project, app_label, model_name)
    _check_name(ref, name)
    call = _field_call(expression)
    kwargs = keyword_map(call)
    if nullable and not is_true(kwargs.get("null")):
        call.keywords.append(ast.keyword("null", ast.Constant(True)))
        expression = flat(call)
        kwargs = keyword_map(call)
    if needs_null_or_db_default(expression):
        hint = (
            "default= is applied by Django, not the database, so old code would fail to insert rows; "
            if "default" in kwargs
            else ""
        )
        raise AssistantError(
            f"{target} would be a NOT NULL column without db_default: {hint}use db_default=<value>, "
            "or add it nullable (null=True, or --nullable)"
        )
    column = _column(name, call)
    if len(column.encode()) > MAX_IDENTIFIER_BYTES:
        raise AssistantError(f"the column name {column} is longer than PostgreSQL's 63 bytes")
    path = project.relative(ref.source.path)
    module_imports_ = module_imports(parse_source(read_source(ref.source.path), ref.source.path))
    node, imports = copied(call, module_imports_, path, f"the expression for {target}")
    planner = Planner(project)
    model_lower = ref.state.name.lower()
    target_table = _target_table(project, call)
    if target_table in project.config.large_tables and "db_constraint" not in kwargs:
        planner.warnings.append(
            f"{target_table} is a large, busy table: creating the foreign key constraint can wait on its locks; "
            "consider db_constraint=False"
        )

    from migrate_assistant.codemods.additions import add_field  # libcst: imported when first needed

    planner.changes.write(
        path, add_field(planner.changes.read(path), path, ref.name, name, expression, set(ref.source.fields))
    )
    operation = django_op("AddField", imports, model_name=model_lower, name=name, field=node)
    migration = add_migration(project, planner.changes, app_label, f"{model_lower}_{name.lower()}", [operation])
    return planner.plan(
        f"Add field {target}",
        STEPS,
        0,
        [f"Ship {app_label}/{migration}; the code that uses {name} can follow in the same or a later deploy."],
        "",
    )


def needs_null_or_db_default(expression: str) -> bool:
    """Whether the field would be a NOT NULL column without ``db_default`` (refused)."""
    call = _field_call(expression)
    kwargs = keyword_map(call)
    return (
        not is_true(kwargs.get("null"))
        and "db_default" not in kwargs
        and "ManyToMany" not in (last_name(call.func) or "")
    )


def _is_relation(call: ast.Call) -> bool:
    callee = last_name(call.func) or ""
    return callee.endswith(("ForeignKey", "OneToOneField")) and not callee.startswith("HybridCloud")


def _column(name: str, call: ast.Call) -> str:
    explicit = keyword_map(call).get("db_column")
    if isinstance(explicit, ast.Constant) and isinstance(explicit.value, str):
        return explicit.value
    return f"{name}_id" if _is_relation(call) else name


def _target_table(project: Project, call: ast.Call) -> str | None:
    """The table a foreign key points at, when written as ``"app.Model"``."""
    node = keyword_map(call).get("to") or (call.args[0] if call.args else None)
    text = node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""
    if not _is_relation(call) or text.count(".") != 1:
        return None
    app, model = text.split(".")
    state = project.index.model_state(app, model) if app in project.apps else None
    return state.table if state else None


def _field_call(expression: str) -> ast.Call:
    try:
        node = ast.parse(expression.strip(), mode="eval").body
    except SyntaxError as error:
        raise AssistantError(f"invalid field expression {expression!r}: {error.msg}") from None
    callee = last_name(node.func) if isinstance(node, ast.Call) else None
    if not callee or not callee.endswith(("Field", "ForeignKey")):
        raise AssistantError(f"{expression!r} is not a field, e.g. models.IntegerField(db_default=0)")
    return node


def _check_name(ref: ModelRef, name: str) -> None:
    check_identifier(name, "field name")
    if ref.state is None:
        raise AssistantError(f"{ref.label} is in the code but not in the migrations: run makemigrations for it first")
    if "__" in name or name.endswith("_"):
        raise AssistantError(f"'{name}' is not a valid Django field name (no '__', no trailing '_')")
    source = ref.source
    taken = set(source.fields) | set(source.inherited) | set(ref.state.fields)
    taken |= {f"{n}_id" for n, f in ref.state.fields.items() if f.is_relation}
    taken |= {n.name for n in source.node.body if hasattr(n, "name")}
    if name in taken:
        raise AssistantError(f"{ref.label} already has a field or attribute named {name}")
