"""Django's own view of a project's migration state, in the schema of ``migrate-assistant state --format json``.

Run with the corpus environment's Python (it imports the project):
``python django_state.py ROOT SETTINGS_MODULE [OUT.json]``. Only the apps whose migrations live under ROOT are
kept; their models are the ones the migrations define (``MigrationLoader.project_state()`` at the graph's leaves),
with each model state's own fields.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    root = Path(argv[0]).resolve()
    os.chdir(root)
    sys.path.insert(0, str(root))
    os.environ["DJANGO_SETTINGS_MODULE"] = argv[1]
    started = time.perf_counter()
    import django
    from django.db.migrations.loader import MigrationLoader

    django.setup()
    loader = MigrationLoader(None, ignore_no_migrations=True)
    state = loader.project_state()
    loaded = time.perf_counter()
    apps = _apps(root, loader, state)
    view = {
        "apps": apps,
        "touched": _touched(root, loader, apps),
        "django": django.get_version(),
        "seconds": round(loaded - started, 3),
    }
    text = json.dumps(view, indent=1, sort_keys=True)
    if len(argv) > 2:
        Path(argv[2]).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return 0


def _apps(root: Path, loader, state) -> dict:
    from django.apps import apps as installed

    labels = {}
    for config in installed.get_app_configs():
        module = loader.migrations_module(config.label)[0]
        if config.label not in loader.migrated_apps or not module:
            continue
        package = sys.modules.get(module)
        path = Path(getattr(package, "__file__", None) or next(iter(getattr(package, "__path__", [])), "/"))
        if path.resolve().is_relative_to(root):
            labels[config.label] = path
    rendered = state.apps
    result = {}
    for label in sorted(labels):
        models = {}
        for (app_label, _), model_state in sorted(state.models.items()):
            if app_label != label:
                continue
            model = rendered.get_model(app_label, model_state.name)
            models[model_state.name] = {
                "table": model._meta.db_table,
                "fields": {name: _field(model._meta.get_field(name)) for name in model_state.fields},
            }
        result[label] = {
            "leaves": sorted(name for app, name in loader.graph.leaf_nodes(label)),
            "models": models,
        }
    return result


def _touched(root: Path, loader, apps: dict) -> dict:
    """Which migration files' operations touch each model and field: ``{label: {model: {"": [files], field: [files]}}}``.

    Names are lower case, as operations reference them (old and new names of renames both count). This is what
    "the same file" means when the comparison asks whether a difference was declared unreadable.
    """
    touched: dict = {}
    for (label, _), migration in sorted(loader.graph.nodes.items()):
        if label not in apps:
            continue
        file = Path(sys.modules[type(migration).__module__].__file__).resolve().relative_to(root).as_posix()
        for model, field in _touches(migration.operations):
            files = touched.setdefault(label, {}).setdefault(model, {}).setdefault(field, [])
            if file not in files:
                files.append(file)
    return touched


def _touches(operations):
    from django.db.migrations import operations as ops

    for operation in operations:
        if isinstance(operation, ops.SeparateDatabaseAndState):
            yield from _touches(operation.state_operations)
        elif isinstance(operation, ops.CreateModel):
            yield operation.name_lower, ""
            for name, _ in operation.fields:
                yield operation.name_lower, name
        elif isinstance(operation, ops.RenameModel):
            yield operation.old_name_lower, ""
            yield operation.new_name_lower, ""
        elif isinstance(operation, ops.RenameField):
            yield operation.model_name_lower, operation.old_name
            yield operation.model_name_lower, operation.new_name
        elif isinstance(operation, ops.fields.FieldOperation):
            yield operation.model_name_lower, operation.name
        elif isinstance(operation, ops.models.ModelOperation):
            yield operation.name_lower, ""
        elif hasattr(operation, "model_name_lower"):  # index and constraint operations
            yield operation.model_name_lower, ""


def _field(field) -> dict:
    relation = field.is_relation and field.related_model is not None
    if relation:
        constraint = getattr(field, "db_constraint", None)
        if constraint is None:
            constraint = field.remote_field.db_constraint
    return {
        "class": type(field).__name__,
        "column": None if field.many_to_many else field.column,
        "null": bool(field.null),
        "db_constraint": bool(constraint) if relation else False,
        "to": field.related_model._meta.label_lower if relation else None,
        "primary_key": bool(field.primary_key),
        "many_to_many": bool(field.many_to_many),
    }


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
