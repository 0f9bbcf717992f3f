"""Two commands writing to one app at once: one chain, a lockfile that agrees, nothing lost.

Pairs of real processes (forked from ``fork_server.py``) each remove a different
field of ``sentry.Project`` at the same moment. The second either waits for the
lock and plans on top of the first (both changes land, one chain), or — when it
may not wait (``MIGRATE_ASSISTANT_LOCK_WAIT=0``) — exits 1 saying the repository
is locked, and writes nothing.
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

from .conftest import assert_no_model_changes
from .fork_server_client import ForkServer

PAIRS = 12
FIELDS = ("template_version", "platform")


def run_pair(repo: Path, servers: list[ForkServer], tmp: Path, wait: str) -> list[tuple[int, str]]:
    env = {"MIGRATE_ASSISTANT_LOCK_WAIT": wait, "MIGRATE_ASSISTANT_TEST_WRITE_DELAY": "0.01"}
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def one(index: int) -> None:
        argv = ["--repo", str(repo), "remove-field", f"sentry.Project.{FIELDS[index]}", "--phase", "1"]
        barrier.wait()
        results[index] = servers[index].run(argv, tmp / f"err{index}", env)

    threads = [threading.Thread(target=one, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def project_fields(repo: Path) -> set[str]:
    tree = ast.parse((repo / "src/sentry/models/project.py").read_text())
    project = next(node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == "Project")
    return {target.id for node in project.body if isinstance(node, ast.Assign) for target in node.targets}


def test_concurrent_writers_never_fork_the_graph(repo, tmp_path):
    servers = [ForkServer(), ForkServer()]
    outcomes: Counter = Counter()
    checked_with_django = False
    try:
        for pair in range(PAIRS):
            own = Path(shutil.copytree(repo, tmp_path / f"pair{pair}", symlinks=True))
            wait = "60" if pair % 2 == 0 else "0"
            results = run_pair(own, servers, tmp_path, wait)
            status = subprocess.run(
                [sys.executable, "-m", "migrate_assistant", "--repo", str(own), "status", "--format", "json"],
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert status.returncode == 0, status.stderr
            report = json.loads(status.stdout)
            assert report["lockfile"]["ok"], report
            for app in report["apps"]:
                assert len(app["leaves"]) == 1 and app["lockfile_ok"], app

            landed = [FIELDS[i] for i, (code, _) in enumerate(results) if code == 0]
            for code, err in results:
                assert code in (0, 1), err
                if code == 1:
                    assert "locked" in err or "changed while planning" in err, err
            assert landed, results
            assert project_fields(own) == project_fields(repo) - set(landed)  # no model edit lost
            new = sorted(p.name for p in (own / "src/sentry/migrations").glob("00*.py") if p.name >= "0008")
            assert len(new) == len(landed), new
            if len(new) == 2:
                second = (own / "src/sentry/migrations" / new[1]).read_text()
                assert f'("sentry", "{new[0][:-3]}")' in second  # one chain: 0009 depends on 0008
                assert report["apps"][1]["leaf"] == new[1][:-3]
            changed = subprocess.run(
                ["git", "status", "--porcelain", "--untracked-files=all"],
                cwd=own,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split("\n")
            expected = {" M migrations_lockfile.txt", " M src/sentry/models/project.py"}
            expected |= {f"?? src/sentry/migrations/{name}" for name in new}
            assert set(filter(None, changed)) == expected
            outcomes[(f"wait={wait}", "both landed" if len(landed) == 2 else "second refused")] += 1
            if len(landed) == 2 and not checked_with_django:
                assert_no_model_changes(own)  # Django agrees: no model edit lost, no migration missing
                checked_with_django = True
    finally:
        for server in servers:
            server.close()
    print("\nconcurrent pairs:", dict(outcomes))
    assert sum(outcomes.values()) == PAIRS
    assert outcomes[("wait=60", "both landed")] == PAIRS // 2  # waiting writers always plan on top
    assert checked_with_django
