"""Choose what a recipe works on: one filterable list, several items can be marked."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

SHOWN = 200


class FilterInput(Input):
    """The filter box: targets never contain spaces, so space is left to mark items."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return key != "space" and super().check_consume_key(key, character)


class PickerScreen(Screen):
    """Type to filter, space marks, Enter chooses (the marked items, else the highlighted one)."""

    BINDINGS = [
        Binding("escape", "cancel", "Back"),
        Binding("space", "toggle_mark", "Mark", priority=True),
        Binding("enter", "choose", "Choose", priority=True),
        Binding("down", "move(1)", "Down", show=False, priority=True),
        Binding("up", "move(-1)", "Up", show=False, priority=True),
    ]

    def __init__(self, title: str, targets: list, several: bool = True):
        super().__init__()
        self.several = several
        self.title_text = title
        self.targets = targets
        self.by_label = {target.label: target for target in targets}
        self.marked: list[str] = []
        self.matches: list = []
        self.label_width = 0

    def compose(self) -> ComposeResult:
        yield Header()
        how = "space to mark several, " if self.several else ""
        yield Static(f"{self.title_text}: type to filter, {how}Enter to choose", id="picker-title")
        yield FilterInput(placeholder="e.g. sentry.Project.status", id="filter")
        yield OptionList(id="matches")
        yield Static(id="picker-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._refresh("")

    def on_input_changed(self, event: Input.Changed) -> None:
        self._refresh(event.value)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss([self.by_label[event.option.id]])

    def _refresh(self, query: str) -> None:
        needle = query.strip().lower()
        self.matches = sorted(
            (t for t in self.targets if needle in t.label.lower()),
            key=lambda t: (t.label.lower() != needle, not t.label.lower().startswith(needle), t.label.lower()),
        )
        shown = self.matches[:SHOWN]
        self.label_width = min(max((len(t.label) for t in shown), default=0), 60)
        options = self.query_one("#matches", OptionList)
        options.clear_options()
        options.add_options(Option(self._prompt(target), id=target.label) for target in shown)
        if self.matches:
            options.highlighted = 0
        self._show_status()

    def _prompt(self, target) -> Text:
        mark = "● " if target.label in self.marked else "  "
        phase = {2: ("phase 2 due  ", "bold yellow"), 1: ("phase 1      ", "cyan")}.get(target.phase, ("", ""))
        label = target.label.ljust(self.label_width)
        return Text.assemble(mark, (label, "bold"), "  ", phase, (target.detail, "dim"))

    def _show_status(self) -> None:
        shown = min(len(self.matches), SHOWN)
        text = f"{len(self.matches)} match{'es' if len(self.matches) != 1 else ''}"
        if shown < len(self.matches):
            text += f" (first {shown} shown)"
        if self.marked:
            text += f" · marked: {', '.join(self.marked)}"
        self.query_one("#picker-status", Static).update(text)

    def action_move(self, delta: int) -> None:
        options = self.query_one("#matches", OptionList)
        options.action_cursor_down() if delta > 0 else options.action_cursor_up()

    def check_action(self, action: str, parameters: tuple) -> bool:
        return self.several or action != "toggle_mark"

    def action_toggle_mark(self) -> None:
        options = self.query_one("#matches", OptionList)
        if options.highlighted is None:
            return
        label = self.matches[options.highlighted].label
        if label in self.marked:
            self.marked.remove(label)
        else:
            self.marked.append(label)
        options.replace_option_prompt(label, self._prompt(self.by_label[label]))
        self._show_status()

    def action_choose(self) -> None:
        typed = self.query_one(Input).value.strip()
        options = self.query_one("#matches", OptionList)
        if self.marked:
            self.dismiss([self.by_label[label] for label in self.marked])
        elif typed in self.by_label:
            self.dismiss([self.by_label[typed]])
        elif options.highlighted is not None and self.matches:
            self.dismiss([self.matches[options.highlighted]])
        else:
            self.app.bell()

    def action_cancel(self) -> None:
        self.dismiss(None)
