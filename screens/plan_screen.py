"""A plan before it is written: the recipe's steps, the code to clean up first, every diff."""

from __future__ import annotations

from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from migrate_assistant.errors import AssistantError
from migrate_assistant.plan import Plan

VERBS = {"create": "new file", "modify": "edit", "delete": "delete", "move": "rename"}


class PlanScreen(Screen):
    BINDINGS = [
        Binding("a", "apply", "Apply"),
        Binding("s", "sql", "SQL preview"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, plan: Plan):
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            Text.assemble((self.plan.title, "bold"), ("   preview: nothing is written until you press a", "dim")),
            id="plan-title",
        )
        with Horizontal(id="plan-body"):
            with VerticalScroll(id="plan-side"):
                yield Static("Steps", classes="heading")
                for number, step in enumerate(self.plan.steps):
                    state = (
                        "current"
                        if number == self.plan.current_step
                        else "done"
                        if number < self.plan.current_step
                        else ""
                    )
                    marker = "▶" if state == "current" else " "
                    with Horizontal(classes=f"step {state}"):
                        yield Static(f"{marker} {number + 1}.", classes="step-number")
                        yield Static(step, classes="step-text")
                yield Static(warnings_text(self.plan), id="warnings")
            with VerticalScroll(id="diffs"):
                for edit in self.plan.edits:
                    moved = f"{edit.source} → " if edit.source else ""
                    yield Static(Text(f"{VERBS[edit.kind]}: {moved}{edit.path}", style="bold"), classes="file-title")
                    yield diff_view(edit.diff())
        yield Footer()

    def action_apply(self) -> None:
        from migrate_assistant.apply import apply_plan

        from .result_screen import ResultScreen

        try:
            apply_plan(self.app.project.root, self.plan)
        except AssistantError as error:
            self.app.report_error(str(error))
            return
        self.app.switch_screen(ResultScreen(self.plan))

    def action_sql(self) -> None:
        from migrate_assistant.sql_preview import preview_sql

        from .sql_screen import SqlScreen

        self.app.push_screen(SqlScreen(lambda progress: preview_sql(self.app.project, self.plan, progress)))


def diff_view(diff: str) -> Static:
    """A highlighted diff as wide as its longest line (the panel scrolls sideways)."""
    width = max((len(line) for line in diff.splitlines()), default=1)
    view = Static(Syntax(diff, "diff", theme="ansi_dark", background_color="default", code_width=width))
    view.styles.width = width
    return view


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
