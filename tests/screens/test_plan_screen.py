"""The plan screen: a file list, the diff at full width with focus, changed words, the command line and $EDITOR."""

import os
import sys

from migrate_assistant.screens.diff_view import _changed_words, diff_content, first_change
from migrate_assistant.screens.plan_screen import PlanScreen

from .keys import SIZE, make_app, select, settle

DIFF = """\
--- a/m.py
+++ b/m.py
@@ -3,4 +3,4 @@
 class Project(Model):
-    status = models.IntegerField(default=0)
+    status = models.IntegerField(default=0, null=True)
     name = models.CharField()
-    slug = models.SlugField()
"""


def test_changed_words_are_marked_within_a_changed_line():
    spans = _changed_words(DIFF.splitlines())
    new = DIFF.splitlines()[5][1:]
    assert spans[4] == [] and [new[a:b] for a, b in spans[5]] == [", null=True"]
    assert 7 not in spans  # a removed line with no added partner is tinted as a whole
    content = diff_content(DIFF, "m.py")
    styles = {str(span.style) for span in content.spans}
    assert "on $success 45%" in styles and "on $error 15%" in styles
    assert first_change(DIFF) == 4


async def test_the_diff_has_focus_files_jump_and_commands(repo, tmp_path, monkeypatch):
    record = tmp_path / "editor-args"
    editor = tmp_path / "editor.py"
    editor.write_text(f"import sys\nopen({str(record)!r}, 'w').write(' '.join(sys.argv[1:]))\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.Project.status")
        await pilot.press("d")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        diffs = screen.query_one("#diffs")
        assert app.focused is diffs
        assert [str(option.prompt) for option in screen.query_one("#plan-files").options] == [
            "~ project.py",
            "+ 0008_project…s_pending.py",
            "~ migrations_lockfile.txt",
        ]
        await pilot.press("pagedown")
        assert diffs.scroll_y > 0
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert screen.current_file == 1 and screen.query_one("#plan-files").highlighted == 1
        assert screen.query_one("#file-1").virtual_region.y - diffs.scroll_y in (0, 1)  # at the top
        await pilot.press("right_square_bracket")
        await pilot.press("y")
        assert app.clipboard == "migrate-assistant remove-field sentry.Project.status --phase 1"
        await pilot.press("e")
        await settle(pilot)
        assert record.read_text() == f"+10 {os.fspath(repo / 'migrations_lockfile.txt')}"
        steps = screen.query_one("#plan-steps")
        shown = steps.display
        await pilot.press("t")
        assert steps.display is not shown
        await pilot.click("#plan-files", offset=(3, 0))
        await pilot.pause()
        assert screen.current_file == 0


async def test_the_current_file_follows_the_diff_as_it_scrolls(repo, tmp_path, monkeypatch):
    record = tmp_path / "editor-args"
    editor = tmp_path / "editor.py"
    editor.write_text(f"import sys\nopen({str(record)!r}, 'w').write(' '.join(sys.argv[1:]))\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.Project.status")
        await pilot.press("d")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        diffs, files = screen.query_one("#diffs"), screen.query_one("#plan-files")
        titles = [screen.query_one(f"#file-{n}").virtual_region_with_margin.y for n in range(3)]

        def on_top() -> int:
            if diffs.scroll_y >= diffs.max_scroll_y:  # the end: the last file, whose title is in view
                return 2
            return max(n for n, y in enumerate(titles) if y <= diffs.scroll_y)

        seen = []
        while diffs.scroll_y < diffs.max_scroll_y:
            await pilot.press("pagedown")
            await pilot.pause()
            seen.append(screen.current_file)
            assert screen.current_file == on_top() and files.highlighted == screen.current_file
        assert seen == sorted(seen) and 1 in seen and seen[-1] == 2, seen  # each file in turn, the lockfile at the end
        await pilot.press("e")
        await settle(pilot)
        assert record.read_text().endswith(os.fspath(repo / "migrations_lockfile.txt"))

        await pilot.press("home")
        await pilot.pause()
        assert screen.current_file == 0 and files.highlighted == 0
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        here = screen.current_file
        await pilot.press("right_square_bracket")  # the next file after the one on screen
        await pilot.pause()
        assert screen.current_file == (here + 1) % 3 and files.highlighted == screen.current_file
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert screen.current_file == here
