"""After writing: what was written, what comes next, and a git branch + commit if wanted."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from migrate_assistant.errors import AssistantError
from migrate_assistant.plan import Plan

from .dialogs import ConfirmDialog


class ResultScreen(Screen):
    BINDINGS = [
        Binding("c", "commit", "Branch + commit", tooltip="New branch, commit the plan's files"),
        Binding("escape", "done", "Browser", tooltip="Back to the browser"),
    ]

    def __init__(self, plan: Plan):
        super().__init__()
        self.plan = plan
        self.committed = False
        self.committing = False

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="result"):
            yield Static(Content.styled(f"Done: {self.plan.title}", "bold $text-success"))
            yield Static(written_text(self.plan), id="written")
            yield Static(next_text(self.plan), id="next")
            yield Static(id="commit-hint")
        yield Footer(compact=True, show_command_palette=False)  # help (?/f1) lists ctrl+p

    def on_mount(self) -> None:
        self.app.forget_drafts(self.app.screen_stack)  # the form this plan came from opens empty next time
        self.app.action_reload()
        self._show_hint()

    def help_sections(self):
        from .help_screen import binding_rows, screen_help

        files = len(self.plan.edits)
        commit = f"git switch -c <the branch the screen names> && git add <its {files} files> && git commit"
        rows = [*binding_rows(self, {"commit": commit}), ("↑ ↓", "Scroll", "")]
        return screen_help("Keys after writing", "Written", rows)

    def why_no_commit(self) -> str | None:
        """Why ``c`` cannot work now, or ``None`` when it can."""
        from .watch import git_info

        if self.committed:
            return "Committed."
        if self.committing:
            return "Committing…"
        info = git_info(self.app.project.root)
        if info is None:
            return "Not a git repository: nothing to commit with."
        if info.in_progress:
            return f"A {info.in_progress.removesuffix(' in progress')} is in progress: finish it with git, then commit."
        return None

    def _show_hint(self) -> None:
        reason = self.why_no_commit()
        if reason is None:
            text = Text.assemble(
                "Press c to create the branch\n  ",
                (self.plan.branch_name, "bold"),
                "\nand commit exactly these files (you will be asked first), or Esc to return to the browser.",
            )
        else:
            text = Text(reason + " Esc returns to the browser.")
        self.query_one("#commit-hint", Static).update(text)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple) -> bool:
        return action != "commit" or self.why_no_commit() is None

    def action_done(self) -> None:
        self.app.back_to_browser()

    def action_commit(self) -> None:
        from .watch import git_info

        info = git_info(self.app.project.root)
        here = f"the branch {info.branch}" if info and info.branch else "a detached HEAD"
        files = len(self.plan.edits)
        question = Text.assemble(
            f"Switch from {here} to the new branch\n\n  ",
            (self.plan.branch_name, "bold"),
            f"\n\nand commit the {files} file(s) of this plan there?",
        )
        self.app.push_screen(ConfirmDialog(question, "Branch + commit", "Not now"), self._confirmed)

    def _confirmed(self, yes: bool | None) -> None:
        if yes and self.why_no_commit() is None:
            self.committing = True
            self.refresh_bindings()
            self.commit()

    @work(thread=True, exclusive=True, group="git", exit_on_error=False)
    def commit(self) -> None:
        from migrate_assistant.git_state import commit_plan

        paths = {edit.path: edit.before for edit in self.plan.edits}
        try:
            sha = commit_plan(self.app.project.root, paths, self.plan.branch_name, self.plan.commit_message)
        except AssistantError as error:
            self.app.call_from_thread(self._commit_failed, str(error))
            return
        message = f"Committed {sha} on the new branch {self.plan.branch_name}"
        self.app.call_from_thread(self._committed, message)

    def _committed(self, message: str) -> None:
        self.committing, self.committed = False, True
        self.app.notify(message, title="git")
        self.query_one("#commit-hint", Static).update(Content.styled(message, "$text-success"))
        self.refresh_bindings()

    def _commit_failed(self, message: str) -> None:
        self.committing = False
        self.app.report_error(message)
        self._show_hint()


def written_text(plan: Plan) -> Text:
    text = Text()
    text.append("\nWritten", style="bold underline")
    for edit in plan.edits:
        verb, _, rest = edit.outcome.partition(" ")
        text.append(f"\n  {verb:>8}  {rest}")
    return text


def next_text(plan: Plan) -> Text:
    text = Text()
    text.append("\nWhat comes next", style="bold underline")
    for step in plan.next_steps:
        text.append(f"\n  • {step}")
    return text
