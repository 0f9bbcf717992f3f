"""Shared libcst helpers: parsing, finding classes, removing statements and list items."""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence

import libcst as cst

from ..errors import AssistantError
from ..model_index import module_level_classes

_CODE = cst.Module([])


def parse_module(source: str, path: str) -> cst.Module:
    try:
        return cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        raise AssistantError(f"{path}:{exc.raw_line}:{exc.raw_column}: syntax error: {exc.message}") from None


def code(node: cst.CSTNode) -> str:
    return _CODE.code_for_node(node)


def assigned_name(statement: cst.BaseStatement) -> str | None:
    """``x`` for a line ``x = ...`` or ``x: T = ...``."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
        return small.targets[0].target.value
    if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
        return small.target.value
    return None


def assigned_value(statement: cst.BaseStatement) -> cst.BaseExpression | None:
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
    return small.value if isinstance(small, (cst.Assign, cst.AnnAssign)) else None


def with_value(statement: cst.SimpleStatementLine, value: cst.BaseExpression) -> cst.SimpleStatementLine:
    return statement.with_changes(body=[statement.body[0].with_changes(value=value)])


def edit_class(module: cst.Module, name: str, edit: Callable[[cst.ClassDef], cst.ClassDef], path: str) -> cst.Module:
    """Apply ``edit`` to the module-level class ``name`` (``module_level_class``)."""
    index, target = module_level_class(module, name, path)
    body = list(module.body)
    edited = edit(target)
    body[index] = edited if body[index] is target else body[index].deep_replace(target, edited)
    return module.with_changes(body=body)


def module_level_class(module: cst.Module, name: str, path: str) -> tuple[int, cst.ClassDef]:
    """The class ``name`` in the module's body or, as the model index finds classes, under a module-level
    ``if`` / ``else`` / ``try`` / ``except`` / ``finally`` / ``with``, with the index of the module statement
    holding it. Refuses when there is none, or more than one (which one is used would depend on run time)."""
    found = [(index, node) for index, node in _module_level_classes(module.body) if node.name.value == name]
    if not found:
        raise AssistantError(f"{path}: no module-level class {name}")
    if len(found) > 1:
        lines = [node.lineno for node in module_level_classes(ast.parse(module.code).body) if node.name == name]
        raise AssistantError(
            f"{path}: class {name} is defined {len(lines)} times at module level (lines "
            f"{', '.join(map(str, lines))}): which one is used depends on run time, so it is not edited"
        )
    return found[0]


def _module_level_classes(statements: Sequence[cst.BaseStatement], index: int | None = None):
    """(index of the module statement holding it, class) for the classes ``model_index.module_level_classes``
    finds: in the body, and under ``if`` / ``else`` / ``try`` / ``except`` / ``finally`` / ``with``."""
    for position, statement in enumerate(statements):
        top = position if index is None else index
        if isinstance(statement, cst.ClassDef):
            yield top, statement
        elif isinstance(statement, cst.If):
            yield from _module_level_classes(_statements(statement.body), top)
            orelse = statement.orelse
            elif_or_else = [orelse] if isinstance(orelse, cst.If) else _statements(orelse.body) if orelse else []
            yield from _module_level_classes(elif_or_else, top)
        elif isinstance(statement, cst.Try):
            blocks = [statement.body, *(handler.body for handler in statement.handlers)]
            blocks += [part.body for part in (statement.orelse, statement.finalbody) if part is not None]
            for block in blocks:
                yield from _module_level_classes(_statements(block), top)
        elif isinstance(statement, cst.With) and statement.asynchronous is None:
            yield from _module_level_classes(_statements(statement.body), top)


def _statements(block: cst.BaseSuite) -> Sequence[cst.BaseStatement]:
    return block.body if isinstance(block, cst.IndentedBlock) else []


def remove_statements(
    body: Sequence[cst.BaseStatement], drop: Callable[[cst.BaseStatement], bool]
) -> list[cst.BaseStatement]:
    """Remove statements; the comment lines directly above a removed one go with it,
    blank lines and comments further up stay (moved onto the next statement)."""
    kept: list[cst.BaseStatement] = []
    carried: list[cst.EmptyLine] = []
    for statement in body:
        if drop(statement):
            lines = list(statement.leading_lines)
            while lines and lines[-1].comment is not None:
                lines.pop()
            carried.extend(lines)
            continue
        if carried:
            statement = statement.with_changes(leading_lines=_join_lines(carried, statement.leading_lines))
            carried = []
        kept.append(statement)
    return kept


def _join_lines(first: list[cst.EmptyLine], second: Sequence[cst.EmptyLine]) -> list[cst.EmptyLine]:
    """Both runs of lines; blank runs shrink to the longest either had (2 between top-level definitions)."""
    limit = max(_longest_blank_run(first), _longest_blank_run(second), 1)
    joined: list[cst.EmptyLine] = []
    run = 0
    for line in [*first, *second]:
        run = run + 1 if line.comment is None else 0
        if run <= limit:
            joined.append(line)
    return joined


def _longest_blank_run(lines: Sequence[cst.EmptyLine]) -> int:
    longest = run = 0
    for line in lines:
        run = run + 1 if line.comment is None else 0
        longest = max(longest, run)
    return longest


def filter_elements(node: cst.List | cst.Tuple, keep: Callable[[cst.BaseExpression], bool]) -> cst.List | cst.Tuple:
    """Remove items from a list/tuple literal, keeping its layout, comments and trailing comma style."""
    elements = list(node.elements)
    kept = [element for element in elements if keep(element.value)]
    if len(kept) == len(elements):
        return node
    if kept and not keep(elements[-1].value):
        own = kept[-1].comma
        kept[-1] = kept[-1].with_changes(comma=elements[-1].comma)
        if isinstance(own, cst.Comma) and isinstance(own.whitespace_after, cst.ParenthesizedWhitespace):
            node = _with_closing_comment(node, own.whitespace_after.first_line)
    if isinstance(node, cst.Tuple) and len(kept) == 1 and kept[0].comma == cst.MaybeSentinel.DEFAULT:
        kept[0] = kept[0].with_changes(comma=cst.Comma())
    return node.with_changes(elements=kept)


def _with_closing_comment(node, first_line: cst.TrailingWhitespace):
    """Move a trailing comment onto the line that ends before the closing bracket."""
    if isinstance(node, cst.List):
        closing = node.rbracket
    elif node.rpar:
        closing = node.rpar[-1]
    else:
        return node
    before = closing.whitespace_before
    if not isinstance(before, cst.ParenthesizedWhitespace):
        return node
    closing = closing.with_changes(whitespace_before=before.with_changes(first_line=first_line))
    if isinstance(node, cst.List):
        return node.with_changes(rbracket=closing)
    return node.with_changes(rpar=[*node.rpar[:-1], closing])


def append_element(node, element):
    """A list or dict literal with ``element`` appended in its own layout (one line, or one item
    per line with or without a trailing comma); a comment ending the last line stays on that line."""
    closing_name = "rbrace" if isinstance(node, cst.Dict) else "rbracket"
    elements = list(node.elements)
    if not elements:
        return node.with_changes(elements=[element])
    last = elements[-1]
    opening = node.lbrace.whitespace_after if isinstance(node, cst.Dict) else node.lbracket.whitespace_after
    if not isinstance(opening, cst.ParenthesizedWhitespace):  # one line: "a, b"
        elements[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        return node.with_changes(elements=[*elements, element.with_changes(comma=last.comma)])
    closing = getattr(node, closing_name)
    before = closing.whitespace_before
    trailing = before.first_line if isinstance(before, cst.ParenthesizedWhitespace) else cst.TrailingWhitespace()
    separator = opening.with_changes(first_line=trailing, empty_lines=[])
    elements[-1] = last.with_changes(comma=cst.Comma(whitespace_after=separator))
    elements.append(element.with_changes(comma=last.comma))
    if isinstance(before, cst.ParenthesizedWhitespace):
        closing = closing.with_changes(whitespace_before=before.with_changes(first_line=cst.TrailingWhitespace()))
    return node.with_changes(elements=elements, **{closing_name: closing})


def class_body(node: cst.ClassDef) -> list[cst.BaseStatement]:
    if not isinstance(node.body, cst.IndentedBlock):
        return []
    return list(node.body.body)


def with_body(node: cst.ClassDef, statements: list[cst.BaseStatement]) -> cst.ClassDef:
    """The class with these statements: ``pass`` when there are none, no ``pass`` beside others."""
    statements = [s for s in statements if not _is_pass(s)] or [cst.SimpleStatementLine([cst.Pass()])]
    return node.with_changes(body=node.body.with_changes(body=statements))


def edit_meta(
    node: cst.ClassDef, edit: Callable[[list[cst.BaseStatement]], list[cst.BaseStatement]], base: str | None = None
) -> cst.ClassDef:
    """Apply ``edit`` to the statements of the model's ``Meta``; a missing Meta is created
    (before the methods) from ``edit([])``, extending ``base`` (e.g. ``Parent.Meta``) when given."""
    statements = class_body(node)
    for position, statement in enumerate(statements):
        if isinstance(statement, cst.ClassDef) and statement.name.value == "Meta":
            statements[position] = with_body(statement, edit(class_body(statement)))
            return with_body(node, statements)
    meta = cst.ClassDef(
        name=cst.Name("Meta"),
        body=cst.IndentedBlock(body=edit([])),
        bases=[cst.Arg(cst.parse_expression(base))] if base else [],
        leading_lines=[cst.EmptyLine(indent=False)],
    )
    position = next((i for i, s in enumerate(statements) if isinstance(s, cst.FunctionDef)), len(statements))
    statements.insert(position, meta)
    return with_body(node, statements)


def _is_pass(statement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(isinstance(s, cst.Pass) for s in statement.body)
