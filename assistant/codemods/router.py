"""Add a table to ``historical_silo_assignments`` in the router, in the dict's own style.

A sorted dict gets the entry in order, any other at the end; comments stay with
the entries they are written above; an empty dict becomes a multi-line dict.
"""

from __future__ import annotations

import ast

import libcst as cst

from ..errors import AssistantError
from .syntax import append_element, parse_module

NAME = "historical_silo_assignments"


def add_silo_assignment(source: str, path: str, table: str, silo: str) -> str:
    """``silo`` is the value's code, e.g. ``SiloMode.CELL``."""
    module = parse_module(source, path)
    finder = _FindDict()
    module.visit(finder)
    if finder.node is None:
        raise AssistantError(f"{path}: no `{NAME} = {{...}}` dict found")
    if table in assigned_tables(finder.node):
        return source
    return module.visit(_Insert(finder.node, table, cst.parse_expression(silo))).code


def assigned_tables(node: cst.Dict) -> list[str]:
    return [
        ast.literal_eval(element.key.value)
        for element in node.elements
        if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString)
    ]


class _FindDict(cst.CSTVisitor):
    def __init__(self):
        self.node: cst.Dict | None = None

    def visit_Assign(self, node: cst.Assign) -> None:
        targets = [t.target for t in node.targets]
        if any(isinstance(t, cst.Name) and t.value == NAME for t in targets) and isinstance(node.value, cst.Dict):
            self.node = node.value

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if isinstance(node.target, cst.Name) and node.target.value == NAME and isinstance(node.value, cst.Dict):
            self.node = node.value


class _Insert(cst.CSTTransformer):
    def __init__(self, target: cst.Dict, table: str, value: cst.BaseExpression):
        self.target, self.table, self.value = target, table, value

    def leave_Dict(self, original: cst.Dict, updated: cst.Dict) -> cst.Dict:
        if original is not self.target:
            return updated
        elements = list(updated.elements)
        quote = _quote(elements)
        new = cst.DictElement(cst.SimpleString(f"{quote}{self.table}{quote}"), self.value)
        if not elements:
            return _multiline_single(updated, new)
        if not isinstance(updated.lbrace.whitespace_after, cst.ParenthesizedWhitespace):
            return append_element(updated, new)
        tables = assigned_tables(original)
        position = len(elements)
        if tables == sorted(tables):
            position = sum(1 for existing in tables if existing < self.table)
        separator = _plain_separator(updated)
        if position == 0:  # comments above the first entry head the whole dict: they stay on top
            return updated.with_changes(
                elements=[new.with_changes(comma=cst.Comma(whitespace_after=separator)), *elements]
            )
        if position == len(elements):
            return append_element(updated, new)
        before = elements[position - 1]
        gap = before.comma.whitespace_after
        elements[position - 1] = before.with_changes(
            comma=before.comma.with_changes(whitespace_after=gap.with_changes(empty_lines=[]))
        )
        elements.insert(
            position,
            new.with_changes(comma=cst.Comma(whitespace_after=gap.with_changes(first_line=cst.TrailingWhitespace()))),
        )
        return updated.with_changes(elements=elements)


def _quote(elements) -> str:
    for element in elements:
        if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
            return element.key.value[0]
    return '"'


def _plain_separator(node: cst.Dict) -> cst.ParenthesizedWhitespace:
    """A newline and the elements' indentation, without the comments of any one place."""
    whitespace = node.lbrace.whitespace_after
    return whitespace.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[])


def _multiline_single(node: cst.Dict, element: cst.DictElement) -> cst.Dict:
    return node.with_changes(
        lbrace=cst.LeftCurlyBrace(
            whitespace_after=cst.ParenthesizedWhitespace(indent=True, last_line=cst.SimpleWhitespace("    "))
        ),
        elements=[element.with_changes(comma=cst.Comma())],
        rbrace=cst.RightCurlyBrace(
            whitespace_before=cst.ParenthesizedWhitespace(indent=True, last_line=cst.SimpleWhitespace(""))
        ),
    )


def assigned_dict_tables(source: str) -> list[str]:
    """The tables already in the router's dict (empty when there is none)."""
    finder = _FindDict()
    cst.parse_module(source).visit(finder)
    return assigned_tables(finder.node) if finder.node is not None else []
