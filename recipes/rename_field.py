"""Rename a field in Django only: the column keeps its name.

Renaming a column in PostgreSQL breaks the old code that is still running
during a deploy. So ``db_column`` is pinned to the existing column and the
field is renamed in Django (``AlterField`` + ``RenameField``, both no-ops in
the database); indexes and constraints that name the field are replaced in the
migration state only, and Meta in the model follows.
"""

from __future__ import annotations

import ast
import re
from dataclasses import replace

from migrate_assistant.check_references import renamed_in_checked_options
from migrate_assistant.errors import AssistantError
from migrate_assistant.field_expression import check_reverse_name_clash
from migrate_assistant.field_usage import referenced_fields, renamed_expression
from migrate_assistant.migration_state import ALTER_OPTION_KEYS
from migrate_assistant.new_migration import add_migration
from migrate_assistant.operations import altered_field, call, copied, django_op
from migrate_assistant.plan import Plan
from migrate_assistant.project import Project
from migrate_assistant.pysource import read_source
from migrate_assistant.references import field_searches
from migrate_assistant.targets import FieldRef, not_migrated, resolve_field
from migrate_assistant.validators import bound_names, check_field_name, migration_slug, model_names_taken

from .planning import Planner
from .relation_blockers import check_generic_parts

STEPS = [
    "Rename the field in Django only: db_column keeps the existing column, RenameField, Meta follows",
    "Update the code that still uses the old name",
    "Deploy: one deploy, the database does not change",
]


def plan_rename_field(project: Project, target: str, new: str) -> Plan:
    """Refusals name ``target`` or ``new_name``."""
    ref = resolve_field(project, target)
    _check(project, ref, new)
    state, model = ref.state, ref.model
    old = ref.name
    renames = {old: new}
    if state.is_relation and not state.is_many_to_many:
        renames[f"{old}_id"] = f"{new}_id"
    planner = Planner(project)
    pinned = re.compile(rf"db_column=[\"']{re.escape(state.column)}[\"']")
    planner.searches.extend(replace(search, ignore=pinned) for search in field_searches(ref.label, old, model.name))
    planner.start_reference_scan()
    renamed_in_checked_options(project, model, renames, planner.changes, f"renaming {ref.label}")

    model_name = model.state.name.lower()
    pin = None if state.is_many_to_many or "db_column" in state.kwargs else state.column
    operations = []
    if pin is not None:
        node, imports = altered_field(state, {"db_column": pin})
        operations.append(django_op("AlterField", imports, model_name=model_name, name=state.name, field=node))
    rename = call("migrations.RenameField", model_name=model_name, old_name=state.name, new_name=new)
    if state.is_many_to_many:  # through a model of its own: nothing in the database is named after it
        operations.append(django_op("SeparateDatabaseAndState", state_operations=[rename]))
    else:
        operations.append(django_op("RenameField", model_name=model_name, old_name=state.name, new_name=new))
    state_only, imports = _state_only_meta(model.state, model_name, renames)
    if state_only:
        operations.append(django_op("SeparateDatabaseAndState", imports, state_operations=state_only))

    from migrate_assistant.codemods.rename import rename_field  # libcst: imported when first needed

    path = project.relative(model.source.path)
    changes = planner.changes
    changes.write(path, rename_field(changes.read(path), path, model.name, old, new, pin, renames))
    migration = add_migration(
        project, changes, model.app_label, migration_slug(f"rename_{model_name}_{old}_to_{new}"), operations
    )
    return planner.plan(
        f"Rename field {ref.label} to {new}",
        STEPS,
        0,
        [
            f"Ship {model.app_label}/{migration}: a single deploy, the column keeps the name {state.column}.",
        ],
        f"still use the old name {old}: update them in the same PR",
        f"Update the {{count}} code reference(s) listed with this plan to use {new}, in the same PR.",
    )


def _check(project: Project, ref: FieldRef, new: str) -> None:
    if new == ref.name:
        raise AssistantError(f"{ref.label} is already called {new}", argument="new_name")
    if ref.state is None:
        raise not_migrated(ref)
    if ref.state.is_many_to_many and "through" not in ref.state.kwargs:
        raise AssistantError(
            f"{ref.label} is a ManyToManyField without a through model: renaming it renames its join table; "
            "give it an explicit through model first",
            argument="target",
        )
    check_generic_parts(project, ref.model, {ref.name}, "renaming")
    check_new_name(ref, new)
    check_reverse_name_clash(project, ref.model, new, argument="new_name")


def check_new_name(ref: FieldRef, new: str) -> str:
    """A new name for the field ``ref``: valid, not its name already, not one the model or its module
    uses (the assistant's form checks its New name input with it as you type)."""
    if new == ref.name:
        raise AssistantError(f"{ref.label} is already called {new}", argument="new_name")
    taken = model_names_taken(ref.model) - {ref.name, f"{ref.name}_id"}
    module_names = bound_names(read_source(ref.model.source.path))
    return check_field_name(new, taken, module_names, ref.model.label, argument="new_name")


def _state_only_meta(state, model_name: str, renames: dict[str, str]) -> tuple[list[ast.expr], frozenset]:
    """State-only replacements of the indexes, constraints and options that name the field."""
    aliases = {name: name for name in renames}
    ops, imports = [], frozenset()
    for kind, items in (("Index", state.indexes), ("Constraint", state.constraints)):
        for item in items:
            if not referenced_fields(item.expr, aliases):
                continue
            renamed, needed = copied(
                renamed_expression(item.expr, renames),
                item.origin.imports,
                item.origin.path,
                f"the {kind.lower()} {item.name}",
            )
            imports |= needed
            ops.append(call(f"migrations.Remove{kind}", model_name=model_name, name=item.name))
            ops.append(call(f"migrations.Add{kind}", model_name=model_name, **{kind.lower(): renamed}))
    options = {key: option for key, option in state.options.items() if key in ALTER_OPTION_KEYS}
    if any(referenced_fields(options[key].expr, aliases) for key in ("ordering", "get_latest_by") if key in options):
        values = []
        for option in options.values():
            renamed, needed = copied(
                renamed_expression(option.expr, renames),
                option.origin.imports,
                option.origin.path,
                f"Meta.{option.name}",
            )
            imports |= needed
            values.append(renamed)
        options_node = ast.Dict([ast.Constant(key) for key in options], values)
        ops.append(call("migrations.AlterModelOptions", name=model_name, options=options_node))
    return ops, imports
