"""The guided recipes of the assistant: choose a target, answer a question or two, see the plan.

A mixin of ``AssistantApp``: every wizard ends in ``make_plan``, which plans in a
worker and shows the plan screen (or a notification when the core refuses).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from migrate_assistant.errors import AssistantError


class Wizards:
    """Actions for the palette and the key bindings."""

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

    def ask(self, question: str, example: str, then: Callable[[str], None]) -> None:
        from .dialogs import AskDialog

        self.push_screen(AskDialog(question, example), lambda answer: answer and then(answer))

    def choose(self, title: str, targets: list, then: Callable) -> None:
        from .picker import PickerScreen

        self.push_screen(PickerScreen(title, targets, several=False), lambda chosen: chosen and then(chosen[0]))

    def model_targets(self) -> list:
        return [replace(target, phase=0) for target in self.catalog if target.kind == "model" and target.phase == 1]

    def action_add_field(self) -> None:
        def named(model, name: str) -> None:
            self.ask(
                f"Field for {model.label}.{name}:",
                "models.IntegerField(db_default=0)",
                lambda expression: typed(model, name, expression),
            )

        def typed(model, name: str, expression: str) -> None:
            from migrate_assistant.recipes.add_field import needs_null_or_db_default, plan_add_field

            from .dialogs import ConfirmDialog

            target = f"{model.label}.{name}"
            try:
                refused = needs_null_or_db_default(expression)
            except AssistantError as error:
                self.report_error(str(error))
                return
            if not refused:
                self.make_plan(lambda: plan_add_field(self.project, target, expression))
                return
            question = (
                f"{target} would be NOT NULL without db_default, which old code cannot insert into. "
                "Add it nullable (null=True)? (No: start again and give db_default=...)"
            )
            self.push_screen(
                ConfirmDialog(question),
                lambda yes: (
                    yes and self.make_plan(lambda: plan_add_field(self.project, target, expression, nullable=True))
                ),
            )

        self.when_loaded(
            lambda: self.choose(
                "Add field",
                self.model_targets(),
                lambda model: self.ask(
                    f"Name of the new field on {model.label}:", "new_field", lambda name: named(model, name)
                ),
            )
        )

    def action_add_index(self) -> None:
        from migrate_assistant.recipes.add_index import plan_add_index

        def fields(model, text: str) -> None:
            self.make_plan(lambda: plan_add_index(self.project, model.label, text.split()))

        self.when_loaded(
            lambda: self.choose(
                "Add index",
                self.model_targets(),
                lambda model: self.ask(
                    f"Fields of the index on {model.label} (-field: descending):",
                    "field other_field",
                    lambda text: fields(model, text),
                ),
            )
        )

    def action_data_migration(self) -> None:
        from migrate_assistant.recipes.catalog import app_targets
        from migrate_assistant.recipes.data_migration import plan_data_migration

        def named(target, name: str) -> None:
            model = target.label if target.kind == "model" else None
            app = target.label.split(".")[0]
            self.make_plan(lambda: plan_data_migration(self.project, app, name, model))

        def chosen(target) -> None:
            self.ask(
                f"Name of the data migration ({target.label}):", "backfill_something", lambda name: named(target, name)
            )

        self.when_loaded(
            lambda: self.choose("Data migration", self.model_targets() + app_targets(self.project), chosen)
        )

    def action_sql_of_migration(self) -> None:
        from migrate_assistant.django_runner import sqlmigrate
        from migrate_assistant.recipes.catalog import migration_targets

        from .sql_screen import SqlScreen

        def show(target) -> None:
            app, name = target.label.split("/")
            self.push_screen(SqlScreen(lambda progress: [(target.label, sqlmigrate(self.project, app, name))]))

        self.when_loaded(lambda: self.choose("SQL of a migration", migration_targets(self.project), show))

    def action_rename_field(self) -> None:
        self.when_loaded(lambda: self._rename("field"))

    def action_rename_model(self) -> None:
        self.when_loaded(lambda: self._rename("model"))

    def _rename(self, kind: str) -> None:
        from migrate_assistant.recipes.rename_field import plan_rename_field
        from migrate_assistant.recipes.rename_model import plan_rename_model

        recipe = plan_rename_field if kind == "field" else plan_rename_model
        targets = [target for target in self.catalog if target.kind == kind and target.phase == 1]
        example = "new_name" if kind == "field" else "NewName"

        def chosen(target) -> None:
            self.ask(
                f"New name for {target.label}:",
                example,
                lambda new: self.make_plan(lambda: recipe(self.project, target.label, new)),
            )

        self.choose(f"Rename {kind}", [replace(target, phase=0) for target in targets], chosen)
