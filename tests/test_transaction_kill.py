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
from .lockfile.histories import LEAVES, add_migration, branches, run_git

WRITE_DELAY = "MIGRATE_ASSISTANT_TEST_WRITE_DELAY"
RUNS = 212
FIX_LOCKFILE_RUNS = 48
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


def index_listing(repo: Path) -> str:
    """The git index: every entry with its mode, object and stage (conflicts included)."""
    return subprocess.run(["git", "ls-files", "--stage"], cwd=repo, capture_output=True, text=True, check=True).stdout


def campaign(
    repo: Path, tmp_path: Path, command: list[str], runs: int, window: float, with_index: bool = False
) -> Counter:
    """``runs`` kills of ``command`` at random moments of its write; returns the outcomes, asserting each."""

    def state(where: Path):
        return (snapshot(where), index_listing(where) if with_index else "")

    before = state(repo)
    index_bytes = (repo / ".git/index").read_bytes()
    planned_repo = Path(shutil.copytree(repo, tmp_path / "planned", symlinks=True))
    done = subprocess.run(
        [sys.executable, "-m", "migrate_assistant", "--repo", str(planned_repo), *command],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    planned = state(planned_repo)
    assert planned[0] != before[0]

    outcomes: Counter = Counter()
    failures: list[str] = []
    lock = threading.Lock()
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGKILL, signal.SIGHUP]
    numbers = iter(range(runs))

    def worker(number: int) -> None:
        own = Path(shutil.copytree(repo, tmp_path / f"worker{number}", symlinks=True))
        server = ForkServer()
        err_path = tmp_path / f"worker{number}.err"
        journal = own / ".git" / "migrate-assistant" / "journal" / "manifest.json"
        chooser = random.Random(number)
        while True:
            with lock:
                run = next(numbers, None)
            if run is None:
                server.close()
                return
            sig = signals[run % 4]
            pid = server.start(["--repo", str(own), *command], err_path, {WRITE_DELAY: str(STEP_DELAY)})
            deadline = time.monotonic() + 60
            while not journal.exists() and _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.002)
            time.sleep(chooser.uniform(0, window))  # anywhere in the write (or just after it)
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
            code = server.wait()
            err = err_path.read_text()
            left_journal = journal.exists()
            after_kill = snapshot(own)
            recovery_code, recovery_err = server.run(["--repo", str(own), "status"], err_path, {})
            now = state(own)
            outcome = "before" if now == before else "planned" if now == planned else "OTHER"
            key = (signal.Signals(sig).name, outcome)
            problems = []
            if outcome == "OTHER":
                changed = sorted(k for k in set(now[0]) | set(before[0]) if now[0].get(k) != before[0].get(k))
                problems.append(f"half-written: {changed} index {'same' if now[1] == before[1] else 'changed'}")
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
                outcomes["half-written after kill, before recovery"] += after_kill not in (before[0], planned[0])
                failures.extend(f"run {run} {key}: {problem}" for problem in problems)
            if now != before:
                restore(own, before[0])
                (own / ".git/index").write_bytes(index_bytes)
                assert state(own) == before

    threads = [threading.Thread(target=worker, args=(number,)) for number in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(f"\nkill test outcomes ({command[0]}):", dict(outcomes))
    assert not failures, "\n".join(failures[:20])
    assert sum(count for key, count in outcomes.items() if isinstance(key, tuple)) == runs
    assert not any(key[1] == "OTHER" for key in outcomes if isinstance(key, tuple))
    for name in ("SIGINT", "SIGTERM", "SIGKILL", "SIGHUP"):
        assert outcomes[(name, "before")] + outcomes[(name, "planned")] == runs // 4
        assert outcomes[(name, "before")] > 0  # the kill did land inside the write
    assert outcomes["recovered"] > 0  # SIGKILL mid-write left a journal that the next command undid
    return outcomes


def test_killed_while_writing_leaves_before_or_planned(repo, tmp_path):
    """212 runs: a new migration, its test and the lockfile."""
    campaign(repo, tmp_path, COMMAND, RUNS, window=4 * STEP_DELAY)


def test_fix_lockfile_killed_while_writing_and_staging(repo, tmp_path):
    """A merge in conflict: the rename, the lockfile and the staging (the index is journaled too)."""
    branches(
        repo,
        lambda r: add_migration(r, "sentry", "0008_feature", ("sentry", LEAVES["sentry"])),
        lambda r: add_migration(r, "sentry", "0008_upstream", ("sentry", LEAVES["sentry"])),
    )
    run_git(repo, "merge", "main", expect_conflict=True)
    outcomes = campaign(repo, tmp_path, ["fix-lockfile"], FIX_LOCKFILE_RUNS, window=0.12, with_index=True)
    assert sum(count for key, count in outcomes.items() if key[1:] == ("planned",)) > 0
