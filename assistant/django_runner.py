"""Run the project's own Django (the configured command) in a subprocess, to verify.

``python`` at the start of the command means the project's environment's
interpreter when ``python-path`` names a virtualenv's ``site-packages``,
else the interpreter running migrate-assistant (installed next to Django in
the project's environment). Django is never imported into this process.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .errors import AssistantError
from .project import Project


def command(project: Project, *args: str) -> list[str]:
    configured = project.django_command
    if configured is None:
        raise AssistantError(
            "no command runs this project's Django: set django-command in [tool.migrate-assistant] "
            '(e.g. "python manage.py" or "sentry django")'
        )
    head = [project_python(project)] if configured[0] in ("python", "python3") else [configured[0]]
    return [*head, *configured[1:], *args]


def project_python(project: Project) -> str:
    """The interpreter of the virtualenv whose ``lib/pythonX.Y/site-packages`` is in ``python-path``
    (the project's packages are there), else the one running migrate-assistant."""
    for entry in project.python_path:
        if (
            entry.name == "site-packages"
            and entry.parent.name.startswith("python")
            and entry.parent.parent.name == "lib"
        ):
            interpreter = entry.parent.parent.parent / "bin" / "python"
            if interpreter.is_file():
                return str(interpreter)
    return sys.executable


def run_django(project: Project, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    argv = command(project, *args)
    try:
        return subprocess.run(argv, cwd=project.root, capture_output=True, text=True, timeout=timeout)
    except FileNotFoundError:
        raise AssistantError(f"cannot run {' '.join(argv)}: {argv[0]} was not found") from None
    except subprocess.TimeoutExpired:
        raise AssistantError(f"{' '.join(argv)} did not finish within {timeout:.0f} s") from None


def sqlmigrate(project: Project, app_label: str, migration: str) -> str:
    result = run_django(project, "sqlmigrate", app_label, migration)
    if result.returncode != 0:
        output = result.stderr or result.stdout
        schema = any(sign in output for sign in ("does not exist", "no such table", "Found wrong number"))
        hint = " (it reads the database's schema: is the database migrated to the current leaf?)" if schema else ""
        raise AssistantError(f"sqlmigrate {app_label} {migration} failed{hint}:\n{_last_lines(output, project.root)}")
    return result.stdout


@dataclass(frozen=True)
class Backend:
    """The database backend Django's default connection uses: the one ``sqlmigrate`` writes SQL for."""

    name: str  # as Django names it: "PostgreSQL", "SQLite", "MySQL"
    engine: str  # DATABASES["default"]["ENGINE"]
    settings: str  # the settings module it comes from

    def __str__(self) -> str:
        return f"{self.name} ({self.engine}) from settings {self.settings}"


_FRAME = re.compile(r'\s*File "(.+)", line (\d+)')
_MARK = "migrate-assistant-backend:"
_ASK_BACKEND = f"""
import json
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
connection = connections[DEFAULT_DB_ALIAS]
try:
    name = connection.display_name
except Exception:  # MySQL tells MariaDB apart only once connected
    name = connection.vendor
print({_MARK!r} + json.dumps([str(name), connection.settings_dict["ENGINE"], settings.SETTINGS_MODULE]))
"""


def database_backend(project: Project) -> Backend:
    """Ask the project's Django (``shell -c``, no connection opened) which backend its default database uses."""
    result = run_django(project, "shell", "-c", _ASK_BACKEND, timeout=300)
    lines = [line for line in result.stdout.splitlines() if line.startswith(_MARK)]
    if result.returncode != 0 or not lines:
        raise AssistantError(
            f"cannot ask Django for its database backend:\n{_last_lines(result.stderr or result.stdout, project.root)}"
        )
    return Backend(*json.loads(lines[-1].removeprefix(_MARK)))


def sql_heading_parts(backend: Backend | str) -> tuple[str, str]:
    """What SQL is written for, in two parts (the lead and the detail): the backend, its engine and settings
    module, or (``backend`` a string) why they are unknown. Every SQL output names it the same way."""
    if isinstance(backend, Backend):
        lead = f"SQL for {backend.name} ({backend.engine})"
        return lead, f" from settings {backend.settings}, by the project's sqlmigrate"
    return "SQL", f" by the project's sqlmigrate ({backend})"


def sql_heading(backend: Backend | str) -> str:
    return "".join(sql_heading_parts(backend))


def backend_or_reason(project: Project) -> Backend | str:
    """The backend, or the first line of why Django could not tell it (for a heading)."""
    try:
        return database_backend(project)
    except AssistantError as error:
        return str(error).splitlines()[0].removesuffix(":")


def _last_lines(output: str, root: Path | None = None, count: int = 3) -> str:
    """The end of Django's error output, without the traceback; the traceback's deepest frame in ``root``'s
    own code (not an environment inside it) leads as ``path:line``."""
    lines = [line for line in output.strip().splitlines() if line.strip()]
    if "Traceback (most recent call last):" not in output:
        return "\n".join(lines[-count:])
    frames = [_FRAME.match(line) for line in lines]
    ours = [
        f"{Path(frame[1]).relative_to(root)}:{frame[2]}"
        for frame in frames
        if frame and root and Path(frame[1]).is_relative_to(root) and "site-packages" not in frame[1]
    ]
    lines = [line for line in lines if not line.startswith((" ", "Traceback"))]
    return "\n".join(([f"{ours[-1]}:"] if ours else []) + lines[-count:])
