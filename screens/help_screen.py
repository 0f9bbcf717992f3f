"""``?``: every action by context, its key and the command line that does the same."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
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


def actions_help(current: str | None) -> Group:
    """One heading per context and its actions beneath, in columns aligned across the contexts; the command
    line wraps between words (never inside one) when the screen is narrow."""
    sections = []
    for kind, title in CONTEXTS:
        rows = [
            (key_label(a.key), a.title, CLI_FOR_MODEL.get(a.name, a.command) if kind == "model" else a.command)
            for a in NODE_ACTIONS
            if kind in a.where.split()
        ]
        sections.append((title + ("  ◀ selected" if kind == current else ""), rows))
    rows = [(key_label(a.key), a.title, a.command or "") for a in GLOBAL_ACTIONS]
    rows += [("ctrl+p", "Command palette", ""), ("q", "Quit", "")]
    sections.append(("Anywhere in the browser", rows))
    key_width = max(len(row[0]) for _, rows in sections for row in rows)
    title_width = max(len(row[1]) for _, rows in sections for row in rows)
    parts: list = [Text("Command lines start with migrate-assistant", style="dim")]
    for heading, rows in sections:
        table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=True)
        table.add_column(width=key_width, no_wrap=True)
        table.add_column(width=title_width, no_wrap=True)
        table.add_column(ratio=1)
        for key, title, command in rows:
            table.add_row(Text(key, style="bold"), title, Text(command, style="dim"))
        parts += [Text(f"\n{heading}", style="bold underline"), table]
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def __init__(self, current: str | None):
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="wide"):
            yield Static(Text("Keys by context", style="bold"))
            with VerticalScroll(id="help-body"):
                yield Static(actions_help(self.current))
            with Horizontal(id="answers"):
                yield Button("Close (Esc)", id="close", variant="primary")

    def on_button_pressed(self) -> None:
        self.dismiss()
