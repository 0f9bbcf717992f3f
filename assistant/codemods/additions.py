"""Add to a model class: a field after the last one, an index in Meta."""

from __future__ import annotations

import libcst as cst

from .syntax import (
    append_element,
    assigned_name,
    assigned_value,
    class_body,
    edit_class,
    edit_meta,
    parse_module,
    with_body,
    with_value,
)


def add_field(source: str, path: str, class_name: str, name: str, expression: str, field_names: set[str]) -> str:
    """``name = expression`` after the model's last field (before Meta and the methods)."""
    line = cst.parse_statement(f"{name} = {expression}\n")

    def edit(node: cst.ClassDef) -> cst.ClassDef:
        statements = class_body(node)
        last = max((i for i, s in enumerate(statements) if assigned_name(s) in field_names), default=None)
        if last is None:
            position = next((i for i, s in enumerate(statements) if not _is_docstring(s)), len(statements))
        else:
            position = last + 1
        statements.insert(position, line)
        return with_body(node, statements)

    return edit_class(parse_module(source, path), class_name, edit, path).code


def add_index(
    source: str, path: str, class_name: str, index: str, inherited: str | None = None, meta_base: str | None = None
) -> str:
    """Append ``index`` to ``Meta.indexes`` (creating the list, or Meta, when missing); ``inherited``
    (e.g. ``Parent.Meta.indexes``) keeps the indexes the model inherits, ``meta_base`` is what a new
    Meta extends."""
    element = cst.parse_expression(index)

    def edit(statements: list) -> list:
        for position, statement in enumerate(statements):
            value = assigned_value(statement)
            if assigned_name(statement) == "indexes" and isinstance(value, cst.List):
                statements[position] = with_value(statement, append_element(value, cst.Element(element)))
                return statements
        items = f"*{inherited}, {index}" if inherited else index
        return [*statements, cst.parse_statement(f"indexes = [{items}]\n")]

    return edit_class(parse_module(source, path), class_name, lambda node: edit_meta(node, edit, meta_base), path).code


def _is_docstring(statement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )
