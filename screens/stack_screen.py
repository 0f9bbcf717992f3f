"""Both phases of a removal as stacked branches, from the plan screen (what ``--stack`` does on the command
line): which removal a plan's command line stands for, and the screen that shows what was written."""

from __future__ import annotations

import shlex

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

REMOVALS = ("remove-field", "remove-model", "remove")


def stackable(command: str) -> tuple[str, list[str]] | None:
    """``(recipe command, targets)`` when ``command`` is a phase-1 removal (the TUI's own command line for it)."""
    argv = shlex.split(command) if command else []
    if len(argv) < 5 or argv[0] != "migrate-assistant" or argv[1] not in REMOVALS or argv[-2:] != ["--phase", "1"]:
        return None
    return argv[1], argv[2:-2]


def confirm_question(branches: list[str]) -> str:
    return (
        "Write both phases as stacked branches?\n\n"
        f"  {branches[0]}  phase 1, committed\n"
        f"  {branches[1]}  phase 2, committed on top of phase 1\n\n"
        f"Each gets a commit and a PR description; you are left on {branches[0]}."
    )


def write_in_background(app, phases) -> None:
    """Write the stack in an app worker (it runs git; the plan screen it replaces must not cancel it)."""

    def write() -> None:
        from migrate_assistant.errors import AssistantError
        from migrate_assistant.stacked_branches import write_stack

        try:
            with app.reading:
                written = write_stack(app.project, phases)
        except AssistantError as error:
            app.call_from_thread(app.report_error, str(error))
            return
        except Exception as error:  # noqa: BLE001 - the UI must survive anything the core raises
            app.call_from_thread(app.report_error, f"{type(error).__name__}: {error}")
            return
        app.call_from_thread(app.switch_screen, StackResultScreen(written))

    app.run_worker(write, thread=True, exclusive=True, group="stack", exit_on_error=False)


def stack_text(written) -> Text:
    """The branches and commits written, and the commands that push them and open the PRs."""
    text = Text()
    for phase in written:
        text.append(f"{phase.branch}", "bold")
        text.append(f"  {phase.commit}  {phase.plan.title}\n")
        for edit in phase.plan.edits:
            text.append(f"    {edit.outcome}\n", "dim")
        text.append(f"    PR description: {phase.description_path}\n", "dim")
    text.append(f"\nYou are on {written[0].branch}. Push both and open the PRs ", "bold")
    text.append("(merge phase 2 only after phase 1 has deployed):\n", "bold")
    text.append(f"  git push -u origin {' '.join(phase.branch for phase in written)}\n")
    for phase in written:
        title, body = shlex.quote(phase.plan.title), shlex.quote(str(phase.description_path))
        text.append(f"  gh pr create --base {phase.base} --head {phase.branch} --title {title} --body-file {body}\n")
    return text


class StackResultScreen(Screen):
    BINDINGS = [Binding("escape", "done", "Browser", tooltip="Back to the browser")]

    def __init__(self, written):
        super().__init__()
        self.written = written

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="result"):
            yield Static(Text("Done: both phases written as stacked branches", style="bold green"))
            yield Static(stack_text(self.written), id="stack")
        yield Footer(compact=True, show_command_palette=False)  # help (?/f1) lists ctrl+p

    def help_sections(self):
        from .help_screen import binding_rows, screen_help

        rows = [*binding_rows(self), ("↑ ↓", "Scroll", "")]
        return screen_help("Keys after writing both phases", "Written", rows, "The git commands are on the screen")

    def on_mount(self) -> None:
        self.app.action_reload()

    def action_done(self) -> None:
        self.app.back_to_browser()
