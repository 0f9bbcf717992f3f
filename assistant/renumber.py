"""Put this branch's migrations of an app after the upstream leaf: one linear history.

The upstream leaf is never renamed; the local migrations (those that exist only
on this branch) keep their order and their names after the number, and get the
numbers that follow the upstream leaf (Django's numbering: a squashed head like
``0001_squashed_0118_x`` counts as 118).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import AssistantError
from .migration_graph import MigrationGraph, parse_number

Key = tuple[str, str]
_NUMBERED = re.compile(r"^\d+_(.+)$")


@dataclass
class Renumbering:
    app: str
    order: list[str]
    names: dict[str, str] = field(default_factory=dict)  # old name → new name, for every local migration
    parents: dict[str, str] = field(default_factory=dict)  # new name → new same-app parent, for every local one
    roots: set[str] = field(default_factory=set)  # old names of the migrations that get a new parent

    @property
    def leaf(self) -> str:
        return self.names[self.order[-1]]

    @property
    def renames(self) -> dict[Key, Key]:
        return {(self.app, old): (self.app, new) for old, new in self.names.items() if old != new}


def renumber(graph: MigrationGraph, app: str, upstream: set[str]) -> Renumbering | None:
    """How the local migrations of ``app`` (names not in ``upstream``) follow the upstream leaf;
    ``None`` when they already do (or there are none)."""
    names = graph.app_names(app)
    local = [name for name in names if name not in upstream]
    if not local:
        if len(graph.leaves(app)) > 1:
            raise AssistantError(
                f"app '{app}' has several leaves ({', '.join(graph.leaves(app))}) and all of them are upstream: "
                "the main branch itself needs a fix"
            )
        return None
    upstream_leaves = [
        name
        for name in names
        if name in upstream and not any(c[0] == app and c[1] in upstream for c in graph.children.get((app, name), []))
    ]
    if len(upstream_leaves) != 1:
        raise AssistantError(
            f"app '{app}': cannot tell the upstream leaf among {', '.join(upstream_leaves) or 'nothing'}"
        )
    leaf = upstream_leaves[0]
    order, roots = _chains(graph, app, set(local))
    plan = Renumbering(app, order, roots=roots)
    number = parse_number(leaf) or 0
    previous = leaf
    for position, name in enumerate(order, number + 1):
        match = _NUMBERED.match(name)
        new = f"{position:04d}_{match[1]}" if match else name
        plan.names[name] = new
        local_parents = [p[1] for p in graph.parents[(app, name)] if p[0] == app and p[1] in plan.names]
        plan.parents[new] = previous if name in roots else plan.names[local_parents[0]]
        previous = new
    unchanged = all(old == new for old, new in plan.names.items()) and all(
        {p[1] for p in graph.parents[(app, root)] if p[0] == app} == {plan.parents[plan.names[root]]} for root in roots
    )
    return None if unchanged else plan


def _chains(graph: MigrationGraph, app: str, local: set[str]) -> tuple[list[str], set[str]]:
    """Local migrations chain after chain (each in dependency order), and the roots to re-parent:
    the first migration of every chain."""
    topological = [m.name for m in graph.app_order(app) if m.name in local]
    component = {name: name for name in topological}

    def find(name: str) -> str:
        while component[name] != name:
            name = component[name]
        return name

    for name in topological:
        for parent in graph.parents[(app, name)]:
            if parent[0] == app and parent[1] in local:
                component[find(name)] = find(parent[1])
    first = {}
    for name in topological:
        first.setdefault(find(name), name)
    order = sorted(topological, key=lambda name: (first[find(name)], topological.index(name)))
    roots = {first[group] for group in first}
    return order, roots
