"""The removal wizard, driven through the keyboard only."""

import git

from migrate_assistant.screens.browser import BrowserScreen
from migrate_assistant.screens.picker import PickerScreen
from migrate_assistant.screens.plan_screen import PlanScreen
from migrate_assistant.screens.result_screen import ResultScreen
from migrate_assistant.screens.sql_screen import SqlScreen

from ..conftest import django, tree_state
from .keys import SIZE, SMALL, make_app, mark, select, settle, type_text

MIGRATIONS = "src/sentry/migrations"


async def test_phase_one_and_phase_two_through_the_keyboard(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "Remove field")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PickerScreen)
        await type_text(pilot, "sentry.Project.template_version")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert "SafeRemoveField" in app.screen.plan.diff()
        assert not (repo / MIGRATIONS / "0008_project_template_version_pending.py").exists()
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ResultScreen)
        phase_one = (repo / MIGRATIONS / "0008_project_template_version_pending.py").read_text()
        assert "null=True" in phase_one and "DeletionAction.MOVE_TO_PENDING" in phase_one
        assert "template_version" not in (repo / "src/sentry/models/project.py").read_text()
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, BrowserScreen)
        assert any(item.target == "sentry.Project.template_version" for item in app.status.pending)

        await pilot.press("r")
        await type_text(pilot, "sentry.Project.template_version")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert app.screen.plan.title.endswith("phase 2")
        await pilot.press("a")
        await settle(pilot)
        phase_two = (repo / MIGRATIONS / "0009_project_template_version_drop.py").read_text()
        assert "DeletionAction.DELETE" in phase_two and "AlterField" not in phase_two
        await pilot.press("escape", "q")
    assert app.return_code == 0


async def test_several_marked_fields_go_into_one_migration(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await mark(pilot, "sentry.Project.platform", "sentry.Project.forced_color")
        await pilot.press("enter")
        await settle(pilot)
        plan = app.screen.plan
        assert plan.title == "Remove fields sentry.Project.platform, sentry.Project.forced_color — phase 1"
        [migration] = plan.created
        assert migration.endswith("0008_project_platform_and_more_pending.py")


async def test_the_picker_status_grows_to_show_every_marked_target_and_shrinks_back(repo):
    app = make_app(repo)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("r")
        marked = ["sentry.Project.platform", "sentry.Project.forced_color", "sentry.Organization.default_role"]
        await mark(pilot, *marked)
        status = app.screen.query_one("#picker-status")
        assert status.size.height > 1 and all(target in str(status.render()) for target in marked)
        await mark(pilot, *marked)  # space on a marked target unmarks it
        await settle(pilot)
        assert status.size.height == 1 and "marked" not in str(status.render())


async def test_pending_deletion_in_the_browser_plans_phase_two(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.Organization.default_role")
        assert "phase 1 merged" in str(app.screen.query_one("#details").render())
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert app.screen.plan.created == [f"{MIGRATIONS}/0008_organization_default_role_drop.py"]


async def test_mixed_phases_and_core_errors_become_notifications(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await mark(pilot, "default_role", "sentry.Project.platform")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BrowserScreen)
        assert "different phases" in [n.message for n in app._notifications][-1]

        models = repo / "src/sentry/models/project.py"
        models.write_text(models.read_text() + "\ndef broken(:\n")
        await pilot.press("r")
        await type_text(pilot, "sentry.Project.platform")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BrowserScreen)
        assert "syntax error" in [n.message for n in app._notifications][-1]
        assert app.is_running


async def test_branch_and_commit_only_after_asking(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await type_text(pilot, "sentry.Project.first_event")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("c", "n")
        await settle(pilot)
        with git.Repo(repo) as handle:
            assert handle.active_branch.name == "main" and handle.is_dirty()
        await pilot.press("c", "y")
        await settle(pilot)
    with git.Repo(repo) as handle:
        assert handle.active_branch.name == "migrate-assistant/remove-field-sentry-project-first-event-phase-1"
        assert not handle.is_dirty(untracked_files=True)
        changed = set(handle.git.show("--name-only", "--format=", "HEAD").split())
        assert changed == {
            "migrations_lockfile.txt",
            "src/sentry/models/project.py",
            f"{MIGRATIONS}/0008_project_first_event_pending.py",
        }
        assert handle.head.commit.message.startswith("Remove field sentry.Project.first_event — phase 1")


async def test_sql_preview_runs_sqlmigrate_without_touching_the_repository(repo):
    assert django(repo, "migrate", "--no-input").returncode == 0
    before = tree_state(repo)
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await type_text(pilot, "sentry.Project.status")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SqlScreen)
        [(migration, sql)] = app.screen.results
        assert migration == "sentry/0008_project_status_pending"
        assert 'DROP INDEX "sentry_proj_status_c1bf9b_idx"' in sql
        assert len(app.screen.query("#sql Static")) == 2
    assert tree_state(repo) == before
