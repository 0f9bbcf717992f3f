"""Write a plan to disk all-or-nothing: on any error every file is as it was."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import AssistantError
from .plan import FileEdit, Plan
from .pysource import read_source


def apply_plan(root: Path, plan: Plan) -> None:
    apply_edits(root, plan.edits)


def undo_plan(root: Path, plan: Plan) -> None:
    """Put back what ``apply_plan`` wrote (files are checked to be as it left them)."""
    apply_edits(root, [FileEdit(edit.path, edit.after, edit.before) for edit in reversed(plan.edits)])


def apply_edits(root: Path, edits: list[FileEdit]) -> None:
    for edit in edits:
        path = root / edit.path
        current = read_source(path) if path.is_file() else None
        if current != edit.before:
            raise AssistantError(f"{edit.path} changed since the plan was made; nothing was written")
    done: list[FileEdit] = []
    created_dirs: list[Path] = []
    try:
        for edit in edits:
            path = root / edit.path
            if edit.after is None:
                path.unlink()
            else:
                created_dirs.extend(_make_parents(path.parent))
                _write_atomically(path, edit.after)
            done.append(edit)
    except OSError as exc:
        failed = edit.path
        for written in reversed(done):
            _restore(root / written.path, written.before)
        for directory in reversed(created_dirs):
            _remove_empty(directory)
        raise AssistantError(f"could not write {failed} ({exc.strerror or exc}); nothing was changed") from None


def _write_atomically(path: Path, text: str) -> None:
    mode = path.stat().st_mode if path.exists() else None
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def _restore(path: Path, before: str | None) -> None:
    if before is None:
        path.unlink(missing_ok=True)
    else:
        _write_atomically(path, before)


def _make_parents(directory: Path) -> list[Path]:
    missing = []
    while not directory.exists():
        missing.append(directory)
        directory = directory.parent
    for item in reversed(missing):
        item.mkdir()
    return list(reversed(missing))


def _remove_empty(directory: Path) -> None:
    try:
        directory.rmdir()
    except OSError:
        pass
