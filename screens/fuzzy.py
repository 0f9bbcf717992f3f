"""Fuzzy filtering of many names per keystroke: a regex over precomputed lower-case keys.

``sntprj`` matches ``sentry.Project``: the query's letters in order, any gaps between them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence


def pattern(query: str) -> re.Pattern:
    return re.compile(".*?".join(re.escape(char) for char in query.lower()))


class FilterIndex:
    """Keys and their last segments in lower case, computed once per tree."""

    def __init__(self, keys: Sequence[str], names: Sequence[str]):
        self.keys = [key.lower() for key in keys]
        self.names = [name.lower() for name in names]
        self._last: tuple[str, set[int]] = ("", set(range(len(self.keys))))

    def matching(self, query: str) -> tuple[set[int], set[int]]:
        """Rows whose key matches, and rows whose own name matches. A query that extends the previous
        one (the usual keystroke) only searches the previous matches."""
        search = pattern(query).search
        last, candidates = self._last
        if not query.lower().startswith(last):
            candidates = range(len(self.keys))
        keys = {number for number in candidates if search(self.keys[number])}
        self._last = (query.lower(), keys)
        names = {number for number in keys if search(self.names[number])}
        return keys, names

    def score(self, number: int, query: str) -> tuple:
        """Lower is better: the name contains the query, the key starts with it, the key is short."""
        needle = query.lower()
        name, key = self.names[number], self.keys[number]
        return (needle != name, needle not in name, not key.startswith(needle), needle not in key, len(key))


def positions(text: str, query: str) -> list[int]:
    """Where the query's letters are in ``text``: a contiguous run when there is one, else the first in order."""
    lower, needle = text.lower(), query.lower()
    start = lower.rfind(needle) if needle else -1
    if start >= 0:
        return list(range(start, start + len(needle)))
    found, at = [], 0
    for char in needle:
        at = lower.find(char, at)
        if at < 0:
            return []
        found.append(at)
        at += 1
    return found
