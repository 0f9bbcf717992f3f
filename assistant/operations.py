"""Build the operations recipes write, as expressions plus the imports they need."""

from __future__ import annotations

import ast

from .errors import AssistantError
from .migration_state import FieldState
from .migration_writer import DJANGO_MIGRATIONS, Op, imported
from .project import Project
from .pysource import imports_for

SAFE_OPERATION_KEYS = {"SafeRemoveField": "safe-remove-field", "SafeDeleteModel": "safe-delete-model"}


def value(python) -> ast.expr:
    """An expression for a plain Python value (str, int, bool, None, tuples, lists, sets)."""
    if isinstance(python, ast.AST):
        return python
    if isinstance(python, tuple):
        return ast.Tuple([value(item) for item in python], ast.Load())
    if isinstance(python, list):
        return ast.List([value(item) for item in python], ast.Load())
    if isinstance(python, (set, frozenset)):
        if not python:
            return ast.Call(ast.Name("set", ast.Load()), [], [])
        return ast.Set([value(item) for item in sorted(python)])
    return ast.Constant(python)


def dotted(name: str) -> ast.expr:
    """``a.b.c`` as an expression."""
    node: ast.expr = ast.Name(name.split(".")[0], ast.Load())
    for part in name.split(".")[1:]:
        node = ast.Attribute(node, part, ast.Load())
    return node


def call(callee: str, **kwargs) -> ast.Call:
    return ast.Call(dotted(callee), [], [ast.keyword(name, value(item)) for name, item in kwargs.items()])


def django_op(kind: str, needs: frozenset = frozenset(), **kwargs) -> Op:
    """``migrations.<kind>(**kwargs)``; ``needs`` are imports its arguments use."""
    return Op(call(f"migrations.{kind}", **kwargs), frozenset({DJANGO_MIGRATIONS}) | needs)


def safe_op(project: Project, kind: str, action: str, **kwargs) -> Op:
    """``SafeRemoveField`` / ``SafeDeleteModel`` with ``deletion_action=DeletionAction.<action>``."""
    key = SAFE_OPERATION_KEYS[kind]
    for needed in (key, "deletion-action"):
        if needed not in project.imports:
            raise AssistantError(
                f"this repository has no {kind} / DeletionAction: set '{needed}' in [tool.migrate-assistant] "
                "to the dotted path of your project's class"
            )
    op_import, op_name = imported(project, key)
    action_import, action_name = imported(project, "deletion-action")
    node = call(op_name, **kwargs, deletion_action=dotted(f"{action_name}.{action}"))
    return Op(node, frozenset({op_import, action_import}))


def copied(node: ast.expr, imports: list, path, what: str, argument: str | None = None) -> tuple[ast.expr, frozenset]:
    """An expression taken from a module (``imports`` are that module's), with the imports it needs;
    refused naming ``argument`` (the one that wrote the expression, if any)."""
    try:
        return node, frozenset(imports_for(node, imports))
    except LookupError as missing:
        raise AssistantError(
            f"cannot copy {what} from {path}: it uses '{missing}', which that file does not import", argument=argument
        ) from None


def altered_field(field: FieldState, changes: dict[str, object]) -> tuple[ast.Call, frozenset]:
    """The field's migration-state definition with keyword arguments set (kept in sorted order)."""
    original = field.call
    if original is None:
        raise AssistantError(f"cannot read the definition of field '{field.name}' in {field.origin.path}")
    keywords = {kw.arg: kw.value for kw in original.keywords if kw.arg}
    was_sorted = list(keywords) == sorted(keywords)
    keywords.update({name: value(item) for name, item in changes.items()})
    names = sorted(keywords) if was_sorted else list(keywords)
    starred = [kw for kw in original.keywords if kw.arg is None]
    node = ast.Call(original.func, list(original.args), [ast.keyword(n, keywords[n]) for n in names] + starred)
    return copied(node, field.origin.imports, field.origin.path, f"the definition of '{field.name}'")
