"""A plan before it is written: a list of its files, the diff at full width (the steps and the code
to clean up first on demand), focus on the diff so the keys scroll it."""

from __future__ import annotations

import os
import shlex
import subprocess

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from migrate_assistant.errors import AssistantError
from migrate_assistant.plan import Plan

from .diff_view import diff_content, first_change
from .stack_screen import confirm_question, stackable, write_in_background

VERBS = {"create": "new file", "modify": "edit", "delete": "delete", "move": "rename"}
SIGNS = {"create": "+", "modify": "~", "delete": "−", "move": "→"}


class PlanScreen(Screen):
    BINDINGS = [
        Binding("a", "apply", "Apply", tooltip="Write the plan's files"),
        Binding("t", "toggle_steps", "Steps", tooltip="Steps, and the code still to update"),
        Binding("right_square_bracket", "file(1)", "Next file", tooltip="Next file"),
        Binding("left_square_bracket", "file(-1)", "Prev file", show=False, tooltip="Previous file"),
        Binding("s", "sql", "SQL", tooltip="The SQL of its new migrations"),
        Binding("y", "copy_command", "Copy CLI", tooltip="Copy its command line"),
        Binding("e", "edit", "Edit", tooltip="Open this file in $EDITOR"),
        Binding("b", "stack", "Stack", tooltip="Both phases as stacked branches"),
        Binding("escape", "app.pop_screen", "Back", tooltip="Back, nothing written"),
    ]

    def __init__(self, plan: Plan, command: str = ""):
        super().__init__()
        self.plan = plan
        self.command = command
        self.current_file = 0

    def compose(self) -> ComposeResult:
        yield Header()
        title = Text.assemble((self.plan.title, "bold"), ("   preview: nothing is written until you press a", "dim"))
        if self.plan.references:
            title.append(f"\n{len(self.plan.references)} code reference(s) to update first: t shows them", "yellow")
        yield Static(title, id="plan-title")
        yield VerticalScroll(Static(steps_and_warnings(self.plan)), id="plan-steps")
        with Horizontal(id="plan-body"):
            files = OptionList(id="plan-files")
            files.can_focus = False
            yield files
            with VerticalScroll(id="diffs"):
                for number, edit in enumerate(self.plan.edits):
                    moved = f"{edit.source} → " if edit.source else ""
                    yield Static(
                        Text(f"{VERBS[edit.kind]}: {moved}{edit.path}", style="bold"),
                        classes="file-title",
                        id=f"file-{number}",
                    )
                    yield Static(diff_content(edit.diff(), edit.path), classes="diff", expand=False)
        yield Footer(compact=True, show_command_palette=False)  # help (?/f1) lists ctrl+p

    def on_mount(self) -> None:
        self._label_files()
        self.query_one("#plan-steps").display = self.size.height >= 30 or self.app.size.height >= 30
        diffs = self.query_one("#diffs")
        diffs.focus()
        self.watch(diffs, "scroll_y", self._diff_scrolled, init=False)

    def on_resize(self) -> None:
        self.call_after_refresh(self._label_files)

    def _label_files(self) -> None:
        """The file list's names, shortened in the middle only when the list is too narrow for them."""
        files = self.query_one("#plan-files", OptionList)
        room = files.scrollable_content_region.width - 2 or FILE_LABEL  # 2: the sign and its space
        files.set_options(Option(_file_label(edit, room), id=str(n)) for n, edit in enumerate(self.plan.edits))
        if self.plan.edits:
            files.highlighted = self.current_file

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.jump(int(event.option.id))

    def jump(self, number: int) -> None:
        self.current_file = number
        self.query_one("#plan-files", OptionList).highlighted = number
        diffs = self.query_one("#diffs", VerticalScroll)
        diffs.scroll_to_widget(self.query_one(f"#file-{number}"), top=True, animate=False)
        diffs.focus()

    def _diff_scrolled(self, _y: float) -> None:
        """The current file (the list's highlight, e, ] and [) follows the diff as it scrolls."""
        number = self._file_on_top()
        if number is not None and number != self.current_file:
            self.current_file = number
            self.query_one("#plan-files", OptionList).highlighted = number

    def _file_on_top(self) -> int | None:
        """The file whose section is at the top of the visible diff. At the end of the diff, where a short last
        file never reaches the top: the current file while its title is in view (] and [ went there), else the
        last file whose title is in view."""
        if not self.plan.edits:
            return None
        diffs = self.query_one("#diffs", VerticalScroll)
        top = round(diffs.scroll_y)
        starts = [title.virtual_region_with_margin.y for title in diffs.query(".file-title")]  # one walk
        if top >= diffs.max_scroll_y > 0:
            bottom = top + diffs.scrollable_content_region.height
            in_view = [n for n, start in enumerate(starts) if top <= start < bottom]
            if self.current_file in in_view:
                return self.current_file
            if in_view:
                return in_view[-1]
        return max((n for n, start in enumerate(starts) if start <= top), default=0)

    def help_sections(self):
        from .help_screen import binding_rows, screen_help

        command = self.command
        stack = stackable(command)
        commands = {
            "apply": command,
            "toggle_steps": command and f"{command} --dry-run",
            "sql": command and f"{command} --dry-run --sql",
            "copy_command": command,
            "stack": stack and f"migrate-assistant {stack[0]} {shlex.join(stack[1])} --stack",
        }
        rows = binding_rows(self, commands)
        rows += [
            ("↑ ↓", "Scroll the diff", ""),
            ("PgUp PgDn", "A page up or down", ""),
            ("click", "A file in the list: jump to it", ""),
        ]
        return screen_help(f"Keys on the plan: {self.plan.title}", "Plan", rows)

    def action_file(self, delta: int) -> None:
        if self.plan.edits:
            self.jump((self.current_file + delta) % len(self.plan.edits))

    def action_toggle_steps(self) -> None:
        steps = self.query_one("#plan-steps")
        steps.display = not steps.display

    def action_copy_command(self) -> None:
        if not self.command:
            self.app.notify("This plan has no command-line equivalent", severity="warning")
            return
        self.app.copy_to_clipboard(self.command)
        self.app.notify(self.command, title="Copied the command line")

    def action_edit(self) -> None:
        """Open the current file in $EDITOR at its first change (the file as it is now, before the plan)."""
        edit = self.plan.edits[self.current_file] if self.plan.edits else None
        if edit is None or edit.before is None:
            self.app.notify("This file does not exist yet: it is written when you apply the plan", severity="warning")
            return
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if not editor:
            self.app.notify("Set $EDITOR to open files from here", severity="warning")
            return
        path = self.app.project.root / (edit.source or edit.path)
        argv = [*shlex.split(editor), f"+{first_change(edit.diff())}", str(path)]
        try:
            if self.app.is_headless:
                subprocess.run(argv, check=False)
            else:
                with self.app.suspend():
                    subprocess.run(argv, check=False)
        except OSError as error:
            self.app.report_error(f"cannot run {argv[0]}: {error.strerror}")

    def action_apply(self) -> None:
        from migrate_assistant.apply import apply_plan

        from .result_screen import ResultScreen

        try:
            apply_plan(self.app.project.root, self.plan)
        except AssistantError as error:
            self.app.report_error(str(error))
            return
        self.app.switch_screen(ResultScreen(self.plan))

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "stack":
            return stackable(self.command) is not None and not self.app.project.convention.drops_in_same_pr
        return True

    def action_stack(self) -> None:
        """Both phases as stacked branches (``--stack``), after a confirmation naming both branches."""
        from migrate_assistant.recipes.stack import stacked_removal

        from .dialogs import ConfirmDialog

        command, targets = stackable(self.command)
        phases = stacked_removal(command, targets, None, None)

        def answered(yes: bool | None) -> None:
            if yes:
                write_in_background(self.app, phases)

        question = confirm_question([phase.branch for phase in phases])
        self.app.push_screen(ConfirmDialog(question, "Write both", "Cancel"), answered)

    def action_sql(self) -> None:
        from migrate_assistant.sql_preview import preview_sql

        from .sql_screen import SqlScreen

        command = f"{self.command} --dry-run --sql" if self.command else ""
        self.app.push_screen(SqlScreen(lambda progress: preview_sql(self.app.project, self.plan, progress), command))


FILE_LABEL = 19  # characters of a file name the list shows before its width is known


def _file_label(edit, room: int) -> Text:
    """The file's name (the diff's title has the whole path), its middle left out if longer than ``room``."""
    name = edit.path.rsplit("/", 1)[-1]
    if len(name) > room:
        head = (room - 1) // 2
        name = name[:head] + "…" + name[-(room - 1 - head) :]
    return Text.assemble((SIGNS[edit.kind] + " ", "bold"), name)


def steps_and_warnings(plan: Plan) -> Group:
    """The recipe's steps, each wrapped under its own text (not under its number), then the warnings."""
    steps = Table.grid(padding=(0, 1))
    steps.add_column(no_wrap=True)
    steps.add_column()
    for number, step in enumerate(plan.steps):
        current = number == plan.current_step
        style = "bold" if current else "dim" if number < plan.current_step else ""
        steps.add_row(Text(f"{'▶' if current else ' '} {number + 1}.", style), Text(step, style))
    return Group(steps, warnings_text(plan))


def warnings_text(plan: Plan) -> Text:
    text = Text()
    if plan.references:
        text.append("\nCode that still uses it\n", style="bold underline yellow")
        for reference in plan.references:
            text.append(f"{reference.path}:{reference.line}", style="yellow")
            text.append(f"  {reference.text.strip()}\n")
    for warning in plan.warnings:
        if "code reference(s)" not in warning:
            text.append(f"\n⚠ {warning}\n", style="yellow")
    if not plan.references and not plan.warnings:
        text.append("\nNo code references left: nothing to clean up first.\n", style="green")
    return text
