"""SVG snapshots of the assistant's main screens (pytest-textual-snapshot)."""

from textual.widgets import Input

from .keys import SIZE, make_app, settle, type_text


def test_dashboard(repo, snap_compare):
    assert snap_compare(make_app(repo), terminal_size=SIZE, run_before=settle)


def test_picker(repo, snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        pilot.app.screen.query_one(Input).cursor_blink = False
        await type_text(pilot, "sentry.Project.f")
        await pilot.press("down", "space", "up")
        await settle(pilot)

    assert snap_compare(make_app(repo), terminal_size=SIZE, run_before=run_before)


async def open_plan(pilot, target: str) -> None:
    await settle(pilot)
    await pilot.press("r")
    await type_text(pilot, target)
    await pilot.press("enter")
    await settle(pilot)


def test_plan_screen(repo, snap_compare):
    async def run_before(pilot):
        await open_plan(pilot, "sentry.Project.organization")

    assert snap_compare(make_app(repo), terminal_size=SIZE, run_before=run_before)


def test_result_screen(repo, snap_compare):
    async def run_before(pilot):
        await open_plan(pilot, "sentry.Project.status")
        await pilot.press("a")
        await settle(pilot)

    assert snap_compare(make_app(repo), terminal_size=SIZE, run_before=run_before)


def test_model_plan_screen(repo, snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("m")
        await type_text(pilot, "uptime.ProjectUptimeSubscription")
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(repo), terminal_size=SIZE, run_before=run_before)
