"""Build real git histories with migration conflicts on the sample repository."""

from __future__ import annotations

import git

NOOP = """\
from django.db import migrations

from sentry.new_migrations.migrations import CheckedMigration


class Migration(CheckedMigration):
    is_post_deployment = False

    dependencies = [
{dependencies}    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop, hints={{"tables": []}}),
    ]
"""
FOLDERS = {"sentry": "src/sentry/migrations", "uptime": "src/sentry/uptime/migrations"}
LEAVES = {"sentry": "0007_organization_default_role_pending", "uptime": "0002_uptimeregion"}


def add_migration(repo, app: str, name: str, *dependencies: tuple[str, str], lock: bool = True) -> None:
    deps = "".join(f'        ("{a}", "{n}"),\n' for a, n in dependencies)
    (repo / FOLDERS[app] / f"{name}.py").write_text(NOOP.format(dependencies=deps))
    if lock:
        path = repo / "migrations_lockfile.txt"
        text = path.read_text()
        current = next(line for line in text.splitlines() if line.startswith(f"{app}: "))
        path.write_text(text.replace(current, f"{app}: {name}"))


def commit(repo, message: str) -> None:
    with git.Repo(repo) as handle:
        handle.git.add(all=True)
        handle.index.commit(message)


def run_git(repo, *args: str, expect_conflict: bool = False) -> None:
    with git.Repo(repo) as handle:
        try:
            handle.git.execute(["git", *args], env={"GIT_EDITOR": "true"})
        except git.GitCommandError:
            if not expect_conflict:
                raise
            return
        assert not expect_conflict, f"git {' '.join(args)} had no conflict"


def branches(repo, feature, upstream) -> None:
    """``feature(repo)`` on a new branch ``feature``, ``upstream(repo)`` on main."""
    run_git(repo, "checkout", "-b", "feature")
    feature(repo)
    commit(repo, "feature")
    run_git(repo, "checkout", "main")
    upstream(repo)
    commit(repo, "upstream")
    run_git(repo, "checkout", "feature")
