"""The main screen: the schema tree, filtered as you type, the selected node's details beside it,
and the selected node's actions in the footer."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from migrate_assistant.conventions import CONVENTIONS

from .actions import GLOBAL_ACTIONS, NODE_ACTIONS, applies
from .fuzzy import FilterBox
from .schema_tree import FIELD, MIGRATION, MODEL, PENDING, SchemaTree, removable
from .schema_view import SchemaView

DETAILS_DELAY = 0.1  # seconds the cursor rests on a node before its details are read
TYPING_DELAY = 0.3  # the same while the filter is typed in: no details or footer churn between keys
COUNTS_DELAY = 0.15  # seconds after the last keystroke before the filter's counts are shown


def _bindings() -> list[Binding]:
    bindings = [Binding("enter", "toggle", "Expand", show=False)]
    bindings += [
        Binding(a.key, a.name, a.title, show=a.name != "mark", tooltip=a.help) for a in NODE_ACTIONS if a.name != "fix"
    ]
    # x is named as the repository's convention has it (django-safemigrate shows the fix): one binding per name
    titles = dict.fromkeys(convention.fix_title for convention in CONVENTIONS.values())
    bindings += [Binding("x", f"fix({title!r})", title) for title in titles]
    shown = {"filter", "fix_lockfile"}
    bindings += [Binding(a.key, a.name, a.title, show=a.name in shown, tooltip=a.help) for a in GLOBAL_ACTIONS]
    bindings += [
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("q", "app.quit", "Quit", show=False),
    ]
    return bindings


class FilterInput(FilterBox):
    """Enter and ↓ go back to the tree; Esc clears the filter."""

    BINDINGS = [
        Binding("down", "screen.focus_tree", show=False),
        Binding("escape", "screen.clear_filter", show=False),
    ]


CHANGES = ("remove", "mark", "rename", "add_field", "add_index")  # what needs a model's class, or a field of its own


class BrowserScreen(Screen):
    BINDINGS = _bindings()
    AUTO_FOCUS = "SchemaView"

    def __init__(self):
        super().__init__()
        self.status = None
        self.schema: SchemaTree | None = None
        self._kind = None
        self._details_timer = None
        self._counts_timer = None
        self._counts: list[str] = []  # models, migrations, pending, findings: once the repository is read

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="banner")
        with Horizontal(id="workbench"):
            with Vertical(id="tree-pane"):
                yield FilterInput(placeholder="/ filter (fuzzy): app.Model.field, app/0001", id="filter")
                yield SchemaView(id="schema")
                yield Static("Reading the repository…", id="tree-status")
            with VerticalScroll(id="details-pane"):
                yield Static(id="details")
        yield Footer(compact=True, show_command_palette=False)  # ? (help) lists ctrl+p with every other key

    def on_mount(self) -> None:
        self.watch(self.query_one(FilterInput), "value", self.filter_changed, init=False)
        self.query_one("#banner").display = False
        self.show_state()
        if self.app.schema is None and not self.app.load_error:
            self.call_after_refresh(self.app.load_repository)  # paint first: the worker competes for the GIL

    @property
    def view(self) -> SchemaView:
        return self.query_one(SchemaView)

    @property
    def node(self):
        return self.view.node

    # What the app tells it -------------------------------------------------------

    def show_progress(self, message: str) -> None:
        self.query_one("#tree-status", Static).update(message)

    def show_tree(self, tree: SchemaTree, status) -> None:
        self.schema, self.status = tree, status
        self.view.set_tree(tree)
        self._count()
        self._show_counts()
        self.show_state()
        self.refresh_bindings()

    def show_state(self) -> None:
        """The banner: a load failure (lasting), else a lockfile that needs fixing."""
        app = self.app
        banner = self.query_one("#banner", Static)
        banner.remove_class("error", "warning")
        if app.load_error:
            banner.update(
                Text.assemble(
                    ("Cannot read the repository: ", "bold"),
                    app.load_error,
                    "\nFix it and save: the repository is read again when its files change (or ctrl+r).",
                )
            )
            banner.add_class("error")
            banner.display = True
            self.view.set_tree(SchemaTree([]))
            self.query_one("#details", Static).update("")
            self.query_one("#tree-status", Static).update("Nothing shown until it reads cleanly.")
        elif self.status is not None and self.status.graph_problems:
            banner.update(graph_problem(self.status))
            banner.add_class("error")
            banner.display = True
        elif self.status is not None and lockfile_problem(self.status):
            banner.update(Text.assemble(lockfile_problem(self.status), ("  — f fixes it", "bold")))
            banner.add_class("warning")
            banner.display = True
        else:
            banner.display = False
        self.refresh_bindings()

    def _count(self) -> None:
        nodes = self.schema.nodes
        models = sum(node.kind == MODEL for node in nodes)
        migrations = sum(node.kind == MIGRATION for node in nodes)
        pending = sum(node.kind == PENDING for node in nodes)
        findings = sum(len(node.findings) for node in nodes)
        self._counts = [plural(models, "model"), plural(migrations, "migration"), f"{pending} pending"]
        self._counts.append(plural(findings, "finding"))

    def _show_counts(self) -> None:
        status = self.query_one("#tree-status", Static)
        shown = plural(len(self.view.rows), "row") + " shown" if self.view.filter_text else ""
        text = status_line(self._counts, status.scrollable_content_region.width or 38, shown)
        status.update(Text(text, style="dim"), layout=False)

    def on_resize(self) -> None:
        if self._counts:
            self.call_after_refresh(self._show_counts)

    # Filter ------------------------------------------------------------------------

    def filter_changed(self, value: str) -> None:
        """Called as the box's value changes (not on its Changed message): the box and the tree change
        in the same frame."""
        self.view.apply_filter(value)
        if self._counts:
            if self._counts_timer is not None:
                self._counts_timer.stop()
            self._counts_timer = self.set_timer(COUNTS_DELAY, self._show_counts)

    @on(Input.Submitted, "#filter")
    def filter_submitted(self) -> None:
        self.action_focus_tree()

    def action_filter(self) -> None:
        self.query_one("#filter").focus()

    def action_focus_tree(self) -> None:
        self.view.focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.value:
            box.value = ""
        self.view.focus()

    # Details -----------------------------------------------------------------------

    @on(SchemaView.Highlighted)
    def highlighted(self, event: SchemaView.Highlighted) -> None:
        """Footer keys follow the node's kind at once; its details once the cursor rests on it."""
        node = self.node
        if self._details_timer is not None:
            self._details_timer.stop()
        if node is None:
            self.query_one("#details", Static).update("")
            self._rested(None)
            return
        typing = isinstance(self.focused, FilterInput)
        self._details_timer = self.set_timer(TYPING_DELAY if typing else DETAILS_DELAY, lambda: self._rested(node))

    def _rested(self, node) -> None:
        kind = (node.kind, bool(node.findings), bool(node.children)) if node else None
        if kind != self._kind:
            self._kind = kind
            self.refresh_bindings()
        if node is not None:
            self.load_details(node, self.query_one("#details-pane").scrollable_content_region.width)

    @work(thread=True, exclusive=True, group="details", exit_on_error=False)
    def load_details(self, node, width: int | None = None) -> None:
        from textual.worker import get_current_worker

        from .node_details import describe

        with self.app.reading:  # after a reading or a plan in progress
            if self.node is not node:  # the cursor moved on while it waited
                return
            try:
                text = describe(self.app.project, node, self.status, width)
            except Exception as error:  # noqa: BLE001 - the details pane must survive anything the core raises
                text = Text(f"{node.key}: {error}", style="red")
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_details, node, text)

    def _show_details(self, node, text: Text) -> None:
        if self.node is node:
            self.query_one("#details", Static).update(text)

    # Actions -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        node = self.node
        kind = node.kind if node else None
        for item in NODE_ACTIONS:
            if item.name == action:
                if action == "fix":
                    named = not parameters or parameters[0] == self.app.project.convention.fix_title
                    return named and kind == MIGRATION and bool(node.findings)
                if action == "remove" and self.view.marked:
                    return True
                if action in CHANGES and kind in (MODEL, FIELD) and not removable(node):
                    return action == "rename" and kind == FIELD  # the recipe says why it cannot be renamed
                return applies(item, kind)
        if action == "toggle":
            return bool(node and node.children) and kind != PENDING
        if action in ("remove_field_picker", "remove_model_picker"):
            return None if self.app.load_error else True
        if action == "fix_lockfile":
            return self.status is not None and bool(lockfile_problem(self.status))
        if action == "clear_filter":  # Esc in the filter returns to the tree even when there is nothing to clear
            return bool(self.view.filter_text) or isinstance(self.focused, FilterInput)
        return True

    def action_toggle(self) -> None:
        self.view.toggle()

    def action_mark(self) -> None:
        if self.view.toggle_mark():
            marked = [node.key for node in self.view.marked_nodes]
            self.notify(", ".join(marked) or "nothing marked", title="Marked (d removes them together)", timeout=4)
            self.refresh_bindings()

    def action_remove(self) -> None:
        nodes = self.view.marked_nodes or [self.node]
        phases = {2 if node.kind == PENDING else 1 for node in nodes}
        if len(phases) > 1:
            self.app.report_error(
                "Those targets are in different phases: mark ones that are all due for the same phase"
            )
            return
        kinds = {node.item.kind if node.kind == PENDING else node.kind for node in nodes}
        self.app.plan_removal([node.key for node in nodes], phases.pop(), kinds)

    def action_phase_two(self) -> None:
        node = self.node
        self.app.plan_removal([node.key], 2, {node.item.kind})

    def action_rename(self) -> None:
        self.app.open_form("rename_field" if self.node.kind == FIELD else "rename_model", self.node.key)

    def action_add_field(self) -> None:
        self.app.open_form("add_field", self.node.key)

    def action_add_index(self) -> None:
        self.app.open_form("add_index", self.node.key)

    def action_data_migration(self) -> None:
        self.app.open_form("data_migration", self.node.key)

    def action_fix(self, title: str = "") -> None:
        from .wizards import rewritable_finding

        node = self.node
        rewritable = rewritable_finding(node)
        if rewritable:
            self.app.plan_fix_migration(rewritable.path)
            return
        finding = node.findings[0]
        command = f"\nRun: {finding.command}" if finding.command else ""
        self.app.notify(f"{finding.fix}{command}", title=f"{finding.rule} at {finding.path}:{finding.line}", timeout=20)

    def action_sql(self) -> None:
        self.app.show_sql(self.node.key)

    def action_remove_field_picker(self) -> None:
        self.app.action_remove_field()

    def action_remove_model_picker(self) -> None:
        self.app.action_remove_model()

    def action_fix_lockfile(self) -> None:
        self.app.action_fix_lockfile()

    def action_reload(self) -> None:
        self.app.action_reload()

    def help_sections(self):
        from .help_screen import browser_sections

        sections = browser_sections(self.node.kind if self.node else None, self.app.project.convention)
        return "Keys by context", sections, "Command lines start with migrate-assistant", True


def plural(count: int, noun: str) -> str:
    """``1 finding``, ``2 findings``, ``0 findings``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def status_line(counts: list[str], width: int, shown: str = "") -> str:
    """``Ready: 12 models, 8 migrations, 1 pending, 0 findings`` (after the rows a filter shows) on one line of
    ``width``: where it does not fit, ``Ready:`` goes, then the migrations' count, then the models'; then the
    last counts (cut between counts, else between words)."""
    first = [shown] if shown else []
    models, migrations, *rest = counts
    candidates = [] if shown else ["Ready: " + ", ".join(counts)]
    candidates += [", ".join([*first, *kept]) for kept in (counts, [models, *rest], rest)]
    line = next((candidate for candidate in candidates if len(candidate) <= width), None)
    if line is not None:
        return line
    for separator in (", ", " "):  # whole counts first, else whole words
        pieces = candidates[-1].split(separator)
        while len(pieces) > 1 and len(separator.join(pieces)) + 1 > width:
            pieces.pop()
        if len(separator.join(pieces)) + 1 <= width:
            return separator.join(pieces) + "…"
    return "…"


def graph_problem(status) -> Text:
    """Django could not load the graph (a syntax error, a dangling dependency): said until it is fixed."""
    problems = status.graph_problems
    text = Text("The migration graph is broken; nothing is written until it is fixed:", style="bold")
    for problem in problems[:3]:
        text.append(f"\n{problem}")
    if len(problems) > 3:
        text.append(f"\n… and {len(problems) - 3} more (migrate-assistant status)")
    return text


def lockfile_problem(status) -> Text | None:
    several = [app.label for app in status.apps if len(app.leaves) > 1]
    if status.lockfile is None and not several:
        return None
    if status.lockfile_conflicted:
        line = Text(f"{status.lockfile_says('has', 'have')} conflict markers", style="bold")
    elif status.lockfile is not None and not status.lockfile_ok:
        wrong = [app.label for app in status.apps if app.leaves and not app.lockfile_ok]
        line = Text(
            f"{status.lockfile_says('disagrees', 'disagree')} with the graph for {', '.join(wrong)}", style="bold"
        )
    else:
        line = Text()
    if several:
        line.append(f"{'; ' if line else ''}several leaf migrations in {', '.join(several)}", style="bold")
    return line or None
