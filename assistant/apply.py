"""Write a plan to disk all-or-nothing: on any error every file is as it was."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import AssistantError
from .plan import FileEdit, Plan
from .pysource import read_source


def apply_plan(root: Path, plan: Plan) -> None:
    """Write the plan; when it asks for it, stage the files in git (e.g. a resolved conflict)."""
    apply_edits(root, plan.edits)
    if plan.stage:
        from .git_state import stage

        try:
            stage(root, [path for edit in plan.edits for path in edit.paths])
        except AssistantError:
            undo_plan(root, plan)
            raise


def undo_plan(root: Path, plan: Plan) -> None:
    """Put back what ``apply_plan`` wrote (files are checked to be as it left them)."""
    apply_edits(root, [_inverse(edit) for edit in reversed(plan.edits)])


def _inverse(edit: FileEdit) -> FileEdit:
    if edit.source is not None:
        return FileEdit(edit.source, edit.after, edit.before, edit.path)
    return FileEdit(edit.path, edit.after, edit.before)


def apply_edits(root: Path, edits: list[FileEdit]) -> None:
    for edit in edits:
        _check(root, edit)
    undo: list = []
    try:
        for edit in edits:
            failed = edit.path
            path = root / edit.path
            if edit.after is None:
                path.unlink()
                undo.append(lambda path=path, text=edit.before: _write_atomically(path, text))
                continue
            for directory in _make_parents(path.parent):
                undo.append(lambda directory=directory: _remove_empty(directory))
            _write_atomically(path, edit.after)
            if edit.before is None or edit.source is not None:
                undo.append(lambda path=path: path.unlink(missing_ok=True))
            else:
                undo.append(lambda path=path, text=edit.before: _write_atomically(path, text))
            if edit.source is not None:
                source = root / edit.source
                source.unlink()
                undo.append(lambda source=source, text=edit.before: _write_atomically(source, text))
    except OSError as exc:
        for step in reversed(undo):
            step()
        raise AssistantError(f"could not write {failed} ({exc.strerror or exc}); nothing was changed") from None


def _check(root: Path, edit: FileEdit) -> None:
    """The files must be as they were when the plan was made."""
    if edit.source is not None:
        expected = [(edit.source, edit.before), (edit.path, None)]
    else:
        expected = [(edit.path, edit.before)]
    for relative, text in expected:
        path = root / relative
        current = read_source(path) if path.is_file() else None
        if current != text:
            raise AssistantError(f"{relative} changed since the plan was made; nothing was written")


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


def _make_parents(directory: Path) -> list[Path]:
    """Create missing parent directories; returns them, outermost first."""
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
