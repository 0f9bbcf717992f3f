"""Render ``ast`` expressions the way black formats them.

An expression stays on one line when it fits; otherwise its outermost
brackets are exploded one item per line with a trailing comma, recursively.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

INDENT = "    "


@dataclass(frozen=True)
class _Item:
    """One item between brackets: ``prefix`` (``key=`` / ``"key": `` / ``*``) and its value."""

    prefix: str
    value: ast.AST


def string_literal(value: str) -> str:
    """A string literal with double quotes unless that needs more escapes."""
    text = repr(value)
    if text[0] == "'" and '"' not in value:
        text = '"' + text[1:-1].replace("\\'", "'") + '"'
    return text


def flat(node: ast.AST) -> str:
    """The expression on one line."""
    if isinstance(node, ast.Constant):
        return string_literal(node.value) if isinstance(node.value, str) else repr(node.value)
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{flat(node.value)}.{node.attr}"
    if isinstance(node, ast.Subscript):
        return f"{flat(node.value)}[{flat(node.slice)}]"
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return f"{_UNARY[type(node.op)]}{_operand(node.operand, node)}"
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return f"{_operand(node.left, node)} {_BINARY[type(node.op)]} {_operand(node.right, node)}"
    brackets = _brackets(node)
    if brackets is None:
        return ast.unparse(node)
    opener, items, closer = brackets
    inner = ", ".join(item.prefix + flat(item.value) for item in items)
    if isinstance(node, ast.Tuple) and len(items) == 1:
        inner += ","
    return f"{opener}{inner}{closer}"


_UNARY = {ast.USub: "-", ast.Invert: "~", ast.Not: "not "}
_BINARY = {ast.BitOr: "|", ast.BitAnd: "&", ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


def _operand(child: ast.AST, parent: ast.AST) -> str:
    """An operand, in parentheses when it is another operator expression (order kept as written)."""
    text = flat(child)
    if isinstance(child, ast.BinOp) and not (isinstance(parent, ast.BinOp) and type(child.op) is type(parent.op)):
        return f"({text})"
    return text


def render(node: ast.AST, indent: int = 0, width: int = 100, suffix: str = "", start: int | None = None) -> str:
    """The expression on a line indented by ``indent``, its text starting at column ``start``.

    ``suffix`` (e.g. a trailing comma) must fit on the line too.
    """
    text = flat(node)
    brackets = _brackets(node)
    start = indent if start is None else start
    if start + len(text) + len(suffix) <= width or brackets is None or not brackets[1]:
        return text
    opener, items, closer = brackets
    inner = indent + len(INDENT)
    lines = [
        " " * inner + item.prefix + render(item.value, inner, width, ",", inner + len(item.prefix)) + ","
        for item in items
    ]
    return opener + "\n" + "\n".join(lines) + "\n" + " " * indent + closer


def _brackets(node: ast.AST) -> tuple[str, list[_Item], str] | None:
    if isinstance(node, ast.Call):
        items = [_Item("*", a.value) if isinstance(a, ast.Starred) else _Item("", a) for a in node.args]
        items += [_Item(f"{kw.arg}=" if kw.arg else "**", kw.value) for kw in node.keywords]
        return flat(node.func) + "(", items, ")"
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        opener, closer = {ast.List: "[]", ast.Tuple: "()", ast.Set: "{}"}[type(node)]
        return opener, [_Item("", elt) for elt in node.elts], closer
    if isinstance(node, ast.Dict):
        items = [_Item("**" if key is None else flat(key) + ": ", value) for key, value in zip(node.keys, node.values)]
        return "{", items, "}"
    return None
