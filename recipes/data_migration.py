"""A data migration the safe way, with its test.

The migration runs after the deploy (as the convention says: Sentry's
post-deployment, by hand; django-safemigrate's ``Safe.after_deploy``), walks
the table in primary-key chunks with the project's chunked iterator (Sentry: ``RangeQuerySetWrapperWithProgressBar``),
reads models through ``apps.get_model`` and tells the router its tables
(``hints={"tables": [...]}``). Its test uses the project's ``TestMigrations``,
from the previous leaf to the new migration.
"""

from __future__ import annotations

import ast
import textwrap

from migrate_assistant.errors import AssistantError
from migrate_assistant.migration_writer import DJANGO_MIGRATIONS, Op, imported
from migrate_assistant.new_migration import add_migration
from migrate_assistant.operations import dotted, value
from migrate_assistant.plan import Plan
from migrate_assistant.project import Project
from migrate_assistant.pysource import Import
from migrate_assistant.render import string_literal
from migrate_assistant.targets import ModelRef, not_migrated, resolve_model, split_target
from migrate_assistant.validators import bound_names, check_function_name, check_identifier, check_migration_name

from .planning import Planner

STEPS = [
    "Write the change in the RunPython function (models via apps.get_model, rows in chunks)",
    "Write its test: rows before the migration, what they look like after",
]
TYPES = frozenset(
    {
        Import("django.db.backends.base.schema", "BaseDatabaseSchemaEditor"),
        Import("django.db.migrations.state", "StateApps"),
    }
)


def plan_data_migration(project: Project, app_label: str, name: str, model: str | None = None) -> Plan:
    """Refusals name ``app``, ``name`` or ``model``."""
    project.app(app_label)
    check_identifier(name, "migration and function name", soft_keywords=True)
    check_migration_name(name, prefix=len("test_0001_"))
    graph = project.index.graph
    previous = graph.leaf(app_label)
    if previous is None:
        raise AssistantError(
            f"app '{app_label}' has no migrations yet: a data migration needs the tables first", argument="app"
        )
    ref = _model(project, model)
    planner = Planner(project)
    body, imports = _function(project, name, ref)
    table = [ref.state.table] if ref else []
    hints = ast.Dict([ast.Constant("tables")], [value(table)])
    run = ast.Call(
        dotted("migrations.RunPython"),
        [ast.Name(name, ast.Load()), dotted("migrations.RunPython.noop")],
        [ast.keyword("hints", hints)],
    )
    after = [(ref.app_label, graph.leaf(ref.app_label))] if ref and ref.app_label != app_label else []
    migration = add_migration(
        project,
        planner.changes,
        app_label,
        name,
        [Op(run, frozenset({DJANGO_MIGRATIONS}))],
        after,
        post_deployment=True,
        body=body,
        extra_imports=imports,
    )
    _check_function_name(planner, project.relative(project.app(app_label).migrations_dir / f"{migration}.py"), name)
    test = _write_test(project, planner, app_label, name, previous, migration, ref)
    if test is None:
        planner.warnings.append("no TestMigrations base is configured (test-migrations): write the test yourself")
    return planner.plan(
        f"Data migration {app_label}/{migration}",
        [*STEPS, f"Deploy and watch it: {project.convention.after_deploy_note}"],
        0,
        [
            f"Write the change in {name}() and the assertions in {test or 'its test'}.",
            f"Ship it; after the deploy, {project.convention.after_deploy_run} and watch it.",
        ],
        "",
    )


def _check_function_name(planner: Planner, path: str, name: str) -> None:
    """The function must not shadow what the migration file imports or defines."""
    tree = ast.parse(planner.changes.read(path))
    others = ast.Module([node for node in tree.body if getattr(node, "name", None) != name], [])
    check_function_name(name, bound_names(ast.unparse(others)))


def _model(project: Project, target: str | None) -> ModelRef | None:
    if target is None:
        return None
    ref = resolve_model(project, *split_target(target, 2, "model"), "model")
    if ref.state is None:
        raise not_migrated(ref, "model")
    return ref


def _function(project: Project, name: str, ref: ModelRef | None) -> tuple[str, frozenset]:
    imports = set(TYPES)
    header = f"def {name}(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:\n"
    if ref is None:
        return header + textwrap.indent(
            "# Read and write rows through apps.get_model(app_label, model_name), never by importing models,\n"
            "# and walk large tables in chunks of primary keys.\n"
            "pass\n",
            "    ",
        ), frozenset(imports)
    variable = ref.state.name
    row = variable.lower()
    if "chunked-iterator" in project.imports:
        iterator_import, iterator = imported(project, "chunked-iterator")
        imports.add(iterator_import)
        rows = f"{iterator}({variable}.objects.all())"
    else:
        rows = f"{variable}.objects.all().iterator(chunk_size=1000)"
    return header + textwrap.indent(
        f"{variable} = apps.get_model({string_literal(ref.app_label)}, {string_literal(variable)})\n"
        f"for {row} in {rows}:\n"
        "    # Change the row here and save only what changed, e.g.:\n"
        f"    # {row}.field = ...\n"
        f'    # {row}.save(update_fields=["field"])\n'
        "    pass\n",
        "    ",
    ), frozenset(imports)


def _write_test(project, planner, app_label, name, previous, migration, ref) -> str | None:
    if "test-migrations" not in project.imports:
        return None
    base_import, base = imported(project, "test-migrations")
    folder = project.config.migration_tests or "tests"
    module_path = project.apps[app_label].module.replace(".", "/")
    directory = f"{folder}/{module_path}/migrations"
    path = f"{directory}/test_{migration}.py"
    _ensure_packages(planner, folder, directory)
    app_line = f"    app = {string_literal(app_label)}\n" if app_label != project.convention.migration_test_app else ""
    if ref:
        variable = ref.state.name
        get = f"apps.get_model({string_literal(ref.app_label)}, {string_literal(variable)})"
        setup = (
            f"        {variable} = {get}\n"
            "        # Create the rows the migration changes, e.g.:\n"
            f"        # self.{variable.lower()} = {variable}.objects.create(...)\n"
            f"        self.rows_before = {variable}.objects.count()\n"
        )
        check = (
            f"        {variable} = self.{get}\n"
            f"        # Assert what the migration changed, e.g. self.{variable.lower()}.refresh_from_db() and its fields.\n"
            f"        assert {variable}.objects.count() == self.rows_before\n"
        )
    else:
        setup = "        # Create the rows the migration changes, with apps.get_model(...).\n        pass\n"
        check = "        # Assert what the migration changed.\n        pass\n"
    class_name = "".join(part.capitalize() for part in name.split("_")) + "Test"
    planner.changes.create(
        path,
        f"from {base_import.module} import {base}\n\n\n"
        f"class {class_name}({base}):\n{app_line}"
        f"    migrate_from = {string_literal(previous)}\n"
        f"    migrate_to = {string_literal(migration)}\n\n"
        f"    def setup_before_migration(self, apps):\n{setup}\n"
        f"    def test(self):\n{check}",
    )
    return path


def _ensure_packages(planner: Planner, root: str, directory: str) -> None:
    """``__init__.py`` in the new test folders, when the tests are packages."""
    if not (planner.project.root / root / "__init__.py").is_file():
        return
    parts = directory.split("/")
    for depth in range(len(root.split("/")) + 1, len(parts) + 1):
        init = "/".join(parts[:depth]) + "/__init__.py"
        if planner.changes.read(init) is None:
            planner.changes.create(init, "")
