"""Each form shows a planning refusal under the input of the argument it names, and checks its values
again when the repository is read again."""

import pytest
from textual.widgets import Input

from migrate_assistant.errors import AssistantError
from migrate_assistant.screens.form_screen import FormScreen
from migrate_assistant.screens.form_specs import FORMS

from .keys import SIZE, make_app, settle

LONG = "x" * 64  # a column name PostgreSQL cannot hold
UNMIGRATED = "\n\n@region_silo_model\nclass Squad(Model):\n    name = models.CharField(max_length=64)\n"

# Values each input's own check accepts, refused only by planning: (values, the input it is shown under).
CASES = {
    "rename_field": [({"target": "sentry.Squad.name", "new": "title"}, "target")],
    "rename_model": [({"target": "sentry.Squad", "new": "Crew"}, "target")],
    "add_field": [
        ({"target": "sentry.Squad", "name": "rank", "expression": "models.IntegerField(null=True)"}, "target"),
        ({"target": "sentry.Team", "name": LONG, "expression": "models.IntegerField(null=True)"}, "name"),
        (
            {
                "target": "sentry.Team",
                "name": "rank",
                "expression": f"models.IntegerField(null=True, db_column='{LONG}')",
            },
            "expression",
        ),
    ],
    "add_index": [
        ({"target": "sentry.Squad", "fields": "name", "name": ""}, "target"),
        ({"target": "sentry.Team", "fields": "name nope", "name": ""}, "fields"),
        ({"target": "sentry.Team", "fields": "name", "name": "1st"}, "name"),
    ],
    "data_migration": [
        ({"target": "sentry.Squad", "name": "backfill"}, "target"),
        ({"target": "sentry", "name": "b" * 245}, "name"),  # fits 0009_….py, not test_0009_….py
        ({"target": "sentry", "name": "migrations"}, "name"),
    ],
}


def shown(app) -> dict[str, str]:
    return {
        line.id.removeprefix("msg-"): str(line.render()) for line in app.screen.query(".form-message") if line.display
    }


async def checked(pilot) -> None:
    await pilot.pause(0.4)
    await settle(pilot)


async def enter(pilot, values: dict) -> None:
    for input_id, value in values.items():
        pilot.app.screen.query_one(f"#in-{input_id}", Input).value = value
    await checked(pilot)


@pytest.mark.parametrize("name", sorted(CASES))
async def test_a_planning_refusal_is_shown_under_the_input_of_its_argument(repo, name):
    team = repo / "src/sentry/models/team.py"
    team.write_text(team.read_text() + UNMIGRATED)
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_form(name)
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        for values, input_id in CASES[name]:
            await enter(pilot, values)
            with pytest.raises(AssistantError) as refused:  # what the command line says
                FORMS[name].plan(app.project, {**values, "nullable": False})
            assert shown(app) == {input_id: f"✗ {refused.value}"}, values
            await pilot.press("enter")  # Enter plans: refused the same way, in the same place
            await checked(pilot)
            assert isinstance(app.screen, FormScreen)
            assert shown(app) == {input_id: f"✗ {refused.value}"}, values


async def test_a_new_reading_checks_an_open_form_again(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_form("add_field", "sentry.Team")
        await settle(pilot)
        await enter(pilot, {"name": "motto", "expression": "models.TextField(null=True)"})
        assert shown(app) == {}
        assert str(app.screen.query_one("#form-status").render()).startswith("Ready")
        team = repo / "src/sentry/models/team.py"  # meanwhile, motto is added in an editor
        team.write_text(team.read_text().replace("    slug = ", "    motto = models.TextField(null=True)\n    slug = "))
        app.action_reload()
        await checked(pilot)
        assert shown(app) == {"name": "✗ sentry.Team already has a field or attribute named motto"}
        assert app.screen.ready is None


async def test_a_failed_reading_leaves_no_verdict_of_the_previous_one_under_an_input(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_form("add_field", "sentry.Team")
        await settle(pilot)
        await enter(pilot, {"name": "slug", "expression": "models.TextField(null=True)"})
        assert shown(app) == {"name": "✗ sentry.Team already has a field or attribute named slug"}
        models = repo / "src/sentry/models/project.py"
        models.write_text(models.read_text().replace("class Meta:", "class Meta\n", 1))
        app.action_reload()
        await checked(pilot)
        assert app.load_error
        assert shown(app) == {}
        assert "cannot be read" in str(app.screen.query_one("#form-status").render())
