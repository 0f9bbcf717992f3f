"""Which migrations ``check`` looks at: those added or changed on this branch, and uncommitted ones.

A migration is what Django's loader loads: any module of an app's migrations package whose
name does not start with ``_`` or ``~`` (``0042_x.py`` and ``fix_empty_data.py`` alike).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import UsageError
from .git_state import BranchBase, branch_base, open_repo
from .project import Project

_MIGRATION_CLASS = re.compile(r"^class Migration\(", re.M)


@dataclass
class Scope:
    files: list[tuple[str, Path]] = field(default_factory=list)  # (app label, file)
    skipped: list[str] = field(default_factory=list)  # "path: why", for files that are no migration
    unscoped: str | None = None  # why there is no default selection (no git): paths must be given


def check_scope(project: Project, paths: list[str], branch: BranchBase | None = None) -> Scope:
    """The migrations to check: ``paths`` when given, else this branch's; non-migrations are skipped, saying why.
    ``branch``: where the branch left the main branch, if already asked."""
    scope = Scope()
    if paths:
        candidates = [(text, _existing(project, text)) for text in paths]
    elif not (project.root / ".git").exists():
        scope.unscoped = (
            f"{project.root} is not a git repository, so there is no branch to compare with the main branch: "
            "pass the migrations to check (migrate-assistant check PATH ...)"
        )
        return scope
    else:
        branch = branch or branch_base(project.root, project.config.main_branch)
        changed = sorted(project.root / relative for relative in _changed_files(project, branch))
        candidates = [(project.relative(path), path) for path in changed if path.is_file()]
    for text, path in candidates:
        app = _app_of_migration(project, path)
        why = _not_a_migration(project, path, app)
        if why:
            scope.skipped.append(f"{text}: {why}")
        else:
            scope.files.append((app, path))
    return scope


def migration_files(project: Project, paths: list[str]) -> list[tuple[str, Path]]:
    """(app label, file) of the migrations named; anything else is a usage error."""
    found = []
    for text in paths:
        path = _existing(project, text)
        app = _app_of_migration(project, path)
        why = _not_a_migration(project, path, app)
        if why:
            raise UsageError(f"{text}: {why}")
        found.append((app, path))
    return found


def _existing(project: Project, text: str) -> Path:
    path = Path(text)
    if not path.is_absolute():
        here = Path.cwd() / path
        path = here if here.is_file() else project.root / path
    if path.is_dir():
        raise UsageError(f"{text}: a directory, not a migration file (name each migration)")
    if not path.is_file():
        raise UsageError(f"{text}: no such file")
    return path.absolute()


def _app_of_migration(project: Project, path: Path) -> str | None:
    folder = path.parent.resolve()
    return next(
        (label for label, app in project.apps.items() if folder == app.migrations_dir.resolve()),
        None,
    )


def _not_a_migration(project: Project, path: Path, app: str | None) -> str | None:
    if app is None:
        return f"not a migration: not in the migrations package of an app in {project.root}"
    if path.suffix != ".py" or path.name[0] in "_~":
        return "not a migration: Django's loader skips modules whose name starts with '_' or '~'"
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return f"cannot be read ({exc})"
    if not _MIGRATION_CLASS.search(text):
        return "not a migration: it has no Migration class (Django's loader refuses such a module there)"
    return None


def _changed_files(project: Project, branch: BranchBase) -> set[str]:
    """Files added or changed since the merge-base with the main branch, committed or not."""
    folders = [project.relative(app.migrations_dir.resolve()) for app in project.apps.values()]
    with open_repo(project.root) as repo:
        changed = set(repo.git.ls_files("--others", "--exclude-standard", "--", *folders).splitlines())
        if branch.head:
            changed |= set(repo.git.diff("--name-only", "--diff-filter=AMR", "HEAD", "--", *folders).splitlines())
        if branch.base:
            changed |= set(
                repo.git.diff("--name-only", "--diff-filter=AMR", branch.base, "HEAD", "--", *folders).splitlines()
            )
    return changed
