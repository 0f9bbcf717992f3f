"""Replace the text of individual ``ast`` nodes, leaving every other byte of the file alone."""

from __future__ import annotations

import ast


def node_span(source: str, node: ast.AST) -> tuple[int, int]:
    """Character offsets of a node (``ast`` counts columns in UTF-8 bytes)."""
    lines = source.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(lineno: int, col: int) -> int:
        line = lines[lineno - 1]
        return starts[lineno - 1] + len(line.encode("utf-8")[:col].decode("utf-8", errors="ignore"))

    return offset(node.lineno, node.col_offset), offset(node.end_lineno, node.end_col_offset)


def splice(source: str, replacements: list[tuple[ast.AST, str]]) -> str:
    """``source`` with each node's text replaced (nodes must not overlap)."""
    spans = sorted(((*node_span(source, node), text) for node, text in replacements), reverse=True)
    for start, end, text in spans:
        source = source[:start] + text + source[end:]
    return source
