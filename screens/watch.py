"""Cheap change detection for the assistant: file stamps of what the index reads, and git's HEAD,
branch and any merge or rebase in progress (read from ``.git`` directly, no subprocess)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from migrate_assistant.model_index import is_models_module

IN_PROGRESS = (
    ("MERGE_HEAD", "merge in progress"),
    ("rebase-merge", "rebase in progress"),
    ("rebase-apply", "rebase in progress"),
    ("CHERRY_PICK_HEAD", "cherry-pick in progress"),
    ("REVERT_HEAD", "revert in progress"),
)


@dataclass(frozen=True)
class GitInfo:
    branch: str | None  # None when HEAD is detached
    head: str
    in_progress: str | None

    def describe(self) -> str:
        where = f"on {self.branch}" if self.branch else f"detached at {self.head[:12]}"
        return f"{where} · {self.in_progress}" if self.in_progress else where


def git_dir(root: Path) -> Path | None:
    dot_git = root / ".git"
    if dot_git.is_dir():
        return dot_git
    if dot_git.is_file():  # a worktree or submodule: "gitdir: <path>"
        text = dot_git.read_text(encoding="utf-8", errors="replace").strip()
        if text.startswith("gitdir:"):
            path = Path(text.removeprefix("gitdir:").strip())
            return path if path.is_absolute() else (root / path).resolve()
    return None


def git_info(root: Path) -> GitInfo | None:
    directory = git_dir(root)
    if directory is None:
        return None
    try:
        head = (directory / "HEAD").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    branch = head.removeprefix("ref: refs/heads/") if head.startswith("ref: refs/heads/") else None
    doing = next((what for name, what in IN_PROGRESS if (directory / name).exists()), None)
    return GitInfo(branch, head, doing)


def stamps(project) -> tuple:
    """What changes when migrations, models, the lockfile or git's HEAD change (one ``stat`` per file)."""
    found = []
    for app in project.apps.values():
        try:
            with os.scandir(app.migrations_dir) as entries:
                found.extend(
                    (e.name, e.stat().st_mtime_ns, e.stat().st_size) for e in entries if e.name.endswith(".py")
                )
        except OSError:
            found.append((str(app.migrations_dir), None))
    for path in project.python_files:
        if is_models_module(path):
            found.append(_stamp(path))
    if project.lockfile is not None:
        found.append(_stamp(project.lockfile))
    directory = git_dir(project.root)
    if directory is not None:
        found.append(_stamp(directory / "HEAD"))
        info = git_info(project.root)
        if info and info.branch:
            found.append(_stamp(directory / "refs/heads" / info.branch))
        found.extend((name, (directory / name).exists()) for name, _ in IN_PROGRESS)
    return tuple(found)


def _stamp(path: Path) -> tuple:
    try:
        info = path.stat()
    except OSError:
        return (str(path), None)
    return (str(path), info.st_mtime_ns, info.st_size)
