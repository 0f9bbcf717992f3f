"""Keystroke latency of the schema browser's filter (and of the removal picker) on a Sentry-scale tree.

    python bench/browser_filter.py [--tree DIR]

The assistant runs in-process, headless, at 120×36. Each figure is the time from a key press until
the app is idle again (the filter applied and the screen refreshed), over every key of a few
queries typed and erased one key at a time: wall-clock, and the CPU time of the UI thread (which
other processes on a busy machine cannot inflate). A key bound to nothing shows what Pilot's own
wait costs.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from sentry_scale import build

QUERIES = ["projectbookmark", "sentry.project.status", "model42name", "0950", "uptime/0002"]


async def measure(tree: Path) -> dict[str, list[float]]:
    from migrate_assistant.project import discover
    from migrate_assistant.screens.app import AssistantApp

    app = AssistantApp(discover(tree), watch=False)
    timings: dict[str, list[float]] = {
        "browser filter": [],
        "removal picker": [],
        "browser filter CPU": [],
        "removal picker CPU": [],
        "no-op key": [],
        "no-op key CPU": [],
    }
    async with app.run_test(size=(120, 36)) as pilot:
        while app.check is None and app.load_error is None:
            await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        for _ in range(30):  # what a key that does nothing costs here: Pilot's own wait for idle
            start, start_cpu = time.perf_counter(), time.thread_time()
            await pilot.press("f12")
            timings["no-op key"].append(time.perf_counter() - start)
            timings["no-op key CPU"].append(time.thread_time() - start_cpu)
        await pilot.press("slash")
        for query in QUERIES:
            await type_timed(pilot, query, timings["browser filter"], timings["browser filter CPU"])
        await pilot.press("escape", "m")
        await pilot.pause(0.2)
        for query in QUERIES[:3]:
            await type_timed(pilot, query, timings["removal picker"], timings["removal picker CPU"])
        await pilot.press("escape")
    return timings


async def type_timed(pilot, query: str, wall: list[float], cpu: list[float]) -> None:
    """Wall-clock time per key, and the CPU time of the UI thread (what other processes cannot inflate)."""
    keys = ["full_stop" if char == "." else "slash" if char == "/" else char for char in query]
    for key in [*keys, *["backspace"] * len(keys)]:
        start, start_cpu = time.perf_counter(), time.thread_time()
        await pilot.press(key)
        wall.append(time.perf_counter() - start)
        cpu.append(time.thread_time() - start_cpu)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, help="reuse a tree built by sentry_scale.py")
    args = parser.parse_args(argv)
    scratch = None
    tree = args.tree
    if tree is None:
        scratch = tempfile.TemporaryDirectory(prefix="migrate-assistant-bench-")
        tree = Path(scratch.name) / "sentry"
        build(tree, 1200, 120)
    timings = asyncio.run(measure(tree))
    for name, values in timings.items():
        values.sort()
        p95 = values[int(0.95 * (len(values) - 1))]
        print(
            f"{name:<19} {len(values):4d} keys   median {statistics.median(values) * 1000:5.1f} ms   "
            f"p95 {p95 * 1000:5.1f} ms   max {values[-1] * 1000:5.1f} ms"
            + ("" if name.startswith("no-op") else "   (goal: p95 ≤ 50 ms)")
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
