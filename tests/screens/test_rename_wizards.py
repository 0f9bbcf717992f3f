"""The rename forms, through the keyboard only."""

from migrate_assistant.screens.form_screen import FormScreen
from migrate_assistant.screens.plan_screen import PlanScreen
from migrate_assistant.screens.result_screen import ResultScreen

from .keys import SIZE, make_app, select, settle, type_text


async def rename(pilot, key: str, new: str) -> None:
    await select(pilot, key)
    await pilot.press("n")
    await settle(pilot)
    await type_text(pilot, new)


async def test_rename_field_in_place(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await rename(pilot, "sentry.Project.status", "state")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert app.screen.plan.title == "Rename field sentry.Project.status to state"
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ResultScreen)
    model = (repo / "src/sentry/models/project.py").read_text()
    assert 'state = BoundedPositiveIntegerField(default=0, db_column="status")' in model
    migration = (repo / "src/sentry/migrations/0008_rename_project_status_to_state.py").read_text()
    assert 'migrations.RenameField(model_name="project", old_name="status", new_name="state")' in migration


async def test_rename_model_refused_name_stays_in_the_form_until_fixed(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await rename(pilot, "sentry.Team", "Project")
        await pilot.press("enter")
        await pilot.pause(0.3)
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        message = str(app.screen.query_one("#msg-new").render())
        assert message == "✗ app 'sentry' already has a model named Project"
        await pilot.press(*["backspace"] * len("Project"))
        await type_text(pilot, "Squad")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert [edit.path for edit in app.screen.plan.edits if edit.kind == "create"] == [
            "src/sentry/migrations/0008_rename_team_to_squad.py",
            "src/sentry/uptime/migrations/0003_rename_team_to_squad.py",
        ]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen) and app.screen.query_one("#in-new").value == "Squad"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
    assert "class Squad(Model):" in (repo / "src/sentry/models/team.py").read_text()
