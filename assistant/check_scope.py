"""Which migrations ``check`` looks at: those added or changed on this branch, and uncommitted ones."""

from __future__ import annotations

from pathlib import Path

from .errors import UsageError
from .git_state import main_ref, open_repo
from .project import Project


def migration_files(project: Project, paths: list[str]) -> list[tuple[str, Path]]:
    """(app label, file) of the migrations to check: ``paths`` when given, else this branch's."""
    if paths:
        return [_explicit(project, path) for path in paths]
    found = []
    for relative in sorted(_changed_files(project)):
        path = project.root / relative
        app = _app_of_migration(project, path)
        if app and path.is_file():
            found.append((app, path))
    return found


def _explicit(project: Project, text: str) -> tuple[str, Path]:
    path = Path(text)
    if not path.is_absolute():
        here = Path.cwd() / path
        path = (here if here.is_file() else project.root / path).resolve()
    if not path.is_file():
        raise UsageError(f"{text}: no such file")
    app = _app_of_migration(project, path)
    if app is None:
        raise UsageError(f"{text} is not a migration of an app in {project.root}")
    return app, path


def _app_of_migration(project: Project, path: Path) -> str | None:
    if not path.name[:1].isdigit() or path.suffix != ".py":
        return None
    return next((label for label, app in project.apps.items() if path.parent == app.migrations_dir), None)


def _changed_files(project: Project) -> set[str]:
    """Files added or changed since the merge-base with the main branch, committed or not."""
    if not (project.root / ".git").exists():
        return set()
    folders = [project.relative(app.migrations_dir) for app in project.apps.values()]
    with open_repo(project.root) as repo:
        changed = set(repo.git.ls_files("--others", "--exclude-standard", "--", *folders).splitlines())
        if repo.head.is_valid():
            changed |= set(repo.git.diff("--name-only", "--diff-filter=AMR", "HEAD", "--", *folders).splitlines())
            main = main_ref(repo, project.config.main_branch)
            if main:
                base = repo.git.merge_base("HEAD", main)
                changed |= set(
                    repo.git.diff("--name-only", "--diff-filter=AMR", base, "HEAD", "--", *folders).splitlines()
                )
    return changed
