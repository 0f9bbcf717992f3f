"""check PATH: every module Django loads as a migration; anything else is skipped with a note; no git, no paths."""

from __future__ import annotations

import json
import shutil

from ..conftest import tree_state
from .test_rules import CASES, write

MIGRATIONS = "src/sentry/migrations"


def test_a_migration_named_without_a_number_is_checked(repo, cli):
    """saleor's ``fix_empty_data_in_lines.py`` is a graph node: Django loads any module not starting with _ or ~."""
    numbered = repo / write(repo, CASES["MA001"][0])
    unnumbered = numbered.with_name("fix_empty_data.py")
    numbered.rename(unnumbered)
    result = cli(repo, "check", str(unnumbered))
    assert result.code == 1
    assert f"{MIGRATIONS}/fix_empty_data.py:" in result.out and "MA001" in result.out
    assert "1 finding in 1 migration checked" in result.err


def test_non_migrations_are_skipped_with_a_note(repo, cli):
    folder = repo / MIGRATIONS
    (folder / "helpers.py").write_text("def forwards(apps, schema_editor):\n    pass\n")
    (folder / "_private.py").write_text("X = 1\n")
    path = repo / write(repo, CASES["MA001"][0])
    before = tree_state(repo)
    result = cli(
        repo, "check", str(folder / "helpers.py"), str(folder / "_private.py"), "src/sentry/models/team.py", str(path)
    )
    assert result.code == 1, "the real migration is still checked"
    assert "1 finding in 1 migration checked" in result.err
    assert f"note: skipped {folder / 'helpers.py'}: not a migration: it has no Migration class" in result.err
    assert "_private.py: not a migration: Django's loader skips modules whose name starts with '_'" in result.err
    assert "src/sentry/models/team.py: not a migration: not in the migrations package of an app" in result.err
    data = json.loads(cli(repo, "check", "--format", "json", str(folder / "helpers.py")).out)
    assert data["checked"] == [] and len(data["skipped"]) == 1
    github = cli(repo, "check", "--format", "github", str(folder / "helpers.py"))
    assert "::notice::skipped " in github.out
    # Django's loader refuses a migrations package with such a module in it: the graph is reported broken
    assert "no Migration class" in github.out and github.code == 1
    assert tree_state(repo) == before


def test_branch_scope_skips_a_helper_module_with_a_note(repo, cli):
    (repo / MIGRATIONS / "helpers.py").write_text("def forwards(apps, schema_editor):\n    pass\n")
    write(repo, CASES["MA001"][0])
    result = cli(repo, "check")
    assert result.code == 1 and "1 finding in 1 migration checked" in result.err
    assert f"note: skipped {MIGRATIONS}/helpers.py: not a migration" in result.err


def test_without_git_and_without_paths_it_says_to_pass_paths(repo, cli):
    shutil.rmtree(repo / ".git")
    write(repo, CASES["MA001"][0])
    result = cli(repo, "check")
    assert result.code == 2
    assert "is not a git repository" in result.err and "pass the migrations to check" in result.err
    assert "0 findings" not in result.err
    explicit = cli(repo, "check", f"{MIGRATIONS}/0008_change.py")
    assert explicit.code == 1 and "1 finding in 1 migration checked" in explicit.err


def test_fix_migration_still_refuses_a_non_migration(repo, cli):
    result = cli(repo, "fix-migration", "src/sentry/models/team.py")
    assert result.code == 2 and "not a migration" in result.err
