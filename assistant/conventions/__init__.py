"""Deployment conventions: everything that differs between Sentry, django-safemigrate and plain Django.

``detect(project)`` picks one per repository (``convention`` in
``[tool.migrate-assistant]`` overrides it); recipes, ``check`` and ``status``
ask it instead of testing the style themselves.
"""

from __future__ import annotations

import re

from .base import Convention, MigrationClass, Removal
from .plain import PLAIN
from .safemigrate import SAFEMIGRATE
from .sentry import SENTRY

CONVENTIONS = {convention.name: convention for convention in (SENTRY, SAFEMIGRATE, PLAIN)}
_SAFEMIGRATE = re.compile(r"django[-_]safemigrate", re.I)
_DEPENDENCY_FILES = ("pyproject.toml", "setup.cfg", "setup.py", "Pipfile", "poetry.lock", "uv.lock")


def detect(project) -> Convention:
    if project.config.convention:
        return CONVENTIONS[project.config.convention]
    if project.sentry_style:
        return SENTRY
    if uses_safemigrate(project):
        return SAFEMIGRATE
    return PLAIN


def uses_safemigrate(project) -> bool:
    """django-safemigrate in the dependencies (requirements*.txt, pyproject.toml...) or in a settings module."""
    candidates = [project.root / name for name in _DEPENDENCY_FILES]
    candidates += sorted(project.root.glob("requirements*.txt")) + sorted(project.root.glob("requirements/*.txt"))
    candidates += [path for path in project.python_files if _is_settings(path)]
    for path in candidates:
        try:
            if path.is_file() and _SAFEMIGRATE.search(path.read_text(encoding="utf-8", errors="replace")):
                return True
        except OSError:
            continue
    return False


def _is_settings(path) -> bool:
    return path.stem.startswith("settings") or path.parent.name == "settings"


__all__ = ["CONVENTIONS", "Convention", "MigrationClass", "Removal", "detect"]
