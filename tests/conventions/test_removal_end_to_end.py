"""Removals in a plain Django and a django-safemigrate repository, checked with Django and SQL.

plain: phase 1 leaves the column or table, phase 2 (a later PR) drops it.
safemigrate: one PR, two migrations; the real ``safemigrate`` command runs the
first (the column or table stays), ``migrate`` the second (it is dropped).
Both drops are reversible: ``migrate`` backwards re-creates the column or table.
"""

from __future__ import annotations

import re

import pytest

from ..conftest import assert_no_model_changes, django, migrate

# (targets, table, columns (None: the whole table), text expected in the first migration)
CASES = {
    "not-null-field": (["shop.Project.template_version"], "shop_project", ["template_version"], ["null=True"]),
    "foreign-key": (["shop.Project.organization"], "shop_project", ["organization_id"], ["db_constraint=False"]),
    "indexed-field": (
        ["shop.Project.status"],
        "shop_project",
        ["status"],
        ['migrations.RemoveIndex(model_name="project", name="shop_project_status_idx")'],
    ),
    "two-fields-one-migration": (
        ["shop.Project.platform", "shop.Project.flags"],
        "shop_project",
        ["platform", "flags"],
        [],
    ),
    "model-with-foreign-keys": (["shop.Bookmark"], "shop_bookmark", None, ["db_constraint=False"]),
}
SENTRY_WORDS = re.compile(r"sentry|Safe(RemoveField|DeleteModel|RunSQL)|DeletionAction|CheckedMigration|silo", re.I)


def _created(output: str) -> list[str]:
    return [line.split()[-1] for line in output.splitlines() if line.strip().startswith("created")]


def _command(targets: list[str]) -> str:
    return "remove-model" if targets[0].count(".") == 1 else "remove-field"


def _present(database, table: str, columns: list[str] | None) -> bool:
    if columns is None:
        return table in database.tables()
    found = database.columns(table)
    return all(column in found for column in columns)


def _absent(database, table: str, columns: list[str] | None) -> bool:
    if columns is None:
        return table not in database.tables()
    return not set(columns) & database.columns(table)


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_plain_two_phase_removal(case, plain_repo, database, cli):
    targets, table, columns, expected = CASES[case]
    repo = plain_repo
    migrate(repo, database)

    first = cli(repo, _command(targets), *targets, "--phase", "1")
    assert first.code == 0, first.err
    [migration] = _created(first.out)
    text = (repo / migration).read_text()
    assert text.count("migrations.SeparateDatabaseAndState(") == len(targets)
    assert "database_operations" not in text
    for needle in expected:
        assert needle in text
    assert not SENTRY_WORDS.search(first.out + first.err + text), first.out + text
    assert (repo / "shop/migrations/max_migration.txt").read_text() == migration.split("/")[-1][:-3] + "\n"
    assert_no_model_changes(repo)
    migrate(repo, database)
    assert _present(database, table, columns), "phase 1 must keep the column or table"
    if columns is None:
        assert not database.foreign_keys(table)
    elif case != "two-fields-one-migration":
        assert not any(database.not_null(table, column) for column in columns)
        assert not set(columns) & database.foreign_keys(table)

    status = cli(repo, "status")
    assert all(target in status.out for target in targets), status.out

    second = cli(repo, _command(targets), *targets, "--phase", "2")
    assert second.code == 0, second.err
    [drop] = _created(second.out)
    drop_text = (repo / drop).read_text()
    assert not SENTRY_WORDS.search(second.out + second.err + drop_text)
    assert_no_model_changes(repo)
    migrate(repo, database)
    assert _absent(database, table, columns), "phase 2 must drop the column or table"
    assert "Pending deletions: none" in cli(repo, "status").out
    assert cli(repo, "check", migration, drop).code == 0

    back = django(repo, "migrate", "shop", "0001_initial", database=database)
    assert back.returncode == 0, back.stdout + back.stderr
    assert _present(database, table, columns), "migrate backwards must re-create the column or table"
    migrate(repo, database)
    assert _absent(database, table, columns)


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_safemigrate_removal_in_one_pr(case, safemigrate_repo, database, cli):
    targets, table, columns, expected = CASES[case]
    repo = safemigrate_repo
    migrate(repo, database)

    result = cli(repo, _command(targets), *targets, "--phase", "1")
    assert result.code == 0, result.err
    before, after = _created(result.out)
    before_text, after_text = (repo / before).read_text(), (repo / after).read_text()
    assert "safe = Safe.before_deploy()" in before_text
    assert "safe = Safe.after_deploy()" in after_text
    assert "from django_safemigrate import Safe" in before_text
    for needle in expected:
        assert needle in before_text
    assert not SENTRY_WORDS.search(result.out + result.err + before_text + after_text)
    assert_no_model_changes(repo)
    assert cli(repo, "check", before, after).code == 0

    safe = django(repo, "safemigrate", "--no-input", database=database)
    assert safe.returncode == 0, safe.stdout + safe.stderr
    assert "Delayed migrations" in safe.stdout and after.split("/")[-1][:-3] in safe.stdout
    assert _present(database, table, columns), "safemigrate (before the deploy) must keep the column or table"

    migrate(repo, database)
    assert _absent(database, table, columns), "migrate (after the deploy) must drop the column or table"

    back = django(repo, "migrate", "shop", "0001_initial", database=database)
    assert back.returncode == 0, back.stdout + back.stderr
    assert _present(database, table, columns), "migrate backwards must re-create the column or table"


def test_plain_removal_of_a_child_model_keeps_its_bases(plain_repo, tmp_path, cli):
    """Multi-table inheritance: the drop re-creates the child's state with its bases, so both ways work."""
    from ..databases import Database

    repo = plain_repo
    database = Database(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    models = repo / "shop/models.py"
    models.write_text(
        models.read_text() + "\n\nclass Partner(Organization):\n    level = models.IntegerField(null=True)\n"
    )
    made = django(repo, "makemigrations", "shop", "--name", "partner")
    assert made.returncode == 0, made.stderr
    assert "bases=" in (repo / "shop/migrations/0002_partner.py").read_text()
    (repo / "shop/migrations/max_migration.txt").write_text("0002_partner\n")
    migrate(repo, database)

    assert cli(repo, "remove-model", "shop.Partner", "--phase", "1").code == 0
    assert_no_model_changes(repo)
    migrate(repo, database)
    assert "shop_partner" in database.tables()
    second = cli(repo, "remove-model", "shop.Partner", "--phase", "2")
    assert second.code == 0, second.err
    [drop] = _created(second.out)
    assert "bases=(" in (repo / drop).read_text()
    assert_no_model_changes(repo)
    migrate(repo, database)
    assert "shop_partner" not in database.tables()
    back = django(repo, "migrate", "shop", "0002_partner", database=database)
    assert back.returncode == 0, back.stdout + back.stderr
    assert "shop_partner" in database.tables()


def test_safemigrate_removes_a_model_and_the_keys_pointing_at_it(safemigrate_repo, tmp_path, cli):
    """Same app: the drop gives the state the table back before the column that points at it."""
    from ..databases import Database

    repo = safemigrate_repo
    database = Database(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    migrate(repo, database)
    result = cli(repo, "remove", "shop.Project.organization", "shop.Bookmark", "shop.Organization", "--phase", "1")
    assert result.code == 0, result.err
    assert_no_model_changes(repo)
    assert django(repo, "safemigrate", "--no-input", database=database).returncode == 0
    assert {"shop_organization", "shop_bookmark"} <= database.tables()
    migrate(repo, database)
    assert not {"shop_organization", "shop_bookmark"} & database.tables()
    assert "organization_id" not in database.columns("shop_project")
    back = django(repo, "migrate", "shop", "0001_initial", database=database)
    assert back.returncode == 0, back.stdout + back.stderr
    assert {"shop_organization", "shop_bookmark"} <= database.tables()


def test_a_key_into_another_app_s_removed_model_is_refused(safemigrate_repo, cli):
    """Across apps the model cannot be given back to the state for the drop: said, and nothing written."""
    from ..conftest import tree_state

    repo = safemigrate_repo
    (repo / "blog/migrations").mkdir(parents=True)
    (repo / "blog/__init__.py").write_text("")
    (repo / "blog/migrations/__init__.py").write_text("")
    (repo / "blog/models.py").write_text(
        "from django.db import models\n\n\nclass Post(models.Model):\n"
        '    organization = models.ForeignKey("shop.Organization", on_delete=models.CASCADE)\n'
    )
    settings = repo / "config/settings.py"
    settings.write_text(settings.read_text().replace('    "shop",\n', '    "shop",\n    "blog",\n'))
    assert django(repo, "makemigrations", "blog").returncode == 0
    before = tree_state(repo)
    targets = ["blog.Post.organization", "shop.Project.organization", "shop.Bookmark", "shop.Organization"]
    result = cli(repo, "remove", *targets, "--phase", "1")
    assert result.code == 1
    assert "blog.Post.organization points at shop.organization, which is removed from the state too" in result.err
    assert tree_state(repo) == before
