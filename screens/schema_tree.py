"""The schema browser's nodes, built from the repository index: apps → models → fields, and each
app's migrations, with their badges.

This is the one place that decides what the browser shows and where each badge comes from
(pending deletions and their deployment lifecycle, findings of ``check``, what the static reader
cannot read); it imports no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass, field

APP, MODEL, FIELD, PENDING, MIGRATIONS, MIGRATION = "app", "model", "field", "pending", "migrations", "migration"


@dataclass(frozen=True)
class Badge:
    text: str
    tone: str  # "warning", "error" or "muted": the theme colour it is drawn in


@dataclass
class Node:
    """One row of the tree. ``key`` is what the command line calls it (``app.Model.field``,
    ``app/0001_initial``); ``name`` is what the row shows; ``item`` is the index object behind it (a model
    or a field in brief: ``models_cache.py``)."""

    kind: str
    key: str
    name: str
    depth: int
    parent: int | None
    detail: str = ""
    badges: list[Badge] = field(default_factory=list)
    item: object = None
    children: list[int] = field(default_factory=list)
    findings: list = field(default_factory=list)
    lifecycle: object = None  # a pending deletion's Lifecycle (phases merged / deployed), if known
    unreadable: list = field(default_factory=list)  # what the static reader cannot determine here

    @property
    def app_label(self) -> str:
        return self.key.split(".")[0].split("/")[0]


@dataclass
class SchemaTree:
    nodes: list[Node]

    def find(self, key: str) -> int | None:
        return next((number for number, node in enumerate(self.nodes) if node.key == key), None)

    def targets(self, kinds: set[str]) -> list:
        """Targets for the pickers: models and fields are due for phase 1, pending deletions phase 2."""
        from migrate_assistant.recipes.catalog import Target

        found = []
        for node in self.nodes:
            if node.kind == PENDING and node.item.kind in kinds:
                found.append(Target(node.key, node.item.kind, 2, node.detail))
            elif node.kind in kinds and node.kind in (MODEL, FIELD) and removable(node):
                found.append(Target(node.key, node.kind, 1, node.detail))
            elif node.kind in kinds and node.kind == MIGRATION:
                found.append(Target(node.key, node.kind, 0, node.detail))
        return found


def build_tree(project, check=None, status=None) -> SchemaTree:
    """Every app's concrete models (those its migrations name) and their fields, pending deletions (with
    their lifecycle from ``status``) and migrations (newest first)."""
    from migrate_assistant.index import Classless
    from migrate_assistant.migration_state import default_table

    index = project.index
    findings_by_path: dict[str, list] = {}
    for finding in check.findings if check else []:
        findings_by_path.setdefault(finding.path, []).append(finding)
    lifecycle = {item.target: item for item in status.lifecycle.items} if status and status.lifecycle else {}
    nodes: list[Node] = []

    def add(node: Node) -> int:
        nodes.append(node)
        if node.parent is not None:
            nodes[node.parent].children.append(len(nodes) - 1)
        return len(nodes) - 1

    for label in sorted(project.apps):
        app = add(Node(APP, label, label, 0, None, project.relative(project.apps[label].path)))
        pending = index.pending(label)
        migrated = set().union(*(m.strings for m in index.graph.app_order(label)))
        models = sorted(
            (m for m in index.model_summaries.get(label, []) if m.name.lower() in migrated),
            key=lambda m: m.name.lower(),
        )
        model_names = {m.name.lower() for m in models}
        by_model: dict[str, list] = {}  # a field's pending deletion comes right after its model's fields
        for deletion in pending.values():
            owner = deletion.model.lower() if deletion.field and deletion.model.lower() in model_names else ""
            by_model.setdefault(owner, []).append(deletion)

        def add_pending(deletion, parent: int, depth: int) -> None:
            name = deletion.field or deletion.model_state.name
            where = f"moved by {deletion.app_label}/{deletion.migration.name}"
            item = lifecycle.get(deletion.target)
            node = Node(PENDING, deletion.target, name, depth, parent, where, pending_badges(item), deletion)
            node.lifecycle = item
            add(node)

        model_rows: dict[str, int] = {}
        for model in sorted([*models, *index.classless(label)], key=lambda m: m.name.lower()):
            if isinstance(model, Classless):  # in the migrations' state only: what is missing is said
                badge = Badge(model.badge, "warning" if model.unknown else "muted")
                row = add(Node(MODEL, f"{label}.{model.name}", model.name, 1, app, badges=[badge], item=model))
                model_rows[model.name.lower()] = row
                continue
            table = model.db_table or default_table(label, model.name)
            row = add(Node(MODEL, f"{label}.{model.name}", model.name, 1, app, table, item=model))
            model_rows[model.name.lower()] = row
            for name, source in model.fields.items():
                add(Node(FIELD, f"{label}.{model.name}.{name}", name, 2, row, field_detail(source), item=source))
            for deletion in by_model.get(model.name.lower(), []):
                add_pending(deletion, row, 2)
        for deletion in by_model.get("", []):  # a model's deletion, or a field of a model no longer in the code
            add_pending(deletion, app, 1)
        for unreadable in dict.fromkeys(index.unreadable(label)):
            row = model_rows.get(unreadable.model) if unreadable.model else None
            nodes[app if row is None else row].unreadable.append(unreadable)
        for row in model_rows.values():
            if nodes[row].unreadable:
                nodes[row].badges.insert(0, Badge("unreadable", "error"))
        names = list(reversed(index.graph.app_names(label)))
        group = add(Node(MIGRATIONS, f"{label}/", "migrations", 1, app, f"{len(names)}"))
        for name in names:
            migration = index.graph.nodes[(label, name)]
            found = findings_by_path.get(project.relative(migration.path), []) if findings_by_path else []
            detail = migration_detail(migration, project.convention)
            node = Node(MIGRATION, f"{label}/{name}", name, 2, group, detail, item=migration)
            node.findings = found
            node.badges = finding_badges(found)
            add(node)
        _roll_up(nodes, group)
        _roll_up(nodes, app)
    return SchemaTree(nodes)


def pending_badges(lifecycle=None) -> list[Badge]:
    """A pending deletion's stage (``phase 1 deployed · 17 d``), a forgotten phase 2 in the error colour."""
    if lifecycle is None:
        return [Badge("pending · phase 2 due", "warning")]
    text = lifecycle.stage.replace("-", " ")
    if lifecycle.waiting_days is not None:
        text += f" · {lifecycle.waiting_days} d"
    badges = [Badge(text, "warning")]
    if lifecycle.forgotten:
        badges.insert(0, Badge("forgotten", "error"))
    return badges


def finding_badges(findings: list) -> list[Badge]:
    return [Badge(rule, "error") for rule in sorted({finding.rule for finding in findings})]


def _roll_up(nodes: list[Node], number: int) -> None:
    """A collapsed app or migrations folder counts what its children (and itself) carry."""
    node = nodes[number]
    pending = findings = 0
    unreadable = len(node.unreadable)
    classless = 0
    for child in _descendants(nodes, number):
        classless += _classless(child)
        pending += child.kind == PENDING
        findings += len(child.findings)
        unreadable += len(child.unreadable)
    if unreadable:
        node.badges.append(Badge(f"{unreadable} unreadable", "error"))
    if classless:
        node.badges.append(Badge(f"{classless} without class", "warning"))
    if pending:
        node.badges.append(Badge(f"{pending} pending", "warning"))
    if findings:
        node.badges.append(Badge(f"{findings} finding{'s' if findings > 1 else ''}", "error"))


def _descendants(nodes: list[Node], number: int):
    for child in nodes[number].children:
        yield nodes[child]
        yield from _descendants(nodes, child)


def field_detail(field) -> str:
    """``field``: a ``FieldSummary``."""
    parts = [field.class_name]
    if field.target:
        parts.append(f"→ {field.target}")
    if field.null:
        parts.append("null")
    elif field.db_default:
        parts.append("db_default")
    if field.inherited_from:
        parts.append(f"inherited from {field.inherited_from}")
    return " · ".join(parts)


def fit_detail(detail: str, room: int) -> str:
    """The leading `` · ``-separated parts of ``detail`` that fit whole in ``room`` columns: an identifier
    is shown whole or not at all."""
    parts = detail.split(" · ") if detail else []
    while parts and len(" · ".join(parts)) > room:
        parts.pop()
    return " · ".join(parts)


def migration_detail(migration, convention) -> str:
    flags = []
    if convention.runs_after_deploy(migration):
        flags.append(convention.after_deploy_badge)
    if migration.header.get("replaces"):
        flags.append("squashed")
    return " · ".join(flags)


def _classless(node: Node) -> bool:
    """A model of the migrations whose class is not read statically (a proxy's is: it is no warning)."""
    return node.kind == MODEL and getattr(node.item, "unknown", False)


def removable(node: Node) -> bool:
    """Not many-to-many, a primary key, inherited, or a model without a class read statically (a proxy's
    included): the recipes refuse to change those on one model."""
    if node.kind == MODEL:
        return not hasattr(node.item, "badge")
    return node.kind == FIELD and not (node.item.is_many_to_many or node.item.primary_key or node.item.inherited_from)
