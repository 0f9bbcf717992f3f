"""The state of a repository's migrations: leaves, lockfile health, pending deletions."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import AssistantError
from .lockfile import Lockfile, has_conflict_markers
from .project import Project
from .pysource import read_source


@dataclass
class AppStatus:
    label: str
    path: str
    leaves: list[str]
    locked: str | None

    @property
    def leaf(self) -> str | None:
        return self.leaves[0] if len(self.leaves) == 1 else None

    @property
    def lockfile_ok(self) -> bool:
        return self.leaf is not None and self.locked == self.leaf


@dataclass
class PendingStatus:
    target: str
    kind: str
    table: str
    column: str | None
    migration: str
    command: str


@dataclass
class Status:
    root: str
    sentry_style: bool
    lockfile: str | None
    lockfile_conflicted: bool
    apps: list[AppStatus]
    pending: list[PendingStatus]
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def lockfile_ok(self) -> bool:
        if self.lockfile is None:
            return True
        return not self.lockfile_conflicted and all(app.lockfile_ok for app in self.apps if app.leaves)

    def as_json(self) -> dict:
        return {
            "root": self.root,
            "sentry_style": self.sentry_style,
            "lockfile": {"path": self.lockfile, "conflicted": self.lockfile_conflicted, "ok": self.lockfile_ok},
            "apps": [
                {
                    "label": app.label,
                    "path": app.path,
                    "leaf": app.leaf,
                    "leaves": app.leaves,
                    "locked": app.locked,
                    "lockfile_ok": app.lockfile_ok if self.lockfile is not None else None,
                }
                for app in self.apps
            ],
            "pending_deletions": [vars(item) for item in self.pending],
            "problems": self.problems,
            "notes": self.notes,
        }


def project_status(project: Project) -> Status:
    index = project.index
    locked: dict[str, str] = {}
    conflicted = False
    problems = list(project.problems)
    lock_path = project.relative(project.lockfile) if project.lockfile else None
    if project.lockfile is not None:
        text = read_source(project.lockfile) if project.lockfile.is_file() else ""
        conflicted = has_conflict_markers(text)
        if not conflicted:
            try:
                locked = Lockfile.parse(text, lock_path).entries
            except AssistantError as exc:
                conflicted = True
                problems.append(str(exc))
    apps = [
        AppStatus(label, project.relative(app.migrations_dir), index.graph.leaves(label), locked.get(label))
        for label, app in sorted(project.apps.items())
    ]
    pending = []
    for label in sorted(project.apps):
        problems.extend(f"{label}: {problem}" for problem in index.problems(label))
    for item in index.pending_deletions:
        command = "remove-field" if item.kind == "field" else "remove-model"
        pending.append(
            PendingStatus(
                target=item.target,
                kind=item.kind,
                table=item.model_state.table,
                column=item.field_state.column if item.field_state else None,
                migration=f"{item.app_label}/{item.migration.name}",
                command=f"migrate-assistant {command} {item.target} --phase 2",
            )
        )
    return Status(
        str(project.root), project.sentry_style, lock_path, conflicted, apps, pending, problems, list(project.notes)
    )
