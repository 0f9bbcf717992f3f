"""The SQL of a plan's new migrations, before anything is written.

The repository is mirrored with hard links into a temporary directory, the plan
is applied there (each written file replaces its link, so the real files are
never touched), and the project's own ``sqlmigrate`` runs on the copy.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from .apply import apply_edits
from .django_runner import Backend, backend_or_reason, sqlmigrate
from .plan import Plan
from .project import Project
from .repo_lock import state_dir

_T = TypeVar("_T")
_SKIPPED = {".git", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".mypy_cache", ".pytest_cache"}


def planned_migrations(project: Project, plan: Plan) -> list[tuple[str, str]]:
    """(app label, migration name) of every migration the plan creates."""
    found = []
    for path in plan.created:
        for label, app in project.apps.items():
            if path.startswith(project.relative(app.migrations_dir) + "/"):
                found.append((label, Path(path).stem))
    return found


def preview_sql(
    project: Project, plan: Plan, progress: Callable[[str], None] = lambda message: None
) -> list[tuple[str, str]]:
    """(``app/migration``, SQL) for each migration the plan creates."""
    progress("Linking a copy of the repository")
    with scratch_copy(project, plan) as copy:
        results = []
        for label, name in planned_migrations(project, plan):
            progress(f"sqlmigrate {label} {name}")
            results.append((f"{label}/{name}", sqlmigrate(copy, label, name)))
        return results


def with_backend(project: Project, load: Callable[[], _T]) -> tuple[_T, Backend | str]:
    """``load()``'s SQL and the backend it is written for (or why that is unknown), Django asked meanwhile."""
    with ThreadPoolExecutor(1) as pool:
        asking = pool.submit(backend_or_reason, project)
        return load(), asking.result()


@contextmanager
def scratch_copy(project: Project, plan: Plan) -> Iterator[Project]:
    """The project in a temporary hard-linked copy of the repository, with the plan applied there."""
    with tempfile.TemporaryDirectory(prefix="migrate-assistant-scratch-") as scratch:
        mirror = Path(scratch) / project.root.name
        _link_tree(project.root, mirror)
        try:
            apply_edits(mirror, plan.edits)
        finally:
            shutil.rmtree(state_dir(mirror), ignore_errors=True)  # the copy has no .git: its lock is elsewhere
        # python-path stays the original's (the copy leaves virtualenvs out): the same environment runs Django
        config = replace(project.config, python_path=tuple(str(path) for path in project.python_path))
        yield replace(project, root=mirror, config=config)


def _link_tree(source: Path, target: Path) -> None:
    for directory, dirs, files in os.walk(source):
        dirs[:] = [d for d in dirs if d not in _SKIPPED and not (Path(directory, d) / "pyvenv.cfg").exists()]
        destination = target / Path(directory).relative_to(source)
        destination.mkdir(parents=True, exist_ok=True)
        for name in files:
            _link(Path(directory, name), destination / name)


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError as error:
        if error.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK):
            raise
        shutil.copy2(source, target)
