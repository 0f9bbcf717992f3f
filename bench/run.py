"""Time migrate-assistant against Django on the same Sentry-scale tree, in one run.

    python bench/run.py [--repeat 5] [--tree DIR]

Every figure is a whole process (interpreter start included), the median of
``--repeat`` rounds after one warm-up run of each command (which, like Django's ``.pyc``
files, fills migrate-assistant's caches: migration headers, models modules, generated code;
the "caches off" rows run without any). Each round runs every command once, so that a ratio
compares runs made under the same load; the ratio is the median of the rounds' ratios, for wall
time and for CPU time (user + system, the steadier of the two on a shared machine). The baseline
is what any tool that loads the project pays: ``django.setup()`` + ``MigrationLoader``. Bytecode
caching is on for every command, as an installed package (and a project's own tree) has it.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sentry_scale import INSTALLED_ENV, build, make_conflict

BASELINE = (
    "import os, sys; sys.path.insert(0, 'src'); os.environ['DJANGO_SETTINGS_MODULE'] = 'sentry.conf.settings'\n"
    "import django; django.setup()\n"
    "from django.db.migrations.loader import MigrationLoader\n"
    "loader = MigrationLoader(None, ignore_no_migrations=True)\n"
    "assert len(loader.disk_migrations) >= 1200, len(loader.disk_migrations)\n"
)


def timed(command: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and its children) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True, env={**INSTALLED_ENV, **(env or {})})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--tree", type=Path, help="reuse a tree built by sentry_scale.py")
    args = parser.parse_args(argv)
    tree = args.tree
    if tree is None:
        scratch = tempfile.TemporaryDirectory(prefix="migrate-assistant-bench-")
        tree = Path(scratch.name) / "sentry"
        build(tree, 1200, 120)
    tool = [sys.executable, "-m", "migrate_assistant", "--repo", str(tree)]
    status = [*tool, "status"]
    remove = [*tool, "remove-field", "sentry.GenModel0007.status", "--phase", "1", "--dry-run"]
    no_cache = {"MIGRATE_ASSISTANT_CACHE_DIR": "off"}
    conflicted = tree.with_name(tree.name + "-conflicted")
    if not conflicted.exists():
        shutil.copytree(tree, conflicted, symlinks=True)
        make_conflict(conflicted)
    fix = [sys.executable, "-m", "migrate_assistant", "--repo", str(conflicted), "fix-lockfile", "--dry-run"]
    commands = {
        "baseline: django.setup() + MigrationLoader": ([sys.executable, "-c", BASELINE], tree, None),
        "migrate-assistant status": (status, tree, None),
        "migrate-assistant remove-field --dry-run": (remove, tree, None),
        "status, caches off": (status, tree, no_cache),
        "remove-field --dry-run, caches off": (remove, tree, no_cache),
        "migrate-assistant fix-lockfile --dry-run (merge conflict)": (fix, conflicted, None),
        "fix-lockfile --dry-run, caches off": (fix, conflicted, no_cache),
    }
    for command, cwd, env in commands.values():
        timed(command, cwd, env)  # warm-up: pyc, page cache, caches
    load = os.getloadavg()[0]
    rounds = [{name: timed(*spec) for name, spec in commands.items()} for _ in range(args.repeat)]
    baseline = next(iter(commands))
    print(f"tree: {tree} ({sum(1 for _ in tree.rglob('migrations/[0-9]*.py'))} migrations)")
    print(f"load average {load:.2f} before, {os.getloadavg()[0]:.2f} after; {args.repeat} rounds")
    print(f"{'':<58} {'wall':>8}  {'ratio':>6}  {'CPU':>8}  {'ratio':>6}")
    for name in commands:
        wall = statistics.median(run[name][0] for run in rounds)
        cpu = statistics.median(run[name][1] for run in rounds)
        wall_ratio = statistics.median(run[name][0] / run[baseline][0] for run in rounds)
        cpu_ratio = statistics.median(run[name][1] / run[baseline][1] for run in rounds)
        print(f"{name:<58} {wall * 1000:5.0f} ms  {wall_ratio:5.2f}x  {cpu * 1000:5.0f} ms  {cpu_ratio:5.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
