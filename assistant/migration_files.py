"""Read one migration file statically: its dependencies and its operations."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

from .pysource import Import, dotted_name, last_name, module_imports, parse_source, read_source, string_pairs

# Positional parameters of the operations whose state effects are replayed.
OPERATION_PARAMETERS = {
    "CreateModel": ("name", "fields", "options", "bases", "managers"),
    "DeleteModel": ("name",),
    "SafeDeleteModel": ("name",),
    "RenameModel": ("old_name", "new_name"),
    "AlterModelTable": ("name", "table"),
    "AlterUniqueTogether": ("name", "unique_together"),
    "AlterModelOptions": ("name", "options"),
    "AddField": ("model_name", "name", "field", "preserve_default"),
    "RemoveField": ("model_name", "name"),
    "SafeRemoveField": ("model_name", "name"),
    "AlterField": ("model_name", "name", "field", "preserve_default"),
    "RenameField": ("model_name", "old_name", "new_name"),
    "AddIndex": ("model_name", "index"),
    "RemoveIndex": ("model_name", "name"),
    "RenameIndex": ("model_name", "new_name", "old_name", "old_fields"),
    "AddConstraint": ("model_name", "constraint"),
    "RemoveConstraint": ("model_name", "name"),
    "SeparateDatabaseAndState": ("database_operations", "state_operations"),
    "RunSQL": ("sql", "reverse_sql", "state_operations", "hints", "elidable"),
    "SafeRunSQL": ("sql", "reverse_sql", "state_operations", "hints", "elidable"),
    "RunPython": ("code", "reverse_code", "atomic", "hints", "elidable"),
}
MOVE_TO_PENDING = "MOVE_TO_PENDING"
DELETE = "DELETE"


@dataclass
class Operation:
    """One operation call in a migration's ``operations`` list."""

    kind: str
    call: ast.Call
    args: dict[str, ast.expr]
    state_operations: list[Operation] = field(default_factory=list)
    database_operations: list[Operation] = field(default_factory=list)

    @property
    def line(self) -> int:
        return self.call.lineno

    def text(self, name: str) -> str | None:
        node = self.args.get(name)
        return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None

    @property
    def deletion_action(self) -> str | None:
        """``MOVE_TO_PENDING`` / ``DELETE`` for Sentry's Safe* operations."""
        node = self.args.get("deletion_action")
        if isinstance(node, ast.Attribute):
            return node.attr
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            return str(node.slice.value)
        return None


@dataclass
class MigrationFile:
    """A migration module as written on disk."""

    app_label: str
    name: str
    path: Path
    source: str
    tree: ast.Module
    base: str | None
    attributes: dict[str, ast.expr]
    dependencies: list[tuple[str, str] | None]
    replaces: list[tuple[str, str]]
    run_before: list[tuple[str, str]]
    operations: list[Operation]
    imports: list[Import]

    @property
    def key(self) -> tuple[str, str]:
        return (self.app_label, self.name)

    def flag(self, name: str) -> bool | None:
        node = self.attributes.get(name)
        return node.value if isinstance(node, ast.Constant) and isinstance(node.value, bool) else None

    def walk_operations(self):
        """Every operation, including those nested in SeparateDatabaseAndState / RunSQL."""
        stack = list(reversed(self.operations))
        while stack:
            operation = stack.pop()
            yield operation
            stack.extend(reversed(operation.state_operations + operation.database_operations))


def read_migration(app_label: str, path: Path) -> MigrationFile:
    source = read_source(path)
    tree = parse_source(source, path)
    migration_class = next(
        (node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == "Migration"), None
    )
    attributes: dict[str, ast.expr] = {}
    base = None
    if migration_class is not None:
        base = dotted_name(migration_class.bases[0]) if migration_class.bases else None
        for stmt in migration_class.body:
            if isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    if isinstance(target, ast.Name):
                        attributes[target.id] = stmt.value
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value:
                attributes[stmt.target.id] = stmt.value
    return MigrationFile(
        app_label=app_label,
        name=path.stem,
        path=path,
        source=source,
        tree=tree,
        base=base,
        attributes=attributes,
        dependencies=string_pairs(attributes.get("dependencies")),
        replaces=[pair for pair in string_pairs(attributes.get("replaces")) if pair],
        run_before=[pair for pair in string_pairs(attributes.get("run_before")) if pair],
        operations=_operations(attributes.get("operations")),
        imports=module_imports(tree),
    )


def _operations(node: ast.expr | None) -> list[Operation]:
    if not isinstance(node, (ast.List, ast.Tuple)):
        return []
    return [_operation(item) for item in node.elts if isinstance(item, ast.Call)]


def _operation(call: ast.Call) -> Operation:
    kind = last_name(call.func) or ""
    parameters = OPERATION_PARAMETERS.get(kind, ())
    args = dict(zip(parameters, call.args))
    args.update({kw.arg: kw.value for kw in call.keywords if kw.arg})
    return Operation(
        kind=kind,
        call=call,
        args=args,
        state_operations=_operations(args.get("state_operations")),
        database_operations=_operations(args.get("database_operations")),
    )
