"""Run the command line in processes forked from a warmed-up server.

``python tests/fork_server.py`` imports the command line once, then for each JSON
line ``{"argv": [...], "stderr": path, "env": {...}}`` on stdin forks a real
process running ``migrate_assistant.cli.main(argv)``, answers ``{"pid": N}``, and
once it has ended ``{"status": code}`` (``-signal`` when a signal killed it).
Tests send real signals to those processes without paying for a fresh
interpreter and its imports each time.
"""

from __future__ import annotations

import json
import os
import sys

import git  # noqa: F401

import migrate_assistant.apply  # noqa: F401  (imported once, before forking)
import migrate_assistant.journal  # noqa: F401
import migrate_assistant.recipes.data_migration  # noqa: F401
import migrate_assistant.recipes.fix_lockfile  # noqa: F401
import migrate_assistant.recipes.remove_field  # noqa: F401
import migrate_assistant.status  # noqa: F401
from migrate_assistant.cli import main


def serve() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(request)
        print(json.dumps({"pid": pid}), flush=True)
        _, status = os.waitpid(pid, 0)
        code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        print(json.dumps({"status": code}), flush=True)


def _child(request: dict) -> None:
    try:
        os.environ.update(request.get("env", {}))
        null = os.open(os.devnull, os.O_RDWR)
        err = os.open(request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(null, 0)
        os.dup2(null, 1)
        os.dup2(err, 2)
        sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
        code = main(request["argv"])
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        code = 99
    os._exit(code)


if __name__ == "__main__":
    serve()
