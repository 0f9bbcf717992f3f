"""Both phases of a removal up front, as two stacked branches (Sentry's guidance since 2026).

``<name>-phase-1`` holds phase 1; ``<name>-phase-2``, on top of it, holds phase 2
planned on phase 1's result. Each gets a commit message and a PR description:
what it does, the order, "merge only after phase 1 has deployed", and how to
roll back. Only the plans and texts are made here; ``stacked_branches`` writes.
"""

from __future__ import annotations

from dataclasses import replace

from migrate_assistant.plan import Plan, branch_slug
from migrate_assistant.project import Project
from migrate_assistant.stacked_branches import StackedPhase

from .remove import plan_removals
from .remove_field import plan_remove_fields
from .remove_model import plan_remove_models

PLANNERS = {"remove-field": plan_remove_fields, "remove-model": plan_remove_models, "remove": plan_removals}
WHAT = {1: "move to pending deletion", 2: "drop"}
ROLLBACK = {
    1: (
        "Phase 1 changes nothing in the database: its removal is from Django's state only, Django forgets the "
        "column or table (the `AlterField`s before it make it nullable or drop its "
        "foreign key constraint, which is harmless to keep). To roll back, revert this PR: the code uses the "
        "column/table again and the data is all still there. Revert it before phase 2 is merged."
    ),
    2: (
        "Phase 2 drops the column/table: its data is gone. Reverting the code is not enough; the migration's "
        "backwards step re-creates it empty, so restoring data means a backup. Check before merging that nothing "
        "has written to it since phase 1 deployed."
    ),
}


def branch_name(targets: list[str]) -> str:
    """``remove-<targets>``, e.g. ``remove-organization-default-role``."""
    return branch_slug("remove " + " ".join(target.split(".", 1)[-1] for target in targets))


def stacked_removal(command: str, targets: list[str], name: str | None, branch: str | None) -> list[StackedPhase]:
    plan = PLANNERS[command]
    base = branch or branch_name(targets)
    phase_1, phase_2 = f"{base}-phase-1", f"{base}-phase-2"
    branches = {1: phase_1, 2: phase_2}

    def plan_phase_2(project: Project) -> Plan:
        # Written before phase 1 deploys by design: the PR order, not this run, is the gate.
        project.config = replace(project.config, database_url=None, deployed_ref=None)
        return plan(project, targets, 2, None)

    def message(phase: int):
        def text(planned: Plan) -> str:
            files = "\n".join(f"- {edit.path}" for edit in planned.edits)
            order = "" if phase == 1 else f"\n\nMerge only after {phase_1} has deployed."
            return f"{planned.title} ({WHAT[phase]})\n\nPhase {phase} of 2, written by migrate-assistant {command}.{order}\n\n{files}\n"

        return text

    def description(phase: int):
        def text(planned: Plan, commits: dict[str, str]) -> str:
            return pr_description(phase, planned, branches, commits)

        return text

    return [
        StackedPhase(phase_1, lambda project: plan(project, targets, 1, name), message(1), description(1)),
        StackedPhase(phase_2, plan_phase_2, message(2), description(2)),
    ]


def pr_description(phase: int, plan: Plan, branches: dict[int, str], commits: dict[str, str]) -> str:
    migrations = [edit.path for edit in plan.edits if edit.kind == "create" and "/migrations/" in edit.path]
    other = [edit.path for edit in plan.edits if edit.path not in migrations]
    lines = [
        f"## {plan.title}",
        "",
        f"Phase {phase} of 2 ({WHAT[phase]}), stacked branches written by migrate-assistant.",
        "",
    ]
    lines += ["### What it does", ""]
    lines += [f"- {step}" for step in (plan.steps[1:2] if phase == 1 else plan.steps[3:4])]
    lines += [f"- New migration: `{path}`" for path in migrations]
    lines += [f"- Changes `{path}`" for path in other]
    lines += ["", "### Order", ""]
    lines += [
        f"1. `{branches[1]}` ({commits.get(branches[1], '?')}): phase 1. Merge it and let it **deploy**.",
        f"2. `{branches[2]}` ({commits.get(branches[2], '?')}): phase 2, on top of phase 1. "
        f"**Merge only after phase 1 has deployed** — not merely merged.",
    ]
    if phase == 2:
        lines += ["", f"This PR is based on `{branches[1]}`: once that has merged, rebase it onto the main branch."]
        lines += [
            "`migrate-assistant remove-… --phase 2` refuses while the deployment source says phase 1 has not "
            "deployed; `migrate-assistant status` shows where it is."
        ]
    lines += ["", "### Rollback", "", ROLLBACK[phase]]
    if plan.references:
        lines += ["", "### Code that may still use it", ""]
        lines += [f"- `{reference}`" for reference in plan.references[:25]]
    return "\n".join(lines) + "\n"
