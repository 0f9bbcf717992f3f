"""What the removal recipes share: one migration per app, references, steps."""

from __future__ import annotations

from dataclasses import dataclass, field

from migrate_assistant.git_state import file_on_main
from migrate_assistant.migration_state import PendingDeletion
from migrate_assistant.migration_writer import Op
from migrate_assistant.model_index import class_spans
from migrate_assistant.new_migration import add_migration, check_name, suggested_name
from migrate_assistant.plan import Changeset, Plan
from migrate_assistant.project import Project
from migrate_assistant.pysource import parse_source
from migrate_assistant.references import Search, find_references

PHASE_WORDS = {1: "pending", 2: "drop"}


@dataclass
class AppOperations:
    """One app's share of a removal migration, in the order they are written."""

    alter: list[Op] = field(default_factory=list)
    drop: list[Op] = field(default_factory=list)
    safe: list[Op] = field(default_factory=list)
    names: list[str] = field(default_factory=list)


class RemovalPlanner:
    """Collects what each removed field or model needs, then writes one migration per app."""

    def __init__(self, project: Project, phase: int, name: str | None):
        self.project = project
        self.phase = phase
        self.name = check_name(name) if name else None
        self.changes = Changeset(project.root)
        self.apps: dict[str, AppOperations] = {}
        self.searches: list[Search] = []
        self.warnings: list[str] = []
        self.migrations: list[str] = []

    def app(self, label: str) -> AppOperations:
        return self.apps.setdefault(label, AppOperations())

    def check_phase_one_shipped(self, pending: PendingDeletion) -> None:
        """Warn when the phase-1 migration is not on the main branch yet."""
        path = self.project.relative(pending.migration.path)
        on_main = file_on_main(self.project.root, path, self.project.config.main_branch)
        if on_main is False:
            self.warnings.append(
                f"phase 1 of {pending.target} ({pending.app_label}/{pending.migration.name}) is not on the main "
                "branch yet: merge this only after phase 1 has deployed"
            )

    def _model_spans(self, planned: dict[str, str | None]) -> dict[str, list[tuple[int, int, str]]]:
        """Line spans of model classes (in their planned form for edited files)."""
        spans: dict[str, list[tuple[int, int, str]]] = {}
        for models in self.project.index.models.values():
            for model in models:
                path = self.project.relative(model.path)
                spans.setdefault(path, []).append((model.line, model.node.end_lineno, model.name))
        for path, text in planned.items():
            if path in spans:
                spans[path] = class_spans(parse_source(text, path)) if text is not None else []
        return spans

    def finish(self, title: str, steps: list[str], next_steps: list[str]) -> Plan:
        for label, operations in sorted(self.apps.items()):
            suffix = self.name or suggested_name(
                operations.names[0].split("."), len(operations.names) > 1, PHASE_WORDS[self.phase]
            )
            ops = operations.alter + operations.drop + operations.safe
            migration = add_migration(self.project, self.changes, label, suffix, ops)
            self.migrations.append(f"{label}/{migration}")
        edits = self.changes.edits()
        references = []
        if self.phase == 1:
            planned = {edit.path: edit.after for edit in edits}
            references = find_references(
                self.project.root, self.project.python_files, self.searches, planned, self._model_spans(planned)
            )
        if references:
            self.warnings.insert(
                0, f"{len(references)} code reference(s) may still use what is removed: remove them before phase 1 ships"
            )
        return Plan(
            title=title,
            steps=steps,
            current_step=1 if self.phase == 1 else 3,
            edits=edits,
            references=references,
            warnings=self.warnings,
            next_steps=next_steps,
        )
