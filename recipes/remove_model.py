"""Remove a model (its table) in two deploys.

Phase 1 drops the database constraints of the model's foreign keys
(``db_constraint=False``; a hybrid-cloud foreign key gets ``null=True``),
deletes the class and removes the model from Django's state only, the
convention's way (Sentry: ``SafeDeleteModel(..., MOVE_TO_PENDING)``, and the
table added to ``historical_silo_assignments`` in the router): the table stays,
Django forgets it. Phase 2, in a later deploy (django-safemigrate: an
after_deploy migration of the same PR), drops the table.
Models that other models still point at are refused: those columns go first.
"""

from __future__ import annotations

from migrate_assistant.check_references import refuse_registered_model
from migrate_assistant.codemods.router import NAME as SILO_DICT
from migrate_assistant.errors import AssistantError
from migrate_assistant.migration_state import ModelState
from migrate_assistant.operations import altered_field, call, django_op
from migrate_assistant.plan import Plan
from migrate_assistant.project import Project
from migrate_assistant.pysource import string_value
from migrate_assistant.references import name_search
from migrate_assistant.targets import ModelRef, not_migrated, resolve_model, split_target

from .relation_blockers import check_no_proxies
from .removal import RemovalPlanner, plan_removal, unique

HYBRID_CLOUD = "HybridCloudForeignKey"


def plan_remove_models(
    project: Project, targets: list[str], phase: int, name: str | None = None, force: str | None = None
) -> Plan:
    targets = unique(targets)
    return plan_removal(
        project,
        phase,
        name,
        [(collect_model_removals, write_model_removals, targets)],
        f"Remove model{'s' if len(targets) > 1 else ''} {', '.join(targets)} — {project.convention.removal_phase(phase)}",
        project.convention.model_steps(),
        f"migrate-assistant remove-model {' '.join(targets)} --phase 2",
        force,
    )


def collect_model_removals(planner: RemovalPlanner, targets: list[str]) -> list:
    """Resolve and check the targets, in the order their tables must go (those pointing at others first)."""
    if planner.phase == 2:
        pending = [_pending_model(planner, target) for target in unique(targets)]
        removed = {f"{item.app_label}.{item.model}" for item in pending}
        for item in pending:
            _check_pending_inbound(planner, item, removed)
        return _dependents_first(pending, lambda item: item.app_label, lambda item: item.model_state)
    refs = [_present_model(planner.project, target) for target in unique(targets)]
    removed = {f"{ref.app_label}.{ref.state.name}".lower() for ref in refs}
    for ref in refs:
        _check_inbound(planner, ref, removed)
        planner.searches.append(name_search(ref.label, ref.name))
    return _dependents_first(refs, lambda ref: ref.app_label, lambda ref: ref.state)


def write_model_removals(planner: RemovalPlanner, collected: list) -> None:
    for item in collected:
        if planner.phase == 2:
            _drop_table(planner, item)
        else:
            _move_to_pending(planner, item, {f"{r.app_label}.{r.state.name}".lower() for r in collected})


def _present_model(project: Project, target: str) -> ModelRef:
    app_label, model_name = split_target(target, 2)
    project.app(app_label)
    pending = project.index.pending(app_label).get((model_name.lower(), None))
    if pending:
        raise AssistantError(
            f"{target} is already pending deletion (moved by {app_label}/{pending.migration.name}): "
            f"run phase 2 once that has deployed (remove-model {target} --phase 2)"
        )
    ref = resolve_model(project, app_label, model_name)
    if ref.state is None:
        raise not_migrated(ref)
    check_no_proxies(project, ref)
    refuse_registered_model(project, ref)
    return ref


def _pending_model(planner: RemovalPlanner, target: str):
    project = planner.project
    app_label, model_name = split_target(target, 2)
    project.app(app_label)
    pending = project.index.pending(app_label).get((model_name.lower(), None))
    if pending is None:
        if project.index.model_state(app_label, model_name) is not None:
            raise AssistantError(
                f"{target} is not pending deletion: run phase 1 first (remove-model {target} --phase 1), "
                "and phase 2 once that has deployed"
            )
        known = [p.target for p in project.index.pending(app_label).values() if not p.field]
        raise AssistantError(
            f"{target} is not a model pending deletion"
            + (f" (pending in {app_label}: {', '.join(known)})" if known else "")
        )
    planner.check_phase_one_shipped(pending)
    return pending


def _check_inbound(planner: RemovalPlanner, ref: ModelRef, removed: set[str]) -> None:
    """Refuse while other models point at this one; their columns must be removed first."""
    blockers = []
    for app, model, field in planner.project.index.inbound_relations(ref.app_label, ref.state.name):
        label = f"{app}.{model.name}.{field.name}"
        if f"{app}.{model.name}".lower() in removed:
            continue
        if label.lower() in planner.removed_fields:
            if app != ref.app_label:
                planner.app(ref.app_label).after.add(app)
            continue
        blockers.append(f"{label} ({field.class_name})")
    if blockers:
        raise AssistantError(
            f"{ref.label} is still referenced by {', '.join(blockers)}: remove those columns first "
            "(remove-field, or in the same plan with remove), then the model"
        )


def _check_pending_inbound(planner: RemovalPlanner, item, removed: set[str]) -> None:
    """A table goes after the pending columns and tables that point at it (their DELETE needs it)."""
    key = f"{item.app_label}.{item.model}"
    blockers = []
    for other in planner.project.index.pending_deletions:
        state = other.field_state or None
        fields = [state] if state else list(other.model_state.fields.values())
        if other is item or not any(f.is_relation and f.target == key for f in fields):
            continue
        if other.field is None and f"{other.app_label}.{other.model}" in removed:
            continue
        if other.target.lower() in planner.removed_fields:
            if other.app_label != item.app_label:
                planner.app(item.app_label).after.add(other.app_label)
            continue
        blockers.append(other.target)
    if blockers:
        raise AssistantError(
            f"{', '.join(blockers)} (pending deletion) still point at {item.target}: drop them first, "
            "or in the same plan (migrate-assistant remove ... --phase 2)"
        )


def _dependents_first(items: list, app_of, state_of) -> list:
    """Order items so that a model pointing at another removed model comes before it."""
    keys = {f"{app_of(item)}.{state_of(item).name}".lower(): item for item in items}
    points_at = {
        key: {
            f.target for f in state_of(item).fields.values() if f.is_relation and f.target in keys and f.target != key
        }
        for key, item in keys.items()
    }
    order = []
    while points_at:
        ready = sorted(key for key in points_at if not any(key in targets for targets in points_at.values()))
        if not ready:
            raise AssistantError(
                f"{', '.join(sorted(points_at))} point at each other: remove one of those foreign keys first (remove-field)"
            )
        for key in ready:
            order.append(keys[key])
            del points_at[key]
    return order


def leave_table_behind(state: ModelState) -> list:
    """The AlterFields a table needs before its model goes: ``db_constraint=False`` on foreign keys,
    ``null=True`` on NOT NULL hybrid-cloud keys."""
    operations = []
    for field in state.fields.values():
        changes = {}
        if field.db_constraint:
            changes["db_constraint"] = False
        elif HYBRID_CLOUD in field.class_name and not field.null:
            changes["null"] = True
        if changes:
            node, imports = altered_field(field, changes)
            model_name = state.name.lower()
            operations.append(django_op("AlterField", imports, model_name=model_name, name=field.name, field=node))
    return operations


def _move_to_pending(planner: RemovalPlanner, ref: ModelRef, removed: set[str]) -> None:
    project = planner.project
    state: ModelState = ref.state
    operations = planner.app(ref.app_label)
    model_name = state.name.lower()
    alters = leave_table_behind(state)
    operations.alter.extend(alters)
    for field in state.fields.values():
        through = (string_value(field.kwargs.get("through")) or "").lower()
        if field.is_many_to_many and through in removed:
            state_only = call("migrations.RemoveField", model_name=model_name, name=field.name)
            operations.drop.append(django_op("SeparateDatabaseAndState", state_operations=[state_only]))
    operations.add(project.convention.model_phase_one(project, state, alters))
    operations.names.append(model_name)
    _delete_class(planner, ref)
    if project.convention.assigns_silo:
        _assign_silo(planner, ref)


def _delete_class(planner: RemovalPlanner, ref: ModelRef) -> None:
    from migrate_assistant.codemods.model_module import remove_export, remove_model_class  # libcst, when needed

    project, changes, source = planner.project, planner.changes, ref.source
    path = project.relative(source.path)
    text, empty = remove_model_class(changes.read(path), path, ref.name)
    is_package_init = source.path.name == "__init__.py"
    deleted = empty and not is_package_init
    if deleted:
        changes.delete(path)
    else:
        changes.write(path, text)
    init = source.path.parent / "__init__.py"
    if not is_package_init and init.is_file():
        init_path = project.relative(init)
        changes.write(init_path, remove_export(changes.read(init_path), init_path, source.module, ref.name, deleted))


def _assign_silo(planner: RemovalPlanner, ref: ModelRef) -> None:
    from migrate_assistant.codemods.router import add_silo_assignment
    from migrate_assistant.silo import silo_value

    project = planner.project
    table = ref.state.table
    if project.router is None:
        planner.warnings.append(
            f"no router with {SILO_DICT} was found: if this project routes tables by silo, add {table} to it"
        )
        return
    path = project.relative(project.router)
    text = planner.changes.read(path)
    planner.changes.write(path, add_silo_assignment(text, path, table, silo_value(project, text, ref.source)))


def _drop_table(planner: RemovalPlanner, pending) -> None:
    project = planner.project
    operations = planner.app(pending.app_label)
    operations.add(project.convention.phase_two(project, pending))
    operations.names.append(pending.model)
    if project.convention.assigns_silo and project.router is not None:
        from migrate_assistant.codemods.router import assigned_dict_tables

        table = pending.model_state.table
        if table not in assigned_dict_tables(planner.changes.read(project.relative(project.router))):
            planner.warnings.append(
                f"{table} is not in {SILO_DICT} of {project.relative(project.router)}: SafeDeleteModel needs it "
                "to find the table's database; add it with the model's silo"
            )
