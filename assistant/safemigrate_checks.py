"""``check``'s django-safemigrate rules: every migration marked, nothing run before the deploy that cannot be.

MA022: a migration without ``safe = Safe...``. MA023: a ``before_deploy``
migration depending on an ``after_deploy`` one that has not shipped yet
(``safemigrate`` refuses to run it before the deploy). MA024: a column or table
dropped by a migration marked ``before_deploy`` or ``always``.
"""

from __future__ import annotations

from .checks import Finding
from .conventions.safemigrate import marker_of
from .git_state import file_on_main
from .migration_files import MigrationFile

_DROPS = ("RemoveField", "DeleteModel")


def check_markers(project, migration: MigrationFile, path: str) -> list[Finding]:
    node = migration.migration_class
    line = node.lineno if node is not None else 1
    marker = marker_of(migration)
    if marker is None:
        return [
            Finding(
                "MA022",
                path,
                line,
                f"{migration.app_label}.{migration.name} has no safe marker: django-safemigrate runs it as "
                "Safe.always (5.0 and later; Safe.after_deploy before)",
                "Add safe = Safe.before_deploy() (additions the new code needs), Safe.after_deploy() (drops, "
                "backfills) or Safe.always() (changes safe either side of the deploy), importing Safe from "
                "django_safemigrate.",
            )
        ]
    findings = []
    if marker == "before_deploy":
        findings += _after_deploy_dependencies(project, migration, path, line)
    if marker in ("before_deploy", "always"):
        findings += _drops(migration, path, marker)
    return findings


def _after_deploy_dependencies(project, migration: MigrationFile, path: str, line: int) -> list[Finding]:
    found = []
    graph = project.index.graph
    for key in migration.dependencies:
        parent = graph.nodes.get(key) if key else None
        if parent is None or marker_of(parent) != "after_deploy":
            continue
        if file_on_main(project.root, project.relative(parent.path), project.config.main_branch):
            continue  # shipped: migrate has run it after that deploy
        found.append(
            Finding(
                "MA023",
                path,
                line,
                f"{migration.app_label}.{migration.name} is Safe.before_deploy but depends on "
                f"{key[0]}.{key[1]}, which is Safe.after_deploy and not on the main branch yet: "
                "manage.py safemigrate will refuse to run it before the deploy",
                f"Ship {key[0]}.{key[1]} (and migrate after its deploy) first, or mark this migration "
                "Safe.after_deploy() if it can wait until after the deploy.",
            )
        )
    return found


def _drops(migration: MigrationFile, path: str, marker: str) -> list[Finding]:
    found = []
    for op in _database_operations(migration.operations):
        if op.kind not in _DROPS:
            continue
        what = "column" if op.kind == "RemoveField" else "table"
        found.append(
            Finding(
                "MA024",
                path,
                op.line,
                f"{op.kind} drops a {what} in a Safe.{marker} migration: manage.py safemigrate runs it before the "
                "deploy, while the old code still uses it",
                "Drop it in a Safe.after_deploy() migration of its own (migrate-assistant remove-field / "
                "remove-model writes both).",
                end_line=op.call.end_lineno,
            )
        )
    return found


def _database_operations(operations):
    for op in operations:
        if op.kind == "SeparateDatabaseAndState":
            yield from _database_operations(op.database_operations)
        else:
            yield op
