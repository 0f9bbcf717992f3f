"""Small modal dialogs, centred, with buttons that can be clicked."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, LoadingIndicator, Static


class ConfirmDialog(ModalScreen[bool]):
    """Ask a yes/no question; y answers yes, n or Esc answer no."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No"):
        super().__init__()
        self.question = question
        self.labels = (yes, no)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.question, id="question")
            with Horizontal(id="answers"):
                yield Button(f"{self.labels[0]} (y)", id="yes", variant="primary")
                yield Button(f"{self.labels[1]} (n)", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class PlanningDialog(ModalScreen[None]):
    """Shown when planning takes more than a moment; Esc cancels (the result is thrown away)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, cancel):
        super().__init__()
        self.cancel = cancel

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="small"):
            yield Static("Planning…  nothing is written until you have seen the diff", id="question")
            yield LoadingIndicator()
            with Horizontal(id="answers"):
                yield Button("Cancel (Esc)", id="cancel")

    def on_button_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        self.cancel()
        self.dismiss(None)
