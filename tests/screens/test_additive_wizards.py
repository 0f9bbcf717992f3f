"""The add-field, add-index, data-migration and SQL wizards, through the keyboard only."""

from migrate_assistant.screens.dialogs import ConfirmDialog
from migrate_assistant.screens.plan_screen import PlanScreen
from migrate_assistant.screens.sql_screen import SqlScreen

from ..conftest import django
from .keys import SIZE, make_app, settle, type_text


async def palette(pilot, command: str) -> None:
    await pilot.press("ctrl+p")
    await type_text(pilot, command)
    await pilot.press("enter")
    await settle(pilot)


async def answer(pilot, text: str) -> None:
    await type_text(pilot, text)
    await pilot.press("enter")
    await settle(pilot)


async def test_add_field_offers_nullable_for_a_not_null_field(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette(pilot, "Add field")
        await answer(pilot, "sentry.Project")
        await answer(pilot, "tier")
        await answer(pilot, "models.IntegerField()")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert "null=True" in app.screen.plan.diff()
        await pilot.press("a")
        await settle(pilot)
    assert "tier = models.IntegerField(null=True)" in (repo / "src/sentry/models/project.py").read_text()


async def test_add_field_with_db_default_goes_straight_to_the_plan(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette(pilot, "Add field")
        await answer(pilot, "sentry.Team")
        await answer(pilot, "rank")
        await answer(pilot, "models.IntegerField(db_default=0)")
        assert isinstance(app.screen, PlanScreen)
        assert app.screen.plan.title == "Add field sentry.Team.rank"


async def test_add_index_wizard(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette(pilot, "Add index")
        await answer(pilot, "sentry.Team")
        await answer(pilot, "name -slug")
        assert isinstance(app.screen, PlanScreen)
        assert 'models.Index(fields=["name", "-slug"], name=' in app.screen.plan.diff()


async def test_data_migration_wizard(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette(pilot, "Data migration")
        await answer(pilot, "uptime.UptimeRegion")
        await answer(pilot, "backfill_regions")
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
        await answer(pilot, "uptime/0002_uptimeregion")
        assert isinstance(app.screen, SqlScreen)
        [(migration, sql)] = app.screen.results
        assert migration == "uptime/0002_uptimeregion" and 'CREATE TABLE "uptime_uptimeregion"' in sql
