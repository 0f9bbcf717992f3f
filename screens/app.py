"""The Textual assistant: a dashboard of the repository and guided recipes.

All repository work (indexing, planning, git, Django commands) runs in thread
workers; errors from the core become notifications, never crashes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from migrate_assistant.errors import AssistantError
from migrate_assistant.plan import Plan
from migrate_assistant.project import Project, discover

from .dashboard import DashboardScreen
from .wizards import Wizards


class AssistantApp(Wizards, App[int]):
    """migrate-assistant's terminal UI."""

    CSS_PATH = "assistant.tcss"
    TITLE = "migrate-assistant"
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("r", "remove_field", "Remove field"),
        Binding("m", "remove_model", "Remove model"),
        Binding("f", "fix_lockfile", "Fix lockfile"),
    ]

    def __init__(self, project: Project):
        super().__init__()
        self.project = project
        self.sub_title = project.root.name
        self.catalog = None
        self.status = None
        self.check = None
        self._after_load: list[Callable[[], None]] = []

    def on_mount(self) -> None:
        self.push_screen(DashboardScreen())
        self.call_after_refresh(self.load_repository)  # paint first: the worker competes for the GIL

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Remove field", "Remove a column in two deploys (SafeRemoveField)", self.action_remove_field
        )
        yield SystemCommand("Remove model", "Remove a table in two deploys (SafeDeleteModel)", self.action_remove_model)
        yield SystemCommand(
            "Remove fields and models", "Columns and tables together, one migration per app", self.action_remove_both
        )
        yield SystemCommand(
            "Rename field", "Rename a field in Django only (db_column keeps the column)", self.action_rename_field
        )
        yield SystemCommand(
            "Rename model", "Rename a model in Django only (Meta.db_table keeps the table)", self.action_rename_model
        )
        yield SystemCommand("Add field", "Add a column: nullable, or NOT NULL with db_default", self.action_add_field)
        yield SystemCommand("Add index", "Add a Meta index (post-deployment on a large table)", self.action_add_index)
        yield SystemCommand(
            "Data migration", "A post-deployment RunPython migration and its test", self.action_data_migration
        )
        yield SystemCommand(
            "SQL of a migration", "The SQL of any migration (the project's sqlmigrate)", self.action_sql_of_migration
        )
        yield SystemCommand(
            "Fix lockfile",
            "Resolve migrations_lockfile.txt conflicts: renumber this branch's migrations",
            self.action_fix_lockfile,
        )
        yield SystemCommand(
            "Check migrations",
            "Find what Sentry's framework would refuse in this branch's migrations",
            self.action_reload,
        )
        yield SystemCommand("Status", "Reload the repository and show its migrations", self.action_reload)
        yield from super().get_system_commands(screen)

    # Loading -----------------------------------------------------------------

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def load_repository(self) -> None:
        from migrate_assistant.recipes.catalog import removal_targets
        from migrate_assistant.recipes.check import run_check
        from migrate_assistant.status import project_status

        def progress(message: str, fraction: float) -> None:
            self.call_from_thread(self._dashboard_progress, message, fraction)

        def read():
            self.project.index.warm(progress)
            progress("Checking this branch's new migrations", 0.9)
            return project_status(self.project), removal_targets(self.project), run_check(self.project, [])

        loaded = self.in_worker(read, "reading the repository")
        if loaded is not None:
            self.call_from_thread(self._loaded, *loaded)

    def in_worker(self, job: Callable, doing: str):
        """Run ``job`` in the current thread worker; report any error and return ``None``."""
        try:
            return job()
        except AssistantError as error:
            self.call_from_thread(self.report_error, str(error))
        except Exception as error:  # noqa: BLE001 - the UI must survive anything the core raises
            self.call_from_thread(self.report_error, f"unexpected error while {doing}: {error!r}")
        return None

    def _dashboard_progress(self, message: str, fraction: float) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, DashboardScreen):
                screen.show_progress(message, fraction)

    def _loaded(self, status, catalog, check) -> None:
        self.status, self.catalog, self.check = status, catalog, check
        for screen in self.screen_stack:
            if isinstance(screen, DashboardScreen):
                screen.show_status(status, check)
        waiting, self._after_load = self._after_load, []
        for callback in waiting:
            callback()

    def when_loaded(self, callback: Callable[[], None]) -> None:
        if self.catalog is not None:
            callback()
        else:
            self.notify("Still reading the repository — continuing when it is ready.")
            self._after_load.append(callback)

    def action_reload(self) -> None:
        """Read the repository again (after files were written)."""
        try:
            self.project = discover(self.project.root)
        except AssistantError as error:
            self.report_error(str(error))
            return
        self.catalog = self.status = self.check = None
        self.load_repository()

    def report_error(self, message: str) -> None:
        self.notify(message, title="migrate-assistant", severity="error", timeout=12)

    @work(thread=True, exclusive=True, group="plan", exit_on_error=False)
    def make_plan(self, build: Callable[[], Plan]) -> None:
        from .plan_screen import PlanScreen

        plan = self.in_worker(build, "planning")
        if plan is not None:
            self.call_from_thread(self.push_screen, PlanScreen(plan))


def run_assistant(project: Project) -> int:
    app = AssistantApp(project)
    app.run()
    return app.return_code or 0
