"""Time migrate-assistant against Django on the same Sentry-scale tree, in one run.

    python bench/run.py [--repeat 5] [--tree DIR]

Every figure is a whole process (interpreter start included), the median of
``--repeat`` runs after one warm-up run (which, like Django's ``.pyc`` files,
fills migrate-assistant's header cache; the last two rows run without it). The
baseline is what any tool that loads the project pays: ``django.setup()`` +
``MigrationLoader``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sentry_scale import build, make_conflict

BASELINE = (
    "import os, sys; sys.path.insert(0, 'src'); os.environ['DJANGO_SETTINGS_MODULE'] = 'sentry.conf.settings'\n"
    "import django; django.setup()\n"
    "from django.db.migrations.loader import MigrationLoader\n"
    "loader = MigrationLoader(None, ignore_no_migrations=True)\n"
    "assert len(loader.disk_migrations) >= 1200, len(loader.disk_migrations)\n"
)


def timed(command: list[str], cwd: Path, repeat: int, env: dict | None = None) -> float:
    env = {**os.environ, **(env or {})}
    subprocess.run(command, cwd=cwd, check=True, capture_output=True, env=env)  # warm-up: pyc, page cache
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, capture_output=True, env=env)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


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
    results = {
        "baseline: django.setup() + MigrationLoader": timed([sys.executable, "-c", BASELINE], tree, args.repeat),
        "migrate-assistant status": timed(status, tree, args.repeat),
        "migrate-assistant remove-field --dry-run": timed(remove, tree, args.repeat),
        "status, header cache off": timed(status, tree, args.repeat, no_cache),
        "remove-field --dry-run, header cache off": timed(remove, tree, args.repeat, no_cache),
    }
    conflicted = tree.with_name(tree.name + "-conflicted")
    if not conflicted.exists():
        shutil.copytree(tree, conflicted, symlinks=True)
        make_conflict(conflicted)
    fix = [sys.executable, "-m", "migrate_assistant", "--repo", str(conflicted), "fix-lockfile", "--dry-run"]
    results["migrate-assistant fix-lockfile --dry-run (merge conflict)"] = timed(fix, conflicted, args.repeat)
    results["fix-lockfile --dry-run, header cache off"] = timed(fix, conflicted, args.repeat, no_cache)
    baseline = next(iter(results.values()))
    print(f"tree: {tree} ({sum(1 for _ in tree.rglob('migrations/[0-9]*.py'))} migrations)")
    for name, seconds in results.items():
        print(f"{name:<45} {seconds * 1000:8.0f} ms   {seconds / baseline:5.2f}x baseline")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
