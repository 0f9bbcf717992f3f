"""The migration graph of every app, built from the files on disk.

It follows Django's loader where the database is not needed: a squashed
migration stands for the migrations it replaces (as on a fresh database, and
as Django does when all or none of them are applied), ``__first__`` /
``__latest__`` resolve to an app's first root / leaf (and are ignored within
the app itself), and an app's leaves are its nodes without children in the
same app. A dependency on an app of the repository that names no migration of
it is recorded in ``broken`` (Django refuses to load such a graph); one on an
app outside the repository is external.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import AssistantError
from .migration_files import MigrationFile

Key = tuple[str, str]


def parse_number(name: str) -> int | None:
    """The number Django gives a migration name (``0001_squashed_0118_x`` → 118)."""
    squashed = re.search(r".*_squashed_(\d+)", name)
    if squashed:
        return int(squashed[1])
    match = re.match(r"^\d+", name)
    return int(match[0]) if match else None


@dataclass
class MigrationGraph:
    nodes: dict[Key, MigrationFile]
    parents: dict[Key, list[Key]] = field(default_factory=dict)
    children: dict[Key, list[Key]] = field(default_factory=dict)
    replaced_by: dict[Key, Key] = field(default_factory=dict)
    broken: list[tuple[MigrationFile, int, str]] = field(default_factory=list)  # (file, line, why)
    missing: set[tuple[Key, Key]] = field(default_factory=set)  # (migration, the parent it names that does not exist)
    _names: dict[str, list[str]] = field(default_factory=dict)  # computed once: the graph never changes
    _orders: dict[str, list[MigrationFile]] = field(default_factory=dict)
    _plan: dict[Key, int] = field(default_factory=dict)

    @classmethod
    def build(
        cls, files: list[MigrationFile], apps: set[str] | None = None, swappable: dict[str, str] | None = None
    ) -> MigrationGraph:
        """``apps``: the labels of the repository's apps (default: those with migrations);
        ``swappable``: setting name → app label, for ``swappable_dependency``."""
        on_disk = {migration.key: migration for migration in files}
        replaced_by: dict[Key, Key] = {}
        for migration in files:
            for replaced in migration.replaces:
                replaced_by[replaced] = migration.key

        def resolve(key: Key) -> Key:
            seen = set()
            while key in replaced_by and key not in seen:
                seen.add(key)
                key = replaced_by[key]
            return key

        nodes = {key: migration for key, migration in on_disk.items() if key not in replaced_by}
        graph = cls(nodes, replaced_by=replaced_by)
        local = apps if apps is not None else {key[0] for key in on_disk}
        special: dict[tuple[str, Key], Key | None] = {}
        for resolving in (True, False):  # first without __first__/__latest__, which need the roots and leaves
            graph.parents = {key: [] for key in nodes}
            graph.children = {key: [] for key in nodes}
            graph.broken, graph.missing = [], set()
            for key, migration in nodes.items():
                extra = [
                    (swappable[name], "__first__")
                    for name in migration.header.get("swappable", [])
                    if name in (swappable or {})
                ]
                lines = migration.dependency_lines
                for position, dependency in enumerate(migration.dependencies + extra):
                    if dependency is None:
                        continue
                    line = lines[min(position, len(lines) - 1)] if lines else 1
                    if dependency[1] in ("__first__", "__latest__"):
                        if resolving:
                            special[(key[0], dependency)] = None
                            continue
                        parent = special[(key[0], dependency)]
                        if parent is None:
                            continue
                    else:
                        parent = resolve(dependency)
                    graph._link(parent, key, migration, line, local)
            if not special:
                break
            if resolving:
                special = {(app, dependency): graph._special(dependency, app) for app, dependency in special}
        for migration in nodes.values():  # run_before: the named migration depends on this one
            for target in migration.run_before:
                target = resolve(target)
                if target in graph.parents and migration.key not in graph.parents[target]:
                    graph.parents[target].append(migration.key)
                    graph.children[migration.key].append(target)
                elif target not in graph.parents and target[0] in local:
                    graph.broken.append(
                        (migration, 1, f"run_before names {target[0]}.{target[1]}, which does not exist")
                    )
        return graph

    def _link(self, parent: Key, key: Key, migration: MigrationFile, line: int, local: set[str]) -> None:
        if parent not in self.nodes and parent[0] in local:
            what = "has no migrations" if not self.app_names(parent[0]) else "does not exist"
            if parent[1] in ("__first__", "__latest__"):
                what = "names an app with no migrations"
            self.broken.append((migration, line, f"dependency {parent[0]}.{parent[1]} {what}"))
            self.missing.add((key, parent))
            return
        if parent == key or parent in self.parents[key]:
            return
        self.parents[key].append(parent)
        self.children.setdefault(parent, []).append(key)

    def _special(self, dependency: Key, app_of_node: str) -> Key | None:
        """``__first__`` / ``__latest__`` as Django resolves them; ``None`` when ignored (same app)."""
        app, name = dependency
        if app == app_of_node:
            return None
        names = self.app_names(app)
        if not names:
            return dependency
        if name == "__latest__":
            return (app, self.leaves(app)[0])
        roots = [n for n in names if not any(p[0] == app for p in self.parents.get((app, n), []))]
        return (app, (roots or names)[0])

    def app_names(self, app: str) -> list[str]:
        if not self._names:
            for label, name in sorted(self.nodes):
                self._names.setdefault(label, []).append(name)
        return self._names.get(app, [])

    def leaves(self, app: str) -> list[str]:
        """Nodes of ``app`` that no other node of ``app`` depends on."""
        return [
            name
            for name in self.app_names(app)
            if not any(child[0] == app for child in self.children.get((app, name), []))
        ]

    def leaf(self, app: str) -> str | None:
        """The single leaf of ``app``; several leaves are a conflict to resolve first."""
        leaves = self.leaves(app)
        if len(leaves) > 1:
            raise AssistantError(
                f"app '{app}' has {len(leaves)} leaf migrations ({', '.join(leaves)}): "
                "resolve the conflict first (migrate-assistant fix-lockfile)"
            )
        return leaves[0] if leaves else None

    def next_number(self, app: str) -> int:
        """The number of the app's next migration, as Django gives it: the leaf's plus one."""
        leaf = self.leaf(app)
        return (parse_number(leaf) or 0) + 1 if leaf else 1

    def app_order(self, app: str) -> list[MigrationFile]:
        """The app's migrations in an order that respects same-app dependencies."""
        if app not in self._orders:
            self._orders[app] = self._app_order(app)
        return self._orders[app]

    def _app_order(self, app: str) -> list[MigrationFile]:
        names = self.app_names(app)
        pending = {name: {p[1] for p in self.parents[(app, name)] if p[0] == app and p in self.nodes} for name in names}
        order: list[MigrationFile] = []
        ready = sorted(name for name, deps in pending.items() if not deps)
        while ready:
            name = ready.pop(0)
            order.append(self.nodes[(app, name)])
            del pending[name]
            for child in self.children.get((app, name), []):
                if child[0] == app and child[1] in pending:
                    pending[child[1]].discard(name)
                    if not pending[child[1]]:
                        ready.append(child[1])
                        ready.sort()
        if pending:
            raise AssistantError(f"app '{app}' has a dependency cycle among: {', '.join(sorted(pending))}")
        return order

    def plan_positions(self) -> dict[Key, int]:
        """Each node's place in the order Django applies the whole graph (``MigrationGraph.make_state`` at the
        end: the forwards plan of each leaf, leaves sorted, parents visited in Django's depth-first order)."""
        if not self._plan:
            for leaf in sorted(key for key in self.nodes if not any(c[0] == key[0] for c in self.children[key])):
                stack = [(leaf, False)]
                while stack:
                    key, processed = stack.pop()
                    if key in self._plan:
                        continue
                    if processed:
                        self._plan[key] = len(self._plan)
                    else:
                        stack.append((key, True))
                        stack += [(parent, False) for parent in sorted(self.parents.get(key, []))]
        return self._plan

    def ancestors(self, key: Key) -> set[Key]:
        seen: set[Key] = set()
        stack = [key]
        while stack:
            for parent in self.parents.get(stack.pop(), []):
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        return seen
