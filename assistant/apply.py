"""Write a plan to disk all-or-nothing, whatever happens: errors, signals, a second process, ``kill -9``.

Under the repository lock (``repo_lock.py``), the plan's reads are checked to be
unchanged, every planned path is checked (its content is as planned from, it is
not read-only, a symlink leads inside the repository), then the edits are made
as one journaled transaction (``journal.py``): any exception or SIGINT/SIGTERM/
SIGHUP puts every file back; after a ``kill -9`` the next command does.
"""

from __future__ import annotations

import os
import signal
import stat
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import AssistantError
from .journal import Transaction, pending_journal
from .plan import FileEdit, Plan
from .pysource import read_source
from .reads import changed
from .repo_lock import git_dir, repository_lock

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
WRITE_DELAY = "MIGRATE_ASSISTANT_TEST_WRITE_DELAY"  # tests only: seconds to sleep before each write


class Interrupted(AssistantError):
    """A signal stopped the write; everything was put back."""

    def __init__(self, signum: int):
        name = signal.Signals(signum).name
        super().__init__(f"interrupted by {name} while writing: every file was put back as it was; nothing was changed")
        self.exit_code = 128 + signum


def apply_plan(root: Path, plan: Plan) -> None:
    """Write the plan; when it asks for it, stage the files in git (e.g. a resolved conflict)."""
    with repository_lock(root):
        if plan.reads:
            moved = changed(plan.reads)
            if moved is not None:
                shown = os.path.relpath(moved, root)
                raise AssistantError(
                    f"the repository changed while planning ({shown} is not as it was read); "
                    "nothing was written: run the command again"
                )
        apply_edits(root, plan.edits, stage=plan.stage)


def undo_plan(root: Path, plan: Plan) -> None:
    """Put back what ``apply_plan`` wrote (files are checked to be as it left them)."""
    apply_edits(root, [_inverse(edit) for edit in reversed(plan.edits)])


def _inverse(edit: FileEdit) -> FileEdit:
    if edit.source is not None:
        return FileEdit(edit.source, edit.after, edit.before, edit.path)
    return FileEdit(edit.path, edit.after, edit.before)


@dataclass(frozen=True)
class _Step:
    path: str  # relative to the resolved root, symlinks followed
    data: bytes | None  # None: delete
    mode: int | None  # None: what the umask gives
    shown: str  # the path as the plan names it


def apply_edits(root: Path, edits: list[FileEdit], stage: bool = False) -> None:
    """Make the edits as one transaction; refuses (writing nothing) when a planned file is not as planned."""
    root = Path(root).resolve()
    with repository_lock(root):
        if pending_journal(root):
            raise AssistantError(
                "an interrupted write has not been undone yet: run any migrate-assistant command (e.g. status) "
                "to restore the repository, then plan again; nothing was written"
            )
        steps = [step for edit in edits for step in _steps(root, edit)]
        touched = list(dict.fromkeys(step.path for step in steps))
        if len(touched) < len(steps):
            raise AssistantError("two planned edits lead to the same file (through a symlink); nothing was written")
        new_dirs = _missing_dirs(root, [step.path for step in steps if step.data is not None])
        found = git_dir(root) if stage else None
        transaction = Transaction(root, touched, new_dirs, found / "index" if found else None)
        _run(transaction, steps, [path for edit in edits for path in edit.paths] if stage else [])


def _run(transaction: Transaction, steps: list[_Step], staged: list[str]) -> None:
    delay = float(os.environ.get(WRITE_DELAY) or 0)
    opened = False
    current = None
    with _signals_raise() as guard:
        try:
            transaction.begin()
            opened = True
            transaction.make_dirs()
            for current in steps:
                if delay:
                    time.sleep(delay)
                if current.data is None:
                    transaction.delete(current.path)
                else:
                    transaction.write(current.path, current.data, current.mode)
            if staged:
                from .git_state import stage

                current = None
                stage(transaction.root, staged)
            guard.hold()
            transaction.commit()
        except BaseException as exc:
            guard.hold()
            if opened:
                try:
                    transaction.rollback()
                except Exception as failure:  # whatever stops the rollback is reported, not raised
                    detail = str(failure) if isinstance(failure, AssistantError) else _rollback_failed(failure)
                    raise AssistantError(f"{_cause(exc, current, undone=False)}\n{detail}") from None
            else:
                transaction.discard()
            if isinstance(exc, _Signalled):
                raise Interrupted(exc.signum) from None
            if isinstance(exc, KeyboardInterrupt):
                raise Interrupted(signal.SIGINT) from None
            if isinstance(exc, Exception):
                raise AssistantError(_cause(exc, current, undone=True)) from None
            raise


def _cause(exc: BaseException, step: _Step | None, undone: bool) -> str:
    if isinstance(exc, _Signalled | KeyboardInterrupt):
        name = signal.Signals(getattr(exc, "signum", signal.SIGINT)).name
        what = f"interrupted by {name} while writing"
    elif isinstance(exc, AssistantError):
        what = str(exc)
    elif isinstance(exc, OSError):
        where = step.shown if step else exc.filename or "the journal"
        what = f"could not write {where} ({exc.strerror or exc})"
    else:
        what = f"internal error while writing ({type(exc).__name__}: {exc})"
    if not undone:
        return what
    return what if "nothing was changed" in what else f"{what}; every file was put back: nothing was changed"


def _rollback_failed(failure: Exception) -> str:
    return (
        f"could not put the files back ({type(failure).__name__}: {failure}); the journal in "
        ".git/migrate-assistant/journal is kept and the next migrate-assistant command tries again"
    )


def _steps(root: Path, edit: FileEdit) -> list[_Step]:
    """What writing ``edit`` does, path by path, after checking the files are as planned."""
    if edit.source is not None:
        source = _real(root, edit.source, follow=False)
        target = _real(root, edit.path, follow=False)
        _expect(root, source, edit.source, edit.before)
        _expect(root, target, edit.path, None)
        mode = _writable_mode(root, source, edit.source)
        return [_Step(target, edit.after.encode(), mode, edit.path), _Step(source, None, None, edit.source)]
    if edit.after is None:
        path = _real(root, edit.path, follow=False)
        _expect(root, path, edit.path, edit.before)
        _writable_mode(root, path, edit.path)
        return [_Step(path, None, None, edit.path)]
    path = _real(root, edit.path, follow=True)
    _expect(root, path, edit.path, edit.before)
    mode = _writable_mode(root, path, edit.path) if edit.before is not None else None
    return [_Step(path, edit.after.encode(), mode, edit.path)]


def _real(root: Path, relative: str, follow: bool) -> str:
    """``relative`` inside the (resolved) root with symlinks followed; refuses what leads outside."""
    full = root / relative
    parent = full.parent.resolve()
    if not parent.is_relative_to(root):
        raise AssistantError(f"{relative} is outside the repository ({parent}); nothing was written")
    target = parent / full.name
    if target.is_symlink():
        real = target.resolve()
        if not follow:
            raise AssistantError(
                f"{relative} is a symlink (to {real}): rename or delete it yourself; nothing was written"
            )
        if not real.is_relative_to(root) or (real.exists() and not real.is_file()):
            raise AssistantError(
                f"{relative} is a symlink to {real}, outside the repository: refusing to edit it; nothing was written"
            )
        target = real
    return target.relative_to(root).as_posix()


def _expect(root: Path, path: str, shown: str, text: str | None) -> None:
    """The file must be as it was when the plan was made."""
    full = root / path
    current = read_source(full) if full.is_file() else None
    if current is None and os.path.lexists(full) and text is None:
        raise AssistantError(f"{shown} already exists (not as a file); nothing was written")
    if current != text:
        raise AssistantError(
            f"the repository changed while planning: {shown} changed since the plan was made; nothing was written"
        )


def _writable_mode(root: Path, path: str, shown: str) -> int:
    mode = stat.S_IMODE((root / path).stat().st_mode)
    if not mode & stat.S_IWUSR:
        raise AssistantError(
            f"{shown} is read-only (mode {mode:o}): refusing to change it; make it writable first if the change "
            "is meant; nothing was written"
        )
    return mode


def _missing_dirs(root: Path, paths: list[str]) -> list[str]:
    """Directories to create for the new files, outermost first."""
    missing: list[str] = []
    for path in paths:
        chain = []
        directory = (root / path).parent
        while not directory.exists():
            chain.append(directory.relative_to(root).as_posix())
            directory = directory.parent
        missing.extend(item for item in reversed(chain) if item not in missing)
    return missing


class _Signalled(BaseException):
    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


class _Guard:
    """Raises ``_Signalled`` on the first signal until ``hold()``; after that (rolling back or
    committing) signals are ignored until the write is over."""

    def __init__(self):
        self.holding = False

    def handler(self, signum, frame) -> None:
        if self.holding:
            return
        self.holding = True
        raise _Signalled(signum)

    def hold(self) -> None:
        self.holding = True


@contextmanager
def _signals_raise():
    guard = _Guard()
    previous = {}
    try:
        for number in SIGNALS:
            previous[number] = signal.signal(number, guard.handler)
    except ValueError:  # not the main thread: signals cannot reach this code anyway
        pass
    try:
        yield guard
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
