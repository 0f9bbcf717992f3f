"""``?`` (and f1, also in a text box) shows the current screen's keys with their command lines on every
screen; Esc closes it back to that screen."""

import re

from rich.console import Console

from migrate_assistant.screens.browser import BrowserScreen
from migrate_assistant.screens.dialogs import ConfirmDialog
from migrate_assistant.screens.form_screen import FormScreen
from migrate_assistant.screens.help_screen import HelpScreen
from migrate_assistant.screens.picker import PickerScreen
from migrate_assistant.screens.plan_screen import PlanScreen
from migrate_assistant.screens.result_screen import ResultScreen
from migrate_assistant.screens.sql_screen import SqlScreen

from .keys import SIZE, SMALL, make_app, select, settle, type_text

COMMAND = "migrate-assistant remove-field sentry.Project.status --phase 1"


def help_text(app) -> str:
    """The help as it reads on screen (title, note and keys), one line per row."""
    console = Console(width=200, record=True)
    console.print(str(app.screen.query_one("#help-title").render()))
    console.print(app.screen.query_one("#help-keys").visual._renderable)
    return "\n".join(line.rstrip() for line in console.export_text().splitlines()) + "\n"


def footer_offers_help(app, keys: str = "?/f1") -> bool:
    """The footer's help key: the first of the enabled bindings it shows for the action."""
    shown = [b.binding for b in app.screen.active_bindings.values() if b.binding.show and b.enabled]
    return [app.get_key_display(binding) for binding in shown if binding.action == "help"][:1] == [keys]


async def open_help(pilot, key: str = "question_mark") -> str:
    await pilot.press(key)
    await settle(pilot)
    assert isinstance(pilot.app.screen, HelpScreen)
    return help_text(pilot.app)


async def close_help(pilot, back_to: type) -> None:
    await pilot.press("escape")
    await settle(pilot)
    assert isinstance(pilot.app.screen, back_to)


async def test_plan_sql_and_result_screens_show_their_keys_and_command_lines(repo):
    app = make_app(repo, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.Project.status")
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen) and footer_offers_help(app)
        text = await open_help(pilot)
        assert "Keys on the plan: Remove field sentry.Project.status — phase 1" in text
        assert re.search(rf"\ba +Write the plan's files\n +\$ {re.escape(COMMAND)}\n", text)
        assert re.search(rf"\bs +The SQL of its new migrations\n +\$ {re.escape(COMMAND)} --dry-run --sql\n", text)
        stack = "migrate-assistant remove-field sentry.Project.status --stack"
        assert re.search(rf"\bb +Both phases as stacked branches\n +\$ {re.escape(stack)}\n", text)
        assert re.search(r"\] +Next file", text) and re.search(r"\[ +Previous file", text)
        assert re.search(r"f1 +Help \(in a box\)", text)
        await close_help(pilot, PlanScreen)

        await pilot.press("s")  # the SQL screen (its SQL may fail here: the database is not migrated)
        await settle(pilot)
        assert isinstance(app.screen, SqlScreen) and footer_offers_help(app)
        text = await open_help(pilot, "f1")
        assert re.search(rf"The same SQL, printed\n +\$ {re.escape(COMMAND)} --dry-run --sql\n", text)
        assert re.search(r"esc +Back to the previous screen", text)
        await close_help(pilot, SqlScreen)
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ResultScreen) and footer_offers_help(app)
        text = await open_help(pilot)
        assert re.search(r"\bc +New branch, commit the plan's files\n +\$ git switch -c ", text)
        assert re.search(r"esc +Back to the browser", text)
        await close_help(pilot, ResultScreen)


async def test_on_the_form_question_mark_types_in_a_box_and_f1_shows_the_help(repo):
    app = make_app(repo, watch=False)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.Team")
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen) and footer_offers_help(app, "f1")  # ? types in the box
        box = app.focused
        await type_text(pilot, "rank?")
        assert box.value == "rank?" and isinstance(app.screen, FormScreen)
        await pilot.press("backspace")
        text = await open_help(pilot, "f1")
        assert "Keys on the form: Add field" in text
        assert re.search(
            r"Enter +Plan \(in any box\)\n +\$ migrate-assistant add-field sentry\.Team\.rank .* --dry-run\n", text
        )
        assert re.search(r"\^s +Plan: the diff, nothing written yet\n +\$ migrate-assistant add-field", text)
        assert re.search(r"esc +Back; the form keeps what you typed", text)
        await close_help(pilot, FormScreen)
        assert app.focused is box and box.value == "rank"  # back where it was, nothing typed or lost
        app.screen.query_one("#plan").focus()  # out of the boxes (on a button): ? is help again
        await settle(pilot)
        assert footer_offers_help(app)
        await open_help(pilot)
        await close_help(pilot, FormScreen)


async def test_the_browser_and_the_picker_keep_their_help_and_dialogs_have_none(repo):
    app = make_app(repo, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.Project")
        assert footer_offers_help(app)
        text = await open_help(pilot, "f1")
        assert "Keys by context" in text and "Model  ◀ selected" in text
        await close_help(pilot, BrowserScreen)

        await pilot.press("r")
        await settle(pilot)
        await type_text(pilot, "?")
        assert isinstance(app.screen, PickerScreen) and app.focused.value == "?"
        text = await open_help(pilot, "f1")
        assert re.search(r"space +Mark or unmark the highlighted item", text)
        await close_help(pilot, PickerScreen)
        await pilot.press("escape")
        await settle(pilot)

        app.push_screen(ConfirmDialog("Sure?"))
        await settle(pilot)
        await pilot.press("question_mark", "f1")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)


async def test_the_footer_keys_of_the_browser_explain_themselves_on_hover(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.Project.status")
        tooltips = {active.binding.action: active.tooltip for active in app.screen.active_bindings.values()}
        assert tooltips["remove"] == "Phase 1 of a two-deploy removal"
        assert tooltips["filter"].startswith("Type to filter the tree")
