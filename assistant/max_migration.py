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
