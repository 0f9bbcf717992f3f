"""add-field, add-index, data-migration and sqlmigrate on the sample, checked with Django and SQL."""

import json
import subprocess
import sys

import pytest

from .conftest import assert_no_model_changes, django, migrate, tree_state


def created(result) -> list[str]:
    return [line.split()[-1] for line in result.out.splitlines() if line.strip().startswith("created")]


def test_add_fields_apply_and_keep_django_in_agreement(repo, database, cli):
    migrate(repo, database)
    for args in (
        ("sentry.Project.tier", "models.IntegerField(db_default=0)"),
        ("sentry.Project.notes", "models.TextField()", "--nullable"),
        ("sentry.Project.owner", 'FlexibleForeignKey("sentry.Team", on_delete=models.SET_NULL, null=True)'),
    ):
        result = cli(repo, "add-field", *args)
        assert result.code == 0, result.err
    assert_no_model_changes(repo)
    migrate(repo, database)
    assert {"tier", "notes", "owner_id"} <= database.columns("sentry_project")
    assert database.not_null("sentry_project", "tier") and not database.not_null("sentry_project", "notes")
    assert json.loads(cli(repo, "check", "--format", "json").out)["findings"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("sentry.Project.tier", "models.IntegerField(default=0)"), "default= is applied by Django, not the database"),
        (("sentry.Project.tier", "models.IntegerField()"), "would be a NOT NULL column without db_default"),
        (("sentry.Project.tier", "models.IntegerField("), "invalid field expression"),
        (("sentry.Project.tier", "print('x')"), "is not a field"),
        (("sentry.Project.name", "models.TextField(null=True)"), "already has a field or attribute named name"),
        (("sentry.Project.tier", "BitField(null=True)"), "which that file does not import"),
        (("sentry.Project.tier_", "models.TextField(null=True)"), "not a valid Django field name"),
    ],
)
def test_add_field_refusals(repo, cli, args, message):
    before = tree_state(repo)
    result = cli(repo, "add-field", *args)
    assert result.code == 1 and message in result.err
    assert tree_state(repo) == before


def test_add_index_gets_djangos_name_and_applies(repo, database, cli):
    migrate(repo, database)
    result = cli(repo, "add-index", "sentry.Team", "--", "name", "-slug")
    assert result.code == 0, result.err
    [migration] = created(result)
    text = (repo / migration).read_text()
    name = text.split('], name="')[1].split('"')[0]
    script = (
        "from django.db import models; from sentry.models import Team\n"
        "index = models.Index(fields=['name', '-slug']); index.set_name_with_model(Team); print(index.name)"
    )
    expected = django(repo, "shell", "-c", script)
    assert expected.stdout.strip().splitlines()[-1] == name == "sentry_team_name_e149fd_idx"
    assert "is_post_deployment = False" in text
    assert_no_model_changes(repo)
    migrate(repo, database)
    assert name in database.indexes("sentry_team")


def test_index_on_a_large_table_is_post_deployment_and_alone(repo, cli):
    path = repo / "pyproject.toml"
    path.write_text(path.read_text() + 'large-tables = ["sentry_project"]\n')
    result = cli(repo, "add-index", "sentry.Project", "platform", "--name", "sentry_project_platform")
    assert result.code == 0
    assert "is a large table: the migration is post-deployment" in result.err
    text = (repo / created(result)[0]).read_text()
    assert "is_post_deployment = True" in text
    assert [line.strip() for line in text.splitlines() if line.startswith("        migrations.")] == [
        "migrations.AddIndex("
    ]
    assert "# This flag is used to mark that a migration shouldn't be automatically run in production." in text
    assert json.loads(cli(repo, "check", "--format", "json").out)["findings"] == []


def test_add_index_refusals(repo, cli):
    assert "has no column field named nope" in cli(repo, "add-index", "sentry.Team", "nope").err
    assert "invalid index name" in cli(repo, "add-index", "sentry.Team", "name", "--name", "x" * 31).err
    taken = cli(repo, "add-index", "sentry.Project", "name", "--name", "sentry_proj_status_c1bf9b_idx")
    assert taken.code == 1 and "already used by the index of sentry.Project: index names are unique (E030)" in taken.err


def test_data_migration_skeleton_and_its_test_run(repo, database, cli):
    result = cli(repo, "data-migration", "sentry", "backfill_flags", "--model", "sentry.Project")
    assert result.code == 0, result.err
    migration, test = created(result)
    text = (repo / migration).read_text()
    assert "is_post_deployment = True" in text
    assert "RangeQuerySetWrapperWithProgressBar(Project.objects.all())" in text
    assert 'hints={"tables": ["sentry_project"]}' in text
    assert test == "tests/sentry/migrations/test_0008_backfill_flags.py"
    test_text = (repo / test).read_text()
    assert 'migrate_from = "0007_organization_default_role_pending"' in test_text
    assert test_text.count("    def test") == 1 and 'apps.get_model("sentry", "Project")' in test_text
    assert_no_model_changes(repo)
    migrate(repo, database)
    run = django(repo, "test", "tests.sentry.migrations.test_0008_backfill_flags", "-v", "0", database=database)
    assert run.returncode == 0, run.stderr
    assert json.loads(cli(repo, "check", "--format", "json").out)["findings"] == []


def test_data_migration_in_another_app_without_a_model(repo, cli):
    result = cli(repo, "data-migration", "hybridcloud", "tidy_up")
    assert result.code == 0
    assert "tests/sentry/hybridcloud/migrations/test_0003_tidy_up.py" in created(result)
    run = django(repo, "test", "tests.sentry.hybridcloud.migrations.test_0003_tidy_up", "-v", "0")
    assert run.returncode == 0, run.stderr


def test_sqlmigrate_passthrough(repo, cli):
    assert django(repo, "migrate", "--no-input").returncode == 0
    result = subprocess.run(
        [sys.executable, "-m", "migrate_assistant", "--repo", str(repo), "sqlmigrate", "uptime", "0002"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and 'CREATE TABLE "uptime_uptimeregion"' in result.stdout
    missing = cli(repo, "sqlmigrate", "uptime", "0099")
    assert missing.code == 1 and "app 'uptime' has no migration named 0099*" in missing.err
