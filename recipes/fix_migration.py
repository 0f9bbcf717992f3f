"""Rewrite a freshly generated migration into phase 1 (Sentry's, or plain Django's state-only removal).

``makemigrations`` writes ``RemoveField`` / ``DeleteModel`` for a field or model
deleted from the code; Sentry's framework refuses both. In a migration that
exists only on this branch, each becomes the phase-1 form: ``AlterField``s that
make the column safe to leave behind (``null=True`` / ``db_constraint=False``),
then ``SafeRemoveField`` / ``SafeDeleteModel`` with ``MOVE_TO_PENDING``; a
deleted model's table is added to ``historical_silo_assignments``.
"""

from __future__ import annotations

import ast
from pathlib import Path

from migrate_assistant.check_scope import migration_files
from migrate_assistant.errors import AssistantError
from migrate_assistant.git_state import file_at, file_on_main, files_defining, main_ref, open_repo
from migrate_assistant.migration_files import MigrationFile
from migrate_assistant.migration_state import AppState, apply_operation, replay
from migrate_assistant.migration_writer import Op, format_imports
from migrate_assistant.model_index import model_classes
from migrate_assistant.operations import altered_field, django_op
from migrate_assistant.plan import Plan
from migrate_assistant.project import Project
from migrate_assistant.pysource import module_imports, names_read, parse_source
from migrate_assistant.render import render
from migrate_assistant.splice import list_edits, splice_spans

from .planning import Planner
from .remove_model import SILO_DICT, leave_table_behind


def plan_fix_migration(project: Project, path: str) -> Plan:
    if project.convention.drops_in_same_pr:
        raise AssistantError(
            "fix-migration writes phase 1 only; under django-safemigrate a removal is one PR with a "
            "Safe.before_deploy and a Safe.after_deploy migration: delete this migration and run "
            "migrate-assistant remove-field / remove-model with the code still in place"
        )
    [(app, file)] = migration_files(project, [path])
    migration = project.index.graph.nodes.get((app, file.stem))
    if migration is None:
        raise AssistantError(f"{path} is not in the migration graph (replaced by a squashed migration?)")
    relative = project.relative(file)
    if file_on_main(project.root, relative, project.config.main_branch):
        raise AssistantError(
            f"{relative} exists on the main branch: a shipped migration is never rewritten; write a new one "
            "(migrate-assistant remove-field / remove-model)"
        )
    planner = Planner(project)
    touched = {(op.text("model_name") or op.text("name") or "").lower() for op in migration.walk_operations()}
    for name in sorted(touched - {""}):
        project.index.require_readable(app, name)
    state = replay(project.index.graph, app, touched - {""}, before=migration.key)
    alters, safes, rewritten, needed, removed = [], [], [], set(), []
    for position, op in enumerate(migration.operations):
        if op.kind in ("RemoveField", "DeleteModel"):
            model = state.model(op.text("model_name") or op.text("name"))
            new_ops = (
                _field_phase_one(project, state, op)
                if op.kind == "RemoveField"
                else _model_phase_one(planner, state, op)
            )
            removed.append(f"{app}.{model.name}" + (f".{op.text('name')}" if op.kind == "RemoveField" else ""))
            alters += new_ops[:-1]
            safes.append(new_ops[-1])
            rewritten.append(position)
            needed |= {item for new in new_ops for item in new.imports}
        apply_operation(state, migration, op)
    if not rewritten:
        raise AssistantError(f"{relative} has no plain RemoveField or DeleteModel to rewrite")
    rewritten_source = _rewritten(project, migration, rewritten, alters, safes)
    planner.changes.write(relative, _with_imports(rewritten_source, file, needed, project, migration.source))
    kind = "remove-field" if all(label.count(".") == 2 for label in removed) else "remove"
    return planner.plan(
        f"Rewrite {relative} as phase 1",
        project.convention.fix_steps(),
        1,
        [
            f"Ship {relative} in its own PR and deploy it.",
            f"Once it has deployed everywhere, write phase 2: migrate-assistant {kind} {' '.join(removed)} --phase 2",
        ],
        "",
    )


def _rewritten(
    project: Project, migration: MigrationFile, rewritten: list[int], alters: list[Op], safes: list[Op]
) -> str:
    """The operations with every AlterField where the first rewritten one was and the Safe*
    operations last: on SQLite an AlterField rebuilds the table from the state, which would
    drop a column already moved to pending deletion."""
    calls = [op.call for op in migration.operations]
    indent = calls[0].col_offset

    def show(ops: list[Op]) -> str:
        return (",\n" + " " * indent).join(render(op.node, indent, project.line_length, ",") for op in ops)

    replace = {position: "" for position in rewritten}
    replace[rewritten[0]] = show(alters)
    source = migration.source
    return splice_spans(source, list_edits(source, calls, replace, [show(safes)]))


def _field_phase_one(project: Project, state: AppState, op) -> list[Op]:
    model = state.model(op.text("model_name"))
    field = model.field(op.text("name")) if model else None
    if field is None:
        raise AssistantError(f"line {op.line}: the migration state has no {op.text('model_name')}.{op.text('name')}")
    changes = {}
    if not field.null and not field.has_db_default and not field.is_many_to_many:
        changes["null"] = True
    if field.db_constraint:
        changes["db_constraint"] = False
    ops = []
    model_name = model.name.lower()
    definition = altered_field(field, changes) if changes else None
    if definition:
        node, imports = definition
        ops.append(django_op("AlterField", imports, model_name=model_name, name=field.name, field=node))
    ops.extend(project.convention.field_phase_one(project, model, field, definition).ops)
    return ops


def _model_phase_one(planner: Planner, state: AppState, op) -> list[Op]:
    project = planner.project
    model = state.model(op.text("name"))
    if model is None:
        raise AssistantError(f"line {op.line}: the migration state has no model {op.text('name')}")
    ops = leave_table_behind(model)
    ops.extend(project.convention.model_phase_one(project, model, list(ops)).ops)
    if project.convention.assigns_silo:
        _assign_silo(planner, model)
    return ops


def _assign_silo(planner: Planner, model) -> None:
    """The deleted class is gone from the code; its silo decorator is read from the main branch."""
    from migrate_assistant.codemods.router import add_silo_assignment
    from migrate_assistant.silo import silo_value

    project = planner.project
    if project.router is None:
        return
    source = _model_source_on_main(project, model.name)
    if source is None:
        planner.warnings.append(
            f"could not find class {model.name} on the main branch: add {model.table} to {SILO_DICT} with its silo"
        )
        return
    path = project.relative(project.router)
    text = planner.changes.read(path)
    planner.changes.write(path, add_silo_assignment(text, path, model.table, silo_value(project, text, source)))


def _model_source_on_main(project: Project, name: str):
    with open_repo(project.root) as repo:
        ref = main_ref(repo, project.config.main_branch)
    if ref is None:
        return None
    for path in files_defining(project.root, ref, name):
        text = file_at(project.root, ref, path)
        for found in model_classes(parse_source(text, Path(path)), "", Path(path)) if text else []:
            if found.name == name:
                return found
    return None


def _with_imports(source: str, path: Path, needed: set, project: Project, original: str) -> str:
    """The file's top-level import block, merged with ``needed`` and laid out isort-style; an import that
    only the rewritten operations used goes (``from django.db import migrations`` when none is left)."""
    tree = parse_source(source, path)
    block = []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            block.append(node)
        elif block:
            break
    if not block:
        return format_imports(set(needed), project.first_party, project.line_length) + "\n" + source
    used_before, used_now = names_read(parse_source(original, path)), names_read(tree)
    existing = {
        item
        for item in module_imports(ast.Module(body=block, type_ignores=[]))
        if item.bound in used_now or item.bound not in used_before
    }
    text = format_imports(existing | set(needed), project.first_party, project.line_length).rstrip("\n")
    first, last = block[0], block[-1]
    lines = source.splitlines(keepends=True)
    start = sum(len(line) for line in lines[: first.lineno - 1])
    end = sum(len(line) for line in lines[: last.end_lineno])
    return source[:start] + text + "\n" + source[end:]
