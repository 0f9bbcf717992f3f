"""Resolve lockfile conflicts (``migrations_lockfile.txt``, or django-linear-migrations'
``max_migration.txt`` files), Sentry's way but for every app at once.

After a merge or rebase (with conflict markers in the lockfile, two-way or
diff3, or none at all but an app with several leaves), the migrations that
exist only on this branch are renumbered after the upstream leaf, their
dependencies and every other reference to their old names are rewritten, the
lockfile is regenerated from the graph and the result is staged, so that
``git rebase --continue`` / ``git commit`` is all that is left. A migration that
exists upstream (in the commit being merged or rebased onto, or on the main
branch) is never renamed.
"""

from __future__ import annotations

import ast
from pathlib import Path

from migrate_assistant.errors import AssistantError
from migrate_assistant.git_state import committed_paths, situation, unstaged_paths
from migrate_assistant.migration_references import rewrite_migration, rewrite_migration_test
from migrate_assistant.plan import Plan
from migrate_assistant.project import Project
from migrate_assistant.renumber import Renumbering, renumber

from .planning import Planner

STEPS = [
    "Find the migrations that exist only on this branch (never rename one that exists upstream)",
    "Renumber them after the upstream leaf, rewrite their dependencies and every reference to them",
    "Regenerate the lockfile from the graph and stage the result",
    "Finish the merge or rebase (git commit / git rebase --continue)",
]
CONTINUE = {"rebase": "git rebase --continue", "merge": "git commit", None: "git commit"}


def plan_fix_lockfile(project: Project) -> Plan:
    lock = project.lock
    if lock is None:
        raise AssistantError(
            "this repository has no migrations_lockfile.txt (set lockfile in [tool.migrate-assistant]) "
            "and no max_migration.txt"
        )
    where = situation(project.root, project.config.main_branch)
    others = [path for path in where.unmerged if path not in lock.paths()]
    if others:
        raise AssistantError(
            f"{', '.join(others)} {'has' if len(others) == 1 else 'have'} conflicts too: resolve "
            f"{'it' if len(others) == 1 else 'them'} first (fix-lockfile resolves only the lockfile and migration numbers)"
        )
    project.index.require_sound_graph()  # a missing file or dependency is not a numbering conflict
    graph = project.index.graph
    folders = {label: project.relative(app.migrations_dir) for label, app in project.apps.items()}
    upstream = _upstream_names(project, where, folders)
    plans = [p for p in (renumber(graph, label, upstream.get(label, set())) for label in sorted(project.apps)) if p]
    renames = {old: new for p in plans for old, new in p.renames.items()}

    planner = Planner(project)
    changes = planner.changes
    for p in plans:
        for old in p.order:
            migration = graph.nodes[(p.app, old)]
            path = project.relative(migration.path)
            parent = (p.app, p.parents[p.names[old]]) if old in p.roots else None
            text = rewrite_migration(migration.source, migration.path, renames, parent)
            if p.names[old] != old:
                changes.move(path, f"{folders[p.app]}/{p.names[old]}.py", text)
            elif text != migration.source:
                changes.write(path, text)
    local = {(p.app, old) for p in plans for old in p.order}
    for key, migration in graph.nodes.items():
        if key in local or not _refers_to(migration, renames):
            continue
        text = rewrite_migration(migration.source, migration.path, renames)
        changes.write(project.relative(migration.path), text)
    _migration_tests(project, changes, plans, renames)
    for path, text in _regenerated(project, changes, lock, plans).items():
        changes.write(path, text)

    edits = changes.edits()
    _unstaged(project, edits, set(lock.paths()))
    if not edits:
        plan = Plan("Fix the lockfile: nothing to do", STEPS, 3, [], next_steps=[])
        plan.warnings.append("every app has one leaf and the lockfile agrees with the graph")
        return plan
    plan = planner.plan(
        "Fix the lockfile" + (f" ({where.operation} in progress)" if where.operation else ""),
        STEPS,
        2,
        [
            f"Check the result, then run {CONTINUE[where.operation]}",
            "If you had applied a renamed migration locally, migrate back before it first",
        ],
        "",
    )
    plan.stage = True
    return plan


def _upstream_names(project: Project, where, folders: dict[str, str]) -> dict[str, set[str]]:
    """Per app, the migration names that exist upstream (on any upstream candidate: never renamed)."""
    if not where.candidates:
        raise AssistantError(
            "cannot tell which migrations exist upstream: no merge or rebase is in progress and there is no "
            "main branch (set main-branch in [tool.migrate-assistant])"
        )
    graph = project.index.graph
    names: dict[str, set[str]] = {label: set() for label in folders}
    where_found: dict[tuple[str, str], str] = {}
    for ref in where.candidates:
        paths = committed_paths(project.root, [ref], sorted(folders.values()))
        for label, folder in folders.items():
            found = {Path(p).stem for p in paths if p.startswith(folder + "/") and p.endswith(".py")}
            for name in found - names[label]:
                where_found[(label, name)] = _shown(ref, where)
            names[label] |= found
    for label in folders:
        leaves = graph.leaves(label)
        if len(leaves) > 1 and set(leaves) <= names[label]:
            places = ", ".join(f"{leaf} on {where_found[(label, leaf)]}" for leaf in leaves)
            raise AssistantError(
                f"app '{label}' has several leaves ({', '.join(leaves)}) and all of them are upstream ({places}): "
                "cannot tell which side to renumber; if a branch named here is not the trunk, set main-branch "
                "in [tool.migrate-assistant] (or fix the main branch itself)"
            )
    return names


def _shown(ref: str, where) -> str:
    if ref == where.upstream and where.operation:
        return f"the {where.operation}'s other side"
    return ref[:10] if len(ref) == 40 else ref


def _unstaged(project: Project, edits, lock_paths: set[str]) -> None:
    """Staging must add only what fix-lockfile writes: the user's unstaged changes are refused."""
    existing = [path for edit in edits for path in edit.paths if (project.root / path).exists()]
    mixed = unstaged_paths(project.root, existing, lock_paths)
    if mixed:
        raise AssistantError(
            f"{', '.join(mixed)} {'has' if len(mixed) == 1 else 'have'} changes that are not staged (or not "
            "tracked): fix-lockfile stages what it writes and would stage them too; commit or stash them "
            "first (git stash), then run it again; nothing was written"
        )


def _refers_to(migration, renames) -> bool:
    return any(
        pair in renames for pair in [*migration.dependencies, *migration.run_before, *migration.replaces] if pair
    )


def _migration_tests(project: Project, changes, plans: list[Renumbering], renames) -> None:
    """Migration tests follow: ``test_<name>.py`` files and their ``migrate_from`` / ``migrate_to``."""
    parents = {(p.app, new): (p.app, p.parents[new]) for p in plans for new in p.parents}
    default_app = project.convention.migration_test_app

    def app_of(values) -> str | None:
        node = values.get("app")
        return node.value if isinstance(node, ast.Constant) else default_app

    for path in _test_files(project):
        relative = project.relative(path)
        text = changes.read(relative)
        if not any(old[1] in text for old in renames):
            continue
        new_text = rewrite_migration_test(text, path, app_of, renames, parents)
        moved = next((new for (app, old), new in renames.items() if path.name == f"test_{old}.py"), None)
        if moved is not None:
            changes.move(relative, project.relative(path.with_name(f"test_{moved[1]}.py")), new_text)
        elif new_text != text:
            changes.write(relative, new_text)


def _test_files(project: Project) -> list[Path]:
    roots = [project.root / "tests"]
    if project.config.migration_tests:
        roots.append(project.root / project.config.migration_tests)
    found = set()
    for root in roots:
        if root.is_dir():
            found.update(p for p in root.rglob("test_*.py") if "migrations" in p.parent.parts)
    return sorted(found)


def _regenerated(project: Project, changes, lock, plans: list[Renumbering]) -> dict[str, str]:
    """The lockfile(s) from the graph's leaves after the renames, in their own format."""
    leaves = {p.app: p.leaf for p in plans}
    graph = project.index.graph

    def leaf_of(app: str) -> str | None:
        if app in leaves:
            return leaves[app]
        if app in project.apps and graph.app_names(app):
            return graph.leaf(app)
        return None

    return lock.regenerated(changes.read, leaf_of)
