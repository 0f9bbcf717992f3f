"""Which fields an index, constraint or ``unique_together`` entry refers to."""

from __future__ import annotations

import ast
import copy

from .pysource import last_name

# Keyword arguments of Index/Constraint whose strings are not field references.
_NOT_REFERENCES = frozenset({"name", "violation_error_message", "violation_error_code", "db_tablespace", "opclasses"})


def referenced_fields(node: ast.AST, aliases: dict[str, str]) -> set[str]:
    """Fields (values of ``aliases``, keyed by name or attname) that ``node`` refers to.

    A reference is a string naming the field (``"status"``, ``"-status"``,
    ``"project__slug"``) or a lookup keyword of ``Q(...)`` (``Q(status=0)``).
    """
    skipped = {
        id(kw.value)
        for call in ast.walk(node)
        if isinstance(call, ast.Call)
        for kw in call.keywords
        if kw.arg in _NOT_REFERENCES
    }
    found = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and id(sub) not in skipped:
            found.add(aliases.get(sub.value.lstrip("-").split("__")[0]))
        elif isinstance(sub, ast.Call) and last_name(sub.func) == "Q":
            found.update(aliases.get(kw.arg.split("__")[0]) for kw in sub.keywords if kw.arg)
    found.discard(None)
    return found


def parse_expression(code: str) -> ast.expr:
    return ast.parse(code.strip(), mode="eval").body


def renamed_reference(text: str, renames: dict[str, str]) -> str:
    """``"-old__x"`` → ``"-new__x"`` when ``old`` (a name or attname) is renamed."""
    sign = "-" if text.startswith("-") else ""
    head, *rest = text[len(sign) :].split("__")
    if head not in renames:
        return text
    return sign + "__".join([renames[head], *rest])


def renamed_expression(node: ast.expr, renames: dict[str, str]) -> ast.expr:
    """A copy of an index/constraint expression with its field references renamed."""
    return _Renamer(renames).visit(copy.deepcopy(node))


class _Renamer(ast.NodeTransformer):
    def __init__(self, renames: dict[str, str]):
        self.renames = renames

    def visit_Call(self, node: ast.Call) -> ast.Call:
        is_q = last_name(node.func) == "Q"
        node.args = [self.visit(arg) for arg in node.args]
        for keyword in node.keywords:
            if keyword.arg in _NOT_REFERENCES:
                continue
            if is_q and keyword.arg:
                keyword.arg = renamed_reference(keyword.arg, self.renames)
            keyword.value = self.visit(keyword.value)
        return node

    def visit_Constant(self, node: ast.Constant) -> ast.Constant:
        if isinstance(node.value, str):
            node.value = renamed_reference(node.value, self.renames)
        return node
