"""``migrations_lockfile.txt``: a header, then ``app: leaf`` entries sorted by app.

Sentry separates entries with blank lines (older files with single newlines);
whatever the file uses is kept, and so is its header, byte for byte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import AssistantError

ENTRY = re.compile(r"^([A-Za-z_]\w*): (\d\w*)\s*$")
MARKERS = ("<<<<<<<", "|||||||", "=======", ">>>>>>>")


@dataclass(frozen=True)
class Lockfile:
    header: str
    entries: dict[str, str]
    separator: str = "\n\n"  # between entries, in LF terms ("\n" or "\n\n")
    newline: str = "\n"  # the file's line ending ("\r\n" for a CRLF lockfile)
    ending: str | None = None  # what follows the last entry (one line ending when None)

    @classmethod
    def parse(cls, text: str, path: str = "migrations_lockfile.txt") -> Lockfile:
        lines = text.splitlines(keepends=True)
        if has_conflict_markers(text):
            raise AssistantError(f"{path} has conflict markers: resolve them first (migrate-assistant fix-lockfile)")
        first = next((i for i, line in enumerate(lines) if ENTRY.match(line)), len(lines))
        entries = {}
        last = first
        for number, line in enumerate(lines[first:], first):
            match = ENTRY.match(line)
            if match:
                entries[match[1]] = match[2]
                last = number
            elif line.strip():
                raise AssistantError(f"{path}: unexpected line {line.strip()!r}")
        body = "".join(lines[first:]).replace("\r\n", "\n")
        separator = "\n\n" if "\n\n" in body.strip("\n") or len(entries) < 2 else "\n"
        newline = line_ending(text)
        ending = None
        if entries:
            tail = lines[last][len(lines[last].rstrip("\r\n")) :] + "".join(lines[last + 1 :])
            ending = None if tail == newline else tail
        return cls("".join(lines[:first]), entries, separator, newline, ending)

    def render(self) -> str:
        separator = self.separator.replace("\n", self.newline)
        body = separator.join(f"{app}: {name}" for app, name in sorted(self.entries.items()))
        return self.header + body + (self.newline if self.ending is None else self.ending)

    def updated(self, changes: dict[str, str]) -> Lockfile:
        return Lockfile(self.header, {**self.entries, **changes}, self.separator, self.newline, self.ending)


def line_ending(text: str) -> str:
    """``"\r\n"`` when the text's lines end that way (its first line decides), else ``"\n"``."""
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def lockfile_path(path: Path) -> Path:
    """``path``, unless it is a directory: that is one clear error, never a silently missing lockfile."""
    if path.is_dir():
        raise AssistantError(f"{path}: the lockfile path is a directory, not a file")
    return path


def has_conflict_markers(text: str) -> bool:
    return any(line.startswith(MARKERS) for line in text.splitlines())


@dataclass(frozen=True)
class ConflictedLockfile:
    """What a lockfile with conflict markers still tells: its header, style and apps."""

    header: str
    separator: str
    apps: frozenset[str]
    newline: str = "\n"


def read_conflicted(text: str, path: str = "migrations_lockfile.txt") -> ConflictedLockfile:
    """Read every side of every conflict hunk (two-way or diff3 markers)."""
    expected = {"<<<<<<<": ("outside",), "|||||||": ("ours",), "=======": ("ours", "base"), ">>>>>>>": ("theirs",)}
    following = {"<<<<<<<": "ours", "|||||||": "base", "=======": "theirs", ">>>>>>>": "outside"}
    where, apps, header, seen_entry = "outside", set(), [], False
    blank_between = False
    previous_blank = False
    for number, line in enumerate(text.splitlines(keepends=True), 1):
        marker = line[:7]
        if marker in expected:
            if where not in expected[marker]:
                raise AssistantError(f"{path}:{number}: unexpected {marker} (unbalanced conflict markers)")
            where = following[marker]
            seen_entry = True
            continue
        match = ENTRY.match(line)
        if match:
            apps.add(match[1])
            blank_between |= previous_blank and seen_entry
            seen_entry = True
        elif line.strip():
            if seen_entry:
                raise AssistantError(f"{path}:{number}: unexpected line {line.strip()!r}")
        if not seen_entry:
            header.append(line)
        previous_blank = not line.strip()
    if where != "outside":
        raise AssistantError(f"{path}: a conflict hunk is not closed (unbalanced conflict markers)")
    separator = "\n\n" if blank_between or len(apps) < 2 else "\n"
    return ConflictedLockfile("".join(header), separator, frozenset(apps), line_ending(text))
