"""Edit a model class: remove fields and the Meta entries that use them."""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from .syntax import (
    assigned_name,
    assigned_value,
    class_body,
    code,
    edit_class,
    filter_elements,
    parse_module,
    remove_statements,
    with_body,
    with_value,
)

SEQUENCE_OPTIONS = ("indexes", "constraints")
TOGETHER_OPTIONS = ("unique_together", "index_together")


def remove_fields(source: str, path: str, class_name: str, fields: set[str], uses: Callable[[str], bool]) -> str:
    """Delete ``fields`` from ``class_name`` and the Meta items for which ``uses(item_code)``."""

    def edit(node: cst.ClassDef) -> cst.ClassDef:
        statements = remove_statements(class_body(node), lambda s: assigned_name(s) in fields)
        statements = [
            _edit_meta(s, uses) if isinstance(s, cst.ClassDef) and s.name.value == "Meta" else s for s in statements
        ]
        return with_body(node, statements)

    return edit_class(parse_module(source, path), class_name, edit, path).code


def _edit_meta(meta: cst.ClassDef, uses: Callable[[str], bool]) -> cst.ClassDef:
    statements, dropped = [], set()
    for statement in class_body(meta):
        name, value = assigned_name(statement), assigned_value(statement)
        if name in SEQUENCE_OPTIONS + TOGETHER_OPTIONS and isinstance(value, (cst.List, cst.Tuple)):
            if name in TOGETHER_OPTIONS and _single_group(value):
                kept = value.with_changes(elements=[]) if uses(code(value)) else value
            else:
                kept = filter_elements(value, lambda item: not uses(code(item)))
            if not kept.elements:
                dropped.add(id(statement))
            elif kept is not value:
                statement = with_value(statement, kept)
        statements.append(statement)
    return with_body(meta, remove_statements(statements, lambda s: id(s) in dropped))


def _single_group(value: cst.List | cst.Tuple) -> bool:
    return all(isinstance(element.value, cst.SimpleString) for element in value.elements)
