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


class AssistantApp(App[int]):
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
        yield SystemCommand("Remove field", "Remove a column in two deploys (SafeRemoveField)", self.action_remove_field)
        yield SystemCommand("Remove model", "Remove a table in two deploys (SafeDeleteModel)", self.action_remove_model)
        yield SystemCommand(
            "Remove fields and models", "Columns and tables together, one migration per app", self.action_remove_both
        )
        yield SystemCommand("Rename field", "Rename a field in Django only (db_column keeps the column)", self.action_rename_field)
        yield SystemCommand("Rename model", "Rename a model in Django only (Meta.db_table keeps the table)", self.action_rename_model)
        yield SystemCommand("Fix lockfile", "Resolve migrations_lockfile.txt conflicts: renumber this branch's migrations", self.action_fix_lockfile)
        yield SystemCommand("Check migrations", "Find what Sentry's framework would refuse in this branch's migrations", self.action_reload)
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

    # Recipes -------------------------------------------------------------------

    def action_remove_field(self) -> None:
        self.when_loaded(lambda: self.pick("Remove field", {"field"}))

    def action_remove_model(self) -> None:
        self.when_loaded(lambda: self.pick("Remove model", {"model"}))

    def action_remove_both(self) -> None:
        self.when_loaded(lambda: self.pick("Remove fields and models", {"field", "model"}))

    def pick(self, title: str, kinds: set[str]) -> None:
        from .picker import PickerScreen

        targets = [target for target in self.catalog if target.kind in kinds]
        self.push_screen(PickerScreen(title, targets), lambda chosen: self._chosen(chosen, kinds))

    def _chosen(self, chosen, kinds: set[str]) -> None:
        if not chosen:
            return
        phases = {target.phase for target in chosen}
        if len(phases) > 1:
            self.report_error("Those targets are in different phases: choose ones that are all due for the same phase")
            return
        self.plan_removal([target.label for target in chosen], phases.pop(), kinds)

    def plan_removal(self, labels: list[str], phase: int, kinds: set[str]) -> None:
        from migrate_assistant.recipes.remove import plan_removals
        from migrate_assistant.recipes.remove_field import plan_remove_fields
        from migrate_assistant.recipes.remove_model import plan_remove_models

        if kinds == {"field"}:
            recipe = plan_remove_fields
        elif kinds == {"model"}:
            recipe = plan_remove_models
        else:
            recipe = plan_removals
        self.make_plan(lambda: recipe(self.project, labels, phase))

    def action_fix_lockfile(self) -> None:
        from migrate_assistant.recipes.fix_lockfile import plan_fix_lockfile

        def build():
            plan = plan_fix_lockfile(self.project)
            if not plan.edits:
                raise AssistantError("Nothing to fix: " + "; ".join(plan.warnings))
            return plan

        self.make_plan(build)

    def plan_fix_migration(self, path: str) -> None:
        from migrate_assistant.recipes.fix_migration import plan_fix_migration

        self.make_plan(lambda: plan_fix_migration(self.project, path))

    def action_rename_field(self) -> None:
        self.when_loaded(lambda: self.pick_for_rename("Rename field", "field"))

    def action_rename_model(self) -> None:
        self.when_loaded(lambda: self.pick_for_rename("Rename model", "model"))

    def pick_for_rename(self, title: str, kind: str) -> None:
        from .picker import PickerScreen

        targets = [target for target in self.catalog if target.kind == kind and target.phase == 1]
        self.push_screen(PickerScreen(title, targets, several=False), lambda chosen: self._ask_new_name(chosen, kind))

    def _ask_new_name(self, chosen, kind: str) -> None:
        from .dialogs import AskDialog

        if not chosen:
            return
        label = chosen[0].label
        example = "new_name" if kind == "field" else "NewName"
        self.push_screen(AskDialog(f"New name for {label}:", example), lambda new: self.plan_rename(label, new, kind))

    def plan_rename(self, label: str, new: str | None, kind: str) -> None:
        if not new:
            return
        from migrate_assistant.recipes.rename_field import plan_rename_field
        from migrate_assistant.recipes.rename_model import plan_rename_model

        recipe = plan_rename_field if kind == "field" else plan_rename_model
        self.make_plan(lambda: recipe(self.project, label, new))

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
