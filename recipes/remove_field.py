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

from dataclasses import dataclass
from functools import partial

from migrate_assistant.check_references import refuse_broken_checks
from migrate_assistant.errors import AssistantError
from migrate_assistant.field_usage import parse_expression, referenced_fields
from migrate_assistant.migration_state import PendingDeletion
from migrate_assistant.operations import altered_field, call, django_op
from migrate_assistant.plan import Plan
from migrate_assistant.project import Project
from migrate_assistant.references import field_searches
from migrate_assistant.targets import FieldRef, ModelRef, not_migrated, resolve_field, resolve_model, split_target

from .relation_blockers import (
    check_generic_parts,
    check_through_foreign_key,
    generic_foreign_keys,
    removed_state_only,
)
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
        f"Remove field{'s' if len(targets) > 1 else ''} {', '.join(targets)} — {project.convention.removal_phase(phase)}",
        project.convention.field_steps(),
        f"migrate-assistant remove-field {' '.join(targets)} --phase 2",
        force,
    )


def collect_field_removals(planner: RemovalPlanner, targets: list[str]) -> list:
    """Resolve and check the targets (nothing is edited yet); phase 2 gets the pending deletions."""
    if planner.phase == 2:
        pendings = [_pending_field(planner, target) for target in unique(targets)]
        pendings = [pending for pending in pendings if pending is not None]
        planner.removed_fields.update({pending.target.lower(): pending.app_label for pending in pendings})
        return pendings
    generic = [ref for ref in map(partial(_generic_foreign_key, planner.project), unique(targets)) if ref]
    named = {ref.label for ref in generic}
    refs = [_present_field(planner.project, target) for target in unique(targets) if target not in named]
    planner.removed_fields.update({ref.label.lower(): ref.model.app_label for ref in refs})
    for ref in refs:
        others = {other.name for other in refs + generic if other.model.label == ref.model.label}
        check_generic_parts(planner.project, ref.model, others, "removing")
        if ref.state.is_relation and not ref.state.is_many_to_many:
            check_through_foreign_key(planner.project, ref, set(planner.removed_fields))
    _refuse_broken_checks(planner.project, refs)
    for ref in refs:
        planner.searches.extend(field_searches(ref.label, ref.name, ref.model.name))
        if ref.state.column != ref.name:
            planner.searches.extend(field_searches(ref.label, ref.state.column, ref.model.name))
    return refs + generic


def _refuse_broken_checks(project: Project, refs: list[FieldRef]) -> None:
    """Refuse while an admin option or another model's ordering still names a removed field."""
    by_model: dict[str, list[FieldRef]] = {}
    for ref in refs:
        by_model.setdefault(ref.model.label, []).append(ref)
    for fields in by_model.values():
        names = {ref.name for ref in fields} | {ref.state.column for ref in fields if ref.state.column != ref.name}
        names |= {f"{ref.name}_id" for ref in fields if ref.state.is_relation and not ref.state.is_many_to_many}
        labels = ", ".join(ref.label for ref in fields)
        refuse_broken_checks(project, fields[0].model, names, f"removing {labels}")


def write_field_removals(planner: RemovalPlanner, collected: list) -> None:
    if planner.phase == 2:
        for pending in collected:
            operations = planner.app(pending.app_label)
            operations.add(planner.project.convention.phase_two(planner.project, pending))
            operations.names.append(f"{pending.model}.{pending.field}")
        return
    by_model: dict[tuple[str, str], list] = {}
    for ref in collected:
        by_model.setdefault((ref.model.app_label, ref.model.name), []).append(ref)
    for fields in by_model.values():
        _remove_from_model(planner, [ref for ref in fields if isinstance(ref, FieldRef)], fields)


@dataclass(frozen=True)
class GenericRef:
    """A GenericForeignKey being removed with its parts: no column, only the class attribute goes."""

    model: ModelRef
    name: str

    @property
    def label(self) -> str:
        return f"{self.model.label}.{self.name}"


def _generic_foreign_key(project: Project, target: str) -> GenericRef | None:
    app_label, model_name, name = split_target(target, 3)
    source = project.index.model_source(app_label, model_name) if app_label in project.apps else None
    if source is None or name not in generic_foreign_keys(source):
        return None
    return GenericRef(resolve_model(project, app_label, model_name), name)


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
        raise not_migrated(ref)
    if state.is_many_to_many and "through" not in state.kwargs:
        raise AssistantError(
            f"{ref.label} is a ManyToManyField without a through model: removing it drops its join table; "
            "give it an explicit through model first"
        )
    if "primary_key" in state.kwargs:
        raise AssistantError(f"{ref.label} is the primary key of {ref.model.label}: it cannot be removed")
    in_state = ref.model.state.options.get("ordering")
    ordering = [ref.model.source.meta.get("ordering"), in_state.expr if in_state else None]
    if any(node is not None and referenced_fields(node, {ref.name: ref.name}) for node in ordering):
        raise AssistantError(
            f"{ref.model.label}.Meta.ordering uses {ref.name}: change the ordering first (it needs its own migration)"
        )
    return ref


def _pending_field(planner: RemovalPlanner, target: str) -> PendingDeletion | None:
    project = planner.project
    app_label, model_name, field_name = split_target(target, 3)
    project.app(app_label)
    pending = pending_deletion(project, app_label, model_name, field_name)
    if pending is None and removed_state_only(project, app_label, model_name, field_name):
        planner.warnings.append(
            f"{target} was removed from Django's state only in phase 1 (a ManyToManyField with a through "
            "model has no column): phase 2 has nothing to drop for it"
        )
        return None
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


def _remove_from_model(planner: RemovalPlanner, fields: list[FieldRef], removed: list) -> None:
    """Phase 1 of the fields of one model; ``removed`` also holds GenericForeignKeys going with them."""
    model = removed[0].model
    if not fields:
        _remove_from_source(planner, model, {ref.name for ref in removed}, {})
        return
    state = model.state
    operations = planner.app(model.app_label)
    model_name = state.name.lower()
    aliases = {}
    for ref in fields:
        aliases[ref.name] = ref.name
        if ref.state.is_many_to_many:  # through a model of its own: the join table stays, state only
            state_only = call("migrations.RemoveField", model_name=model_name, name=ref.state.name)
            operations.drop.append(django_op("SeparateDatabaseAndState", state_operations=[state_only]))
            operations.names.append(f"{model_name}.{ref.name}")
            continue
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
    _remove_from_source(planner, model, {ref.name for ref in removed}, aliases)


def _remove_from_source(planner: RemovalPlanner, model: ModelRef, names: set[str], aliases: dict[str, str]) -> None:
    path = planner.project.relative(model.source.path)

    def uses(code: str) -> bool:
        return bool(referenced_fields(parse_expression(code), aliases))

    from migrate_assistant.codemods.model_class import remove_fields  # libcst: imported when first needed

    source = planner.changes.read(path)
    planner.changes.write(path, remove_fields(source, path, model.name, names, uses))


def _require_name(name: str, what: str, model: str) -> None:
    if not name:
        raise AssistantError(f"an unnamed {what} of {model} uses the field: name it in a migration first")
