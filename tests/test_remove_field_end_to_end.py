"""remove-field through the CLI on the sample repository, checked with Django and SQL."""

import pytest

from .conftest import assert_no_model_changes, migrate

# (targets, table, columns, operations expected in phase 1 besides SafeRemoveField)
CASES = {
    "not-null-without-db-default": (
        ["sentry.Project.template_version"],
        "sentry_project",
        ["template_version"],
        ["migrations.AlterField", "null=True"],
    ),
    "nullable": (["sentry.Project.first_event"], "sentry_project", ["first_event"], []),
    "not-null-foreign-key": (
        ["sentry.Project.organization"],
        "sentry_project",
        ["organization_id"],
        ["db_constraint=False", "null=True", "migrations.AlterUniqueTogether"],
    ),
    "used-in-an-index": (
        ["sentry.Project.status"],
        "sentry_project",
        ["status"],
        ['migrations.RemoveIndex(model_name="project", name="sentry_proj_status_c1bf9b_idx")'],
    ),
    "used-in-a-constraint-condition": (
        ["sentry.Project.rate_limit_count"],
        "sentry_project",
        ["rate_limit_count"],
        ["migrations.RemoveConstraint(", 'name="sentry_project_rate_limit_nonnegative"'],
    ),
    "two-fields-one-migration": (
        ["sentry.Project.platform", "sentry.Project.flags"],
        "sentry_project",
        ["platform", "flags"],
        [],
    ),
    "foreign-key-in-a-unique-constraint": (
        ["uptime.ProjectUptimeSubscription.uptime_subscription"],
        "uptime_projectuptimesubscription",
        ["uptime_subscription_id"],
        ["db_constraint=False", "migrations.RemoveConstraint("],
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_two_phase_removal(case, repo, database, cli):
    targets, table, columns, expected = CASES[case]
    migrate(repo, database)

    first = cli(repo, "remove-field", *targets, "--phase", "1")
    assert first.code == 0, first.err
    [migration] = [line.split()[-1] for line in first.out.splitlines() if line.strip().startswith("created")]
    text = (repo / migration).read_text()
    assert text.count("deletion_action=DeletionAction.MOVE_TO_PENDING") == len(targets)
    for needle in expected:
        assert needle in text
    if not expected:
        assert "AlterField" not in text
    [number] = [line.split("/")[-1][:4] for line in first.out.splitlines() if "created" in line]
    assert f"Ship {targets[0].split('.')[0]}/{number}_" in first.out
    assert f"write phase 2: migrate-assistant remove-field {' '.join(targets)} --phase 2" in first.out
    assert_no_model_changes(repo)
    migrate(repo, database)
    assert set(columns) <= database.columns(table), "phase 1 must keep the columns"
    assert not any(database.not_null(table, column) for column in columns if column != "flags")

    second = cli(repo, "remove-field", *targets, "--phase", "2")
    assert second.code == 0, second.err
    [drop] = [line.split()[-1] for line in second.out.splitlines() if line.strip().startswith("created")]
    drop_text = (repo / drop).read_text()
    assert drop_text.count("deletion_action=DeletionAction.DELETE") == len(targets)
    assert "AlterField" not in drop_text
    assert_no_model_changes(repo)
    migrate(repo, database)
    assert not set(columns) & database.columns(table), "phase 2 must drop the columns"


def test_phase_one_numbers_after_the_leaf_and_updates_the_lockfile(repo, cli):
    result = cli(repo, "remove-field", "sentry.Project.first_event", "--phase", "1", "--name", "drop_first_event")
    assert result.code == 0, result.err
    created = repo / "src/sentry/migrations/0008_drop_first_event.py"
    assert created.is_file()
    assert '("sentry", "0007_organization_default_role_pending")' in created.read_text()
    lockfile = (repo / "migrations_lockfile.txt").read_text()
    assert "\nsentry: 0008_drop_first_event\n\nuptime: 0002_uptimeregion\n" in lockfile


def test_phase_two_of_the_pending_field_in_the_sample(repo, database, cli):
    migrate(repo, database)
    assert "default_role" in database.columns("sentry_organization")
    result = cli(repo, "remove-field", "sentry.Organization.default_role", "--phase", "2")
    assert result.code == 0, result.err
    assert (repo / "src/sentry/migrations/0008_organization_default_role_drop.py").is_file()
    assert "not on the main" not in result.err  # phase 1 is committed on main
    migrate(repo, database)
    assert "default_role" not in database.columns("sentry_organization")
