"""SVG snapshots of the assistant (pytest-textual-snapshot): the browser, a form with an error and the
plan screen at 80×24 and 120×36 in the dark and the light theme; the picker and the result screen; the
help and the commit dialog at 80×24."""

import pytest
from textual.widgets import Input

from .keys import SIZE, SMALL, make_app, select, settle, type_text

SIZES = pytest.mark.parametrize("size", [SMALL, SIZE], ids=["80x24", "120x36"])
THEMES = pytest.mark.parametrize("theme", ["textual-dark", "textual-light"], ids=["dark", "light"])


async def start(pilot, theme: str = "textual-dark") -> None:
    pilot.app.theme = theme
    await settle(pilot)


def still(pilot) -> None:
    """No blinking cursor in a picture."""
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False


@SIZES
@THEMES
def test_browser(repo, snap_compare, size, theme):
    async def run_before(pilot):
        await start(pilot, theme)
        await select(pilot, "sentry.Project")
        await pilot.press("right")
        await pilot.pause(0.2)
        await settle(pilot)

    assert snap_compare(make_app(repo), terminal_size=size, run_before=run_before)


@SIZES
@THEMES
def test_form_with_an_error(repo, snap_compare, size, theme):
    async def run_before(pilot):
        await start(pilot, theme)
        await select(pilot, "sentry.Team")
        await pilot.press("a")
        await settle(pilot)
        still(pilot)
        await type_text(pilot, "rank")
        await pilot.press("tab")
        await type_text(pilot, "models.IntegerField()")
        await pilot.pause(0.5)
        await settle(pilot)

    assert snap_compare(make_app(repo), terminal_size=size, run_before=run_before)


@SIZES
@THEMES
def test_plan_screen(repo, snap_compare, size, theme):
    async def run_before(pilot):
        await start(pilot, theme)
        await select(pilot, "sentry.Project.organization")
        await pilot.press("d")
        await settle(pilot)

    assert snap_compare(make_app(repo), terminal_size=size, run_before=run_before)


def test_picker(repo, snap_compare):
    async def run_before(pilot):
        await start(pilot)
        await pilot.press("r")
        await settle(pilot)
        still(pilot)
        await type_text(pilot, "sentry.Project.f")
        await pilot.press("down", "space", "up")
        await settle(pilot)

    assert snap_compare(make_app(repo), terminal_size=SIZE, run_before=run_before)


def test_result_screen(repo, snap_compare):
    async def run_before(pilot):
        await start(pilot)
        await select(pilot, "sentry.Project.status")
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)

    assert snap_compare(make_app(repo), terminal_size=SIZE, run_before=run_before)


def test_help_at_80x24(repo, snap_compare):
    async def run_before(pilot):
        await start(pilot, "textual-light")
        await select(pilot, "sentry.Project")
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(make_app(repo), terminal_size=SMALL, run_before=run_before)


def test_commit_dialog_at_80x24(repo, snap_compare):
    async def run_before(pilot):
        await start(pilot)
        await select(pilot, "sentry.Project.first_event")
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)

    assert snap_compare(make_app(repo), terminal_size=SMALL, run_before=run_before)
