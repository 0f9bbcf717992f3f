"""The state of a repository's migrations: leaves, lockfile health, pending deletions."""

from __future__ import annotations

from dataclasses import dataclass, field

from .deployments import Deployments, deployment_source
from .errors import AssistantError
from .graph_rules import LostPending, lost_pending
from .lifecycle import LifecycleReport, lifecycles
from .lock_formats import MaxMigrationFiles, disk_reader
from .project import Project


@dataclass
class AppStatus:
    label: str
    path: str
    leaves: list[str]
    locked: str | None
    tracked: bool = True  # False: the app has no max_migration.txt of its own
    unreadable: list[dict] = field(default_factory=list)  # {"file", "line", "why"}

    @property
    def leaf(self) -> str | None:
        return self.leaves[0] if len(self.leaves) == 1 else None

    @property
    def lockfile_ok(self) -> bool:
        return not self.tracked or (self.leaf is not None and self.locked == self.leaf)


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
    lifecycle: LifecycleReport | None = None
    lost_by_squash: list[LostPending] = field(default_factory=list)
    graph_problems: list[str] = field(default_factory=list)  # "path:line: why": Django could not load the graph
    convention: str = "plain"
    convention_title: str = "plain Django"
    notes: list[str] = field(default_factory=list)
    lockfile_plural: bool = False  # one max_migration.txt per app: "files" takes a plural verb

    def lockfile_says(self, singular: str, plural: str) -> str:
        """``"<lockfile> <verb phrase>"``, the verb agreeing with the lockfile's name ("… files have …")."""
        return f"{self.lockfile} {plural if self.lockfile_plural else singular}"

    @property
    def lockfile_ok(self) -> bool:
        if self.lockfile is None:
            return True
        return not self.lockfile_conflicted and all(app.lockfile_ok for app in self.apps if app.leaves)

    def as_json(self) -> dict:
        return {
            "root": self.root,
            "sentry_style": self.sentry_style,
            "convention": self.convention,
            "lockfile": {"path": self.lockfile, "conflicted": self.lockfile_conflicted, "ok": self.lockfile_ok},
            "apps": [
                {
                    "label": app.label,
                    "path": app.path,
                    "leaf": app.leaf,
                    "leaves": app.leaves,
                    "locked": app.locked,
                    "lockfile_ok": app.lockfile_ok if self.lockfile is not None else None,
                    "unreadable": app.unreadable,
                }
                for app in self.apps
            ],
            "pending_deletions": [vars(item) for item in self.pending],
            "problems": self.problems,
            "deployment": self.lifecycle.as_json() if self.lifecycle else None,
            "lifecycle": [item.as_json() for item in self.lifecycle.items] if self.lifecycle else [],
            "lost_by_squash": [vars(item) for item in self.lost_by_squash],
            "graph_problems": self.graph_problems,
            "notes": self.notes,
        }


def project_status(project: Project, deployments: Deployments | None = None) -> Status:
    """``deployments``: what production runs (default: the configured source; if that cannot be read,
    "deployed" is unknown and the reason is one of the problems)."""
    index = project.index
    locked: dict[str, str] = {}
    conflicted = False
    problems = list(project.problems)
    lock = project.lock
    lock_path = lock.title if lock else None
    if lock is not None:
        found = lock.read(disk_reader(project.root))
        locked, conflicted = found.entries, found.conflicted
        problems.extend(found.problems)
    per_app = isinstance(lock, MaxMigrationFiles)
    apps = [
        AppStatus(
            label,
            project.relative(app.migrations_dir),
            index.graph.leaves(label),
            locked.get(label),
            not per_app or label in lock.files,
            [
                {"file": project.relative(item.path), "line": item.line, "why": item.why}
                for item in dict.fromkeys(index.unreadable(label))
            ],
        )
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
    status = Status(str(project.root), project.sentry_style, lock_path, conflicted, apps, pending, problems)
    status.notes, status.lockfile_plural = list(project.notes), per_app
    status.convention, status.convention_title = project.convention.name, project.convention.title
    if deployments is None:
        try:
            deployments = deployment_source(project)
        except AssistantError as error:
            deployments = Deployments(description=f"unknown: the deployment source failed ({error})")
            status.problems.append(str(error))
    status.lifecycle = lifecycles(project, deployments)
    status.lost_by_squash = lost_pending(project)
    status.graph_problems = index.graph_problems
    return status
