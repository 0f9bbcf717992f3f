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
    return splice_spans(source, [(*node_span(source, node), text) for node, text in replacements])


def splice_spans(source: str, spans: list[tuple[int, int, str]]) -> str:
    """``source`` with each (start, end) character span replaced (spans must not overlap)."""
    for start, end, text in sorted(spans, reverse=True):
        source = source[:start] + text + source[end:]
    return source


def list_edits(
    source: str, elements: list[ast.AST], replace: dict[int, str], append: list[str]
) -> list[tuple[int, int, str]]:
    """Spans that replace elements of a list literal (an empty text removes the element with its
    separator) and append items after the last one, in the list's own layout."""
    spans = []
    bounds = [node_span(source, element) for element in elements]
    indent = " " * elements[0].col_offset if elements else ""
    if append and bounds and all(replace.get(index) == "" for index in range(len(bounds))):
        replace = {**replace, 0: f",\n{indent}".join(append)}  # nothing is left to append after
        append = []
    for index, text in replace.items():
        start, end = bounds[index]
        if text:
            spans.append((start, end, text))
        elif index + 1 < len(bounds):
            spans.append((start, bounds[index + 1][0], ""))
        elif index > 0:
            spans.append((bounds[index - 1][1], end, ""))
        else:
            spans.append((start, end, ""))
    if append:
        end = bounds[-1][1]
        spans.append((end, end, "".join(f",\n{indent}{text}" for text in append)))
    return spans
