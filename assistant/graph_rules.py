"""Rules on the migration graph, not on one operation: what breaks deploys and upgrades.

Per checked migration: dependencies that do not exist (MA013), another app's
model used without a dependency that creates it (MA014), a pre-deploy migration
after a post-deploy one (MA015). For the branch: the lockfile (MA016), two
leaves (MA017), upstream migrations edited or deleted (MA018), squashes that
lose pending deletions (MA019), both phases of one deletion (MA020).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from .checks import Finding
from .conventions.sentry import safe_target
from .git_state import BranchBase, branch_base, open_repo
from .lockfile import ENTRY, Lockfile, has_conflict_markers
from .migration_files import DELETE, MOVE_TO_PENDING, MigrationFile
from .project import Project
from .pysource import keyword_map, last_name, read_source, string_value

FIX_LOCKFILE = "migrate-assistant fix-lockfile"
_RELATION = re.compile(r"^(?!HybridCloud).*(ForeignKey|OneToOneField|ManyToManyField)$")  # HybridCloud: no FK


def migration_findings(project: Project, migration: MigrationFile) -> list[Finding]:
    """MA013–MA015 for one migration."""
    return _dangling(project, migration) + _cross_app(project, migration) + _after_post_deployment(project, migration)


def branch_findings(project: Project, branch: BranchBase | None = None) -> list[Finding]:
    """MA016–MA019: the state of the whole branch (``branch``: where it left the main branch, if already asked)."""
    if branch is None and (project.root / ".git").exists():
        branch = branch_base(project.root, project.config.main_branch)
    findings = _lockfile(project, branch) + _leaves(project) + _upstream_changed(project, branch)
    for lost in lost_pending(project):
        findings.append(
            Finding(
                "MA019",
                lost.path,
                lost.line,
                f"squash {lost.squash} replaces migrations that move {', '.join(lost.targets)} to pending deletion, "
                "but its own operations do not: Django forgets they are pending, so the later DELETE can never "
                "run and the columns/tables stay in production",
                "Reproduce each pending deletion in the squash (CreateModel / AddField, then SafeRemoveField / "
                "SafeDeleteModel with MOVE_TO_PENDING, as Sentry's bake_pending_deletions does), or land their "
                "phase 2 before squashing.",
            )
        )
    return findings


def _line(migration: MigrationFile, text: str) -> int:
    """The first line of the file that contains ``text`` (1 when none does)."""
    for number, line in enumerate(migration.source.splitlines(), 1):
        if text in line:
            return number
    return 1


# MA013 -----------------------------------------------------------------------------------


def _dangling(project: Project, migration: MigrationFile) -> list[Finding]:
    graph = project.index.graph
    found = []
    for dependency in migration.dependencies:
        if dependency is None or dependency[0] not in project.apps:
            continue  # swappable or another package's app: not in this repository
        app, name = dependency
        if name in ("__first__", "__latest__"):
            exists = bool(graph.app_names(app))
        else:
            exists = dependency in graph.nodes or dependency in graph.replaced_by
        if exists:
            continue
        names = graph.app_names(app)
        same_number = [other for other in names if other[:4] == name[:4]]
        hint = f" ({app} has {', '.join(same_number)})" if same_number else ""
        found.append(
            Finding(
                "MA013",
                project.relative(migration.path),
                _line(migration, f'"{name}"') if f'"{name}"' in migration.source else _line(migration, name),
                f"{migration.app_label}/{migration.name} depends on {app}/{name}, which does not exist{hint}: "
                "Django stops with NodeNotFoundError on every deploy and upgrade",
                f"Depend on a migration that exists: the one this was written after (the leaf of {app} is "
                f"{', '.join(graph.leaves(app)) or 'none'}).",
            )
        )
    return found


# MA014 -----------------------------------------------------------------------------------


def _related_models(migration: MigrationFile):
    """(operation line, "app.model") of every relation written in the migration's operations."""
    for op in migration.walk_operations():
        fields = []
        if op.kind in ("AddField", "AlterField") and isinstance(op.args.get("field"), ast.Call):
            fields.append(op.args["field"])
        elif op.kind == "CreateModel" and isinstance(op.args.get("fields"), (ast.List, ast.Tuple)):
            for item in op.args["fields"].elts:
                if isinstance(item, ast.Tuple) and len(item.elts) == 2 and isinstance(item.elts[1], ast.Call):
                    fields.append(item.elts[1])
        for call in fields:
            target = string_value(keyword_map(call).get("to"))
            if target is None and call.args and _RELATION.search(last_name(call.func) or ""):
                target = string_value(call.args[0])
            if target and target.count(".") == 1:
                yield op.line, target


def _cross_app(project: Project, migration: MigrationFile) -> list[Finding]:
    graph = project.index.graph
    found = []
    ancestors = None
    for line, target in _related_models(migration):
        app, model = target.split(".")
        if app == migration.app_label or app not in project.apps:
            continue
        creators = [
            other.key
            for other in graph.app_order(app)
            if model.lower() in other.strings
            for op in other.walk_operations()
            if op.kind == "CreateModel" and (op.text("name") or "").lower() == model.lower()
        ]
        if not creators:
            continue  # not created by a migration of this repository: nothing to require
        ancestors = ancestors if ancestors is not None else graph.ancestors(migration.key)
        if any(creator in ancestors for creator in creators):
            continue
        creator = creators[-1]
        found.append(
            Finding(
                "MA014",
                project.relative(migration.path),
                line,
                f"{migration.app_label}/{migration.name} points at {target}, but no dependency guarantees that "
                f"{creator[0]}/{creator[1]} (which creates it) runs first: a fresh or self-hosted database can "
                "apply this migration before the table exists",
                f'Add ("{creator[0]}", "{creator[1]}") to its dependencies.',
            )
        )
    return found


# MA015 -----------------------------------------------------------------------------------


def _after_post_deployment(project: Project, migration: MigrationFile) -> list[Finding]:
    if migration.flag("is_post_deployment"):
        return []
    graph = project.index.graph
    found = []
    for parent_key in graph.parents.get(migration.key, []):
        parent = graph.nodes.get(parent_key)
        if parent is None or not parent.flag("is_post_deployment") or parent.flag("initial") or parent.replaces:
            continue  # squashed and initial migrations are post-deployment only to allow their locks
        found.append(
            Finding(
                "MA015",
                project.relative(migration.path),
                _line(migration, parent.name),
                f"{migration.app_label}/{migration.name} runs during the deploy but depends on "
                f"{parent.app_label}/{parent.name}, which is post-deployment (run by hand after the deploy): "
                "the deploy's migrate stops, or runs the post-deployment migration unmonitored",
                f"Depend on the migration before {parent.name} instead, or mark this one is_post_deployment = True "
                "if it may run after the deploy too.",
            )
        )
    return found


# MA020 -----------------------------------------------------------------------------------


def both_phases(project: Project, checked: list[MigrationFile]) -> list[Finding]:
    """MA020: a MOVE_TO_PENDING and the DELETE of the same target among the checked migrations."""
    moved = set()
    deletes = []
    for migration in checked:
        for op in migration.walk_operations():
            key = safe_target(op)
            if key is None:
                continue
            if op.deletion_action == MOVE_TO_PENDING:
                moved.add((migration.app_label, *key))
            elif op.deletion_action == DELETE:
                deletes.append(((migration.app_label, *key), migration, op))
    found = []
    for key, migration, op in deletes:
        if key not in moved:
            continue
        target = ".".join(part for part in key if part)
        found.append(
            Finding(
                "MA020",
                project.relative(migration.path),
                op.line,
                f"phase 1 and phase 2 of {target} are on the same branch: the column/table is dropped while code "
                "that still uses it may be running (phase 1 has not deployed)",
                "Ship phase 1 alone; write phase 2 in a later PR merged after phase 1 has deployed "
                "(or stack them: --stack).",
            )
        )
    return found


# MA016 / MA017 ---------------------------------------------------------------------------


def _lockfile(project: Project, branch: BranchBase | None) -> list[Finding]:
    if project.lockfile is None:
        from .max_migration import max_migration_findings

        return max_migration_findings(project, lambda project, path: _changed_on_branch(project, path, branch))
    if not project.lockfile.is_file():
        return []
    path = project.relative(project.lockfile)
    text = read_source(project.lockfile)
    lines = text.splitlines()
    if has_conflict_markers(text):
        line = next(number for number, item in enumerate(lines, 1) if item.startswith(("<<<<<<<", "=======")))
        return [
            Finding(
                "MA016",
                path,
                line,
                f"{path} has conflict markers",
                "Resolve them from the graph: the branch's migrations renumbered after the upstream leaf and the "
                "lockfile regenerated.",
                FIX_LOCKFILE,
            )
        ]
    if not _changed_on_branch(project, path, branch):
        return []  # a lockfile this branch did not touch is not this branch's finding
    graph = project.index.graph
    found = []
    for app, name in Lockfile.parse(text, path).entries.items():
        leaves = graph.leaves(app) if app in project.apps else []
        if len(leaves) != 1 or leaves[0] == name:
            continue
        line = next((n for n, item in enumerate(lines, 1) if (m := ENTRY.match(item)) and m[1] == app), 1)
        missing = (app, name) not in graph.nodes and (app, name) not in graph.replaced_by
        found.append(
            Finding(
                "MA016",
                path,
                line,
                f"{path} says {app}: {name}"
                + (", which does not exist" if missing else "")
                + f", but the leaf of {app} is {leaves[0]}",
                f"Write {app}: {leaves[0]} (the lockfile names each app's leaf).",
                FIX_LOCKFILE,
            )
        )
    return found


def _changed_on_branch(project: Project, path: str, branch: BranchBase | None) -> bool:
    """Whether ``path`` differs from the merge-base with the main branch (uncommitted changes included)."""
    if branch is None or branch.base is None:
        return True
    with open_repo(project.root) as repo:
        return bool(repo.git.diff("--name-only", branch.base, "--", path)) or bool(
            repo.git.ls_files("--others", "--exclude-standard", "--", path)
        )


def _leaves(project: Project) -> list[Finding]:
    """MA017, except in an app with a migration that cannot be read or that names a missing parent in its own
    app: its parent is a leaf only in the static reading (Django stops at the broken graph, reported apart)."""
    graph = project.index.graph
    broken = {key[0] for key, parent in graph.missing if parent[0] == key[0]}
    broken |= {migration.app_label for migration in project.index.migrations if migration.error is not None}
    found = []
    for app in sorted(project.apps):
        leaves = graph.leaves(app)
        if len(leaves) < 2 or app in broken:
            continue
        migration = graph.nodes[(app, leaves[-1])]
        found.append(
            Finding(
                "MA017",
                project.relative(migration.path),
                1,
                f"app {app} has {len(leaves)} leaves ({', '.join(leaves)}): Django refuses to migrate "
                "(Conflicting migrations detected)",
                "Renumber this branch's migration after the upstream leaf and depend on it.",
                FIX_LOCKFILE,
            )
        )
    return found


# MA018 -----------------------------------------------------------------------------------


def _upstream_changed(project: Project, branch: BranchBase | None) -> list[Finding]:
    """Migrations that exist on the main branch (at the merge-base) and were edited or deleted here."""
    if branch is None or branch.base is None:
        return []
    base = branch.base
    folders = [project.relative(app.migrations_dir) for app in project.apps.values()]
    with open_repo(project.root) as repo:
        output = repo.git.diff("--no-renames", "--name-status", "--diff-filter=MD", base, "--", *folders)
        changes = [line.split("\t", 1) for line in output.splitlines() if "\t" in line]
        found = []
        for status, path in changes:
            name = path.rsplit("/", 1)[-1]
            if not (name[:1].isdigit() and name.endswith(".py")):
                continue
            if status == "D" and _replaced(project, path):
                continue  # a squash replaces it: Django no longer needs the file
            before = repo.git.show(f"{base}:{path}", strip_newline_in_stdout=False)
            found.append(_upstream_finding(project, path, status, before))
        return found


def _replaced(project: Project, path: str) -> bool:
    stem = path.rsplit("/", 1)[-1].removesuffix(".py")
    return any(key[1] == stem for key in project.index.graph.replaced_by)


def _upstream_finding(project: Project, path: str, status: str, before: str) -> Finding:
    if status == "D":
        return Finding(
            "MA018",
            path,
            1,
            f"{path} exists on the main branch and was deleted on this branch: databases that applied it keep "
            "it in django_migrations, and migrations that depend on it break (NodeNotFoundError)",
            f"Restore it (git checkout {_main_name(project)} -- {path}); undo a change with a new migration.",
        )
    after = read_source(project.root / path)
    line = next(
        (i + 1 for i, (old, new) in enumerate(zip(before.splitlines(), after.splitlines())) if old != new),
        min(len(before.splitlines()), len(after.splitlines())) + 1,
    )
    return Finding(
        "MA018",
        path,
        line,
        f"{path} exists on the main branch and was edited on this branch: databases that already applied it "
        "never see the change (InconsistentMigrationHistory or schema drift)",
        f"Restore it (git checkout {_main_name(project)} -- {path}) and put the change in a new migration.",
    )


def _main_name(project: Project) -> str:
    return project.config.main_branch or "main"


# MA019 -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LostPending:
    """A squash whose replaced migrations leave deletions pending that its own body does not."""

    squash: str  # "app/name"
    path: str
    line: int
    targets: list[str]


def lost_pending(project: Project) -> list[LostPending]:
    """Squashes (still in the graph) that drop pending deletions; unjudged when a replaced file is gone."""
    index = project.index
    on_disk = {migration.key: migration for migration in index.migrations}
    found = []
    for migration in index.graph.nodes.values():
        if not migration.replaces:
            continue
        replaced = [on_disk.get(key) for key in migration.replaces]
        if any(item is None for item in replaced):
            continue
        lost = _pending_after(replaced) - _pending_after([migration])
        if lost:
            targets = sorted(
                ".".join([migration.app_label, model] + ([field] if field else [])) for model, field in lost
            )
            found.append(
                LostPending(
                    f"{migration.app_label}/{migration.name}",
                    project.relative(migration.path),
                    _line(migration, "replaces"),
                    targets,
                )
            )
    return found


def _pending_after(migrations: list[MigrationFile]) -> set[tuple[str, str | None]]:
    pending: set[tuple[str, str | None]] = set()
    for migration in migrations:
        if not migration.has_deletions:
            continue
        for op in migration.walk_operations():
            key = safe_target(op)
            if key is None:
                continue
            if op.deletion_action == MOVE_TO_PENDING:
                pending.add(key)
            elif op.deletion_action == DELETE:
                pending.discard(key)
    return pending
