"""django-linear-migrations' max_migration.txt: status, new migrations and fix-lockfile on real git conflicts."""

from __future__ import annotations

import json

import git
import pytest

from ..conftest import django
from ..lockfile.histories import commit, run_git

NOOP = """\
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "{parent}"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop),
    ]
"""
MAX = "shop/migrations/max_migration.txt"


def add(repo, name: str, parent: str) -> None:
    (repo / f"shop/migrations/{name}.py").write_text(NOOP.format(parent=parent))
    (repo / MAX).write_text(f"{name}\n")


def test_status_reads_max_migration(plain_repo, cli):
    data = json.loads(cli(plain_repo, "status", "--format", "json").out)
    assert data["convention"] == "plain"
    assert data["lockfile"] == {"path": "max_migration.txt files", "conflicted": False, "ok": True}
    assert data["apps"][0]["locked"] == "0001_initial"
    assert "Lockfile: max_migration.txt files agree with the graph" in cli(plain_repo, "status").out
    (plain_repo / MAX).write_text("0009_missing\n")
    text = cli(plain_repo, "status").out
    assert "lockfile says 0009_missing" in text and "max_migration.txt files disagree with the graph" in text
    data = json.loads(cli(plain_repo, "check", "--format", "json").out)
    [finding] = [finding for finding in data["findings"] if finding["rule"] == "MA016"]
    assert finding["path"] == MAX and "says 0009_missing, but the leaf of shop is 0001_initial" in finding["message"]


@pytest.mark.parametrize("operation", ["rebase", "merge"])
def test_fix_lockfile_renumbers_a_chain_after_the_upstream_leaf(plain_repo, cli, operation):
    repo = plain_repo
    run_git(repo, "checkout", "-b", "feature")
    add(repo, "0002_feature_a", "0001_initial")
    add(repo, "0003_feature_b", "0002_feature_a")
    commit(repo, "feature: two migrations")
    run_git(repo, "checkout", "main")
    add(repo, "0002_upstream", "0001_initial")
    commit(repo, "upstream")
    run_git(repo, "checkout", "feature")
    if operation == "rebase":
        run_git(repo, "rebase", "main", expect_conflict=True)
    else:
        run_git(repo, "merge", "main", expect_conflict=True)
    assert "<<<<<<<" in (repo / MAX).read_text()
    status = cli(repo, "status")
    assert "max_migration.txt files have conflict markers" in status.out
    check = json.loads(cli(repo, "check", "--format", "json").out)
    assert any(
        f["rule"] == "MA016" and f["path"] == MAX and "conflict markers" in f["message"] for f in check["findings"]
    )

    result = cli(repo, "fix-lockfile")
    assert result.code == 0, result.err
    folder = repo / "shop/migrations"
    assert (folder / "0002_upstream.py").is_file()
    assert not (folder / "0002_feature_a.py").exists() and not (folder / "0003_feature_b.py").exists()
    assert '("shop", "0002_upstream")' in (folder / "0003_feature_a.py").read_text()
    assert '("shop", "0003_feature_a")' in (folder / "0004_feature_b.py").read_text()
    assert (repo / MAX).read_text() == "0004_feature_b\n"
    with git.Repo(repo) as handle:
        assert not handle.git.diff("--name-only", "--diff-filter=U")  # everything staged
    run_git(repo, "rebase", "--continue") if operation == "rebase" else run_git(repo, "commit", "--no-edit")
    check = django(repo, "makemigrations", "--check", "--dry-run")
    assert check.returncode == 0, check.stdout + check.stderr
    migrated = django(repo, "migrate", "--no-input")
    assert migrated.returncode == 0, migrated.stderr
    assert "Applying shop.0004_feature_b... OK" in migrated.stdout
    assert cli(repo, "status").out.count("lockfile ok") == 1


def test_new_migrations_update_max_migration(plain_repo, cli):
    result = cli(plain_repo, "remove-field", "shop.Project.first_event", "--phase", "1", "--name", "drop_first")
    assert result.code == 0, result.err
    assert (plain_repo / MAX).read_text() == "0002_drop_first\n"
    assert "--- a/shop/migrations/max_migration.txt" not in result.out
