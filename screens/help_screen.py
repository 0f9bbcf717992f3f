"""``?`` (F1 also while typing in a box): the current screen's keys, what each does and the command line that
does the same; on the browser, every action by context. Esc closes it back to that screen."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.actions import parse
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Static

from .actions import CLI_FOR_MODEL, GLOBAL_ACTIONS, NODE_ACTIONS, key_label

Row = tuple[str, str, str]  # key, what it does, the command line that does the same ("" when none)
Section = tuple[str, list[Row]]

CONTEXTS = [
    ("field", "Field"),
    ("model", "Model"),
    ("pending", "Pending deletion"),
    ("migration", "Migration"),
    ("app", "App"),
]
ANYWHERE: Section = (
    "Anywhere",
    [
        ("?", "Help", ""),
        ("f1", "Help (in a box)", ""),
        ("ctrl+p", "Command palette", ""),
        ("ctrl+q", "Quit", ""),
    ],
)

UNDER_EACH = "Under each key: the command line that does the same"


def screen_help(title: str, heading: str, rows: list[Row], note: str = UNDER_EACH) -> tuple:
    """A screen's ``help_sections``: its keys under ``heading``, then the keys that work anywhere."""
    return title, [(heading, rows), ANYWHERE], note


def browser_sections(current: str | None, convention) -> list[Section]:
    """One section per node kind (``current``: the selected node's), then the browser's other keys; ``x`` as
    the convention has it (django-safemigrate shows the fix: fix-migration is refused there)."""
    sections = []
    for kind, title in CONTEXTS:
        rows = [
            (key_label(a.key), a.title, CLI_FOR_MODEL.get(a.name, a.command) if kind == "model" else a.command)
            if a.name != "fix"
            else (key_label(a.key), convention.fix_title, convention.fix_command)
            for a in NODE_ACTIONS
            if kind in a.where.split()
        ]
        sections.append((title + ("  ◀ selected" if kind == current else ""), rows))
    rows = [(key_label(a.key), a.title, a.command) for a in GLOBAL_ACTIONS] + [("q", "Quit", "")]
    return [*sections, ("Anywhere in the browser", rows), ANYWHERE]


def binding_rows(screen: Screen, commands: dict[str, str] | None = None) -> list[Row]:
    """The screen's own bindings that it can use now (in its footer or not): a binding's tooltip says what it
    does (else its description); ``commands`` maps an action to the command line that does the same."""
    rows = []
    for binding in Binding.make_bindings(type(screen).BINDINGS):
        _, name, parameters = parse(binding.action)
        if screen.check_action(name, parameters) is not False:
            key = key_label(binding.key)  # as the browser's keys are named ("Enter"), else as the footer does
            key = screen.app.get_key_display(binding) if key == binding.key else key
            rows.append((key, binding.tooltip or binding.description, (commands or {}).get(binding.action, "")))
    return rows


def keys_table(sections: list[Section], beside: bool = False) -> Group:
    """One heading per section and its keys beneath, in columns aligned across the sections. The command
    lines are in a third column (``beside``: the browser's short templates), else each on its own line
    under what the key does; they wrap between words (never inside one) when the screen is narrow."""
    key_width = max(len(row[0]) for _, rows in sections for row in rows)
    title_width = max(len(row[1]) for _, rows in sections for row in rows)
    parts: list = []
    for heading, rows in sections:
        table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=True)
        table.add_column(width=key_width, no_wrap=True)
        if beside:
            table.add_column(width=title_width, no_wrap=True)
        table.add_column(ratio=1)
        for key, title, command in rows:
            if beside:
                table.add_row(Text(key, style="bold"), title, Text(command, style="dim"))
            else:
                table.add_row(Text(key, style="bold"), title)
                if command:  # a word wider than the dialog (a long branch name) is folded, not cut off
                    table.add_row("", Text(f"$ {command}", style="dim", overflow="fold"))
        parts += [Text(f"\n{heading}", style="bold underline"), table]
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,f1,q", "dismiss", "Close")]

    def __init__(self, title: str, sections: list[Section], note: str = "", beside: bool = False):
        """``note``: a dim line under the title (how to read the command lines); ``beside``: see keys_table."""
        super().__init__()
        self.title_text = title
        self.sections = sections
        self.note = note
        self.beside = beside

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="wide"):
            yield Static(Text(self.title_text, style="bold"), id="help-title")
            with VerticalScroll(id="help-body"):
                yield Static(
                    Group(Text(self.note, style="dim"), keys_table(self.sections, self.beside)), id="help-keys"
                )
            with Horizontal(id="answers"):
                yield Button("Close (Esc)", id="close", variant="primary")

    def on_button_pressed(self) -> None:
        self.dismiss()
