"""Relations (issue 12): a ManyToManyField with a through model is removed and renamed in Django's
state only; proxies and GenericForeignKeys block what would break them.

Sentry's real uptime 0020 case: UptimeSubscription.regions (through UptimeSubscriptionRegion), the
through model's ``region`` foreign key and ``Region`` are removed in two phases."""

import subprocess
import sys

from .conftest import assert_no_model_changes, django, migrate, tree_state

REGIONS = """

@region_silo_model
class Region(Model):
    code = models.CharField(max_length=64, unique=True)

    class Meta:
        app_label = "uptime"
        db_table = "uptime_region"


@region_silo_model
class UptimeSubscriptionRegion(Model):
    uptime_subscription = FlexibleForeignKey("uptime.UptimeSubscription", related_name="regions_through")
    region = FlexibleForeignKey("uptime.Region")

    class Meta:
        app_label = "uptime"
        db_table = "uptime_uptimesubscriptionregion"
        constraints = [
            models.UniqueConstraint(fields=["uptime_subscription", "region"], name="uptime_subscription_region"),
        ]
"""
TARGETS = ("uptime.UptimeSubscription.regions", "uptime.UptimeSubscriptionRegion.region", "uptime.Region")


def commit(repo, message: str) -> None:
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-qm", message], cwd=repo, check=True)


def make_migration(repo, app: str, name: str, leaf: str) -> None:
    result = django(repo, "makemigrations", app, "-n", name.split("_", 1)[1])
    assert result.returncode == 0, result.stderr
    lockfile = repo / "migrations_lockfile.txt"
    lockfile.write_text(lockfile.read_text().replace(f"{app}: {leaf}", f"{app}: {name}"))
    commit(repo, name)


def add_regions(repo) -> None:
    """The models of Sentry's uptime app before its 0020 migration."""
    models = repo / "src/sentry/uptime/models.py"
    text = models.read_text().replace(
        '    date_added = models.DateTimeField(default=timezone.now)\n\n    class Meta:\n        app_label = "uptime"\n'
        '        db_table = "uptime_uptimesubscription"',
        "    date_added = models.DateTimeField(default=timezone.now)\n"
        '    regions = models.ManyToManyField("uptime.Region", through="uptime.UptimeSubscriptionRegion")\n\n'
        '    class Meta:\n        app_label = "uptime"\n        db_table = "uptime_uptimesubscription"',
    )
    models.write_text(text + REGIONS)
    make_migration(repo, "uptime", "0003_regions", "0002_uptimeregion")


def test_uptime_regions_removed_in_two_phases(repo, database, cli):
    add_regions(repo)
    migrate(repo, database)
    assert cli(repo, "remove", *TARGETS[1:], "--phase", "1").code == 1  # the M2M still uses the foreign key
    phase_one = cli(repo, "remove", *TARGETS, "--phase", "1")
    assert phase_one.code == 0, phase_one.err
    [migration] = (repo / "src/sentry/uptime/migrations").glob("0004_*.py")
    text = migration.read_text()
    assert (
        "migrations.SeparateDatabaseAndState(\n            state_operations=[\n"
        '                migrations.RemoveField(model_name="uptimesubscription", name="regions"),'
    ) in text
    assert 'name="uptime_subscription_region"' in text and "db_constraint=False" in text
    assert "DeletionAction.MOVE_TO_PENDING" in text and 'SafeDeleteModel(name="Region"' in text
    assert_no_model_changes(repo)
    migrate(repo, database)
    assert "region_id" in database.columns("uptime_uptimesubscriptionregion")
    commit(repo, "phase 1")

    phase_two = cli(repo, "remove", *TARGETS, "--phase", "2")
    assert phase_two.code == 0, phase_two.err
    assert "phase 2 has nothing to drop for it" in phase_two.err
    assert_no_model_changes(repo)
    migrate(repo, database)
    assert "region_id" not in database.columns("uptime_uptimesubscriptionregion")
    assert "uptime_region" not in database.tables()
    assert {"uptime_uptimesubscriptionregion", "uptime_uptimesubscription"} <= database.tables()


def test_renaming_a_many_to_many_with_a_through_model_is_state_only(repo, database, cli):
    add_regions(repo)
    result = cli(repo, "rename-field", "uptime.UptimeSubscription.regions", "checker_regions")
    assert result.code == 0, result.err
    [migration] = (repo / "src/sentry/uptime/migrations").glob("0004_*.py")
    assert "migrations.SeparateDatabaseAndState(" in migration.read_text()
    assert_no_model_changes(repo)
    migrate(repo, database)  # the project's CheckedMigration refuses a plain RenameField of it
    assert "uptime_uptimesubscriptionregion" in database.tables()


def test_a_model_a_proxy_subclasses_is_refused(repo, cli):
    path = repo / "src/sentry/models/team.py"
    path.write_text(
        path.read_text()
        + '\n\nclass SpecialTeam(Team):\n    class Meta:\n        proxy = True\n        app_label = "sentry"\n'
    )
    make_migration(repo, "sentry", "0008_specialteam", "0007_organization_default_role_pending")
    before = tree_state(repo)
    result = cli(repo, "remove", "uptime.ProjectUptimeSubscription.owner_team", "sentry.ProjectTeam", "sentry.Team",
                 "--phase", "1")  # fmt: skip
    assert result.code == 1
    assert (
        "sentry.Team is subclassed by the proxy model sentry.SpecialTeam (src/sentry/models/team.py:20)" in result.err
    )
    assert tree_state(repo) == before


GENERIC = """
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType


@region_silo_model
class Bookmark(Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    note = models.CharField(max_length=64, null=True)

    class Meta:
        app_label = "sentry"
        db_table = "sentry_bookmark"
"""


def test_generic_foreign_key_parts(repo, cli):
    path = repo / "src/sentry/models/projectbookmark.py"
    path.write_text(path.read_text() + GENERIC)
    make_migration(repo, "sentry", "0008_bookmark", "0007_organization_default_role_pending")
    before = tree_state(repo)
    for args in (
        ("remove-field", "sentry.Bookmark.content_type", "--phase", "1"),
        ("remove-field", "sentry.Bookmark.object_id", "sentry.Bookmark.note", "--phase", "1"),
        ("rename-field", "sentry.Bookmark.object_id", "target_id"),
    ):
        result = cli(repo, *args)
        assert result.code == 1, result.out
        assert "is part of the GenericForeignKey content_object (src/sentry/models/projectbookmark.py:26)" in result.err
        assert "contenttypes.E001/E002" in result.err
    assert tree_state(repo) == before
    parts = ("sentry.Bookmark.content_object", "sentry.Bookmark.content_type", "sentry.Bookmark.object_id")
    result = cli(repo, "remove-field", *parts, "--phase", "1")
    assert result.code == 0, result.err
    assert "GenericForeignKey(" not in path.read_text() and "content_type =" not in path.read_text()
    assert_no_model_changes(repo)
    check = subprocess.run([sys.executable, "manage.py", "check"], cwd=repo, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
