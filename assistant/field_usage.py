"""Which fields an index, constraint or ``unique_together`` entry refers to."""

from __future__ import annotations

import ast

from .pysource import last_name

# Keyword arguments of Index/Constraint whose strings are not field references.
_NOT_REFERENCES = frozenset(
    {"name", "violation_error_message", "violation_error_code", "db_tablespace", "opclasses"}
)


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
