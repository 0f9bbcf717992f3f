"""Add a migration to an app: numbered after the graph's leaf, depending on it,
recorded in the lockfile."""

from __future__ import annotations

import re

from .migration_writer import Op, render_migration
from .plan import Changeset
from .project import Project
from .validators import check_migration_name

MAX_NAME = 52


def migration_name(project: Project, app_label: str, suffix: str) -> str:
    graph = project.index.graph
    return f"{graph.next_number(app_label):04d}_{suffix}"


def check_name(name: str) -> str:
    return check_migration_name(name)


def suggested_name(parts: list[str], several: bool, phase_word: str) -> str:
    base = "_".join(parts).lower()
    if several:
        base += "_and_more"
    name = f"{base}_{phase_word}"
    return name if len(name) <= MAX_NAME else f"{base[: MAX_NAME - len(phase_word) - 1].rstrip('_')}_{phase_word}"


def add_migration(
    project: Project,
    changes: Changeset,
    app_label: str,
    suffix: str,
    operations: list[Op],
    after: list[tuple[str, str]] = (),
    follows: str | None = None,
    **render_options,
) -> str:
    """Write the new migration into ``changes`` and update the lockfile; returns its name.

    It depends on the app's leaf (or on ``follows``, a migration added to ``changes`` just before) and on
    ``after`` (other new migrations it must follow).
    """
    app = project.app(app_label)
    graph = project.index.graph
    leaf = follows or graph.leaf(app_label)
    if follows:
        number = int(re.match(r"\d+", follows)[0]) + 1
        name = f"{number:04d}_{check_name(suffix)}"
    else:
        name = migration_name(project, app_label, check_name(suffix))
    dependencies = ([(app_label, leaf)] if leaf else []) + list(after)
    path = project.relative(app.migrations_dir / f"{name}.py")
    changes.create(path, render_migration(project, dependencies, operations, **render_options))
    if project.lock is not None:
        for lock_path, text in project.lock.updated(changes.read, {app_label: name}).items():
            changes.write(lock_path, text)
    return name
