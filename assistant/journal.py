"""Writing as a journaled transaction: what a write replaces is saved in ``.git/`` first.

Before the first write, the original bytes, mode and existence of every path
are saved in ``.git/migrate-assistant/journal/`` and ``manifest.json`` is put in
place (the transaction is open while it exists). Each file is written to a
temporary file next to it (named in the manifest) and renamed over it. Removing
the manifest commits. Rolling back — after an error, a signal, or by the next
command after a ``kill -9`` (``recover``) — puts every path back as the manifest
says and removes the temporary files and the directories that were created.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import AssistantError
from .repo_lock import git_dir, repository_lock, state_dir

MANIFEST = "manifest.json"
TEMP_SUFFIX = ".migrate-assistant.tmp"


@dataclass
class Entry:
    """One path of the working tree the transaction may change (relative, symlinks resolved)."""

    path: str
    existed: bool
    mode: int | None
    backup: str | None  # file in the journal holding the original bytes

    @property
    def temp(self) -> str:
        head, _, name = self.path.rpartition("/")
        return f"{head}/.{name}{TEMP_SUFFIX}" if head else f".{name}{TEMP_SUFFIX}"


class RollbackIncomplete(AssistantError):
    """Some paths could not be put back; the message says which and how."""


class Transaction:
    def __init__(self, root: Path, paths: list[str], new_dirs: list[str], index: Path | None = None):
        self.root = root
        self.directory = state_dir(root) / "journal"
        self.new_dirs = new_dirs
        self.index = index
        self.entries: dict[str, Entry] = {}
        for number, path in enumerate(paths):
            full = root / path
            existed = full.is_file()
            mode = stat.S_IMODE(full.stat().st_mode) if existed else None
            self.entries[path] = Entry(path, existed, mode, f"{number}.orig" if existed else None)

    def begin(self) -> None:
        """Save the originals and open the transaction (nothing in the working tree is changed yet)."""
        if self.directory.exists():
            shutil.rmtree(self.directory)  # a journal without manifest: a transaction that never opened
        self.directory.mkdir(parents=True)
        for entry in self.entries.values():
            if entry.backup:
                _write_durably(self.directory / entry.backup, (self.root / entry.path).read_bytes())
        if self.index is not None and self.index.is_file():
            _write_durably(self.directory / "index.orig", self.index.read_bytes())
        manifest = {
            "pid": os.getpid(),
            "started": time.strftime("%Y-%m-%d %H:%M:%S"),
            "root": str(self.root),
            "entries": [asdict(entry) for entry in self.entries.values()],
            "new_dirs": self.new_dirs,
            "index": str(self.index) if self.index is not None else None,
        }
        _write_durably(self.directory / (MANIFEST + ".new"), json.dumps(manifest, indent=1).encode())
        os.replace(self.directory / (MANIFEST + ".new"), self.directory / MANIFEST)
        _sync_directory(self.directory)

    def make_dirs(self) -> None:
        for directory in self.new_dirs:
            (self.root / directory).mkdir(exist_ok=True)

    def write(self, path: str, data: bytes, mode: int | None) -> None:
        """Replace ``path`` with ``data`` atomically; ``mode`` ``None`` lets the umask decide."""
        entry = self.entries[path]
        temp = self.root / entry.temp
        if os.path.lexists(temp):
            temp.unlink()
        _write_durably(temp, data, mode)
        os.replace(temp, self.root / path)

    def delete(self, path: str) -> None:
        (self.root / path).unlink()

    def commit(self) -> None:
        (self.directory / MANIFEST).unlink()
        try:
            _sync_directory(self.directory)
        except OSError:
            pass  # committed all the same: the manifest is gone
        shutil.rmtree(self.directory, ignore_errors=True)

    def rollback(self) -> None:
        rollback(self.root, self.directory)

    def discard(self) -> None:
        """Forget a transaction that never opened (nothing in the working tree was changed)."""
        shutil.rmtree(self.directory, ignore_errors=True)


def rollback(root: Path, directory: Path) -> list[str]:
    """Put back every path of the journal in ``directory``; returns the paths it touched.

    Raises ``RollbackIncomplete`` (keeping the journal, so that the next command tries again)
    when a path cannot be put back.
    """
    manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    entries = [Entry(**item) for item in manifest["entries"]]
    restored, failed = [], []
    for entry in reversed(entries):
        try:
            if _restore(root, directory, entry):
                restored.append(entry.path)
        except OSError as exc:
            failed.append((entry, exc))
    for relative in reversed(manifest["new_dirs"]):
        try:
            (root / relative).rmdir()
        except OSError:
            pass
    if manifest["index"] and (directory / "index.orig").is_file():
        try:
            index = Path(manifest["index"])
            _wait_for_git(index.with_name("index.lock"))
            temp = index.with_name("index.migrate-assistant.tmp")
            if os.path.lexists(temp):
                temp.unlink()
            _write_durably(temp, (directory / "index.orig").read_bytes())
            os.replace(temp, index)
        except OSError as exc:
            failed.append((Entry(manifest["index"], True, None, "index.orig"), exc))
    if failed:
        raise RollbackIncomplete(_incomplete_message(root, directory, failed))
    (directory / MANIFEST).unlink()
    shutil.rmtree(directory, ignore_errors=True)
    return sorted(restored)


def _restore(root: Path, directory: Path, entry: Entry) -> bool:
    """Put one path back; ``True`` when something had to change."""
    target = root / entry.path
    temp = root / entry.temp
    if os.path.lexists(temp):
        temp.unlink()
    if not entry.existed:
        if os.path.lexists(target):
            target.unlink()
            return True
        return False
    original = (directory / entry.backup).read_bytes()
    if target.is_file() and not target.is_symlink():
        if target.read_bytes() == original and stat.S_IMODE(target.stat().st_mode) == entry.mode:
            return False
    try:
        _write_durably(temp, original, entry.mode)
        os.replace(temp, target)
    except BaseException:
        if os.path.lexists(temp):
            temp.unlink()
        raise
    return True


def _incomplete_message(root: Path, directory: Path, failed: list[tuple[Entry, OSError]]) -> str:
    lines = [
        f"could not put back {len(failed)} file(s), left as the interrupted write made them "
        f"(originals saved in {directory}; the next migrate-assistant command tries again):"
    ]
    for entry, exc in failed:
        reason = exc.strerror or str(exc)
        if not entry.existed:
            lines.append(f"  {entry.path} (new, {reason}): delete it: rm {entry.path}")
        elif entry.backup and _same_as_head(root, entry.path, directory / entry.backup):
            lines.append(f"  {entry.path} ({reason}): restore it: git checkout -- {entry.path}")
        elif entry.backup:
            lines.append(f"  {entry.path} ({reason}): restore it: cp {directory / entry.backup} {entry.path}")
        else:
            lines.append(f"  {entry.path} ({reason})")
    return "\n".join(lines)


def _same_as_head(root: Path, path: str, backup: Path) -> bool:
    """Whether the original is the committed version, so that ``git checkout`` restores it exactly."""
    import subprocess

    try:
        committed = subprocess.run(
            ["git", "-C", str(root), "show", f"HEAD:{path}"], capture_output=True, timeout=30, check=True
        ).stdout
        return committed == backup.read_bytes()
    except (OSError, subprocess.SubprocessError):
        return False


def pending_journal(root: Path) -> bool:
    """Whether a write interrupted earlier still waits to be undone."""
    return (state_dir(root) / "journal" / MANIFEST).is_file()


def recover(start: Path) -> str | None:
    """Undo a write that was interrupted (``kill -9``, power loss); a message when there was one.

    Cheap when there is nothing to do: the stat of one path.
    """
    found = git_dir(start)
    if found is None:
        return None
    directory = found / "migrate-assistant" / "journal"
    if not directory.is_dir():
        return None
    root = found.parent if found.name == ".git" else Path(start)
    with repository_lock(root):  # a live writer holds it: wait for it rather than undo its work
        if not (directory / MANIFEST).is_file():
            shutil.rmtree(directory, ignore_errors=True)  # committed, or never opened: nothing to undo
            return None
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        written = Path(manifest["root"])
        restored = rollback(written if written.is_dir() else root.resolve(), directory)
    where = ", ".join(restored) if restored else "no file had changed yet"
    return (
        f"a write interrupted at {manifest['started']} (pid {manifest['pid']}) was undone: "
        f"the repository is as it was before it ({where})"
    )


def _wait_for_git(lock: Path, seconds: float = 10.0) -> None:
    """A ``git add`` the interrupted process started may still be running: let it finish first."""
    deadline = time.monotonic() + seconds
    while lock.exists() and time.monotonic() < deadline:
        time.sleep(0.05)


def _write_durably(path: Path, data: bytes, mode: int | None = None) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
