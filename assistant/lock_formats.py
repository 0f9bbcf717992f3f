"""The lockfile formats: Sentry's ``migrations_lockfile.txt`` and django-linear-migrations' ``max_migration.txt``.

Both record each app's latest migration so that two branches adding one
conflict in git. ``status``, new migrations and ``fix-lockfile`` use them
through the same four methods; ``text_of(path)`` reads a file as planned so
far (``None`` when it does not exist).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import AssistantError
from .lockfile import Lockfile, has_conflict_markers, read_conflicted
from .max_migration import MAX_MIGRATION, parse_max_migration, render_max_migration
from .pysource import read_source

TextOf = Callable[[str], "str | None"]


@dataclass
class LockState:
    """What the lockfile(s) say: each app's recorded migration, conflicts and problems."""

    entries: dict[str, str] = field(default_factory=dict)
    conflicted: bool = False
    problems: list[str] = field(default_factory=list)


class MigrationsLockfile:
    """One ``migrations_lockfile.txt`` for every app."""

    def __init__(self, path: str):
        self.path = path
        self.title = path

    def paths(self) -> list[str]:
        return [self.path]

    def read(self, text_of: TextOf) -> LockState:
        text = text_of(self.path) or ""
        if has_conflict_markers(text):
            return LockState(conflicted=True)
        try:
            return LockState(Lockfile.parse(text, self.path).entries)
        except AssistantError as exc:
            return LockState(conflicted=True, problems=[str(exc)])

    def updated(self, text_of: TextOf, changes: dict[str, str]) -> dict[str, str]:
        text = text_of(self.path)
        if text is None:
            raise AssistantError(f"{self.path} is configured but does not exist")
        return {self.path: Lockfile.parse(text, self.path).updated(changes).render()}

    def regenerated(self, text_of: TextOf, leaf_of: Callable[[str], str | None]) -> dict[str, str]:
        """Every app's entry from ``leaf_of`` (kept when it has none), in the file's own format."""
        text = text_of(self.path)
        if text is None:
            raise AssistantError(f"{self.path} does not exist")
        if has_conflict_markers(text):
            conflicted = read_conflicted(text, self.path)
            lockfile = Lockfile(
                conflicted.header, {app: "" for app in conflicted.apps}, conflicted.separator, conflicted.newline
            )
        else:
            lockfile = Lockfile.parse(text, self.path)
        entries = {app: leaf_of(app) or name for app, name in lockfile.entries.items()}
        return {self.path: replace(lockfile, entries=entries).render()}


class MaxMigrationFiles:
    """django-linear-migrations: ``<app>/migrations/max_migration.txt`` holding the app's latest migration."""

    title = f"{MAX_MIGRATION} files"

    def __init__(self, files: dict[str, str]):
        self.files = files  # app label -> relative path

    def paths(self) -> list[str]:
        return sorted(self.files.values())

    def read(self, text_of: TextOf) -> LockState:
        state = LockState()
        for app, path in sorted(self.files.items()):
            text = text_of(path) or ""
            if has_conflict_markers(text):
                state.conflicted = True
                continue
            try:
                state.entries[app] = parse_max_migration(text, path)
            except AssistantError as exc:
                state.conflicted = True
                state.problems.append(str(exc))
        return state

    def updated(self, text_of: TextOf, changes: dict[str, str]) -> dict[str, str]:
        return {self.files[app]: render_max_migration(name) for app, name in changes.items() if app in self.files}

    def regenerated(self, text_of: TextOf, leaf_of: Callable[[str], str | None]) -> dict[str, str]:
        found = {}
        for app, path in self.files.items():
            leaf = leaf_of(app)
            if leaf is None:
                raise AssistantError(f"{path}: cannot tell the latest migration of {app} (several leaves remain)")
            found[path] = render_max_migration(leaf)
        return found


def detect_lock(project) -> MigrationsLockfile | MaxMigrationFiles | None:
    """``migrations_lockfile.txt`` (configured or at the root), else the apps' ``max_migration.txt`` files."""
    if project.lockfile is not None:
        return MigrationsLockfile(project.relative(project.lockfile))
    files = {
        label: project.relative(app.migrations_dir / MAX_MIGRATION)
        for label, app in project.apps.items()
        if (app.migrations_dir / MAX_MIGRATION).is_file()
    }
    return MaxMigrationFiles(files) if files else None


def disk_reader(root: Path) -> TextOf:
    def text_of(path: str) -> str | None:
        file = root / path
        return read_source(file) if file.is_file() else None

    return text_of
