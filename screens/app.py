"""The Textual assistant: a schema browser of the repository, its actions in place, recipes as forms.

All repository work (indexing, planning, git, Django commands) runs in thread workers; errors from
the core become notifications or a lasting banner, never crashes. The repository is read again when
its migrations, models, lockfile or git HEAD change.
"""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import Reactive
from textual.screen import Screen

from migrate_assistant import generated_code
from migrate_assistant.errors import AssistantError, within
from migrate_assistant.project import Project, discover

from .browser import BrowserScreen
from .light_ansi import READABLE_LIGHT
from .wizards import Wizards

if TYPE_CHECKING:
    from migrate_assistant.plan import Plan

POLL_SECONDS = 2.0
PLANNING_DELAY = 0.15  # seconds before the "Planning…" dialog appears


class AssistantApp(Wizards, App[int]):
    """migrate-assistant's terminal UI."""

    CSS_PATH = "assistant.tcss"
    TITLE = "migrate-assistant"
    ansi_theme_light = Reactive(READABLE_LIGHT, init=False)
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", show=False),
        # the footer shows ?/f1, or f1 alone where a text box has focus (? types there)
        Binding("question_mark", "help", "Help", key_display="?/f1", tooltip="This screen's keys"),
        Binding("f1", "help", "Help", tooltip="This screen's keys"),
    ]

    def __init__(self, project: Project, watch: bool = True):
        super().__init__()
        self.project = project
        self.status = None
        self.schema = None
        self.check = None
        self.load_error: str | None = None
        self.loading = False
        self.git = None
        self.convention = ""  # its title, once the repository has been read (not before the first screen)
        self.drafts: dict[str, dict] = {}
        self.watching = watch
        self._stamps = None
        self._pickers: list = []
        self._planned_workers: weakref.WeakSet = weakref.WeakSet()
        self.gc_thresholds: tuple[int, int, int] | None = None  # put back after the first reading (``run_assistant``)
        # The core reads a project lazily and is not safe from two threads at once: every worker that reads
        # or plans holds this lock (the details of a node wait for a reading, a reading for a plan).
        self.reading = threading.RLock()
        self._update_title()

    def get_default_screen(self) -> Screen:
        """The browser is the first screen (no blank one is composed before it); it starts the reading
        once it has been painted."""
        return BrowserScreen()

    def on_mount(self) -> None:
        if self.watching:
            self.set_interval(POLL_SECONDS, self.poll_changes)

    def on_unmount(self) -> None:
        gc.unfreeze()  # what the last reading froze (see ``_loaded``) can be collected again

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The recipes act on the repository from the browser once it has been read (the keys do the same);
        elsewhere, and while it is read or cannot be, the palette offers what does not touch it."""
        if isinstance(screen, BrowserScreen) and self.schema is not None and not self.load_error:
            yield from self._repository_commands()
        if isinstance(screen, BrowserScreen):
            yield SystemCommand(
                "Reload", "Read the repository again (it is also re-read when files change)", self.action_reload
            )
        yield SystemCommand("Help", "This screen's keys, with the command lines that do the same", self.action_help)
        yield from super().get_system_commands(screen)

    def _repository_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Remove field", "Remove a column in two deploys", self.action_remove_field)
        yield SystemCommand("Remove model", "Remove a table in two deploys", self.action_remove_model)
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
        yield SystemCommand(
            "Add index", "Add a Meta index (run after the deploy on a large table)", self.action_add_index
        )
        yield SystemCommand(
            "Data migration", "A RunPython migration run after the deploy, and its test", self.action_data_migration
        )
        yield SystemCommand(
            "SQL of a migration", "The SQL of any migration (the project's sqlmigrate)", self.action_sql_of_migration
        )
        convention = self.project.convention
        which = "the selected one" + ("" if convention.drops_in_same_pr else ", else choose it")
        yield SystemCommand("Fix migration", f"{convention.fix_words} ({which})", self.action_fix_migration)
        yield SystemCommand(
            "Fix lockfile",
            "Resolve lockfile conflicts (migrations_lockfile.txt, max_migration.txt): renumber this branch's migrations",
            self.action_fix_lockfile,
        )

    # Keys --------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            event.screen_at_arrival = self.screen
        await super().on_event(event)

    async def _on_key(self, event: events.Key) -> None:
        """A key typed while a screen was opening went to the screen below: it belongs to the new one.
        (Textual calls ``App._on_key`` after this one unless the default is prevented.)"""
        arrived = getattr(event, "screen_at_arrival", None)
        if arrived is not None and arrived is not self.screen:
            event.prevent_default()
            self.post_message(events.Key(event.key, event.character))

    # Loading -----------------------------------------------------------------

    def project_loading(self) -> bool:
        """Being read (or about to be): not after a failed reading, which waits for the files to change."""
        return self.loading or (self.schema is None and not self.load_error)

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def load_repository(self) -> None:
        """The status, ``check`` and the tree, one after the other: the core's reading is not safe from two
        threads at once (only git is asked in a second thread, while the graph is built)."""
        from concurrent.futures import ThreadPoolExecutor

        from migrate_assistant.recipes.check import branch_of, run_check
        from migrate_assistant.status import project_status

        from .schema_tree import build_tree
        from .watch import git_info, stamps

        self.loading = True
        project = self.project
        self.reading.acquire()
        try:
            seen = stamps(project)  # before reading: what changes while it is read is read again
            self.call_from_thread(self._progress, "Reading the migration graph…")
            with ThreadPoolExecutor(1) as pool:
                asking = pool.submit(branch_of, project)  # git only, while the graph is built
                project.index.graph  # noqa: B018 - built while git is asked
                branch = asking.result()
            status = project_status(project)
            self.call_from_thread(self._progress, "Checking this branch's migrations…")
            check = run_check(project, [], branch)
            self.call_from_thread(self._progress, "Reading the models…")
            tree = build_tree(project, check, status)
        except AssistantError as error:
            self.call_from_thread(self._failed, str(error))
            return
        except Exception as error:  # noqa: BLE001 - the UI must survive anything the core raises
            self.call_from_thread(self._failed, f"{type(error).__name__}: {error}")
            return
        finally:
            self.reading.release()
            self.loading = False
        self._stamps = seen
        self.git = git_info(project.root)
        self.call_from_thread(self._loaded, project, status, tree, check)

    def _progress(self, message: str) -> None:
        for screen in self._browsers():
            screen.show_progress(message)

    def _browsers(self) -> list[BrowserScreen]:
        return [screen for screen in self.screen_stack if isinstance(screen, BrowserScreen)]

    def _loaded(self, project, status, tree, check) -> None:
        if project is not self.project:
            return
        self.load_error = None
        self.status, self.schema, self.check = status, tree, check
        gc.freeze()  # what was read lives until the next reading: full collections while typing skip it
        self._started()
        self.convention = status.convention_title
        self._update_title()
        for screen in self._browsers():
            screen.show_tree(tree, status)
        for picker in list(self._pickers):
            picker.set_targets(tree.targets(picker.kinds))
        self._recheck_forms()

    def _started(self) -> None:
        """After the first reading: the collector's usual thresholds, and the dataclass code compiled so far
        (Textual's included) saved for the next start."""
        if self.gc_thresholds:
            gc.set_threshold(*self.gc_thresholds)
            self.gc_thresholds = None
        generated_code.save()

    def _failed(self, message: str) -> None:
        """A lasting banner, nothing stale shown and nothing queued: fixed files are read again by themselves."""
        from .watch import stamps

        self._started()
        self.load_error = within(message, self.project.root)
        self.status = self.schema = self.check = None
        try:
            self._stamps = stamps(self.project)
        except OSError:
            self._stamps = None
        self._update_title()
        for screen in self._browsers():
            screen.show_state()
        self._recheck_forms()

    def _recheck_forms(self) -> None:
        """Open forms check their values again: what they said was of the previous reading."""
        from .form_screen import FormScreen

        for screen in self.screen_stack:
            if isinstance(screen, FormScreen):
                screen.recheck()

    def _update_title(self) -> None:
        where = self.git.describe() if self.git else ""
        convention = f" ({self.convention})" if self.convention else ""
        self.sub_title = f"{self.project.root.name}{convention}  {where}".strip()

    def action_reload(self) -> None:
        """Read the repository again (after files were written, or when they changed)."""
        gc.unfreeze()  # the previous reading can be collected once nothing refers to it
        try:
            self.project = discover(self.project.root)
        except AssistantError as error:
            self._failed(str(error))
            return
        self.schema = None
        self.load_repository()

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def poll_changes(self) -> None:
        from .watch import git_info, stamps

        if self.loading or self._stamps is None:
            return
        info = git_info(self.project.root)
        if info != self.git:
            self.git = info
            self.call_from_thread(self._update_title)
        if stamps(self.project) != self._stamps:
            self.call_from_thread(self.action_reload)

    def report_error(self, message: str) -> None:
        self.notify(message, title="migrate-assistant", severity="error", timeout=12)

    # Planning ------------------------------------------------------------------

    def make_plan(self, build: Callable[[], Plan], command: str, on_error: Callable | None = None) -> None:
        """Plan in a worker; after a moment show "Planning…" (Esc cancels), then the plan or the refusal."""
        from .dialogs import PlanningDialog

        worker = self._plan(build, command, on_error)

        def show_indicator() -> None:
            if worker not in self._planned_workers and not worker.is_cancelled:
                self.push_screen(PlanningDialog(worker.cancel))

        self.set_timer(PLANNING_DELAY, show_indicator)

    @work(thread=True, exclusive=True, group="plan", exit_on_error=False)
    def _plan(self, build: Callable[[], Plan], command: str, on_error: Callable | None) -> None:
        from textual.worker import get_current_worker

        worker = get_current_worker()
        try:
            with self.reading:
                outcome = build()
        except AssistantError as error:
            outcome = error
        except OSError as error:
            outcome = AssistantError(f"cannot plan this: {error.strerror or error}")
        except Exception as error:  # noqa: BLE001 - the UI must survive anything the core raises
            outcome = AssistantError(f"cannot plan this: {type(error).__name__}: {error}")
        if not worker.is_cancelled:
            self.call_from_thread(self._planned, worker, outcome, command, on_error)

    def _planned(self, worker, outcome, command: str, on_error: Callable | None) -> None:
        from .dialogs import PlanningDialog

        self._planned_workers.add(worker)
        if worker.is_cancelled:
            return
        if isinstance(self.screen, PlanningDialog):
            self.pop_screen()
        if isinstance(outcome, AssistantError):
            if on_error is not None:
                on_error(outcome)
            else:
                self.report_error(str(outcome))
            return
        self.show_plan(outcome, command)

    def show_plan(self, plan: Plan, command: str) -> None:
        from .plan_screen import PlanScreen

        self.push_screen(PlanScreen(plan, command))

    def back_to_browser(self) -> None:
        while len(self.screen_stack) > 1 and not isinstance(self.screen, BrowserScreen):
            self.pop_screen()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Help is for the assistant's own screens (a dialog's keys are on its buttons)."""
        return action != "help" or hasattr(self.screen, "help_sections")

    def action_help(self) -> None:
        """The current screen's keys and their command lines (``help_sections``); Esc returns to it."""
        from .help_screen import HelpScreen

        if hasattr(self.screen, "help_sections"):
            self.push_screen(HelpScreen(*self.screen.help_sections()))

    def export_screenshot(self, *, title: str | None = None, simplify: bool = False) -> str:
        """Textual's SVG, marked to keep its spaces: librsvg (rsvg-convert, GNOME's image viewer) otherwise
        drops the non-breaking spaces that start a run of text and draws the screen shifted."""
        svg = super().export_screenshot(title=title, simplify=simplify)
        return svg.replace("<svg ", '<svg xml:space="preserve" ', 1)


def run_assistant(project: Project, gc_thresholds: tuple[int, int, int] | None = None) -> int:
    """Run the UI; ``gc_thresholds``: the collector's thresholds to put back once the first reading is shown."""
    app = AssistantApp(project)
    app.gc_thresholds = gc_thresholds
    app.run()
    return app.return_code or 0
