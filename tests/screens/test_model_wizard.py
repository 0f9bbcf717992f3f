"""The model-removal wizard, through the keyboard only."""

from migrate_assistant.screens.browser import BrowserScreen
from migrate_assistant.screens.plan_screen import PlanScreen
from migrate_assistant.screens.result_screen import ResultScreen

from .keys import SIZE, make_app, mark, settle, type_text


async def test_model_removal_phase_one_then_phase_two(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await type_text(pilot, "sentry.ProjectBookmark")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        diff = app.screen.plan.diff()
        assert '+        "sentry_projectbookmark": SiloMode.CELL,' in diff
        assert "--- a/src/sentry/models/projectbookmark.py\n+++ /dev/null" in diff
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ResultScreen)
        assert not (repo / "src/sentry/models/projectbookmark.py").exists()
        assert (repo / "src/sentry/migrations/0008_projectbookmark_pending.py").is_file()
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, BrowserScreen)
        assert [item.target for item in app.status.pending] == [
            "sentry.Organization.default_role",
            "sentry.ProjectBookmark",
        ]

        await pilot.press("ctrl+p")
        await type_text(pilot, "Remove model")
        await pilot.press("enter")
        await settle(pilot)
        await type_text(pilot, "sentry.ProjectBookmark")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.plan.title == "Remove model sentry.ProjectBookmark — phase 2"
        await pilot.press("a")
        await settle(pilot)
    text = (repo / "src/sentry/migrations/0009_projectbookmark_drop.py").read_text()
    assert 'SafeDeleteModel(name="ProjectBookmark", deletion_action=DeletionAction.DELETE)' in text


async def test_fields_and_models_together_from_the_palette(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "Remove fields and models")
        await pilot.press("enter")
        await settle(pilot)
        await mark(pilot, "uptime.ProjectUptimeSubscription.owner_team", "sentry.ProjectTeam", "sentry.Team")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        plan = app.screen.plan
        assert plan.created == [
            "src/sentry/uptime/migrations/0003_projectuptimesubscription_owner_team_pending.py",
            "src/sentry/migrations/0008_projectteam_and_more_pending.py",
        ]
        sentry_migration = next(edit.after for edit in plan.edits if edit.path == plan.created[1])
        assert '("uptime", "0003_projectuptimesubscription_owner_team_pending")' in sentry_migration


async def test_a_referenced_model_is_refused_with_a_notification(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await type_text(pilot, "sentry.Team")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BrowserScreen)
        message = [n.message for n in app._notifications][-1]
        assert "sentry.Team is still referenced by sentry.ProjectTeam.team" in message
