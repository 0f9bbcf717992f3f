"""Remove fields and models together: one migration per app, in the convention's two phases.

Real Sentry migrations remove a model and a column of another model (often
the foreign key pointing at it) in the same phase-1 migration; this composes
the two recipes: fields first, then models.
"""

from __future__ import annotations

from migrate_assistant.plan import Plan
from migrate_assistant.project import Project

from .removal import plan_removal, unique
from .remove_field import collect_field_removals, write_field_removals
from .remove_model import collect_model_removals, write_model_removals


def plan_removals(
    project: Project, targets: list[str], phase: int, name: str | None = None, force: str | None = None
) -> Plan:
    """``targets`` mixes ``app.Model.field`` (fields) and ``app.Model`` (models)."""
    targets = unique(targets)
    fields = [target for target in targets if target.count(".") == 2]
    models = [target for target in targets if target.count(".") != 2]
    parts = [
        (collect_field_removals, write_field_removals, fields),
        (collect_model_removals, write_model_removals, models),
    ]
    return plan_removal(
        project,
        phase,
        name,
        parts,
        f"Remove {', '.join(targets)} — {project.convention.removal_phase(phase)}",
        project.convention.removal_steps(),
        f"migrate-assistant remove {' '.join(targets)} --phase 2",
        force,
    )
