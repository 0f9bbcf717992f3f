"""Time migrate-assistant against Django on a real corpus project (default: pretix, the largest).

    python bench/corpus.py [--project pretix] [--repeat 5] [--work .corpus]

The project is built as ``tests/corpus/run.py`` builds it (its own environment and scratch tree). Every figure
is a whole process, the median of ``--repeat`` runs after one warm-up run. The baseline is what any tool that
loads the project pays: ``django.setup()`` + ``MigrationLoader``, in the project's environment; ``state`` is
compared with the baseline plus ``project_state()``, which is what it answers.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus"
sys.path.insert(0, str(CORPUS))

from projects import PROJECTS  # noqa: E402
from run import REPOSITORY, SETTINGS_MODULE, ensure_env, ensure_project  # noqa: E402

BASELINE = (
    "import os, sys; sys.path.insert(0, os.getcwd()); os.environ['DJANGO_SETTINGS_MODULE'] = {settings!r}\n"
    "import django; django.setup()\n"
    "from django.db.migrations.loader import MigrationLoader\n"
    "loader = MigrationLoader(None, ignore_no_migrations=True)\n"
    "assert loader.disk_migrations\n"
)
PROJECT_STATE = "loader.project_state().apps\n"


def timed(command: list[str], cwd: Path, repeat: int) -> float:
    warm_up = subprocess.run(command, cwd=cwd, capture_output=True, text=True)  # pyc, caches, page cache
    if warm_up.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {warm_up.returncode}:\n{warm_up.stderr[-2000:]}")
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, capture_output=True)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", default="pretix", choices=sorted(PROJECTS))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--work", default=str(REPOSITORY / ".corpus"))
    args = parser.parse_args(argv)
    project = PROJECTS[args.project]
    work = Path(args.work).resolve()
    env = ensure_env(work, project.env)
    root = ensure_project(work, project, env)
    django = [str(env / "bin" / "python"), "-c", BASELINE.format(settings=SETTINGS_MODULE)]
    tool = [sys.executable, "-m", "migrate_assistant", "--repo", str(root)]
    baseline = timed(django, root, args.repeat)
    rows = {
        "baseline: django.setup() + MigrationLoader": baseline,
        "migrate-assistant status": timed([*tool, "status"], root, args.repeat),
    }
    with_state = timed([*django[:2], django[2] + PROJECT_STATE], root, args.repeat)
    state = timed([*tool, "state", "--format", "json"], root, args.repeat)
    migrations = sum(1 for _ in root.rglob("migrations/[0-9]*.py"))
    print(f"project: {args.project} ({migrations} migrations) in {root}")
    for name, seconds in rows.items():
        print(f"{name:<50} {seconds * 1000:8.0f} ms   {seconds / baseline:5.2f}x baseline")
    print(f"{'baseline + project_state()':<50} {with_state * 1000:8.0f} ms")
    print(f"{'migrate-assistant state --format json':<50} {state * 1000:8.0f} ms   {state / with_state:5.2f}x that")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
