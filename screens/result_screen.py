"""After writing: what was written, what comes next, and a git branch + commit if wanted."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from migrate_assistant.errors import AssistantError
from migrate_assistant.plan import Plan

from .dialogs import ConfirmDialog


class ResultScreen(Screen):
    BINDINGS = [
        Binding("c", "commit", "Branch + commit"),
        Binding("escape", "done", "Dashboard"),
    ]

    def __init__(self, plan: Plan):
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="result"):
            yield Static(Text(f"Done: {self.plan.title}", style="bold green"))
            yield Static(written_text(self.plan), id="written")
            yield Static(next_text(self.plan), id="next")
            yield Static(
                f"Press c to create the branch {self.plan.branch_name} and commit exactly these files "
                "(you will be asked first), or Esc to return to the dashboard.",
                id="commit-hint",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.app.action_reload()

    def action_done(self) -> None:
        self.app.pop_screen()

    def action_commit(self) -> None:
        files = len(self.plan.edits)
        question = f"Create the branch {self.plan.branch_name} and commit the {files} file(s) of this plan?"
        self.app.push_screen(ConfirmDialog(question), self._confirmed)

    def _confirmed(self, yes: bool | None) -> None:
        if yes:
            self.commit()

    @work(thread=True, exclusive=True, group="git", exit_on_error=False)
    def commit(self) -> None:
        from migrate_assistant.git_state import commit_plan

        paths = {edit.path: edit.before for edit in self.plan.edits}
        try:
            sha = commit_plan(self.app.project.root, paths, self.plan.branch_name, self.plan.commit_message)
        except AssistantError as error:
            self.app.call_from_thread(self.app.report_error, str(error))
            return
        message = f"Committed {sha} on the new branch {self.plan.branch_name}"
        self.app.call_from_thread(self.app.notify, message, title="git")
        self.app.call_from_thread(self.query_one("#commit-hint", Static).update, Text(message, style="green"))


def written_text(plan: Plan) -> Text:
    text = Text()
    text.append("\nWritten\n", style="bold underline")
    for edit in plan.edits:
        verb, _, rest = edit.outcome.partition(" ")
        text.append(f"  {verb:>8}  {rest}\n")
    return text


def next_text(plan: Plan) -> Text:
    text = Text()
    text.append("\nWhat comes next\n", style="bold underline")
    for step in plan.next_steps:
        text.append(f"  • {step}\n")
    return text
