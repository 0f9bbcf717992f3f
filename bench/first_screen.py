"""Time until the assistant's first screen appears, and until the browser is fully loaded, on a
Sentry-scale tree.

    python bench/first_screen.py [--repeat 7] [--tree DIR]

The assistant runs in a pseudo-terminal. The first clock stops when the browser's first screen has
been written to it (the repository is still being read in a worker then); the second when the
browser's status line counts the findings of ``check`` (the tree and its pending deletions are shown then).
The references, in the same run: ``python -c "import textual.app"`` for the first screen,
``migrate-assistant status`` for the loaded browser. Each round runs every command once, so that a
ratio compares runs made under the same load; a ratio is the median of the rounds' ratios, for wall
time and for CPU time (of the process, which is killed once its screen is shown). Every command runs
with bytecode caching on (as an installed package has it), whatever ``PYTHONDONTWRITEBYTECODE`` says here.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import resource
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

from sentry_scale import INSTALLED_ENV, build

FIRST = b"Reading the repository"
READY = b" finding"  # "…, 0 findings": the status line's last count, shown once all is read


def first_screen(tree: Path, marker: bytes = FIRST) -> None:
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "migrate_assistant", "--repo", str(tree)],
        stdin=child,
        stdout=child,
        stderr=child,
        env={**INSTALLED_ENV, "TERM": "xterm-256color"},
        start_new_session=True,
    )
    os.close(child)
    output = b""
    try:
        while marker not in output:
            output += os.read(main, 65536)
    finally:
        process.kill()
        process.wait()
        os.close(main)


def import_textual() -> None:
    subprocess.run([sys.executable, "-c", "import textual.app"], check=True, env=INSTALLED_ENV)


def status(tree: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "migrate_assistant", "--repo", str(tree), "status"],
        check=True,
        capture_output=True,
        env=INSTALLED_ENV,
    )


def timed(run) -> tuple[float, float]:
    """(wall, CPU) seconds of one run, the CPU of the processes it started included."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    run()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--tree", type=Path, help="reuse a tree built by sentry_scale.py")
    args = parser.parse_args(argv)
    scratch = None
    tree = args.tree
    if tree is None:
        scratch = tempfile.TemporaryDirectory(prefix="migrate-assistant-bench-")
        tree = Path(scratch.name) / "sentry"
        build(tree, 1200, 120)
    commands = {
        "textual": import_textual,
        "first": lambda: first_screen(tree),
        "status": lambda: status(tree),
        "loaded": lambda: first_screen(tree, READY),
    }
    for run in commands.values():
        run()  # warm-up: .pyc files, page cache, caches
    load = os.getloadavg()[0]
    rounds = [{name: timed(run) for name, run in commands.items()} for _ in range(args.repeat)]
    print(f"load average {load:.2f} before, {os.getloadavg()[0]:.2f} after; {args.repeat} rounds")

    def ms(name: str, kind: int) -> str:
        return f"{statistics.median(r[name][kind] for r in rounds) * 1000:5.0f} ms"

    def ratio(name: str, reference: str, kind: int, minus: str | None = None) -> str:
        values = [(r[name][kind] - (r[minus][kind] if minus else 0)) / r[reference][kind] for r in rounds]
        return f"{statistics.median(values):4.2f}x"

    print(f"{'':38}{'wall':>8}{'':8}{'CPU':>8}")
    rows = [
        ("python -c 'import textual.app'", "textual", None, None, ""),
        ("migrate-assistant first screen", "first", "textual", None, "(goal ≤ 1.2x import textual.app)"),
        ("migrate-assistant status", "status", None, None, ""),
        ("browser fully loaded", "loaded", "status", None, "(goal ≤ 1.5x status)"),
        ("  of which after the first screen", "loaded", "status", "first", ""),
        ("  importing Textual alone", "textual", "status", None, ""),
    ]
    for label, name, reference, minus, goal in rows:
        cells = []
        for kind in (0, 1):
            shown = ms(name, kind) if minus is None else ""
            cells.append(f"{shown:>8} {ratio(name, reference, kind, minus) if reference else '':>6}")
        print(f"{label:38}{cells[0]}  {cells[1]}  {goal}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
