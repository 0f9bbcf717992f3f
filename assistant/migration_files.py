"""Read one migration file statically: its dependencies and its operations.

The graph needs only each file's header (``dependencies``, ``replaces``,
``run_before`` and the flags), which is read from the class attributes alone;
the whole module is parsed with ``ast`` only when its operations are needed.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from functools import cached_property
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
HEADER_ATTRIBUTES = ("dependencies", "replaces", "run_before", "initial", "is_post_deployment", "atomic", "checked")
_CLASS = re.compile(r"^class Migration\((?P<base>[^)]*)\):[ \t]*(?:#.*)?$", re.M)
_BODY_LINE = re.compile(r"^(?P<indent>[ \t]+)(?!#)\S", re.M)


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

    @classmethod
    def from_source(cls, app_label: str, path: Path, source: str) -> MigrationFile:
        return cls(app_label, path, read_header(source, path), source)

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
        return _operations(self.attributes.get("operations"))

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
    return MigrationFile.from_source(app_label, path, read_source(path))


_STRING_LITERAL = re.compile(r"""(["'])([\w.-]{1,100})\1""")


def read_header(source: str, path: Path) -> dict:
    """What the graph and the prefilters need, as plain JSON-able values."""
    quick = _read_header(source)
    if quick is not None:
        values, base = quick
    else:
        tree = parse_source(source, path)
        node = _migration_class(tree)
        values = {k: v for k, v in _class_attributes(node).items() if k in HEADER_ATTRIBUTES}
        base = dotted_name(node.bases[0]) if node is not None and node.bases else None
    flags = {}
    for name in ("initial", "is_post_deployment", "atomic", "checked"):
        node = values.get(name)
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            flags[name] = node.value
    return {
        "dependencies": [list(pair) if pair else None for pair in string_pairs(values.get("dependencies"))],
        "replaces": [list(pair) for pair in string_pairs(values.get("replaces")) if pair],
        "run_before": [list(pair) for pair in string_pairs(values.get("run_before")) if pair],
        "flags": flags,
        "base": base,
        "strings": sorted({match[2].lower() for match in _STRING_LITERAL.finditer(source)}),
        "deletions": "deletion_action" in source,
        "renames": "RenameModel" in source,
        "separates": "SeparateDatabaseAndState" in source,
    }


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


def _read_header(source: str) -> tuple[dict[str, ast.expr], str | None] | None:
    """The header attributes from the class body's text, or ``None`` when it cannot be read that way."""
    match = _CLASS.search(source)
    if match is None:
        return None
    body = _BODY_LINE.search(source, match.end())
    if body is None:
        return None
    indent = re.escape(body["indent"])
    pattern = re.compile(rf"^{indent}({'|'.join(HEADER_ATTRIBUTES)})[ \t]*(?::[^=\n]*)?=[ \t]*", re.M)
    values: dict[str, ast.expr] = {}
    for attribute in pattern.finditer(source, match.end()):
        start = attribute.end()
        text = source[start : _expression_end(source, start)].strip()
        value = _quick_literal(text)
        if value is None:
            try:
                value = ast.parse(text, mode="eval").body
            except (SyntaxError, ValueError):
                return None
        values[attribute[1]] = value
    base = match["base"].strip()
    return values, (base if re.fullmatch(r"[\w.]+", base) else None)


_PAIR = re.compile(r"""\(\s*(["'])(\w+)\1\s*,\s*(["'])(\w+)\3\s*,?\s*\)""")
_PAIRS_ONLY = re.compile(r"[\s,\[\]()]*")


def _quick_literal(text: str) -> ast.expr | None:
    """``True``/``False`` or a list/tuple of ``("app", "name")`` pairs without ``ast.parse``."""
    if text in ("True", "False"):
        return ast.Constant(text == "True")
    if not text or text[0] not in "[(" or "#" in text:
        return None
    pairs = _PAIR.findall(text)
    if not _PAIRS_ONLY.fullmatch(_PAIR.sub("", text)):
        return None
    items = [ast.Tuple([ast.Constant(p[1]), ast.Constant(p[3])], ast.Load()) for p in pairs]
    return ast.List(items, ast.Load())


_SIGNIFICANT = re.compile(r"[\"'#()\[\]{}\n]")
_STRING = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'',
    re.S,
)


def _expression_end(source: str, start: int) -> int:
    """End of the expression starting at ``start``: the end of its line, past any open brackets."""
    depth, position = 0, start
    while (found := _SIGNIFICANT.search(source, position)) is not None:
        char, position = found[0], found.end()
        if char in "\"'":
            string = _STRING.match(source, found.start())
            position = string.end() if string else len(source)
        elif char == "#":
            newline = source.find("\n", position)
            position = len(source) if newline < 0 else newline
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif depth <= 0:
            return found.start()
    return len(source)


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
