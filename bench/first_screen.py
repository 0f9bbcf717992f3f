"""Time until the assistant's first screen appears, and until the browser is fully loaded, on a
Sentry-scale tree.

    python bench/first_screen.py [--repeat 7] [--tree DIR]

The assistant runs in a pseudo-terminal. The first clock stops when the browser's first screen has
been written to it (the repository is still being read in a worker then); the second when the
browser says "Ready:" (the tree, its pending deletions and the findings of ``check`` are shown).
The references, in the same run: ``python -c "import textual.app"`` for the first screen,
``migrate-assistant status`` for the loaded browser. Every command runs with bytecode caching on (as
an installed package has it), whatever ``PYTHONDONTWRITEBYTECODE`` says here.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
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
READY = b"Ready:"


def first_screen(tree: Path, marker: bytes = FIRST) -> float:
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    start = time.perf_counter()
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
        return time.perf_counter() - start
    finally:
        process.kill()
        process.wait()
        os.close(main)


def import_textual() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import textual.app"], check=True, env=INSTALLED_ENV)
    return time.perf_counter() - start


def status(tree: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "migrate_assistant", "--repo", str(tree), "status"],
        check=True,
        capture_output=True,
        env=INSTALLED_ENV,
    )
    return time.perf_counter() - start


def median(measure, repeat: int) -> float:
    measure()  # warm-up: .pyc files, page cache
    return statistics.median(measure() for _ in range(repeat))


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
    reference = median(import_textual, args.repeat)
    assistant = median(lambda: first_screen(tree), args.repeat)
    plain = median(lambda: status(tree), args.repeat)
    loaded = median(lambda: first_screen(tree, READY), args.repeat)
    print(f"python -c 'import textual.app'      {reference * 1000:6.0f} ms")
    print(
        f"migrate-assistant first screen      {assistant * 1000:6.0f} ms   {assistant / reference:4.2f}x (goal ≤ 1.2x)"
    )
    print(f"migrate-assistant status            {plain * 1000:6.0f} ms")
    print(f"browser fully loaded                {loaded * 1000:6.0f} ms   {loaded / plain:4.2f}x (goal ≤ 1.5x)")
    print(
        f"  of which after the first screen   {(loaded - assistant) * 1000:6.0f} ms   {(loaded - assistant) / plain:4.2f}x"
    )
    print(f"  (importing Textual alone is {reference / plain:.2f}x status)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
