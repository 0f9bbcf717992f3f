"""What the removal recipes share: one migration per app, references, steps."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from migrate_assistant.deployments import deployment_source
from migrate_assistant.errors import AssistantError, UsageError
from migrate_assistant.git_state import file_on_main
from migrate_assistant.migration_state import PendingDeletion
from migrate_assistant.migration_writer import Op
from migrate_assistant.new_migration import add_migration, check_name, suggested_name
from migrate_assistant.plan import Plan
from migrate_assistant.project import Project

from .planning import Planner

PHASE_WORDS = {1: "pending", 2: "drop"}


def unique(targets: list[str]) -> list[str]:
    return list(dict.fromkeys(targets))


def plan_removal(
    project,
    phase: int,
    name: str | None,
    parts: list,
    title: str,
    steps: list[str],
    command: str,
    force: str | None = None,
) -> Plan:
    """Collect every part (``(collect, write, targets)``: resolve and check, nothing edited), start
    the reference scan, then write each part: one migration per app. ``force`` is the reason to
    write phase 2 although phase 1 is known not to have deployed (recorded in the migration)."""
    if force and phase != 2:
        raise UsageError("--force is for phase 2 only (it overrides the check that phase 1 has deployed)")
    planner = RemovalPlanner(project, phase, name, force)
    collected = [(write, collect(planner, targets)) for collect, write, targets in parts]
    planner.start_reference_scan()
    for write, items in collected:
        write(planner, items)
    return planner.finish(title, steps, command)


@dataclass
class AppOperations:
    """One app's share of a removal migration, in the order they are written."""

    alter: list[Op] = field(default_factory=list)
    drop: list[Op] = field(default_factory=list)
    safe: list[Op] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    after: set[str] = field(default_factory=set)


class RemovalPlanner(Planner):
    """Collects what each removed field or model needs, then writes one migration per app."""

    def __init__(self, project: Project, phase: int, name: str | None, force: str | None = None):
        super().__init__(project)
        self.phase = phase
        self.force = " ".join(force.split()) if force else None
        self.forced: list[str] = []  # phase 1 migrations known not to have deployed
        self._deployments = None
        self.name = check_name(name) if name else None
        self.apps: dict[str, AppOperations] = {}
        self.migrations: list[str] = []
        self.removed_fields: dict[str, str] = {}  # "app.model.field" (lower case) -> app of the migration

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
        self._check_phase_one_deployed(pending)

    def _check_phase_one_deployed(self, pending: PendingDeletion) -> None:
        """Refuse phase 2 when the deployment source says phase 1 has not deployed (unless forced)."""
        if self._deployments is None:
            self._deployments = deployment_source(self.project)
        migration = pending.migration
        if self._deployments.deployed(migration.key, migration.replaces) is not False:
            return
        where = f"{pending.target} ({pending.app_label}/{migration.name})"
        if not self.force:
            raise AssistantError(
                f"phase 1 of {where} has not deployed according to {self._deployments.description}: "
                "write phase 2 once it has (or --force REASON to override)"
            )
        self.forced.append(f"{pending.app_label}/{migration.name}")
        self.warnings.append(f"phase 1 of {where} has not deployed; writing phase 2 anyway: {self.force}")

    def finish(self, title: str, steps: list[str], phase_two_command: str) -> Plan:
        written: dict[str, str] = {}
        for label in self._app_order():
            operations = self.apps[label]
            suffix = self.name or suggested_name(
                operations.names[0].split("."), len(operations.names) > 1, PHASE_WORDS[self.phase]
            )
            ops = operations.alter + operations.drop + operations.safe
            after = [(app, written[app]) for app in sorted(operations.after)]
            written[label] = add_migration(self.project, self.changes, label, suffix, ops, after)
            self.migrations.append(f"{label}/{written[label]}")
            if self.forced:
                self._record_force(label, written[label])
        return self.plan(
            title,
            steps,
            1 if self.phase == 1 else 3,
            self._next_steps(phase_two_command),
            "may still use what is removed: remove them before phase 1 ships",
        )

    def _record_force(self, label: str, name: str) -> None:
        path = self.project.relative(self.project.app(label).migrations_dir / f"{name}.py")
        text = (
            f"Phase 2 written before phase 1 ({', '.join(self.forced)}) was known to have deployed "
            f"(--force): {self.force}"
        )
        note = "".join(f"# {line}\n" for line in textwrap.wrap(text, self.project.line_length - 2))
        text = self.changes.read(path)
        self.changes.write(path, text.replace("\n\nclass Migration(", f"\n\n{note}class Migration(", 1))

    def _app_order(self) -> list[str]:
        """Apps whose migration others must follow come first."""
        order: list[str] = []
        pending = dict(sorted(self.apps.items()))
        while pending:
            ready = [label for label, ops in pending.items() if ops.after <= set(order)]
            if not ready:
                raise AssistantError(f"the removals in {', '.join(pending)} depend on each other: split them")
            order.extend(ready)
            for label in ready:
                del pending[label]
        return order

    def _next_steps(self, phase_two_command: str) -> list[str]:
        written = ", ".join(self.migrations)
        if self.phase == 1:
            return [
                f"Ship {written} in its own PR and deploy it.",
                f"Once it has deployed everywhere, write phase 2: {phase_two_command}",
            ]
        return [f"Ship {written} in a PR merged only after phase 1 has deployed."]
