"""Keys typed while a screen opens reach its input: ``m`` + ``bookmark`` + Enter at full speed."""

from migrate_assistant.screens.browser import BrowserScreen
from migrate_assistant.screens.plan_screen import PlanScreen

from .keys import SIZE, burst, make_app, settle

KEYS = ["m", *"bookmark", "\r"]


async def test_typed_before_the_repository_is_read_plans_the_bookmark(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        burst(app, KEYS)  # before the first paint: the repository is not read yet
        assert app.schema is None
        for _ in range(100):
            await settle(pilot)
            if isinstance(app.screen, PlanScreen):
                break
        assert isinstance(app.screen, PlanScreen)
        assert app.screen.plan.title == "Remove model sentry.ProjectBookmark — phase 1"


async def test_one_hundred_bursts_of_m_bookmark_enter(repo):
    app = make_app(repo)
    planned = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.plan_removal = lambda labels, phase, kinds: planned.append((labels, phase, kinds))
        for run in range(100):
            burst(app, KEYS)
            while len(planned) <= run:
                await pilot.pause(0.01)
            await pilot.pause()
            assert isinstance(app.screen, BrowserScreen)
    assert planned == [(["sentry.ProjectBookmark"], 1, {"model"})] * 100
