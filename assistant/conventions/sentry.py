"""Sentry: CheckedMigration with its comment block, SafeRemoveField / SafeDeleteModel with a DeletionAction,
historical_silo_assignments and ``migrations_lockfile.txt``."""

from __future__ import annotations

from ..migration_files import DELETE, MOVE_TO_PENDING, Operation
from ..migration_writer import POST_DEPLOYMENT_COMMENT, Op, imported
from ..operations import safe_op
from .base import SAFEMIGRATE_RULES, Convention, MigrationClass, Removal


class Sentry(Convention):
    name = "sentry"
    title = "Sentry-style"
    excluded_rules = SAFEMIGRATE_RULES
    assigns_silo = True
    state_only_pending = False
    pending_words = "SafeRemoveField / SafeDeleteModel(MOVE_TO_PENDING)"
    drop_words = "Safe*(DELETE)"
    pending_mark = MOVE_TO_PENDING
    after_deploy_badge = "post-deployment"
    refused_by = "Sentry's schema editor refuses it"
    index_problem = "building it can take longer than the 5 s statement timeout"
    migration_test_app = "sentry"
    index_steps = (
        "Add the index (built CONCURRENTLY by Sentry's schema editor)",
        "Deploy; on a large table, run the post-deployment migration by hand afterwards",
    )
    after_deploy_run = "run it through the post-deployment pipeline"
    after_deploy_note = "the migration is post-deployment; run it by hand after the deploy"

    def migration_class(self, project, operations: list[Op], *, post_deployment: bool, safe: str | None):
        if "checked-migration" not in project.imports:
            return MigrationClass("migrations.Migration")
        base_import, base = imported(project, "checked-migration")
        flag = f"    is_post_deployment = {post_deployment}\n"
        return MigrationClass(base, frozenset({base_import}), POST_DEPLOYMENT_COMMENT + "\n" + flag + "\n")

    def field_phase_one(self, project, model, field_state, definition) -> Removal:
        name = field_state.name
        return Removal([safe_op(project, "SafeRemoveField", MOVE_TO_PENDING, model_name=model.name.lower(), name=name)])

    def model_phase_one(self, project, model, alters: list[Op]) -> Removal:
        return Removal([safe_op(project, "SafeDeleteModel", MOVE_TO_PENDING, name=model.name)])

    def phase_two(self, project, pending) -> Removal:
        if pending.field is None:
            return Removal([safe_op(project, "SafeDeleteModel", DELETE, name=pending.operation.text("name"))])
        return Removal([safe_op(project, "SafeRemoveField", DELETE, model_name=pending.model, name=pending.field)])

    def field_steps(self) -> list[str]:
        return [
            "Remove the code that uses the field (best in its own PR, merged first)",
            "Phase 1: null=True / db_constraint=False, drop its indexes and constraints, delete it from the model, "
            "SafeRemoveField(MOVE_TO_PENDING)",
            "Deploy phase 1: the column stays in the database, Django no longer uses it",
            "Phase 2, in a later PR: SafeRemoveField(DELETE) drops the column",
            "Deploy phase 2",
        ]

    def model_steps(self) -> list[str]:
        return [
            "Remove the code that uses the model, and the foreign keys other models have to it (best in their own PRs)",
            "Phase 1: db_constraint=False on its foreign keys (null=True on hybrid-cloud ones), delete the class, "
            "add its table to historical_silo_assignments, SafeDeleteModel(MOVE_TO_PENDING)",
            "Deploy phase 1: the table stays in the database, Django no longer uses it",
            "Phase 2, in a later PR: SafeDeleteModel(DELETE) drops the table (the silo assignment stays)",
            "Deploy phase 2",
        ]

    def removal_steps(self) -> list[str]:
        return [
            "Remove the code that uses the fields and models (best in its own PR, merged first)",
            "Phase 1: drop their database constraints, indexes and constraints, delete them from the code, "
            "Safe*(MOVE_TO_PENDING)",
            "Deploy phase 1: columns and tables stay in the database, Django no longer uses them",
            "Phase 2, in a later PR: Safe*(DELETE) drops them",
            "Deploy phase 2",
        ]

    def fix_steps(self) -> list[str]:
        return [
            "makemigrations wrote RemoveField / DeleteModel, which Sentry refuses",
            "Phase 1: rewrite them as AlterField (null=True / db_constraint=False) + Safe*(MOVE_TO_PENDING)",
            "Deploy phase 1: columns and tables stay in the database, Django no longer uses them",
            "Phase 2, in a later PR: Safe*(DELETE)",
            "Deploy phase 2",
        ]

    def remove_fix(self, kind: str) -> str:
        if kind == "field":
            return (
                "Remove it in two deploys: this migration gets SafeRemoveField(..., deletion_action=DeletionAction."
                "MOVE_TO_PENDING) (after null=True / db_constraint=False where needed); a later PR, once this has "
                "deployed, writes DeletionAction.DELETE."
            )
        return (
            "Remove it in two deploys: db_constraint=False on its foreign keys, its table in "
            "historical_silo_assignments, SafeDeleteModel(..., deletion_action=DeletionAction.MOVE_TO_PENDING) here; "
            "DeletionAction.DELETE in a later PR once this has deployed."
        )

    def drop_mark(self, kind: str) -> str:
        return DELETE

    def runs_after_deploy(self, migration) -> bool:
        return bool(migration.flag("is_post_deployment"))

    def deletion_steps(self, migration, watched: set[str]):
        """``MOVE_TO_PENDING`` moves, ``DELETE`` drops."""
        if not migration.has_deletions:
            return
        for op in migration.walk_operations():
            key = safe_target(op)
            if key is not None and op.deletion_action == MOVE_TO_PENDING:
                yield ("move", key, op)
            elif key is not None and op.deletion_action == DELETE:
                yield ("drop", key, op)

    def lifecycle_mark(self, phase: int, kind: str, migration) -> str | None:
        return None

    def index_fix(self) -> str:
        return "Put the index in its own migration with is_post_deployment = True and run it after the deploy."


SENTRY = Sentry()


def safe_target(op: Operation) -> tuple[str, str | None] | None:
    """``(model, field or None)`` (lower case) of a Safe* deletion operation."""
    if op.kind == "SafeRemoveField":
        model, field = op.text("model_name"), op.text("name")
        return (model.lower(), field.lower()) if model and field else None
    if op.kind == "SafeDeleteModel":
        name = op.text("name")
        return (name.lower(), None) if name else None
    return None
