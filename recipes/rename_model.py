"""Rename a model in Django only: the table keeps its name.

``Meta.db_table`` is pinned to the current table (Django's default name when
none was set), and the migration is a state-only ``RenameModel`` (with an
``AlterModelTable`` pinning the name where needed), so the database never
changes. Relations that name the model (``"app.Old"`` strings and class
references), the models package's imports and ``__all__`` follow.
"""

from __future__ import annotations

import re

from migrate_assistant.errors import AssistantError
from migrate_assistant.field_expression import check_renamed_reverse_names
from migrate_assistant.inherited_meta import inherited_meta
from migrate_assistant.new_migration import add_migration
from migrate_assistant.operations import altered_field, call, django_op
from migrate_assistant.plan import Plan
from migrate_assistant.project import Project
from migrate_assistant.pysource import Import, module_imports, parse_source, read_source, string_value
from migrate_assistant.references import Search, name_search
from migrate_assistant.renamed_model_imports import keep_imports_of_renamed_model
from migrate_assistant.render import flat
from migrate_assistant.targets import ModelRef, not_migrated, resolve_model, split_target
from migrate_assistant.validators import bound_names, check_model_name, migration_slug

from .planning import Planner

STEPS = [
    "Rename the model in Django only: Meta.db_table keeps the table, RenameModel changes the state alone",
    "Update the code that still uses the old name",
    "Deploy: one deploy, the database does not change",
]


def plan_rename_model(project: Project, target: str, new: str) -> Plan:
    """Refusals name ``target`` or ``new_name``."""
    app_label, old_name = split_target(target, 2)
    if "." in new:
        new_app, _, new = new.rpartition(".")
        if new_app != app_label:
            raise AssistantError(
                f"renaming across apps ({app_label} → {new_app}) is not a rename: Django's RenameModel works "
                "within one app",
                argument="new_name",
            )
    ref = resolve_model(project, app_label, old_name)
    _check(project, ref, new)
    old, state = ref.name, ref.state
    planner = Planner(project)
    planner.searches.append(name_search(ref.label, old))
    planner.searches.append(Search(ref.label, old, re.compile(rf"[\"']{app_label}\.{old}[\"']", re.I)))
    planner.start_reference_scan()

    table = state.table
    state_operations = []
    if state.db_table is None:
        state_operations.append(call("migrations.AlterModelTable", name=state.name, table=table))
    state_operations.append(call("migrations.RenameModel", old_name=state.name, new_name=new))
    operation = django_op("SeparateDatabaseAndState", state_operations=state_operations)
    _edit_sources(planner, ref, new, table)
    suffix = migration_slug(f"rename_{old}_to_{new}")
    migration = add_migration(project, planner.changes, app_label, suffix, [operation])
    for other_app, operations in sorted(_retargeted_relations(project, ref, new).items()):
        add_migration(project, planner.changes, other_app, suffix, operations, [(app_label, migration)])
    planner.warnings.append(
        f"Django's contenttypes app renames the content type {app_label}.{old.lower()} when the migration runs, "
        "and reverse accessors / lookups with default names (e.g. "
        f"{old.lower()}_set, filter({old.lower()}__...)) change with the model name"
    )
    return planner.plan(
        f"Rename model {ref.label} to {new}",
        STEPS,
        0,
        [
            f"Ship {app_label}/{migration}: a single deploy, the table keeps the name {table}.",
        ],
        f"still use the old name {old}: update them in the same PR",
        f"Update the {{count}} code reference(s) listed with this plan to use {new}, in the same PR.",
    )


def check_new_model_name(project: Project, ref: ModelRef, new: str) -> None:
    """A new name for the model ``ref``: valid, not one its module binds, not its name in another case, not
    another model's of the app (the assistant's form checks its New name input with it as you type)."""
    check_model_name(new)
    if new in bound_names(read_source(ref.source.path)) - {ref.name}:
        raise AssistantError(
            f"'{new}' is already a name in {project.relative(ref.source.path)} (an import or a definition): "
            "the renamed class would shadow it",
            argument="new_name",
        )
    if new.lower() == ref.name.lower():
        raise AssistantError(
            f"{ref.label} and {new} differ only in case: Django keys models by lower-case name", argument="new_name"
        )
    index = project.index
    if index.model_state(ref.app_label, new) is not None or any(
        model.app_label == ref.app_label for model in index.classes_named(new)
    ):
        raise AssistantError(f"app '{ref.app_label}' already has a model named {new}", argument="new_name")
    if ref.state is not None:
        check_renamed_reverse_names(project, ref, new)


def _check(project: Project, ref: ModelRef, new: str) -> None:
    check_new_model_name(project, ref, new)
    if ref.state is None:
        raise not_migrated(ref)
    index = project.index
    automatic = [
        f"{ref.label}.{f.name}" for f in ref.state.fields.values() if f.is_many_to_many and "through" not in f.kwargs
    ]
    automatic += [
        f"{app}.{model.name}.{field.name}"
        for app, model, field in index.inbound_relations(ref.app_label, ref.state.name)
        if field.is_many_to_many and "through" not in field.kwargs
    ]
    if automatic:
        raise AssistantError(
            f"{', '.join(automatic)}: an automatic ManyToMany join table has a column named after the model, "
            "which a rename would change; give it an explicit through model first",
            argument="target",
        )


def _retargeted_relations(project: Project, ref: ModelRef, new: str) -> dict[str, list]:
    """``AlterField``s that point other apps' relations at the new name (no-ops in the database:
    the table is the same), each app's migration depending on the rename, as Django does."""
    old_key = f"{ref.app_label}.{ref.state.name}".lower()
    new_key = f"{ref.app_label}.{new}".lower()
    by_app: dict[str, list] = {}
    for app, model, field in project.index.inbound_relations(ref.app_label, ref.state.name):
        if app == ref.app_label:
            continue  # RenameModel repoints the relations of its own app
        changes = {}
        if field.target == old_key:
            changes["to"] = new_key
        if (string_value(field.kwargs.get("through")) or "").lower() == old_key:
            changes["through"] = new_key
        node, imports = altered_field(field, changes)
        operation = django_op("AlterField", imports, model_name=model.name.lower(), name=field.name, field=node)
        by_app.setdefault(app, []).append(operation)
    return by_app


def _edit_sources(planner: Planner, ref: ModelRef, new: str, table: str) -> None:
    from migrate_assistant.codemods.rename import rename_export, rename_model, retarget_relations  # libcst

    project, changes, source = planner.project, planner.changes, ref.source
    old, app_label = ref.name, ref.app_label
    qualified = {f"{app_label}.{old}".lower(): new}
    path = project.relative(source.path)
    pin = None if source.db_table else table
    inherited = inherited_meta(project.index, source)
    pinned = _pinned_names(ref, inherited, path)
    text = changes.read(path)
    changes.write(
        path, rename_model(text, path, old, new, pin, {**qualified, old.lower(): new}, pinned, inherited.base)
    )
    app_module = project.apps[app_label].module
    for other in project.index.models_modules:
        other_path = project.relative(other)
        if other == source.path or other.name == "__init__.py" and other.parent == source.path.parent:
            continue
        text = changes.read(other_path)
        if old.lower() not in text.lower():
            continue
        same_app = project.index.app_of(other) == app_label
        targets = {**qualified, old.lower(): new} if same_app else qualified
        names = {old: new} if _imports_name(text, other, old, app_module) else {}
        edited = retarget_relations(text, other_path, targets, names)
        if edited != text:
            changes.write(other_path, edited)
    init = source.path.parent / "__init__.py"
    if source.path.name != "__init__.py" and init.is_file():
        init_path = project.relative(init)
        changes.write(init_path, rename_export(changes.read(init_path), init_path, old, new))
    edited = {*project.index.models_modules, source.path, init}
    keep_imports_of_renamed_model(project, ref, new, changes, edited)


def _pinned_names(ref: ModelRef, inherited, path: str) -> dict[str, str]:
    """Inherited indexes and constraints whose names use ``%(class)s`` would be renamed with the model:
    they are written out in its Meta with their current names."""
    pinned = {}
    for option, items in (("indexes", ref.state.indexes), ("constraints", ref.state.constraints)):
        if not inherited.uses_class_name(option) or not items:
            continue
        if not any(imp == Import("django.db", "models") for imp in module_imports(_tree(ref))):
            raise AssistantError(
                f"{path} does not import `from django.db import models`, needed to pin the {option} {ref.label} "
                f"inherits from {inherited.options[option].name} (their names use %(class)s)"
            )
        pinned[option] = "[" + ", ".join(flat(item.expr) for item in items) + "]"
    return pinned


def _tree(ref: ModelRef):
    return parse_source(read_source(ref.source.path), ref.source.path)


def _imports_name(text: str, path, name: str, app_module: str) -> bool:
    tree = parse_source(text, path)
    return any(imp.name == name and imp.module.startswith(app_module) for imp in module_imports(tree))
