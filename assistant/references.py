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

from .plan import Reference

_IMPORT_LINE = r"^(?!\s*(?:from|import)\s)"


@dataclass(frozen=True)
class Search:
    """Lines containing ``word`` that match ``pattern`` refer to ``target``.

    With ``owner`` set, matches inside the body of another model class are
    ignored (a string ``"status"`` in another model's Meta is that model's field).
    """

    target: str
    word: str
    pattern: re.Pattern
    owner: str | None = None


def field_searches(target: str, name: str, owner: str) -> list[Search]:
    word = re.escape(name)
    return [
        Search(target, name, re.compile(rf"{_IMPORT_LINE}.*\.{word}\b")),
        Search(target, name, re.compile(rf"\b{word}=(?!=)|\b{word}__\w|[\"']{word}(?:__\w*)?[\"']"), owner),
    ]


def name_search(target: str, name: str) -> Search:
    return Search(target, name, re.compile(rf"\b{re.escape(name)}\b"))


def find_references(
    root: Path,
    files: list[Path],
    searches: list[Search],
    planned: dict[str, str | None],
    model_spans: dict[str, list[tuple[int, int, str]]],
) -> list[Reference]:
    """References for each search outside migrations.

    ``planned`` maps repository paths the plan edits to their new text (``None``
    once deleted); ``model_spans`` maps paths to (first line, last line, model
    label) of the model classes in them, for the ``owner`` rule.
    """
    words = sorted({search.word for search in searches})
    if not words:
        return []
    candidates = _git_grep(root, words)
    if candidates is None:
        candidates = _scan(root, files, words)
    lines = [(p, n, t) for p, n, t in candidates if p not in planned and not _is_migration(p)]
    for path, text in planned.items():
        if text is not None and path.endswith(".py") and not _is_migration(path):
            lines.extend((path, n, t) for n, t in enumerate(text.splitlines(), 1))
    found = set()
    for path, number, text in lines:
        if text.lstrip().startswith("#"):
            continue
        for search in searches:
            if search.pattern.search(text) and not _in_other_model(search, model_spans.get(path, ()), number):
                found.add(Reference(path, number, text.rstrip(), search.target))
    return sorted(found, key=lambda ref: (ref.path, ref.line, ref.target))


def _in_other_model(search: Search, spans, line: int) -> bool:
    if search.owner is None:
        return False
    return any(first <= line <= last and label != search.owner for first, last, label in spans)


def _is_migration(path: str) -> bool:
    return "/migrations/" in f"/{path}"


def _git_grep(root: Path, words: list[str]) -> list[tuple[str, int, str]] | None:
    if not (root / ".git").exists():
        return None
    command = ["git", "-C", str(root), "grep", "--untracked", "-n", "-I", "-w", "-F"]
    for word in words:
        command += ["-e", word]
    command += ["--", "*.py"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace")
    except OSError:
        return None
    if result.returncode not in (0, 1):
        return None
    found = []
    for row in result.stdout.splitlines():
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
