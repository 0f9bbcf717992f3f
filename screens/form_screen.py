"""One recipe's inputs on one screen, checked as you type; Enter plans, Esc goes back keeping them."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Checkbox, Footer, Header, Input, Static

from migrate_assistant.errors import AssistantError

from .form_specs import Form, input_errors

CHECK_DELAY = 0.3  # seconds after the last keystroke before the form is checked


class FormError(AssistantError):
    """Refusals of the form's values: ``errors`` maps an input's id to its message (``None`` for the
    whole form: a planning refusal that concerns no one input); ``empty`` the inputs only missing."""

    def __init__(self, errors: dict[str | None, str], empty: set[str] = frozenset()):
        super().__init__(next(iter(errors.values())))
        self.errors = errors
        self.empty = set(empty)

    @property
    def input_id(self) -> str | None:
        return next(iter(self.errors))


class FormScreen(Screen):
    BINDINGS = [
        Binding("escape", "back", "Back (keeps what you typed)", tooltip="Back; the form keeps what you typed"),
        Binding("ctrl+s", "plan", "Plan", tooltip="Plan: the diff, nothing written yet"),
    ]

    def __init__(self, form: Form, values: dict, suggestions: list[str] | None = None):
        super().__init__()
        self.form = form
        self.values = values
        self.suggestions = suggestions or []
        self.first_empty = next((i.id for i in form.inputs if not values.get(i.id)), form.inputs[-1].id)
        self.opened_with = dict(values)
        self.edited: set[str] = set()  # inputs the user changed: their "… is needed" is shown
        self.submitted = False  # Enter was pressed: every error is shown
        self.applied = False  # its plan was applied: nothing to keep for next time
        self.ready: tuple[tuple, object] | None = None  # (values, plan) once the current values have planned
        self._timer = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="form"):
            yield Static(Text(self.form.title, style="bold"), id="form-title")
            yield Static(Text(self.form.about, style="dim"), id="form-about")
            for item in self.form.inputs:
                yield Static(item.label, classes="form-label")
                suggester = SuggestFromList(self.suggestions, case_sensitive=False) if item.id == "target" else None
                yield Input(
                    self.values.get(item.id, ""),
                    placeholder=item.placeholder,
                    id=f"in-{item.id}",
                    suggester=suggester,
                    compact=True,
                )
                yield Static(id=f"msg-{item.id}", classes="form-message")
            for toggle, label in self.form.toggles:
                yield Checkbox(label, bool(self.values.get(toggle)), id=f"in-{toggle}", compact=True)
        with Vertical(id="form-foot"):  # outside the scrolling inputs: always on screen
            yield Static(id="form-status")
            with Horizontal(id="form-buttons"):
                yield Button("Plan", id="plan", variant="primary")
                yield Button("Back", id="back")
        yield Footer(compact=True, show_command_palette=False)  # help (?/f1) lists ctrl+p

    def on_mount(self) -> None:
        self.query_one(f"#in-{self.first_empty}", Input).focus()
        self._schedule_check()

    def help_sections(self):
        from .help_screen import binding_rows, screen_help

        preview = f"{self.form.command(self._current())} --dry-run"
        rows = [
            ("Enter", "Plan (in any box)", preview),
            *binding_rows(self, {"plan": preview}),
            ("tab", "Next box", ""),
            ("shift+tab", "Previous box", ""),
            ("space", "Tick or untick a checkbox", ""),
        ]
        return screen_help(f"Keys on the form: {self.form.title}", "Form", rows)

    # Values ----------------------------------------------------------------------------

    def _current(self) -> dict:
        values = {item.id: self.query_one(f"#in-{item.id}", Input).value.strip() for item in self.form.inputs}
        values.update({toggle: self.query_one(f"#in-{toggle}", Checkbox).value for toggle, _ in self.form.toggles})
        return values

    @on(Input.Changed)
    @on(Checkbox.Changed)
    def changed(self, event) -> None:
        input_id = event.control.id.removeprefix("in-")
        if event.value != self.opened_with.get(input_id, "" if isinstance(event.value, str) else False):
            self.edited.add(input_id)  # (an input posts Changed with the value it opens with)
        self.values.update(self._current())
        self._schedule_check()

    def recheck(self) -> None:
        """Check the current values now (the repository was read again)."""
        if not self.is_mounted:
            return  # its first check is on mount
        if self._timer is not None:
            self._timer.stop()
        self.ready = None
        self.check_values(self._current())

    def _schedule_check(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self.ready = None
        self._status("…", "dim")
        self._timer = self.set_timer(CHECK_DELAY, lambda: self.check_values(self._current()))

    # Checking (the same checks and planning as the command line) -----------------------

    def build(self, values: dict):
        """Check each input, then plan; a refusal names the input it belongs under, when one does."""
        errors, empty = input_errors(self.form, self.app.project, values)
        if errors:
            raise FormError(errors, empty)
        try:
            return self.form.plan(self.app.project, values)
        except AssistantError as error:
            raise FormError({self.form.input_for(error): str(error)}) from None

    @work(thread=True, exclusive=True, group="form-check", exit_on_error=False)
    def check_values(self, values: dict) -> None:
        from textual.worker import get_current_worker

        if self.app.load_error:
            message = "The repository cannot be read (see the banner on the browser): fix it, then plan"
            self.app.call_from_thread(self._cannot_check, message, "$text-error")
            return
        if self.app.project_loading():
            self.app.call_from_thread(self._status, "Waiting for the repository to be read…", "dim")
            return
        try:
            with self.app.reading:
                plan = self.build(values)
        except FormError as error:
            outcome = error
        except Exception as error:  # noqa: BLE001 - a form must survive anything the core raises
            outcome = FormError({None: f"cannot plan this: {error}"})
        else:
            outcome = plan
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._checked, values, outcome)

    def _checked(self, values: dict, outcome) -> None:
        if values != self._current():
            return
        if isinstance(outcome, FormError):
            self.show_errors(outcome)
            return
        self.ready = (tuple(sorted(values.items())), outcome)
        self.show_errors(None)
        self._status(f"Ready: Enter shows the plan ({len(outcome.edits)} file(s))", "$text-success")

    def _cannot_check(self, message: str, style: str) -> None:
        """No verdict on the inputs (what they said was of a reading that failed since), only ``message``."""
        self.show_errors(None)
        self._status(message, style)

    def show_errors(self, refused: FormError | None) -> None:
        """Each input's error under it ("… is needed" once it was edited or Enter pressed); a refusal
        that concerns no one input in the status line."""
        errors = refused.errors if refused else {}
        hidden = {i for i in (refused.empty if refused else ()) if i not in self.edited and not self.submitted}
        first = True
        for item in self.form.inputs:
            line = self.query_one(f"#msg-{item.id}", Static)
            shown = item.id in errors and item.id not in hidden
            line.update(Content.styled(f"✗ {errors[item.id]}", "bold $text-error") if shown else "")
            line.display = shown
            if shown and first:
                line.scroll_visible(animate=False)
                first = False
        if None in errors:
            self._status(f"✗ {errors[None]}", "bold $text-error")
        elif not first:
            self._status("Fix the value marked ✗ (everything else is kept)", "dim")
        elif hidden:
            labels = [item.label for item in self.form.inputs if item.id in hidden]
            self._status(f"Fill in {' and '.join(labels)}, then Enter plans", "dim")

    def _status(self, message: str, style: str) -> None:
        """``style`` names theme colours (``$text-success``): readable in the dark and the light theme."""
        self.query_one("#form-status", Static).update(Content.styled(message, style))

    # Planning ----------------------------------------------------------------------------

    @on(Input.Submitted)
    def submitted(self) -> None:
        self.action_plan()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_back() if event.button.id == "back" else self.action_plan()

    def action_plan(self) -> None:
        self.submitted = True
        values = self._current()
        command = self.form.command(values)
        if self.ready and self.ready[0] == tuple(sorted(values.items())):
            self.app.show_plan(self.ready[1], command)
            return
        self.app.make_plan(lambda: self.build(values), command, on_error=self._plan_refused)

    def _plan_refused(self, error: Exception) -> None:
        self.show_errors(error if isinstance(error, FormError) else FormError({None: str(error)}))

    def action_back(self) -> None:
        if not self.applied:
            self.app.drafts[self.form.name] = self._current()
        self.dismiss(None)
