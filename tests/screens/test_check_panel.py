"""The browser marks unsafe new migrations and offers the recipe that fixes them."""

from migrate_assistant.screens.plan_screen import PlanScreen

from ..checks.test_fix_migration import PATH, delete_code
from ..checks.test_rules import CASES, write
from .keys import SIZE, make_app, select, settle


async def test_a_plain_remove_field_is_offered_its_rewrite(repo):
    delete_code(repo)
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert [f.rule for f in app.check.findings] == ["MA002", "MA001", "MA001"]
        await select(pilot, "sentry/0008_cleanup")
        assert [badge.text for badge in app.screen.node.badges] == ["MA001", "MA002"]
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert app.screen.plan.title == f"Rewrite {PATH} as phase 1"
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.check.findings == []


async def test_other_findings_explain_their_fix(repo):
    write(repo, CASES["MA005"][0])
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "sentry/0008_change")
        await pilot.press("x")
        await pilot.pause()
        [notification] = list(app._notifications)
        assert notification.title.startswith("MA005 at src/sentry/migrations/0008_change.py")
        assert "db_default" in notification.message
