"""Add an index the safe way.

Sentry's schema editor builds it ``CONCURRENTLY``; on a table configured as
large (``large-tables``) that can take longer than the deploy's 5 s statement
timeout, so the migration holds only the index and runs after the deploy
(Sentry: post-deployment, by hand; django-safemigrate: ``Safe.after_deploy``).
"""

from __future__ import annotations

import hashlib

from migrate_assistant.errors import AssistantError
from migrate_assistant.inherited_meta import inherited_meta
from migrate_assistant.new_migration import add_migration
from migrate_assistant.operations import django_op
from migrate_assistant.plan import Plan
from migrate_assistant.project import Project
from migrate_assistant.pysource import Import, module_imports, parse_source, read_source
from migrate_assistant.render import string_literal
from migrate_assistant.targets import not_migrated, resolve_model, split_target
from migrate_assistant.validators import check_index_field, check_index_name

from .planning import Planner

MODELS = Import("django.db", "models")
NO_FIELDS = "name at least one field to index"


def plan_add_index(project: Project, target: str, fields: list[str], name: str | None = None) -> Plan:
    """Refusals name ``target``, ``fields`` or ``name``."""
    app_label, model_name = split_target(target, 2)
    ref = resolve_model(project, app_label, model_name)
    state = ref.state
    if state is None:
        raise not_migrated(ref)
    if not fields:
        raise AssistantError(NO_FIELDS, argument="fields")
    columns, seen = [], set()
    names = [field.name for field in state.fields.values() if not field.is_many_to_many]
    for written in fields:
        descending, field_name = check_index_field(written, names, ref.label)
        if field_name in seen:
            raise AssistantError(f"{field_name} is named twice: an index names each field once", argument="fields")
        seen.add(field_name)
        columns.append(("-" if descending else "") + state.fields[field_name.lower()].column)
    name = name or django_index_name(state.table, columns)
    check_index_name(name, _names_in_use(project, name))
    path = project.relative(ref.source.path)
    if not any(imp == MODELS for imp in module_imports(parse_source(read_source(ref.source.path), ref.source.path))):
        raise AssistantError(f"{path} does not import `from django.db import models`")
    expression = f"models.Index(fields=[{', '.join(string_literal(f) for f in fields)}], name={string_literal(name)})"
    large = state.table in project.config.large_tables

    from migrate_assistant.codemods.additions import add_index  # libcst: imported when first needed
    from migrate_assistant.field_usage import parse_expression

    planner = Planner(project)
    inherited = inherited_meta(project.index, ref.source)
    kept = f"{inherited.base}.indexes" if "indexes" in inherited.options else None
    planner.changes.write(path, add_index(planner.changes.read(path), path, ref.name, expression, kept, inherited.base))
    operation = django_op(
        "AddIndex", frozenset({MODELS}), model_name=state.name.lower(), index=parse_expression(expression)
    )
    migration = add_migration(
        project, planner.changes, app_label, f"{state.name.lower()}_{name.lower()}", [operation], post_deployment=large
    )
    if large:
        planner.warnings.append(f"{state.table} is a large table: {project.convention.after_deploy_note}")
    return planner.plan(
        f"Add index {name} on {ref.label} ({', '.join(fields)})",
        list(project.convention.index_steps),
        0,
        [
            f"Ship {app_label}/{migration}"
            + (f"; after the deploy, {project.convention.after_deploy_run}." if large else ".")
        ],
        "",
    )


def _names_in_use(project: Project, name: str) -> dict[str, str]:
    """Where the project's migration state already uses ``name`` for an index or constraint."""
    found = {}
    for label in sorted(project.apps):
        if not any(name.lower() in migration.strings for migration in project.index.graph.app_order(label)):
            continue
        for model in project.index.state(label).models.values():
            for kind, items in (("index", model.indexes), ("constraint", model.constraints)):
                for item in items:
                    if item.name == name:
                        found[name] = f"the {kind} of {label}.{model.name}"
    return found


def django_index_name(table: str, columns: list[str], suffix: str = "idx") -> str:
    """The name Django gives an unnamed index (``Index.set_name_with_model``)."""
    digest = hashlib.md5(usedforsecurity=False)
    for part in [table, *columns, suffix]:
        digest.update(part.encode())
    name = f"{table[:11]}_{columns[0].lstrip('-')[:7]}_{digest.hexdigest()[:6]}_{suffix}"
    return "D" + name[1:] if name[0] == "_" or name[0].isdigit() else name
