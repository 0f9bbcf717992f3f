"""django-safemigrate: every migration carries ``safe = Safe.<when>``; a removal is one PR with two migrations.

``before_deploy``: the column or table is made safe to leave (nullable, no
foreign key constraint) and removed from the state only; ``after_deploy``: it
is dropped. ``manage.py safemigrate`` runs the first before the deploy,
``migrate`` the second after it. Whether the marker is written
``Safe.before_deploy`` (releases up to 4.x, an Enum) or ``Safe.before_deploy()``
(5.0 on, classmethods) is read from the installed package's source.
"""

from __future__ import annotations

import ast
import importlib.util
from functools import cache
from pathlib import Path

from ..errors import AssistantError
from ..migration_writer import DJANGO_MIGRATIONS, Op
from ..pysource import Import, last_name, parse_source, read_source
from .base import SENTRY_RULES, Convention, MigrationClass, Removal
from .state_only import Leftover, altered_definitions, field_leftover

WHEN = ("before_deploy", "after_deploy", "always")
SAFE_IMPORT = Import("django_safemigrate", "Safe")
_DROPS = {"RemoveField", "DeleteModel", "RunPython", "RunSQL"}
_ADDITIONS = {"AddField", "CreateModel"}


class Safemigrate(Convention):
    name = "safemigrate"
    title = "django-safemigrate"
    excluded_rules = SENTRY_RULES
    drops_in_same_pr = True
    pending_words = "state-only RemoveField / DeleteModel in a Safe.before_deploy migration"
    drop_words = "RemoveField / DeleteModel in a Safe.after_deploy migration"
    refused_by = "manage.py safemigrate would run it before the deploy, while old code still uses it"
    phase_two_label = "the same PR"
    phase_two_step = 2
    phase_two_name = "phase 2 (a Safe.after_deploy migration that drops it)"
    after_deploy_badge = "Safe.after_deploy"
    after_deploy_run = "migrate runs it (Safe.after_deploy)"
    after_deploy_note = "its migration is marked Safe.after_deploy: migrate runs it after the deploy"
    fix_title = "Show the fix"  # fix-migration is refused: a removal is one PR with both migrations
    fix_words = "Show how to fix a finding's migration (a removal is one PR: remove-field / remove-model write both)"
    fix_command = "check PATH"

    def migration_class(self, project, operations: list[Op], *, post_deployment: bool, safe: str | None):
        when = safe or ("after_deploy" if post_deployment else marker_for(operations))
        marker = f"Safe.{when}()" if marker_style(project) == "call" else f"Safe.{when}"
        return MigrationClass(
            "migrations.Migration", frozenset({DJANGO_MIGRATIONS, SAFE_IMPORT}), f"    safe = {marker}\n\n"
        )

    def field_phase_one(self, project, model, field_state, definition) -> Removal:
        removal = super().field_phase_one(project, model, field_state, definition)
        if definition is None:
            removal.drop_later.append(field_leftover(model, field_state.name, field_state))
        else:
            removal.drop_later.append(Leftover(model, field_state.name, definition))
        return removal

    def model_phase_one(self, project, model, alters: list[Op]) -> Removal:
        removal = super().model_phase_one(project, model, alters)
        removal.drop_later.append(Leftover(model, altered=altered_definitions(alters)))
        return removal

    def picker_phase(self, phase: int) -> str:
        return "both phases" if phase == 1 else super().picker_phase(phase)

    def removal_phase(self, phase: int) -> str:
        return "both phases (Safe.before_deploy, then Safe.after_deploy)" if phase == 1 else "Safe.after_deploy drop"

    def field_steps(self) -> list[str]:
        return [
            "Remove the code that uses the field (best in its own PR, merged first)",
            "Migration 1, Safe.before_deploy: null=True / db_constraint=False, drop its indexes and constraints, "
            "delete it from the model, remove it from the state only (the column stays)",
            "Migration 2, Safe.after_deploy, same PR: drop the column (reversible)",
            "Deploy: manage.py safemigrate runs migration 1 before the code changes, migrate runs migration 2 after",
        ]

    def model_steps(self) -> list[str]:
        return [
            "Remove the code that uses the model, and the foreign keys other models have to it (best in their own PRs)",
            "Migration 1, Safe.before_deploy: db_constraint=False on its foreign keys, delete the class, "
            "remove it from the state only (the table stays)",
            "Migration 2, Safe.after_deploy, same PR: drop the table (reversible)",
            "Deploy: manage.py safemigrate runs migration 1 before the code changes, migrate runs migration 2 after",
        ]

    def removal_steps(self) -> list[str]:
        return [
            "Remove the code that uses the fields and models (best in its own PR, merged first)",
            "Migration 1, Safe.before_deploy: drop their database constraints, indexes and constraints, delete them "
            "from the code, remove them from the state only",
            "Migration 2, Safe.after_deploy, same PR: drop the columns and tables (reversible)",
            "Deploy: manage.py safemigrate runs migration 1 before the code changes, migrate runs migration 2 after",
        ]

    def remove_fix(self, kind: str) -> str:
        what = "column" if kind == "field" else "table"
        return (
            f"Split it: a Safe.before_deploy migration makes the {what} safe to leave and removes it from the state "
            f"only (SeparateDatabaseAndState(state_operations=[...])); a Safe.after_deploy one drops the {what}."
        )

    def runs_after_deploy(self, migration) -> bool:
        return marker_of(migration) == "after_deploy"

    def lifecycle_mark(self, phase: int, kind: str, migration) -> str | None:
        marker = marker_of(migration)
        mark = super().lifecycle_mark(phase, kind, migration)
        return f"{mark}, Safe.{marker}" if marker in WHEN else f"{mark}, no Safe marker"

    def deployed_unknown(self, migration, source: str | None) -> str | None:
        """``migrate`` runs a Safe.after_deploy migration after the deploy: a git ref has its code, not that."""
        if source == "git-ref" and self.runs_after_deploy(migration):
            return (
                "its code is in the deployed ref; whether migrate has run this Safe.after_deploy migration "
                "only database-url can tell"
            )
        return None

    def index_fix(self) -> str:
        return "Put the index in its own migration marked Safe.after_deploy: migrate builds it after the deploy."


SAFEMIGRATE = Safemigrate()


def marker_for(operations: list[Op]) -> str:
    """The marker a migration's operations call for when the recipe does not say."""
    kinds = {last_name(op.node.func) for op in operations if isinstance(op.node, ast.Call)}
    if kinds & _DROPS:
        return "after_deploy"
    if kinds & _ADDITIONS:
        return "before_deploy"
    return "always"


def marker_of(migration) -> str | None:
    """``before_deploy`` / ``after_deploy`` / ``always`` from a migration's ``safe`` attribute (``None``: none)."""
    node = migration.attributes.get("safe")
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute) and node.attr in WHEN:
        return node.attr
    return "unknown" if node is not None else None


def marker_style(project) -> str:
    """``"call"`` (``Safe.before_deploy()``) or ``"attribute"`` (``Safe.before_deploy``)."""
    style = installed_style()
    if style:
        return style
    for migration in project.index.graph.nodes.values():
        if "safe = Safe." in migration.source:
            node = migration.attributes.get("safe")
            return "call" if isinstance(node, ast.Call) else "attribute"
    raise AssistantError(
        "cannot tell how this project's django-safemigrate writes markers (Safe.before_deploy or "
        "Safe.before_deploy()): the package is not installed here and no migration sets safe = Safe...; "
        "install django-safemigrate in this environment"
    )


@cache
def installed_style() -> str | None:
    """Read from the installed package's ``Safe`` class, without importing it."""
    spec = importlib.util.find_spec("django_safemigrate")
    if spec is None or not spec.origin:
        return None
    path = Path(spec.origin)
    tree = parse_source(read_source(path), path)
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == "Safe":
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name == "before_deploy":
                    return "call"
                if isinstance(item, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == "before_deploy" for t in item.targets
                ):
                    return "attribute"
    return None
