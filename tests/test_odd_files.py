"""Odd files and streams: a BOM, a lockfile that is a directory, a restored mtime, a closed pipe."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from migrate_assistant.project import discover

UPTIME = "src/sentry/uptime/migrations"


def test_a_bom_is_read_as_python_reads_it(repo, cli):
    path = repo / UPTIME / "0002_uptimeregion.py"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    models = repo / "src/sentry/uptime/models.py"
    models.write_bytes(b"\xef\xbb\xbf" + models.read_bytes())
    result = cli(repo, "check", str(path))
    assert "syntax error" not in result.err, result.err
    assert "1 migration checked" in result.err
    index = discover(repo).index
    assert index.graph.leaves("uptime") == ["0002_uptimeregion"]
    assert index.model_source("uptime", "UptimeSubscription") is not None


def test_a_lockfile_path_that_is_a_directory_is_one_clear_message(repo, cli):
    lockfile = repo / "migrations_lockfile.txt"
    lockfile.unlink()
    lockfile.mkdir()
    result = cli(repo, "status")
    assert result.code == 1
    assert (
        result.err.strip() == "migrate-assistant: migrations_lockfile.txt: the lockfile path is a directory, not a file"
    )


def test_same_size_edit_with_restored_mtime_is_read_again(repo):
    assert discover(repo).index.graph.leaves("uptime") == ["0002_uptimeregion"]
    path = repo / UPTIME / "0002_uptimeregion.py"
    before = path.stat()
    text = path.read_text()
    edited = text.replace('("uptime", "0001_initial")', '("uptime", "0001_initiaX")')
    assert len(edited) == len(text) and edited != text
    path.write_text(edited)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_mtime_ns, path.stat().st_size) == (before.st_mtime_ns, before.st_size)
    problems = discover(repo).index.graph_problems
    assert any("0001_initiaX" in problem for problem in problems), problems  # the edit was read: now dangling


def test_status_into_a_closed_pipe_prints_no_traceback(repo):
    read, write = os.pipe()
    os.close(read)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "migrate_assistant", "--repo", str(repo), "status"],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write)
    assert "Traceback" not in result.stderr and "BrokenPipeError" not in result.stderr, result.stderr
    assert result.stderr == ""
    assert result.returncode == 1


def test_status_head_two_lines(repo):
    command = f"{sys.executable} -m migrate_assistant --repo {repo} status | head -2"
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=120)
    assert result.stdout.splitlines()[0].startswith("Repository: ")
    assert result.stderr == ""


def test_json_lockfile_ok_is_null_without_a_lockfile(repo, cli):
    (repo / "migrations_lockfile.txt").unlink()
    data = json.loads(cli(repo, "status", "--format", "json").out)
    assert data["lockfile"]["path"] is None and data["lockfile"]["ok"] is True
    assert data["apps"] and all(app["lockfile_ok"] is None for app in data["apps"])


def test_json_lockfile_ok_per_app_with_a_lockfile(repo, cli):
    data = json.loads(cli(repo, "status", "--format", "json").out)
    assert data["lockfile"]["ok"] is True
    assert all(app["lockfile_ok"] is True for app in data["apps"])
