"""Choose what a recipe works on: one filterable list, several items can be marked.

The picker opens at once, even while the repository is still being read: what is typed goes to
its filter from the first key (none is lost or taken for a shortcut), and an Enter typed before the
targets have arrived chooses as soon as they do.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from .fuzzy import FilterBox, FilterIndex, MatchList
from .schema_tree import fit_detail

SHOWN = 50


class FilterInput(FilterBox):
    """The filter box: targets never contain spaces, so space is left to mark items."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return key != "space" and super().check_consume_key(key, character)


class PickerScreen(Screen):
    """Type to filter (fuzzy), space marks, Enter chooses (the marked items, else the best match)."""

    AUTO_FOCUS = "#filter"
    BINDINGS = [
        Binding("escape", "cancel", "Back", tooltip="Back, nothing chosen"),
        Binding("space", "toggle_mark", "Mark", priority=True, tooltip="Mark or unmark the highlighted item"),
        Binding("enter", "choose", "Choose", priority=True, tooltip="Choose the marked or highlighted"),
        Binding("down", "move(1)", "Down", show=False, priority=True),
        Binding("up", "move(-1)", "Up", show=False, priority=True),
    ]

    def __init__(self, title: str, kinds: set[str], targets: list | None, several: bool = True):
        super().__init__()
        self.title_text = title
        self.kinds = kinds
        self.several = several
        self.targets: list = []
        self.by_label: dict = {}
        self.index = FilterIndex([], [])
        self.marked: list[str] = []
        self.matches: list = []
        self.label_width = 0
        self.row_width = 0  # columns of a row in the list: a target's detail is shown only where it fits whole
        self._early = ""  # keys that arrived before the filter existed
        self._choose_when_ready = False
        self._query = ""
        if targets is not None:
            self._take(targets)
        self.loaded = targets is not None

    def compose(self) -> ComposeResult:
        yield Header()
        how = "space marks several, " if self.several else ""
        yield Static(f"{self.title_text}: type to filter, {how}Enter chooses", id="picker-title")
        yield FilterInput(self._early, placeholder="e.g. app.Model.field or app.Model", id="filter")
        yield MatchList(id="matches")
        yield Static(id="picker-status")
        yield Footer(compact=True, show_command_palette=False)  # help (?/f1) lists ctrl+p

    def on_mount(self) -> None:
        # As the value changes, not on the Changed message: the box and the list change in the same frame.
        self.watch(self.query_one(FilterInput), "value", self._refresh, init=False)
        self.query_one(FilterInput).focus()
        self._refresh(self.query_one(FilterInput).value)

    def help_sections(self):
        from .help_screen import binding_rows, screen_help

        rows = [("letters", "Filter (fuzzy): app.Model.f", ""), ("↑ ↓", "Move", ""), *binding_rows(self)]
        return screen_help(f"Keys on the picker: {self.title_text}", "Picker", rows, "f1 here: ? types into the filter")

    def on_key(self, event: events.Key) -> None:
        """A key that reached the screen before its filter had focus still belongs to the filter."""
        if not (event.character and event.is_printable and event.key != "space"):
            return
        event.stop()
        event.prevent_default()
        boxes = self.query(FilterInput)
        if not boxes:
            self._early += event.character
            return
        boxes.first().focus()
        boxes.first().insert_text_at_cursor(event.character)

    def set_targets(self, targets: list) -> None:
        self._take(targets)
        self.loaded = True
        if self.is_mounted:
            self._refresh(self.query_one(FilterInput).value)
        if self._choose_when_ready:
            self._choose()

    def _take(self, targets: list) -> None:
        self.targets = targets
        self.by_label = {target.label: target for target in targets}
        self.index = FilterIndex([t.label for t in targets], [t.label.rsplit(".", 1)[-1] for t in targets])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss([self.by_label[event.option.id]])

    def _refresh(self, query: str) -> None:
        needle = self._query = query.strip()
        if needle:
            self.matches = [self.targets[number] for number in self.index.ranked(needle)]
        else:
            self.matches = list(self.targets)
        shown = self.matches[:SHOWN]
        self.label_width = min(max((len(t.label) for t in shown), default=0), 60)
        options = self.query_one("#matches", OptionList)
        self.row_width = options.scrollable_content_region.width or self.app.size.width - 8  # before the first layout
        if shown:  # replaced, not cleared first: the scrollbar would go and come back, a layout each time
            options.set_options(Option(self._prompt(target), id=target.label) for target in shown)
        else:
            options.clear_options()
        if self.matches:
            options.highlighted = 0
        self._show_status()

    def _prompt(self, target) -> Text:
        mark = "● " if target.label in self.marked else "  "
        style = {2: "bold yellow", 1: "cyan"}.get(target.phase)
        phase = (f"{self.app.project.convention.picker_phase(target.phase)}  ", style) if style else ("", "")
        label = target.label.ljust(self.label_width)
        detail = fit_detail(target.detail, self.row_width - len(mark) - len(label) - 2 - len(phase[0]))
        return Text.assemble(mark, (label, "bold"), "  ", phase, (detail, "dim"))

    def _show_status(self) -> None:
        if not self.loaded:
            self.query_one("#picker-status", Static).update("Reading the repository… (keep typing)")
            return
        shown = min(len(self.matches), SHOWN)
        text = f"{len(self.matches)} match{'es' if len(self.matches) != 1 else ''}"
        if shown < len(self.matches):
            text += f" (first {shown} shown)"
        if self.marked:
            text += f" · marked: {', '.join(self.marked)}"
        status = self.query_one("#picker-status", Static)
        status.update(text, layout=len(text) > status.content_region.width or status.size.height != 1)

    def action_move(self, delta: int) -> None:
        options = self.query_one("#matches", OptionList)
        options.action_cursor_down() if delta > 0 else options.action_cursor_up()

    def check_action(self, action: str, parameters: tuple) -> bool:
        return self.several or action != "toggle_mark"

    def action_toggle_mark(self) -> None:
        options = self.query_one("#matches", OptionList)
        if options.highlighted is None or not self.matches:
            return
        label = self.matches[options.highlighted].label
        if label in self.marked:
            self.marked.remove(label)
        else:
            self.marked.append(label)
        options.replace_option_prompt(label, self._prompt(self.by_label[label]))
        self._show_status()

    def action_choose(self) -> None:
        """Choose once the filter has taken every key typed before this Enter."""
        boxes = self.query(FilterInput)
        (boxes.first() if boxes else self).call_later(self._choose)

    def _choose(self) -> None:
        if not self.loaded:
            self._choose_when_ready = True
            return
        self._choose_when_ready = False
        typed = self.query_one(FilterInput).value.strip()
        if typed != self._query:
            self._refresh(typed)  # its Changed message may still be on its way
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
