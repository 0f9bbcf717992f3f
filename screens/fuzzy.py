"""Fuzzy filtering of many names per keystroke: a regex over precomputed lower-case keys.

``sntprj`` matches ``sentry.Project``: the query's letters in order, any gaps between them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input, OptionList


def pattern(query: str) -> re.Pattern:
    return re.compile(".*?".join(re.escape(char) for char in query.lower()))


class FilterIndex:
    """Keys and their last segments in lower case, computed once per tree; the answers to the queries
    typed so far are kept, so that a backspace costs nothing and a longer query only searches the
    matches of its longest known prefix."""

    MEMO = 64  # queries remembered

    def __init__(self, keys: Sequence[str], names: Sequence[str]):
        self.keys = [key.lower() for key in keys]
        self.names = [name.lower() for name in names]
        self._memo: dict[str, tuple[frozenset[int], frozenset[int]]] = {}
        self._ranked: dict[str, list[int]] = {}

    def matching(self, query: str) -> tuple[frozenset[int], frozenset[int]]:
        """Rows whose key matches, and rows whose own name matches."""
        needle = query.lower()
        if needle in self._memo:
            return self._memo[needle]
        candidates = next(
            (self._memo[needle[:end]][0] for end in range(len(needle) - 1, 0, -1) if needle[:end] in self._memo),
            range(len(self.keys)),
        )
        search = pattern(needle).search
        keys = frozenset(number for number in candidates if search(self.keys[number]))
        names = frozenset(number for number in keys if search(self.names[number]))
        if len(self._memo) >= self.MEMO:
            self._memo.clear()
            self._ranked.clear()
        self._memo[needle] = (keys, names)
        return keys, names

    def ranked(self, query: str) -> list[int]:
        """The rows whose key matches, best (lowest ``score``, then first in order) first; do not change it."""
        needle = query.lower()
        if needle not in self._ranked:
            keys, _ = self.matching(query)
            self._ranked[needle] = sorted(keys, key=lambda number: (self.score(number, needle), number))
        return self._ranked[needle]

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


class FilterBox(Input):
    """An input whose text's width is not worth a layout of the whole screen on each keystroke (Textual's
    ``Input`` asks for one): the box keeps its size."""

    virtual_size = Reactive(Size(0, 0), layout=False)


class MatchList(OptionList):
    """The matches of a filter, one line each in a list of fixed size: a new number of them is not worth a
    layout of the whole screen on each keystroke either (a scrollbar that appears or goes still asks for one)."""

    virtual_size = Reactive(Size(0, 0), layout=False)
