"""SQL from the project's own sqlmigrate, in a worker: a plan's new migrations, or any migration."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.highlight import highlight
from textual.screen import Screen
from textual.widgets import Footer, Header, LoadingIndicator, Static

from migrate_assistant.errors import AssistantError

Load = Callable[[Callable[[str], None]], list[tuple[str, str]]]


class SqlScreen(Screen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, load: Load):
        """``load(progress)`` returns (migration, SQL) pairs; it runs in a thread worker."""
        super().__init__()
        self.load = load
        self.results: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Running the project's sqlmigrate…", id="sql-status")
        yield LoadingIndicator(id="sql-loading")
        yield VerticalScroll(id="sql")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.run_preview()

    @work(thread=True, exclusive=True, group="sql", exit_on_error=False)
    def run_preview(self) -> None:
        def progress(message: str) -> None:
            self.app.call_from_thread(self.query_one("#sql-status", Static).update, message)

        try:
            results = self.load(progress)
        except AssistantError as error:
            self.app.call_from_thread(self._show_error, str(error))
            return
        self.app.call_from_thread(self._show, results)

    def _show(self, results: list[tuple[str, str]]) -> None:
        self.results = results
        self.query_one("#sql-loading").display = False
        if not results:
            self.query_one("#sql-status", Static).update("This plan writes no new migration: there is no SQL to show.")
            return
        self.query_one("#sql-status", Static).update(Text("SQL (the project's sqlmigrate)", style="bold"))
        container = self.query_one("#sql", VerticalScroll)
        for migration, sql in results:
            container.mount(Static(Text(migration, style="bold"), classes="file-title"))
            container.mount(Static(highlight(sql.rstrip(), language="sql")))

    def _show_error(self, message: str) -> None:
        self.query_one("#sql-loading").display = False
        self.query_one("#sql-status", Static).update(Content.styled(message, "$text-error"))
        self.app.report_error("The SQL preview failed (details on screen)")
