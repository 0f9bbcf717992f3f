"""Find code that still seems to use a field or model: attribute access,
``field=`` keywords, ``field__`` lookups and ``"field"`` strings.

``git grep`` finds candidate lines fast; each line is then classified here.
Files a plan edits are scanned in their planned form, and migrations are skipped.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from .plan import Reference

_IMPORT_LINE = r"^(?!\s*(?:from|import)\s)"


@dataclass(frozen=True)
class Search:
    """Lines containing ``word`` that match ``pattern`` refer to ``target``.

    ``owner`` names the target's model class. With it set, matches inside the body of another model class
    that does not share its fields are ignored (a string ``"status"`` in another model's Meta is that
    model's field); with ``own`` set too, that rule gives way to this one: a line whose every match is an
    ``own`` match (``self.status``) is ignored inside a class known not to share the fields (another
    model, a Django field or form), as it is that class's.
    """

    target: str
    word: str
    pattern: re.Pattern
    owner: str | None = None
    ignore: re.Pattern | None = None
    own: re.Pattern | None = None


class Owners(Protocol):
    """What the scan asks about the class a line is in (``text`` None: the file as on disk)."""

    def in_other_model(self, path: str, text: str | None, line: int, target: str, owner: str) -> bool: ...

    def in_other_class(self, path: str, text: str | None, line: int, target: str, owner: str) -> bool: ...


def field_searches(target: str, name: str, owner: str) -> list[Search]:
    word = re.escape(name)
    own = re.compile(rf"(?<![\w.])(?:self|cls)\.{word}\b")
    return [
        Search(target, name, re.compile(rf"{_IMPORT_LINE}.*\.{word}\b"), owner=owner, own=own),
        Search(target, name, re.compile(rf"\b{word}=(?!=)|\b{word}__\w|[\"']{word}(?:__\w*)?[\"']"), owner),
    ]


def name_search(target: str, name: str) -> Search:
    return Search(target, name, re.compile(rf"\b{re.escape(name)}\b"))


class ReferenceScan:
    """A search for references, started early: ``git grep`` runs in the background
    while the plan is being made, and ``results`` collects it."""

    def __init__(self, root: Path, files: list[Path], searches: list[Search]):
        self.root, self.files, self.searches = root, files, searches
        self.words = sorted({search.word for search in searches})
        self._grep = _start_git_grep(root, self.words) if self.words else None

    def results(self, planned: dict[str, str | None], owners: Owners) -> list[Reference]:
        """References outside migrations.

        ``planned`` maps repository paths the plan edits to their new text (``None``
        once deleted); ``owners`` is asked only about lines that match a search.
        """
        if not self.words:
            return []
        candidates = _finish_git_grep(self._grep) if self._grep else None
        if candidates is None:
            candidates = _scan(self.root, self.files, self.words)
        lines = [(p, n, t) for p, n, t in candidates if p not in planned and not _is_migration(p)]
        sources = {}
        for path, text in planned.items():
            if text is not None and path.endswith(".py") and not _is_migration(path):
                sources[path] = text
                lines.extend((path, n, t) for n, t in enumerate(text.splitlines(), 1))
        found = set()
        for path, number, text in lines:
            if text.lstrip().startswith("#"):
                continue
            for search in self.searches:
                if not search.pattern.search(text) or (search.ignore and search.ignore.search(text)):
                    continue
                if search.owner is not None and _theirs(search, owners, path, sources.get(path), number, text):
                    continue
                found.add(Reference(path, number, text.rstrip(), search.target))
        return sorted(found, key=lambda ref: (ref.path, ref.line, ref.target))


def _theirs(search: Search, owners: Owners, path: str, source: str | None, line: int, text: str) -> bool:
    """The matches of the line belong to the class it is in, not to the target."""
    if search.own is None:
        return owners.in_other_model(path, source, line, search.target, search.owner)
    if search.pattern.search(search.own.sub("", text)):  # another object's attribute: ``obj.name``
        return False
    return owners.in_other_class(path, source, line, search.target, search.owner)


def _is_migration(path: str) -> bool:
    return "/migrations/" in f"/{path}"


def _start_git_grep(root: Path, words: list[str]) -> subprocess.Popen | None:
    if not (root / ".git").exists():
        return None
    command = ["git", "-C", str(root), "grep", "--untracked", "-n", "-I", "-w", "-F"]
    for word in words:
        command += ["-e", word]
    command += ["--", "*.py"]
    try:
        return subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, encoding="utf-8", errors="replace"
        )
    except OSError:
        return None


def _finish_git_grep(process: subprocess.Popen) -> list[tuple[str, int, str]] | None:
    output, _ = process.communicate()
    if process.returncode not in (0, 1):
        return None
    found = []
    for row in output.splitlines():
        path, line, text = row.split(":", 2)
        found.append((path, int(line), text))
    return found


def _scan(root: Path, files: list[Path], words: list[str]) -> list[tuple[str, int, str]]:
    word = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b")
    found = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if not word.search(text):
            continue
        relative = path.relative_to(root).as_posix()
        found.extend((relative, n, line) for n, line in enumerate(text.splitlines(), 1) if word.search(line))
    return found
