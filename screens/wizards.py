"""The recipes of the assistant: pickers for removals, one form for every other recipe.

A mixin of ``AssistantApp``: every recipe ends in ``make_plan``, which plans in a worker and shows
the plan screen (or the refusal, under the form's input it belongs to).
"""

from __future__ import annotations

import shlex

from migrate_assistant.errors import AssistantError

REMOVAL_COMMANDS = {
    frozenset({"field"}): ("remove_field", "plan_remove_fields", "remove-field"),
    frozenset({"model"}): ("remove_model", "plan_remove_models", "remove-model"),
    frozenset({"field", "model"}): ("remove", "plan_removals", "remove"),
}


class NothingToFix(AssistantError):
    """Asked to fix what needs no fixing."""


def rewritable_finding(node):
    """The first of a node's findings that ``fix-migration`` rewrites, or ``None``."""
    findings = getattr(node, "findings", None) or []
    return next((f for f in findings if (f.command or "").startswith("migrate-assistant fix-migration")), None)


class Wizards:
    """Actions for the palette, the browser and the key bindings."""

    def action_remove_field(self) -> None:
        self.pick("Remove field", {"field"})

    def action_remove_model(self) -> None:
        self.pick("Remove model", {"model"})

    def action_remove_both(self) -> None:
        self.pick("Remove fields and models", {"field", "model"})

    def pick(self, title: str, kinds: set[str], then=None, several: bool = True) -> None:
        """The picker opens at once; its targets arrive when the repository has been read."""
        from .picker import PickerScreen

        if self.load_error:
            self.report_error("The repository could not be read: fix the error in the banner first")
            return
        picker = PickerScreen(title, kinds, self.schema.targets(kinds) if self.schema else None, several)
        self._pickers.append(picker)

        def chosen(targets) -> None:
            self._pickers.remove(picker)
            if targets:
                (then or (lambda chosen: self._chosen(chosen, kinds)))(targets)

        self.push_screen(picker, chosen)

    def _chosen(self, chosen, kinds: set[str]) -> None:
        phases = {target.phase for target in chosen}
        if len(phases) > 1:
            self.report_error("Those targets are in different phases: choose ones that are all due for the same phase")
            return
        self.plan_removal([target.label for target in chosen], phases.pop(), kinds)

    def plan_removal(self, labels: list[str], phase: int, kinds: set[str]) -> None:
        import importlib

        module, function, command = REMOVAL_COMMANDS[frozenset(kinds)]
        recipe = getattr(importlib.import_module(f"migrate_assistant.recipes.{module}"), function)
        line = f"migrate-assistant {command} {' '.join(shlex.quote(label) for label in labels)} --phase {phase}"
        self.make_plan(lambda: recipe(self.project, labels, phase), line)

    def action_fix_lockfile(self) -> None:
        from migrate_assistant.recipes.fix_lockfile import plan_fix_lockfile

        def build():
            plan = plan_fix_lockfile(self.project)
            if not plan.edits:
                raise NothingToFix("Nothing to fix: " + "; ".join(plan.warnings))
            return plan

        def refused(error: AssistantError) -> None:
            if isinstance(error, NothingToFix):  # an answer, not a failure
                self.notify(str(error), title="Fix lockfile", timeout=8)
            else:
                self.report_error(str(error))

        self.make_plan(build, "migrate-assistant fix-lockfile", on_error=refused)

    def action_fix_migration(self) -> None:
        """The selected migration's finding, else a migration chosen among those with one it rewrites."""
        from migrate_assistant.recipes.catalog import Target

        from .picker import PickerScreen

        browsers = self._browsers()
        if self.project.convention.drops_in_same_pr:  # fix-migration is refused: x shows the finding's fix
            if browsers and browsers[0].node and browsers[0].check_action("fix", ()):
                browsers[0].action_fix()
            else:
                self.notify("Select a migration with a finding: x shows its fix", title="Fix migration", timeout=8)
            return
        selected = rewritable_finding(browsers[0].node) if browsers and browsers[0].node else None
        if selected:
            self.plan_fix_migration(selected.path)
            return
        nodes = {node.key: node for node in (self.schema.nodes if self.schema else []) if rewritable_finding(node)}
        if not nodes:
            self.notify("No migration has a finding that fix-migration rewrites", title="Fix migration", timeout=8)
            return
        targets = [Target(key, "migration", 0, rewritable_finding(node).rule) for key, node in nodes.items()]

        def chosen(picked) -> None:
            if picked:
                self.plan_fix_migration(rewritable_finding(nodes[picked[0].label]).path)

        self.push_screen(PickerScreen("Fix migration", {"migration"}, targets, several=False), chosen)

    def plan_fix_migration(self, path: str) -> None:
        from migrate_assistant.recipes.fix_migration import plan_fix_migration

        self.make_plan(lambda: plan_fix_migration(self.project, path), f"migrate-assistant fix-migration {path}")

    def forget_drafts(self, screens) -> None:
        """The plan of these forms was applied: they open empty next time."""
        from .form_screen import FormScreen

        for screen in screens:
            if isinstance(screen, FormScreen):
                self.drafts.pop(screen.form.name, None)
                screen.applied = True

    def open_form(self, name: str, target: str = "") -> None:
        """The recipe's form, with what was typed in it last time (for the same target)."""
        from .form_screen import FormScreen
        from .form_specs import FORMS

        form = FORMS[name]
        draft = self.drafts.get(name)
        if draft is None or (target and draft.get("target") != target):
            draft = {"target": target, **{toggle: False for toggle, _ in form.toggles}}
            self.drafts[name] = draft
        kinds = {"model"} if name != "rename_field" else {"field"}
        suggestions = [t.label for t in self.schema.targets(kinds)] if self.schema else []
        if name == "data_migration":
            suggestions += sorted(self.project.apps)
        self.push_screen(FormScreen(form, draft, suggestions))

    def action_add_field(self) -> None:
        self.open_form("add_field")

    def action_add_index(self) -> None:
        self.open_form("add_index")

    def action_data_migration(self) -> None:
        self.open_form("data_migration")

    def action_rename_field(self) -> None:
        self.open_form("rename_field")

    def action_rename_model(self) -> None:
        self.open_form("rename_model")

    def show_sql(self, key: str) -> None:
        """The SQL of ``app/name`` from the project's own sqlmigrate."""
        from migrate_assistant.django_runner import sqlmigrate

        from .sql_screen import SqlScreen

        app, name = key.split("/")

        def load(progress) -> list[tuple[str, str]]:
            return [(key, sqlmigrate(self.project, app, name))]

        self.push_screen(SqlScreen(load, f"migrate-assistant sqlmigrate {app} {name}"))

    def action_sql_of_migration(self) -> None:
        self.pick(
            "SQL of a migration", {"migration"}, then=lambda chosen: self.show_sql(chosen[0].label), several=False
        )
