"""One writer at a time: a lock file inside ``.git/`` held from planning to the end of writing.

The lock is an ``flock`` on ``.git/migrate-assistant/lock``, so it is released
when its holder exits, even on ``kill -9``: a lock left by a dead process is
stale and simply taken. The file names the holder's pid for the messages. The
lock is re-entrant within one process (the command line takes it before
planning, ``apply_plan`` takes it again).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from .errors import AssistantError

WAIT_SECONDS = 60.0  # MIGRATE_ASSISTANT_LOCK_WAIT overrides it
_held: dict[str, list[int]] = {}  # lock path → [file descriptor, depth]


def git_dir(start: Path) -> Path | None:
    """The git directory of the repository containing ``start`` (worktrees' ``.git`` files are followed)."""
    start = Path(start).resolve()
    for directory in (start, *start.parents):
        dot_git = directory / ".git"
        if dot_git.is_dir():
            return dot_git
        if dot_git.is_file():
            try:
                line = dot_git.read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError):
                return None
            if line.startswith("gitdir:"):
                target = Path(line[len("gitdir:") :].strip())
                return target if target.is_absolute() else (directory / target).resolve()
            return None
    return None


def state_dir(root: Path) -> Path:
    """Where the lock and the journal live: ``.git/migrate-assistant`` (a temporary directory without git)."""
    found = git_dir(root)
    if found is not None:
        return found / "migrate-assistant"
    import tempfile

    digest = hashlib.sha1(str(Path(root).resolve()).encode(), usedforsecurity=False).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"migrate-assistant-{digest}"


@contextmanager
def repository_lock(root: Path, on_wait: Callable[[int | None], None] | None = None):
    """Hold the repository's lock; waits for another holder, up to ``WAIT_SECONDS``, then refuses."""
    directory = state_dir(root)
    path = os.path.realpath(directory / "lock")
    if path in _held:
        _held[path][1] += 1
        try:
            yield
        finally:
            _held[path][1] -= 1
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise AssistantError(f"cannot create the repository lock {path} ({exc.strerror})") from None
    try:
        _acquire(fd, on_wait)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        _held[path] = [fd, 1]
        try:
            yield
        finally:
            del _held[path]
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # closing releases the flock


def _acquire(fd: int, on_wait) -> None:
    wait = float(os.environ.get("MIGRATE_ASSISTANT_LOCK_WAIT", WAIT_SECONDS))
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        holder = _holder(fd)
        if time.monotonic() >= deadline:
            who = f" (pid {holder})" if holder else ""
            raise AssistantError(
                f"the repository is locked by another migrate-assistant{who} that is planning or writing; "
                "nothing was written: run the command again when it has finished"
            )
        if not told and on_wait is not None:
            on_wait(holder)
            told = True
        time.sleep(0.05)


def _holder(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode().strip()
        return int(text) if text else None
    except (OSError, ValueError):
        return None
