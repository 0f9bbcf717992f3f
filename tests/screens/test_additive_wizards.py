"""The add-field, add-index, data-migration and SQL recipes: one form each, through the keyboard only."""

from migrate_assistant.screens.form_screen import FormScreen
from migrate_assistant.screens.plan_screen import PlanScreen
from migrate_assistant.screens.sql_screen import SqlScreen

from ..conftest import django, migrate
from .keys import SIZE, make_app, select, settle, type_text


async def palette(pilot, command: str) -> None:
    await pilot.press("ctrl+p")
    await type_text(pilot, command)
    await pilot.press("enter")
    await settle(pilot)


async def fill(pilot, *answers: str) -> None:
    """Type each answer in the form's inputs in order (Tab moves to the next one)."""
    for number, text in enumerate(answers):
        if number:
            await pilot.press("tab")
        await type_text(pilot, text)


async def checked(pilot) -> None:
    """Wait for the form's check as you type (it runs after a pause)."""
    await pilot.pause(0.4)
    await settle(pilot)


def message(app, input_id: str) -> str:
    return str(app.screen.query_one(f"#msg-{input_id}").render())


async def test_add_field_refuses_not_null_until_nullable_is_ticked(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette(pilot, "Add field")
        assert isinstance(app.screen, FormScreen)
        await fill(pilot, "sentry.Project", "tier", "models.IntegerField()")
        await checked(pilot)
        assert "would be a NOT NULL column without db_default" in message(app, "expression")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)  # refused: the form stays, with every value
        assert "--nullable" not in message(app, "expression")  # the form has a box, not a flag
        assert [app.screen.query_one(f"#in-{i}").value for i in ("target", "name", "expression")] == [
            "sentry.Project",
            "tier",
            "models.IntegerField()",
        ]
        await pilot.press("tab", "space")  # tick "Nullable"
        await checked(pilot)
        assert message(app, "expression") == ""
        await pilot.press("shift+tab", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert (
            app.screen.command == "migrate-assistant add-field sentry.Project.tier 'models.IntegerField()' --nullable"
        )
        await pilot.press("a")
        await settle(pilot)
    assert "tier = models.IntegerField(null=True)" in (repo / "src/sentry/models/project.py").read_text()


async def test_add_field_in_place_with_db_default_goes_straight_to_the_plan(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.Team")
        await pilot.press("a")
        await settle(pilot)
        assert app.screen.query_one("#in-target").value == "sentry.Team"
        assert app.focused is app.screen.query_one("#in-name")
        await fill(pilot, "rank", "models.IntegerField(db_default=0)")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert app.screen.plan.title == "Add field sentry.Team.rank"


async def test_a_wrong_value_keeps_every_other_value_and_esc_keeps_them_too(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.Team")
        await pilot.press("a")
        await settle(pilot)
        await fill(pilot, "class", "models.IntegerField(db_default=0)")
        await checked(pilot)
        assert message(app, "name") == "✗ 'class' is a Python keyword, not a valid field name"
        assert message(app, "expression") == ""
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        values = [app.screen.query_one(f"#in-{i}").value for i in ("target", "name", "expression")]
        assert values == ["sentry.Team", "class", "models.IntegerField(db_default=0)"]


async def test_add_index_form(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.Team")
        await pilot.press("i")
        await settle(pilot)
        await fill(pilot, "name -slug")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert 'models.Index(fields=["name", "-slug"], name=' in app.screen.plan.diff()


async def test_data_migration_form(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette(pilot, "Data migration")
        await fill(pilot, "uptime.UptimeRegion", "backfill_regions")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert app.screen.plan.created == [
            "src/sentry/uptime/migrations/0003_backfill_regions.py",
            "tests/sentry/uptime/__init__.py",
            "tests/sentry/uptime/migrations/__init__.py",
            "tests/sentry/uptime/migrations/test_0003_backfill_regions.py",
        ]


async def test_sql_of_an_existing_migration(repo):
    assert django(repo, "migrate", "--no-input").returncode == 0
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette(pilot, "SQL of a migration")
        await type_text(pilot, "uptime/0002_uptimeregion")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SqlScreen)
        [(migration, sql)] = app.screen.results
        assert migration == "uptime/0002_uptimeregion" and 'CREATE TABLE "uptime_uptimeregion"' in sql


async def test_sql_of_a_migration_in_the_browser(repo):
    assert django(repo, "migrate", "--no-input").returncode == 0
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "uptime/0002_uptimeregion")
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SqlScreen)
        assert 'CREATE TABLE "uptime_uptimeregion"' in app.screen.results[0][1]


async def test_the_sql_screen_names_the_backend_its_sql_is_for(repo, database, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database.url)  # the sample's settings read it; so does its sqlmigrate
    migrate(repo, database)
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "uptime/0002_uptimeregion")
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SqlScreen)
        heading = str(app.screen.query_one("#sql-status").render())
        engine = {
            "sqlite": "SQLite (django.db.backends.sqlite3)",
            "postgresql": "PostgreSQL (django.db.backends.postgresql)",
        }
        assert heading.startswith(f"SQL for {engine[database.kind]} from settings sentry.conf.settings"), heading
        sql = app.screen.results[0][1]
        assert ("GENERATED BY DEFAULT AS IDENTITY" in sql) == (database.kind == "postgresql"), sql  # its dialect
