"""The schema tree as a virtual list: only the rows on screen are rendered, so filtering thousands
of nodes per keystroke costs one pass over precomputed keys and a repaint of the visible rows.
A name wider than the pane is never cut: the tree scrolls sideways (shift+←/→, or the scrollbar)."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.events import Click
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from .fuzzy import FilterIndex, positions
from .schema_tree import APP, MIGRATIONS, PENDING, SchemaTree, fit_detail

MARKABLE = {"model", "field", "pending"}


class SchemaView(ScrollView, can_focus=True):
    """Apps → models → fields and migrations; ←/→ collapse and expand, space marks."""

    COMPONENT_CLASSES = {
        "schema-view--cursor",
        "schema-view--match",
        "schema-view--muted",
        "schema-view--warning",
        "schema-view--error",
        "schema-view--mark",
    }
    DEFAULT_CSS = """
    SchemaView { overflow-x: auto; overflow-y: scroll; }  /* see _resize_virtual */
    SchemaView > .schema-view--cursor { background: $block-cursor-blurred-background; }
    SchemaView:focus > .schema-view--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
    SchemaView > .schema-view--match { color: $text-accent; text-style: bold underline; }
    SchemaView > .schema-view--muted { color: $text-muted; }
    SchemaView > .schema-view--warning { color: $text-warning; }
    SchemaView > .schema-view--error { color: $text-error; text-style: bold; }
    SchemaView > .schema-view--mark { color: $text-success; text-style: bold; }
    """
    BINDINGS = [
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("k", "move(-1)", show=False),
        Binding("j", "move(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(-1)", show=False),
        Binding("left", "collapse", show=False),
        Binding("right", "expand", show=False),
        Binding("h", "collapse", show=False),
        Binding("l", "expand", show=False),
        Binding("shift+left", "scroll_left", show=False),
        Binding("shift+right", "scroll_right", show=False),
    ]

    class Highlighted(Message):
        def __init__(self, view: SchemaView, number: int | None):
            super().__init__()
            self.view = view
            self.number = number

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.schema = SchemaTree([])
        self.index = FilterIndex([], [])
        self.expanded: set[int] = set()
        self.opened: set[int] = set()  # expanded by hand while a filter is on
        self.marked: list[int] = []
        self.rows: list[int] = []
        self.filter_text = ""
        self.cursor = 0
        self._shown: set[int] = set()
        self._row_set: set[int] = set()
        self._styles: dict[str, Style] = {}
        self._widths: list[int] = []  # each node's indent, marker, mark and name: what is never cut
        self._kept: tuple | None = None  # expanded keys, marked keys and the cursor's key of the last tree shown

    # Data ----------------------------------------------------------------------

    def set_tree(self, tree: SchemaTree) -> None:
        """Show a new tree, keeping the expanded nodes, the marks and the cursor's node where they still exist
        (across an empty tree too: a failed load loses no place)."""
        if self.schema.nodes:
            self._kept = (
                {self.schema.nodes[n].key for n in self.expanded},
                [self.schema.nodes[n].key for n in self.marked],
                self.node.key if self.node else None,
            )
        # an empty tree (a failed load) keeps the previous state for the next good tree
        old_keys, marked, current = self._kept or (None, [], None)
        self.schema = tree
        self.index = FilterIndex([n.key for n in tree.nodes], [n.name for n in tree.nodes])
        self._widths = [2 * node.depth + 4 + len(node.name) for node in tree.nodes]
        keys = {node.key: number for number, node in enumerate(tree.nodes)}
        if old_keys is not None:
            self.expanded = {keys[key] for key in old_keys if key in keys}
        else:
            self.expanded = {number for number, node in enumerate(tree.nodes) if node.kind == APP}
        self.marked = [keys[key] for key in marked if key in keys]
        self.opened = set()
        self.apply_filter(self.filter_text, keep=keys.get(current))

    @property
    def node(self):
        if not self.rows:
            return None
        return self.schema.nodes[self.rows[self.cursor]]

    @property
    def marked_nodes(self) -> list:
        return [self.schema.nodes[number] for number in self.marked]

    def apply_filter(self, query: str, keep: int | None = None) -> None:
        """Rows for ``query``: matches, their ancestors, and (when a parent matches too) only the
        children whose own name matches. The cursor goes to the best match; without a query it stays
        on its node (or the nearest shown ancestor)."""
        current = self.rows[self.cursor] if self.rows and self.cursor < len(self.rows) else None
        self.filter_text = query = query.strip()
        nodes = self.schema.nodes
        best = None
        if query:
            keys, names = self.index.matching(query)
            shown = {n for n in keys if nodes[n].parent not in keys or n in names}
            for number in list(shown):
                parent = nodes[number].parent
                while parent is not None and parent not in shown:
                    shown.add(parent)
                    parent = nodes[parent].parent
            self._shown = shown
            self.rows = [n for n in range(len(nodes)) if n in shown or nodes[n].parent in self.opened]
            best = next(iter(self.index.ranked(query)), None)
        else:
            self._shown = set()
            if current is not None and current < len(nodes):
                self._expand_to(current)
            self.rows = [n for n, node in enumerate(nodes) if self._open_path(node)]
        self._row_set = set(self.rows)
        target = keep if keep is not None else best if best is not None else current
        while target is not None and target < len(nodes) and target not in self._row_set:
            target = nodes[target].parent
        self.cursor = self.rows.index(target) if target in self._row_set else 0
        self._resize_virtual()
        self._scroll_to_cursor(animate=False)
        self.refresh()
        self.post_message(self.Highlighted(self, self.rows[self.cursor] if self.rows else None))

    def _expand_to(self, number: int) -> None:
        parent = self.schema.nodes[number].parent
        while parent is not None:
            self.expanded.add(parent)
            parent = self.schema.nodes[parent].parent

    def _open_path(self, node) -> bool:
        parent = node.parent
        while parent is not None:
            if parent not in self.expanded:
                return False
            parent = self.schema.nodes[parent].parent
        return True

    def select(self, key: str) -> bool:
        """Put the cursor on the node with this key, expanding its parents."""
        number = self.schema.find(key)
        if number is None:
            return False
        parent = self.schema.nodes[number].parent
        while parent is not None:
            self.expanded.add(parent)
            self.opened.add(parent)
            parent = self.schema.nodes[parent].parent
        self.apply_filter(self.filter_text, keep=number)
        return True

    # Actions -------------------------------------------------------------------

    def action_move(self, delta: int) -> None:
        if self.rows:
            self._set_cursor(max(0, min(len(self.rows) - 1, self.cursor + delta)))

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(self.size.height - 1, 1))

    def action_jump(self, row: int) -> None:
        if self.rows:
            self._set_cursor(row % len(self.rows))

    def action_expand(self) -> None:
        node = self.node
        if node is None or not node.children:
            return
        number = self.rows[self.cursor]
        if self._is_open(number):
            self.action_move(1)
            return
        self.expanded.add(number)
        self.opened.add(number)
        self.apply_filter(self.filter_text, keep=number)

    def action_collapse(self) -> None:
        node = self.node
        if node is None:
            return
        number = self.rows[self.cursor]
        if node.children and self._is_open(number):
            self.expanded.discard(number)
            self.opened.discard(number)
            if self.filter_text:
                self._shown -= set(self._subtree(number))
            self.rows = [n for n in self.rows if n == number or not self._below(n, number)]
            self._row_set = set(self.rows)
            self._resize_virtual()
            self._set_cursor(self.rows.index(number))
        elif node.parent is not None and node.parent in self.rows:
            self._set_cursor(self.rows.index(node.parent))

    def toggle(self) -> None:
        number = self.rows[self.cursor] if self.rows else None
        if number is None:
            return
        if self._is_open(number):
            self.action_collapse()
        else:
            self.action_expand()

    def toggle_mark(self) -> bool:
        node = self.node
        if node is None or node.kind not in MARKABLE:
            return False
        number = self.rows[self.cursor]
        if number in self.marked:
            self.marked.remove(number)
        else:
            self.marked.append(number)
        self.refresh()
        return True

    def _is_open(self, number: int) -> bool:
        children = self.schema.nodes[number].children
        if len(self._row_set) != len(self.rows):
            self._row_set = set(self.rows)
        return any(child in self._row_set for child in children)

    def _below(self, number: int, ancestor: int) -> bool:
        parent = self.schema.nodes[number].parent
        while parent is not None:
            if parent == ancestor:
                return True
            parent = self.schema.nodes[parent].parent
        return False

    def _subtree(self, number: int):
        for child in self.schema.nodes[number].children:
            yield child
            yield from self._subtree(child)

    def _set_cursor(self, row: int) -> None:
        if row != self.cursor:
            self.refresh_line(self.cursor - round(self.scroll_offset.y))
        self.cursor = row
        self.refresh_line(row - round(self.scroll_offset.y))
        self._scroll_to_cursor()
        self.post_message(self.Highlighted(self, self.rows[row]))

    def refresh_line(self, y: int) -> None:
        self.refresh(Region(0, y, self.size.width, 1))

    def _scroll_to_cursor(self, animate: bool = False) -> None:
        self.scroll_to_region(Region(0, self.cursor, 1, 1), animate=animate, force=True, immediate=True)

    def on_click(self, event: Click) -> None:
        row = event.y + round(self.scroll_offset.y)
        if 0 <= row < len(self.rows):
            self.focus()
            if row == self.cursor and event.chain > 1:
                self.toggle()
            else:
                self._set_cursor(row)

    def on_resize(self) -> None:
        self._resize_virtual()

    def _resize_virtual(self) -> None:
        """A new virtual size costs a layout pass only when the horizontal scrollbar appears or disappears (the
        vertical one is always there: the rows keep their width as the filter shows more or fewer of them)."""
        widest = max((self._widths[number] for number in self.rows), default=0)
        width = self.scrollable_content_region.width
        size = Size(max(width, widest), len(self.rows))
        old = self.virtual_size
        if size == old:
            return
        if (size.width > width) == (old.width > width):
            self.set_reactive(SchemaView.virtual_size, size)
            self._scroll_update(size)
            if self.scroll_x > self.max_scroll_x:  # narrower rows: not scrolled past their end
                self.scroll_to(x=self.max_scroll_x, animate=False, immediate=True)
            self.refresh()
        else:
            self.virtual_size = size

    # Rendering -----------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        """Component styles are looked up once per repaint, not once per row."""
        self._styles = {name: self.get_component_rich_style(name) for name in self.COMPONENT_CLASSES}
        self._styles["base"] = self.rich_style
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        row = y + round(self.scroll_offset.y)
        width = self.scrollable_content_region.width
        base = self._styles["base"]
        if row >= len(self.rows):
            return Strip([Segment(" " * width, base)], width)
        text = self._row_text(self.rows[row], width)
        full = max(width, self.virtual_size.width)
        text.truncate(full, overflow="ellipsis", pad=True)  # names fit: only a detail could be cut
        if row == self.cursor:
            text.stylize(self._styles["schema-view--cursor"])
        x = round(self.scroll_offset.x)
        return Strip(Segment.apply_style(text.render(self.app.console), base), full).crop(x, x + width)

    def _row_text(self, number: int, width: int) -> Text:
        """Marker, name, badges and as much of the detail as fits in ``width`` in whole parts: a table
        name or a field's target is shown whole or not at all (the details pane has everything)."""
        node = self.schema.nodes[number]
        style = self._styles.__getitem__
        if node.children:
            marker = "▾ " if self._is_open(number) else "▸ "
        else:
            marker = "  "
        mark = ("● ", style("schema-view--mark")) if number in self.marked else ""
        name = Text(node.name, style="bold" if node.kind in (APP, "model") else "")
        if node.kind == MIGRATIONS:
            name.stylize(style("schema-view--muted"))
        if self.filter_text and number in self._shown:
            offset = len(node.key) - len(node.name)
            match = style("schema-view--match")
            for at in positions(node.key, self.filter_text):
                if at >= offset:
                    name.stylize(match, at - offset, at - offset + 1)
        text = Text.assemble("  " * node.depth, marker, mark, name)
        # A pending deletion's stage matters more than its long "moved by" detail; it keeps the parts that fit
        # whole (``phase 1 deployed · 17 d`` → ``phase 1 deployed``), else goes: the details pane has it all.
        badges = self._badges(node.badges, width - text.cell_len if node.kind == PENDING else None)
        if node.kind == PENDING:
            text.append_text(badges)
        detail = fit_detail(node.detail, width - text.cell_len - (0 if node.kind == PENDING else badges.cell_len) - 2)
        if detail:
            text.append("  ")
            text.append(detail, style("schema-view--muted"))
        if node.kind != PENDING:
            text.append_text(badges)
        return text

    def _badges(self, badges: list, room: int | None = None) -> Text:
        """``  [badge]`` each; with ``room``, only the `` · ``-separated parts of each that fit whole in it."""
        text = Text()
        for badge in badges:
            shown = badge.text if room is None else fit_detail(badge.text, room - text.cell_len - 4)
            if shown:
                text.append("  ")
                text.append(f"[{shown}]", self._styles.get(f"schema-view--{badge.tone}") or Style())
        return text
