"""Read a migration's ``operations`` statically, as far as that can be done, and say what cannot.

Resolved without running anything: list and tuple literals, ``+`` of them,
``*name`` items, names bound once at module or class level (or locally in a
module-level function called without arguments) to such values, and operation
classes defined in the file as subclasses of Django's. What is left (a list
computed at run time, an operation class of another package) is recorded as
unreadable, with its line and the model it concerns when known.
"""

from __future__ import annotations

import ast
import copy
from dataclasses import dataclass, field

from .pysource import dotted_name, is_false, is_true, keyword_map, last_name, string_value

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
# Django operations that change no model's fields, table or name.
NO_FIELD_EFFECT = frozenset(
    {
        "AlterIndexTogether",
        "AlterModelManagers",
        "AlterModelTableComment",
        "AlterOrderWithRespectTo",
        "AlterConstraint",
        "CreateExtension",
        "BloomExtension",
        "BtreeGinExtension",
        "BtreeGistExtension",
        "CITextExtension",
        "CryptoExtension",
        "HStoreExtension",
        "TrigramExtension",
        "UnaccentExtension",
        "CreateCollation",
        "RemoveCollation",
        "ValidateConstraint",
    }
)
# django.contrib.postgres operations that act on the state as their base class does.
ALIASES = {"AddIndexConcurrently": "AddIndex", "RemoveIndexConcurrently": "RemoveIndex"}
ALIASES["AddConstraintNotValid"] = "AddConstraint"
KNOWN = frozenset(OPERATION_PARAMETERS) | NO_FIELD_EFFECT | frozenset(ALIASES)
# Operations that leave the state as it is (RunSQL only without state_operations).
NO_STATE_EFFECT = NO_FIELD_EFFECT | {"RunPython", "RunSQL", "SafeRunSQL"}
FIELD_FLAGS = ("null", "primary_key", "db_constraint")


@dataclass
class Operation:
    """One operation call in a migration's ``operations`` list (``kind``: the Django class it acts as)."""

    kind: str
    call: ast.Call
    args: dict[str, ast.expr]
    state_operations: list[Operation] = field(default_factory=list)
    database_operations: list[Operation] = field(default_factory=list)
    written: str = ""

    @property
    def line(self) -> int:
        return self.call.lineno

    def text(self, name: str) -> str | None:
        node = self.args.get(name)
        return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None

    @property
    def model(self) -> str | None:
        """The (lower-case) name of the model it concerns, when written as a string."""
        name = self.text("model_name") or self.text("name") or self.text("old_name")
        if self.kind in ("RemoveIndex", "RemoveConstraint", "RenameIndex"):
            name = self.text("model_name")
        return name.lower() if name else None

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
class OperationList:
    """What reading a migration's operations found."""

    operations: list[Operation] = field(default_factory=list)
    unreadable: list[list] = field(default_factory=list)  # [line, why, model or None]
    settings: set[tuple[str, str | None]] = field(default_factory=set)  # (setting, default) the fields name
    # [line, class name, model or None, only if it leaves the state as it is]: classes of other modules
    custom: list[list] = field(default_factory=list)


def read_operations(
    tree: ast.Module, migration: ast.ClassDef | None, imported: dict[str, str] | None = None
) -> OperationList:
    """``imported``: the Django operation each imported operation class acts as (``operation_classes.py``)."""
    return _Reader(tree, migration, imported or {}).read()


class _Reader:
    def __init__(self, tree: ast.Module, migration: ast.ClassDef | None, imported: dict[str, str]):
        self.migration = migration
        self.imported = imported
        self.found = OperationList()
        self.module = _bindings(tree.body)
        self.klass = _bindings(migration.body) if migration is not None else {}
        self.functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
        self.classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef) and n is not migration}

    def read(self) -> OperationList:
        if self.migration is None:
            return self.found
        node = self.klass.get("operations")
        if node is None:
            return self.found
        if node is _AMBIGUOUS:
            values = _assigned(self.migration.body, "operations")
            if not (values and all(self.leaves_state(value) for value in values)):
                self.unread(self.migration.lineno, "operations is assigned conditionally or more than once", None)
            return self.found  # whichever is assigned, the state stays as it is
        self.found.operations = self.operations(node, self.migration.lineno, [self.klass, self.module])
        return self.found

    def leaves_state(self, value: ast.expr) -> bool:
        """Whether every operation of ``value`` leaves the state as it is (imported classes: checked later)."""
        before = len(self.found.unreadable)
        items = self.items(value, [self.klass, self.module], None)
        if len(self.found.unreadable) > before:
            del self.found.unreadable[before:]
            return False
        for item in items:
            written = last_name(item.func) if isinstance(item, ast.Call) else None
            kind = self.kind(written or "")
            if kind in NO_STATE_EFFECT and not any(kw.arg == "state_operations" for kw in item.keywords):
                continue
            if not written or kind in KNOWN or written in self.classes:
                return False
            self.found.custom.append([item.lineno, written, None, True])
        return True

    def unread(self, line: int, why: str, model: str | None) -> None:
        self.found.unreadable.append([line, why, model])

    def lookup(self, name: str, scopes: list[dict]) -> ast.expr | None:
        for scope in scopes:
            if name in scope:
                return scope[name]
        return None

    def items(self, node: ast.expr, scopes: list[dict], model: str | None, seen=()) -> list[ast.expr]:
        """The items of a list expression; the parts that cannot be read are recorded unreadable."""
        if isinstance(node, (ast.List, ast.Tuple)):
            found = []
            for item in node.elts:
                if isinstance(item, ast.Starred):
                    found.extend(self.items(item.value, scopes, model, seen))
                else:
                    found.append(item)
            return found
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.items(node.left, scopes, model, seen) + self.items(node.right, scopes, model, seen)
        if isinstance(node, ast.Name) and node.id not in seen:
            bound = self.lookup(node.id, scopes)
            if bound is _AMBIGUOUS:
                self.unread(node.lineno, f"{node.id} is assigned conditionally or more than once", model)
                return []
            if bound is not None:
                return self.items(bound, scopes, model, (*seen, node.id))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.args and not node.keywords:
            function = self.functions.get(node.func.id)
            returned = _single_return(function) if function else None
            if returned is not None:
                return self.items(returned, [_bindings(function.body), self.module], model, seen)
        what = ast.unparse(node)
        self.unread(node.lineno, f"cannot read the list {what[:60]} statically (computed at run time)", model)
        return []

    def value(self, node: ast.expr, scopes: list[dict]) -> ast.expr:
        """``node`` with the names bound in ``scopes`` replaced by their values (a copy when any is)."""
        if not any(scope.keys() - _CLASS_ATTRIBUTES for scope in scopes):
            return node  # nothing but the Migration class's own attributes is bound: the usual case
        names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and self.lookup(n.id, scopes) is not None}
        if not names:
            return node
        reader = self

        class Substitute(ast.NodeTransformer):
            def visit_Name(self, name):
                bound = reader.lookup(name.id, scopes)
                return copy.deepcopy(bound) if bound is not None and bound is not _AMBIGUOUS else name

        return Substitute().visit(copy.deepcopy(node))

    def operations(self, node: ast.expr, line: int, scopes: list[dict], model: str | None = None) -> list[Operation]:
        found = []
        for item in self.items(node, scopes, model):
            item = self.value(item, scopes) if isinstance(item, ast.Name) else item
            if not isinstance(item, ast.Call):
                self.unread(getattr(item, "lineno", line), f"operation {ast.unparse(item)[:60]} is not a call", model)
                continue
            operation = self.operation(item, scopes)
            if operation is not None:
                found.append(operation)
        return found

    def operation(self, call: ast.Call, scopes: list[dict]) -> Operation | None:
        written = last_name(call.func) or ""
        kind = self.kind(written)
        parameters = OPERATION_PARAMETERS.get(kind, ())
        args = dict(zip(parameters, call.args))
        args.update({kw.arg: kw.value for kw in call.keywords if kw.arg})
        args = {name: self.value(value, scopes) for name, value in args.items()}
        operation = Operation(kind=kind, call=call, args=args, written=written)
        model = operation.model
        if kind not in KNOWN:
            if written in self.classes or not written:
                why = f"operation {written or ast.unparse(call.func)} is not a subclass of a Django operation"
                self.unread(call.lineno, why, model)
            else:
                self.found.custom.append([call.lineno, written, model, False])
            return operation
        for nested in ("state_operations", "database_operations"):
            if nested in args:
                setattr(operation, nested, self.operations(args[nested], call.lineno, scopes, model))
        self.check_names(operation)
        if kind == "CreateModel":
            fields = [self.value(item, scopes) for item in self.items(args.get("fields", ast.List([])), scopes, model)]
            for item in fields:
                if not (isinstance(item, ast.Tuple) and len(item.elts) == 2 and string_value(item.elts[0])):
                    self.unread(getattr(item, "lineno", call.lineno), "a field that is not a (name, field) pair", model)
                    continue
                self.check_field(item.elts[1], model)
            args["fields"] = ast.List(fields, ast.Load())
        elif kind in ("AddField", "AlterField") and "field" in args:
            self.check_field(args["field"], model)
        return operation

    def kind(self, written: str, seen=()) -> str:
        """The Django operation a class acts as: itself, or the base of a subclass defined in the file."""
        if written in KNOWN:
            return ALIASES.get(written, written)
        if written in self.imported:
            return self.imported[written]
        klass = self.classes.get(written)
        if klass is None or written in seen or not klass.bases:
            return written
        return self.kind(last_name(klass.bases[0]) or "", (*seen, written))

    def check_names(self, operation: Operation) -> None:
        for name in ("name", "model_name", "old_name", "new_name"):
            node = operation.args.get(name)
            if node is not None and string_value(node) is None and operation.kind in OPERATION_PARAMETERS:
                if operation.kind in ("RunSQL", "SafeRunSQL", "RunPython", "SeparateDatabaseAndState"):
                    continue
                self.unread(operation.line, f"{operation.kind}: {name}= is not a string literal", None)

    def check_field(self, node: ast.expr, model: str | None) -> None:
        if not isinstance(node, ast.Call) or not (
            (last_name(node.func) or "")[:1].isupper() or _is_import_string(node.func)
        ):
            self.unread(node.lineno, f"field {ast.unparse(node)[:60]} is not a field class call", model)
            return
        kwargs = keyword_map(node)
        target = kwargs.get("to")
        if target is None and node.args and _is_relation_class(last_name(node.func)):
            target = node.args[0]
        class_setting = setting_reference(node.func.args[0]) if _is_import_string(node.func) else None
        if class_setting:
            self.found.settings.add(class_setting)
            return
        if target is not None and string_value(target) is None:
            setting = setting_reference(target)
            if setting:
                self.found.settings.add(setting)
            else:
                self.unread(node.lineno, f"relation target {ast.unparse(target)[:60]} is computed", model)
        column = kwargs.get("db_column")
        if column is not None and string_value(column) is None and not _is_none(column):
            self.unread(node.lineno, f"db_column {ast.unparse(column)[:60]} is computed", model)
        for flag in FIELD_FLAGS:
            value = kwargs.get(flag)
            if value is not None and not (is_true(value) or is_false(value)):
                self.unread(node.lineno, f"{flag}={ast.unparse(value)[:60]} is computed", model)


# Relation classes whose target may be written as the first argument (makemigrations writes ``to=``).
RELATION_CLASSES = frozenset(
    {"ForeignKey", "OneToOneField", "ManyToManyField", "ForeignObject", "ParentalKey", "ParentalManyToManyField"}
)


def setting_reference(node: ast.expr | None) -> tuple[str, str | None] | None:
    """``(setting, default)`` for ``settings.X`` and swapper's ``get_model_name("app", "Model")``."""
    name = dotted_name(node)
    if name and name.startswith("settings.") and name.count(".") == 1:
        return name.split(".")[1], None
    if isinstance(node, ast.Call) and last_name(node.func) == "get_model_name" and len(node.args) == 2:
        app, model = (string_value(arg) for arg in node.args)
        if app and model:
            return f"{app.upper()}_{model.upper()}_MODEL", f"{app}.{model}"
    return None


def _is_import_string(node: ast.expr) -> bool:
    """``import_string(settings.X)``, as migrations write a configurable field class."""
    return (
        isinstance(node, ast.Call)
        and last_name(node.func) == "import_string"
        and len(node.args) == 1
        and setting_reference(node.args[0]) is not None
    )


def _is_relation_class(name: str | None) -> bool:
    return name in RELATION_CLASSES


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


_CLASS_ATTRIBUTES = frozenset(
    {"dependencies", "operations", "replaces", "run_before", "initial", "atomic", "is_post_deployment", "checked"}
)
_AMBIGUOUS = ast.Constant(None)  # a name bound more than once, or changed after it is bound


def _bindings(body: list[ast.stmt]) -> dict[str, ast.expr]:
    """Names bound by plain assignments in a block; one bound twice (or augmented) is ambiguous."""
    found: dict[str, ast.expr] = {}
    for stmt in body:
        targets, value = [], None
        if isinstance(stmt, ast.Assign):
            targets, value = stmt.targets, stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            targets, value = [stmt.target], stmt.value
        elif isinstance(stmt, ast.AugAssign):
            targets, value = [stmt.target], _AMBIGUOUS
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            receiver = stmt.value.func
            if (
                isinstance(receiver, ast.Attribute)
                and isinstance(receiver.value, ast.Name)
                and receiver.value.id in found
            ):
                found[receiver.value.id] = _AMBIGUOUS  # e.g. operations.append(...)
        for target in targets:
            if isinstance(target, ast.Name):
                found[target.id] = value if target.id not in found else _AMBIGUOUS
        if isinstance(stmt, (ast.If, ast.Try, ast.For, ast.While, ast.With, ast.Match)):
            for inner in ast.walk(stmt):  # bound only on some paths: known at run time only
                if isinstance(inner, ast.Name) and isinstance(inner.ctx, ast.Store):
                    found[inner.id] = _AMBIGUOUS
    return found


def _assigned(body: list[ast.stmt], name: str) -> list[ast.expr]:
    """Every value assigned (or added) to ``name`` in a block, at any depth outside functions and classes."""
    found = []
    stack = list(body)
    while stack:
        stmt = stack.pop()
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        if isinstance(stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets) and stmt.value is not None:
                found.append(stmt.value)
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            call = stmt.value
            if isinstance(call.func, ast.Attribute) and dotted_name(call.func.value) == name and call.args:
                found.append(ast.List([call.args[0]], ast.Load()) if call.func.attr == "append" else call.args[0])
        stack.extend(child for child in ast.iter_child_nodes(stmt) if isinstance(child, ast.stmt))
    return found


def _single_return(function: ast.FunctionDef) -> ast.expr | None:
    if function.args.args or function.args.posonlyargs or function.args.kwonlyargs:
        return None
    returns = [node for node in function.body if isinstance(node, ast.Return)]
    return returns[0].value if len(returns) == 1 and returns[0].value is not None else None
