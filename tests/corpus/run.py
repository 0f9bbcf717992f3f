"""Compare ``migrate-assistant state --format json`` with Django's own state on real projects from PyPI.

``python tests/corpus/run.py [--ma-python PATH] [--project NAME ...] [--work DIR] [--sweep]``

For each project of ``projects.py``: build its environment once (a venv per requirements file, outside the
project's own venv), copy the installed packages' source into a scratch project with minimal settings, a
``manage.py`` and a ``pyproject.toml`` (``settings``, ``python-path``, ``exclude``), dump Django's view with
``django_state.py`` (run in that environment), run ``state --format json`` with ``--ma-python``, and compare.
Exit status 1 when any difference is silent (not declared in ``unreadable``) or migrate-assistant failed on a
project; a project that cannot be set up (PyPI, Django) is reported and fails the run only with ``--strict``.
``--sweep`` also runs the generated-code sweep (``sweep.py``) on its projects; a failing case fails the run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from compare import compare, format_report  # noqa: E402
from projects import PROJECTS, CorpusProject  # noqa: E402
from sweep import SWEEP_PROJECTS, sweep_project  # noqa: E402

REPOSITORY = HERE.parent.parent
SETTINGS_MODULE = "corpus_settings"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tests/corpus/run.py", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--ma-python",
        type=os.path.abspath,  # the sweep runs it from a scratch copy: a relative path would not be found there
        default=_default_ma_python(),
        help="the Python that runs migrate_assistant",
    )
    parser.add_argument("--project", action="append", choices=sorted(PROJECTS), help="only these (repeatable)")
    parser.add_argument("--work", default=str(REPOSITORY / ".corpus"), help="environments and scratch projects")
    parser.add_argument("--django-only", action="store_true", help="build and dump Django's view only")
    parser.add_argument("--report", help="also write the comparison as JSON to this file")
    parser.add_argument(
        "--wait-for-ma",
        type=float,
        default=0,
        metavar="SECONDS",
        help="wait up to SECONDS for --ma-python to import migrate_assistant (CI installs it meanwhile)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="also fail when a project cannot be set up (install or Django failed), not only on our side's errors",
    )
    parser.add_argument(
        "--sweep",
        action="store_true",
        help=f"also run the generated-code sweep (sweep.py) on {', '.join(SWEEP_PROJECTS)} when selected",
    )
    parser.add_argument("--list", action="store_true", help="list the projects and exit")
    parser.add_argument("-v", "--verbose", action="store_true", help="list declared differences too")
    args = parser.parse_args(argv)
    if args.list:
        for project in PROJECTS.values():
            print(f"{project.name:<10} {project.env:<7} {', '.join(project.packages):<45} {project.notes}")
        return 0
    work = Path(args.work).resolve()
    names = args.project or list(PROJECTS)
    results = {}
    failures = []  # projects migrate-assistant failed on (it crashed, or printed no JSON)
    not_compared = []  # projects whose environment or Django view could not be built
    sweeps = []  # (name, root, env, state) of the projects the sweep runs on
    envs = _ensure_envs(work, sorted({PROJECTS[name].env for name in names}))
    for name in names:
        project = PROJECTS[name]
        try:
            env = envs[project.env]
            if isinstance(env, CorpusError):
                raise env
            root = ensure_project(work, project, env)
            django_view = dump_django(work, project, env, root)
            if args.django_only:
                print(f"{name}: Django's view in {work / (name + '.django.json')}", flush=True)
                continue
            wait_for_ma(args.ma_python, args.wait_for_ma)
            started = time.perf_counter()
            ours = dump_ours(work, project, args.ma_python, root)
            state_seconds = time.perf_counter() - started
        except CorpusError as exc:
            (failures if exc.ours else not_compared).append(name)
            print(f"{name}: ERROR {exc}", flush=True)
            continue
        if args.sweep and name in SWEEP_PROJECTS:
            sweeps.append((name, root, env, ours))
        result = compare(ours, django_view, root)
        result["timing"] = {"state": round(state_seconds, 2), "django": django_view.get("seconds")}
        results[name] = result
        print(format_report(name, result, verbose=args.verbose), flush=True)
    if args.report:
        Path(args.report).write_text(json.dumps(results, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    silent = sum(result["counts"]["silent"] for result in results.values())
    if results:
        print(_summary(results))
    sweep_failures = _run_sweeps(sweeps, args.ma_python)
    if failures:
        print("corpus: migrate-assistant failed on " + ", ".join(failures) + " (see above)", file=sys.stderr)
    if not_compared:
        print("corpus: could not set up " + ", ".join(not_compared) + " (see above)", file=sys.stderr)
    if silent:
        print(f"corpus: {silent} silent mismatch(es)", file=sys.stderr)
    if not args.django_only:
        passed = sum(not result["counts"]["silent"] for result in results.values())
        print(f"corpus: {passed} passed, {len(names) - passed} failed")
    return 1 if silent or failures or sweep_failures or (args.strict and not_compared) else 0


def _run_sweeps(sweeps: list[tuple], ma_python: str) -> int:
    """Run the sweeps side by side, print their figures; the number of failing cases."""
    if not sweeps:
        return 0
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(sweeps)) as pool:
        results = list(pool.map(lambda job: sweep_project(*job[:3], ma_python, job[3]), sweeps))
    for result in results:
        print(result.format(), flush=True)
    totals = [sum(getattr(result, key) for result in results) for key in ("planned", "refused", "clean")]
    failing = sum(len(result.failures) for result in results)
    print(
        f"corpus sweep: {totals[0]} planned, {totals[1]} refused with a message, {totals[2]} clean, "
        f"{failing} failing ({time.perf_counter() - started:.0f} s)",
        flush=True,
    )
    if failing:
        print(f"corpus: {failing} sweep case(s) failing (see above)", file=sys.stderr)
    return failing


class CorpusError(Exception):
    """A step of the comparison could not run; ``ours`` when migrate-assistant is the one that failed."""

    def __init__(self, message: str, ours: bool = False):
        super().__init__(message)
        self.ours = ours


def _default_ma_python() -> str:
    venv = REPOSITORY / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def _ensure_envs(work: Path, envs: list[str]) -> dict[str, Path | CorpusError]:
    """Build the environments side by side (installs mostly wait on the network and the disk)."""

    def build(env: str) -> Path | CorpusError:
        try:
            return ensure_env(work, env)
        except CorpusError as exc:
            return exc

    with ThreadPoolExecutor(max_workers=len(envs) or 1) as pool:
        return dict(zip(envs, pool.map(build, envs)))


def ensure_env(work: Path, env: str) -> Path:
    """The corpus environment ``env`` (a venv with ``requirements-<env>.txt``), built when missing or stale."""
    requirements = HERE / f"requirements-{env}.txt"
    stamp = hashlib.sha256(requirements.read_bytes()).hexdigest()[:16]
    directory = work / "envs" / env
    marker = directory / ".corpus-requirements"
    if marker.is_file() and marker.read_text() == stamp:
        return directory
    print(f"corpus: installing environment '{env}' ({requirements.name}) in {directory}", flush=True)
    started = time.perf_counter()
    shutil.rmtree(directory, ignore_errors=True)
    _run([sys.executable, "-m", "venv", str(directory)], "create the venv")
    _run([str(directory / "bin" / "pip"), "install", "-q", "-r", str(requirements)], f"install {requirements.name}")
    marker.write_text(stamp)
    print(f"corpus: environment '{env}' installed in {time.perf_counter() - started:.0f} s", flush=True)
    return directory


def site_packages(env: Path) -> Path:
    return next((env / "lib").glob("python3*/site-packages"))


def ensure_project(work: Path, project: CorpusProject, env: Path) -> Path:
    """The scratch project: the packages' source, settings, ``manage.py``, ``pyproject.toml``, its own git."""
    root = work / "projects" / project.name
    site = site_packages(env)
    files = {
        f"{SETTINGS_MODULE}.py": _settings(project),
        "manage.py": _MANAGE_PY,
        "pyproject.toml": _pyproject(project, site),
    }
    stamp = hashlib.sha256(
        json.dumps([files, (env / ".corpus-requirements").read_text(), project.packages]).encode()
    ).hexdigest()[:16]
    marker = root / ".corpus-stamp"
    if marker.is_file() and marker.read_text() == stamp:
        return root
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    for package in project.packages:
        shutil.copytree(site / package, root / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    # Its own repository: migrate-assistant's root is the git root, so the scratch project never joins the
    # repository the corpus happens to be built in.
    _run(["git", "init", "-q", str(root)], "git init the scratch project")
    marker.write_text(stamp)
    return root


def dump_django(work: Path, project: CorpusProject, env: Path, root: Path) -> dict:
    """Django's view (cached beside the scratch project until the project or the dumper changes)."""
    out = work / f"{project.name}.django.json"
    stamp = (root / ".corpus-stamp").read_text() + hashlib.sha256((HERE / "django_state.py").read_bytes()).hexdigest()
    marker = work / f"{project.name}.django.stamp"
    if out.is_file() and marker.is_file() and marker.read_text() == stamp:
        return json.loads(out.read_text(encoding="utf-8"))
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    _run(
        [str(env / "bin" / "python"), str(HERE / "django_state.py"), str(root), SETTINGS_MODULE, str(out)],
        f"Django on {project.name}",
        env=environment,
    )
    marker.write_text(stamp)
    return json.loads(out.read_text(encoding="utf-8"))


_READY: set[str] = set()


def wait_for_ma(ma_python: str, seconds: float) -> None:
    """Return once ``ma_python`` imports migrate_assistant's CLI; give up after ``seconds``."""
    if ma_python in _READY:
        return
    deadline = time.monotonic() + seconds
    while True:
        probe = subprocess.run([ma_python, "-c", "import migrate_assistant.cli"], capture_output=True, text=True)
        if probe.returncode == 0:
            _READY.add(ma_python)
            return
        if time.monotonic() >= deadline:
            raise CorpusError(f"{ma_python} cannot import migrate_assistant: {probe.stderr.strip()[-500:]}", ours=True)
        time.sleep(3)


def dump_ours(work: Path, project: CorpusProject, ma_python: str, root: Path) -> dict:
    command = [ma_python, "-m", "migrate_assistant", "--repo", str(root), "state", "--format", "json"]
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        message = (completed.stderr.strip() or completed.stdout.strip())[-2000:]
        raise CorpusError(f"`{' '.join(command)}` exited {completed.returncode}: {message}", ours=True)
    out = work / f"{project.name}.ours.json"
    out.write_text(completed.stdout, encoding="utf-8")
    try:
        return json.loads(completed.stdout)
    except json.JSONDecodeError as exc:
        raise CorpusError(f"state --format json printed no JSON ({exc})", ours=True) from None


def _run(command: list[str], what: str, env: dict | None = None) -> None:
    completed = subprocess.run(command, capture_output=True, text=True, env=env)
    if completed.returncode != 0:
        output = "\n".join(
            line for line in (completed.stderr + completed.stdout).splitlines() if "is ignored: it is" not in line
        )
        raise CorpusError(f"could not {what} (exit {completed.returncode}):\n{output[-3000:]}")


def _settings(project: CorpusProject) -> str:
    lines = ['"""Minimal settings for the corpus comparison (written by tests/corpus/run.py)."""', ""]
    if project.settings_base:
        lines += [f"from {project.settings_base} import *  # noqa: F403", ""]
    lines += [
        'SECRET_KEY = "corpus"',
        'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}',
        "USE_TZ = True",
        'STATIC_URL = "/static/"',
        'ROOT_URLCONF = "corpus_settings"',
        "urlpatterns = []",
        'TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True,',
        '              "OPTIONS": {"context_processors": ["django.template.context_processors.request",',
        '                                                 "django.contrib.auth.context_processors.auth",',
        '                                                 "django.contrib.messages.context_processors.messages"]}}]',
        "MIDDLEWARE = [",
        '    "django.contrib.sessions.middleware.SessionMiddleware",',
        '    "django.contrib.auth.middleware.AuthenticationMiddleware",',
        '    "django.contrib.messages.middleware.MessageMiddleware",',
        *(f"    {middleware!r}," for middleware in project.middleware),
        "]",
        f"AUTH_USER_MODEL = {project.auth_user_model!r}",
        "INSTALLED_APPS = [",
        *(f"    {app!r}," for app in project.installed_apps),
        "]",
        project.settings_extra,
    ]
    return "\n".join(lines)


def _pyproject(project: CorpusProject, site: Path) -> str:
    lines = ["[tool.migrate-assistant]", f'settings = "{SETTINGS_MODULE}"', f'python-path = ["{site}"]']
    if project.exclude:
        lines.append("exclude = [" + ", ".join(f'"{path}"' for path in project.exclude) + "]")
    return "\n".join(lines) + "\n"


def _summary(results: dict) -> str:
    keys = ("models", "models_equal", "fields", "fields_equal", "declared", "silent")
    totals = {key: sum(result["counts"][key] for result in results.values()) for key in keys}
    return "corpus total: " + ", ".join(f"{key.replace('_', ' ')} {value}" for key, value in totals.items())


_MANAGE_PY = f'''#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{SETTINGS_MODULE}")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
'''

if __name__ == "__main__":
    sys.exit(main())
