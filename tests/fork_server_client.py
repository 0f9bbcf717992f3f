"""The test side of ``fork_server.py``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


class ForkServer:
    """``fork_server.py`` in a subprocess: ``start`` a command line, ``wait`` for its exit status."""

    def __init__(self):
        server = Path(__file__).with_name("fork_server.py")
        self.process = subprocess.Popen(
            [sys.executable, str(server)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def start(self, argv: list[str], stderr: Path, env: dict[str, str]) -> int:
        request = {"argv": argv, "stderr": str(stderr), "env": env}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())["pid"]

    def wait(self) -> int:
        return json.loads(self.process.stdout.readline())["status"]

    def run(self, argv: list[str], stderr: Path, env: dict[str, str]) -> tuple[int, str]:
        self.start(argv, stderr, env)
        return self.wait(), stderr.read_text()

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)
