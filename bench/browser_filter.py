"""Keystroke latency of the schema browser's filter (and of the removal picker) on a Sentry-scale tree.

    python bench/browser_filter.py [--tree DIR]

The assistant runs in-process, headless, at 120×36. Each figure is the time from a key's arrival
until the last frame it causes has been composed (the filter applied, the screen repainted), over
every key of a few queries typed and erased one key at a time: wall-clock, and the CPU time of
the UI thread (which other processes on a busy machine cannot inflate). Keys are posted as the
terminal driver posts them, without Pilot's waits for idle (at least 2 × 20 ms a key); a key bound
to nothing shows what a frame costs here. The load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import os
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
        await pilot.pause()
        keys = Keys(pilot)
        for _ in range(30):  # what a key that does nothing costs here
            await keys.timed("f12", timings["no-op key"], timings["no-op key CPU"])
        await pilot.press("slash")
        for query in QUERIES:
            await type_timed(keys, query, timings["browser filter"], timings["browser filter CPU"])
        await pilot.press("escape", "m")
        await pilot.pause(0.2)
        for query in QUERIES[:3]:
            await type_timed(keys, query, timings["removal picker"], timings["removal picker CPU"])
        await pilot.press("escape")
    return timings


class Keys:
    """Sends a key as the terminal driver does and waits until the last frame it causes is composed."""

    def __init__(self, pilot):
        self.pilot = pilot
        self.app = pilot.app
        self.painted_at = 0.0
        self.painted = asyncio.Event()
        display = self.app._display

        def timed_display(screen, renderable) -> None:
            display(screen, renderable)
            self.painted_at = time.perf_counter()
            self.painted.set()

        self.app._display = timed_display

    async def timed(self, key: str, wall: list[float], cpu: list[float]) -> None:
        from textual import events

        character = {"full_stop": ".", "slash": "/"}.get(key, key if len(key) == 1 else None)
        start, start_cpu = time.perf_counter(), time.thread_time()
        self.painted_at = 0.0
        self.app.post_message(events.Key(key, character))
        while True:
            self.painted.clear()
            await self.pilot._wait_for_screen()
            screen = self.app.screen
            if screen._dirty_widgets or screen._layout_required or screen._repaint_required:
                await self.painted.wait()
            elif not any(node._message_queue.qsize() for node in (self.app, *screen.walk_children(with_self=True))):
                break
        wall.append((self.painted_at or time.perf_counter()) - start)
        cpu.append(time.thread_time() - start_cpu)


async def type_timed(keys: Keys, query: str, wall: list[float], cpu: list[float]) -> None:
    """Each key of ``query``, then as many backspaces."""
    names = ["full_stop" if char == "." else "slash" if char == "/" else char for char in query]
    for key in [*names, *["backspace"] * len(names)]:
        await keys.timed(key, wall, cpu)


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
    print("load average: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
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
