"""Fixtures: the sample repository in git, the CLI, Django and real databases."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from migrate_assistant.cli import main
from migrate_assistant.sample import build_sample_repo

from .databases import Database

os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01: reproducible migration headers


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory) -> Path:
    return build_sample_repo(tmp_path_factory.mktemp("template") / "repo")


@pytest.fixture
def repo(sample_template, tmp_path) -> Path:
    """A fresh copy of the sample repository (with its git history)."""
    return Path(shutil.copytree(sample_template, tmp_path / "repo", symlinks=True))


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys):
    """Run ``migrate-assistant`` in-process: ``cli(repo, "status")`` (``demo``, which makes a repository, is
    run without ``--repo``)."""

    def run(repo: Path, *args: str) -> Result:
        capsys.readouterr()
        code = main([*([] if args[:1] == ("demo",) else ["--repo", str(repo)]), *args])
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run


def django(repo: Path, *args: str, database: Database | None = None) -> subprocess.CompletedProcess:
    """Run the sample project's ``manage.py`` in a subprocess."""
    env = {**os.environ, "DATABASE_URL": database.url if database else f"sqlite:///{repo / 'check.sqlite3'}"}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=300
    )


def assert_no_model_changes(repo: Path) -> None:
    result = django(repo, "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def migrate(repo: Path, database: Database) -> None:
    result = django(repo, "migrate", "--no-input", database=database)
    assert result.returncode == 0, result.stdout + result.stderr


def tree_state(repo: Path) -> dict[str, bytes]:
    """Every file (outside .git, caches and the sample's ignored databases), to prove nothing changed."""
    return {
        path.relative_to(repo).as_posix(): path.read_bytes()
        for path in sorted(repo.rglob("*"))
        if path.is_file() and ".git" not in path.parts and "__pycache__" not in path.parts and path.suffix != ".sqlite3"
    }


@pytest.fixture(scope="session")
def postgres():
    """One PostgreSQL server per test process, from the pgserver wheel.

    Its data lives outside pytest's temporary tree: run as root, pgserver starts
    PostgreSQL as another user, and pytest makes its own tree private (0700).
    """
    import pgserver

    data = tempfile.mkdtemp(prefix="migrate-assistant-pg-")
    server = pgserver.get_server(data, cleanup_mode="stop")
    yield server
    server.cleanup()
    shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path) -> Database:
    if request.param == "sqlite":
        return Database(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    server = request.getfixturevalue("postgres")
    name = f"t_{uuid.uuid4().hex[:12]}"
    server.psql(f"CREATE DATABASE {name};")
    return Database(server.get_uri(name))


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    """Each test session caches migration headers in its own directory."""
    monkeypatch.setenv("MIGRATE_ASSISTANT_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
