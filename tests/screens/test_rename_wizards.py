"""The rename wizards, through the keyboard only."""

from migrate_assistant.screens.plan_screen import PlanScreen
from migrate_assistant.screens.result_screen import ResultScreen

from .keys import SIZE, make_app, settle, type_text


async def rename(pilot, command: str, target: str, new: str) -> None:
    await pilot.press("ctrl+p")
    await type_text(pilot, command)
    await pilot.press("enter")
    await settle(pilot)
    await type_text(pilot, target)
    await pilot.press("enter")
    await settle(pilot)
    await type_text(pilot, new)
    await pilot.press("enter")
    await settle(pilot)


async def test_rename_field_wizard(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await rename(pilot, "Rename field", "sentry.Project.status", "state")
        assert isinstance(app.screen, PlanScreen)
        assert app.screen.plan.title == "Rename field sentry.Project.status to state"
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ResultScreen)
    model = (repo / "src/sentry/models/project.py").read_text()
    assert 'state = BoundedPositiveIntegerField(default=0, db_column="status")' in model
    migration = (repo / "src/sentry/migrations/0008_rename_project_status_to_state.py").read_text()
    assert 'migrations.RenameField(model_name="project", old_name="status", new_name="state")' in migration


async def test_rename_model_wizard_and_a_refused_name(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await rename(pilot, "Rename model", "sentry.Team", "Project")
        assert "app 'sentry' already has a model named Project" in [n.message for n in app._notifications][-1]
        await rename(pilot, "Rename model", "sentry.Team", "Squad")
        assert isinstance(app.screen, PlanScreen)
        assert [edit.path for edit in app.screen.plan.edits if edit.kind == "create"] == [
            "src/sentry/migrations/0008_rename_team_to_squad.py",
            "src/sentry/uptime/migrations/0003_rename_team_to_squad.py",
        ]
        await pilot.press("a")
        await settle(pilot)
    assert "class Squad(Model):" in (repo / "src/sentry/models/team.py").read_text()
