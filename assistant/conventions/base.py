"""What every convention answers; the recipes, ``check`` and ``status`` ask it instead of testing the style."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..migration_writer import DJANGO_MIGRATIONS, Op
from ..pysource import Import
from .state_only import Leftover, deletion_steps, drop_operations, field_leftover, state_only_removal

# ``check`` rules about one convention's machinery (see ``checks.RULES``); every other rule applies to all.
SENTRY_RULES = frozenset({"MA003", "MA004", "MA008", "MA009"})
SAFEMIGRATE_RULES = frozenset({"MA022", "MA023", "MA024"})


@dataclass(frozen=True)
class MigrationClass:
    """How a new migration's class starts: base class, the imports it needs, the lines before ``dependencies``."""

    base: str
    imports: frozenset[Import] = frozenset({DJANGO_MIGRATIONS})
    preamble: str = ""


@dataclass
class Removal:
    """What one removed field or model adds to its app's migration.

    ``ops`` are written as they are; ``drop`` are leftovers (``state_only.Leftover``) dropped at the end of
    this migration; ``drop_later`` are dropped by a second migration of the same PR (django-safemigrate).
    """

    ops: list[Op] = field(default_factory=list)
    drop: list = field(default_factory=list)
    drop_later: list = field(default_factory=list)


class Convention:
    """One deployment style. Subclasses set the names and override what differs."""

    name = ""
    title = ""
    excluded_rules: frozenset[str] = SENTRY_RULES | SAFEMIGRATE_RULES
    assigns_silo = False  # Sentry's historical_silo_assignments
    drops_in_same_pr = False  # django-safemigrate: before_deploy + after_deploy migrations in one PR
    state_only_pending = True  # a state-only RemoveField/DeleteModel is a pending deletion
    pending_words = "state-only RemoveField / DeleteModel (SeparateDatabaseAndState)"
    drop_words = "RemoveField / DeleteModel (reversible: the state is given the field or model back first)"
    pending_mark = "state-only removal"  # how phase 1 left a pending deletion, in a few words (the details pane)
    after_deploy_badge = "after the deploy"  # a migration run after the deploy, in the tree
    refused_by = "old code still running during the deploy would fail"
    phase_two_label = "phase 2, in a later PR"
    phase_two_step = 3  # the index, in the removal steps, of the step that drops
    phase_two_name = "phase 2"  # what drops a pending deletion, in ``check --forgotten``'s fix
    index_problem = "building it blocks writes to the table until it is done"
    migration_test_app: str | None = None  # the app a migration test means when it names none
    index_steps = ("Add the index", "Deploy; on a large table, run its migration after the deploy")
    after_deploy_run = "run it after the deploy (python manage.py migrate)"
    after_deploy_note = "run its migration after the deploy (python manage.py migrate), not during it"
    fix_title = "Fix"  # what x does on a migration with a finding, in the assistant's help
    fix_words = "Rewrite a finding's migration as phase 1"
    fix_command = "fix-migration PATH"

    @property
    def phase_two_title(self) -> str:
        """``phase_two_label`` starting a sentence (``Phase 2, in a later PR``: its other letters kept)."""
        return self.phase_two_label[:1].upper() + self.phase_two_label[1:]

    def picker_phase(self, phase: int) -> str:
        """What removing a target writes, in a word or two (the pickers' rows)."""
        return {1: "phase 1", 2: "phase 2 due"}[phase]

    def removal_phase(self, phase: int) -> str:
        """What a removal plan of ``phase`` writes, for its title (``Remove field x — phase 1``)."""
        return f"phase {phase}"

    def applies(self, rule: str) -> bool:
        """Whether ``check`` reports this rule in a repository of this convention."""
        return rule not in self.excluded_rules

    def migration_class(self, project, operations: list[Op], *, post_deployment: bool, safe: str | None):
        return MigrationClass("migrations.Migration")

    def field_phase_one(self, project, model, field_state, definition) -> Removal:
        """``definition``: the field's phase-1 definition (expression, imports), ``None`` when unchanged."""
        return Removal([state_only_removal(model.name.lower(), field_state.name)])

    def model_phase_one(self, project, model, alters: list[Op]) -> Removal:
        return Removal([state_only_removal(model.name, None)])

    def phase_two(self, project, pending) -> Removal:
        """The drop of a pending deletion found in the graph."""
        if pending.field is None:
            return Removal(drop=[Leftover(pending.model_state)])
        return Removal(drop=[field_leftover(pending.model_state, pending.field_state.name, pending.field_state)])

    def drop(self, leftovers: list) -> list[Op]:
        return drop_operations(leftovers)

    def field_steps(self) -> list[str]:
        return [
            "Remove the code that uses the field (best in its own PR, merged first)",
            "Phase 1: null=True / db_constraint=False, drop its indexes and constraints, delete it from the model, "
            + self.pending_words,
            "Deploy phase 1: the column stays in the database, Django no longer uses it",
            f"{self.phase_two_title}: {self.drop_words} drops the column",
            "Deploy phase 2",
        ]

    def model_steps(self) -> list[str]:
        silo = ", add its table to historical_silo_assignments" if self.assigns_silo else ""
        return [
            "Remove the code that uses the model, and the foreign keys other models have to it (best in their own PRs)",
            f"Phase 1: db_constraint=False on its foreign keys, delete the class{silo}, {self.pending_words}",
            "Deploy phase 1: the table stays in the database, Django no longer uses it",
            f"{self.phase_two_title}: {self.drop_words} drops the table",
            "Deploy phase 2",
        ]

    def removal_steps(self) -> list[str]:
        return [
            "Remove the code that uses the fields and models (best in its own PR, merged first)",
            "Phase 1: drop their database constraints, indexes and constraints, delete them from the code, "
            + self.pending_words,
            "Deploy phase 1: columns and tables stay in the database, Django no longer uses them",
            f"{self.phase_two_title}: {self.drop_words} drops them",
            "Deploy phase 2",
        ]

    def fix_steps(self) -> list[str]:
        """The steps of ``fix-migration`` (a generated RemoveField / DeleteModel rewritten into phase 1)."""
        return [
            "makemigrations wrote RemoveField / DeleteModel, which drop columns and tables old code still uses",
            "Phase 1: rewrite them as AlterField (null=True / db_constraint=False) + " + self.pending_words,
            "Deploy phase 1: columns and tables stay in the database, Django no longer uses them",
            f"{self.phase_two_title}: {self.drop_words}",
            "Deploy phase 2",
        ]

    def remove_fix(self, kind: str) -> str:
        """The fix ``check`` gives for a plain RemoveField (``kind`` "field") or DeleteModel ("model")."""
        what = "column" if kind == "field" else "table"
        constraint = "null=True / db_constraint=False" if kind == "field" else "db_constraint=False on its foreign keys"
        return (
            f"Remove it in two deploys: this migration makes the {what} safe to leave ({constraint}) and removes it "
            "from the state only (SeparateDatabaseAndState(state_operations=[...])); a later PR, once this has "
            f"deployed, drops the {what}."
        )

    def drop_mark(self, kind: str) -> str:
        """What phase 2 writes for a pending ``kind`` ("field" or "model"), in a word or two."""
        return "RemoveField" if kind == "field" else "DeleteModel"

    def runs_after_deploy(self, migration) -> bool:
        """Whether the migration is run after the deploy rather than during it."""
        return False

    def deletion_steps(self, migration, watched: set[str]):
        """How pending deletions show in one migration, for the lifecycle: ``(step, (model, field or None),
        operation)``, ``step`` one of ``move`` (phase 1), ``drop`` (phase 2), ``restore`` / ``undo``
        (``state_only.deletion_steps``); ``watched``: the models moved earlier, lower case."""
        return deletion_steps(migration, watched)

    def lifecycle_mark(self, phase: int, kind: str, migration) -> str | None:
        """What a phase's migration does, in a few words, beside it in the lifecycle (``None``: nothing)."""
        return self.pending_mark if phase == 1 else self.drop_mark(kind)

    def deployed_unknown(self, migration, source: str | None) -> str | None:
        """Why ``source`` (``database``, ``git-ref``), which has ``migration``, cannot tell whether it has run in
        production (``None``: it can)."""
        return None

    def index_fix(self) -> str:
        return "Build the index outside the deploy (e.g. a separate migration run after it), or concurrently."
