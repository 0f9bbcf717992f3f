"""The browser offers to fix a conflicted lockfile; the fix goes through the plan screen."""

import git

from migrate_assistant.screens.browser import BrowserScreen
from migrate_assistant.screens.plan_screen import PlanScreen
from migrate_assistant.screens.result_screen import ResultScreen

from ..lockfile.histories import LEAVES, add_migration, branches, run_git
from .keys import SIZE, make_app, settle


async def test_fix_a_merge_conflict_from_the_browser(repo):
    branches(
        repo,
        lambda r: add_migration(r, "sentry", "0008_feature", ("sentry", LEAVES["sentry"])),
        lambda r: add_migration(r, "sentry", "0008_upstream", ("sentry", LEAVES["sentry"])),
    )
    run_git(repo, "merge", "main", expect_conflict=True)
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.status.lockfile_conflicted
        assert app.sub_title == "repo (Sentry-style)  on feature · merge in progress"
        banner = str(app.screen.query_one("#banner").render())
        assert "migrations_lockfile.txt has conflict markers; several leaf migrations in sentry  — f fixes it" == banner
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert [edit.kind for edit in app.screen.plan.edits] == ["move", "modify"]
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ResultScreen)
        assert "git commit" in app.screen.plan.next_steps[0]
        assert "commit" not in {b.binding.action for b in app.screen.active_bindings.values()}
        assert "A merge is in progress: finish it with git" in str(app.screen.query_one("#commit-hint").render())
        await pilot.press("escape")
        await settle(pilot)
        assert app.status.lockfile_ok and not app.status.lockfile_conflicted
        assert not app.screen.query_one("#banner").display
        assert "fix_lockfile" not in {b.binding.action for b in app.screen.active_bindings.values()}
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, BrowserScreen)
    with git.Repo(repo) as handle:
        assert handle.git.diff("--name-only", "--diff-filter=U") == ""
        assert "src/sentry/migrations/0009_feature.py" in handle.git.diff("--cached", "--name-only")
