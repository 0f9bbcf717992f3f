"""``?``: every action by context, its key and the command line that does the same."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from .actions import CLI_FOR_MODEL, GLOBAL_ACTIONS, NODE_ACTIONS, key_label

CONTEXTS = [
    ("field", "Field"),
    ("model", "Model"),
    ("pending", "Pending deletion"),
    ("migration", "Migration"),
    ("app", "App"),
]


def actions_table(current: str | None) -> Table:
    table = Table(box=None, show_header=True, header_style="bold", padding=(0, 2, 0, 0), expand=True)
    table.add_column("Key", no_wrap=True)
    table.add_column("Action", no_wrap=True)
    table.add_column("Command line (migrate-assistant …)", overflow="fold")
    for kind, title in CONTEXTS:
        marker = "  ◀ selected" if kind == current else ""
        table.add_row(Text(f"{title}{marker}", style="bold underline"), "", "")
        for action in NODE_ACTIONS:
            if kind in action.where.split():
                command = CLI_FOR_MODEL.get(action.name, action.command) if kind == "model" else action.command
                table.add_row(Text(key_label(action.key), style="bold"), action.title, Text(command, style="dim"))
    table.add_row(Text("Anywhere in the browser", style="bold underline"), "", "")
    for action in GLOBAL_ACTIONS:
        table.add_row(Text(key_label(action.key), style="bold"), action.title, Text(action.command or "", style="dim"))
    table.add_row(Text("ctrl+p", style="bold"), "Command palette: every action", "")
    table.add_row(Text("q", style="bold"), "Quit", "")
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def __init__(self, current: str | None):
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="wide"):
            yield Static(Text("Keys by context", style="bold"))
            with VerticalScroll(id="help-body"):
                yield Static(actions_table(self.current))
            yield Button("Close", id="close", variant="primary")

    def on_button_pressed(self) -> None:
        self.dismiss()
