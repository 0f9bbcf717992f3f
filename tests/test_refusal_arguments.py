"""Each refusal of the recipes names the command-line argument it concerns (``AssistantError.argument``),
and a refusal about the repository names none."""

import shutil

import pytest

from migrate_assistant.errors import AssistantError
from migrate_assistant.project import discover
from migrate_assistant.recipes.add_field import plan_add_field
from migrate_assistant.recipes.add_index import plan_add_index
from migrate_assistant.recipes.data_migration import plan_data_migration
from migrate_assistant.recipes.rename_field import plan_rename_field
from migrate_assistant.recipes.rename_model import plan_rename_model

LONG = "x" * 64  # a column name PostgreSQL cannot hold (63 bytes)
UNMIGRATED = "\n\n@region_silo_model\nclass Squad(Model):\n    name = models.CharField(max_length=64)\n"

CASES = [
    # rename-field TARGET NEW
    (plan_rename_field, ("sentry.Project.nope", "other"), "target", "unknown field 'nope' on sentry.Project"),
    (plan_rename_field, ("sentry.Project", "other"), "target", "malformed target 'sentry.Project'"),
    (plan_rename_field, ("nope.Project.name", "other"), "target", "unknown app 'nope'"),
    (plan_rename_field, ("sentry.Nope.name", "other"), "target", "unknown model 'Nope' in app 'sentry'"),
    (plan_rename_field, ("sentry.Project.class", "other"), "target", "'class' is a Python keyword"),
    (plan_rename_field, ("sentry.Project.name", "name"), "new_name", "sentry.Project.name is already called name"),
    (plan_rename_field, ("sentry.Project.name", "class"), "new_name", "'class' is a Python keyword"),
    (plan_rename_field, ("sentry.Project.name", "9lives"), "new_name", "'9lives' is not a valid field name"),
    (plan_rename_field, ("sentry.Project.name", "save"), "new_name", "'save' is reserved by Django's Model"),
    (plan_rename_field, ("sentry.Project.name", "a__b"), "new_name", "is not a valid Django field name"),
    (plan_rename_field, ("sentry.Project.name", "timezone"), "new_name", "is already a name in the model's module"),
    (plan_rename_field, ("sentry.Project.name", "slug"), "new_name", "already has a field or attribute named slug"),
    (plan_rename_field, ("sentry.Squad.name", "title"), "target", "is in the model but not in the migrations"),
    # rename-model TARGET NEW
    (plan_rename_model, ("sentry.Nope", "Crew"), "target", "unknown model 'Nope' in app 'sentry'"),
    (plan_rename_model, ("sentry.Team.x", "Crew"), "target", "malformed target 'sentry.Team.x'"),
    (plan_rename_model, ("sentry.Team", "other.Crew"), "new_name", "renaming across apps"),
    (plan_rename_model, ("sentry.Team", "_Crew"), "new_name", "cannot start or end with '_'"),
    (plan_rename_model, ("sentry.Team", "C__rew"), "new_name", "cannot contain '__'"),
    (plan_rename_model, ("sentry.Team", "C" * 100), "new_name", "the model name is 100 characters long"),
    (plan_rename_model, ("sentry.Team", "class"), "new_name", "'class' is a Python keyword"),
    (plan_rename_model, ("sentry.Team", "Model"), "new_name", "is already a name in src/sentry/models/team.py"),
    (plan_rename_model, ("sentry.Team", "TEAM"), "new_name", "differ only in case"),
    (plan_rename_model, ("sentry.Team", "Project"), "new_name", "already has a model named Project"),
    (plan_rename_model, ("sentry.Squad", "Crew"), "target", "is in the code but not in the migrations"),
    # add-field APP.Model.NAME FIELD: the model is the target, the last part the name
    (plan_add_field, ("sentry.Nope.rank", "models.IntegerField(null=True)"), "target", "unknown model 'Nope'"),
    (plan_add_field, ("sentry.Squad.rank", "models.IntegerField(null=True)"), "target", "not in the migrations"),
    (plan_add_field, ("sentry.Team.name", "models.IntegerField(null=True)"), "name", "already has a field"),
    (plan_add_field, ("sentry.Team.pk", "models.IntegerField(null=True)"), "name", "'pk' is reserved"),
    (plan_add_field, ("sentry.Team.bad_", "models.IntegerField(null=True)"), "name", "no trailing '_'"),
    (plan_add_field, ("sentry.Team.timezone", "models.IntegerField(null=True)"), "name", "already a name in"),
    (plan_add_field, (f"sentry.Team.{LONG}", "models.IntegerField(null=True)"), "name", "the column name"),
    (plan_add_field, ("sentry.Team.rank", f"models.IntegerField(null=True, db_column='{LONG}')"), "expression", ""),
    (plan_add_field, ("sentry.Team.rank", "models.IntegerField()"), "expression", "NOT NULL column"),
    (plan_add_field, ("sentry.Team.rank", "models.IntegerField(null=True"), "expression", "invalid field expression"),
    (plan_add_field, ("sentry.Team.rank", "42"), "expression", "is not a field"),
    (plan_add_field, ("sentry.Team.rank", "Nope(null=True)"), "expression", "cannot resolve Nope"),
    (plan_add_field, ("sentry.Team.rank", "models.IntegerField(nope=1)"), "expression", "refused by Django"),
    (
        plan_add_field,
        ("sentry.Team.boss", "models.ForeignKey('sentry.Nope', models.CASCADE, null=True)"),
        "expression",
        "not a model",
    ),
    # add-index TARGET FIELDS --name
    (plan_add_index, ("sentry.Nope", ["name"]), "target", "unknown model 'Nope'"),
    (plan_add_index, ("sentry.Squad", ["name"]), "target", "not in the migrations"),
    (plan_add_index, ("sentry.Team", []), "fields", "name at least one field to index"),
    (plan_add_index, ("sentry.Team", ["nope"]), "fields", "sentry.Team has no column field named nope"),
    (plan_add_index, ("sentry.Team", ["Name"]), "fields", "did you mean name?"),
    (plan_add_index, ("sentry.Team", ["na-me"]), "fields", "invalid index field 'na-me'"),
    (plan_add_index, ("sentry.Team", ["name", "-name"]), "fields", "name is named twice"),
    (plan_add_index, ("sentry.Team", ["name"], "1st"), "name", "invalid index name '1st'"),
    (plan_add_index, ("sentry.Team", ["name"], "x" * 31), "name", "longer than Django's 30 characters"),
    (plan_add_index, ("sentry.Team", ["name"], "sentry_proj_status_c1bf9b_idx"), "name", "is already used by"),
    # data-migration APP NAME --model
    (plan_data_migration, ("nope", "backfill"), "app", "unknown app 'nope'"),
    (plan_data_migration, ("sentry", "class"), "name", "'class' is a Python keyword"),
    (plan_data_migration, ("sentry", "match"), "name", "'match' is a Python keyword"),
    (plan_data_migration, ("sentry", "back-fill"), "name", "is not a valid migration and function name"),
    (plan_data_migration, ("sentry", "b" * 245), "name", "the migration name is 245 characters long"),
    (plan_data_migration, ("sentry", "migrations"), "name", "a name the migration file already uses"),
    (plan_data_migration, ("sentry", "backfill", "sentry.Nope"), "model", "unknown model 'Nope'"),
    (plan_data_migration, ("sentry", "backfill", "nope.Team"), "model", "unknown app 'nope'"),
    (plan_data_migration, ("sentry", "backfill", "sentry"), "model", "malformed target 'sentry'"),
    (plan_data_migration, ("sentry", "backfill", "sentry.Squad"), "model", "not in the migrations"),
]


@pytest.fixture(scope="module")
def project(sample_template, tmp_path_factory):
    """The sample repository, with a model (``sentry.Squad``) that its migrations do not have yet."""
    repo = shutil.copytree(sample_template, tmp_path_factory.mktemp("arguments") / "repo", symlinks=True)
    team = repo / "src/sentry/models/team.py"
    team.write_text(team.read_text() + UNMIGRATED)
    return discover(repo)


@pytest.mark.parametrize(("plan", "args", "argument", "message"), CASES)
def test_each_refusal_names_the_argument_it_concerns(project, plan, args, argument, message):
    with pytest.raises(AssistantError) as refused:
        plan(project, *args)
    assert message in str(refused.value)
    assert refused.value.argument == argument


def test_a_refusal_about_the_repository_names_no_argument(repo):
    broken = repo / "src/sentry/migrations/0008_broken.py"
    broken.write_text(
        "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n"
        '    dependencies = [("sentry", "0099_missing")]\n'
    )
    with pytest.raises(AssistantError) as refused:
        plan_add_field(discover(repo), "sentry.Team.rank", "models.IntegerField(null=True)")
    assert "the migration graph is broken" in str(refused.value)
    assert refused.value.argument is None


def test_the_command_line_prints_the_same_message_and_exit_code(repo, cli):
    result = cli(repo, "add-index", "sentry.Team", "--", "nope")
    assert result.code == 1
    assert result.err.strip() == "migrate-assistant: sentry.Team has no column field named nope"
