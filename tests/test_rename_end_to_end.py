"""rename-field / rename-model on the sample: no DDL, nothing renamed in the database, Django agrees."""

import pytest

from .conftest import assert_no_model_changes, django, migrate

FIELDS = {
    "plain-field": ("sentry.Project.platform", "runtime", "sentry_project", "platform"),
    "foreign-key": ("sentry.Project.organization", "owner", "sentry_project", "organization_id"),
    "field-in-an-index": ("sentry.Project.status", "state", "sentry_project", "status"),
    "field-in-a-constraint-condition": (
        "sentry.Project.rate_limit_count",
        "rate_limit",
        "sentry_project",
        "rate_limit_count",
    ),
    "foreign-key-in-a-unique-constraint": (
        "uptime.ProjectUptimeSubscription.uptime_subscription",
        "subscription",
        "uptime_projectuptimesubscription",
        "uptime_subscription_id",
    ),
}
MODELS = {
    "model-with-db-table": ("sentry.Team", "Squad", "sentry_team"),
    "model-without-db-table": ("sentry.ProjectBookmark", "Favorite", "sentry_projectbookmark"),
    "model-others-point-at": ("sentry.Project", "Venture", "sentry_project"),
    "model-with-a-many-to-many": ("sentry.Environment", "Place", "sentry_environment"),
}


def new_migrations(result) -> list[tuple[str, str]]:
    paths = [line.split()[-1] for line in result.out.splitlines() if line.strip().startswith("created")]
    apps = {"/uptime/": "uptime", "/hybridcloud/": "hybridcloud"}
    return [
        (
            next((app for part, app in apps.items() if part in path), "sentry"),
            path.rsplit("/", 1)[-1].removesuffix(".py"),
        )
        for path in paths
    ]


def assert_no_ddl(repo, database, app, migration):
    result = django(repo, "sqlmigrate", app, migration, database=database)
    assert result.returncode == 0, result.stderr
    statements = [line for line in result.stdout.splitlines() if line.strip() and not line.startswith("--")]
    assert statements == [], result.stdout


def schema(database, tables):
    return {table: database.columns(table) for table in tables} | {"tables": database.tables()}


@pytest.fixture
def postgresql(postgres):
    import uuid

    from .databases import Database

    name = f"t_{uuid.uuid4().hex[:12]}"
    postgres.psql(f"CREATE DATABASE {name};")
    return Database(postgres.get_uri(name))


@pytest.mark.parametrize("case", FIELDS, ids=list(FIELDS))
def test_rename_field_changes_nothing_in_the_database(case, repo, postgresql, cli):
    target, new, table, column = FIELDS[case]
    migrate(repo, postgresql)
    before = schema(postgresql, [table])
    result = cli(repo, "rename-field", target, new)
    assert result.code == 0, result.err
    [(app, migration)] = new_migrations(result)
    assert_no_ddl(repo, postgresql, app, migration)
    assert_no_model_changes(repo)
    migrate(repo, postgresql)
    assert schema(postgresql, [table]) == before
    assert column in postgresql.columns(table)


@pytest.mark.parametrize("case", MODELS, ids=list(MODELS))
def test_rename_model_changes_nothing_in_the_database(case, repo, postgresql, cli):
    target, new, table = MODELS[case]
    migrate(repo, postgresql)
    tables = sorted(t for t in postgresql.tables() if t.startswith(("sentry_", "uptime_", "hybridcloud_")))
    before = schema(postgresql, tables)
    result = cli(repo, "rename-model", target, new)
    assert result.code == 0, result.err
    for app, migration in new_migrations(result):
        assert_no_ddl(repo, postgresql, app, migration)
    assert_no_model_changes(repo)
    check = django(repo, "check")
    assert check.returncode == 0, check.stderr
    migrate(repo, postgresql)
    assert schema(postgresql, tables) == before
    assert table in postgresql.tables()


def test_rename_field_on_sqlite_too(repo, database, cli):
    migrate(repo, database)
    assert cli(repo, "rename-field", "sentry.Project.status", "state").code == 0
    assert cli(repo, "rename-model", "sentry.Team", "Squad").code == 0
    assert_no_model_changes(repo)
    migrate(repo, database)
    assert "status" in database.columns("sentry_project") and "sentry_team" in database.tables()
