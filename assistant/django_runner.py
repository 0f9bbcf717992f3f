"""Run the project's own Django (the configured command) in a subprocess, to verify.

``python`` at the start of the command means the project's environment's
interpreter when ``python-path`` names a virtualenv's ``site-packages``,
else the interpreter running migrate-assistant (installed next to Django in
the project's environment). Django is never imported into this process.
"""

from __future__ import annotations

import subprocess
import sys

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
        raise AssistantError(f"sqlmigrate {app_label} {migration} failed{hint}:\n{_last_lines(output)}")
    return result.stdout


def _last_lines(output: str, count: int = 3) -> str:
    """The end of Django's error output, without the traceback."""
    lines = [line for line in output.strip().splitlines() if line.strip()]
    if "Traceback (most recent call last):" in output:
        lines = [line for line in lines if not line.startswith((" ", "Traceback"))]
    return "\n".join(lines[-count:])
