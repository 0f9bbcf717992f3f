"""The keyboard flow in a real (pseudo-)terminal, as a person would type it."""

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
import threading
import time


class Terminal:
    """The program on a pseudo-terminal; ``expect`` waits for text in its output."""

    def __init__(self, argv, cwd, rows=40, columns=120):
        main, child = pty.openpty()
        fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(rows)}
        self.process = subprocess.Popen(
            argv, cwd=cwd, env=env, stdin=child, stdout=child, stderr=child, start_new_session=True
        )
        os.close(child)
        self.main = main
        self.output = b""
        self.seen = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        while True:
            try:
                chunk = os.read(self.main, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def expect(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.output.find(text.encode(), self.seen)
            if found >= 0:
                self.seen = found + len(text)
                return
            time.sleep(0.05)
        raise AssertionError(f"{text!r} did not appear; last output: {self.output[-1500:]!r}")

    def send(self, keys: str) -> None:
        os.write(self.main, keys.encode())
        time.sleep(0.3)


def test_remove_field_phase_one_from_the_command_palette(repo):
    terminal = Terminal([sys.executable, "-m", "migrate_assistant"], cwd=repo)
    try:
        terminal.expect("Reading the repository")
        terminal.expect("0 findings")  # the repository has been read (the counts are shown)
        terminal.send("\x10")  # ctrl+p
        terminal.send("Remove field")
        terminal.send("\r")
        terminal.expect("type to filter")
        terminal.send("sentry.Project.first_event")
        terminal.send("\r")
        terminal.expect("SafeRemoveField")
        terminal.send("a")
        terminal.expect("Done:")
        terminal.send("\x1b")
        terminal.expect("0 findings")
        terminal.send("q")
        assert terminal.process.wait(timeout=20) == 0
    finally:
        if terminal.process.poll() is None:
            terminal.process.kill()
        os.close(terminal.main)
    migration = repo / "src/sentry/migrations/0008_project_first_event_pending.py"
    assert "SafeRemoveField" in migration.read_text()
    assert "first_event" not in (repo / "src/sentry/models/project.py").read_text()
