"""Suppress a finding, with a reason, in the migration itself.

``# migrate-assistant: ignore[MA005] the table is empty in every region`` on an
operation's lines (or the line just above it) suppresses that rule for that
operation; ``ignore-migration[...]`` anywhere in the file suppresses it for the
whole migration. The reason is required and is reported with the finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PATTERN = re.compile(r"#\s*migrate-assistant:\s*(ignore|ignore-migration)\[([A-Z0-9, ]+)\]\s*(.*)$")


@dataclass(frozen=True)
class Suppression:
    line: int
    whole_migration: bool
    rules: frozenset[str]
    reason: str


def suppressions(source: str) -> list[Suppression]:
    found = []
    for number, line in enumerate(source.splitlines(), 1):
        match = PATTERN.search(line)
        if match:
            rules = frozenset(rule.strip() for rule in match[2].split(",") if rule.strip())
            found.append(Suppression(number, match[1] == "ignore-migration", rules, match[3].strip()))
    return found


def suppression_for(items: list[Suppression], rule: str, first: int, last: int) -> Suppression | None:
    """The suppression covering ``rule`` for an operation on lines ``first``–``last``."""
    for item in items:
        if rule in item.rules and (item.whole_migration or first - 1 <= item.line <= last):
            return item
    return None
