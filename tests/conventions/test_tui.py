"""The assistant on plain and django-safemigrate repositories: the removal wizard, the details pane and the
plan screen's actions."""

import re
import subprocess
from datetime import datetime, timedelta

import pytest

from migrate_assistant.screens.browser import BrowserScreen
from migrate_assistant.screens.picker import PickerScreen
from migrate_assistant.screens.plan_screen import PlanScreen
from migrate_assistant.screens.result_screen import ResultScreen

from ..conftest import django
from ..screens.keys import SIZE, SMALL, make_app, select, settle, type_text
from .test_removal_end_to_end import SENTRY_WORDS

MIGRATIONS = "shop/migrations"


async def _remove_field(app, pilot, target: str) -> None:
    await pilot.press("ctrl+p")
    await type_text(pilot, "Remove field")
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, PickerScreen)
    await type_text(pilot, target)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, PlanScreen)


async def test_plain_phase_one_and_two_through_the_keyboard(plain_repo):
    app = make_app(plain_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.sub_title.startswith(f"{plain_repo.name} (plain Django)")  # the header names the convention
        await _remove_field(app, pilot, "shop.Project.template_version")
        plan = app.screen.plan
        assert not SENTRY_WORDS.search(plan.diff() + "\n".join(plan.steps + plan.next_steps + plan.warnings))
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ResultScreen)
        text = (plain_repo / MIGRATIONS / "0002_project_template_version_pending.py").read_text()
        assert "state_operations=[" in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, BrowserScreen)
        assert any(item.target == "shop.Project.template_version" for item in app.status.pending)

        await pilot.press("r")
        await type_text(pilot, "shop.Project.template_version")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert app.screen.plan.title.endswith("phase 2")
        await pilot.press("a")
        await settle(pilot)
        drop = (plain_repo / MIGRATIONS / "0003_project_template_version_drop.py").read_text()
        assert 'migrations.RemoveField(model_name="project", name="template_version")' in drop
        await pilot.press("escape", "q")
    assert app.return_code == 0


async def test_safemigrate_phase_one_writes_both_migrations(safemigrate_repo):
    app = make_app(safemigrate_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _remove_field(app, pilot, "shop.Project.first_event")
        title = "Remove field shop.Project.first_event — both phases (Safe.before_deploy, then Safe.after_deploy)"
        assert app.screen.plan.title == title  # one PR with both migrations, not "phase 1"
        assert app.screen.plan.branch_name == "migrate-assistant/remove-field-shop-project-first-event-both-phases"
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ResultScreen)
        folder = safemigrate_repo / MIGRATIONS
        assert "Safe.before_deploy()" in (folder / "0002_project_first_event_pending.py").read_text()
        assert "Safe.after_deploy()" in (folder / "0003_project_first_event_drop.py").read_text()
        await pilot.press("escape", "q")
    assert app.return_code == 0


SENTRY_DETAILS = re.compile(r"silo|MOVE_TO_PENDING|\bDELETE\b|is_post_deployment", re.I)


def _details(app) -> str:
    return str(app.screen.query_one("#details").render())


async def test_plain_details_say_nothing_of_sentry(plain_repo, cli):
    assert cli(plain_repo, "remove-field", "shop.Project.template_version", "--phase", "1").code == 0
    app = make_app(plain_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in ("shop.Project", "shop.Project.template_version"):
            await select(pilot, key)
            details = _details(app)
            assert key in details
            assert not SENTRY_DETAILS.search(details), details
        assert "state-only removal" in _details(app)  # how phase 1 left the pending deletion, in this style
        assert "Phase 2 (RemoveField) drops it" in _details(app)


async def test_safemigrate_details_read_the_markers(safemigrate_repo, cli):
    assert cli(safemigrate_repo, "remove-field", "shop.Project.template_version", "--phase", "1").code == 0
    app = make_app(safemigrate_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "shop/0003_project_template_version_drop")
        assert re.search(r"deploy\s+after the deploy", _details(app)), _details(app)
        await select(pilot, "shop/0002_project_template_version_pending")
        assert re.search(r"deploy\s+during the deploy", _details(app)), _details(app)
        await select(pilot, "shop.Project")
        assert not SENTRY_DETAILS.search(_details(app)), _details(app)


async def test_safemigrate_plan_offers_no_stack(safemigrate_repo, cli):
    """Both phases are already in the one PR: there is no phase 2 to stack, in the TUI or the CLI."""
    app = make_app(safemigrate_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "shop.Project.status")
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert app.screen.check_action("stack", ()) is False
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
    result = cli(safemigrate_repo, "remove-field", "shop.Project.status", "--stack")
    assert result.code != 0
    assert "one PR" in result.err and "stdout" not in result.err, result.err
    assert "phase-1" not in git(safemigrate_repo, "branch")
    assert git(safemigrate_repo, "status", "--porcelain") == ""


def git(repo, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def _on_screen(app) -> str:
    return "\n".join(str(widget.render()) for widget in app.screen.query("Static"))


async def test_plain_data_migration_says_how_it_runs_after_the_deploy(plain_repo):
    app = make_app(plain_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "shop")
        assert "run after the deploy" in _details(app)
        await select(pilot, "shop.Project")
        await pilot.press("b")
        await settle(pilot)
        assert "run after the deploy" in _on_screen(app)
        await type_text(pilot, "backfill_flags")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        steps = "\n".join(app.screen.plan.steps)
        assert "python manage.py migrate" in steps, steps
        assert not re.search("post-deployment", _on_screen(app) + steps), steps


async def test_safemigrate_tree_marks_after_deploy_migrations(safemigrate_repo, cli):
    assert cli(safemigrate_repo, "remove-field", "shop.Project.template_version", "--phase", "1").code == 0
    app = make_app(safemigrate_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        nodes = {node.key: node for node in app.schema.nodes}
        assert nodes["shop/0003_project_template_version_drop"].detail == "Safe.after_deploy"
        assert nodes["shop/0002_project_template_version_pending"].detail == ""


async def test_plain_palette_and_picker_name_no_sentry_machinery(plain_repo):
    app = make_app(plain_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        palette = "\n".join(f"{command.title}: {command.help}" for command in app.get_system_commands(app.screen))
        assert "Remove field: Remove a column in two deploys" in palette
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, PickerScreen)
        placeholder = app.screen.query_one("#filter").placeholder
        picker_help = repr(app.screen.help_sections())
        for text in (palette, placeholder, picker_help):
            assert not re.search(r"sentry|Safe(RemoveField|DeleteModel)", text), text


async def test_plain_steps_keep_pr_in_capitals(plain_repo):
    app = make_app(plain_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "shop.Project.flags")
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        steps = app.screen.plan.steps
        assert any(step.startswith("Phase 2, in a later PR: ") for step in steps), steps


def test_plain_stacked_pr_descriptions_say_nothing_of_sentry(plain_repo, cli):
    result = cli(plain_repo, "remove-field", "shop.Project.flags", "--stack")
    assert result.code == 0, result.err
    descriptions = sorted((plain_repo / ".git/migrate-assistant/pr").glob("*.md"))
    assert len(descriptions) == 2
    for path in descriptions:
        text = path.read_text()
        assert "### Rollback" in text
        assert not re.search(r"SafeRemoveField|SafeDeleteModel|MOVE_TO_PENDING|\bpr\b", text), text


async def test_safemigrate_phase_two_marks_the_drop_step(safemigrate_repo, cli):
    """A hand-written state-only removal left without its drop: phase 2 is the Safe.after_deploy migration."""
    assert cli(safemigrate_repo, "remove-field", "shop.Project.template_version", "--phase", "1").code == 0
    (safemigrate_repo / MIGRATIONS / "0003_project_template_version_drop.py").unlink()
    app = make_app(safemigrate_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "shop.Project.template_version")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        plan = app.screen.plan
        assert plan.steps[plan.current_step].startswith("Migration 2, Safe.after_deploy"), plan.steps


async def test_banner_says_the_max_migration_files_disagree(plain_repo):
    """One max_migration.txt per app: the banner's verb agrees with "files"."""
    (plain_repo / MIGRATIONS / "max_migration.txt").write_text("0009_missing\n")
    app = make_app(plain_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        banner = str(app.screen.query_one("#banner").render())
        assert banner == "max_migration.txt files disagree with the graph for shop  — f fixes it", banner


async def test_fix_names_its_branch_in_whole_words(plain_repo):
    """The result screen's branch for a rewritten migration: no ".py", no word cut off ("… as")."""
    models = plain_repo / "shop/models.py"
    models.write_text(models.read_text().replace("    flags = models.BigIntegerField(default=0)\n", ""))
    made = django(plain_repo, "makemigrations", "shop")
    assert made.returncode == 0, made.stderr
    app = make_app(plain_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "shop/0002_remove_project_flags")
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ResultScreen)
        hint = str(app.screen.query_one("#commit-hint").render())
        assert "migrate-assistant/rewrite-shop-migrations-0002-remove-project-flags-as-phase-1\n" in hint, hint


async def test_safemigrate_x_is_described_as_showing_the_fix(safemigrate_repo):
    """fix-migration is refused under django-safemigrate: x shows the finding's fix, and says so."""
    models = safemigrate_repo / "shop/models.py"
    models.write_text(models.read_text().replace("    flags = models.BigIntegerField(default=0)\n", ""))
    assert django(safemigrate_repo, "makemigrations", "shop").returncode == 0
    app = make_app(safemigrate_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "shop/0002_remove_project_flags")
        [footer] = [b.binding.description for key, b in app.screen.active_bindings.items() if key == "x"]
        assert footer == "Show the fix"
        _, sections, *_ = app.screen.help_sections()
        [migration_rows] = [rows for heading, rows in sections if heading.startswith("Migration")]
        assert ("x", "Show the fix", "check PATH") in migration_rows
        palette = {command.title: command.help for command in app.get_system_commands(app.screen)}
        assert "phase 1" not in palette["Fix migration"] and "one PR" in palette["Fix migration"]
        await pilot.press("x")
        await pilot.pause()
        [notification] = list(app._notifications)
        assert notification.title.startswith("MA001 at shop/migrations/0002_remove_project_flags.py")
        assert "Safe.after_deploy" in notification.message


def _tree_row(app) -> str:
    view = app.screen.view
    strip = view.render_line(view.cursor - round(view.scroll_offset.y))
    return "".join(segment.text for segment in strip).rstrip()


@pytest.mark.parametrize("convention", ["plain", "safemigrate"])
@pytest.mark.parametrize(
    ("size", "tail"),
    [(SIZE, "template_version  [phase 1 deployed · 10 d]"), (SMALL, "template_version")],
)
async def test_pending_badge_is_whole_or_left_out_never_cut(request, convention, size, tail, cli, monkeypatch):
    """120 columns show the lifecycle badge whole; 80 have no room for it (the details pane has it), and never
    show a part of it."""
    repo = request.getfixturevalue(f"{convention}_repo")
    _deployed(repo, cli, monkeypatch, days=10)
    app = make_app(repo)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await select(pilot, "shop.Project.template_version")
        await pilot.pause()
        row = _tree_row(app)
        assert row.endswith(tail), row
        assert "…" not in row


async def test_safemigrate_picker_says_a_removal_writes_both_phases(safemigrate_repo):
    app = make_app(safemigrate_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, PickerScreen)
        await type_text(pilot, "shop.Project.first_event")
        await settle(pilot)
        row = str(app.screen.query_one("#matches").get_option_at_index(0).prompt)
        assert "shop.Project.first_event" in row and "both phases" in row and "phase 1" not in row


def _deployed(repo, cli, monkeypatch, days: int) -> None:
    """A state-only removal (under django-safemigrate, left without its drop) deployed ``days`` ago."""
    assert cli(repo, "remove-field", "shop.Project.template_version", "--phase", "1").code == 0
    if (repo / MIGRATIONS / "0003_project_template_version_drop.py").exists():
        (repo / MIGRATIONS / "0003_project_template_version_drop.py").unlink()
        (repo / MIGRATIONS / "max_migration.txt").write_text("0002_project_template_version_pending\n")
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + '\n[tool.migrate-assistant]\ndeployed-ref = "production"\n')
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "phase 1")
    git(repo, "branch", "-f", "production")
    committed = git(repo, "log", "-1", "--format=%cI").strip()
    monkeypatch.setenv("MIGRATE_ASSISTANT_NOW", (datetime.fromisoformat(committed) + timedelta(days=days)).isoformat())


@pytest.mark.parametrize(("convention", "phase_1"), [("plain", ""), ("safemigrate", ", Safe.before_deploy")])
async def test_lifecycle_details_name_the_convention_s_machinery(request, convention, phase_1, cli, monkeypatch):
    repo = request.getfixturevalue(f"{convention}_repo")
    _deployed(repo, cli, monkeypatch, days=17)
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "shop.Project.template_version")
        details = _details(app)
        assert f"shop/0002_project_template_version_pending (state-only removal{phase_1})" in details, details
        assert "git ref production" in details and "17 days since phase 1 deployed" in details
        assert "Forgotten: phase 1 deployed more than 14 days ago" in details
        assert "next: migrate-assistant remove-field shop.Project.template_version --phase 2" in details
        assert not SENTRY_DETAILS.search(details), details
