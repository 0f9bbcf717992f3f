"""Plain Django: ``migrations.Migration``, state-only removals, reversible drops in a later PR."""

from __future__ import annotations

from .base import Convention


class Plain(Convention):
    name = "plain"
    title = "plain Django"


PLAIN = Plain()
