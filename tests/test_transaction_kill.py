"""The command line killed at random points of writing: never a half-written repository.

Each run is a real process running the command line (forked from a warmed-up
server, ``fork_server.py``, so that 200 runs fit in seconds) that writes a plan (a
new migration, its test in a new folder, the lockfile edited) with the test hook
that sleeps before each write; it is sent SIGINT, SIGTERM, SIGHUP or SIGKILL at a random
moment of the write, then the next command (``status``) runs. After it, the
working tree must be exactly as before or exactly as planned (bytes and modes),
with no stray file and no journal left.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from .fork_server_client import ForkServer

WRITE_DELAY = "MIGRATE_ASSISTANT_TEST_WRITE_DELAY"
RUNS = 212
WORKERS = 4
STEP_DELAY = 0.015
COMMAND = ["data-migration", "sentry", "backfill_x", "--model", "sentry.Project"]


def snapshot(repo: Path) -> dict[str, tuple[bytes, int]]:
    """Every path of the working tree (files with their mode, directories too), outside .git."""
    found = {}
    for directory, dirs, files in os.walk(repo):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in dirs:
            found[os.path.relpath(os.path.join(directory, name), repo) + "/"] = (b"", 0)
        for name in files:
            path = os.path.join(directory, name)
            with open(path, "rb") as handle:
                found[os.path.relpath(path, repo)] = (handle.read(), os.stat(path).st_mode & 0o7777)
    return found


def restore(repo: Path, state: dict[str, tuple[bytes, int]]) -> None:
    """Put the working tree back to ``state`` (after a run that completed)."""
    current = snapshot(repo)
    for path in sorted(set(current) - set(state), reverse=True):
        full = repo / path
        full.rmdir() if path.endswith("/") else full.unlink()
    for path, (data, mode) in state.items():
        if not path.endswith("/") and current.get(path) != (data, mode):
            (repo / path).write_bytes(data)
            os.chmod(repo / path, mode)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def test_killed_while_writing_leaves_before_or_planned(repo, tmp_path):
    before = snapshot(repo)
    planned_repo = Path(shutil.copytree(repo, tmp_path / "planned", symlinks=True))
    done = subprocess.run(
        [sys.executable, "-m", "migrate_assistant", "--repo", str(planned_repo), *COMMAND],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    planned = snapshot(planned_repo)
    assert planned != before and len(set(planned) - set(before)) >= 2  # new files (and a new folder)

    outcomes: Counter = Counter()
    failures: list[str] = []
    lock = threading.Lock()
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGKILL, signal.SIGHUP]
    runs = iter(range(RUNS))

    def worker(number: int) -> None:
        own = Path(shutil.copytree(repo, tmp_path / f"worker{number}", symlinks=True))
        server = ForkServer()
        err_path = tmp_path / f"worker{number}.err"
        journal = own / ".git" / "migrate-assistant" / "journal" / "manifest.json"
        chooser = random.Random(number)
        while True:
            with lock:
                run = next(runs, None)
            if run is None:
                server.close()
                return
            sig = signals[run % 4]
            pid = server.start(["--repo", str(own), *COMMAND], err_path, {WRITE_DELAY: str(STEP_DELAY)})
            deadline = time.monotonic() + 60
            while not journal.exists() and _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.002)
            # the write lasts 3 steps of STEP_DELAY plus the commit: kill anywhere in it (or just after)
            time.sleep(chooser.uniform(0, 4 * STEP_DELAY))
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
            code = server.wait()
            err = err_path.read_text()
            left_journal = journal.exists()
            after_kill = snapshot(own)
            recovery_code, recovery_err = server.run(["--repo", str(own), "status"], err_path, {})
            state = snapshot(own)
            outcome = "before" if state == before else "planned" if state == planned else "OTHER"
            key = (signal.Signals(sig).name, outcome)
            problems = []
            if outcome == "OTHER":
                problems.append(
                    f"half-written: {sorted(k for k in set(state) | set(before) if state.get(k) != before.get(k))}"
                )
            if recovery_code != 0:
                problems.append(f"status failed: {recovery_err}")
            if journal.parent.exists():
                problems.append("journal left after recovery")
            if left_journal != ("was undone" in recovery_err):
                problems.append(f"recovery message wrong: journal={left_journal} stderr={recovery_err!r}")
            if sig != signal.SIGKILL and left_journal:
                problems.append(f"{key[0]} left a journal (exit {code}): {err}")
            if sig != signal.SIGKILL and outcome == "before" and code == 0:
                problems.append("exit 0 but nothing written")
            if sig != signal.SIGKILL and code not in (0, 128 + sig) and not (code == -sig and outcome == "planned"):
                problems.append(f"{key[0]}: exit {code}: {err}")
            if sig != signal.SIGKILL and outcome == "before" and code == 128 + sig:
                if "every file was put back" not in err:
                    problems.append(f"no message after {key[0]}: {err!r}")
            with lock:
                outcomes[key] += 1
                outcomes["recovered"] += left_journal
                outcomes["half-written after kill, before recovery"] += after_kill not in (before, planned)
                failures.extend(f"run {run} {key}: {problem}" for problem in problems)
            if state != before:
                restore(own, before)
                assert snapshot(own) == before

    threads = [threading.Thread(target=worker, args=(number,)) for number in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print("\nkill test outcomes:", dict(outcomes))
    assert not failures, "\n".join(failures[:20])
    total = sum(count for key, count in outcomes.items() if isinstance(key, tuple))
    assert total == RUNS
    assert not any(key[1] == "OTHER" for key in outcomes if isinstance(key, tuple))
    for name in ("SIGINT", "SIGTERM", "SIGKILL", "SIGHUP"):
        assert outcomes[(name, "before")] + outcomes[(name, "planned")] == RUNS // 4
        assert outcomes[(name, "before")] > 0  # the kill did land inside the write
    assert outcomes["recovered"] > 0  # SIGKILL mid-write left a journal that the next command undid
