"""Where the forms say what is wrong, what an applied plan leaves of them, and what the palette offers
where the keys would not act."""

from dataclasses import replace

import pytest
from textual.command import CommandPalette

from migrate_assistant.errors import AssistantError
from migrate_assistant.recipes.add_field import plan_add_field
from migrate_assistant.screens.browser import BrowserScreen
from migrate_assistant.screens.form_screen import FormScreen
from migrate_assistant.screens.form_specs import FORMS
from migrate_assistant.screens.picker import PickerScreen
from migrate_assistant.screens.plan_screen import PlanScreen
from migrate_assistant.screens.result_screen import ResultScreen

from ..checks.test_fix_migration import PATH, delete_code
from .keys import SIZE, make_app, select, settle, type_text


async def checked(pilot) -> None:
    await pilot.pause(0.4)
    await settle(pilot)


def shown(app) -> dict[str, str]:
    """The form's messages on screen, by input id."""
    return {
        line.id.removeprefix("msg-"): str(line.render()) for line in app.screen.query(".form-message") if line.display
    }


def status(app) -> str:
    return str(app.screen.query_one("#form-status").render())


def titles(app) -> set[str]:
    return {command.title for command in app.get_system_commands(app.screen)}


async def palette(pilot, command: str) -> None:
    await pilot.press("ctrl+p")
    await type_text(pilot, command)
    await pilot.press("enter")
    await settle(pilot)


async def test_a_taken_name_is_refused_under_name_as_you_type_with_the_command_line_message(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.Team")
        await pilot.press("a")
        await settle(pilot)
        await type_text(pilot, "name")  # Field stays empty and untouched
        await checked(pilot)
        with pytest.raises(AssistantError) as cli:
            plan_add_field(app.project, "sentry.Team.name", "models.TextField(null=True)")
        assert shown(app) == {"name": f"✗ {cli.value}"}
        assert "sentry.Team already has a field or attribute named name" in str(cli.value)


async def test_no_input_says_it_is_needed_before_it_was_edited_or_enter_pressed(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.Team")
        await pilot.press("a")
        await checked(pilot)
        assert isinstance(app.screen, FormScreen)
        assert shown(app) == {}
        assert "Fill in Name and Field" in status(app)
        await pilot.press("x", "backspace")  # Name edited, then emptied again
        await checked(pilot)
        assert shown(app) == {"name": "✗ Name is needed"}
        await pilot.press("enter")
        await checked(pilot)
        assert shown(app) == {"name": "✗ Name is needed", "expression": "✗ Field is needed"}


async def test_an_applied_plan_forgets_its_form_and_a_reopened_form_shows_no_stale_refusal(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.Team")
        await pilot.press("a")
        await settle(pilot)
        await type_text(pilot, "motto")
        await pilot.press("tab")
        await type_text(pilot, "models.TextField(null=True)")
        await checked(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ResultScreen)
        assert "add_field" not in app.drafts
        await pilot.press("escape")
        await settle(pilot)
        await select(pilot, "sentry.Team")
        await pilot.press("a")
        await checked(pilot)
        values = [app.screen.query_one(f"#in-{i}").value for i in ("target", "name", "expression")]
        assert values == ["sentry.Team", "", ""]
        assert shown(app) == {}
        await type_text(pilot, "motto")  # now taken: said under Name, not under Field
        await checked(pilot)
        assert shown(app) == {"name": "✗ sentry.Team already has a field or attribute named motto"}


async def test_a_planning_refusal_that_concerns_no_one_input_is_said_for_the_whole_form(repo, monkeypatch):
    def refuse(project, values):
        raise AssistantError("refused for a reason of the whole repository")

    monkeypatch.setitem(FORMS, "rename_model", replace(FORMS["rename_model"], plan=refuse))
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.Team")
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "Squad")
        await pilot.press("enter")
        await checked(pilot)
        assert isinstance(app.screen, FormScreen)
        assert shown(app) == {}
        assert status(app) == "✗ refused for a reason of the whole repository"


async def test_the_not_null_refusal_of_planning_stays_under_field_whichever_input_was_edited_last(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.Team")
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("tab")
        await type_text(pilot, "models.IntegerField()")
        await pilot.press("shift+tab")
        await type_text(pilot, "rank")  # Name edited last
        await checked(pilot)
        assert list(shown(app)) == ["expression"]
        assert "NOT NULL column without db_default" in shown(app)["expression"]


async def test_the_palette_does_not_act_on_the_repository_from_a_plan_screen(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert {"Remove model", "Add field", "Fix migration", "Fix lockfile"} <= titles(app)
        await select(pilot, "sentry.Project.name")
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert not {"Remove model", "Add field", "Reload", "Fix lockfile"} & titles(app)
        await palette(pilot, "remove model")  # nothing by that name here: no picker opens over the plan
        assert [type(screen) for screen in app.screen_stack if not isinstance(screen, CommandPalette)] == [
            BrowserScreen,
            PlanScreen,
        ]


async def test_the_palette_offers_no_recipe_while_the_repository_cannot_be_read(repo):
    models = repo / "src/sentry/models/project.py"
    models.write_text(models.read_text().replace("class Meta:", "class Meta\n", 1))
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.load_error
        assert not app.project_loading()
        assert not {"Add field", "Remove field", "Fix lockfile", "Fix migration"} & titles(app)
        assert "Reload" in titles(app)
        app.open_form("add_field")  # however a form opens now, it says why it cannot plan
        await checked(pilot)
        assert "cannot be read" in status(app)
        assert "Waiting" not in status(app)


async def test_fix_lockfile_with_nothing_to_fix_is_a_plain_notice(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette(pilot, "fix lockfile")
        await pilot.pause(0.3)
        await settle(pilot)
        assert isinstance(app.screen, BrowserScreen)
        [notice] = app._notifications
        assert notice.severity == "information"
        assert notice.message.startswith("Nothing to fix")


async def test_fix_migration_from_the_palette_asks_for_the_migration(repo):
    delete_code(repo)
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.Team")  # not on the migration: the palette asks which one
        await palette(pilot, "fix migration")
        assert isinstance(app.screen, PickerScreen)
        assert [target.label for target in app.screen.targets] == ["sentry/0008_cleanup"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert app.screen.plan.title == f"Rewrite {PATH} as phase 1"


def test_a_refusal_is_placed_by_the_argument_it_names_and_one_naming_none_is_for_the_whole_form():
    broken = "the migration graph is broken, so nothing is written until it is fixed:\n  x.py:3: syntax error"
    data, rename = FORMS["data_migration"], FORMS["rename_field"]
    assert data.input_for(AssistantError(broken)) is None
    assert data.input_for(AssistantError("unknown model", argument="model")) == "target"
    assert data.input_for(AssistantError("unknown app", argument="app")) == "target"
    assert data.input_for(AssistantError("taken", argument="name")) == "name"
    assert rename.input_for(AssistantError("taken", argument="new_name")) == "new"
    assert rename.input_for(AssistantError("not a field", argument="expression")) is None  # no such input here


async def test_a_taken_model_name_is_refused_under_new_name_as_you_type(repo, cli):
    refused = cli(repo, "rename-model", "sentry.Team", "Project")
    assert refused.code == 1
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.Team")
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "Project")
        await checked(pilot)
        assert shown(app) == {"new": f"✗ {refused.err.removeprefix('migrate-assistant: ').strip()}"}
