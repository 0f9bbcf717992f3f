"""Generated-code sweep: run the recipes on a sample of a real project and let its Django judge the result.

For a deterministic sample of the project's fields and models (from ``state --format json``), each case runs one
recipe (``remove-field``/``remove-model`` phase 1, ``rename-field``, ``add-field``) on a committed scratch copy,
then the project's ``manage.py check`` and ``makemigrations --check --dry-run`` in its corpus environment. A case
passes when it ends clean (exit 0, neither Django command reports anything the untouched copy does not: the minimal
corpus settings have warnings of their own) or is refused (exit 1, one ``migrate-assistant: ...``
line, no file changed); anything else fails. No Sentry-style text may appear in the output or the written files of
these plain projects. The copy is reset with git between cases.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

SWEEP_PROJECTS = ("libs", "allauth")
MAX_FIELDS = 6
MAX_RENAMES = 2
MAX_MODELS = 2
ADDED_FIELD = "models.IntegerField(null=True)"
FORBIDDEN = re.compile(r"sentry|SafeRemoveField|SafeDeleteModel|DeletionAction", re.IGNORECASE)
TIMEOUT = 300
# ``--skip-checks``: ``check`` runs them; makemigrations compares even where a case breaks them.
DJANGO_COMMANDS = ("check", "makemigrations --check --dry-run --skip-checks")
ISSUE_COUNT = re.compile(r"System check identified (\d+ issues?|no issues) \(\d+ silenced\)\.")


@dataclass
class SweepResult:
    """The figures of one project's sweep; ``failures`` holds one readable paragraph per failing case."""

    project: str
    planned: int = 0
    clean: int = 0
    refusals: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def refused(self) -> int:
        return len(self.refusals)

    def format(self) -> str:
        lines = [
            f"{self.project} sweep: {self.planned} planned, {self.refused} refused with a message, "
            f"{self.clean} clean, {len(self.failures)} failing"
        ]
        lines += ["  refused " + refusal for refusal in self.refusals]
        lines += ["  FAIL " + failure.replace("\n", "\n    ") for failure in self.failures]
        return "\n".join(lines)


def sample_cases(state: dict) -> list[list[str]]:
    """The recipe arguments for ``state`` (``state --format json``): fields and models taken app by app, in order."""
    per_app_fields = []
    per_app_models = []
    for app in sorted(state["apps"]):
        app_models = state["apps"][app]["models"]
        concrete = [name for name in sorted(app_models) if app_models[name]["fields"]]
        per_app_models.append([(app, name) for name in concrete])
        per_app_fields.append(
            [
                (app, name, field_name)
                for name in concrete
                for field_name, info in app_models[name]["fields"].items()
                if not info.get("primary_key")
            ]
        )
    fields = _round_robin(per_app_fields, MAX_FIELDS)
    models = _round_robin(per_app_models, MAX_MODELS)
    cases = [["remove-field", f"{app}.{model}.{name}", "--phase", "1"] for app, model, name in fields]
    cases += [["rename-field", f"{app}.{model}.{name}", f"{name}_renamed"] for app, model, name in fields[:MAX_RENAMES]]
    cases += [["remove-model", f"{app}.{model}", "--phase", "1"] for app, model in models]
    cases += [["add-field", f"{app}.{model}.sweep_added", ADDED_FIELD] for app, model in models]
    return cases


def _round_robin(groups: list[list], limit: int) -> list:
    """The first of each group, then the second of each, ... up to ``limit`` items."""
    picked = []
    for depth in range(max((len(group) for group in groups), default=0)):
        picked += [group[depth] for group in groups if depth < len(group)]
    return picked[:limit]


def sweep_project(name: str, root: Path, env: Path, ma_python: str, state: dict) -> SweepResult:
    """Run every sampled case of project ``name`` (scratch project ``root``) on one committed copy."""
    result = SweepResult(name)
    with tempfile.TemporaryDirectory(prefix=f"sweep-{name}-") as scratch:
        copy = Path(scratch) / name
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".git"))
        _git(copy, "init", "-q")
        _git(copy, "add", "-A")
        _git(copy, "commit", "-q", "-m", "corpus sweep baseline")
        baseline = {command: _django(copy, env, command) for command in DJANGO_COMMANDS}
        if baseline[DJANGO_COMMANDS[1]][0] != 0:
            result.failures.append(f"untouched copy: `manage.py {DJANGO_COMMANDS[1]}`: {baseline[DJANGO_COMMANDS[1]]}")
            return result
        for case in sample_cases(state):
            result.planned += 1
            outcome, text = run_case(copy, env, ma_python, case, baseline)
            if outcome == "refused":
                result.refusals.append(text)
            elif outcome == "clean":
                result.clean += 1
            else:
                result.failures.append(text)
            _git(copy, "reset", "-q", "--hard")
            _git(copy, "clean", "-q", "-fdx")
    return result


def run_case(copy: Path, env: Path, ma_python: str, case: list[str], baseline: dict) -> tuple[str, str]:
    """``("clean" | "refused" | "failed", what happened)``; ``baseline``: Django's output on the untouched copy."""
    command = [ma_python, "-m", "migrate_assistant", "--repo", str(copy), *case]
    shown = "migrate-assistant " + " ".join(_quote(part) for part in case)
    completed = _capture(command, copy)
    output = completed.stdout + completed.stderr
    changed = _git(copy, "status", "--porcelain", "--untracked-files=all").stdout.rstrip()
    written = _git(copy, "diff").stdout + "".join(
        (copy / line[3:]).read_text(encoding="utf-8", errors="replace")
        for line in changed.splitlines()
        if line.startswith("??")
    )
    added = "\n".join(line for line in written.splitlines() if not line.startswith(("-", " ", "@@")))
    forbidden = FORBIDDEN.search(output) or FORBIDDEN.search(added)
    if forbidden:
        return "failed", f"{shown}: Sentry-style text {forbidden.group(0)!r} in its output or written files"
    if "Traceback (most recent call last)" in output:
        return "failed", f"{shown}: traceback (exit {completed.returncode}):\n{output.strip()[-1500:]}"
    if completed.returncode == 1:
        lines = completed.stderr.strip().splitlines()
        if len(lines) != 1 or not lines[0].startswith("migrate-assistant: "):
            message = completed.stderr.strip()[-1500:]
            return "failed", f"{shown}: exit 1 without one `migrate-assistant: ...` message:\n{message}"
        if changed:
            return "failed", f"{shown}: refused but changed files:\n{changed}"
        return "refused", f"{shown}: {lines[0]}"
    if completed.returncode != 0:
        return "failed", f"{shown}: exit {completed.returncode}:\n{output.strip()[-1500:]}"
    if not changed:
        return "failed", f"{shown}: exit 0 but wrote nothing"
    rejections = []
    for command in DJANGO_COMMANDS:
        status, lines = _django(copy, env, command)
        new = [line for line in lines if line not in baseline[command][1]]
        if status != baseline[command][0] or new:
            rejections.append(f"`manage.py {command}` exited {status}, new output:\n" + "\n".join(new or lines)[-1500:])
    if rejections:
        files = ", ".join(line[3:] for line in changed.splitlines())
        warned = next((line for line in output.splitlines() if line.startswith("warning:")), "no warning")
        return "failed", f"{shown}: exit 0 ({warned}), wrote {files}; " + "\n".join(rejections)
    return "clean", shown


def _django(copy: Path, env: Path, command: str) -> tuple[int, list[str]]:
    """Exit status and output lines (the issue count left out) of ``manage.py command`` in the corpus env."""
    completed = _capture([str(env / "bin" / "python"), "manage.py", *command.split()], copy)
    lines = (completed.stdout + completed.stderr).splitlines()
    return completed.returncode, [line for line in lines if line.strip() and not ISSUE_COUNT.match(line)]


def _capture(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    try:
        return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=environment, timeout=TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        return subprocess.CompletedProcess(command, -1, "", f"timed out after {exc.timeout} s")


def _git(copy: Path, *args: str) -> subprocess.CompletedProcess:
    command = ["git", "-c", "user.name=corpus", "-c", "user.email=corpus@example.invalid", "-C", str(copy), *args]
    return subprocess.run(command, capture_output=True, text=True, check=True)


def _quote(part: str) -> str:
    return f'"{part}"' if " " in part or "(" in part else part
