"""Remove a column in two deploys.

Phase 1 makes the column safe to leave behind (``null=True`` when it is NOT
NULL without ``db_default``, ``db_constraint=False`` for a foreign key), drops
the indexes and constraints that use it, deletes the field from the model and
removes it from Django's state only, the convention's way (Sentry:
``SafeRemoveField(..., MOVE_TO_PENDING)``): the column stays, Django forgets
it. Phase 2, in a later deploy (django-safemigrate: a second, after_deploy
migration of the same PR), drops the column.
"""

from __future__ import annotations

from migrate_assistant.errors import AssistantError
from migrate_assistant.field_usage import parse_expression, referenced_fields
from migrate_assistant.migration_state import PendingDeletion
from migrate_assistant.operations import altered_field, django_op
from migrate_assistant.plan import Plan
from migrate_assistant.project import Project
from migrate_assistant.references import field_searches
from migrate_assistant.targets import FieldRef, resolve_field, split_target

from .removal import RemovalPlanner, plan_removal, unique


def plan_remove_fields(
    project: Project, targets: list[str], phase: int, name: str | None = None, force: str | None = None
) -> Plan:
    targets = unique(targets)
    return plan_removal(
        project,
        phase,
        name,
        [(collect_field_removals, write_field_removals, targets)],
        f"Remove field{'s' if len(targets) > 1 else ''} {', '.join(targets)} — phase {phase}",
        project.convention.field_steps(),
        f"migrate-assistant remove-field {' '.join(targets)} --phase 2",
        force,
    )


def collect_field_removals(planner: RemovalPlanner, targets: list[str]) -> list:
    """Resolve and check the targets (nothing is edited yet); phase 2 gets the pending deletions."""
    if planner.phase == 2:
        pendings = [_pending_field(planner, target) for target in unique(targets)]
        planner.removed_fields.update({pending.target.lower(): pending.app_label for pending in pendings})
        return pendings
    refs = [_present_field(planner.project, target) for target in unique(targets)]
    for ref in refs:
        planner.searches.extend(field_searches(ref.label, ref.name, ref.model.name))
        if ref.state.column != ref.name:
            planner.searches.extend(field_searches(ref.label, ref.state.column, ref.model.name))
        planner.removed_fields[ref.label.lower()] = ref.model.app_label
    return refs


def write_field_removals(planner: RemovalPlanner, collected: list) -> None:
    if planner.phase == 2:
        for pending in collected:
            operations = planner.app(pending.app_label)
            operations.add(planner.project.convention.phase_two(planner.project, pending))
            operations.names.append(f"{pending.model}.{pending.field}")
        return
    by_model: dict[tuple[str, str], list[FieldRef]] = {}
    for ref in collected:
        by_model.setdefault((ref.model.app_label, ref.model.name), []).append(ref)
    for fields in by_model.values():
        _remove_from_model(planner, fields)


def pending_deletion(project: Project, app_label: str, model: str, field: str | None) -> PendingDeletion | None:
    return project.index.pending(app_label).get((model.lower(), field.lower() if field else None))


def _present_field(project: Project, target: str) -> FieldRef:
    app_label, model_name, field_name = split_target(target, 3)
    project.app(app_label)
    pending = pending_deletion(project, app_label, model_name, field_name)
    if pending:
        raise AssistantError(
            f"{target} is already pending deletion (moved by {app_label}/{pending.migration.name}): "
            f"run phase 2 once that has deployed (remove-field {target} --phase 2)"
        )
    ref = resolve_field(project, target)
    state = ref.state
    if ref.model.state is None or state is None:
        raise AssistantError(f"{ref.label} is in the model but not in the migrations: run makemigrations for it first")
    if state.is_many_to_many:
        raise AssistantError(f"{ref.label} is a ManyToManyField: remove its through table (a model) instead")
    if "primary_key" in state.kwargs:
        raise AssistantError(f"{ref.label} is the primary key of {ref.model.label}: it cannot be removed")
    in_state = ref.model.state.options.get("ordering")
    ordering = [ref.model.source.meta.get("ordering"), in_state.expr if in_state else None]
    if any(node is not None and referenced_fields(node, {ref.name: ref.name}) for node in ordering):
        raise AssistantError(
            f"{ref.model.label}.Meta.ordering uses {ref.name}: change the ordering first (it needs its own migration)"
        )
    return ref


def _pending_field(planner: RemovalPlanner, target: str) -> PendingDeletion:
    project = planner.project
    app_label, model_name, field_name = split_target(target, 3)
    project.app(app_label)
    pending = pending_deletion(project, app_label, model_name, field_name)
    if pending is None:
        state = project.index.model_state(app_label, model_name)
        if state is not None and state.field(field_name) is not None:
            raise AssistantError(
                f"{target} is not pending deletion: run phase 1 first (remove-field {target} --phase 1), "
                "and phase 2 once that has deployed"
            )
        known = [p.target for p in project.index.pending(app_label).values() if p.field]
        raise AssistantError(
            f"{target} is not a field pending deletion"
            + (f" (pending in {app_label}: {', '.join(known)})" if known else "")
        )
    planner.check_phase_one_shipped(pending)
    return pending


def _remove_from_model(planner: RemovalPlanner, fields: list[FieldRef]) -> None:
    model = fields[0].model
    state = model.state
    operations = planner.app(model.app_label)
    model_name = state.name.lower()
    aliases = {}
    for ref in fields:
        aliases[ref.name] = ref.name
        aliases[ref.state.column] = ref.name
        changes = {}
        if not ref.state.null and not ref.state.has_db_default:
            changes["null"] = True
        if ref.state.db_constraint:
            changes["db_constraint"] = False
        definition = altered_field(ref.state, changes) if changes else None
        if definition:
            node, imports = definition
            operations.alter.append(
                django_op("AlterField", imports, model_name=model_name, name=ref.state.name, field=node)
            )
        operations.add(planner.project.convention.field_phase_one(planner.project, state, ref.state, definition))
        operations.names.append(f"{model_name}.{ref.name}")
    for index in state.indexes:
        if referenced_fields(index.expr, aliases):
            _require_name(index.name, "index", model.label)
            operations.drop.append(django_op("RemoveIndex", model_name=model_name, name=index.name))
    for constraint in state.constraints:
        if referenced_fields(constraint.expr, aliases):
            _require_name(constraint.name, "constraint", model.label)
            operations.drop.append(django_op("RemoveConstraint", model_name=model_name, name=constraint.name))
    remaining = [group for group in state.unique_together if not set(group) & set(aliases)]
    if len(remaining) != len(state.unique_together):
        operations.drop.append(django_op("AlterUniqueTogether", name=model_name, unique_together=set(remaining)))
    path = planner.project.relative(model.source.path)

    def uses(code: str) -> bool:
        return bool(referenced_fields(parse_expression(code), aliases))

    from migrate_assistant.codemods.model_class import remove_fields  # libcst: imported when first needed

    source = planner.changes.read(path)
    planner.changes.write(path, remove_fields(source, path, model.name, {ref.name for ref in fields}, uses))


def _require_name(name: str, what: str, model: str) -> None:
    if not name:
        raise AssistantError(f"an unnamed {what} of {model} uses the field: name it in a migration first")
