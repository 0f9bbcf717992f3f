"""What can be removed, and which phase is due for each: the assistant's picker lists these."""

from __future__ import annotations

from dataclasses import dataclass

from migrate_assistant.migration_state import FieldState
from migrate_assistant.project import Project


@dataclass(frozen=True)
class Target:
    label: str
    kind: str
    phase: int
    detail: str


def removal_targets(project: Project) -> list[Target]:
    """Every concrete model and its fields (phase 1 due) and every pending deletion (phase 2 due)."""
    index = project.index
    found = []
    for label in sorted(project.apps):
        state = index.state(label)
        for model in sorted(index.models.get(label, []), key=lambda m: m.name.lower()):
            model_state = state.model(model.name)
            if not model.concrete or model_state is None:
                continue
            silo = next((d.rsplit(".", 1)[-1] for d in model.decorators if "silo" in d), "no silo decorator")
            detail = f"table {model_state.table}" + (f" · {silo}" if project.convention.assigns_silo else "")
            found.append(Target(f"{label}.{model.name}", "model", 1, detail))
            for name in model.fields:
                field = model_state.field(name)
                if field is None or field.is_many_to_many or "primary_key" in field.kwargs:
                    continue
                found.append(Target(f"{label}.{model.name}.{name}", "field", 1, describe(field)))
        for pending in index.pending(label).values():
            where = f"{pending.app_label}/{pending.migration.name}"
            found.append(Target(pending.target, pending.kind, 2, f"pending deletion since {where}"))
    return found


def describe(field: FieldState) -> str:
    parts = [field.class_name]
    if field.is_relation and field.target:
        parts.append(f"→ {field.target}")
    parts.append("null" if field.null else "db_default" if field.has_db_default else "NOT NULL")
    return " · ".join(parts)


def migration_targets(project: Project) -> list[Target]:
    """Every migration of every app, newest first, for the SQL preview."""
    graph = project.index.graph
    found = []
    for label in sorted(project.apps):
        for name in reversed(graph.app_names(label)):
            found.append(Target(f"{label}/{name}", "migration", 0, project.relative(graph.nodes[(label, name)].path)))
    return found


def app_targets(project: Project) -> list[Target]:
    """Each app, for a data migration that names no model."""
    return [Target(label, "app", 0, f"app {label}, no model") for label in sorted(project.apps)]
