"""Configuration stays inside the repository and is checked; odd files give one message, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import tree_state

REMOVE = ("remove-field", "sentry.Project.platform", "--phase", "1")


def configure(repo: Path, text: str) -> None:
    """Add a line to [tool.migrate-assistant] (replacing the sample's own value of that key)."""
    path = repo / "pyproject.toml"
    key = text.split("=")[0].strip()
    kept = [line for line in path.read_text().splitlines(keepends=True) if not line.startswith(f"{key} =")]
    path.write_text("".join(kept) + text)


def run_unprivileged(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The command line in a real process that file permissions apply to (root without DAC override)."""
    command = [sys.executable, "-m", "migrate_assistant", *args]
    if os.geteuid() == 0:
        command = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--", *command]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=120)


def one_message(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.startswith("migrate-assistant: ")]
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.mark.parametrize(
    "setting, key",
    [
        ('router = "../outside/router.py"', "router"),
        ('migration-tests = "/srv/abs"', "migration-tests"),
        ('lockfile = "../../etc/lockfile.txt"', "lockfile"),
        ('checked-migration = "pkg.Migration\\nimport os"', "checked-migration"),
        ('chunked-iterator = "a.b c"', "chunked-iterator"),
        ('safe-run-sql = "a.class.B"', "safe-run-sql"),
        ('django-command = "python \'manage.py"', "django-command"),
        ('main-branch = "--upload-pack=x"', "main-branch"),
    ],
)
def test_each_malformed_or_escaping_setting_is_one_message_naming_the_key(repo, cli, setting, key):
    configure(repo, setting + "\n")
    before = tree_state(repo)
    result = cli(repo, *REMOVE)
    assert result.code == 1
    message = one_message(result.err)
    assert f"[tool.migrate-assistant] {key} " in message
    assert tree_state(repo) == before


def test_a_settings_symlink_leading_outside_is_refused(repo, cli, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", repo / "linked")
    configure(repo, 'migration-tests = "linked/tests"\n')
    result = cli(repo, "data-migration", "sentry", "backfill")
    assert result.code == 1
    assert "migration-tests must be a path inside the repository" in one_message(result.err)
    assert not any((tmp_path / "elsewhere").iterdir())


@pytest.mark.parametrize(
    "text, table",
    [("tool = 1\n", "[tool]"), ("[tool]\nblack = 5\n", "[tool.black]"), ("[tool]\nruff = 'x'\n", "[tool.ruff]")],
)
def test_tables_that_are_not_tables(repo, cli, text, table):
    (repo / "pyproject.toml").write_text(text + '[project]\nname = "x"\n')
    result = cli(repo, "status")
    assert result.code == 1
    assert f"{table} must be a table" in one_message(result.err)


def test_unreadable_pyproject(repo):
    os.chmod(repo / "pyproject.toml", 0)
    result = run_unprivileged("--repo", str(repo), "status")
    assert result.returncode == 1
    assert "pyproject.toml: cannot read (Permission denied)" in one_message(result.stderr)


def test_unreadable_migrations_folder(repo):
    os.chmod(repo / "src/sentry/uptime/migrations", 0)
    before = tree_state(repo)
    result = run_unprivileged("--repo", str(repo), *REMOVE)
    assert result.returncode == 1
    assert "uptime/migrations: cannot read the migrations folder (Permission denied)" in one_message(result.stderr)
    os.chmod(repo / "src/sentry/uptime/migrations", 0o755)
    assert tree_state(repo) == before


def test_demo_onto_an_existing_file(tmp_path, cli):
    target = tmp_path / "file.txt"
    target.write_text("mine\n")
    result = cli(tmp_path, "demo", str(target), "--no-tui")
    assert result.code == 2
    assert "already exists and is a file" in one_message(result.err)
    assert target.read_text() == "mine\n"


def test_demo_under_a_read_only_directory(tmp_path):
    parent = tmp_path / "readonly"
    parent.mkdir()
    os.chmod(parent, 0o555)
    result = run_unprivileged("demo", str(parent / "sample"), "--no-tui", cwd=tmp_path)
    assert result.returncode == 1
    assert "is read-only" in one_message(result.stderr)
    assert not any(parent.iterdir())
