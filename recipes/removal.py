"""What the removal recipes share: one migration per app, references, steps."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from migrate_assistant.errors import AssistantError, UsageError
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
    leftovers: list = field(default_factory=list)  # dropped at the end of this migration (``state_only``)
    drop_later: list = field(default_factory=list)  # dropped by a second migration of the same PR

    def add(self, removal) -> None:
        """Take a convention's ``Removal`` for one field or model."""
        self.safe.extend(removal.ops)
        self.leftovers.extend(removal.drop)
        self.drop_later.extend(removal.drop_later)


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
        from migrate_assistant.git_state import file_on_main  # phase 2 only

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
            from migrate_assistant.deployments import deployment_source  # phase 2 only

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
        dropped: dict[str, str] = {}  # the second, after_deploy migration of an app (django-safemigrate)
        convention = self.project.convention
        for label in self._app_order():
            operations = self.apps[label]
            suffix = self.name or suggested_name(
                operations.names[0].split("."), len(operations.names) > 1, PHASE_WORDS[self.phase]
            )
            self._check_restorable(label, operations.leftovers)
            self._check_restorable(label, operations.drop_later)
            ops = operations.alter + operations.drop + operations.safe + convention.drop(operations.leftovers)
            after = [(app, written[app]) for app in sorted(operations.after)]
            marker = "before_deploy" if self.phase == 1 else "after_deploy"
            written[label] = add_migration(self.project, self.changes, label, suffix, ops, after, safe=marker)
            self.migrations.append(f"{label}/{written[label]}")
            if self.forced:
                self._record_force(label, written[label])
            if operations.drop_later:
                drop_suffix = self.name + "_drop" if self.name else suffix.removesuffix("_pending") + "_drop"
                dropped[label] = add_migration(
                    self.project,
                    self.changes,
                    label,
                    check_name(drop_suffix),
                    convention.drop(operations.drop_later),
                    [(app, dropped[app]) for app in sorted(operations.after) if app in dropped],
                    follows=written[label],
                    safe="after_deploy",
                )
                self.migrations.append(f"{label}/{dropped[label]}")
        return self.plan(
            title,
            steps,
            1 if self.phase == 1 else self.project.convention.phase_two_step,
            self._next_steps(phase_two_command),
            "may still use what is removed: remove them before phase 1 ships",
        )

    def _check_restorable(self, label: str, leftovers: list) -> None:
        """A column is dropped after its field is given back to the state, which needs the model a foreign key
        points at: refuse when that model is gone from the state and not given back in the same migration."""
        gone = {f"{p.app_label}.{p.model}" for p in self.project.index.pending_deletions if p.field is None}
        gone |= {
            f"{app}.{item.model_name}"
            for app, ops in self.apps.items()
            for item in ops.leftovers + ops.drop_later
            if item.field is None
        }
        restored_here = {f"{label}.{item.model_name}" for item in leftovers if item.field is None}
        for item in leftovers:
            field = item.model.field(item.field) if item.field else None
            target = field.target if field is not None and field.is_relation else None
            if target in gone and target not in restored_here:
                raise AssistantError(
                    f"{label}.{item.model.name}.{item.field} points at {target}, which is removed from the state too: "
                    "its column can only be dropped while that model is known to Django. Drop the column first "
                    f"(remove-field {label}.{item.model.name}.{item.field} on its own), then remove the model"
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
        if self.project.convention.drops_in_same_pr and self.phase == 1:
            return [
                f"Ship {written} in one PR.",
                "Deploy: run manage.py safemigrate before the new code goes out (the columns and tables stay), "
                "then migrate once it is out (they are dropped).",
            ]
        if self.phase == 1:
            return [
                f"Ship {written} in its own PR and deploy it.",
                f"Once it has deployed everywhere, write phase 2: {phase_two_command}",
            ]
        return [f"Ship {written} in a PR merged only after phase 1 has deployed."]
