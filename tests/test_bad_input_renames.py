"""Bad input to rename-field / rename-model: one clear message, exit 1 (usage 2), no file changed."""

import pytest

from .conftest import tree_state

AUTOMATIC_M2M = """\
from django.db import migrations, models

from sentry.new_migrations.migrations import CheckedMigration


class Migration(CheckedMigration):
    is_post_deployment = False

    dependencies = [
        ("sentry", "0007_organization_default_role_pending"),
    ]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="teams",
            field=models.ManyToManyField(related_name="+", to="sentry.team"),
        ),
    ]
"""


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("rename-field", "sentry.Project.status", "class"), 1, "'class' is a Python keyword, not a valid field name"),
        (("rename-field", "sentry.Project.status", "9lives"), 1, "'9lives' is not a valid field name"),
        (
            ("rename-field", "sentry.Project.status", "a__b"),
            1,
            "is not a valid Django field name (no '__', no trailing '_')",
        ),
        (("rename-field", "sentry.Project.status", "status"), 1, "sentry.Project.status is already called status"),
        (
            ("rename-field", "sentry.Project.status", "platform"),
            1,
            "sentry.Project already has a field or attribute named platform",
        ),
        (
            ("rename-field", "sentry.Project.status", "organization_id"),
            1,
            "already has a field or attribute named organization_id",
        ),
        (("rename-field", "sentry.Project.nope", "x"), 1, "unknown field 'nope' on sentry.Project"),
        (("rename-field", "sentry.Project", "x"), 1, "malformed target"),
        (("rename-field", "sentry.Project.status"), 2, "the following arguments are required: NEW"),
        (("rename-model", "sentry.Team", "Project"), 1, "app 'sentry' already has a model named Project"),
        (("rename-model", "sentry.Team", "TEAM"), 1, "differ only in case"),
        (("rename-model", "sentry.Team", "uptime.Squad"), 1, "renaming across apps (sentry → uptime) is not a rename"),
        (("rename-model", "sentry.Team", "def"), 1, "'def' is a Python keyword, not a valid model name"),
        (("rename-model", "sentry.Nope", "Squad"), 1, "unknown model 'Nope' in app 'sentry'"),
    ],
)
def test_refused(repo, cli, args, code, message):
    before = tree_state(repo)
    result = cli(repo, *args)
    assert result.code == code, result.out
    assert message in result.err
    assert "Traceback" not in result.err
    assert tree_state(repo) == before


def test_automatic_many_to_many_is_refused(repo, cli):
    (repo / "src/sentry/migrations/0008_organization_teams.py").write_text(AUTOMATIC_M2M)
    path = repo / "src/sentry/models/organization.py"
    path.write_text(
        path.read_text().replace(
            "    class Meta:",
            '    teams = models.ManyToManyField("sentry.Team", related_name="+")\n\n    class Meta:',
            1,
        )
    )
    before = tree_state(repo)
    model = cli(repo, "rename-model", "sentry.Team", "Squad")
    field = cli(repo, "rename-field", "sentry.Organization.teams", "squads")
    assert model.code == field.code == 1
    assert (
        "sentry.Organization.teams: an automatic ManyToMany join table has a column named after the model" in model.err
    )
    assert "is a ManyToManyField without a through model: renaming it renames its join table" in field.err
    assert tree_state(repo) == before
