"""A recipe's result: the file edits to make, with a unified diff preview."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import AssistantError
from .pysource import read_source

_LINKS = {"a", "an", "and", "as", "at", "for", "from", "in", "of", "on", "the", "to", "with"}


def branch_slug(text: str, limit: int = 60) -> str:
    """``text`` as a git branch name part: lower-case words joined by ``-``, a file's ``.py`` left out, cut
    between words to ``limit`` characters (what is in parentheses first) and never ending on a word such as
    "as" or "to" that a cut left."""

    def words_of(text: str) -> list[str]:
        return re.sub(r"[^a-z0-9]+", "-", re.sub(r"\.py\b", "", text.lower())).strip("-").split("-")

    words = words_of(text)
    if len("-".join(words)) <= limit:
        return "-".join(words)
    words = words_of(re.sub(r"\([^()]*\)", " ", text)) or words
    if len(words[0]) > limit:
        return words[0][:limit]
    while len("-".join(words)) > limit:
        words.pop()
    while len(words) > 1 and words[-1] in _LINKS:
        words.pop()
    return "-".join(words)


@dataclass(frozen=True)
class FileEdit:
    """One file: ``before`` is ``None`` for a new file, ``after`` is ``None`` for a deleted one;
    with ``source``, the file at ``source`` (whose text is ``before``) moves to ``path``."""

    path: str
    before: str | None
    after: str | None
    source: str | None = None

    @property
    def kind(self) -> str:
        if self.source is not None:
            return "move"
        return "create" if self.before is None else "delete" if self.after is None else "modify"

    @property
    def outcome(self) -> str:
        """What writing it did, e.g. ``renamed a.py → b.py``."""
        verb = {"create": "created", "modify": "edited", "delete": "deleted", "move": "renamed"}[self.kind]
        return f"{verb} {self.source} → {self.path}" if self.source else f"{verb} {self.path}"

    @property
    def paths(self) -> list[str]:
        return [self.source, self.path] if self.source else [self.path]

    def diff(self) -> str:
        before = (self.before or "").splitlines(keepends=True)
        after = (self.after or "").splitlines(keepends=True)
        old = "/dev/null" if self.before is None else f"a/{self.source or self.path}"
        new = "/dev/null" if self.after is None else f"b/{self.path}"
        lines = difflib.unified_diff(before, after, old, new)
        body = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)
        if self.source is None:
            return body
        return f"rename from {self.source}\nrename to {self.path}\n" + (body or f"--- {old}\n+++ {new}\n")


@dataclass(frozen=True)
class Reference:
    """A place in the code that still seems to use what is being removed or renamed."""

    path: str
    line: int
    text: str
    target: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text.strip()}"


@dataclass
class Plan:
    """What a recipe would do. Only ``apply.apply_plan`` writes it."""

    title: str
    steps: list[str]
    current_step: int
    edits: list[FileEdit]
    references: list[Reference] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)
    stage: bool = False
    reads: dict[str, tuple] = field(default_factory=dict)  # what planning read (see ``reads.py``)

    def diff(self) -> str:
        return "".join(edit.diff() for edit in self.edits)

    @property
    def created(self) -> list[str]:
        return [edit.path for edit in self.edits if edit.kind == "create"]

    @property
    def branch_name(self) -> str:
        """A git branch name for this plan, from its title."""
        return f"migrate-assistant/{branch_slug(self.title)}"

    @property
    def commit_message(self) -> str:
        lines = [self.title, ""] + [f"- {step}" for step in self.next_steps]
        return "\n".join(lines).strip() + "\n\nWritten by migrate-assistant.\n"


class Changeset:
    """Edits being assembled by a recipe: reads see earlier writes, nothing touches disk."""

    def __init__(self, root: Path):
        self.root = root
        self._before: dict[str, str | None] = {}
        self._after: dict[str, str | None] = {}
        self._moved: dict[str, str] = {}  # new path → old path

    def read(self, path: str) -> str | None:
        if path in self._after:
            return self._after[path]
        full = self.root / path
        return read_source(full) if full.is_file() else None

    def write(self, path: str, text: str) -> None:
        self._remember(path)
        self._after[path] = text

    def create(self, path: str, text: str) -> None:
        if self.read(path) is not None:
            raise AssistantError(f"{path} already exists")
        self.write(path, text)

    def delete(self, path: str) -> None:
        self._remember(path)
        self._after[path] = None

    def move(self, old: str, new: str, text: str) -> None:
        """``old`` becomes ``new`` with ``text``."""
        if self.read(new) is not None:
            raise AssistantError(f"cannot rename {old} to {new}: {new} already exists")
        self._remember(old)
        self._before[new] = self._before[old]
        self._after[old] = None
        self._after[new] = text
        self._moved[new] = old

    def _remember(self, path: str) -> None:
        if path not in self._before:
            self._before[path] = self.read(path)

    def edits(self) -> list[FileEdit]:
        moved_away = set(self._moved.values())
        edits = []
        for path, after in self._after.items():
            if path in self._moved:
                edits.append(FileEdit(path, self._before[path], after, self._moved[path]))
            elif path not in moved_away and self._before[path] != after:
                edits.append(FileEdit(path, self._before[path], after))
        return edits
