"""The lifecycle of every pending deletion: phase 1 and phase 2, each written / merged / deployed.

The convention says how phase 1 (the move) and phase 2 (the drop) show in the
graph. "Merged" is read from the main branch, "deployed" from the configured
source (``deployments.py``); what the source cannot tell is ``None`` and said
so. A deletion is listed until its phase 2 has deployed (without a source:
until phase 2 is merged, as later stages cannot be known).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from .deployments import Deployments, MainBranch, deployment_source, first_parent_arrivals, main_branch
from .errors import AssistantError
from .migration_files import MigrationFile, Operation
from .migration_state import replay
from .project import Project

STAGES = (
    "phase-1-written",
    "phase-1-merged",
    "phase-1-deployed",
    "phase-2-written",
    "phase-2-merged",
    "phase-2-deployed",
)
NOW_VARIABLE = "MIGRATE_ASSISTANT_NOW"


def now() -> datetime:
    """The current time (UTC); ``MIGRATE_ASSISTANT_NOW`` (ISO 8601) fixes it, e.g. for tests and reports."""
    fixed = os.environ.get(NOW_VARIABLE)
    if not fixed:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(fixed)
    except ValueError:
        raise AssistantError(f"{NOW_VARIABLE}={fixed!r} is not an ISO 8601 date or time") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(frozen=True)
class PhaseState:
    """One phase's migration and how far it has gone (``None``: cannot be known)."""

    migration: str  # "app/name"
    path: str
    merged: bool | None
    merged_at: datetime | None
    deployed: bool | None
    deployed_at: datetime | None
    mark: str | None = None  # what the migration does, in the convention's words (not in JSON)
    unknown: str | None = None  # why the source cannot tell whether it deployed (not in JSON)

    def as_json(self) -> dict:
        return {
            "migration": self.migration,
            "path": self.path,
            "merged": self.merged,
            "merged_at": _iso(self.merged_at),
            "deployed": self.deployed,
            "deployed_at": _iso(self.deployed_at),
        }


@dataclass(frozen=True)
class Lifecycle:
    """A field or model moved to pending deletion, and where its two phases are."""

    target: str
    kind: str  # "field" or "model"
    table: str | None
    column: str | None
    phase_1: PhaseState
    phase_2: PhaseState | None
    waiting_days: int | None  # since phase 1 deployed, while phase 2 has not
    forgotten: bool  # phase 1 deployed longer than phase-2-after-days ago and no phase 2 written
    command: str | None  # what to run next, if anything
    line: int = 1  # of phase 1's operation in its migration (not in JSON)

    @property
    def stage(self) -> str:
        phase, state = (2, self.phase_2) if self.phase_2 else (1, self.phase_1)
        step = "deployed" if state.deployed else "merged" if state.merged else "written"
        return f"phase-{phase}-{step}"

    def as_json(self) -> dict:
        return {
            "target": self.target,
            "kind": self.kind,
            "table": self.table,
            "column": self.column,
            "stage": self.stage,
            "phase_1": self.phase_1.as_json(),
            "phase_2": self.phase_2.as_json() if self.phase_2 else None,
            "waiting_days": self.waiting_days,
            "forgotten": self.forgotten,
            "command": self.command,
        }


@dataclass(frozen=True)
class LifecycleReport:
    source: str | None  # "database", "git-ref" or None
    description: str
    main_branch: str | None
    phase_2_after_days: int
    now: datetime
    items: list[Lifecycle]

    @property
    def forgotten(self) -> list[Lifecycle]:
        return [item for item in self.items if item.forgotten]

    def as_json(self) -> dict:
        return {
            "source": self.source,
            "description": self.description,
            "main_branch": self.main_branch,
            "phase_2_after_days": self.phase_2_after_days,
            "now": _iso(self.now),
        }


@dataclass(frozen=True)
class _Phases:
    app_label: str
    model: str
    field: str | None
    move: tuple[MigrationFile, Operation]
    delete: tuple[MigrationFile, Operation] | None


def lifecycles(
    project: Project, deployments: Deployments | None = None, include_finished: bool = False
) -> LifecycleReport:
    """The lifecycle of every deletion not yet finished (with ``include_finished``, of every deletion
    in the graph), in each app's migration order."""
    deployments = deployments if deployments is not None else deployment_source(project)
    main = main_branch(project)
    moment = now()
    days = project.config.phase_2_after_days
    listed = []
    for phases in _all_phases(project):
        second = phases.delete[0] if phases.delete else None
        if second is not None and not include_finished:
            deployed = deployments.deployed(second.key, second.replaces)
            if deployed or (not deployments.known and main.merged(project.relative(second.path))):
                continue  # finished (without a source, nothing after "merged" can be known)
        listed.append(phases)
    migrations = {m.key: m for phases in listed for m in (phases.move[0], phases.delete and phases.delete[0]) if m}
    paths = {key: project.relative(migration.path) for key, migration in migrations.items()}
    merged = [path for path in paths.values() if main.merged(path)]
    dates = _Dates(
        first_parent_arrivals(project.root, main.ref, merged) if main.ref else {},
        deployments.deployed_dates(project.root, paths),
    )
    items = [_lifecycle(project, phases, main, deployments, dates, moment, days) for phases in listed]
    return LifecycleReport(deployments.kind, deployments.description, main.ref, days, moment, items)


@dataclass(frozen=True)
class _Dates:
    merged: dict[str, datetime]  # path → when it reached the main branch
    deployed: dict[tuple[str, str], datetime]  # migration key → when it reached production


def _lifecycle(project, phases: _Phases, main, deployments, dates: _Dates, moment: datetime, days: int) -> Lifecycle:
    kind = "field" if phases.field else "model"
    first = _phase_state(project, phases.move[0], (1, kind), main, deployments, dates)
    second = _phase_state(project, phases.delete[0], (2, kind), main, deployments, dates) if phases.delete else None
    pending = _pending(project, phases)
    model_state = pending.model_state if pending else None
    target = pending.target if pending else ".".join(filter(None, [phases.app_label, phases.model, phases.field]))
    waiting = second is None or second.deployed is False  # not while phase 2's deploy is done or unknown
    waited = moment - first.deployed_at if first.deployed_at and waiting else None
    command = None
    if second is None:
        verb = "remove-field" if phases.field else "remove-model"
        command = f"migrate-assistant {verb} {target} --phase 2"
    return Lifecycle(
        target=target,
        kind=kind,
        table=model_state.table if model_state else None,
        column=pending.field_state.column if pending and pending.field_state else None,
        phase_1=first,
        phase_2=second,
        waiting_days=waited.days if waited is not None else None,
        forgotten=second is None and waited is not None and waited > timedelta(days=days),
        command=command,
        line=phases.move[1].line,
    )


def _phase_state(
    project: Project,
    migration: MigrationFile,
    phase: tuple[int, str],
    main: MainBranch,
    deployments: Deployments,
    dates: _Dates,
) -> PhaseState:
    """``phase``: its number and what is removed (``field`` / ``model``)."""
    path = project.relative(migration.path)
    deployed = deployments.deployed(migration.key, migration.replaces)
    unknown = project.convention.deployed_unknown(migration, deployments.kind) if deployed else None
    return PhaseState(
        migration=f"{migration.app_label}/{migration.name}",
        path=path,
        merged=main.merged(path),
        merged_at=dates.merged.get(path),
        deployed=None if unknown else deployed,
        deployed_at=None if unknown else dates.deployed.get(migration.key),
        mark=project.convention.lifecycle_mark(*phase, migration),
        unknown=unknown,
    )


def _pending(project: Project, phases: _Phases):
    key = (phases.model, phases.field)
    if phases.delete is None:
        return project.index.pending(phases.app_label).get(key)
    state = replay(
        project.index.graph,
        phases.app_label,
        {phases.model},
        before=phases.delete[0].key,
        state_only_pending=project.convention.state_only_pending,
    )
    return state.pending.get(key) or state.restored.get(key)


def _all_phases(project: Project) -> list[_Phases]:
    """Every move to pending deletion in the graph, with the drop that followed it (if any); a move the state
    got back without a drop is undone, not listed."""
    found: list[_Phases | None] = []
    graph = project.index.graph
    for label in sorted(project.apps):
        open_: dict[tuple[str, str | None], int] = {}
        restored: set[tuple[str, str | None]] = set()
        for migration in graph.app_order(label):
            watched = {model for model, _ in open_}
            for step, key, op in project.convention.deletion_steps(migration, watched):
                if step == "move":
                    if key in restored:
                        found[open_[key]] = None
                        restored.discard(key)
                    open_[key] = len(found)
                    found.append(_Phases(label, key[0], key[1], (migration, op), None))
                elif key not in open_:
                    continue
                elif step == "drop":
                    restored.discard(key)
                    index = open_.pop(key)
                    found[index] = replace(found[index], delete=(migration, op))
                elif step == "restore":
                    restored.add(key)
                else:  # added back for real: no longer pending
                    restored.discard(key)
                    found[open_.pop(key)] = None
        for key in restored:
            found[open_.pop(key)] = None
    return [phases for phases in found if phases is not None]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def text_lines(report: LifecycleReport) -> list[str]:
    """The lifecycle section of ``status``."""
    if not report.items:
        return []
    lines = [f"Lifecycle (merged: {report.main_branch or 'no main branch found'}; deployed: {report.description}):"]
    for item in report.items:
        waited = f", waiting {item.waiting_days} day(s)" if item.waiting_days is not None else ""
        lines.append(f"  {item.target}  {item.stage.replace('-', ' ')}{waited}")
        lines.append(f"      phase 1 {_named(item.phase_1)}: {_phase_text(item.phase_1)}")
        second = f"{_named(item.phase_2)}: {_phase_text(item.phase_2)}" if item.phase_2 else "not written"
        lines.append(f"      phase 2 {second}")
    if report.forgotten:
        lines.append("")
        lines.append(f"Forgotten phase 2 (phase 1 deployed more than {report.phase_2_after_days} days ago):")
        for item in report.forgotten:
            lines.append(f"  {item.target}  phase 1 deployed {item.waiting_days} days ago")
            lines.append(f"      run: {item.command}")
    return lines


def _named(state: PhaseState) -> str:
    return f"{state.migration} ({state.mark})" if state.mark else state.migration


def _phase_text(state: PhaseState) -> str:
    def when(done: bool | None, moment: datetime | None, word: str, unknown: str) -> str:
        if done is None:
            return f"{word}: unknown ({unknown})"
        if not done:
            return f"not {word}"
        return f"{word} {moment.date().isoformat()}" if moment else word

    return ", ".join(
        [
            "written",
            when(state.merged, state.merged_at, "merged", "no main branch"),
            when(state.deployed, state.deployed_at, "deployed", state.unknown or "no deployment source"),
        ]
    )
