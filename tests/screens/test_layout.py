"""Layout at 80×24 and 120×36: what a screen needs is on it, no row cuts an identifier, keys typed while
a form opens reach its input, dialogs are centred and their buttons answer clicks."""

import pytest
from textual.color import Color
from textual.geometry import Region
from textual.widgets import Footer, Input, OptionList

from migrate_assistant.screens.browser import BrowserScreen
from migrate_assistant.screens.dialogs import ConfirmDialog
from migrate_assistant.screens.form_screen import FormScreen
from migrate_assistant.screens.help_screen import HelpScreen
from migrate_assistant.screens.picker import PickerScreen
from migrate_assistant.screens.plan_screen import PlanScreen
from migrate_assistant.screens.schema_tree import fit_detail

from .keys import SIZE, SMALL, burst, make_app, select, settle, type_text

SIZES = pytest.mark.parametrize("size", [SMALL, SIZE], ids=["80x24", "120x36"])
BRANCH = "migrate-assistant/remove-field-sentry-project-first-event-phase-1"


def test_a_detail_is_shown_in_whole_parts():
    detail = "FlexibleForeignKey · → sentry.Organization · null"
    assert fit_detail(detail, len(detail)) == detail
    assert fit_detail(detail, len(detail) - 1) == "FlexibleForeignKey · → sentry.Organization"
    assert fit_detail(detail, 30) == "FlexibleForeignKey"
    assert fit_detail("sentry_projectuptimesubscription", 31) == ""
    assert fit_detail("", 10) == ""


def centred(outer: Region, inner: Region) -> bool:
    left, right = inner.x - outer.x, outer.right - inner.right
    top, bottom = inner.y - outer.y, outer.bottom - inner.bottom
    return min(left, right, top, bottom) >= 0 and abs(left - right) <= 1 and abs(top - bottom) <= 1


@SIZES
async def test_tree_rows_show_a_table_name_whole_or_not_at_all(repo, size):
    app = make_app(repo)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.Project")
        await pilot.press("right")
        await settle(pilot)
        view = app.screen.view
        lines = [strip.text for strip in view.render_lines(Region(0, 0, view.size.width, view.size.height))]
        assert "▾ Project  sentry_project" in lines[view.cursor - round(view.scroll_offset.y)]
        assert not [line for line in lines if "…" in line]
        for line in lines:
            words = line.split()
            for node in app.schema.nodes:
                if node.kind == "model" and node.name in words:
                    assert words[-1] in (node.name, node.detail), line


async def test_a_name_wider_than_the_tree_is_never_cut_the_tree_scrolls_sideways(repo):
    long = "a_field_whose_name_is_wider_than_the_tree_pane_at_eighty_columns"
    models = repo / "src/sentry/models/project.py"
    text = models.read_text()
    models.write_text(
        text.replace(
            "    name = models.CharField",
            f"    {long} = models.IntegerField(null=True)\n    name = models.CharField",
            1,
        )
    )
    app = make_app(repo)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await select(pilot, f"sentry.Project.{long}")
        view = app.screen.view

        def cursor_line() -> str:
            lines = [strip.text for strip in view.render_lines(Region(0, 0, view.size.width, view.size.height))]
            return lines[view.cursor - round(view.scroll_offset.y)]

        assert view.virtual_size.width > view.scrollable_content_region.width
        assert view.show_horizontal_scrollbar and "…" not in cursor_line()
        assert cursor_line().strip().startswith(long[:20]) and long not in cursor_line()
        for _ in range(40):
            await pilot.press("shift+right")
        await settle(pilot)
        assert view.scroll_offset.x > 0 and cursor_line().rstrip().endswith(long[-20:])
        await pilot.press("down", "up")  # ordinary keys keep working while scrolled
        assert view.node.name == long


def layouts_asked(view) -> list:
    """What each refresh of ``view`` from now on says of a layout (True: a layout of the screen is asked)."""
    asked = []
    refresh = view.refresh
    view.refresh = lambda *regions, **options: asked.append(options.get("layout")) or refresh(*regions, **options)
    return asked


async def test_a_filter_that_narrows_the_rows_keeps_the_scrolled_tree_on_its_names(repo):
    """Scrolled to the end of a long name, a filter showing only a shorter (still too wide) one: the tree
    shows the new name from its start, and no pass of layout is spent on it (the scrollbar stays)."""
    longer = "a_field_whose_name_is_far_wider_than_the_tree_pane_at_eighty_columns_wide"
    shorter = "another_field_with_a_name_wider_than_the_tree_pane_at_80"
    models = repo / "src/sentry/models/project.py"
    added = f"    {longer} = models.IntegerField(null=True)\n    {shorter} = models.IntegerField(null=True)\n"
    models.write_text(
        models.read_text().replace("    name = models.CharField", added + "    name = models.CharField", 1)
    )
    app = make_app(repo)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, f"project.{longer}")
        await pilot.press("enter")
        view = app.screen.view
        for _ in range(60):
            await pilot.press("shift+right")
        await settle(pilot)
        assert view.node.name == longer and view.scroll_offset.x == view.max_scroll_x > 0
        layouts = layouts_asked(view)
        app.screen.query_one("#filter").value = f"project.{shorter}"  # from one row too wide to another
        await settle(pilot)
        names = [app.schema.nodes[number].name for number in view.rows]
        assert view.node.name == shorter and longer not in names
        assert view.virtual_size.width > view.scrollable_content_region.width and True not in layouts
        assert view.scroll_offset.x <= view.max_scroll_x
        line = view.render_lines(Region(0, 0, view.size.width, view.size.height))[view.cursor].text
        assert line.strip().startswith(shorter[:20])


async def test_the_tree_keeps_its_width_and_the_screen_its_layout_as_the_filter_shows_fewer_rows(repo):
    """(At 120 columns no row is wider than the tree: at 80 the horizontal scrollbar comes and goes, a layout.)"""
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.screen.view
        await pilot.press("slash", "e")  # nearly every row: more than the tree's height
        await settle(pilot)
        width, many = view.scrollable_content_region.width, len(view.rows)
        assert many > view.size.height
        layouts = layouts_asked(view)
        await pilot.press("backspace")
        await type_text(pilot, "projb")
        await settle(pilot)
        assert len(view.rows) < view.size.height and view.node.name == "ProjectBookmark"
        assert view.scrollable_content_region.width == width and True not in layouts
        assert view.show_vertical_scrollbar


async def open_form_with_an_error(pilot) -> None:
    """add-field on sentry.Team with a NOT NULL column: the form shows its error under the expression."""
    await select(pilot, "sentry.Team")
    await pilot.press("a")
    await settle(pilot)
    await type_text(pilot, "rank")
    await pilot.press("tab")
    await type_text(pilot, "models.IntegerField()")
    await pilot.pause(0.5)
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 18), SMALL, SIZE], ids=["80x18", "80x24", "120x36"])
async def test_the_form_keeps_its_buttons_and_its_error_on_screen(repo, size):
    app = make_app(repo)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await open_form_with_an_error(pilot)
        screen = app.screen
        assert isinstance(screen, FormScreen)
        footer = screen.query_one(Footer).region
        above_footer = Region(0, 0, screen.size.width, footer.y)
        for widget in ("#plan", "#back", "#msg-expression", "#in-expression"):
            assert above_footer.contains_region(screen.query_one(widget).region), widget
        assert "NOT NULL column without db_default" in str(screen.query_one("#msg-expression").render())
        await pilot.click("#back")
        await settle(pilot)
        assert isinstance(app.screen, BrowserScreen)
        assert {"name": "rank", "expression": "models.IntegerField()"}.items() <= app.drafts["add_field"].items()


async def test_keys_typed_while_the_form_opens_reach_its_input(repo):
    app = make_app(repo)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.Team")
        burst(app, ["a", *"rank_2"])
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        assert app.screen.query_one("#in-name", Input).value == "rank_2"


async def test_picker_rows_never_wrap_and_show_a_detail_whole_or_not_at_all(repo):
    app = make_app(repo)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        await type_text(pilot, "proj")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        options = picker.query_one("#matches", OptionList)
        prompts = {option.id: option.prompt for option in options.options}
        assert all(prompt.cell_len <= options.scrollable_content_region.width for prompt in prompts.values())
        assert prompts["sentry.Project"].plain.rstrip().endswith("phase 1  sentry_project")
        assert prompts["uptime.ProjectUptimeSubscription"].plain.rstrip().endswith("phase 1")
        assert options.virtual_size.height == len(prompts)  # one line per target


@SIZES
async def test_plan_file_names_fit_their_list_and_are_shortened_only_when_narrow(repo, size):
    app = make_app(repo)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.Project.status")
        await pilot.press("d")
        await settle(pilot)
        files = app.screen.query_one("#plan-files", OptionList)
        labels = [option.prompt.plain for option in files.options]
        assert all(len(label) <= files.scrollable_content_region.width for label in labels)
        assert labels[1].startswith("+ 0008_pro") and "…" in labels[1] and labels[1].endswith("ending.py")
        lockfile = "~ migrations_lockfile.txt"
        assert labels[2] == lockfile if size == SIZE else "…" in labels[2] and labels[2].endswith("kfile.txt")


async def test_the_footer_is_the_last_line_of_the_browser_and_the_plan_at_80x24(repo):
    app = make_app(repo)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.Project.organization")
        for key, screen in (("", BrowserScreen), ("d", PlanScreen)):
            if key:
                await pilot.press(key)
                await settle(pilot)
            assert isinstance(app.screen, screen)
            assert app.screen.query_one(Footer).region == Region(0, SMALL[1] - 1, SMALL[0], 1)


async def test_a_wrapped_plan_step_continues_under_its_text(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.Project.organization")
        await pilot.press("d")
        await settle(pilot)
        steps = app.screen.query_one("#plan-steps Static")
        lines = [strip.text for strip in steps.render_lines(Region(0, 0, steps.size.width, steps.size.height))]
        [number] = [n for n, line in enumerate(lines) if line.startswith("▶ 2. Phase 1:")]
        assert lines[number + 1].startswith(" " * 5) and lines[number + 1].strip() == "SafeRemoveField(MOVE_TO_PENDING)"


@SIZES
async def test_a_dialog_is_centred_and_its_buttons_answer_clicks(repo, size):
    app = make_app(repo)
    answers = []
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for button, answer in (("#no", False), ("#yes", True)):
            question = f"Switch from the branch main to the new branch\n  {BRANCH}\nand commit there?"
            app.push_screen(ConfirmDialog(question), callback=answers.append)
            await settle(pilot)
            dialog = app.screen.query_one("#dialog").region
            assert centred(app.screen.region, dialog)
            assert app.screen.query_one("#question").content_region.width >= len(BRANCH) + 2  # on one line
            await pilot.click(button)
            await settle(pilot)
            assert answers[-1] is answer and isinstance(app.screen, BrowserScreen)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert centred(app.screen.region, app.screen.query_one("#dialog").region)
        await pilot.click("#close")
        await settle(pilot)
        assert isinstance(app.screen, BrowserScreen)


def luminance(colour: Color) -> float:
    """WCAG relative luminance."""
    channels = [c / 255 for c in colour.rgb]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: Color, other: Color) -> float:
    """WCAG contrast ratio of two colours."""
    bright, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (bright + 0.05) / (dark + 0.05)


async def test_warnings_badges_and_form_errors_are_readable_in_the_light_theme(repo):
    app = make_app(repo)
    async with app.run_test(size=SMALL) as pilot:
        app.theme = "textual-light"
        await settle(pilot)
        theme = app.current_theme
        for number in [*range(1, 7), *range(9, 15)]:  # red, green, yellow, blue, magenta, cyan and bright ones
            colour = Color(*app.ansi_theme.ansi_colors[number])
            for background in (theme.background, theme.surface):
                assert contrast(colour, Color.parse(background)) >= 4.5, (number, background)
        await open_form_with_an_error(pilot)
        message = app.screen.query_one("#msg-expression")
        [cell, *_] = [s for s in message.render_line(0) if s.text.strip()]  # the ✗ that starts the message
        assert cell.text.startswith("✗")
        assert contrast(Color.from_rich_color(cell.style.color), Color.from_rich_color(cell.style.bgcolor)) >= 4.5


async def test_screenshots_keep_their_spaces_for_librsvg(repo):
    app = make_app(repo)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert app.export_screenshot().startswith('<svg xml:space="preserve" ')
