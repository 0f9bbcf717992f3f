"""remove-model (and remove, for fields and models together) on the sample, checked with Django and SQL."""

import pytest

from .conftest import assert_no_model_changes, django, migrate

CASES = {
    "own-module-of-a-models-package": ("sentry.ProjectBookmark", "sentry_projectbookmark", "SiloMode.CELL"),
    "in-models-py": ("uptime.UptimeRegion", "uptime_uptimeregion", "SiloMode.CELL"),
    "several-foreign-keys": (
        "uptime.ProjectUptimeSubscription",
        "uptime_projectuptimesubscription",
        "SiloMode.CELL",
    ),
    "control-silo-with-hybrid-cloud-keys": (
        "hybridcloud.ApiKeyReplica",
        "hybridcloud_apikeyreplica",
        "SiloMode.CONTROL",
    ),
}


def created(result) -> list[str]:
    return [line.split()[-1] for line in result.out.splitlines() if line.strip().startswith("created")]


def assert_django_loads(repo):
    result = django(repo, "check")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_two_phase_model_removal(case, repo, database, cli):
    target, table, silo = CASES[case]
    migrate(repo, database)
    if case == "several-foreign-keys":
        assert database.foreign_keys(table) == {"project_id", "uptime_subscription_id", "owner_team_id"}

    first = cli(repo, "remove-model", target, "--phase", "1")
    assert first.code == 0, first.err
    [migration] = created(first)
    text = (repo / migration).read_text()
    assert f'name="{target.split(".")[1]}"' in text and "deletion_action=DeletionAction.MOVE_TO_PENDING" in text
    assert f'"{table}": {silo},' in (repo / "src/sentry/db/router.py").read_text()
    assert f"class {target.split('.')[1]}(" not in "".join(p.read_text() for p in (repo / "src").rglob("models*.py"))
    assert_django_loads(repo)
    assert_no_model_changes(repo)
    migrate(repo, database)
    assert table in database.tables(), "phase 1 must keep the table"
    assert database.foreign_keys(table) == set(), "phase 1 must drop the table's foreign key constraints"

    second = cli(repo, "remove-model", target, "--phase", "2")
    assert second.code == 0, second.err
    [drop] = created(second)
    assert "deletion_action=DeletionAction.DELETE" in (repo / drop).read_text()
    assert f'"{table}": {silo},' in (repo / "src/sentry/db/router.py").read_text(), "the silo entry stays"
    assert_no_model_changes(repo)
    migrate(repo, database)
    assert table not in database.tables(), "phase 2 must drop the table"


def test_module_and_export_are_removed(repo, cli):
    assert cli(repo, "remove-model", "sentry.ProjectBookmark", "--phase", "1").code == 0
    assert not (repo / "src/sentry/models/projectbookmark.py").exists()
    init = (repo / "src/sentry/models/__init__.py").read_text()
    assert "ProjectBookmark" not in init and '"Project",' in init


def test_hybrid_cloud_key_gets_null_not_db_constraint(repo, cli):
    result = cli(repo, "remove-model", "hybridcloud.ApiKeyReplica", "--phase", "1", "--dry-run")
    assert 'HybridCloudForeignKey(\n+                "sentry.Organization",\n+                null=True,' in result.out
    assert "db_constraint" not in result.out


def test_field_and_models_of_two_apps_in_one_plan(repo, database, cli):
    """Team is referenced by ProjectTeam.team and ProjectUptimeSubscription.owner_team: remove them together."""
    migrate(repo, database)
    targets = ["uptime.ProjectUptimeSubscription.owner_team", "sentry.ProjectTeam", "sentry.Team"]
    first = cli(repo, "remove", *targets, "--phase", "1")
    assert first.code == 0, first.err
    uptime, sentry = sorted(created(first), key=lambda path: "sentry/migrations" in path)
    sentry_text = (repo / sentry).read_text()
    assert '("uptime", "0003_projectuptimesubscription_owner_team_pending")' in sentry_text
    assert sentry_text.index('name="ProjectTeam"') < sentry_text.index('name="Team"')
    assert "SafeRemoveField" in (repo / uptime).read_text()
    assert_django_loads(repo)
    assert_no_model_changes(repo)
    migrate(repo, database)
    assert {"sentry_team", "sentry_projectteam"} <= database.tables()
    assert "owner_team_id" in database.columns("uptime_projectuptimesubscription")

    second = cli(repo, "remove", *targets, "--phase", "2")
    assert second.code == 0, second.err
    assert_no_model_changes(repo)
    migrate(repo, database)
    assert not {"sentry_team", "sentry_projectteam"} & database.tables()
    assert "owner_team_id" not in database.columns("uptime_projectuptimesubscription")


def test_models_pointing_at_each_other_through_a_many_to_many(repo, database, cli):
    migrate(repo, database)
    assert cli(repo, "remove-model", "sentry.Environment", "sentry.EnvironmentProject", "--phase", "1").code == 0
    assert_no_model_changes(repo)
    migrate(repo, database)
    assert cli(repo, "remove-model", "sentry.Environment", "sentry.EnvironmentProject", "--phase", "2").code == 0
    migrate(repo, database)
    assert not {"sentry_environment", "sentry_environmentproject"} & database.tables()
