"""django-linear-migrations' ``max_migration.txt``: one per app, in its migrations directory, holding the
name of the app's latest migration on one line."""

from __future__ import annotations

import re

from .errors import AssistantError
from .lockfile import has_conflict_markers

MAX_MIGRATION = "max_migration.txt"
_NAME = re.compile(r"^\d\w*$")


def parse_max_migration(text: str, path: str = MAX_MIGRATION) -> str:
    if has_conflict_markers(text):
        raise AssistantError(f"{path} has conflict markers: resolve them first (migrate-assistant fix-lockfile)")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) != 1 or not _NAME.match(lines[0]):
        raise AssistantError(f"{path}: expected one migration name, found {text.strip()[:80]!r}")
    return lines[0]


def render_max_migration(name: str) -> str:
    return f"{name}\n"


def max_migration_findings(project, changed_on_branch) -> list:
    """``check``'s MA016 for ``max_migration.txt`` files: conflict markers, or a name that is not the app's leaf
    (in a file this branch changed)."""
    from .checks import Finding
    from .pysource import read_source

    found = []
    for label, app in sorted(project.apps.items()):
        file = app.migrations_dir / MAX_MIGRATION
        if not file.is_file():
            continue
        path = project.relative(file)
        text = read_source(file)
        if has_conflict_markers(text):
            line = next(n for n, item in enumerate(text.splitlines(), 1) if item.startswith(("<<<<<<<", "=======")))
            found.append(
                Finding("MA016", path, line, f"{path} has conflict markers", _FIX, "migrate-assistant fix-lockfile")
            )
            continue
        if not changed_on_branch(project, path):
            continue
        leaves = project.index.graph.leaves(label)
        name = text.strip()
        if len(leaves) == 1 and name != leaves[0]:
            found.append(
                Finding(
                    "MA016",
                    path,
                    1,
                    f"{path} says {name or 'nothing'}, but the leaf of {label} is {leaves[0]}",
                    f"Write {leaves[0]} (max_migration.txt names the app's leaf).",
                    "migrate-assistant fix-lockfile",
                )
            )
    return found


_FIX = (
    "Resolve them from the graph: the branch's migrations renumbered after the upstream leaf and "
    "max_migration.txt regenerated."
)
