"""The plan screen writes both phases of a removal as stacked branches (as ``--stack`` does), after a
confirmation naming both branches, and shows the ``git push`` commands (real git, the sample repository)."""

import subprocess

from migrate_assistant.screens.dialogs import ConfirmDialog
from migrate_assistant.screens.plan_screen import PlanScreen
from migrate_assistant.screens.stack_screen import StackResultScreen

from .keys import SIZE, make_app, settle

BASE = "remove-project-platform"


def git(repo, *args) -> str:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


async def test_both_phases_as_stacked_branches_from_the_plan_screen(repo):
    start = git(repo, "rev-parse", "HEAD")
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.plan_removal(["sentry.Project.platform"], 1, {"field"})
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert f"{BASE}-phase-1  phase 1" in app.screen.question
        assert f"{BASE}-phase-2  phase 2, committed on top of phase 1" in app.screen.question
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, StackResultScreen)
        shown = str(app.screen.query_one("#stack").render())
        assert f"git push -u origin {BASE}-phase-1 {BASE}-phase-2" in shown
        assert f"gh pr create --base main --head {BASE}-phase-1" in shown
        assert f"gh pr create --base {BASE}-phase-1 --head {BASE}-phase-2" in shown
    assert git(repo, "branch", "--show-current") == f"{BASE}-phase-1"
    first, second = git(repo, "rev-parse", f"{BASE}-phase-1"), git(repo, "rev-parse", f"{BASE}-phase-2")
    assert git(repo, "rev-parse", f"{second}^") == first and git(repo, "rev-parse", f"{first}^") == start
    assert "_pending.py" in git(repo, "show", "--name-only", "--format=", first)
    assert "SafeRemoveField" in git(repo, "show", second) and "DELETE" in git(repo, "show", second)
    assert git(repo, "status", "--porcelain") == ""


async def test_declining_writes_nothing_and_phase_2_plans_do_not_offer_it(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.plan_removal(["sentry.Project.platform"], 1, {"field"})
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert f"{BASE}-phase-1" not in git(repo, "branch")
        app.pop_screen()
        await settle(pilot)
        app.plan_removal(["sentry.Organization.default_role"], 2, {"field"})
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert app.screen.check_action("stack", ()) is False
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
    assert git(repo, "status", "--porcelain") == ""


async def test_a_refused_stack_is_a_notification_and_writes_nothing(repo):
    model = repo / "src/sentry/models/project.py"
    model.write_text(model.read_text() + "# not committed yet\n")
    before = git(repo, "rev-parse", "HEAD")
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.plan_removal(["sentry.Project.platform"], 1, {"field"})
        await settle(pilot)
        await pilot.press("b", "y")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        [notice] = [n for n in app._notifications if n.severity == "error"]
        assert "uncommitted" in notice.message and "src/sentry/models/project.py" in notice.message
    assert f"{BASE}-phase" not in git(repo, "branch") and git(repo, "rev-parse", "HEAD") == before
    assert git(repo, "status", "--porcelain") == "M src/sentry/models/project.py"
