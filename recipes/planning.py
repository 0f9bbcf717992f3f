"""What every recipe's planning shares: the changeset, warnings, and the reference scan."""

from __future__ import annotations

from migrate_assistant.plan import Changeset, Plan, Reference
from migrate_assistant.plan_check import check_plan_compiles
from migrate_assistant.project import Project
from migrate_assistant.reads import snapshot
from migrate_assistant.reference_owners import ReferenceOwners
from migrate_assistant.references import ReferenceScan, Search


class Planner:
    def __init__(self, project: Project):
        project.index.require_sound_graph()  # a graph Django cannot load stops every write
        self.project = project
        self.changes = Changeset(project.root)
        self.warnings: list[str] = []
        self.searches: list[Search] = []
        self._scan: ReferenceScan | None = None

    def start_reference_scan(self) -> None:
        """Start looking for code that uses what changes (``git grep`` runs while the plan is made)."""
        self._scan = ReferenceScan(self.project.root, self.project.python_files, self.searches)

    def references(self) -> list[Reference]:
        if self._scan is None:
            return []
        planned = {edit.path: edit.after for edit in self.changes.edits()}
        owners = ReferenceOwners(self.project.index)
        found = self._scan.results(planned, owners)
        self.project.index.save_model_spans()
        owners.save()
        return found

    def plan(
        self,
        title: str,
        steps: list[str],
        current: int,
        next_steps: list[str],
        references_warning: str,
        references_step: str = "",
    ) -> Plan:
        """The plan; ``references_step`` leads the next steps when code references were found."""
        references = self.references()
        if references and references_warning:
            self.warnings.insert(0, f"{len(references)} code reference(s) {references_warning}")
        if references and references_step:
            next_steps = [references_step.format(count=len(references)), *next_steps]
        plan = Plan(title, steps, current, self.changes.edits(), references, self.warnings, next_steps)
        check_plan_compiles(plan)  # before any front end shows it
        plan.reads = snapshot(self.project.root)
        return plan
