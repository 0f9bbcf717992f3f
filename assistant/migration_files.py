"""Read one migration file statically: its dependencies and its operations.

The graph needs only each file's header (``dependencies``, ``replaces``,
``run_before``, the flags, and what of its operations cannot be read
statically), which is cached (``header_cache.py``); the module is parsed again
only when its operations are replayed.
"""

from __future__ import annotations

import ast
import re
from functools import cached_property
from pathlib import Path

from .errors import AssistantError
from .migration_operations import Operation, read_operations
from .operation_classes import imported_operation_kind
from .pysource import Import, dotted_name, last_name, module_imports, parse_source, read_source, string_pairs

MOVE_TO_PENDING = "MOVE_TO_PENDING"
DELETE = "DELETE"
HEADER_ATTRIBUTES = ("dependencies", "replaces", "run_before", "initial", "is_post_deployment", "atomic", "checked")


class MigrationFile:
    """A migration module as written on disk.

    The header (dependencies, replaces, run_before, flags, base class) and the
    short string literals of the file are known without parsing it; the source
    is read and parsed on first use of its operations.
    """

    def __init__(self, app_label: str, path: Path, header: dict, source: str | None = None):
        self.app_label = app_label
        self.name = path.stem
        self.path = path
        if source is not None:
            self.source = source
        self.header = header
        self.dependencies = [tuple(pair) if pair else None for pair in header["dependencies"]]
        self.replaces = [tuple(pair) for pair in header["replaces"]]
        self.run_before = [tuple(pair) for pair in header["run_before"]]
        self.base: str | None = header["base"]
        self.strings = frozenset(header["strings"])

    @property
    def key(self) -> tuple[str, str]:
        return (self.app_label, self.name)

    def flag(self, name: str) -> bool | None:
        return self.header["flags"].get(name)

    @property
    def has_deletions(self) -> bool:
        """Whether it may hold a Safe* operation (it mentions ``deletion_action``)."""
        return self.header["deletions"]

    @property
    def may_separate_state(self) -> bool:
        """Whether it may hold a state-only operation (it mentions ``SeparateDatabaseAndState``)."""
        return self.header.get("separates", True)

    @property
    def has_model_renames(self) -> bool:
        return self.header["renames"]

    @property
    def model_events(self) -> list[list[str]]:
        """What it does to the state's set of models, in order: ``["+", name]``, ``["-", name]``,
        ``["~", old, new]``; read again from its operations when it uses operation classes of the repository
        (the header does not know what they act as)."""
        if self.header.get("custom"):
            return model_events(self.operations)
        return self.header["models"]

    @cached_property
    def source(self) -> str:
        return read_source(self.path)

    @cached_property
    def tree(self) -> ast.Module:
        return parse_source(self.source, self.path)

    @cached_property
    def migration_class(self) -> ast.ClassDef | None:
        return _migration_class(self.tree)

    @cached_property
    def attributes(self) -> dict[str, ast.expr]:
        return _class_attributes(self.migration_class)

    @cached_property
    def operations(self) -> list[Operation]:
        if self.error is not None:
            return []
        return read_operations(self.tree, self.migration_class, self.imported_kinds).operations

    @cached_property
    def imported_kinds(self) -> dict[str, str]:
        """The Django operation each operation class imported from the repository acts as."""
        found = {}
        for _, name, *_ in self.header.get("custom", []):
            kind = imported_operation_kind(self.path, self.tree, name)
            if kind:
                found[name] = kind
        return found

    @property
    def has_migration_class(self) -> bool:
        """False for a module Django's loader refuses in ``migrations/`` (no ``Migration`` class): no graph node."""
        return not self.header.get("no_migration_class")

    @property
    def error(self) -> tuple[int, str] | None:
        """``(line, message)`` when Django could not load the file: it does not parse, or has no ``Migration`` class."""
        error = self.header.get("error")
        return (error[0], error[1]) if error else None

    @property
    def dependency_lines(self) -> list[int]:
        return self.header.get("lines") or [1] * len(self.dependencies)

    @cached_property
    def imports(self) -> list[Import]:
        return module_imports(self.tree)

    def walk_operations(self):
        """Every operation, including those nested in SeparateDatabaseAndState / RunSQL."""
        stack = list(reversed(self.operations))
        while stack:
            operation = stack.pop()
            yield operation
            stack.extend(reversed(operation.state_operations + operation.database_operations))


def read_migration(app_label: str, path: Path) -> MigrationFile:
    source = read_source(path)
    return MigrationFile(app_label, path, read_header(source, path), source)


_STRING_LITERAL = re.compile(r"""(["'])([\w.-]{1,100})\1""")


def read_header(source: str, path: Path) -> dict:
    """What the graph, the prefilters and ``status`` need, as plain JSON-able values.

    The whole file is parsed (a syntax error is recorded, not raised) and its
    operations read, so that what cannot be read statically is known up front.
    The tree is not kept: holding a thousand of them slows the whole run down.
    """
    header = {
        "dependencies": [],
        "lines": [],
        "replaces": [],
        "run_before": [],
        "swappable": [],
        "flags": {},
        "base": None,
        "strings": sorted({match[2].lower() for match in _STRING_LITERAL.finditer(source)}),
        "deletions": "deletion_action" in source,
        "renames": "RenameModel" in source,
        "error": None,
        "unreadable": [],
        "settings": [],
        "custom": [],
        "separates": "SeparateDatabaseAndState" in source,
        "models": [],
    }
    try:
        tree = parse_source(source, path)
    except AssistantError as error:
        text = str(error).removeprefix(f"{path}:").strip()
        line = re.match(r"(\d+):\d+: ", text)
        header["error"] = [int(line[1]), text[line.end() :]] if line else [1, text]
        return header
    node = _migration_class(tree)
    if node is None:
        header["no_migration_class"] = True
        header["error"] = [
            1,
            "no Migration class: Django's loader refuses such a module in migrations/ (BadMigrationError)",
        ]
        return header
    values = _class_attributes(node)
    for name in ("initial", "is_post_deployment", "atomic", "checked"):
        value = values.get(name)
        if isinstance(value, ast.Constant) and isinstance(value.value, bool):
            header["flags"][name] = value.value
    dependencies = values.get("dependencies")
    header["dependencies"] = [list(pair) if pair else None for pair in string_pairs(dependencies)]
    header["lines"] = [item.lineno for item in getattr(dependencies, "elts", [])]
    header["swappable"] = sorted(
        dotted_name(item.args[0]).split(".")[-1]
        for item in getattr(dependencies, "elts", [])
        if isinstance(item, ast.Call)
        and last_name(item.func) == "swappable_dependency"
        and item.args
        and dotted_name(item.args[0])
    )
    header["replaces"] = [list(pair) for pair in string_pairs(values.get("replaces")) if pair]
    header["run_before"] = [list(pair) for pair in string_pairs(values.get("run_before")) if pair]
    header["base"] = dotted_name(node.bases[0]) if node is not None and node.bases else None
    found = read_operations(tree, node)
    header["unreadable"] = found.unreadable
    header["settings"] = [list(pair) for pair in sorted(found.settings, key=lambda pair: (pair[0], pair[1] or ""))]
    header["custom"] = found.custom
    header["models"] = model_events(found.operations)
    return header


def model_events(operations: list[Operation]) -> list[list[str]]:
    """The models ``operations`` create, delete and rename in the state (a state-only operation counts)."""
    found: list[list[str]] = []
    for op in operations:
        if op.kind in ("SeparateDatabaseAndState", "RunSQL", "SafeRunSQL"):
            found += model_events(op.state_operations)
        elif op.kind == "CreateModel" and op.text("name"):
            found.append(["+", op.text("name")])
        elif op.kind in ("DeleteModel", "SafeDeleteModel") and op.text("name"):
            found.append(["-", op.text("name")])
        elif op.kind == "RenameModel" and op.text("old_name") and op.text("new_name"):
            found.append(["~", op.text("old_name"), op.text("new_name")])
    return found


def _migration_class(tree: ast.Module) -> ast.ClassDef | None:
    return next((n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Migration"), None)


def _class_attributes(node: ast.ClassDef | None) -> dict[str, ast.expr]:
    found: dict[str, ast.expr] = {}
    for stmt in node.body if node is not None else []:
        if isinstance(stmt, ast.Assign):
            found.update({t.id: stmt.value for t in stmt.targets if isinstance(t, ast.Name)})
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value:
            found[stmt.target.id] = stmt.value
    return found
