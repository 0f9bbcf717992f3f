"""SQL from the project's own sqlmigrate, in a worker: a plan's new migrations, or any migration, under a
heading that names the database backend it is written for."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.highlight import highlight
from textual.screen import Screen
from textual.widgets import Footer, Header, LoadingIndicator, Static

from migrate_assistant.django_runner import Backend, backend_or_reason, sql_heading_parts
from migrate_assistant.errors import AssistantError

Load = Callable[[Callable[[str], None]], list[tuple[str, str]]]


class SqlScreen(Screen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", tooltip="Back to the previous screen")]

    def __init__(self, load: Load, command: str = ""):
        """``load(progress)`` returns (migration, SQL) pairs; it runs in a thread worker. ``command``: the
        command line that prints the same SQL."""
        super().__init__()
        self.load = load
        self.command = command
        self.results: list[tuple[str, str]] = []
        self.backend: Backend | str = ""  # once known: the backend, or why it could not be told

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Running the project's sqlmigrate…", id="sql-status")
        yield LoadingIndicator(id="sql-loading")
        yield VerticalScroll(id="sql")
        yield Footer(compact=True, show_command_palette=False)  # help (?/f1) lists ctrl+p

    def help_sections(self):
        from .help_screen import binding_rows, screen_help

        rows = [("↑ ↓ ← →", "Scroll the SQL", ""), *binding_rows(self), ("", "The same SQL, printed", self.command)]
        return screen_help("Keys on the SQL", "SQL", rows)

    def on_mount(self) -> None:
        self.run_preview()

    @work(thread=True, exclusive=True, group="sql", exit_on_error=False)
    def run_preview(self) -> None:
        def progress(message: str) -> None:
            self.app.call_from_thread(self.query_one("#sql-status", Static).update, message)

        with self.app.reading, ThreadPoolExecutor(1) as pool:  # Django is asked for its backend while sqlmigrate runs
            asking = pool.submit(backend_or_reason, self.app.project)
            try:
                results = self.load(progress)
            except AssistantError as error:
                results = error
            self.backend = asking.result()
        if isinstance(results, AssistantError):
            self.app.call_from_thread(self._show_error, str(results))
        else:
            self.app.call_from_thread(self._show, results)

    def heading(self) -> Text:
        """What the SQL is for: the backend, its engine and settings module (or why they are unknown)."""
        lead, detail = sql_heading_parts(self.backend)
        return Text.assemble((lead, "bold"), (detail, "dim"))

    def _show(self, results: list[tuple[str, str]]) -> None:
        self.results = results
        self.query_one("#sql-loading").display = False
        if not results:
            self.query_one("#sql-status", Static).update("This plan writes no new migration: there is no SQL to show.")
            return
        self.query_one("#sql-status", Static).update(self.heading())
        container = self.query_one("#sql", VerticalScroll)
        for migration, sql in results:
            container.mount(Static(Text(migration, style="bold"), classes="file-title"))
            container.mount(Static(highlight(sql.rstrip(), language="sql")))

    def _show_error(self, message: str) -> None:
        self.query_one("#sql-loading").display = False
        status = Content.assemble(Content.from_rich_text(self.heading()), "\n", Content.styled(message, "$text-error"))
        self.query_one("#sql-status", Static).update(status)
        self.app.report_error("The SQL preview failed (details on screen)")
