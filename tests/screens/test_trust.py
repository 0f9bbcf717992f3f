"""State you can trust: load failures, automatic re-reading, git state in the header, commit only when it can work."""

import re
import threading

import git
from rich.console import Console

from migrate_assistant.screens.browser import BrowserScreen
from migrate_assistant.screens.dialogs import ConfirmDialog, PlanningDialog
from migrate_assistant.screens.help_screen import HelpScreen
from migrate_assistant.screens.plan_screen import PlanScreen
from migrate_assistant.screens.result_screen import ResultScreen
from migrate_assistant.screens.sql_screen import SqlScreen

from .keys import SIZE, make_app, select, settle, type_text

MODELS = "src/sentry/models/project.py"


async def reread(pilot) -> None:
    """What the two-second poll does: compare the stamps, read again when they changed."""
    pilot.app.poll_changes()
    await settle(pilot)
    await settle(pilot)


async def test_a_load_failure_is_a_lasting_banner_and_nothing_is_queued(repo):
    models = repo / MODELS
    good = models.read_text()
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        models.write_text(good + "\ndef broken(:\n")
        await pilot.press("ctrl+r")
        await settle(pilot)
        banner = str(app.screen.query_one("#banner").render())
        assert banner.startswith("Cannot read the repository: ") and f"{MODELS}:" in banner
        assert str(repo) not in banner, "the file is named from the repository, as everywhere else"
        assert app.screen.view.rows == [] and app.schema is None
        await pilot.press("m", "r")
        await pilot.pause(1)
        await settle(pilot)
        assert isinstance(app.screen, BrowserScreen) and app.screen.query_one("#banner").display
        models.write_text(good)
        await reread(pilot)
        assert app.load_error is None and not app.screen.query_one("#banner").display
        assert isinstance(app.screen, BrowserScreen) and len(app.screen_stack) == 1
        assert app.screen.view.select("sentry.Project.status")


async def test_files_changed_outside_are_read_again(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await reread(pilot)
        assert app.screen.view.select("sentry.Project.platform")
        models = repo / MODELS
        models.write_text(models.read_text().replace("    platform = ", "    renamed_platform = "))
        await reread(pilot)
        assert not app.screen.view.select("sentry.Project.platform")
        assert app.screen.view.select("sentry.Project.renamed_platform")
        with git.Repo(repo) as handle:
            handle.git.checkout("-b", "feature/a-rather-long-branch-name")
        await reread(pilot)
        assert app.sub_title == "repo (Sentry-style)  on feature/a-rather-long-branch-name"


async def test_global_keys_act_only_in_the_browser(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.Project.status")
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        await pilot.press("m", "r", "f", "d")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen) and len(app.screen_stack) == 2
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SqlScreen)
        await pilot.press("m", "r", "a")
        await settle(pilot)
        assert isinstance(app.screen, SqlScreen)
        await pilot.press("escape", "a")
        await settle(pilot)
        assert isinstance(app.screen, ResultScreen)
        await pilot.press("m", "r", "d")
        await settle(pilot)
        assert isinstance(app.screen, ResultScreen)


async def test_commit_names_the_branch_in_full_and_is_offered_once(repo):
    app = make_app(repo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.Project.first_event")
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        question = str(app.screen.query_one("#question").render())
        branch = "migrate-assistant/remove-field-sentry-project-first-event-phase-1"
        assert question.startswith("Switch from the branch main to the new branch")
        assert f"\n  {branch}\n" in question
        await pilot.click("#yes")
        await settle(pilot)
        assert isinstance(app.screen, ResultScreen)
        assert "commit" not in {b.binding.action for b in app.screen.active_bindings.values()}
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ResultScreen)
    with git.Repo(repo) as handle:
        assert handle.active_branch.name == branch
        assert len(list(handle.iter_commits(f"main..{branch}"))) == 1


async def test_the_help_lists_every_action_with_its_command_line(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.Project")
        shown = {b.binding.key for b in app.screen.active_bindings.values() if b.binding.show}
        assert {"d", "n", "a", "i", "b", "slash", "question_mark"} <= shown and "x" not in shown
        await select(pilot, "sentry.Project.status")
        shown = {b.binding.key for b in app.screen.active_bindings.values() if b.binding.show}
        assert {"d", "n"} <= shown and not {"a", "i", "s"} & shown
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=120, record=True)
        console.print(app.screen.query_one("#help-body Static").visual._renderable)
        text = console.export_text()
        assert re.search(r"\bn +Rename +rename-model APP\.Model NEW", text)
        assert re.search(r"Enter +Write phase 2 +remove-field TARGET --phase 2", text)
        await pilot.click("#close")
        await settle(pilot)
        assert isinstance(app.screen, BrowserScreen)


async def test_filter_as_you_type_and_act_in_place(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "prjbkmrk")
        view = app.screen.view
        assert view.node.key == "sentry.ProjectBookmark"
        rows = [view.schema.nodes[n].key for n in view.rows]
        assert rows == ["sentry", "sentry.ProjectBookmark", "sentry/", "sentry/0006_projectbookmark"]
        await pilot.press("enter", "right")
        assert "sentry.ProjectBookmark.project" in [view.schema.nodes[n].key for n in view.rows]
        await pilot.press("escape")
        assert view.filter_text == "" and app.focused is view
        await pilot.press("escape")
        assert view.node.key == "sentry.ProjectBookmark"


async def test_planning_shows_an_indicator_after_a_moment_and_esc_cancels(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        release = threading.Event()
        app.make_plan(lambda: release.wait(10) and None, "migrate-assistant status")
        await pilot.pause(0.05)
        assert isinstance(app.screen, BrowserScreen)  # not before ~150 ms
        await pilot.pause(0.3)
        assert isinstance(app.screen, PlanningDialog)
        await pilot.press("escape")
        assert isinstance(app.screen, BrowserScreen)
        release.set()
        await settle(pilot)
        assert isinstance(app.screen, BrowserScreen) and not app._notifications  # the result is thrown away


async def test_marks_survive_a_click_and_are_removed_together(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.Project.platform")
        await pilot.press("space")
        await select(pilot, "sentry.Project.forced_color")
        await pilot.press("space")
        await pilot.click("#schema", offset=(10, 3))
        await settle(pilot)
        assert [node.key for node in app.screen.view.marked_nodes] == [
            "sentry.Project.platform",
            "sentry.Project.forced_color",
        ]
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert app.screen.plan.title == "Remove fields sentry.Project.platform, sentry.Project.forced_color — phase 1"


async def test_the_collector_is_rare_until_the_first_reading_is_shown_then_as_before(repo):
    import gc

    before = gc.get_threshold()
    app = make_app(repo)
    app.gc_thresholds = before
    gc.set_threshold(200_000, 30, 30)  # what the command line sets before importing Textual
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert app.schema is not None and gc.get_threshold() == before and app.gc_thresholds is None
    finally:
        gc.set_threshold(*before)


async def test_esc_in_an_empty_filter_returns_to_the_tree_so_q_quits_even_after_a_load_failure(repo):
    models = repo / MODELS
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        models.write_text(models.read_text() + "\ndef broken(:\n")
        await pilot.press("ctrl+r")
        await settle(pilot)
        await pilot.press("slash", "escape")
        await settle(pilot)
        assert app.focused is app.screen.view and app.screen.query_one("#filter").value == ""
        await pilot.press("q")
        await settle(pilot)
        assert not app.is_running


async def test_the_details_name_a_relation_s_target_as_the_tree_does(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.Project")
        details = str(app.screen.query_one("#details").render())
        assert "→ sentry.Organization" in details and "→ sentry.organization" not in details
        await select(pilot, "sentry.Project.organization")
        details = str(app.screen.query_one("#details").render())
        assert "→ sentry.Organization · " in details
