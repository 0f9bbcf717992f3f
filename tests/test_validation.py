"""Every name and field expression a user types is checked before planning (issue 12):
one clear message, exit 1, nothing written — or the written code is what Django accepts."""

import pytest

from migrate_assistant.errors import AssistantError
from migrate_assistant.validators import check_migration_name, migration_slug

from .conftest import assert_no_model_changes, django, tree_state

LONG = "x" * 250


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # Field names: Django's reserved names and model attributes, the module's own names.
        (("add-field", "sentry.Team.pk", "models.IntegerField(null=True)"), "'pk' is reserved by Django's Model"),
        (("add-field", "sentry.Team.objects", "models.IntegerField(null=True)"), "'objects' is reserved"),
        (("add-field", "sentry.Team.check", "models.IntegerField(null=True)"), "'check' is reserved"),
        (("add-field", "sentry.Team.models", "models.IntegerField(null=True)"), "'models' is already a name in"),
        (("add-field", "sentry.Team.Sq__x", "models.IntegerField(null=True)"), "no '__', no trailing '_'"),
        (("add-field", "sentry.Team.organization_id", "models.IntegerField(null=True)"), "already has a field"),
        (("add-field", "sentry.Team.id", "models.IntegerField(null=True)"), "sentry.Team already has a field"),
        (("rename-field", "sentry.Team.slug", "pk"), "'pk' is reserved by Django's Model"),
        (("rename-field", "sentry.Team.slug", "objects"), "'objects' is reserved"),
        (("rename-field", "sentry.Team.slug", "check"), "'check' is reserved"),
        (("rename-field", "sentry.Team.slug", "models"), "'models' is already a name in the model's module"),
        (("rename-field", "sentry.Team.slug", "timezone"), "'timezone' is already a name in the model's module"),
        # Model names: E023/E024, contenttypes.E005 and the permission codenames.
        (("rename-model", "sentry.Team", "Squad_"), "cannot start or end with '_' (models.E023)"),
        (("rename-model", "sentry.Team", "_Squad"), "cannot start or end with '_' (models.E023)"),
        (("rename-model", "sentry.Team", "Sq__uad"), "cannot contain '__' (models.E024)"),
        (("rename-model", "sentry.Team", "S" * 120), "at most 93 fit its permission codenames"),
        (("rename-model", "sentry.Team", "None"), "'None' is a Python keyword"),
        (("rename-model", "sentry.Team", "Model"), "'Model' is already a name in src/sentry/models/team.py"),
        # Function and migration names.
        (("data-migration", "sentry", "class"), "'class' is a Python keyword"),
        (("data-migration", "sentry", "None"), "'None' is a Python keyword"),
        (("data-migration", "sentry", "migrations"), "'migrations' is a name the migration file already uses"),
        (("data-migration", "sentry", "CheckedMigration"), "'CheckedMigration' is a name the migration file"),
        (("data-migration", "sentry", LONG), "would pass the filesystem's 255-byte limit"),
        (("data-migration", "sentry", "données"), "(ASCII only)"),
        (("remove-field", "sentry.Project.platform", "--phase", "1", "--name", LONG), "255-byte limit"),
        # Expressions.
        (("add-field", "sentry.Team.x", "models.IntegerField(null=True, null=True)"), "repeats the keyword null="),
        (("add-field", "sentry.Team.x", "models.NoSuchField(null=True)"), "NoSuchField does not exist in Django"),
        (
            ("add-field", "sentry.Team.x", "models.CharField(max_lenght=3, null=True)"),
            "unexpected keyword argument 'max_lenght'",
        ),
        (
            ("add-field", "sentry.Team.x", 'models.ForeignKey("sentry.Project", null=True)'),
            "missing 1 required positional argument: 'on_delete'",
        ),
        (("add-field", "sentry.Team.x", "models.DecimalField(null=True)"), "'max_digits' attribute. (fields.E132)"),
        (
            ("add-field", "sentry.Team.x", 'models.ForeignKey("sentry.Nope", null=True, on_delete=models.CASCADE)'),
            "points at sentry.Nope, which is not a model in the migrations",
        ),
        (
            ("add-field", "sentry.Team.x", 'FlexibleForeignKey("sentry.Project", null=True, on_dlete=1)'),
            "FlexibleForeignKey takes no keyword argument on_dlete (checked in its definition)",
        ),
        (("add-field", "sentry.Team.x", "models.IntegerField(null=True) + 1"), "is not a field"),
        (
            ("add-field", "sentry.Team.x", 'FlexibleForeignKey("sentry.Organization", null=True)'),
            "same reverse accessor or query name (fields.E304/E305): give the new field a related_name",
        ),
        (("add-field", "sentry.Team.x", "models.IntegerField(null=True, verbose_name='\udcff')"), "not valid UTF-8"),
        # Indexes.
        (("add-index", "sentry.Team", "--", "--slug"), "invalid index field '--slug'"),
        (("add-index", "sentry.Team", "SLUG"), "no column field named SLUG (did you mean slug?"),
        (
            ("add-index", "sentry.Team", "slug", "--name", "sentry_proj_status_c1bf9b_idx"),
            "already used by the index of sentry.Project: index names are unique (E030)",
        ),
        (("add-index", "sentry.Team", "slug", "--name", "x" * 31), "longer than Django's 30 characters"),
        (("add-index", "sentry.Team", "slug", "--name", "_slug"), "starting with a letter"),
    ],
)
def test_refused(repo, cli, args, message):
    before = tree_state(repo)
    result = cli(repo, *args)
    assert result.code == 1, result.out
    assert message in result.err
    assert result.err.startswith("migrate-assistant: ") and "Traceback" not in result.err
    assert tree_state(repo) == before


def test_nullable_replaces_null_false_and_a_leading_newline_is_fine(repo, cli):
    result = cli(repo, "add-field", "sentry.Team.tier", "\n  models.IntegerField(null=False)", "--nullable")
    assert result.code == 0, result.err
    model = (repo / "src/sentry/models/team.py").read_text()
    assert "    tier = models.IntegerField(null=True)\n" in model
    migration = (repo / "src/sentry/migrations/0008_team_tier.py").read_text()
    assert "null=False" not in migration and "null=True" in migration
    assert_no_model_changes(repo)


def test_self_foreign_key_is_written_as_django_writes_it(repo, cli):
    result = cli(repo, "add-field", "sentry.Team.parent", 'FlexibleForeignKey("self", null=True)')
    assert result.code == 0, result.err
    assert 'parent = FlexibleForeignKey("self", null=True)' in (repo / "src/sentry/models/team.py").read_text()
    assert '"sentry.team"' in (repo / "src/sentry/migrations/0008_team_parent.py").read_text()
    assert_no_model_changes(repo)


def test_non_ascii_rename_targets_get_an_ascii_migration_name(repo, cli):
    assert cli(repo, "rename-field", "sentry.Team.name", "nom_équipe").code == 0
    assert cli(repo, "rename-model", "sentry.Organization", "Société").code == 0
    names = sorted(path.name for path in (repo / "src/sentry/migrations").glob("000[89]*.py"))
    assert names == ["0008_rename_team_name_to_nom_equipe.py", "0009_rename_organization_to_societe.py"]
    assert_no_model_changes(repo)
    check = django(repo, "check")
    assert check.returncode == 0, check.stderr


def test_migration_names_derived_from_long_names_fit_a_file_name():
    assert migration_slug("rename_" + "团" * 300) == "rename"
    assert migration_slug("é" * 300) == "e" * 52
    assert len(migration_slug("x" * 300)) == 52
    assert migration_slug("0day") == "auto_0day"
    assert check_migration_name("a" * 247) == "a" * 247
    with pytest.raises(AssistantError, match="255-byte limit"):
        check_migration_name("a" * 248)
