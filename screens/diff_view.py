"""A unified diff as Textual content: Python syntax colours from the theme, added and removed lines
tinted, and within a changed line the words that changed marked more strongly."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from textual.content import Content
from textual.highlight import highlight

ADDED, REMOVED = "on $success 15%", "on $error 15%"
ADDED_WORDS, REMOVED_WORDS = "on $success 45%", "on $error 45%"
HUNK = "$text-accent"
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]")
_HUNK = re.compile(r"^@@ -(\d+)(?:,\d+)? \+(\d+)")


def diff_content(diff: str, path: str) -> Content:
    lines = diff.splitlines()
    body = [i for i, line in enumerate(lines) if line[:1] in " +-" and not line.startswith(("---", "+++"))]
    language = "python" if path.endswith(".py") else "text"
    code = highlight("\n".join(lines[i][1:] for i in body), language=language) if body else Content("")
    coloured = dict(zip(body, code.split("\n", allow_blank=True)))
    words = _changed_words(lines)
    rendered = []
    for number, line in enumerate(lines):
        if number not in coloured:
            style = HUNK if line.startswith("@@") else "bold"
            rendered.append(Content.styled(line, style))
            continue
        sign = line[0]
        content = Content(sign) + coloured[number]
        if sign in "+-":
            content = content.stylize_before(ADDED if sign == "+" else REMOVED)
            for start, end in words.get(number, []):
                content = content.stylize(ADDED_WORDS if sign == "+" else REMOVED_WORDS, start + 1, end + 1)
        rendered.append(content)
    return Content("\n").join(rendered)


def _changed_words(lines: list[str]) -> dict[int, list[tuple[int, int]]]:
    """For each run of removed lines followed by added lines, pair them in order and find the changed words."""
    spans: dict[int, list[tuple[int, int]]] = {}
    number = 0
    while number < len(lines):
        if not lines[number].startswith("-") or lines[number].startswith("---"):
            number += 1
            continue
        removed = []
        while number < len(lines) and lines[number].startswith("-") and not lines[number].startswith("---"):
            removed.append(number)
            number += 1
        added = []
        while number < len(lines) and lines[number].startswith("+") and not lines[number].startswith("+++"):
            added.append(number)
            number += 1
        for old, new in zip(removed, added):
            old_spans, new_spans = _word_spans(lines[old][1:], lines[new][1:])
            if old_spans is not None:
                spans[old], spans[new] = old_spans, new_spans
    return spans


def _word_spans(old: str, new: str):
    """Character spans of the differing words, or ``None`` when the lines have too little in common."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.ratio() < 0.4:
        return None, None
    old_offsets, new_offsets = _offsets(a), _offsets(b)
    old_spans, new_spans = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if i2 > i1:
            old_spans.append((old_offsets[i1], old_offsets[i2]))
        if j2 > j1:
            new_spans.append((new_offsets[j1], new_offsets[j2]))
    return old_spans, new_spans


def _offsets(tokens: list[str]) -> list[int]:
    offsets = [0]
    for token in tokens:
        offsets.append(offsets[-1] + len(token))
    return offsets


def first_change(diff: str) -> int:
    """The line of the current file where the diff's first change is (1 for a new file)."""
    line = None
    for text in diff.splitlines():
        match = _HUNK.match(text)
        if match:
            line = int(match.group(1))
            continue
        if line is None:
            continue
        if text[:1] in "+-":
            return max(line, 1)
        if text[:1] == " ":
            line += 1
    return 1
